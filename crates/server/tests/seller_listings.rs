//! The seller panel's SKU endpoints (`/api/seller/listings…`, promotions, inbound
//! shipments, the pricing rules, the audit log): the access matrix, validation with field
//! names, optimistic concurrency (409 with the current values, two writers at once),
//! margins equal to crates/core's, the audit log, promotions on the storefront while they
//! run, shipments becoming stock at their ETA, and a warehouse running out moving the
//! storefront's promise to the next route.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;

use common::{Fixture, NETWORK, SignedIn, schema_problems, send_json};
use crossdock_core::engine::{Destination, Listing, Mode};
use crossdock_core::pricing::{PricingRequest, price_all_modes, price_mode};
use crossdock_core::{Estimator, Instant};
use crossdock_server::{StartError, load_network, load_pricing, receive_arrivals};
use serde_json::{Value, json};

const MISSING: i64 = 99_999_999;

fn now() -> Instant {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    Instant::from_unix(secs as i64).unwrap()
}

fn later(secs: i64) -> String {
    now().add_seconds(secs).unwrap().to_string()
}

fn uri(id: i64) -> String {
    format!("/api/seller/listings/{id}")
}

fn usd(minor: i64) -> Value {
    json!({"minor": minor, "currency": "USD"})
}

/// An id from the database.
async fn id_of(fx: &Fixture, sql: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as(sql)
        .fetch_one(&fx.state.db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    id
}

/// A listing of `seller` in `mode`, sold in the US, with no promotion, and with more
/// than 20 units in a warehouse — semi-managed ones: a food item (not in the fully managed
/// programme) with its stock in us-3pl-ca.
async fn plain_listing(fx: &Fixture, seller: &str, mode: &str) -> i64 {
    id_of(
        fx,
        &format!(
            "SELECT l.id FROM listings l \
             JOIN listing_prices p ON p.listing_id = l.id AND p.market = 'US' \
             WHERE l.seller_id = '{seller}' AND l.mode = '{mode}' \
               AND (l.mode <> 'semi_managed' OR l.category = 'food') \
               AND NOT EXISTS (SELECT 1 FROM promotions pr WHERE pr.listing_id = l.id) \
               AND EXISTS (SELECT 1 FROM listing_stock s WHERE s.listing_id = l.id \
                   AND s.quantity > 20 AND (l.mode <> 'semi_managed' OR s.warehouse = 'us-3pl-ca')) \
             ORDER BY l.id LIMIT 1"
        ),
    )
    .await
}

async fn get(fx: &Fixture, who: &SignedIn, uri: &str) -> Value {
    let (status, body) = fx.as_seller(who, "GET", uri, None).await;
    assert_eq!(status, 200, "{uri}: {body}");
    body
}

async fn put(fx: &Fixture, who: &SignedIn, id: i64, body: Value) -> (u16, Value) {
    fx.as_seller(who, "PUT", &uri(id), Some(&body)).await
}

fn price_in<'a>(detail: &'a Value, market: &str) -> &'a Value {
    detail["prices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["market"] == market)
        .unwrap_or_else(|| panic!("no {market} in {}", detail["prices"]))
}

fn stock_in(detail: &Value, warehouse: &str) -> i64 {
    detail["stock"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["warehouse"] == warehouse)
        .map_or(0, |s| s["on_hand"].as_i64().unwrap())
}

/// Audit rows of a listing: (kind, action, market, warehouse), oldest first.
async fn audit_rows(
    fx: &Fixture,
    listing: i64,
) -> Vec<(String, String, Option<String>, Option<String>)> {
    sqlx::query_as(
        "SELECT kind, action, market, warehouse FROM audit_log WHERE listing_id = $1 ORDER BY id",
    )
    .bind(listing)
    .fetch_all(&fx.state.db)
    .await
    .unwrap()
}

fn assert_error(status: u16, body: &Value, expected: u16, code: &str, field: Option<&str>) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.len() > 10, "{body}");
    assert_eq!(body["error"]["field"].as_str(), field, "{body}");
}

fn masked(body: &Value, ids: &[i64]) -> String {
    let mut text = body.to_string();
    for id in ids {
        text = text.replace(&id.to_string(), "N");
    }
    text
}

#[tokio::test]
async fn every_seller_endpoint_needs_a_session_hides_other_sellers_skus_and_checks_csrf() {
    let fx = Fixture::with_sellers().await;
    let a = fx.sign_in("jadeleaf").await;
    let own = plain_listing(&fx, "jadeleaf", "semi_managed").await;
    let theirs = id_of(
        &fx,
        "SELECT MIN(listing_id) FROM promotions p JOIN listings l ON l.id = p.listing_id \
         WHERE l.seller_id = 'voltaic'",
    )
    .await;
    let their_promo = id_of(
        &fx,
        &format!("SELECT MIN(id) FROM promotions WHERE listing_id = {theirs}"),
    )
    .await;
    // One of voltaic's shipments, so the shipment path exists for theirs.
    sqlx::query(
        "INSERT INTO inbound_shipments (listing_id, warehouse, quantity, eta, created_at) \
         VALUES ($1, 'us-3pl-ca', 10, '2099-01-01T00:00:00Z', '2026-11-25T00:00:00Z')",
    )
    .bind(theirs)
    .execute(&fx.state.db)
    .await
    .unwrap();
    let their_shipment = id_of(
        &fx,
        &format!("SELECT MAX(id) FROM inbound_shipments WHERE listing_id = {theirs}"),
    )
    .await;
    let put_body = json!({"version": 1, "prices": [{"market": "US", "price": usd(1999)}]});
    let promo_body = json!({"market": "US", "kind": "percent_off", "percent_bp": 1000, "ends_at": later(86_400)});
    let inbound_body = json!({"warehouse": "us-3pl-ca", "quantity": 5, "eta": later(86_400)});
    // (method, path for a listing id, body, write)
    type Endpoint = (&'static str, fn(i64, i64, i64) -> String, Option<Value>);
    let endpoints: Vec<Endpoint> = vec![
        ("GET", |id, _, _| uri(id), None),
        ("PUT", |id, _, _| uri(id), Some(put_body.clone())),
        (
            "POST",
            |id, _, _| format!("{}/promotions", uri(id)),
            Some(promo_body.clone()),
        ),
        (
            "DELETE",
            |id, p, _| format!("{}/promotions/{p}", uri(id)),
            None,
        ),
        (
            "POST",
            |id, _, _| format!("{}/inbound", uri(id)),
            Some(inbound_body.clone()),
        ),
        (
            "DELETE",
            |id, _, s| format!("{}/inbound/{s}", uri(id)),
            None,
        ),
        (
            "GET",
            |id, _, _| format!("/api/seller/audit?listing={id}"),
            None,
        ),
    ];
    let before: i64 = id_of(&fx, "SELECT COUNT(*) FROM audit_log").await;
    for (method, path, body) in &endpoints {
        let mine = path(own, their_promo, their_shipment);
        // Anonymous: 401, whatever the listing.
        for target in [&mine, &path(theirs, their_promo, their_shipment)] {
            let (status, answer) = fx.request_json(method, target, &[], body.as_ref()).await;
            assert_error(status, &answer, 401, "unauthenticated", None);
        }
        // Writes without the CSRF token: 403, before anything else.
        if *method != "GET" {
            let (status, answer) = fx
                .request_json(method, &mine, &[("cookie", &a.cookie)], body.as_ref())
                .await;
            assert_error(status, &answer, 403, "csrf", None);
            let (status, answer) = fx
                .request_json(
                    method,
                    &mine,
                    &[("cookie", &a.cookie), ("x-csrf-token", "forged")],
                    body.as_ref(),
                )
                .await;
            assert_error(status, &answer, 403, "csrf", None);
        }
        // Another seller's listing answers exactly as a missing one.
        let (s1, theirs_answer) = fx
            .as_seller(
                &a,
                method,
                &path(theirs, their_promo, their_shipment),
                body.as_ref(),
            )
            .await;
        let (s2, missing_answer) = fx
            .as_seller(
                &a,
                method,
                &path(MISSING, their_promo, their_shipment),
                body.as_ref(),
            )
            .await;
        assert_eq!(
            (s1, s2),
            (404, 404),
            "{method} {theirs_answer} {missing_answer}"
        );
        assert_eq!(
            masked(&theirs_answer, &[theirs, MISSING]),
            masked(&missing_answer, &[theirs, MISSING]),
            "{method}"
        );
        assert_eq!(theirs_answer["error"]["code"], "not_found");
    }
    // Their promotion and shipment under my own listing: 404 too.
    for target in [
        format!("{}/promotions/{their_promo}", uri(own)),
        format!("{}/inbound/{their_shipment}", uri(own)),
    ] {
        let (status, answer) = fx.as_seller(&a, "DELETE", &target, None).await;
        assert_error(status, &answer, 404, "not_found", None);
    }
    // Nothing was written by any refused request.
    assert_eq!(id_of(&fx, "SELECT COUNT(*) FROM audit_log").await, before);
    let (version,): (i64,) = sqlx::query_as("SELECT version FROM listings WHERE id = $1")
        .bind(theirs)
        .fetch_one(&fx.state.db)
        .await
        .unwrap();
    assert_eq!(version, 1);
    // The endpoints without a listing.
    for target in [
        "/api/seller/listings",
        "/api/seller/pricing-rules",
        "/api/seller/audit",
    ] {
        let (status, answer) = fx.request_json("GET", target, &[], None).await;
        assert_error(status, &answer, 401, "unauthenticated", None);
        let (status, _) = fx.as_seller(&a, "GET", target, None).await;
        assert_eq!(status, 200, "{target}");
    }
    // The table lists only the seller's own SKUs.
    let page = get(&fx, &a, "/api/seller/listings?per_page=200").await;
    let count = id_of(
        &fx,
        "SELECT COUNT(*) FROM listings WHERE seller_id = 'jadeleaf'",
    )
    .await;
    assert_eq!(page["total"], count);
    let ids: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&own) && !ids.contains(&theirs));
}

