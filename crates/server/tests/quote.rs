//! `POST /api/quote`: it agrees exactly with `crossdock_core` run on the public listing
//! data (what the browser does), re-prices with running promotions (a voucher once per
//! line, free shipping from a threshold), and refuses bad input with the one error shape.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::Fixture;
use crossdock_core::engine::{Destination, Listing, QuoteRequest, StockLine};
use crossdock_core::pricing::{OrderLine, PromotionKind};
use crossdock_core::{Instant, Money};
use serde_json::{Value, json};

const NOW: &str = "2026-11-24T12:00:00Z";

fn engine_listing(item: &Value) -> Listing {
    Listing {
        weight_g: item["weight_g"].as_u64().unwrap() as u32,
        dims_mm: serde_json::from_value(item["dims_mm"].clone()).unwrap(),
        category: item["category"].as_str().unwrap().to_owned(),
        mode: serde_json::from_value(item["mode"].clone()).unwrap(),
        stock: serde_json::from_value::<Vec<StockLine>>(item["stock"].clone()).unwrap(),
        unit_price: Some(serde_json::from_value::<Money>(item["price"].clone()).unwrap()),
    }
}

#[tokio::test]
async fn the_quote_equals_the_engine_run_on_the_public_listing() {
    let fx = Fixture::without_dist().await;
    let net = fx.state.network.network();
    let cases = [
        ("US", "us-ne", NOW),
        ("US", "us-pac", NOW),
        ("US", "us-hi", "2026-11-26T03:00:00Z"),
        ("DE", "de-south", NOW),
        ("GB", "gb-highlands", "2026-12-23T16:59:00Z"),
        ("KR", "kr-jeju", NOW),
        ("ZA", "za-western-cape", NOW),
        ("AE", "ae-north", "2027-02-10T08:00:00Z"),
    ];
    let mut compared = 0;
    let mut splits = 0;
    let mut unavailable = 0;
    for (market, zone, now) in cases {
        for page in [1, 7] {
            let body = fx
                .json(
                    &format!(
                        "/api/listings?market={market}&zone={zone}&now={now}&per_page=50&page={page}&sort=newest"
                    ),
                    200,
                )
                .await;
            let items = body["items"].as_array().unwrap();
            let lines: Vec<Value> = items
                .iter()
                .enumerate()
                .map(|(i, item)| json!({"listing_id": item["id"], "quantity": 1 + (i % 10)}))
                .collect();
            let (status, answer) = fx
                .post_json(
                    "/api/quote",
                    &json!({"market": market, "zone": zone, "now": now, "lines": lines}),
                )
                .await;
            assert_eq!(status, 200, "{answer}");
            assert_eq!(answer["now"], now);
            for (i, item) in items.iter().enumerate() {
                let quantity = 1 + (i % 10) as u32;
                let listing = engine_listing(item);
                let direct = crossdock_core::quote(
                    net,
                    &QuoteRequest {
                        listing: listing.clone(),
                        destination: Destination {
                            market: market.into(),
                            postal_code: None,
                            zone: Some(zone.into()),
                        },
                        quantity,
                        now: Instant::parse(now).unwrap(),
                    },
                )
                .unwrap();
                let line = &answer["lines"][i];
                assert_eq!(line["listing_id"], item["id"]);
                assert_eq!(
                    line["engine_input"],
                    serde_json::to_value(&listing).unwrap()
                );
                assert_eq!(
                    line["quote"],
                    serde_json::to_value(&direct).unwrap(),
                    "{market} {zone} listing {} × {quantity}",
                    item["id"]
                );
                // The card's one-unit promise is the engine's plan for one unit.
                if quantity == 1 {
                    match &direct.plan {
                        Some(plan) => {
                            assert_eq!(
                                item["delivery"]["earliest"],
                                plan.window.earliest.to_string()
                            );
                            assert_eq!(item["delivery"]["latest"], plan.window.latest.to_string());
                        }
                        None => assert!(item["delivery"].is_null(), "{item}"),
                    }
                }
                match &direct.plan {
                    Some(plan) if plan.parts.len() > 1 => splits += 1,
                    None => unavailable += 1,
                    _ => {}
                }
                compared += 1;
            }
        }
    }
    assert!(compared >= 700, "{compared}");
    // The sample exercises split shipments and listings nothing can ship.
    assert!(splits > 0, "no split shipment among {compared}");
    assert!(unavailable > 0, "every listing could ship");
}

