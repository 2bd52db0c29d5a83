//! Test vectors: request → response pairs in `tests/vectors.json`, shared with the wasm
//! tests (`tests/wasm.rs`), which must produce the same bytes in the browser.
//!
//! Regenerate after a deliberate change to the engine or the default network with
//! `UPDATE_VECTORS=1 cargo test -p crossdock-core --test vectors`, and review the diff.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use crossdock_core::engine::{Destination, Mode, QuoteRequest};
use crossdock_core::vectors::{VectorFile, run_vectors};

const VECTORS: &str = include_str!("vectors.json");

fn case(name: &str, req: QuoteRequest) -> (String, QuoteRequest) {
    (name.to_string(), req)
}

fn phone(stock: &[(&str, u32)]) -> crossdock_core::Listing {
    item(
        300,
        [180, 100, 30],
        "phone_accessories",
        Mode::FullyManaged,
        stock,
    )
}

fn local(stock: &[(&str, u32)]) -> crossdock_core::Listing {
    item(500, [200, 150, 50], "toys", Mode::PlatformLocal, stock)
}

fn semi(stock: &[(&str, u32)]) -> crossdock_core::Listing {
    item(
        1200,
        [300, 200, 150],
        "home_garden",
        Mode::SemiManaged,
        stock,
    )
}

