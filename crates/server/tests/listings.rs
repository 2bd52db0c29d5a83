//! The catalog API in-process: listings (search, filters, sorts, pages), one listing, its
//! pictures, sellers, the error shape for bad input, revalidation, and the OpenAPI
//! document against real responses.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::Request;
use common::{Fixture, header};
use crossdock_core::engine::{Destination, Listing, StockLine};
use crossdock_core::{Estimator, Instant, Money};
use serde_json::{Value, json};

/// The instant the tests price and estimate at: the demo catalog's date, Black Friday week.
const NOW: &str = "2026-11-24T12:00:00Z";

fn list(query: &str) -> String {
    format!("/api/listings?now={NOW}&{query}")
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().unwrap()
}

fn minor(money: &Value) -> i64 {
    money["minor"].as_i64().unwrap()
}

/// The engine's listing built from a public listing response, as the browser builds it.
pub fn engine_listing(item: &Value) -> Listing {
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
async fn a_page_of_listings_has_everything_a_card_needs() {
    let fx = Fixture::without_dist().await;
    let page = fx.json(&list("market=US"), 200).await;
    assert_eq!(page["page"], 1);
    assert_eq!(page["per_page"], 24);
    assert_eq!(page["market"], "US");
    assert_eq!(page["now"], NOW);
    assert!(page["total"].as_u64().unwrap() > 1_500, "{}", page["total"]);
    assert_eq!(items(&page).len(), 24);
    for item in items(&page) {
        assert!(item["title"].as_str().unwrap().len() > 10);
        assert_eq!(item["price"]["currency"], "USD");
        assert_eq!(item["price"]["exponent"], 2);
        assert!(minor(&item["price"]) > 0);
        assert!(item["weight_g"].as_u64().unwrap() > 0);
        assert_eq!(item["dims_mm"].as_array().unwrap().len(), 3);
        assert!(
            ["fully_managed", "semi_managed", "platform_local"]
                .contains(&item["mode"].as_str().unwrap())
        );
        for line in item["stock"].as_array().unwrap() {
            assert!(line["quantity"].as_u64().unwrap() <= 10, "{item}");
        }
        assert!(
            ["in_stock", "low_stock", "sold_out"].contains(&item["availability"].as_str().unwrap())
        );
        assert!(
            item["image"]["url"]
                .as_str()
                .unwrap()
                .starts_with("/api/listings/")
        );
        assert!(item["seller"]["name"].as_str().unwrap().len() > 3);
        // No zone: no delivery estimate.
        assert!(item.get("delivery").is_none());
        // The browser can hand the item to the engine as it is.
        let _ = engine_listing(item);
    }
    // The default order is relevance: sold-out listings come last.
    let all = fx.json(&list("market=US&per_page=100"), 200).await;
    let firsts: Vec<&str> = items(&all)
        .iter()
        .map(|i| i["availability"].as_str().unwrap())
        .collect();
    assert!(!firsts.contains(&"sold_out"), "{firsts:?}");
}

#[tokio::test]
async fn every_market_prices_in_its_own_currency() {
    let fx = Fixture::without_dist().await;
    for (market, currency, exponent) in [
        ("US", "USD", 2),
        ("DE", "EUR", 2),
        ("GB", "GBP", 2),
        ("KR", "KRW", 0),
        ("ZA", "ZAR", 2),
        ("AE", "AED", 2),
    ] {
        let page = fx
            .json(&list(&format!("market={market}&per_page=100")), 200)
            .await;
        assert!(page["total"].as_u64().unwrap() > 500, "{market}");
        for item in items(&page) {
            assert_eq!(item["price"]["currency"], currency);
            assert_eq!(item["price"]["exponent"], exponent);
            if market == "KR" {
                assert_eq!(
                    minor(&item["price"]) % 100,
                    0,
                    "won prices are round: {item}"
                );
            }
        }
    }
    // Lower-case market ids are accepted and answered in the network's spelling.
    let page = fx.json(&list("market=de&per_page=1"), 200).await;
    assert_eq!(page["market"], "DE");
}

#[tokio::test]
async fn bad_query_parameters_say_which_and_how_to_fix_them() {
    let fx = Fixture::without_dist().await;
    let cases: &[(&str, &str, &str)] = &[
        ("/api/listings", "market", "market is required"),
        ("/api/listings?market=FR", "market", "unknown market \"FR\""),
        (
            "/api/listings?market=US&per_page=500",
            "per_page",
            "from 1 to 100",
        ),
        (
            "/api/listings?market=US&per_page=0",
            "per_page",
            "from 1 to 100",
        ),
        ("/api/listings?market=US&page=0", "page", "from 1 to 1000"),
        ("/api/listings?market=US&page=two", "page", "\"two\""),
        ("/api/listings?market=US&sort=cheapest", "sort", "price_asc"),
        (
            "/api/listings?market=US&zone=us-ne&arrives_by=2026-13-01",
            "arrives_by",
            "YYYY-MM-DD",
        ),
        (
            "/api/listings?market=US&zone=us-ne&arrives_by=next+week",
            "arrives_by",
            "YYYY-MM-DD",
        ),
        (
            "/api/listings?market=US&arrives_by=2026-12-01",
            "zone",
            "arrives_by needs",
        ),
        (
            "/api/listings?market=US&sort=fastest",
            "zone",
            "sort=fastest needs",
        ),
        (
            "/api/listings?market=US&zone=us-nowhere",
            "zone",
            "not a delivery zone of US",
        ),
        (
            "/api/listings?market=DE&zone=us-ne",
            "zone",
            "not a delivery zone of DE",
        ),
        (
            "/api/listings?market=US&category=shoes",
            "category",
            "unknown category \"shoes\"",
        ),
        (
            "/api/listings?market=US&category=toys,shoes",
            "category",
            "unknown category \"shoes\"",
        ),
        (
            "/api/listings?market=US&mode=dropship",
            "mode",
            "fully_managed",
        ),
        (
            "/api/listings?market=US&sort_by=price",
            "sort_by",
            "unknown parameter",
        ),
        (
            "/api/listings?market=US&sort=price_asc&sort=newest",
            "sort",
            "more than once",
        ),
        (
            "/api/listings?market=US&now=yesterday",
            "now",
            "not an instant",
        ),
        ("/api/listings?market=US&seller=acme", "seller", "no seller"),
        ("/api/listings/abc?market=US", "id", "not a listing id"),
        ("/api/listings/-3?market=US", "id", "not a listing id"),
        ("/api/listings/1", "market", "market is required"),
        (
            "/api/listings/1?market=US&colour=red",
            "colour",
            "unknown parameter",
        ),
    ];
    for (uri, field, words) in cases {
        let body = fx.json(uri, 400).await;
        assert_eq!(body["error"]["code"], "bad_request", "{uri}");
        assert_eq!(body["error"]["field"], *field, "{uri}: {body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(words), "{uri}: {message}");
    }
    let long = "x".repeat(201);
    let body = fx
        .json(&format!("/api/listings?market=US&q={long}"), 400)
        .await;
    assert_eq!(body["error"]["field"], "q");
}

#[tokio::test]
async fn category_and_mode_filters_with_facet_counts() {
    let fx = Fixture::without_dist().await;
    let all = fx.json(&list("market=US&per_page=1"), 200).await;
    let total = all["total"].as_u64().unwrap();
    let facet_sum: u64 = all["facets"]["category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["count"].as_u64().unwrap())
        .sum();
    assert_eq!(facet_sum, total);

    let toys = fx
        .json(&list("market=US&category=toys&per_page=100"), 200)
        .await;
    let toy_count = all["facets"]["category"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "toys")
        .unwrap()["count"]
        .as_u64()
        .unwrap();
    assert_eq!(toys["total"].as_u64().unwrap(), toy_count);
    assert!(items(&toys).iter().all(|i| i["category"] == "toys"));
    // The category facet ignores the category filter, so the others stay visible.
    assert_eq!(toys["facets"]["category"], all["facets"]["category"]);

    let two = fx
        .json(&list("market=US&category=toys,food&per_page=1"), 200)
        .await;
    let food = fx
        .json(&list("market=US&category=food&per_page=1"), 200)
        .await;
    assert_eq!(
        two["total"].as_u64().unwrap(),
        toy_count + food["total"].as_u64().unwrap()
    );
    // Food is semi-managed only.
    assert_eq!(
        fx.json(
            &list("market=US&category=food&mode=fully_managed,platform_local"),
            200
        )
        .await["total"],
        0
    );

    let local = fx
        .json(&list("market=GB&mode=platform_local&per_page=100"), 200)
        .await;
    assert!(local["total"].as_u64().unwrap() > 50);
    for item in items(&local) {
        assert_eq!(item["mode"], "platform_local");
        assert!(
            item["stock"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["warehouse"] == "gb-local")
        );
    }
    // Korea has no seller warehouses: nothing semi-managed is sold there.
    assert_eq!(
        fx.json(&list("market=KR&mode=semi_managed"), 200).await["total"],
        0
    );

    let seller = fx
        .json(&list("market=US&seller=ruida&per_page=100"), 200)
        .await;
    assert!(
        items(&seller)
            .iter()
            .all(|i| i["seller"]["id"] == "ruida" && i["category"] == "auto_parts")
    );
}

#[tokio::test]
async fn sorts_order_by_price_date_and_delivery() {
    let fx = Fixture::without_dist().await;
    let prices =
        |page: &Value| -> Vec<i64> { items(page).iter().map(|i| minor(&i["price"])).collect() };
    let asc = fx
        .json(&list("market=DE&sort=price_asc&per_page=100"), 200)
        .await;
    let p = prices(&asc);
    assert!(p.windows(2).all(|w| w[0] <= w[1]), "{p:?}");
    let desc = fx
        .json(&list("market=DE&sort=price_desc&per_page=100"), 200)
        .await;
    let p = prices(&desc);
    assert!(p.windows(2).all(|w| w[0] >= w[1]), "{p:?}");
    assert!(p[0] > prices(&asc)[0]);

    let newest = fx
        .json(&list("market=US&sort=newest&per_page=100"), 200)
        .await;
    let dates: Vec<&str> = items(&newest)
        .iter()
        .map(|i| i["listed_at"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");

    for zone in ["us-ne", "us-pac", "us-hi"] {
        let fastest = fx
            .json(
                &list(&format!("market=US&zone={zone}&sort=fastest&per_page=100")),
                200,
            )
            .await;
        let mut seen_null = false;
        let mut last = ("".to_owned(), "".to_owned());
        for item in items(&fastest) {
            match item["delivery"].as_object() {
                None => seen_null = true,
                Some(d) => {
                    assert!(!seen_null, "undeliverable listings come last");
                    let key = (
                        d["latest"].as_str().unwrap().to_owned(),
                        d["earliest"].as_str().unwrap().to_owned(),
                    );
                    assert!(key >= last, "{zone}: {key:?} after {last:?}");
                    last = key;
                }
            }
        }
    }
    // Near the US West warehouse, the fastest listings ship from the platform there.
    let west = fx
        .json(&list("market=US&zone=us-pac&sort=fastest&per_page=5"), 200)
        .await;
    assert!(
        items(&west)
            .iter()
            .all(|i| i["delivery"]["ships_from"] != "cn-gz"),
        "{west}"
    );
}

#[tokio::test]
async fn arrives_by_keeps_exactly_the_listings_the_engine_promises_by_then() {
    let fx = Fixture::without_dist().await;
    let zone = "us-ne";
    let date = "2026-12-01";
    let filtered = fx
        .json(
            &list(&format!(
                "market=US&zone={zone}&arrives_by={date}&per_page=100"
            )),
            200,
        )
        .await;
    let total = filtered["total"].as_u64().unwrap();
    assert!(total > 100, "{total}");
    for item in items(&filtered) {
        assert!(
            item["delivery"]["latest"].as_str().unwrap() <= date,
            "{item}"
        );
    }
    // The same count from the engine directly, over every public listing in the market.
    let net = fx.state.network.network();
    let now = Instant::parse(NOW).unwrap();
    let est = Estimator::new(
        net,
        &Destination {
            market: "US".into(),
            postal_code: None,
            zone: Some(zone.into()),
        },
        now,
    )
    .unwrap();
    let limit = crossdock_core::Date::parse(date).unwrap();
    let mut expected = 0u64;
    let mut page = 1;
    loop {
        let body = fx
            .json(&list(&format!("market=US&per_page=100&page={page}")), 200)
            .await;
        if items(&body).is_empty() {
            break;
        }
        for item in items(&body) {
            if est
                .promise(&engine_listing(item), 1)
                .is_some_and(|p| p.window.latest <= limit)
            {
                expected += 1;
            }
        }
        page += 1;
    }
    assert_eq!(total, expected);
    let everything = fx.json(&list("market=US&per_page=1"), 200).await;
    assert!(total < everything["total"].as_u64().unwrap());
}

#[tokio::test]
async fn pages_cover_every_listing_once() {
    let fx = Fixture::without_dist().await;
    for sort in ["relevance", "price_asc", "newest"] {
        let mut ids = BTreeSet::new();
        let mut total = None;
        for page in 1.. {
            let body = fx
                .json(
                    &list(&format!("market=AE&sort={sort}&per_page=100&page={page}")),
                    200,
                )
                .await;
            total.get_or_insert(body["total"].as_u64().unwrap());
            if items(&body).is_empty() {
                break;
            }
            for item in items(&body) {
                assert!(
                    ids.insert(item["id"].as_i64().unwrap()),
                    "{sort}: twice {item}"
                );
            }
        }
        assert_eq!(Some(ids.len() as u64), total, "{sort}");
    }
    // Small pages read in turn give exactly the order of one large page, for every sort.
    for sort in ["relevance", "price_asc", "price_desc", "newest", "fastest"] {
        let query = format!("market=US&zone=us-pac&sort={sort}");
        let whole: Vec<Value> = items(&fx.json(&list(&format!("{query}&per_page=35")), 200).await)
            .iter()
            .map(|i| i["id"].clone())
            .collect();
        let mut paged = Vec::new();
        for page in 1..=5 {
            let body = fx
                .json(&list(&format!("{query}&per_page=7&page={page}")), 200)
                .await;
            paged.extend(items(&body).iter().map(|i| i["id"].clone()));
        }
        assert_eq!(paged, whole, "{sort}");
    }
    let beyond = fx.json(&list("market=AE&page=1000"), 200).await;
    assert!(items(&beyond).is_empty());
    assert!(beyond["total"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn search_finds_by_title_brand_and_category() {
    let fx = Fixture::without_dist().await;
    let titles = |page: &Value| -> Vec<String> {
        items(page)
            .iter()
            .map(|i| i["title"].as_str().unwrap().to_lowercase())
            .collect()
    };
    // Title words first.
    let chargers = fx
        .json(&list("market=US&q=gan+charger&per_page=20"), 200)
        .await;
    assert!(chargers["total"].as_u64().unwrap() >= 20);
    for t in titles(&chargers) {
        assert!(t.contains("gan") && t.contains("charger"), "{t}");
    }
    // Plurals and prefixes while typing.
    let kettles = fx.json(&list("market=US&q=kettles"), 200).await;
    let prefix = fx.json(&list("market=US&q=kettl"), 200).await;
    assert!(kettles["total"].as_u64().unwrap() > 0);
    assert_eq!(kettles["total"], prefix["total"]);
    assert!(titles(&kettles).iter().all(|t| t.contains("kettle")));
    // Every word must match.
    let none = fx.json(&list("market=US&q=kettle+sofa"), 200).await;
    assert_eq!(none["total"], 0);
    assert_eq!(fx.json(&list("market=US&q=xyzzy"), 200).await["total"], 0);
    // A brand finds the brand's listings; a category name finds the category.
    let brand = fx
        .json(&list("market=US&q=voltaic&per_page=100"), 200)
        .await;
    assert!(items(&brand).iter().all(|i| i["brand"] == "VOLTAIC"));
    let lighting = fx
        .json(&list("market=US&q=lighting&per_page=50"), 200)
        .await;
    assert!(
        items(&lighting).iter().all(|i| i["category"] == "lighting"),
        "{lighting}"
    );
    // A phrase in the title ranks above the same words apart.
    let brake = fx
        .json(&list("market=US&q=brake+pads&per_page=10"), 200)
        .await;
    assert!(titles(&brake).iter().all(|t| t.contains("brake pads")));
    // Search combines with filters and sorts.
    let cheap = fx
        .json(
            &list("market=US&q=cable&category=phone_accessories&sort=price_asc&per_page=50"),
            200,
        )
        .await;
    let p: Vec<i64> = items(&cheap).iter().map(|i| minor(&i["price"])).collect();
    assert!(p.windows(2).all(|w| w[0] <= w[1]));
}

#[tokio::test]
async fn a_listing_has_description_attributes_pictures_seller_and_promotions() {
    let fx = Fixture::without_dist().await;
    let page = fx.json(&list("market=US&per_page=100"), 200).await;
    let promoted = items(&page)
        .iter()
        .find(|i| !i["promotion"].is_null())
        .expect("a promoted listing on the first page");
    let id = promoted["id"].as_i64().unwrap();
    let detail = fx
        .json(&format!("/api/listings/{id}?market=US&now={NOW}"), 200)
        .await;
    // The card's fields, and more.
    for key in [
        "id", "title", "price", "stock", "weight_g", "dims_mm", "image", "seller",
    ] {
        assert_eq!(detail[key], promoted[key], "{key}");
    }
    assert!(
        detail["description"]
            .as_str()
            .unwrap()
            .contains("Highlights:")
    );
    let attributes = detail["attributes"].as_array().unwrap();
    assert!(attributes.iter().any(|a| a["name"] == "Brand"));
    assert!(attributes.iter().any(|a| a["name"] == "Package weight"));
    assert_eq!(detail["images"].as_array().unwrap().len(), 3);
    assert_eq!(detail["seller_profile"]["id"], promoted["seller"]["id"]);
    assert!(
        detail["markets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "US")
    );
    // The running promotion lowers the price; the list price is struck through.
    assert!(minor(&detail["list_price"]) > minor(&detail["price"]));
    let running: Vec<&Value> = detail["promotions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["running"] == true)
        .collect();
    assert_eq!(minor(&running[0]["price"]), minor(&detail["price"]));
    assert_eq!(detail["promotion"]["label"], running[0]["label"]);
    // Before it starts, the regular price.
    let before = fx
        .json(
            &format!("/api/listings/{id}?market=US&now=2026-10-01T00:00:00Z"),
            200,
        )
        .await;
    assert_eq!(before["price"], detail["list_price"]);
    assert!(before["list_price"].is_null() && before["promotion"].is_null());

    // With a zone: the delivery promise.
    let zoned = fx
        .json(
            &format!("/api/listings/{id}?market=US&zone=us-mw&now={NOW}"),
            200,
        )
        .await;
    assert!(zoned.get("delivery").is_some());

    // Unknown listing, and a listing not sold in the market.
    let missing = fx.json("/api/listings/999999?market=US", 404).await;
    assert_eq!(missing["error"]["code"], "not_found");
    assert_eq!(missing["error"]["message"], "no listing with id 999999");
    let kr = fx.json(&list("market=KR&per_page=100"), 200).await;
    let kr_ids: BTreeSet<i64> = items(&kr)
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    let semi = fx
        .json(&list("market=US&mode=semi_managed&per_page=1"), 200)
        .await;
    let semi_id = items(&semi)[0]["id"].as_i64().unwrap();
    assert!(!kr_ids.contains(&semi_id));
    let body = fx
        .json(&format!("/api/listings/{semi_id}?market=KR"), 404)
        .await;
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("is not sold in"), "{message}");
    assert!(message.contains("US"), "{message}");
}

#[tokio::test]
async fn pictures_are_local_svg_cached_by_content() {
    let fx = Fixture::without_dist().await;
    let detail = fx.json("/api/listings/7?market=US", 200).await;
    for picture in detail["images"].as_array().unwrap() {
        let url = picture["url"].as_str().unwrap();
        let (response, body) = fx.get(url).await;
        assert_eq!(response.status(), 200, "{url}");
        assert_eq!(header(&response, "content-type"), "image/svg+xml");
        assert_eq!(
            header(&response, "cache-control"),
            "public, max-age=31536000, immutable"
        );
        assert!(header(&response, "content-security-policy").starts_with("default-src 'none'"));
        let svg = String::from_utf8(body).unwrap();
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{svg}"
        );
        assert!(svg.len() < 5_000);
        // Nothing is fetched from anywhere: the only URL is the SVG namespace.
        assert_eq!(svg.matches("http").count(), 1, "{svg}");
        // Revalidation by ETag.
        let request = Request::get(url)
            .header("if-none-match", header(&response, "etag"))
            .body(Body::empty())
            .unwrap();
        let (again, _) = fx.send(request).await;
        assert_eq!(again.status(), 304);
    }
    // Without the version (or with an old one) it is not cached as immutable.
    let (response, _) = fx.get("/api/listings/7/images/2.svg").await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "cache-control"), "public, max-age=300");
    let (response, _) = fx.get("/api/listings/7/images/2-00000000.svg").await;
    assert_eq!(header(&response, "cache-control"), "public, max-age=300");
    for bad in [
        "/api/listings/7/images/4.svg",
        "/api/listings/7/images/x.svg",
        "/api/listings/7/images/1.png",
        "/api/listings/999999/images/1.svg",
    ] {
        let body = fx.json(bad, 404).await;
        assert_eq!(body["error"]["code"], "not_found", "{bad}");
    }
}

#[tokio::test]
async fn sellers_have_public_profiles() {
    let fx = Fixture::without_dist().await;
    let seller = fx.json("/api/sellers/voltaic", 200).await;
    assert_eq!(seller["name"], "VOLTAIC Official Store");
    assert_eq!(
        seller["legal_name"],
        "Shenzhen Voltaic Electronics Co., Ltd."
    );
    assert_eq!(seller["country"], "CN");
    assert!(seller["rating"]["average_tenths"].as_u64().unwrap() >= 10);
    let warehouses: Vec<&str> = seller["warehouses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert_eq!(warehouses, ["de-3pl", "gb-3pl", "us-3pl-ca"]);
    let count: u64 = seller["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(seller["listing_count"].as_u64().unwrap(), count);
    assert_eq!(count, 330);
    // A factory with no overseas warehouse.
    let toys = fx.json("/api/sellers/happystar", 200).await;
    assert!(toys["warehouses"].as_array().unwrap().is_empty());

    let missing = fx.json("/api/sellers/acme", 404).await;
    assert_eq!(missing["error"]["code"], "not_found");
    assert!(
        missing["error"]["message"]
            .as_str()
            .unwrap()
            .contains("acme")
    );
    let bad = fx.json("/api/sellers/voltaic?x=1", 400).await;
    assert_eq!(bad["error"]["field"], "x");
}

#[tokio::test]
async fn listing_responses_revalidate_with_an_etag() {
    let fx = Fixture::without_dist().await;
    for uri in [
        list("market=US&q=lamp"),
        format!("/api/listings/5?market=US&now={NOW}"),
        "/api/sellers/lumora".to_owned(),
    ] {
        let (first, _) = fx.get(&uri).await;
        assert_eq!(first.status(), 200);
        assert_eq!(header(&first, "cache-control"), "no-cache");
        let etag = header(&first, "etag").to_owned();
        assert!(etag.starts_with('"'));
        let request = Request::get(&uri)
            .header("if-none-match", &etag)
            .body(Body::empty())
            .unwrap();
        let (again, body) = fx.send(request).await;
        assert_eq!(again.status(), 304, "{uri}");
        assert!(body.is_empty());
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint_and_real_responses_fit_it() {
    let fx = Fixture::without_dist().await;
    let doc = fx.json("/api/openapi.json", 200).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for (path, method) in [
        ("/api/listings", "get"),
        ("/api/listings/{id}", "get"),
        ("/api/listings/{id}/images/{file}", "get"),
        ("/api/sellers/{id}", "get"),
        ("/api/quote", "post"),
        ("/api/network", "get"),
        ("/api/health", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{path} {method}");
    }
    let params: Vec<&str> = doc["paths"]["/api/listings"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in [
        "market",
        "q",
        "category",
        "mode",
        "zone",
        "arrives_by",
        "sort",
        "page",
        "per_page",
    ] {
        assert!(params.contains(&p), "{p}");
    }

    let check = |schema: &str, value: &Value| {
        let mut errors = Vec::new();
        let schema_ref = json!({"$ref": format!("#/components/schemas/{schema}")});
        conform(&doc, &schema_ref, value, "$", &mut errors);
        assert!(errors.is_empty(), "{schema}: {errors:#?}");
    };
    check(
        "ListingPage",
        &fx.json(&list("market=US&zone=us-c&per_page=50"), 200).await,
    );
    check(
        "ListingPage",
        &fx.json(&list("market=KR&per_page=50"), 200).await,
    );
    check(
        "ListingDetail",
        &fx.json(
            &format!("/api/listings/11?market=US&zone=us-ne&now={NOW}"),
            200,
        )
        .await,
    );
    check("SellerPage", &fx.json("/api/sellers/oakline", 200).await);
    check(
        "ErrorResponse",
        &fx.json("/api/listings?market=XX", 400).await,
    );
    check(
        "ErrorResponse",
        &fx.json("/api/listings/999999?market=US", 404).await,
    );
    let page = fx
        .json(&list("market=US&zone=us-ne&per_page=40"), 200)
        .await;
    let lines: Vec<Value> = items(&page)
        .iter()
        .enumerate()
        .map(|(i, item)| json!({"listing_id": item["id"], "quantity": 1 + i % 10}))
        .collect();
    let (status, quote) = fx
        .post_json(
            "/api/quote",
            &json!({"market": "US", "zone": "us-ne", "now": NOW, "lines": lines}),
        )
        .await;
    assert_eq!(status, 200, "{quote}");
    check("QuoteResponse", &quote);

    // The docs page and its files are served from here.
    let (response, body) = fx.get("/api/docs/").await;
    assert_eq!(response.status(), 200);
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(!html.contains("https://"), "no CDN: {html}");
    for file in [
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-initializer.js",
    ] {
        let (response, _) = fx.get(&format!("/api/docs/{file}")).await;
        assert_eq!(response.status(), 200, "{file}");
    }
    let (response, body) = fx.get("/api/docs/swagger-initializer.js").await;
    assert_eq!(response.status(), 200);
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("/api/openapi.json")
    );
}

/// Checks `value` against an OpenAPI 3.1 schema: types, required properties, and no
/// property the schema does not declare.
fn conform(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if let Some(branches) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
    {
        let fits = branches.iter().any(|b| {
            let mut e = Vec::new();
            conform(doc, b, value, at, &mut e);
            e.is_empty()
        });
        if !fits {
            errors.push(format!("{at}: fits no branch of {schema}: {value}"));
        }
        return;
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut properties = serde_json::Map::new();
        let mut required = Vec::new();
        for part in parts {
            let part = resolve(doc, part);
            if let Some(p) = part.get("properties").and_then(Value::as_object) {
                properties.extend(p.clone());
            }
            if let Some(r) = part.get("required").and_then(Value::as_array) {
                required.extend(r.clone());
            }
        }
        let merged = json!({"type": "object", "properties": properties, "required": required});
        conform(doc, &merged, value, at, errors);
        return;
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let fits = types.contains(&actual) || (actual == "integer" && types.contains(&"number"));
        if !fits {
            errors.push(format!("{at}: {actual} where the schema says {types:?}"));
            return;
        }
    }
    match value {
        Value::Object(map) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            if let Some(required) = schema.get("required").and_then(Value::as_array) {
                for r in required.iter().filter_map(Value::as_str) {
                    if !map.contains_key(r) {
                        errors.push(format!("{at}: required \"{r}\" missing"));
                    }
                }
            }
            if let Some(properties) = properties {
                for (key, v) in map {
                    match properties.get(key) {
                        Some(s) => conform(doc, s, v, &format!("{at}.{key}"), errors),
                        None => errors.push(format!("{at}: \"{key}\" is not in the schema")),
                    }
                }
            }
        }
        Value::Array(list) => {
            if let Some(items) = schema.get("items") {
                for (i, v) in list.iter().enumerate() {
                    conform(doc, items, v, &format!("{at}[{i}]"), errors);
                }
            }
        }
        _ => {}
    }
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

#[tokio::test]
async fn the_catalog_reloads_after_a_change_in_the_database() {
    let fx = Fixture::without_dist().await;
    let page = fx.json(&list("market=US&per_page=1"), 200).await;
    let id = items(&page)[0]["id"].as_i64().unwrap();
    let uri = format!("/api/listings/{id}?market=US&now={NOW}");
    let before = fx.json(&uri, 200).await;
    sqlx::query(
        "UPDATE listing_prices SET price_minor = 123456 WHERE listing_id = $1 AND market = 'US'",
    )
    .bind(id)
    .execute(&fx.state.db)
    .await
    .unwrap();
    sqlx::query("DELETE FROM promotions WHERE listing_id = $1")
        .bind(id)
        .execute(&fx.state.db)
        .await
        .unwrap();
    // The snapshot answers until it is reloaded.
    let same = fx.json(&uri, 200).await;
    assert_eq!(same["price"], before["price"]);
    fx.state
        .catalog
        .reload(&fx.state.db, fx.state.network.network())
        .await
        .unwrap();
    let after = fx.json(&uri, 200).await;
    assert_eq!(minor(&after["price"]), 123_456);
    assert!(after["promotion"].is_null());
}

#[tokio::test]
async fn reloading_only_the_written_listings_gives_the_same_catalog_as_a_full_load() {
    let fx = Fixture::without_dist().await;
    let net = fx.state.network.network();
    let store = &fx.state.catalog;
    // Nothing changed since the snapshot was loaded: nothing to reload.
    assert!(!store.reload_if_changed(&fx.state.db, net).await.unwrap());

    // Two writes as the seller panel makes them: the values, and the version moved on.
    let ids: Vec<i64> = store
        .snapshot()
        .listings
        .iter()
        .take(2)
        .map(|l| l.id)
        .collect();
    for (k, id) in ids.iter().enumerate() {
        for sql in [
            "UPDATE listing_prices SET price_minor = price_minor + 100 WHERE listing_id = $1",
            "UPDATE listing_stock SET quantity = 0 WHERE listing_id = $1",
            "DELETE FROM promotions WHERE listing_id = $1",
            "UPDATE listings SET version = version + 1 WHERE id = $1",
        ] {
            sqlx::query(sql)
                .bind(id)
                .execute(&fx.state.db)
                .await
                .unwrap();
        }
        if k == 0 {
            // The writing instance reloads the one listing it wrote.
            store
                .reload_listings(&fx.state.db, net, &[*id])
                .await
                .unwrap();
        }
    }
    // Another instance's write: found by its version.
    assert!(store.reload_if_changed(&fx.state.db, net).await.unwrap());
    assert!(!store.reload_if_changed(&fx.state.db, net).await.unwrap());
    let full = crossdock_server::Catalog::load(&fx.state.db, net)
        .await
        .unwrap();
    let snapshot = store.snapshot();
    assert_eq!(snapshot.listings.len(), full.listings.len());
    assert_eq!(
        format!("{:?}", snapshot.listings),
        format!("{:?}", full.listings)
    );
    for id in &ids {
        assert_eq!(
            snapshot
                .listing(*id)
                .unwrap()
                .engine
                .stock
                .iter()
                .map(|s| s.quantity)
                .sum::<u32>(),
            0
        );
    }
}