#[tokio::test]
async fn the_cart_is_repriced_at_the_instant_asked() {
    let fx = Fixture::without_dist().await;
    let page = fx
        .json(
            &format!("/api/listings?market=GB&now={NOW}&per_page=100"),
            200,
        )
        .await;
    let item = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| !i["promotion"].is_null() && i["availability"] == "in_stock")
        .unwrap()
        .clone();
    let id = item["id"].clone();
    let quote = |now: &'static str, quantity: u32| json!({"market": "GB", "zone": "gb-london", "now": now, "lines": [{"listing_id": id, "quantity": quantity}]});
    let (status, during) = fx.post_json("/api/quote", &quote(NOW, 3)).await;
    assert_eq!(status, 200, "{during}");
    let line = &during["lines"][0];
    assert_eq!(line["unit_price"], item["price"]);
    assert_eq!(line["list_price"], item["list_price"]);
    assert_eq!(line["promotion"], item["promotion"]);
    let unit = line["unit_price"]["minor"].as_i64().unwrap();
    assert_eq!(line["line_total"]["minor"].as_i64().unwrap(), unit * 3);
    assert_eq!(during["subtotal"], line["line_total"]);
    assert_eq!(during["free_shipping_over"]["currency"], "GBP");
    assert_eq!(line["engine_input"]["unit_price"], line["unit_price"]);

    let (_, before) = fx
        .post_json("/api/quote", &quote("2026-10-01T00:00:00Z", 3))
        .await;
    let line = &before["lines"][0];
    assert_eq!(line["unit_price"], item["list_price"]);
    assert!(line["list_price"].is_null() && line["promotion"].is_null());

    // Without `now`, the server's clock.
    let (status, live) = fx
        .post_json(
            "/api/quote",
            &json!({"market": "GB", "zone": "gb-london", "lines": [{"listing_id": id, "quantity": 1}]}),
        )
        .await;
    assert_eq!(status, 200);
    assert!(live["now"].as_str().unwrap() > "2026-01-01");
}

