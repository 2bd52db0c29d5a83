//! The demo catalog and the privacy of public responses: the same seed gives the same
//! rows, the catalog follows the marketplace's rules, no seller-private figure reaches a
//! public response, and capping stock at 10 never changes the engine's answer.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{Fixture, NETWORK, testdb};
use crossdock_core::engine::Destination;
use crossdock_core::schema::WarehouseKind;
use crossdock_core::{Estimator, Instant};
use crossdock_server::catalog::generate::{DEMO_SEED, generate};
use crossdock_server::catalog::{Catalog, STOCK_CAP, seed_demo_catalog};
use crossdock_server::{AppState, load_network, open};
use serde_json::{Value, json};
use sqlx::Row;

const NOW: &str = "2026-11-24T12:00:00Z";

/// Every table of a database as text, in a fixed order.
async fn dump(pool: &sqlx::AnyPool) -> BTreeMap<&'static str, Vec<String>> {
    let mut out = BTreeMap::new();
    for (table, order) in [
        ("sellers", "id"),
        ("seller_warehouses", "seller_id, warehouse"),
        ("listings", "id"),
        ("listing_attributes", "listing_id, position"),
        ("listing_prices", "listing_id, market"),
        ("listing_stock", "listing_id, warehouse"),
        ("promotions", "id"),
    ] {
        let rows = sqlx::query(&format!("SELECT * FROM {table} ORDER BY {order}"))
            .fetch_all(pool)
            .await
            .unwrap();
        let text = rows
            .iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| {
                        row.try_get::<Option<String>, _>(i)
                            .map(|v| v.unwrap_or_default())
                            .or_else(|_| row.try_get::<Option<i64>, _>(i).map(|v| format!("{v:?}")))
                            .unwrap()
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        out.insert(table, text);
    }
    out
}

#[tokio::test]
async fn the_same_seed_gives_the_same_rows() {
    let network = load_network(Path::new(NETWORK)).unwrap();
    let net = network.network();
    let a = generate(net, DEMO_SEED);
    let b = generate(net, DEMO_SEED);
    assert_eq!(a, b);
    assert_ne!(a, generate(net, DEMO_SEED + 1));

    // Two databases seeded on their own hold identical rows.
    let dir = tempfile::tempdir().unwrap();
    let mut dumps = Vec::new();
    for name in ["one.sqlite", "two.sqlite"] {
        let pool = open(&testdb::fresh(dir.path(), name)).await.unwrap();
        assert!(seed_demo_catalog(&pool, net).await.unwrap());
        // A second start does not seed again.
        assert!(!seed_demo_catalog(&pool, net).await.unwrap());
        dumps.push(dump(&pool).await);
        pool.close().await;
    }
    assert_eq!(dumps[0], dumps[1]);
    assert_eq!(dumps[0]["listings"].len(), a.listings.len());
    assert_eq!(dumps[0]["promotions"].len(), a.promotions.len());
}

