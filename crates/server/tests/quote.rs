//! `POST /api/quote`: it agrees exactly with `crossdock_core` run on the public listing
//! data (what the browser does), re-prices with running promotions, and refuses bad input
//! with the one error shape.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::Fixture;
use crossdock_core::engine::{Destination, Listing, QuoteRequest, StockLine};
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