#[tokio::test]
async fn bad_quote_requests_say_what_to_fix() {
    let fx = Fixture::without_dist().await;
    let sold_in_us_only = fx
        .json(
            &format!("/api/listings?market=US&mode=semi_managed&now={NOW}&per_page=1"),
            200,
        )
        .await["items"][0]["id"]
        .clone();
    let ok_line = json!({"listing_id": 1, "quantity": 1});
    let cases: Vec<(Value, u16, &str, Option<&str>, &str)> = vec![
        (
            json!({"market": "US", "zone": "us-ne", "lines": [{"listing_id": 999999, "quantity": 1}]}),
            422,
            "unprocessable_entity",
            Some("lines[0].listing_id"),
            "does not exist",
        ),
        (
            json!({"market": "US", "zone": "us-ne", "lines": [ok_line, {"listing_id": 2, "quantity": 0}]}),
            422,
            "unprocessable_entity",
            Some("lines[1].quantity"),
            "from 1 to 10",
        ),
        (
            json!({"market": "US", "zone": "us-ne", "lines": [{"listing_id": 2, "quantity": 11}]}),
            422,
            "unprocessable_entity",
            Some("lines[0].quantity"),
            "from 1 to 10",
        ),
        (
            json!({"market": "US", "zone": "us-ne", "lines": [{"listing_id": 2, "quantity": -1}]}),
            422,
            "unprocessable_entity",
            Some("lines[0].quantity"),
            "from 1 to 10",
        ),
        (
            json!({"market": "US", "zone": "us-ne", "lines": [{"listing_id": 2, "quantity": "two"}]}),
            422,
            "unprocessable_entity",
            Some("lines[0].quantity"),
            "invalid type",
        ),
        (
            json!({"market": "US", "zone": "us-ne", "lines": [{"listing_id": 2}]}),
            422,
            "unprocessable_entity",
            Some("lines[0]"),
            "missing field `quantity`",
        ),
        (
            json!({"market": "US", "zone": "us-ne", "lines": []}),
            422,
            "unprocessable_entity",
            Some("lines"),
            "add at least one",
        ),
        (
            json!({"market": "US", "zone": "us-ne", "lines": (0..51).map(|i| json!({"listing_id": i + 1, "quantity": 1})).collect::<Vec<_>>()}),
            422,
            "unprocessable_entity",
            Some("lines"),
            "more than 50",
        ),
        (
            json!({"market": "US", "zone": "us-ne", "lines": [ok_line, ok_line]}),
            422,
            "unprocessable_entity",
            Some("lines[1].listing_id"),
            "more than once",
        ),
        (
            json!({"market": "FR", "zone": "us-ne", "lines": [ok_line]}),
            422,
            "unprocessable_entity",
            Some("market"),
            "unknown market \"FR\"",
        ),
        (
            json!({"market": "US", "zone": "de-east", "lines": [ok_line]}),
            422,
            "unprocessable_entity",
            Some("zone"),
            "not a delivery zone of US",
        ),
        (
            json!({"market": "US", "zone": "us-ne", "now": "soon", "lines": [ok_line]}),
            422,
            "unprocessable_entity",
            Some("now"),
            "not an instant",
        ),
        (
            json!({"market": "US", "zone": "us-ne", "postal_code": "10001", "lines": [ok_line]}),
            422,
            "unprocessable_entity",
            None,
            "unknown field `postal_code`",
        ),
        (
            json!({"market": "KR", "zone": "kr-capital", "lines": [{"listing_id": sold_in_us_only, "quantity": 1}]}),
            422,
            "unprocessable_entity",
            Some("lines[0].listing_id"),
            "not sold in South Korea",
        ),
        (
            json!(["not", "an", "object"]),
            422,
            "unprocessable_entity",
            None,
            "expected struct",
        ),
    ];
    for (body, status, code, field, words) in cases {
        let (got, answer) = fx.post_json("/api/quote", &body).await;
        assert_eq!(got, status, "{body}: {answer}");
        assert_eq!(answer["error"]["code"], code, "{body}");
        if let Some(field) = field {
            assert_eq!(answer["error"]["field"], field, "{body}: {answer}");
        }
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(message.contains(words), "{body}: {message}");
    }

    // Malformed JSON, the wrong content type, no body, a body too large.
    let good =
        br#"{"market":"US","zone":"us-ne","lines":[{"listing_id":1,"quantity":1}]}"#.to_vec();
    for (content_type, body, status, code) in [
        (
            "application/json",
            b"{\"market\": \"US\",".to_vec(),
            400,
            "bad_request",
        ),
        (
            "application/json",
            b"{market: US}".to_vec(),
            400,
            "bad_request",
        ),
        ("application/json", Vec::new(), 400, "bad_request"),
        (
            "application/json",
            [good.clone(), b"{}".to_vec()].concat(),
            400,
            "bad_request",
        ),
        ("text/plain", good.clone(), 415, "unsupported_media_type"),
        (
            "application/x-www-form-urlencoded",
            b"market=US".to_vec(),
            415,
            "unsupported_media_type",
        ),
        ("", good.clone(), 415, "unsupported_media_type"),
        (
            "application/json",
            vec![b' '; 70_000],
            413,
            "payload_too_large",
        ),
    ] {
        let (got, answer) = fx.post_raw("/api/quote", content_type, body).await;
        assert_eq!(got, status, "{content_type}: {answer}");
        assert_eq!(answer["error"]["code"], code);
        assert!(answer["error"]["message"].as_str().unwrap().len() > 20);
    }
    let (got, answer) = fx
        .post_raw("/api/quote", "application/json; charset=utf-8", good)
        .await;
    assert_eq!(got, 200, "{answer}");

    // The wrong method.
    let body = fx.json("/api/quote", 405).await;
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

/// Writes a seller-panel promotion of `listing` in the US into the database, as
/// `POST /api/seller/listings/{id}/promotions` does (tests need dates in the past too),
/// and reloads the storefront's catalog.
async fn promote(
    fx: &Fixture,
    listing: i64,
    kind: &str,
    amount: Option<i64>,
    threshold: Option<i64>,
    from: &str,
    to: &str,
) {
    sqlx::query(
        "INSERT INTO promotions (id, listing_id, market, kind, label, price_minor, starts_at, \
         ends_at, funded_by, amount_minor, threshold_minor, created_at) \
         VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM promotions), $1, 'US', $2, $3, \
         (SELECT price_minor FROM listing_prices WHERE listing_id = $1 AND market = 'US'), \
         $4, $5, 'seller', $6, $7, $4)",
    )
    .bind(listing)
    .bind(kind)
    .bind(format!("{kind} test"))
    .bind(from)
    .bind(to)
    .bind(amount)
    .bind(threshold)
    .execute(&fx.state.db)
    .await
    .unwrap();
    fx.state
        .catalog
        .reload(&fx.state.db, fx.state.network.network())
        .await
        .unwrap();
}

/// `n` in-stock US listings with a warehouse holding at least 4 units, deliverable to
/// us-ne, priced from $9 to $11 (so 3 units stay under the US free-delivery threshold of
/// $35 and 4 reach it), with no promotion at all.
async fn plain_us_listings(fx: &Fixture, n: usize) -> Vec<Value> {
    let mut out = Vec::new();
    for page in 1..=30 {
        let body = fx
            .json(
                &format!("/api/listings?market=US&zone=us-ne&now={NOW}&per_page=100&sort=price_asc&page={page}"),
                200,
            )
            .await;
        for item in body["items"].as_array().unwrap() {
            let price = item["price"]["minor"].as_i64().unwrap();
            if price > 1100 {
                panic!("fewer than {n} plain listings from $9 to $11");
            }
            let stocked = item["stock"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["quantity"].as_u64().unwrap() >= 4);
            if price < 900 || !stocked || item["delivery"].is_null() || !item["promotion"].is_null()
            {
                continue;
            }
            let detail = fx
                .json(
                    &format!("/api/listings/{}?market=US&now={NOW}", item["id"]),
                    200,
                )
                .await;
            if detail["promotions"].as_array().unwrap().is_empty() {
                out.push(item.clone());
            }
            if out.len() == n {
                return out;
            }
        }
    }
    panic!("fewer than {n} plain listings from $9 to $11");
}

/// What the browser works out for a line from the public listing: the engine on it, and
/// the promotion the listing shows applied with crates/core's `OrderLine`.
fn browser_line(
    net: &crossdock_core::Network,
    item: &Value,
    quantity: u32,
    now: &str,
) -> (OrderLine, crossdock_core::Quote) {
    let money = |v: &Value| serde_json::from_value::<Money>(v.clone()).ok();
    let promo = &item["promotion"];
    let effect = match (
        money(&promo["voucher"]),
        money(&promo["free_shipping_over"]),
    ) {
        (Some(amount), _) => Some(PromotionKind::Voucher { amount }),
        (None, Some(threshold)) => Some(PromotionKind::FreeShippingOver { threshold }),
        _ => None,
    };
    let listing = engine_listing(item);
    let order = OrderLine::new(listing.unit_price.unwrap(), quantity, effect.as_ref()).unwrap();
    let mut quote = crossdock_core::quote(
        net,
        &QuoteRequest {
            listing,
            destination: Destination {
                market: "US".into(),
                postal_code: None,
                zone: Some("us-ne".into()),
            },
            quantity,
            now: Instant::parse(now).unwrap(),
        },
    )
    .unwrap();
    if effect.is_some() {
        order.settle_fees(net, &mut quote);
    }
    (order, quote)
}

/// Quotes `id` × each quantity in the US at `now`; the lines, and the listing as its card
/// shows it at `now`.
async fn quote_each(
    fx: &Fixture,
    id: &Value,
    quantities: &[u32],
    now: &str,
) -> (Vec<Value>, Value) {
    let mut lines = Vec::new();
    for q in quantities {
        let (status, answer) = fx
            .post_json(
                "/api/quote",
                &json!({"market": "US", "zone": "us-ne", "now": now, "lines": [{"listing_id": id, "quantity": q}]}),
            )
            .await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["subtotal"], answer["lines"][0]["line_total"]);
        lines.push(answer["lines"][0].clone());
    }
    let page = fx
        .json(
            &format!("/api/listings/{id}?market=US&zone=us-ne&now={now}"),
            200,
        )
        .await;
    (lines, page)
}