/// The cases: every market and mode, holidays, cut-off edges, splits and restrictions.
fn cases() -> Vec<(String, QuoteRequest)> {
    let cn = &[("cn-gz", 50), ("cn-yw", 50)][..];
    let mut v = vec![];
    // Fully managed to every market, ordinary days.
    for (m, code) in [
        ("US", "90012"),
        ("US", "10001"),
        ("US", "60601"),
        ("US", "80202"),
        ("US", "85004"),
        ("US", "99501"),
        ("US", "96813"),
        ("DE", "10115"),
        ("DE", "80331"),
        ("DE", "20095"),
        ("GB", "SW1A 1AA"),
        ("GB", "M1 1AE"),
        ("GB", "EH1 1YZ"),
        ("GB", "BT1 1AA"),
        ("GB", "HS1 2AA"),
        ("KR", "04524"),
        ("KR", "48058"),
        ("KR", "63100"),
        ("ZA", "2000"),
        ("ZA", "8001"),
        ("ZA", "4001"),
        ("AE", "DXB"),
        ("AE", "AUH"),
        ("AE", "FUJ"),
    ] {
        v.push(case(
            &format!("fully managed to {m} {code}"),
            request(phone(cn), to(m, code), 1, "2026-09-15T02:00:00Z"),
        ));
    }
    // Platform local in every market, same region and far.
    for (m, wh, code, now) in [
        ("US", "us-west", "90012", "2026-09-15T17:00:00Z"),
        ("US", "us-west", "10001", "2026-09-14T17:00:00Z"),
        ("US", "us-east", "10001", "2026-09-15T14:00:00Z"),
        ("US", "us-central", "75201", "2026-09-15T15:00:00Z"),
        ("DE", "de-local", "04109", "2026-09-15T08:00:00Z"),
        ("DE", "de-local", "80331", "2026-09-15T08:00:00Z"),
        ("GB", "gb-local", "MK9 1AA", "2026-09-15T08:00:00Z"),
        ("GB", "gb-local", "KW1 4AA", "2026-09-15T08:00:00Z"),
        ("KR", "kr-local", "04524", "2026-09-15T02:00:00Z"),
        ("ZA", "za-local", "2000", "2026-09-15T08:00:00Z"),
        ("AE", "ae-local", "DXB", "2026-09-15T06:00:00Z"),
    ] {
        v.push(case(
            &format!("platform local {wh} to {m} {code}"),
            request(local(&[(wh, 10)]), to(m, code), 1, now),
        ));
    }
    // Semi-managed from sellers' 3PLs.
    for (m, wh, code) in [
        ("US", "us-3pl-ca", "10001"),
        ("US", "us-3pl-nj", "94107"),
        ("DE", "de-3pl", "10115"),
        ("GB", "gb-3pl", "SW1A 1AA"),
    ] {
        v.push(case(
            &format!("semi-managed {wh} to {m} {code}"),
            request(semi(&[(wh, 10)]), to(m, code), 1, "2026-09-15T06:00:00Z"),
        ));
    }
    // Cut-off edges: one minute each side.
    for (t, label) in [
        ("2026-09-15T20:59:00Z", "before"),
        ("2026-09-15T21:01:00Z", "after"),
    ] {
        v.push(case(
            &format!("us-west cut-off, a minute {label}"),
            request(local(&[("us-west", 5)]), to("US", "90012"), 1, t),
        ));
    }
    for (t, label) in [
        ("2026-09-15T09:59:00Z", "before"),
        ("2026-09-15T10:01:00Z", "after"),
    ] {
        v.push(case(
            &format!("cn-gz cut-off, a minute {label}"),
            request(phone(&[("cn-gz", 5)]), to("US", "90012"), 1, t),
        ));
    }
    for (t, label) in [
        ("2026-09-18T20:59:00Z", "before"),
        ("2026-09-18T21:01:00Z", "after"),
    ] {
        v.push(case(
            &format!("us-west Friday cut-off, a minute {label}"),
            request(local(&[("us-west", 5)]), to("US", "90012"), 1, t),
        ));
    }
    // Holidays.
    for (name, now) in [
        ("Spring Festival 2026", "2026-02-17T04:00:00Z"),
        ("Spring Festival 2027", "2027-02-06T04:00:00Z"),
        ("Spring Festival 2028", "2028-01-26T04:00:00Z"),
        ("Golden Week 2026", "2026-10-02T04:00:00Z"),
        ("Christmas week 2026", "2026-12-22T04:00:00Z"),
    ] {
        v.push(case(
            &format!("fully managed in {name}"),
            request(phone(cn), to("US", "10001"), 1, now),
        ));
    }
    v.push(case(
        "Thanksgiving 2026",
        request(
            local(&[("us-west", 5)]),
            to("US", "90012"),
            1,
            "2026-11-25T18:00:00Z",
        ),
    ));
    v.push(case(
        "Christmas 2027 in Germany",
        request(
            local(&[("de-local", 5)]),
            to("DE", "10115"),
            1,
            "2027-12-23T09:00:00Z",
        ),
    ));
    v.push(case(
        "Chuseok 2026 in Korea",
        request(
            local(&[("kr-local", 5)]),
            to("KR", "04524"),
            1,
            "2026-09-23T02:00:00Z",
        ),
    ));
    v.push(case(
        "UK Boxing Day 2028",
        request(
            local(&[("gb-local", 5)]),
            to("GB", "SW1A 1AA"),
            1,
            "2028-12-22T10:00:00Z",
        ),
    ));
    v.push(case(
        "US DST start",
        request(
            local(&[("us-east", 5)]),
            to("US", "10001"),
            1,
            "2027-03-14T07:30:00Z",
        ),
    ));
    // Splits and stock.
    v.push(case(
        "split across two US warehouses",
        request(
            local(&[("us-west", 3), ("us-east", 4)]),
            to("US", "60601"),
            6,
            "2026-09-15T15:00:00Z",
        ),
    ));
    v.push(case(
        "split across three US warehouses",
        request(
            local(&[("us-west", 2), ("us-east", 2), ("us-central", 2)]),
            to("US", "60601"),
            6,
            "2026-09-15T15:00:00Z",
        ),
    ));
    v.push(case(
        "only warehouse with stock",
        request(
            local(&[("us-west", 0), ("us-east", 4)]),
            to("US", "90012"),
            2,
            "2026-09-15T15:00:00Z",
        ),
    ));
    v.push(case(
        "not enough stock anywhere",
        request(
            local(&[("us-west", 1), ("us-east", 1)]),
            to("US", "90012"),
            5,
            "2026-09-15T15:00:00Z",
        ),
    ));
    v.push(case(
        "fully managed from Yiwu only",
        request(
            phone(&[("cn-yw", 20)]),
            to("DE", "10115"),
            3,
            "2026-09-15T02:00:00Z",
        ),
    ));
    // Restrictions.
    v.push(case(
        "power bank by air",
        request(
            item(350, [150, 80, 25], "power_banks", Mode::FullyManaged, cn),
            to("US", "10001"),
            1,
            "2026-09-15T02:00:00Z",
        ),
    ));
    v.push(case(
        "perfume by air",
        request(
            item(250, [100, 80, 60], "beauty", Mode::FullyManaged, cn),
            to("GB", "SW1A 1AA"),
            1,
            "2026-09-15T02:00:00Z",
        ),
    ));
    v.push(case(
        "sofa by air",
        request(
            item(
                45_000,
                [2100, 900, 850],
                "furniture",
                Mode::FullyManaged,
                cn,
            ),
            to("US", "10001"),
            1,
            "2026-09-15T02:00:00Z",
        ),
    ));
    v.push(case(
        "sofa semi-managed",
        request(
            item(
                45_000,
                [2100, 900, 850],
                "furniture",
                Mode::SemiManaged,
                &[("us-3pl-nj", 3)],
            ),
            to("US", "10001"),
            1,
            "2026-09-15T14:00:00Z",
        ),
    ));
    v.push(case(
        "a pallet exceeds one departure",
        request(
            item(
                20_000,
                [600, 400, 400],
                "small_appliances",
                Mode::FullyManaged,
                &[("cn-gz", 500)],
            ),
            to("ZA", "2000"),
            200,
            "2026-09-15T02:00:00Z",
        ),
    ));
    v.push(case(
        "heavy appliance, several parcels",
        request(
            item(
                12_000,
                [500, 400, 400],
                "small_appliances",
                Mode::PlatformLocal,
                &[("us-central", 20)],
            ),
            to("US", "75201"),
            5,
            "2026-09-15T15:00:00Z",
        ),
    ));
    v.push(case(
        "3 kg appliance volumetric",
        request(
            item(
                3000,
                [350, 250, 250],
                "small_appliances",
                Mode::FullyManaged,
                cn,
            ),
            to("US", "90012"),
            1,
            "2026-09-15T02:00:00Z",
        ),
    ));
    v.push(case(
        "food is semi-managed only",
        request(
            item(800, [200, 120, 80], "food", Mode::FullyManaged, cn),
            to("AE", "DXB"),
            1,
            "2026-09-15T02:00:00Z",
        ),
    ));
    v.push(case(
        "US warehouse cannot ship to Germany",
        request(
            local(&[("us-west", 5)]),
            to("DE", "10115"),
            1,
            "2026-09-15T08:00:00Z",
        ),
    ));
    v.push(case("free shipping threshold", {
        let mut l = local(&[("us-east", 5)]);
        l.unit_price = Some(crossdock_core::Money::from_minor(
            2000,
            crossdock_core::Currency {
                code: crossdock_core::CurrencyCode::new("USD").unwrap(),
                exponent: 2,
            },
        ));
        request(l, to("US", "10001"), 2, "2026-09-15T14:00:00Z")
    }));
    // Bad input.
    v.push(case(
        "bad ZIP code",
        request(
            local(&[("us-west", 5)]),
            to("US", "ABCDE"),
            1,
            "2026-09-15T15:00:00Z",
        ),
    ));
    v.push(case(
        "zone instead of postal code",
        request(
            local(&[("us-west", 5)]),
            Destination {
                market: "US".into(),
                postal_code: None,
                zone: Some("us-ne".into()),
            },
            1,
            "2026-09-15T15:00:00Z",
        ),
    ));
    v.push(case(
        "unknown market",
        request(
            local(&[("us-west", 5)]),
            to("FR", "75001"),
            1,
            "2026-09-15T15:00:00Z",
        ),
    ));
    v.push(case(
        "zero quantity",
        request(
            local(&[("us-west", 5)]),
            to("US", "90012"),
            0,
            "2026-09-15T15:00:00Z",
        ),
    ));
    v.push(case(
        "huge quantity",
        request(
            local(&[("us-west", u32::MAX)]),
            to("US", "90012"),
            u32::MAX,
            "2026-09-15T15:00:00Z",
        ),
    ));
    v
}

#[test]
fn vectors_match_the_engine_byte_for_byte() {
    let net = network();
    if std::env::var_os("UPDATE_VECTORS").is_some() {
        let file = VectorFile::generate(&net, cases());
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors.json");
        std::fs::write(path, serde_json::to_string_pretty(&file).unwrap() + "\n").unwrap();
        return;
    }
    let report = run_vectors(&net, VECTORS).unwrap();
    assert!(report.cases >= 50, "only {} vectors", report.cases);
    assert!(
        report.mismatches.is_empty(),
        "mismatched vectors: {:?}",
        report.mismatches
    );
    assert_eq!(
        report.digest, report.expected_digest,
        "serialised responses differ from the recorded bytes"
    );
    println!("vectors: {} cases, digest {}", report.cases, report.digest);
}
