//! CSV export and import of prices and stock (`/api/seller/catalog.csv`,
//! `/api/seller/imports`): the access matrix, a round trip that changes nothing, an edit
//! applied with its audit entries and seen on the storefront, the same file twice, bad
//! rows reported by line and column with nothing applied, check-only, a 10,000-row file
//! with its progress in the database, and an import cut off by a restart.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use axum::body::Body;
use axum::http::Request;
use common::multiply::multiply_listings;
use common::{Fixture, SignedIn};
use serde_json::Value;

/// A CSV file as rows of cells (by header name).
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn parse(text: &str) -> Csv {
        let text = text
            .strip_prefix('\u{feff}')
            .expect("the export starts with a BOM");
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        let rows = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        Csv { header, rows }
    }

    fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap()
    }

    fn get<'a>(&self, row: &'a [String], name: &str) -> &'a str {
        &row[self.col(name)]
    }

    fn set(&mut self, index: usize, name: &str, value: &str) {
        let c = self.col(name);
        self.rows[index][c] = value.to_string();
    }

    /// The index of the first row matching `pred`.
    fn find(&self, pred: impl Fn(&Csv, &[String]) -> bool) -> usize {
        self.rows
            .iter()
            .position(|r| pred(self, r))
            .expect("a matching row")
    }

    fn text(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&self.header).unwrap();
        for r in &self.rows {
            w.write_record(r).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }
}