#[tokio::test]
async fn every_refused_save_names_the_field_and_saves_nothing() {
    let fx = Fixture::with_sellers().await;
    let a = fx.sign_in("jadeleaf").await;
    let id = plain_listing(&fx, "jadeleaf", "semi_managed").await;
    let before = get(&fx, &a, &uri(id)).await;
    let version = before["version"].as_i64().unwrap();
    let v = |body: Value| {
        let mut body = body;
        body["version"] = json!(version);
        body
    };
    let cases: Vec<(Value, &str)> = vec![
        (
            v(json!({"prices": [{"market": "US", "price": usd(0)}]})),
            "prices[0].price",
        ),
        (
            v(json!({"prices": [{"market": "US", "price": usd(-500)}]})),
            "prices[0].price",
        ),
        (
            v(json!({"prices": [{"market": "US", "price": usd(99_999_999)}]})),
            "prices[0].price",
        ),
        (
            v(json!({"prices": [{"market": "US", "price": {"minor": 1999, "currency": "EUR"}}]})),
            "prices[0].price",
        ),
        (
            v(json!({"prices": [{"market": "US", "price": {"minor": 19.5, "currency": "USD"}}]})),
            "prices[0].price",
        ),
        (
            v(
                json!({"prices": [{"market": "US", "price": {"minor": 1999, "currency": "USD", "exponent": 0}}]}),
            ),
            "prices[0].price",
        ),
        (
            v(json!({"prices": [{"market": "XX", "price": usd(1999)}]})),
            "prices[0].market",
        ),
        (
            v(json!({"prices": [{"market": "KR", "price": {"minor": 19_900, "currency": "KRW"}}]})),
            "prices[0].market",
        ),
        (
            v(
                json!({"prices": [{"market": "US", "price": usd(1999)}, {"market": "us", "price": usd(2999)}]}),
            ),
            "prices[1].market",
        ),
        (
            v(json!({"prices": [{"market": "US", "supply_price": usd(999)}]})),
            "prices[0].supply_price",
        ),
        (v(json!({"prices": [{"market": "US"}]})), "prices[0]"),
        (
            v(json!({"stock": [{"warehouse": "us-3pl-ca", "on_hand": 2.5}]})),
            "stock[0].on_hand",
        ),
        (
            v(json!({"stock": [{"warehouse": "us-3pl-ca", "on_hand": -1}]})),
            "stock[0].on_hand",
        ),
        (
            v(json!({"stock": [{"warehouse": "us-3pl-ca", "on_hand": 1_000_001}]})),
            "stock[0].on_hand",
        ),
        (
            v(json!({"stock": [{"warehouse": "us-3pl-nj", "on_hand": 5}]})),
            "stock[0].warehouse",
        ),
        (
            v(json!({"stock": [{"warehouse": "us-west", "on_hand": 5}]})),
            "stock[0].warehouse",
        ),
        (
            v(json!({"stock": [{"warehouse": "nowhere", "on_hand": 5}]})),
            "stock[0].warehouse",
        ),
        (
            v(json!({"stock": [{"warehouse": "cn-gz", "on_hand": 5}]})),
            "stock[0].warehouse",
        ),
        (
            v(
                json!({"stock": [{"warehouse": "us-3pl-ca", "on_hand": 1}, {"warehouse": "us-3pl-ca", "on_hand": 2}]}),
            ),
            "stock[1].warehouse",
        ),
        (v(json!({"mode": "drop_shipping"})), "mode"),
        // Food is not in the fully managed programme.
        (v(json!({"mode": "fully_managed"})), "mode"),
        (
            json!({"prices": [{"market": "US", "price": usd(1999)}]}),
            "version",
        ),
        // A valid price with an invalid stock line: nothing at all is saved.
        (
            v(
                json!({"prices": [{"market": "US", "price": usd(2599)}], "stock": [{"warehouse": "us-3pl-ca", "on_hand": -3}]}),
            ),
            "stock[0].on_hand",
        ),
        // A value of the wrong type.
        (
            v(json!({"stock": [{"warehouse": "us-3pl-ca", "on_hand": "ten"}]})),
            "stock[0].on_hand",
        ),
    ];
    for (body, field) in cases {
        let (status, answer) = put(&fx, &a, id, body.clone()).await;
        assert_error(status, &answer, 422, "unprocessable_entity", Some(field));
    }
    let after = get(&fx, &a, &uri(id)).await;
    assert_eq!(after["version"], before["version"]);
    assert_eq!(after["prices"], before["prices"]);
    assert_eq!(after["stock"], before["stock"]);
    assert!(audit_rows(&fx, id).await.is_empty());
    // Malformed JSON and the wrong content type get the one error shape too.
    let (status, answer) = fx
        .request_json(
            "PUT",
            &uri(id),
            &[("cookie", &a.cookie), ("x-csrf-token", &a.csrf)],
            None,
        )
        .await;
    assert_eq!(status, 415, "{answer}");
    assert_eq!(answer["error"]["code"], "unsupported_media_type");
}