fn fee(line: &Value) -> i64 {
    line["quote"]["plan"]["shopper_fee"]["minor"]
        .as_i64()
        .unwrap()
}

fn minor(v: &Value) -> i64 {
    v["minor"].as_i64().unwrap()
}

#[tokio::test]
async fn a_free_shipping_promotion_waives_the_delivery_fee_from_its_threshold_on() {
    let fx = Fixture::without_dist().await;
    let net = fx.state.network.network();
    let standard = net
        .file
        .markets
        .iter()
        .find(|m| m.id == "US")
        .unwrap()
        .shopper_fee
        .standard_minor;
    let item = plain_us_listings(&fx, 1).await.remove(0);
    let id = item["id"].clone();
    let price = minor(&item["price"]);
    // Two units reach it, one does not; three units stay under the market's own $35.
    let threshold = 2 * price;
    promote(
        &fx,
        id.as_i64().unwrap(),
        "free_shipping_over",
        None,
        Some(threshold),
        "2026-11-20T00:00:00Z",
        "2026-11-30T00:00:00Z",
    )
    .await;

    let (lines, page) = quote_each(&fx, &id, &[1, 2, 3], NOW).await;
    // The card: the price is not lowered, the threshold is shown.
    assert_eq!(page["price"], item["price"]);
    assert!(page["list_price"].is_null());
    assert_eq!(page["promotion"]["kind"], "free_shipping_over");
    assert_eq!(page["promotion"]["percent_off"], 0);
    assert_eq!(minor(&page["promotion"]["free_shipping_over"]), threshold);
    assert!(page["promotion"]["voucher"].is_null());
    assert_eq!(
        page["promotions"][0]["free_shipping_over"],
        page["promotion"]["free_shipping_over"]
    );
    // Below the threshold the fee is charged; at and above it, nothing.
    let got: Vec<(bool, i64, i64)> = lines
        .iter()
        .map(|l| {
            (
                l["ships_free"].as_bool().unwrap(),
                fee(l),
                minor(&l["line_total"]),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (false, standard, price),
            (true, 0, 2 * price),
            (true, 0, 3 * price)
        ]
    );
    for l in &lines {
        assert_eq!(l["promotion"], page["promotion"]);
        assert!(l["voucher_off"].is_null() && l["list_price"].is_null());
        // Every feasible route carries the same fee as the plan.
        for r in l["quote"]["routes"].as_array().unwrap() {
            if r["status"] == "feasible" {
                assert_eq!(r["shopper_fee"], l["quote"]["plan"]["shopper_fee"]);
            }
        }
    }
    // The browser, from the public listing, works out the same lines.
    for (l, q) in lines.iter().zip([1, 2, 3]) {
        let (order, quote) = browser_line(net, &page, q, NOW);
        assert_eq!(l["quote"], serde_json::to_value(&quote).unwrap());
        assert_eq!(l["ships_free"], order.ships_free);
        assert_eq!(minor(&l["line_total"]), order.total.minor());
    }
}

#[tokio::test]
async fn a_voucher_comes_off_each_order_line_once() {
    let fx = Fixture::without_dist().await;
    let net = fx.state.network.network();
    let us = net.file.markets.iter().find(|m| m.id == "US").unwrap();
    let (standard, free_over) = (
        us.shopper_fee.standard_minor,
        us.shopper_fee.free_over_minor.unwrap(),
    );
    let items = plain_us_listings(&fx, 2).await;
    let (item, small) = (&items[0], &items[1]);
    let (id, price) = (item["id"].clone(), minor(&item["price"]));
    // Just enough to take 4 units under the market's free-delivery threshold.
    let voucher = 4 * price - free_over + 1;
    assert!(voucher > 0 && voucher < price, "{price}");
    promote(
        &fx,
        id.as_i64().unwrap(),
        "voucher",
        Some(voucher),
        None,
        "2026-11-20T00:00:00Z",
        "2026-11-30T00:00:00Z",
    )
    .await;
    // A voucher larger than the price (a later price cut): at most the line.
    let small_price = minor(&small["price"]);
    promote(
        &fx,
        small["id"].as_i64().unwrap(),
        "voucher",
        Some(small_price + 100),
        None,
        "2026-11-20T00:00:00Z",
        "2026-11-30T00:00:00Z",
    )
    .await;

    let (lines, page) = quote_each(&fx, &id, &[1, 3, 4], NOW).await;
    // The card: the regular price, no strike-through, the voucher beside it.
    assert_eq!(page["price"], item["price"]);
    assert!(page["list_price"].is_null());
    assert_eq!(page["promotion"]["kind"], "voucher");
    assert_eq!(page["promotion"]["percent_off"], 0);
    assert_eq!(minor(&page["promotion"]["voucher"]), voucher);
    let got: Vec<(i64, i64, i64, bool)> = lines
        .iter()
        .map(|l| {
            assert_eq!(l["unit_price"], item["price"]);
            (
                minor(&l["voucher_off"]),
                minor(&l["line_total"]),
                fee(l),
                l["ships_free"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (voucher, price - voucher, standard, false),
            (voucher, 3 * price - voucher, standard, false),
            // 4 units at the unit price reach the market's threshold; after the voucher
            // they do not, so the line pays the fee (as the cart does).
            (voucher, 4 * price - voucher, standard, false),
        ]
    );
    for (l, q) in lines.iter().zip([1, 3, 4]) {
        let (order, quote) = browser_line(net, &page, q, NOW);
        assert_eq!(l["quote"], serde_json::to_value(&quote).unwrap());
        assert_eq!(minor(&l["line_total"]), order.total.minor());
        assert_eq!(minor(&l["voucher_off"]), order.voucher_off.minor());
    }

    // Both lines in one cart: each takes its own voucher once; the subtotal sums them.
    let (status, cart) = fx
        .post_json(
            "/api/quote",
            &json!({"market": "US", "zone": "us-ne", "now": NOW, "lines": [
                {"listing_id": id, "quantity": 2},
                {"listing_id": small["id"], "quantity": 1}
            ]}),
        )
        .await;
    assert_eq!(status, 200, "{cart}");
    assert_eq!(minor(&cart["lines"][0]["line_total"]), 2 * price - voucher);
    assert_eq!(minor(&cart["lines"][1]["voucher_off"]), small_price);
    assert_eq!(minor(&cart["lines"][1]["line_total"]), 0);
    assert_eq!(minor(&cart["subtotal"]), 2 * price - voucher);
}

#[tokio::test]
async fn promotions_that_ended_or_have_not_started_change_nothing() {
    let fx = Fixture::without_dist().await;
    let net = fx.state.network.network();
    let standard = net
        .file
        .markets
        .iter()
        .find(|m| m.id == "US")
        .unwrap()
        .shopper_fee
        .standard_minor;
    let items = plain_us_listings(&fx, 2).await;
    let (a, b) = (&items[0], &items[1]);
    let (pa, pb) = (minor(&a["price"]), minor(&b["price"]));
    promote(
        &fx,
        a["id"].as_i64().unwrap(),
        "free_shipping_over",
        None,
        Some(pa),
        "2026-11-01T00:00:00Z",
        "2026-11-24T12:00:00Z",
    )
    .await;
    promote(
        &fx,
        b["id"].as_i64().unwrap(),
        "voucher",
        Some(300),
        None,
        "2026-11-24T12:00:01Z",
        "2026-12-01T00:00:00Z",
    )
    .await;
    for (item, price) in [(a, pa), (b, pb)] {
        let (lines, page) = quote_each(&fx, &item["id"], &[2], NOW).await;
        assert!(page["promotion"].is_null(), "{}", page["promotion"]);
        assert_eq!(page["price"], item["price"]);
        let l = &lines[0];
        assert!(l["promotion"].is_null() && l["voucher_off"].is_null());
        assert_eq!(l["ships_free"], false);
        assert_eq!(minor(&l["line_total"]), 2 * price);
        assert_eq!(fee(l), standard);
        let (_, quote) = browser_line(net, &page, 2, NOW);
        assert_eq!(l["quote"], serde_json::to_value(&quote).unwrap());
    }
    // The scheduled one is listed, not running; the ended one is gone.
    let b_page = fx
        .json(
            &format!("/api/listings/{}?market=US&now={NOW}", b["id"]),
            200,
        )
        .await;
    assert_eq!(b_page["promotions"][0]["running"], false);
    assert_eq!(minor(&b_page["promotions"][0]["voucher"]), 300);
    let a_page = fx
        .json(
            &format!("/api/listings/{}?market=US&now={NOW}", a["id"]),
            200,
        )
        .await;
    assert!(a_page["promotions"].as_array().unwrap().is_empty());
    // A second later the voucher runs.
    let (lines, _) = quote_each(&fx, &b["id"], &[2], "2026-11-24T12:00:01Z").await;
    assert_eq!(minor(&lines[0]["line_total"]), 2 * pb - 300);
}