async fn export(fx: &Fixture, who: &SignedIn) -> Csv {
    let request = Request::get("/api/seller/catalog.csv")
        .header("cookie", &who.cookie)
        .body(Body::empty())
        .unwrap();
    let (response, bytes) = fx.send(request).await;
    assert_eq!(
        response.status(),
        200,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    assert_eq!(
        common::header(&response, "content-type"),
        "text/csv; charset=utf-8"
    );
    assert!(common::header(&response, "content-disposition").starts_with("attachment;"));
    Csv::parse(&String::from_utf8(bytes).unwrap())
}

/// Uploads `body` as `who`; the status and the answer.
async fn upload(fx: &Fixture, who: &SignedIn, query: &str, body: &[u8]) -> (u16, Value) {
    let request = Request::post(format!("/api/seller/imports{query}"))
        .header("cookie", &who.cookie)
        .header("x-csrf-token", &who.csrf)
        .header("content-type", "text/csv")
        .body(Body::from(body.to_vec()))
        .unwrap();
    let (response, bytes) = fx.send(request).await;
    let status = response.status().as_u16();
    if status == 202 {
        assert_eq!(
            common::header(&response, "location"),
            format!(
                "/api/seller/imports/{}",
                serde_json::from_slice::<Value>(&bytes).unwrap()["id"]
            )
        );
    }
    (status, serde_json::from_slice(&bytes).unwrap())
}

/// Polls an import until it has finished; also returns every `rows_checked` seen.
async fn wait(fx: &Fixture, who: &SignedIn, id: i64) -> (Value, Vec<i64>) {
    let mut seen = Vec::new();
    for _ in 0..6_000 {
        let (status, body) = fx
            .as_seller(who, "GET", &format!("/api/seller/imports/{id}"), None)
            .await;
        assert_eq!(status, 200, "{body}");
        seen.push(body["rows_checked"].as_i64().unwrap());
        if !matches!(body["state"].as_str(), Some("checking" | "applying")) {
            return (body, seen);
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("import {id} did not finish in two minutes");
}

async fn import(fx: &Fixture, who: &SignedIn, query: &str, text: &str) -> Value {
    let (status, body) = upload(fx, who, query, text.as_bytes()).await;
    assert_eq!(status, 202, "{body}");
    wait(fx, who, body["id"].as_i64().unwrap()).await.0
}

async fn count(fx: &Fixture, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&fx.state.db).await.unwrap();
    n
}

/// The seller's versions, audit entries and prices and stock, to compare before and
/// after.
async fn snapshot(fx: &Fixture, seller: &str) -> (i64, i64, i64, i64) {
    (
        count(fx, &format!("SELECT CAST(SUM(version) AS BIGINT) FROM listings WHERE seller_id = '{seller}'")).await,
        count(fx, &format!("SELECT COUNT(*) FROM audit_log WHERE seller_id = '{seller}'")).await,
        count(
            fx,
            &format!(
                "SELECT CAST(SUM(p.price_minor) AS BIGINT) FROM listing_prices p JOIN listings l ON l.id = p.listing_id WHERE l.seller_id = '{seller}'"
            ),
        )
        .await,
        count(
            fx,
            &format!(
                "SELECT CAST(SUM(s.quantity) AS BIGINT) FROM listing_stock s JOIN listings l ON l.id = s.listing_id WHERE l.seller_id = '{seller}'"
            ),
        )
        .await,
    )
}

fn is_price(csv: &Csv, r: &[String], market: &str, mode: &str) -> bool {
    csv.get(r, "market") == market && csv.get(r, "mode") == mode
}

#[tokio::test]
async fn only_a_signed_in_seller_exports_and_imports_and_only_their_own() {
    let fx = Fixture::with_sellers().await;
    for (method, uri) in [
        ("GET", "/api/seller/catalog.csv"),
        ("GET", "/api/seller/imports"),
        ("GET", "/api/seller/imports/1"),
        ("POST", "/api/seller/imports"),
    ] {
        let (status, body) = fx.request_json(method, uri, &[], None).await;
        assert_eq!(status, 401, "{method} {uri}: {body}");
        assert_eq!(body["error"]["code"], "unauthenticated");
    }
    let a = fx.sign_in("voltaic").await;
    let b = fx.sign_in("oakline").await;
    // A write without the CSRF token is refused.
    let (status, body) = fx
        .request_json(
            "POST",
            "/api/seller/imports",
            &[("cookie", &a.cookie), ("content-type", "text/csv")],
            None,
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["code"], "csrf");

    // B's export holds only B's SKUs; B importing one of A's SKUs reads as unknown.
    let a_csv = export(&fx, &a).await;
    let b_csv = export(&fx, &b).await;
    let a_sku = a_csv.get(&a_csv.rows[0], "sku").to_string();
    assert!(b_csv.rows.iter().all(|r| b_csv.get(r, "sku") != a_sku));
    let report = import(
        &fx,
        &b,
        "",
        &format!("sku,warehouse,on_hand\n{a_sku},us-3pl-ca,5\nNOPE-1,us-3pl-ca,5\n"),
    )
    .await;
    assert_eq!(report["state"], "rejected", "{report}");
    let messages: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages[0].replace(&a_sku, "X"),
        messages[1].replace("NOPE-1", "X"),
        "another seller's SKU reads exactly like one that does not exist"
    );

    // A cannot read B's import.
    let id = report["id"].as_i64().unwrap();
    let (status, body) = fx
        .as_seller(&a, "GET", &format!("/api/seller/imports/{id}"), None)
        .await;
    assert_eq!(status, 404, "{body}");
    let (_, list) = fx.as_seller(&a, "GET", "/api/seller/imports", None).await;
    assert!(list["imports"].as_array().unwrap().is_empty(), "{list}");
    let (_, list) = fx.as_seller(&b, "GET", "/api/seller/imports", None).await;
    assert_eq!(list["imports"][0]["id"], id);
}

#[tokio::test]
async fn an_unedited_export_imports_as_no_change_at_all() {
    let fx = Fixture::with_sellers().await;
    let who = fx.sign_in("voltaic").await;
    let csv = export(&fx, &who).await;
    assert!(csv.rows.len() > 100, "{} rows", csv.rows.len());
    let before = snapshot(&fx, "voltaic").await;
    let report = import(&fx, &who, "?file_name=voltaic.csv", &csv.text()).await;
    assert_eq!(report["state"], "applied", "{report}");
    assert_eq!(report["file_name"], "voltaic.csv");
    assert_eq!(report["rows_total"], csv.rows.len());
    assert_eq!(report["rows_checked"], csv.rows.len());
    assert_eq!(report["summary"]["skus_changed"], 0);
    assert_eq!(report["summary"]["rows_unchanged"], csv.rows.len());
    assert!(
        report["message"]
            .as_str()
            .unwrap()
            .starts_with("Nothing to change"),
        "{report}"
    );
    assert_eq!(
        snapshot(&fx, "voltaic").await,
        before,
        "nothing was written"
    );
}

#[tokio::test]
async fn an_edited_file_is_applied_audited_shown_on_the_storefront_and_a_second_import_changes_nothing()
 {
    let fx = Fixture::with_sellers().await;
    let who = fx.sign_in("voltaic").await;
    let mut csv = export(&fx, &who).await;
    // A semi-managed or platform-local US price, a fully managed supply price, a stock
    // count.
    let retail = csv.find(|c, r| {
        is_price(c, r, "US", "semi_managed") || is_price(c, r, "US", "platform_local")
    });
    let sku = csv.get(&csv.rows[retail], "sku").to_string();
    csv.set(retail, "price", "123.45");
    let managed = csv.find(|c, r| is_price(c, r, "US", "fully_managed"));
    let managed_sku = csv.get(&csv.rows[managed], "sku").to_string();
    let supply: f64 = csv.get(&csv.rows[managed], "supply_price").parse().unwrap();
    let new_supply = format!("{:.2}", supply + 1.0);
    csv.set(managed, "supply_price", &new_supply);
    let stock = csv.find(|c, r| !c.get(r, "warehouse").is_empty() && c.get(r, "sku") == sku);
    let on_hand: i64 = csv.get(&csv.rows[stock], "on_hand").parse().unwrap();
    let warehouse = csv.get(&csv.rows[stock], "warehouse").to_string();
    csv.set(stock, "on_hand", &(on_hand + 7).to_string());

    let report = import(&fx, &who, "", &csv.text()).await;
    assert_eq!(report["state"], "applied", "{report}");
    assert_eq!(report["summary"]["skus_changed"], 2, "{report}");
    assert_eq!(report["summary"]["prices_changed"], 2);
    assert_eq!(report["summary"]["stock_changed"], 1);
    assert_eq!(
        report["message"],
        format!(
            "Imported: changed 2 prices and 1 stock count on 2 SKUs ({} rows unchanged).",
            csv.rows.len() - 3
        )
    );

    // The seller's view.
    let id = count(&fx, &format!("SELECT id FROM listings WHERE sku = '{sku}'")).await;
    let (_, detail) = fx
        .as_seller(&who, "GET", &format!("/api/seller/listings/{id}"), None)
        .await;
    let us = detail["prices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["market"] == "US")
        .unwrap();
    assert_eq!(us["price"]["minor"], 12345, "{us}");
    let row = detail["stock"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["warehouse"] == warehouse.as_str())
        .unwrap();
    assert_eq!(row["on_hand"], on_hand + 7, "{row}");
    // Fully managed: the supply price moved and the platform's retail price follows it.
    let mid = count(
        &fx,
        &format!("SELECT id FROM listings WHERE sku = '{managed_sku}'"),
    )
    .await;
    let supply_minor = count(
        &fx,
        &format!("SELECT supply_price_minor FROM listing_prices WHERE listing_id = {mid} AND market = 'US'"),
    )
    .await;
    assert_eq!(
        supply_minor,
        new_supply.replace('.', "").parse::<i64>().unwrap()
    );

    // The audit log: one entry per change, as an import.
    let (_, audit) = fx
        .as_seller(
            &who,
            "GET",
            &format!("/api/seller/audit?listing={id}"),
            None,
        )
        .await;
    let entries = audit["items"].as_array().unwrap();
    let imported: Vec<&Value> = entries.iter().filter(|e| e["action"] == "import").collect();
    assert_eq!(imported.len(), 2, "{audit}");
    assert!(
        imported
            .iter()
            .any(|e| e["kind"] == "price" && e["after"]["price"]["minor"] == 12345)
    );
    assert!(
        imported
            .iter()
            .any(|e| e["kind"] == "stock" && e["before"]["on_hand"] == on_hand)
    );

    // The storefront shows the new price.
    let (status, public) = fx
        .request_json("GET", &format!("/api/listings/{id}?market=US"), &[], None)
        .await;
    assert_eq!(status, 200);
    let shown = public["price"]["minor"].as_i64().unwrap();
    let running = !public["promotion"].is_null();
    assert!(
        shown == 12345 || running,
        "price {} promotion {}",
        public["price"],
        public["promotion"]
    );

    // The same file again changes nothing: no version moves, no audit entry.
    let before = snapshot(&fx, "voltaic").await;
    let again = import(&fx, &who, "", &csv.text()).await;
    assert_eq!(again["state"], "applied", "{again}");
    assert_eq!(again["summary"]["skus_changed"], 0, "{again}");
    assert_eq!(snapshot(&fx, "voltaic").await, before);
}

#[tokio::test]
async fn bad_rows_are_reported_by_line_and_column_and_nothing_is_applied() {
    let fx = Fixture::with_sellers().await;
    let who = fx.sign_in("voltaic").await;
    let mut csv = export(&fx, &who).await;
    // Line numbers: the header is line 1, row i is line i + 2.
    let mut expect: Vec<(usize, &str, &str)> = Vec::new();
    let retail = csv.find(|c, r| {
        is_price(c, r, "US", "semi_managed") || is_price(c, r, "US", "platform_local")
    });
    csv.set(retail, "price", "12.345");
    expect.push((retail, "price", "at most 2 decimal digits"));
    let de = csv.find(|c, r| c.get(r, "market") == "DE" && c.get(r, "mode") != "fully_managed");
    csv.set(de, "currency", "USD");
    expect.push((de, "currency", "prices are in EUR, not USD"));
    let kr = csv.find(|c, r| c.get(r, "market") == "KR" && c.get(r, "mode") != "fully_managed");
    csv.set(kr, "price", "9999999999");
    expect.push((kr, "price", "can be at most"));
    let managed = csv.find(|c, r| is_price(c, r, "US", "fully_managed"));
    csv.set(managed, "price", "1.00");
    csv.set(managed, "supply_price", "");
    expect.push((managed, "price", "is fully managed"));
    let stock = csv.find(|c, r| c.get(r, "warehouse") == "us-3pl-ca");
    csv.set(stock, "on_hand", "-4");
    expect.push((stock, "on_hand", "below zero"));
    let other =
        csv.find(|c, r| !c.get(r, "warehouse").is_empty() && c.get(r, "mode") == "fully_managed");
    csv.set(other, "warehouse", "de-local");
    csv.set(other, "on_hand", "5");
    expect.push((other, "warehouse", "cannot hold this listing's stock"));
    let fraction =
        csv.find(|c, r| !c.get(r, "warehouse").is_empty() && c.get(r, "mode") == "platform_local");
    csv.set(fraction, "on_hand", "2.5");
    expect.push((fraction, "on_hand", "whole units"));
    // A stale version on a changed row.
    let stale = csv.find(|c, r| c.get(r, "market") == "GB" && c.get(r, "mode") != "fully_managed");
    csv.set(stale, "version", "1");
    let version: i64 = csv.get(&csv.rows[stale], "version").parse().unwrap();
    assert_eq!(version, 1);
    csv.set(stale, "price", "1.23");
    // The listing must have moved past version 1 for the version to be stale.
    let stale_sku = csv.get(&csv.rows[stale], "sku").to_string();
    sqlx::query(&format!(
        "UPDATE listings SET version = 5 WHERE sku = '{stale_sku}'"
    ))
    .execute(&fx.state.db)
    .await
    .unwrap();
    expect.push((stale, "version", "changed after this file was exported"));
    // A duplicate of the first row.
    let dup = csv.rows[0].clone();
    csv.rows.push(dup);
    let last = csv.rows.len() - 1;
    expect.push((last, "", "give each SKU and"));
    // A good change that must not be applied either.
    let good = csv.find(|c, r| {
        c.get(r, "market") == "US"
            && c.get(r, "mode") == "platform_local"
            && c.get(r, "sku") != c.get(&c.rows[retail], "sku")
            && c.get(r, "sku") != stale_sku
    });
    let good_sku = csv.get(&csv.rows[good], "sku").to_string();
    csv.set(good, "price", "77.77");

    let before = snapshot(&fx, "voltaic").await;
    let report = import(&fx, &who, "", &csv.text()).await;
    assert_eq!(report["state"], "rejected", "{report}");
    assert_eq!(report["problem_count"], expect.len(), "{report:#}");
    assert!(
        report["message"]
            .as_str()
            .unwrap()
            .contains("nothing was applied")
    );
    let problems = report["problems"].as_array().unwrap();
    let mut want: Vec<(u64, &str, &str)> = expect
        .iter()
        .map(|(i, col, says)| (*i as u64 + 2, *col, *says))
        .collect();
    want.sort_by_key(|w| w.0);
    for (p, (line, col, says)) in problems.iter().zip(&want) {
        assert_eq!(p["line"], *line, "{p}");
        if !col.is_empty() {
            assert_eq!(p["column"], *col, "{p}");
        }
        assert!(
            p["message"].as_str().unwrap().contains(says),
            "{p} should say {says:?}"
        );
        assert!(p["sku"].is_string(), "{p}");
    }
    let after = snapshot(&fx, "voltaic").await;
    assert_eq!(
        (after.1, after.2, after.3),
        (before.1, before.2, before.3),
        "nothing applied"
    );
    let good_id = count(
        &fx,
        &format!("SELECT id FROM listings WHERE sku = '{good_sku}'"),
    )
    .await;
    assert_ne!(
        count(&fx, &format!("SELECT price_minor FROM listing_prices WHERE listing_id = {good_id} AND market = 'US'")).await,
        7777
    );
}

#[tokio::test]
async fn check_only_reports_what_would_change_and_applies_nothing() {
    let fx = Fixture::with_sellers().await;
    let who = fx.sign_in("voltaic").await;
    let mut csv = export(&fx, &who).await;
    let stock = csv.find(|c, r| !c.get(r, "warehouse").is_empty());
    let on_hand: i64 = csv.get(&csv.rows[stock], "on_hand").parse().unwrap();
    csv.set(stock, "on_hand", &(on_hand + 1).to_string());
    let before = snapshot(&fx, "voltaic").await;
    let report = import(&fx, &who, "?check_only=true", &csv.text()).await;
    assert_eq!(report["state"], "checked", "{report}");
    assert_eq!(report["check_only"], true);
    assert_eq!(report["summary"]["stock_changed"], 1);
    assert!(
        report["message"].as_str().unwrap().contains("would change"),
        "{report}"
    );
    assert_eq!(snapshot(&fx, "voltaic").await, before);
}

#[tokio::test]
async fn files_that_are_not_csv_text_get_a_message_that_says_how_to_save_them() {
    let fx = Fixture::with_sellers().await;
    let who = fx.sign_in("voltaic").await;
    for (body, status, says) in [
        (&b""[..], 422, "the file is empty"),
        (&b"PK\x03\x04\x14\x00"[..], 422, "workbook"),
        (&b"sku,title\nA,\xc4\xe3\xba\xc3\n"[..], 422, "not UTF-8"),
        (&[0xFF, 0xFE, b's', 0][..], 422, "UTF-16"),
    ] {
        let (got, answer) = upload(&fx, &who, "", body).await;
        assert_eq!(got, status, "{answer}");
        assert!(
            answer["error"]["message"].as_str().unwrap().contains(says),
            "{answer}"
        );
        assert_eq!(answer["error"]["field"], "file");
    }
    let (status, answer) = fx
        .as_seller(
            &who,
            "POST",
            "/api/seller/imports",
            Some(&serde_json::json!({})),
        )
        .await;
    assert_eq!(status, 415, "{answer}");
    let (status, answer) = upload(&fx, &who, "?check_only=maybe", b"sku\n").await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["error"]["field"], "check_only");
    // A header problem is a report like any other.
    let report = import(&fx, &who, "", "sku,market,prise\nX,US,5\n").await;
    assert_eq!(report["state"], "rejected");
    assert_eq!(report["problems"][0]["line"], 1);
    assert!(
        report["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("unknown column")
    );
}

#[tokio::test]
async fn an_import_cut_off_by_a_restart_reads_as_failed_and_does_not_block_the_next() {
    let fx = Fixture::with_sellers().await;
    let who = fx.sign_in("voltaic").await;
    sqlx::query(
        "INSERT INTO seller_imports (id, seller_id, file_name, file_sha256, file_bytes, state, \
         rows_total, rows_checked, created_at, heartbeat_at) VALUES (900, 'voltaic', 'old.csv', \
         '0000000000000000000000000000000000000000000000000000000000000000', 10, 'applying', \
         10, 10, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    )
    .execute(&fx.state.db)
    .await
    .unwrap();
    let (_, status) = fx
        .as_seller(&who, "GET", "/api/seller/imports/900", None)
        .await;
    assert_eq!(status["state"], "failed", "{status}");
    assert!(
        status["message"]
            .as_str()
            .unwrap()
            .contains("nothing of it was applied")
    );
    let csv = export(&fx, &who).await;
    let report = import(&fx, &who, "", &csv.text()).await;
    assert_eq!(report["state"], "applied", "{report}");
}

#[tokio::test]
async fn a_ten_thousand_row_file_imports_with_its_progress_in_the_database() {
    let fx = Fixture::with_sellers().await;
    let who = fx.sign_in("voltaic").await;
    let base = export(&fx, &who).await.rows.len();
    let times = i64::try_from(10_000 / base).unwrap();
    multiply_listings(&fx.state.db, "voltaic", times).await;
    let mut csv = export(&fx, &who).await;
    assert!(csv.rows.len() >= 10_000, "{} rows", csv.rows.len());
    // Change the stock of every fifth stock row.
    let mut changed = 0;
    for i in 0..csv.rows.len() {
        if i % 5 == 0 && !csv.get(&csv.rows[i], "warehouse").is_empty() {
            let n: i64 = csv.get(&csv.rows[i], "on_hand").parse().unwrap();
            csv.set(i, "on_hand", &(n + 3).to_string());
            changed += 1;
        }
    }
    let text = csv.text();
    let started = std::time::Instant::now();
    let (status, body) = upload(&fx, &who, "?file_name=big.csv", text.as_bytes()).await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["state"], "checking");
    assert_eq!(body["rows_total"], csv.rows.len());
    let (report, seen) = wait(&fx, &who, body["id"].as_i64().unwrap()).await;
    let took = started.elapsed();
    assert_eq!(report["state"], "applied", "{report}");
    assert_eq!(report["summary"]["stock_changed"], changed);
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "progress never goes back: {seen:?}"
    );
    assert_eq!(
        *seen.last().unwrap(),
        i64::try_from(csv.rows.len()).unwrap()
    );
    let audit = count(
        &fx,
        "SELECT COUNT(*) FROM audit_log WHERE seller_id = 'voltaic' AND action = 'import'",
    )
    .await;
    assert_eq!(audit, changed);
    println!(
        "SUMMARY: CSV import (debug build, in-process): {} rows, {changed} stock changes, {:.1} s, {} progress readings",
        csv.rows.len(),
        took.as_secs_f64(),
        seen.len()
    );
}