#[tokio::test]
async fn a_stale_version_gets_409_with_the_current_values_and_nothing_is_saved() {
    let fx = Fixture::with_sellers().await;
    let a = fx.sign_in("jadeleaf").await;
    let id = plain_listing(&fx, "jadeleaf", "semi_managed").await;
    let first = get(&fx, &a, &uri(id)).await;
    let v1 = first["version"].as_i64().unwrap();
    let (status, saved) = put(
        &fx,
        &a,
        id,
        json!({"version": v1, "prices": [{"market": "US", "price": usd(2499)}]}),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["version"], v1 + 1);
    assert_eq!(price_in(&saved, "US")["price"]["minor"], 2499);
    // Another tab still holds version 1.
    let (status, conflict) = put(
        &fx,
        &a,
        id,
        json!({"version": v1, "prices": [{"market": "US", "price": usd(1799)}], "stock": [{"warehouse": "us-3pl-ca", "on_hand": 7}]}),
    )
    .await;
    assert_error(status, &conflict, 409, "conflict", Some("version"));
    let current = &conflict["current"];
    assert_eq!(current["version"], v1 + 1);
    assert_eq!(price_in(current, "US")["price"]["minor"], 2499);
    assert_eq!(
        stock_in(current, "us-3pl-ca"),
        stock_in(&first, "us-3pl-ca")
    );
    let doc = fx.json("/api/openapi.json", 200).await;
    let problems = schema_problems(&doc, "ConflictResponse", &conflict);
    assert!(problems.is_empty(), "{problems:#?}");
    // Only the first save is in the log.
    let rows = audit_rows(&fx, id).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    // Saving again from the current version works.
    let (status, again) = put(
        &fx,
        &a,
        id,
        json!({"version": v1 + 1, "prices": [{"market": "US", "price": usd(1799)}]}),
    )
    .await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["version"], v1 + 2);
    // A save that changes nothing writes nothing and keeps the version.
    let (status, same) = put(
        &fx,
        &a,
        id,
        json!({"version": v1 + 2, "prices": [{"market": "US", "price": usd(1799)}]}),
    )
    .await;
    assert_eq!(status, 200, "{same}");
    assert_eq!(same["version"], v1 + 2);
    assert_eq!(audit_rows(&fx, id).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_concurrent_writers_exactly_one_wins() {
    let fx = Fixture::with_sellers().await;
    let a = fx.sign_in("jadeleaf").await;
    let id = plain_listing(&fx, "jadeleaf", "semi_managed").await;
    for round in 0..3 {
        let current = get(&fx, &a, &uri(id)).await;
        let version = current["version"].as_i64().unwrap();
        let writers: Vec<_> = [3_099 + round, 4_099 + round]
            .into_iter()
            .map(|price| {
                let state = fx.state.clone();
                let (cookie, csrf) = (a.cookie.clone(), a.csrf.clone());
                tokio::spawn(async move {
                    let body = json!({"version": version, "prices": [{"market": "US", "price": usd(price)}]});
                    let answer = send_json(
                        state,
                        "PUT",
                        &uri(id),
                        &[("cookie", &cookie), ("x-csrf-token", &csrf)],
                        Some(&body),
                    )
                    .await;
                    (price, answer)
                })
            })
            .collect();
        let mut results = Vec::new();
        for w in writers {
            results.push(w.await.unwrap());
        }
        let winners: Vec<&(i64, (u16, Value))> = results.iter().filter(|r| r.1.0 == 200).collect();
        let losers: Vec<&(i64, (u16, Value))> = results.iter().filter(|r| r.1.0 == 409).collect();
        assert_eq!((winners.len(), losers.len()), (1, 1), "{results:?}");
        let (winning_price, (_, won)) = winners[0];
        assert_eq!(won["version"], version + 1);
        let (_, (_, lost)) = losers[0];
        assert_eq!(lost["error"]["field"], "version");
        assert_eq!(lost["current"]["version"], version + 1);
        assert_eq!(
            price_in(&lost["current"], "US")["price"]["minor"],
            *winning_price
        );
        // The final state is the winner's, and the log has exactly one entry for it.
        let now = get(&fx, &a, &uri(id)).await;
        assert_eq!(price_in(&now, "US")["price"]["minor"], *winning_price);
        let rows = audit_rows(&fx, id).await;
        assert_eq!(rows.len(), usize::try_from(round).unwrap() + 1, "{rows:?}");
        let (after,): (String,) = sqlx::query_as(
            "SELECT after FROM audit_log WHERE listing_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(id)
        .fetch_one(&fx.state.db)
        .await
        .unwrap();
        let after: Value = serde_json::from_str(&after).unwrap();
        assert_eq!(after["price"]["minor"], *winning_price);
    }
}

/// Saves that finish while the storefront reloads share its next reload: whatever the
/// interleaving, each save's new price is on the storefront by the time its 200 arrives.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_are_each_on_the_storefront_when_answered() {
    let fx = Fixture::with_sellers().await;
    let a = fx.sign_in("jadeleaf").await;
    let ids: Vec<i64> = sqlx::query_as::<_, (i64,)>(
        "SELECT l.id FROM listings l JOIN listing_prices p ON p.listing_id = l.id \
         AND p.market = 'US' WHERE l.seller_id = 'jadeleaf' AND l.mode <> 'fully_managed' \
         AND NOT EXISTS (SELECT 1 FROM promotions pr WHERE pr.listing_id = l.id) \
         ORDER BY l.id LIMIT 12",
    )
    .fetch_all(&fx.state.db)
    .await
    .unwrap()
    .into_iter()
    .map(|(id,)| id)
    .collect();
    assert_eq!(ids.len(), 12);
    let mut versions = Vec::new();
    for id in &ids {
        versions.push(get(&fx, &a, &uri(*id)).await["version"].as_i64().unwrap());
    }
    for round in 0..3 {
        let writers: Vec<_> = ids
            .iter()
            .zip(&versions)
            .enumerate()
            .map(|(k, (&id, &version))| {
                let state = fx.state.clone();
                let (cookie, csrf) = (a.cookie.clone(), a.csrf.clone());
                let price = 5_000 + 100 * i64::try_from(k).unwrap() + round;
                tokio::spawn(async move {
                    let body = json!({"version": version, "prices": [{"market": "US", "price": usd(price)}]});
                    let answer = send_json(
                        state.clone(),
                        "PUT",
                        &uri(id),
                        &[("cookie", &cookie), ("x-csrf-token", &csrf)],
                        Some(&body),
                    )
                    .await;
                    // Read at once, before any other save can reload the catalog for it.
                    let shown = state
                        .catalog
                        .snapshot()
                        .listing(id)
                        .and_then(|l| l.offer("US").map(|o| o.price.minor()));
                    (id, price, answer, shown)
                })
            })
            .collect();
        versions.clear();
        for w in writers {
            let (id, price, (status, body), shown) = w.await.unwrap();
            assert_eq!(status, 200, "{id}: {body}");
            assert_eq!(shown, Some(price), "listing {id} in round {round}");
            versions.push(body["version"].as_i64().unwrap());
        }
    }
}

/// Every money figure is whole minor units, and each side's lines add up to its margin.
fn check_rounding(column: &Value) {
    let pricing = &column["pricing"];
    for side in ["seller", "platform"] {
        let s = &pricing[side];
        if s.is_null() {
            continue;
        }
        let sum: i64 = s["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["amount"]["minor"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, s["margin"]["minor"].as_i64().unwrap(), "{s}");
        let revenue = s["revenue_ex_vat"]["minor"].as_i64().unwrap();
        if revenue > 0 {
            let margin = i128::from(s["margin"]["minor"].as_i64().unwrap());
            let bp = (margin * 10_000).div_euclid(i128::from(revenue));
            assert_eq!(s["margin_bp"].as_i64().map(i128::from), Some(bp), "{s}");
        }
    }
    fn whole(v: &Value) {
        match v {
            Value::Object(map) => {
                if map.contains_key("minor") && map.contains_key("currency") {
                    assert!(map["minor"].is_i64(), "{v}");
                }
                map.values().for_each(whole);
            }
            Value::Array(items) => items.iter().for_each(whole),
            _ => {}
        }
    }
    whole(pricing);
}

fn without_messages(mut v: Value) -> Value {
    for column in v["columns"].as_array_mut().unwrap() {
        if let Some(warnings) = column
            .get_mut("pricing")
            .and_then(|p| p.get_mut("warnings"))
            .and_then(Value::as_array_mut)
        {
            for w in warnings {
                w.as_object_mut().unwrap().remove("message");
            }
        }
    }
    v
}

#[tokio::test]
async fn margins_are_crates_cores_to_the_minor_unit() {
    let fx = Fixture::with_sellers().await;
    let net = fx.state.network.network();
    let rules = fx.state.pricing.rules();
    let a = fx.sign_in("jadeleaf").await;
    // A semi-managed, a platform-local and a fully managed listing, one with a promotion.
    let mut ids = vec![
        plain_listing(&fx, "jadeleaf", "semi_managed").await,
        plain_listing(&fx, "jadeleaf", "platform_local").await,
        id_of(
            &fx,
            "SELECT MIN(id) FROM listings WHERE seller_id = 'jadeleaf' AND mode = 'fully_managed'",
        )
        .await,
    ];
    ids.push(
        id_of(
            &fx,
            "SELECT MIN(p.listing_id) FROM promotions p JOIN listings l ON l.id = p.listing_id \
             WHERE l.seller_id = 'jadeleaf' AND p.kind = 'seasonal_sale' AND p.label = 'Black Friday'",
        )
        .await,
    );
    let table = get(&fx, &a, "/api/seller/listings?per_page=200").await;
    for id in ids {
        let detail = get(&fx, &a, &uri(id)).await;
        let mode: Mode = serde_json::from_value(detail["mode"].clone()).unwrap();
        let row = table["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap();
        for market in detail["pricing"].as_array().unwrap() {
            let request: PricingRequest =
                serde_json::from_value(market["request"].clone()).unwrap();
            // The side by side is exactly crates/core's for the request it names.
            let expected =
                serde_json::to_value(price_all_modes(net, rules, &request).unwrap()).unwrap();
            assert_eq!(without_messages(market["result"].clone()), expected, "{id}");
            for column in market["result"]["columns"].as_array().unwrap() {
                if column["status"] == "priced" {
                    check_rounding(column);
                }
            }
            // The stored margin is crates/core's at the regular price under the mode.
            let mut regular = request.clone();
            regular.promotion = None;
            if mode == Mode::FullyManaged {
                regular.price = None;
            } else {
                regular.supply_price = None;
            }
            let priced = price_mode(net, rules, &regular, mode).unwrap();
            let name = &request.market;
            let stored = price_in(&detail, name);
            assert_eq!(
                stored["margin"]["minor"],
                priced.seller.margin.minor(),
                "{id} {name}"
            );
            assert_eq!(
                stored["margin_bp"],
                priced.seller.margin_bp.unwrap(),
                "{id} {name}"
            );
            let listed = row["markets"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| &m["market"] == name)
                .unwrap();
            assert_eq!(listed["margin"], stored["margin"]);
            assert_eq!(listed["margin_bp"], stored["margin_bp"]);
        }
    }

    // After a save the stored margin is crates/core's at the new price.
    let id = plain_listing(&fx, "jadeleaf", "semi_managed").await;
    let detail = get(&fx, &a, &uri(id)).await;
    let (status, saved) = put(
        &fx,
        &a,
        id,
        json!({"version": detail["version"], "prices": [{"market": "US", "price": usd(3333)}]}),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    let us = saved["pricing"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["market"] == "US")
        .unwrap();
    let mut request: PricingRequest = serde_json::from_value(us["request"].clone()).unwrap();
    assert_eq!(request.price.unwrap().minor(), 3333);
    request.supply_price = None;
    let priced = price_mode(net, rules, &request, Mode::SemiManaged).unwrap();
    assert_eq!(
        price_in(&saved, "US")["margin"]["minor"],
        priced.seller.margin.minor()
    );
    let (margin_bp,): (i64,) = sqlx::query_as(
        "SELECT margin_bp FROM listing_prices WHERE listing_id = $1 AND market = 'US'",
    )
    .bind(id)
    .fetch_one(&fx.state.db)
    .await
    .unwrap();
    assert_eq!(Some(margin_bp), priced.seller.margin_bp);
}

#[tokio::test]
async fn under_fully_managed_the_seller_sets_the_supply_price_and_the_platform_the_retail_price() {
    let fx = Fixture::with_sellers().await;
    let net = fx.state.network.network();
    let rules = fx.state.pricing.rules();
    let a = fx.sign_in("jadeleaf").await;
    let id = id_of(
        &fx,
        "SELECT MIN(l.id) FROM listings l JOIN listing_prices p ON p.listing_id = l.id \
         AND p.market = 'US' WHERE l.seller_id = 'jadeleaf' AND l.mode = 'fully_managed'",
    )
    .await;
    let detail = get(&fx, &a, &uri(id)).await;
    assert_eq!(price_in(&detail, "US")["seller_sets"], "supply_price");
    let (status, answer) = put(
        &fx,
        &a,
        id,
        json!({"version": detail["version"], "prices": [{"market": "US", "price": usd(2999)}]}),
    )
    .await;
    assert_error(
        status,
        &answer,
        422,
        "unprocessable_entity",
        Some("prices[0].price"),
    );
    let (status, saved) = put(
        &fx,
        &a,
        id,
        json!({"version": detail["version"], "prices": [{"market": "US", "supply_price": usd(1234)}]}),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    let us = price_in(&saved, "US");
    assert_eq!(us["supply_price"]["minor"], 1234);
    // The platform's rule in crates/core: $12.34 × 2.0 = $24.68 → the price point $24.99.
    let request: PricingRequest = serde_json::from_value(
        saved["pricing"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["market"] == "US")
            .unwrap()["request"]
            .clone(),
    )
    .unwrap();
    let priced = price_mode(net, rules, &request, Mode::FullyManaged).unwrap();
    assert_eq!(priced.list_price.minor(), 2499);
    assert_eq!(us["price"]["minor"], 2499);
    // The storefront sells it at the platform's price now.
    let public = fx.json(&format!("/api/listings/{id}?market=US"), 200).await;
    assert_eq!(public["price"]["minor"], 2499);
    // A supply price whose retail price would pass the market's limit is refused.
    let (status, answer) = put(
        &fx,
        &a,
        id,
        json!({"version": saved["version"], "prices": [{"market": "US", "supply_price": usd(900_000)}]}),
    )
    .await;
    assert_error(
        status,
        &answer,
        422,
        "unprocessable_entity",
        Some("prices[0].supply_price"),
    );
    // The audit entry has supply and retail price before and after.
    let log = get(&fx, &a, &format!("/api/seller/audit?listing={id}")).await;
    let entry = &log["items"][0];
    assert_eq!(entry["kind"], "price");
    assert_eq!(entry["after"]["supply_price"]["minor"], 1234);
    assert_eq!(entry["after"]["price"]["minor"], 2499);
    assert_eq!(
        entry["before"]["supply_price"]["minor"],
        price_in(&detail, "US")["supply_price"]["minor"]
    );
}

#[tokio::test]
async fn the_audit_log_has_who_when_before_and_after_of_every_change_per_listing() {
    let fx = Fixture::with_sellers().await;
    let a = fx.sign_in("jadeleaf").await;
    let b = fx.sign_in("oakline").await;
    let id = plain_listing(&fx, "jadeleaf", "semi_managed").await;
    let other = plain_listing(&fx, "jadeleaf", "platform_local").await;
    let d = get(&fx, &a, &uri(id)).await;
    let stock_before = stock_in(&d, "us-3pl-ca");
    let price_before = price_in(&d, "US")["price"].clone();
    let (status, saved) = put(
        &fx,
        &a,
        id,
        json!({"version": d["version"], "prices": [{"market": "US", "price": usd(2222)}], "stock": [{"warehouse": "us-3pl-ca", "on_hand": 0}]}),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    let (status, saved) = put(
        &fx,
        &a,
        id,
        json!({"version": saved["version"], "mode": "platform_local", "stock": [{"warehouse": "us-east", "on_hand": 40}]}),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["mode"], "platform_local");
    let (status, created) = fx
        .as_seller(
            &a,
            "POST",
            &format!("{}/promotions", uri(id)),
            Some(&json!({"market": "US", "kind": "voucher", "amount": usd(300), "starts_at": later(3_600), "ends_at": later(7 * 86_400), "label": "Winter voucher"})),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let promo = created["promotion"]["id"].as_i64().unwrap();
    let (status, _) = fx
        .as_seller(
            &a,
            "DELETE",
            &format!("{}/promotions/{promo}", uri(id)),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = put(
        &fx,
        &a,
        other,
        json!({"version": get(&fx, &a, &uri(other)).await["version"], "prices": [{"market": "US", "price": usd(1111)}]}),
    )
    .await;
    assert_eq!(status, 200);

    let log = get(&fx, &a, &format!("/api/seller/audit?listing={id}")).await;
    let items = log["items"].as_array().unwrap();
    let summary: Vec<(&str, &str)> = items
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["action"].as_str().unwrap()))
        .collect();
    // Newest first.
    assert_eq!(
        summary,
        [
            ("promotion", "delete"),
            ("promotion", "create"),
            ("stock", "update"),
            ("mode", "update"),
            ("stock", "update"),
            ("price", "update"),
        ]
    );
    assert_eq!(log["total"], 6);
    for e in items {
        assert_eq!(e["actor"], "jadeleaf");
        assert_eq!(e["listing_id"], id);
        assert!(Instant::parse(e["at"].as_str().unwrap()).is_ok());
    }
    let by = |kind: &str, action: &str| {
        items
            .iter()
            .rev()
            .find(|e| e["kind"] == kind && e["action"] == action)
            .unwrap()
    };
    let price = by("price", "update");
    assert_eq!(price["market"], "US");
    assert_eq!(price["before"]["price"]["minor"], price_before["minor"]);
    assert_eq!(price["after"]["price"]["minor"], 2222);
    let stock = items.iter().rev().find(|e| e["kind"] == "stock").unwrap();
    assert_eq!(stock["warehouse"], "us-3pl-ca");
    assert_eq!(stock["before"], json!({"on_hand": stock_before}));
    assert_eq!(stock["after"], json!({"on_hand": 0}));
    let mode = by("mode", "update");
    assert_eq!(mode["before"], json!({"mode": "semi_managed"}));
    assert_eq!(mode["after"], json!({"mode": "platform_local"}));
    let created = by("promotion", "create");
    assert!(created["before"].is_null());
    assert_eq!(created["after"]["kind"], "voucher");
    assert_eq!(created["after"]["amount"]["minor"], 300);
    assert_eq!(created["after"]["label"], "Winter voucher");
    let deleted = by("promotion", "delete");
    assert_eq!(deleted["before"]["id"], promo);
    assert!(deleted["after"].is_null());

    // Filters: kind, and the whole log has the other listing too.
    let prices = get(&fx, &a, "/api/seller/audit?kind=price").await;
    assert_eq!(prices["total"], 2);
    let both = get(
        &fx,
        &a,
        &format!("/api/seller/audit?kind=price,mode&listing={id}"),
    )
    .await;
    assert_eq!(both["total"], 2);
    let all = get(&fx, &a, "/api/seller/audit?per_page=2&page=2").await;
    assert_eq!(all["total"], 7);
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    // Another seller sees none of it, and cannot ask for the listing.
    let theirs = get(&fx, &b, "/api/seller/audit").await;
    assert_eq!(theirs["total"], 0);
    let (status, _) = fx
        .as_seller(&b, "GET", &format!("/api/seller/audit?listing={id}"), None)
        .await;
    assert_eq!(status, 404);
    let (status, answer) = fx
        .as_seller(&a, "GET", "/api/seller/audit?kind=colour", None)
        .await;
    assert_error(status, &answer, 400, "bad_request", Some("kind"));
    // The answers fit the document.
    let doc = fx.json("/api/openapi.json", 200).await;
    let problems = schema_problems(&doc, "AuditPage", &log);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test]
async fn a_promotion_is_on_the_storefront_while_it_runs_and_not_before_or_after() {
    let fx = Fixture::with_sellers().await;
    let a = fx.sign_in("jadeleaf").await;
    let id = plain_listing(&fx, "jadeleaf", "semi_managed").await;
    let detail = get(&fx, &a, &uri(id)).await;
    let regular = price_in(&detail, "US")["price"]["minor"].as_i64().unwrap();
    let starts = now().add_seconds(2 * 86_400).unwrap();
    let ends = now().add_seconds(5 * 86_400).unwrap();
    let (status, created) = fx
        .as_seller(
            &a,
            "POST",
            &format!("{}/promotions", uri(id)),
            Some(&json!({"market": "US", "kind": "percent_off", "percent_bp": 2500, "starts_at": starts.to_string(), "ends_at": ends.to_string()})),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    // 25 % off, rounded half up as crates/core rounds a percentage discount.
    let expected = (regular * 7_500 + 5_000) / 10_000;
    assert_eq!(created["promotion"]["shopper_price"]["minor"], expected);
    assert_eq!(created["promotion"]["status"], "scheduled");
    assert_eq!(created["promotion"]["label"], "25 % off");
    let impact = &created["impact"];
    assert_eq!(impact["as_of"], starts.to_string());
    assert_eq!(impact["shopper_pays"]["minor"], expected);
    assert!(
        impact["margin_impact"]["minor"].as_i64().unwrap() < 0,
        "{impact}"
    );
    assert_eq!(
        impact["margin_with"]["minor"].as_i64().unwrap()
            - impact["margin_before"]["minor"].as_i64().unwrap(),
        impact["margin_impact"]["minor"].as_i64().unwrap()
    );
    let doc = fx.json("/api/openapi.json", 200).await;
    let problems = schema_problems(&doc, "PromotionResponse", &created);
    assert!(problems.is_empty(), "{problems:#?}");

    let public = |at: Instant| format!("/api/listings/{id}?market=US&now={at}");
    let before = fx
        .json(&public(starts.add_seconds(-60).unwrap()), 200)
        .await;
    assert!(before["promotion"].is_null(), "{}", before["promotion"]);
    assert_eq!(before["price"]["minor"], regular);
    assert!(before["list_price"].is_null());
    assert_eq!(before["promotions"][0]["running"], false);
    let during = fx.json(&public(starts.add_seconds(60).unwrap()), 200).await;
    assert_eq!(during["promotion"]["kind"], "percent_off");
    assert_eq!(during["promotion"]["percent_off"], 25);
    assert_eq!(during["price"]["minor"], expected);
    assert_eq!(during["list_price"]["minor"], regular);
    let after = fx.json(&public(ends), 200).await;
    assert!(after["promotion"].is_null());
    assert_eq!(after["price"]["minor"], regular);
    assert!(after["promotions"].as_array().unwrap().is_empty());
    // Nothing private on the public listing.
    for key in ["funded_by", "percent_bp", "supply_price", "margin"] {
        assert!(!during.to_string().contains(key), "{key}");
    }

    // A price change moves the running promotion's price with it.
    let (status, saved) = put(
        &fx,
        &a,
        id,
        json!({"version": created["listing"]["version"], "prices": [{"market": "US", "price": usd(4000)}]}),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    let during = fx.json(&public(starts.add_seconds(60).unwrap()), 200).await;
    assert_eq!(during["price"]["minor"], 3000);

    // Overlapping, too deep, or making the item free: refused, with the field.
    let promotions = format!("{}/promotions", uri(id));
    for (body, field) in [
        (
            json!({"market": "US", "kind": "voucher", "amount": usd(100), "starts_at": starts.add_seconds(86_400).unwrap().to_string(), "ends_at": ends.add_seconds(86_400).unwrap().to_string()}),
            "starts_at",
        ),
        (
            json!({"market": "US", "kind": "percent_off", "percent_bp": 9_001, "starts_at": ends.to_string(), "ends_at": ends.add_seconds(86_400).unwrap().to_string()}),
            "percent_bp",
        ),
        (
            json!({"market": "US", "kind": "voucher", "amount": usd(4000), "starts_at": ends.to_string(), "ends_at": ends.add_seconds(86_400).unwrap().to_string()}),
            "amount",
        ),
        (
            json!({"market": "US", "kind": "voucher", "amount": {"minor": 100, "currency": "EUR"}, "starts_at": ends.to_string(), "ends_at": ends.add_seconds(86_400).unwrap().to_string()}),
            "amount",
        ),
        (
            json!({"market": "US", "kind": "voucher", "percent_bp": 100, "amount": usd(100), "ends_at": ends.to_string()}),
            "percent_bp",
        ),
        (
            json!({"market": "US", "kind": "free_shipping_over", "ends_at": ends.to_string()}),
            "threshold",
        ),
        (
            json!({"market": "US", "kind": "bogof", "ends_at": ends.to_string()}),
            "kind",
        ),
        (
            json!({"market": "KR", "kind": "percent_off", "percent_bp": 100, "ends_at": ends.to_string()}),
            "market",
        ),
        (
            json!({"market": "US", "kind": "percent_off", "percent_bp": 100, "starts_at": "2020-01-01T00:00:00Z", "ends_at": ends.to_string()}),
            "starts_at",
        ),
        (
            json!({"market": "US", "kind": "percent_off", "percent_bp": 100, "starts_at": ends.add_seconds(86_400).unwrap().to_string(), "ends_at": ends.to_string()}),
            "ends_at",
        ),
        (
            json!({"market": "US", "kind": "percent_off", "percent_bp": 100, "ends_at": "soon"}),
            "ends_at",
        ),
    ] {
        let (status, answer) = fx.as_seller(&a, "POST", &promotions, Some(&body)).await;
        assert_error(status, &answer, 422, "unprocessable_entity", Some(field));
    }
    // A negative margin is warned about.
    let (status, deep) = fx
        .as_seller(
            &a,
            "POST",
            &promotions,
            Some(&json!({"market": "US", "kind": "percent_off", "percent_bp": 9000, "starts_at": ends.to_string(), "ends_at": ends.add_seconds(86_400).unwrap().to_string()})),
        )
        .await;
    assert_eq!(status, 201, "{deep}");
    let codes: Vec<&str> = deep["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"negative_margin"), "{codes:?}");

    // Deleting the first one takes it off the storefront at once.
    let promo = created["promotion"]["id"].as_i64().unwrap();
    let (status, deleted) = fx
        .as_seller(&a, "DELETE", &format!("{promotions}/{promo}"), None)
        .await;
    assert_eq!(status, 200, "{deleted}");
    assert!(
        deleted["impact"]["margin_impact"]["minor"]
            .as_i64()
            .unwrap()
            < 0
    );
    let during = fx.json(&public(starts.add_seconds(60).unwrap()), 200).await;
    assert!(during["promotion"].is_null());
    assert_eq!(during["price"]["minor"], 4000);
}

#[tokio::test]
async fn inbound_shipments_become_stock_at_their_eta() {
    let fx = Fixture::with_sellers().await;
    let a = fx.sign_in("jadeleaf").await;
    let id = plain_listing(&fx, "jadeleaf", "semi_managed").await;
    let detail = get(&fx, &a, &uri(id)).await;
    let on_hand = stock_in(&detail, "us-3pl-ca");
    let eta = now().add_seconds(3 * 86_400).unwrap();
    let inbound = format!("{}/inbound", uri(id));
    let (status, created) = fx
        .as_seller(
            &a,
            "POST",
            &inbound,
            Some(&json!({"warehouse": "us-3pl-ca", "quantity": 250, "eta": eta.to_string()})),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let doc = fx.json("/api/openapi.json", 200).await;
    let problems = schema_problems(&doc, "InboundResponse", &created);
    assert!(problems.is_empty(), "{problems:#?}");
    let shipment = created["shipment"]["id"].as_i64().unwrap();
    let listing = &created["listing"];
    assert_eq!(listing["inbound_total"], 250);
    let ca = listing["stock"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["warehouse"] == "us-3pl-ca")
        .unwrap();
    assert_eq!(ca["inbound"][0]["quantity"], 250);
    assert_eq!(ca["on_hand"], on_hand);
    let version = listing["version"].as_i64().unwrap();

    // Refused shipments name the field.
    for (body, field) in [
        (
            json!({"warehouse": "us-3pl-nj", "quantity": 5, "eta": eta.to_string()}),
            "warehouse",
        ),
        (
            json!({"warehouse": "cn-gz", "quantity": 5, "eta": eta.to_string()}),
            "warehouse",
        ),
        (
            json!({"warehouse": "kr-local", "quantity": 5, "eta": eta.to_string()}),
            "warehouse",
        ),
        (
            json!({"warehouse": "us-3pl-ca", "quantity": 0, "eta": eta.to_string()}),
            "quantity",
        ),
        (
            json!({"warehouse": "us-3pl-ca", "quantity": 2.5, "eta": eta.to_string()}),
            "quantity",
        ),
        (
            json!({"warehouse": "us-3pl-ca", "quantity": 5, "eta": "2020-01-01T00:00:00Z"}),
            "eta",
        ),
        (
            json!({"warehouse": "us-3pl-ca", "quantity": 5, "eta": "next week"}),
            "eta",
        ),
    ] {
        let (status, answer) = fx.as_seller(&a, "POST", &inbound, Some(&body)).await;
        assert_error(status, &answer, 422, "unprocessable_entity", Some(field));
    }

    // Not yet at the ETA: nothing moves.
    assert_eq!(
        receive_arrivals(&fx.state.db, eta.add_seconds(-1).unwrap())
            .await
            .unwrap(),
        0
    );
    let (q,): (i64,) = sqlx::query_as(
        "SELECT quantity FROM listing_stock WHERE listing_id = $1 AND warehouse = 'us-3pl-ca'",
    )
    .bind(id)
    .fetch_one(&fx.state.db)
    .await
    .unwrap();
    assert_eq!(q, on_hand);
    // At the ETA it is stock on hand, once.
    assert_eq!(receive_arrivals(&fx.state.db, eta).await.unwrap(), 1);
    assert_eq!(
        receive_arrivals(&fx.state.db, eta.add_seconds(60).unwrap())
            .await
            .unwrap(),
        0
    );
    let after = get(&fx, &a, &uri(id)).await;
    assert_eq!(stock_in(&after, "us-3pl-ca"), on_hand + 250);
    assert_eq!(after["inbound_total"], 0);
    assert_eq!(after["version"], version + 1);
    // A form opened before the arrival cannot overwrite it.
    let (status, conflict) = put(
        &fx,
        &a,
        id,
        json!({"version": version, "stock": [{"warehouse": "us-3pl-ca", "on_hand": on_hand}]}),
    )
    .await;
    assert_error(status, &conflict, 409, "conflict", Some("version"));
    assert_eq!(stock_in(&conflict["current"], "us-3pl-ca"), on_hand + 250);
    // The arrival is in the log, by the system.
    let log = get(
        &fx,
        &a,
        &format!("/api/seller/audit?listing={id}&kind=inbound"),
    )
    .await;
    let received = &log["items"][0];
    assert_eq!(received["action"], "received");
    assert_eq!(received["actor"], "system");
    assert_eq!(received["warehouse"], "us-3pl-ca");
    assert_eq!(received["before"]["on_hand"], on_hand);
    assert_eq!(received["after"]["on_hand"], on_hand + 250);
    assert_eq!(log["items"][1]["action"], "create");
    // A received shipment cannot be withdrawn.
    let (status, answer) = fx
        .as_seller(&a, "DELETE", &format!("{inbound}/{shipment}"), None)
        .await;
    assert_error(status, &answer, 409, "conflict", None);

    // A pending one can; it never becomes stock.
    let (status, second) = fx
        .as_seller(
            &a,
            "POST",
            &inbound,
            Some(&json!({"warehouse": "us-3pl-ca", "quantity": 40, "eta": eta.to_string()})),
        )
        .await;
    assert_eq!(status, 201, "{second}");
    let second = second["shipment"]["id"].as_i64().unwrap();
    let (status, withdrawn) = fx
        .as_seller(&a, "DELETE", &format!("{inbound}/{second}"), None)
        .await;
    assert_eq!(status, 200, "{withdrawn}");
    assert_eq!(withdrawn["listing"]["inbound_total"], 0);
    assert_eq!(
        receive_arrivals(&fx.state.db, eta.add_seconds(86_400).unwrap())
            .await
            .unwrap(),
        0
    );

    // Seller reads receive what is due themselves: a shipment due now arrives on the
    // next read, and the storefront shows it.
    sqlx::query(
        "INSERT INTO inbound_shipments (listing_id, warehouse, quantity, eta, created_at) \
         VALUES ($1, 'us-3pl-ca', 5, $2, $2)",
    )
    .bind(id)
    .bind(now().add_seconds(-5).unwrap().to_string())
    .execute(&fx.state.db)
    .await
    .unwrap();
    let read = get(&fx, &a, &uri(id)).await;
    assert_eq!(stock_in(&read, "us-3pl-ca"), on_hand + 255);
}

#[tokio::test]
async fn a_warehouse_running_out_moves_the_storefronts_promise_to_the_next_route() {
    let fx = Fixture::with_sellers().await;
    let net = fx.state.network.network();
    let seller = fx.sign_in("northpeak").await;
    // A platform-local listing with ten or more units in at least two US warehouses.
    let id = id_of(
        &fx,
        "SELECT l.id FROM listings l WHERE l.seller_id = 'northpeak' AND l.mode = 'platform_local' \
         AND (SELECT COUNT(*) FROM listing_stock s WHERE s.listing_id = l.id \
              AND s.warehouse IN ('us-west', 'us-central', 'us-east') AND s.quantity >= 10) >= 2 \
         ORDER BY l.id LIMIT 1",
    )
    .await;
    let at = now();
    let public = format!("/api/listings/{id}?market=US&zone=us-ne&now={at}");
    // The promise the browser's engine makes from the public listing.
    let promise = |listing: &Value| -> String {
        let engine: Listing = serde_json::from_value(json!({
            "weight_g": listing["weight_g"],
            "dims_mm": listing["dims_mm"],
            "category": listing["category"],
            "mode": listing["mode"],
            "stock": listing["stock"],
            "unit_price": listing["price"],
        }))
        .unwrap();
        let est = Estimator::new(
            net,
            &Destination {
                market: "US".into(),
                postal_code: None,
                zone: Some("us-ne".into()),
            },
            at,
        )
        .unwrap();
        let p = est.promise(&engine, 1).expect("a route");
        est.promise_warehouse(&p).unwrap().id.clone()
    };
    let before = fx.json(&public, 200).await;
    let chosen = promise(&before);
    assert_eq!(before["delivery"]["ships_from"], chosen.as_str());
    let detail = get(&fx, &seller, &uri(id)).await;
    let (status, saved) = put(
        &fx,
        &seller,
        id,
        json!({"version": detail["version"], "stock": [{"warehouse": chosen, "on_hand": 0}]}),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    // The public listing shows it at once, and the engine picks another warehouse.
    let after = fx.json(&public, 200).await;
    let stock = after["stock"].as_array().unwrap();
    assert_eq!(
        stock
            .iter()
            .find(|s| s["warehouse"] == chosen.as_str())
            .unwrap()["quantity"],
        0
    );
    let next = promise(&after);
    assert_ne!(next, chosen);
    assert_eq!(after["delivery"]["ships_from"], next.as_str());
    assert!(
        stock
            .iter()
            .any(|s| s["warehouse"] == next.as_str() && s["quantity"].as_u64().unwrap() >= 1),
        "{stock:?}"
    );
    // Public stock stays capped.
    assert!(stock.iter().all(|s| s["quantity"].as_u64().unwrap() <= 10));
}

#[tokio::test]
async fn the_sku_table_searches_filters_sorts_and_pages() {
    let fx = Fixture::with_sellers().await;
    let a = fx.sign_in("jadeleaf").await;
    let all = get(&fx, &a, "/api/seller/listings?per_page=200").await;
    let items = all["items"].as_array().unwrap();
    let total = all["total"].as_u64().unwrap();
    assert_eq!(items.len() as u64, total.min(200));
    let doc = fx.json("/api/openapi.json", 200).await;
    let problems = schema_problems(&doc, "SellerListingPage", &all);
    assert!(problems.is_empty(), "{problems:#?}");
    // Default: by SKU.
    let skus: Vec<&str> = items.iter().map(|i| i["sku"].as_str().unwrap()).collect();
    let mut sorted = skus.clone();
    sorted.sort_unstable();
    assert_eq!(skus, sorted);

    let semi = get(
        &fx,
        &a,
        "/api/seller/listings?mode=semi_managed&per_page=200",
    )
    .await;
    assert!(
        semi["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["mode"] == "semi_managed")
    );
    let gb = get(&fx, &a, "/api/seller/listings?market=gb&per_page=200").await;
    assert!(gb["items"].as_array().unwrap().iter().all(|i| {
        i["markets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["market"] == "GB")
    }));
    assert!(gb["total"].as_u64().unwrap() < total);
    let low = get(&fx, &a, "/api/seller/listings?low_stock=true&per_page=200").await;
    assert!(low["total"].as_u64().unwrap() > 0);
    assert!(
        low["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["low_stock"] == true
                && i["stock_total"].as_i64().unwrap() + i["inbound_total"].as_i64().unwrap() <= 10)
    );
    let negative = get(
        &fx,
        &a,
        "/api/seller/listings?negative_margin=true&per_page=200",
    )
    .await;
    assert!(negative["items"].as_array().unwrap().iter().all(|i| {
        i["markets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["margin"]["minor"].as_i64().is_some_and(|x| x < 0))
    }));
    let word = items[0]["title"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .last()
        .unwrap()
        .to_lowercase();
    let found = get(
        &fx,
        &a,
        &format!(
            "/api/seller/listings?q={}&per_page=200",
            word.replace(' ', "+")
        ),
    )
    .await;
    assert!(found["items"].as_array().unwrap().iter().all(|i| {
        i["title"].as_str().unwrap().to_lowercase().contains(&word)
            || i["sku"].as_str().unwrap().to_lowercase().contains(&word)
    }));
    let by_sku = get(
        &fx,
        &a,
        &format!(
            "/api/seller/listings?q={}",
            items[3]["sku"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(by_sku["total"], 1);

    let stock = get(
        &fx,
        &a,
        "/api/seller/listings?sort=stock&dir=desc&per_page=200",
    )
    .await;
    let figures: Vec<i64> = stock["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["stock_total"].as_i64().unwrap())
        .collect();
    assert!(figures.windows(2).all(|w| w[0] >= w[1]), "{figures:?}");
    let margin = get(
        &fx,
        &a,
        "/api/seller/listings?sort=margin&market=US&per_page=200",
    )
    .await;
    let margins: Vec<i64> = margin["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| {
            i["markets"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["market"] == "US")
                .unwrap()["margin_bp"]
                .as_i64()
        })
        .collect();
    assert!(margins.windows(2).all(|w| w[0] <= w[1]), "{margins:?}");

    let page2 = get(&fx, &a, "/api/seller/listings?per_page=10&page=2").await;
    assert_eq!(page2["items"][0]["id"], items[10]["id"]);
    for (query, field) in [
        ("sort=price", "sort"),
        ("dir=up", "dir"),
        ("low_stock=yes", "low_stock"),
        ("mode=air", "mode"),
        ("market=XX", "market"),
        ("per_page=500", "per_page"),
        ("colour=red", "colour"),
    ] {
        let (status, answer) = fx
            .as_seller(&a, "GET", &format!("/api/seller/listings?{query}"), None)
            .await;
        assert_error(status, &answer, 400, "bad_request", Some(field));
    }
    // A running promotion shows in its market's row.
    let promoted = id_of(
        &fx,
        "SELECT MIN(p.listing_id) FROM promotions p JOIN listings l ON l.id = p.listing_id \
         WHERE l.seller_id = 'jadeleaf' AND p.label = 'Clearance'",
    )
    .await;
    let row = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == promoted)
        .unwrap();
    assert!(
        row["markets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["promotion"]["label"] == "Clearance"),
        "{row}"
    );
}

#[tokio::test]
async fn the_detail_and_the_pricing_rules_fit_the_document() {
    let fx = Fixture::with_sellers().await;
    let a = fx.sign_in("jadeleaf").await;
    let doc = fx.json("/api/openapi.json", 200).await;
    for id in [
        plain_listing(&fx, "jadeleaf", "semi_managed").await,
        id_of(&fx, "SELECT MIN(id) FROM listings WHERE seller_id = 'jadeleaf' AND mode = 'fully_managed'").await,
        id_of(&fx, "SELECT MIN(p.listing_id) FROM promotions p JOIN listings l ON l.id = p.listing_id WHERE l.seller_id = 'jadeleaf' AND p.label = 'Black Friday'").await,
    ] {
        let detail = get(&fx, &a, &uri(id)).await;
        let problems = schema_problems(&doc, "SellerListingDetail", &detail);
        assert!(problems.is_empty(), "{id}: {problems:#?}");
        // Read before the table: its margins are computed for the detail.
        for p in detail["prices"].as_array().unwrap() {
            assert!(p["margin_as_of"].is_string(), "{p}");
            assert!(p["margin"].is_object() || p["margin_error"].is_string(), "{p}");
        }
        assert_eq!(detail["pricing"].as_array().unwrap().len(), detail["prices"].as_array().unwrap().len());
        for market in detail["pricing"].as_array().unwrap() {
            let columns = market["result"]["columns"].as_array().unwrap();
            assert_eq!(columns.len(), 3);
            for c in columns {
                if c["status"] == "priced" {
                    for w in c["pricing"]["warnings"].as_array().unwrap() {
                        assert!(!w["message"].as_str().unwrap().is_empty());
                    }
                }
            }
        }
    }
    // Every seller endpoint is in the document with its errors.
    for (path, method, statuses) in [
        ("/api/seller/listings", "get", &["200", "400", "401"][..]),
        (
            "/api/seller/listings/{id}",
            "get",
            &["200", "401", "404"][..],
        ),
        (
            "/api/seller/listings/{id}",
            "put",
            &["200", "401", "403", "404", "409", "422"][..],
        ),
        (
            "/api/seller/listings/{id}/promotions",
            "post",
            &["201", "401", "403", "404", "422"][..],
        ),
        (
            "/api/seller/listings/{id}/promotions/{promotion}",
            "delete",
            &["200", "401", "403", "404", "409"][..],
        ),
        (
            "/api/seller/listings/{id}/inbound",
            "post",
            &["201", "401", "403", "404", "422"][..],
        ),
        (
            "/api/seller/listings/{id}/inbound/{shipment}",
            "delete",
            &["200", "401", "403", "404", "409"][..],
        ),
        ("/api/seller/pricing-rules", "get", &["200", "401"][..]),
        (
            "/api/seller/audit",
            "get",
            &["200", "400", "401", "404"][..],
        ),
    ] {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{path} {method}");
        for s in statuses {
            assert!(op["responses"][s].is_object(), "{path} {method} {s}");
        }
        assert!(op["security"].is_array(), "{path} {method}");
    }
    assert_eq!(
        doc["paths"]["/api/seller/listings/{id}"]["put"]["responses"]["409"]["content"]["application/json"]
            ["schema"]["$ref"],
        "#/components/schemas/ConflictResponse"
    );
    // The pricing rules, byte for byte, revalidated by ETag.
    let request = axum::http::Request::get("/api/seller/pricing-rules")
        .header("cookie", &a.cookie)
        .body(axum::body::Body::empty())
        .unwrap();
    let (response, bytes) = fx.send(request).await;
    assert_eq!(response.status(), 200);
    let file = std::fs::read(Path::new(NETWORK).with_file_name("pricing.json")).unwrap();
    assert_eq!(bytes, file);
    let etag = common::header(&response, "etag").to_owned();
    let request = axum::http::Request::get("/api/seller/pricing-rules")
        .header("cookie", &a.cookie)
        .header("if-none-match", &etag)
        .body(axum::body::Body::empty())
        .unwrap();
    let (response, _) = fx.send(request).await;
    assert_eq!(response.status(), 304);
}

#[test]
fn a_bad_pricing_file_is_a_start_error_naming_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    let network = load_network(Path::new(NETWORK)).unwrap();
    let good = std::fs::read_to_string(Path::new(NETWORK).with_file_name("pricing.json")).unwrap();
    let mut file: Value = serde_json::from_str(&good).unwrap();
    file["markets"][0]["currency"] = json!("EUR");
    file["markets"][2]["payment"]["rate_bp"] = json!(9_000);
    let path = dir.path().join("pricing.json");
    std::fs::write(&path, serde_json::to_string_pretty(&file).unwrap()).unwrap();
    let error = load_pricing(&path, network.network()).unwrap_err();
    assert!(matches!(error, StartError::PricingInvalid { .. }));
    let message = error.to_string();
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(
        lines[0],
        format!("the pricing rules file {} cannot be used:", path.display())
    );
    assert!(
        lines
            .iter()
            .any(|l| l.trim_start().starts_with("markets[0].currency")),
        "{message}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.trim_start().starts_with("markets[2].payment.rate_bp")),
        "{message}"
    );
    assert!(
        message.ends_with("(or use another file: --pricing PATH)."),
        "{message}"
    );

    std::fs::write(&path, "{ not json").unwrap();
    let message = load_pricing(&path, network.network())
        .unwrap_err()
        .to_string();
    assert!(message.contains("line 1"), "{message}");
    let message = load_pricing(&dir.path().join("missing.json"), network.network())
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("cannot read the pricing rules file"),
        "{message}"
    );
    assert!(message.contains("--pricing PATH"), "{message}");

    // The binary refuses to start with it, exit status 1, the problems on stderr.
    std::fs::write(&path, serde_json::to_string_pretty(&file).unwrap()).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_crossdock-server"))
        .current_dir(dir.path())
        .env_remove("CROSSDOCK_PRICING")
        .env_remove("CROSSDOCK_NETWORK")
        .env_remove("CROSSDOCK_DB")
        .env_remove("DATABASE_URL")
        .env_remove("PORT")
        .args([
            "--network",
            NETWORK,
            "--pricing",
            "pricing.json",
            "--db",
            "var/x.sqlite",
            "--port",
            "0",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(
            "crossdock-server: error: the pricing rules file pricing.json cannot be used:"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("markets[2].payment.rate_bp"), "{stderr}");
}