#[tokio::test]
async fn the_demo_catalog_follows_the_marketplace_rules() {
    let network = load_network(Path::new(NETWORK)).unwrap();
    let net = network.network();
    let demo = generate(net, DEMO_SEED);
    assert_eq!(demo.listings.len(), 3_000);
    assert_eq!(demo.sellers.len(), 12);
    let kind = |w: &str| net.file.warehouses.iter().find(|x| x.id == w).unwrap().kind;
    let wh_market = |w: &str| {
        net.file
            .warehouses
            .iter()
            .find(|x| x.id == w)
            .unwrap()
            .market
            .clone()
    };
    let max_air_g = net
        .file
        .air_lanes
        .iter()
        .map(|l| l.max_unit_weight_g)
        .min()
        .unwrap();
    let max_air_mm = net
        .file
        .air_lanes
        .iter()
        .map(|l| l.max_unit_length_mm)
        .min()
        .unwrap();
    let overseas: BTreeMap<&str, BTreeSet<&str>> =
        demo.seller_warehouses
            .iter()
            .fold(BTreeMap::new(), |mut m, (s, w)| {
                m.entry(s.as_str()).or_default().insert(w.as_str());
                m
            });
    assert!(
        overseas.len() >= 8,
        "several sellers run overseas warehouses"
    );

    let mut by_mode: BTreeMap<&str, usize> = BTreeMap::new();
    let mut categories: BTreeSet<&str> = BTreeSet::new();
    let mut sold_out = 0;
    let mut low = 0;
    for l in &demo.listings {
        *by_mode.entry(l.mode.as_str()).or_default() += 1;
        categories.insert(&l.category);
        let stock: Vec<_> = demo.stock.iter().filter(|s| s.listing_id == l.id).collect();
        assert!(!stock.is_empty(), "{}", l.id);
        let total: i64 = stock.iter().map(|s| s.quantity).sum();
        if total == 0 {
            sold_out += 1;
        } else if total < 10 {
            low += 1;
        }
        match l.mode.as_str() {
            "fully_managed" => {
                assert!(
                    !["food", "power_banks", "beauty", "furniture"].contains(&l.category.as_str()),
                    "{l:?}"
                );
                assert!(l.weight_g <= i64::from(max_air_g), "{l:?}");
                assert!(
                    l.dims_mm.iter().all(|d| *d <= i64::from(max_air_mm)),
                    "{l:?}"
                );
                assert!(
                    stock
                        .iter()
                        .all(|s| kind(&s.warehouse) == WarehouseKind::CnConsolidation)
                );
            }
            "semi_managed" => {
                let own = &overseas[l.seller_id.as_str()];
                assert!(
                    stock.iter().all(|s| own.contains(s.warehouse.as_str())),
                    "{l:?}"
                );
            }
            "platform_local" => {
                assert_ne!(l.category, "food");
                assert!(
                    stock
                        .iter()
                        .all(|s| kind(&s.warehouse) == WarehouseKind::PlatformLocal)
                );
            }
            other => panic!("mode {other}"),
        }
        // Sold exactly in the markets its stock can reach.
        let markets: BTreeSet<&str> = demo
            .prices
            .iter()
            .filter(|p| p.listing_id == l.id)
            .map(|p| p.market.as_str())
            .collect();
        if l.mode != "fully_managed" {
            let reach: BTreeSet<String> = stock
                .iter()
                .filter_map(|s| wh_market(&s.warehouse))
                .collect();
            let reach: BTreeSet<&str> = reach.iter().map(String::as_str).collect();
            assert_eq!(markets, reach, "{}", l.id);
        } else {
            assert_eq!(markets.len(), net.file.markets.len(), "{}", l.id);
        }
    }
    assert_eq!(categories.len(), net.file.categories.len());
    for mode in ["fully_managed", "semi_managed", "platform_local"] {
        assert!(by_mode[mode] > 500, "{by_mode:?}");
    }
    assert!((100..400).contains(&sold_out), "{sold_out} sold out");
    assert!(low > 50, "{low} low");
    for p in &demo.prices {
        assert!(p.price_minor > 0);
        let m = net.file.markets.iter().find(|m| m.id == p.market).unwrap();
        assert_eq!(p.currency, m.currency);
        if p.currency == "KRW" {
            assert_eq!(p.price_minor % 100, 0);
        }
    }
    let running = demo
        .promotions
        .iter()
        .filter(|p| p.starts_at.as_str() <= NOW && NOW < p.ends_at.as_str())
        .map(|p| p.listing_id)
        .collect::<BTreeSet<_>>();
    assert!(
        running.len() > 300,
        "{} listings on promotion",
        running.len()
    );
    assert!(
        demo.promotions.iter().any(|p| p.starts_at.as_str() > NOW),
        "some scheduled"
    );
    assert!(
        demo.promotions.iter().any(|p| p.ends_at.as_str() <= NOW),
        "some ended"
    );
    for promo in &demo.promotions {
        let price = demo
            .prices
            .iter()
            .find(|p| p.listing_id == promo.listing_id && p.market == promo.market)
            .unwrap();
        assert!(promo.price_minor < price.price_minor, "{promo:?}");
        assert!(promo.price_minor > 0);
    }
    let titles: BTreeSet<&str> = demo.listings.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(titles.len(), demo.listings.len(), "titles are unique");
}

/// Keys that would carry seller-private data.
const PRIVATE_KEYS: &[&str] = &[
    "cost", "supply", "margin", "email", "funded", "payout", "contact",
];

fn keys(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                out.insert(k.clone());
                keys(v, out);
            }
        }
        Value::Array(list) => list.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

fn stock_figures(value: &Value, out: &mut Vec<u64>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(lines)) = map.get("stock") {
                for line in lines {
                    out.push(line["quantity"].as_u64().unwrap());
                }
            }
            map.values().for_each(|v| stock_figures(v, out));
        }
        Value::Array(list) => list.iter().for_each(|v| stock_figures(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn no_seller_private_data_in_any_public_response() {
    let fx = Fixture::without_dist().await;
    let db = &fx.state.db;
    let emails: Vec<String> = sqlx::query("SELECT contact_email FROM sellers")
        .fetch_all(db)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let exact: BTreeMap<(i64, String), i64> =
        sqlx::query("SELECT listing_id, warehouse, quantity FROM listing_stock")
            .fetch_all(db)
            .await
            .unwrap()
            .iter()
            .map(|r| ((r.get(0), r.get(1)), r.get(2)))
            .collect();
    assert!(exact.values().any(|q| *q > 10), "some stock above the cap");

    let mut responses: Vec<(String, Value)> = Vec::new();
    for market in ["US", "DE", "GB", "KR", "ZA", "AE"] {
        for page in 1..=3 {
            let uri = format!(
                "/api/listings?market={market}&now={NOW}&per_page=100&page={page}&zone={}",
                match market {
                    "US" => "us-c",
                    "DE" => "de-west",
                    "GB" => "gb-north",
                    "KR" => "kr-capital",
                    "ZA" => "za-kzn",
                    _ => "ae-dubai",
                }
            );
            responses.push((uri.clone(), fx.json(&uri, 200).await));
        }
    }
    for id in (1..=3000).step_by(37) {
        let uri = format!("/api/listings/{id}?market=US&now={NOW}");
        let (response, body) = fx.get(&uri).await;
        if response.status() == 200 {
            responses.push((uri, serde_json::from_slice(&body).unwrap()));
        }
    }
    for seller in fx.state.catalog.snapshot().sellers.iter() {
        let uri = format!("/api/sellers/{}", seller.id);
        responses.push((uri.clone(), fx.json(&uri, 200).await));
    }
    let ids: Vec<Value> = responses[0].1["items"]
        .as_array()
        .unwrap()
        .iter()
        .take(30)
        .map(|i| i["id"].clone())
        .collect();
    let lines: Vec<Value> = ids
        .iter()
        .map(|id| json!({"listing_id": id, "quantity": 10}))
        .collect();
    let (status, quote) = fx
        .post_json(
            "/api/quote",
            &json!({"market": "US", "zone": "us-c", "now": NOW, "lines": lines}),
        )
        .await;
    assert_eq!(status, 200);

    for (uri, body) in &responses {
        let text = body.to_string();
        for email in &emails {
            assert!(!text.contains(email.as_str()), "{uri} shows {email}");
        }
        let mut names = BTreeSet::new();
        keys(body, &mut names);
        for name in &names {
            let lower = name.to_lowercase();
            assert!(
                !PRIVATE_KEYS.iter().any(|p| lower.contains(p)),
                "{uri} has the key {name}"
            );
        }
        let mut figures = Vec::new();
        stock_figures(body, &mut figures);
        assert!(figures.iter().all(|q| *q <= u64::from(STOCK_CAP)), "{uri}");
    }
    // The quote shows the engine's own routing costs (from the public network), but no
    // seller figure, and only capped stock.
    let mut names = BTreeSet::new();
    keys(&quote, &mut names);
    for name in [
        "supply_price",
        "unit_cost",
        "margin_bp",
        "funded_by",
        "contact_email",
    ] {
        assert!(!names.contains(name), "{name}");
    }
    let mut figures = Vec::new();
    stock_figures(&quote, &mut figures);
    assert!(figures.iter().all(|q| *q <= u64::from(STOCK_CAP)));

    // Where exact stock is above the cap, the public figure is the cap; below, exact.
    for (uri, body) in &responses {
        if let Some(items) = body["items"].as_array() {
            for item in items {
                let id = item["id"].as_i64().unwrap();
                for line in item["stock"].as_array().unwrap() {
                    let w = line["warehouse"].as_str().unwrap().to_owned();
                    let shown = line["quantity"].as_i64().unwrap();
                    assert_eq!(shown, exact[&(id, w)].min(10), "{uri}");
                }
            }
        }
    }
}

#[tokio::test]
async fn capped_stock_gives_the_engine_the_same_answer_as_exact_stock() {
    let fx = Fixture::without_dist().await;
    let net = fx.state.network.network();
    let catalog: std::sync::Arc<Catalog> = fx.state.catalog.snapshot();
    let exact: BTreeMap<(i64, String), u32> =
        sqlx::query("SELECT listing_id, warehouse, quantity FROM listing_stock")
            .fetch_all(&fx.state.db)
            .await
            .unwrap()
            .iter()
            .map(|r| ((r.get(0), r.get(1)), r.get::<i64, _>(2) as u32))
            .collect();
    let now = Instant::parse(NOW).unwrap();
    let mut checked = 0;
    let mut differed_in_stock = 0;
    for (market, zone) in [
        ("US", "us-se"),
        ("DE", "de-north"),
        ("GB", "gb-scotland"),
        ("KR", "kr-central"),
    ] {
        let est = Estimator::new(
            net,
            &Destination {
                market: market.into(),
                postal_code: None,
                zone: Some(zone.into()),
            },
            now,
        )
        .unwrap();
        for l in catalog
            .listings
            .iter()
            .filter(|l| l.offer(market).is_some())
        {
            let capped = l.engine_listing(None);
            let mut full = capped.clone();
            for line in &mut full.stock {
                line.quantity = exact[&(l.id, line.warehouse.clone())];
            }
            if full.stock != capped.stock {
                differed_in_stock += 1;
            }
            for q in 1..=10 {
                assert_eq!(
                    est.promise(&capped, q),
                    est.promise(&full, q),
                    "listing {} × {q} to {zone}",
                    l.id
                );
                checked += 1;
            }
            // The full answer too, for a sample.
            if l.id % 25 == 0 {
                for q in [1, 4, 10] {
                    let a = est.quote(&capped, q).unwrap();
                    let b = est.quote(&full, q).unwrap();
                    assert_eq!(a, b, "listing {} × {q} to {zone}", l.id);
                }
            }
        }
    }
    assert!(checked > 50_000, "{checked}");
    assert!(differed_in_stock > 1_000, "{differed_in_stock}");
}

#[tokio::test]
async fn the_first_start_creates_the_catalog_and_later_starts_keep_it() {
    let dir = tempfile::tempdir().unwrap();
    let target = testdb::fresh(dir.path(), "var/crossdock.sqlite");
    let start = || async {
        let network = load_network(Path::new(NETWORK)).unwrap();
        let db = open(&target).await.unwrap();
        AppState::new(network, dir.path().join("dist"), db)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let first = start().await;
    let catalog = first.catalog.snapshot();
    assert_eq!(catalog.listings.len(), 3_000);
    assert_eq!(catalog.sellers.len(), 12);
    // A seller edits a title; the next start keeps the edit (the demo is not re-created).
    sqlx::query("UPDATE listings SET title = 'Edited by the seller' WHERE id = 1")
        .execute(&first.db)
        .await
        .unwrap();
    first.db.close().await;
    let second = start().await;
    assert_eq!(
        second.catalog.snapshot().listing(1).unwrap().title,
        "Edited by the seller"
    );
    let meta = sqlx::query("SELECT generator, seed FROM catalog_meta")
        .fetch_one(&second.db)
        .await
        .unwrap();
    assert_eq!(meta.get::<i64, _>(1), DEMO_SEED as i64);
    assert!(
        meta.get::<String, _>(0)
            .starts_with("crossdock-demo-catalog/")
    );
}
