//! Loading the network file: the default one is valid, and a broken one is refused with
//! every problem named by its place in the file.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::NETWORK_JSON;
use crossdock_core::{Network, NetworkError};
use serde_json::{Value, json};

fn broken(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut v: Value = serde_json::from_str(NETWORK_JSON).unwrap();
    edit(&mut v);
    match Network::from_json(&v.to_string()) {
        Err(NetworkError::Invalid(problems)) => problems.iter().map(ToString::to_string).collect(),
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn the_default_network_is_valid_and_hashed() {
    let net = Network::from_json(NETWORK_JSON).unwrap();
    assert_eq!(net.content_hash().len(), 64);
    assert!(!net.version().is_empty());
    let markets: Vec<&str> = net.file.markets.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(markets, ["US", "DE", "GB", "KR", "ZA", "AE"]);
}

#[test]
fn the_hash_changes_with_the_bytes() {
    let a = Network::from_json(NETWORK_JSON).unwrap();
    let b = Network::from_json(&format!("{NETWORK_JSON} ")).unwrap();
    assert_ne!(a.content_hash(), b.content_hash());
}

#[test]
fn an_unknown_warehouse_is_named_with_its_place() {
    let problems = broken(|v| v["air_lanes"][2]["origins"][0] = json!("us-east-9"));
    assert!(
        problems.contains(&"air_lanes[2].origins[0]: unknown warehouse \"us-east-9\"".to_string()),
        "{problems:?}"
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let problems = broken(|v| {
        v["warehouses"][0]["calendar"] = json!("mars");
        v["calendars"][0]["closures"][0]["to"] = json!("2020-01-01");
        v["last_mile"][0]["bands"] = json!([]);
        v["target_coverage_bp"] = json!(12000);
        v["markets"][0]["zones"][1]["id"] = json!("us-ne");
    });
    let text = problems.join("\n");
    assert!(
        text.contains("warehouses[0].calendar: unknown calendar \"mars\""),
        "{text}"
    );
    assert!(text.contains("calendars[0].closures[0]: from"), "{text}");
    assert!(
        text.contains("last_mile[0].bands: needs at least one rate band"),
        "{text}"
    );
    assert!(text.contains("target_coverage_bp"), "{text}");
    assert!(text.contains("duplicate id \"us-ne\""), "{text}");
}

#[test]
fn distributions_must_have_weight() {
    let problems = broken(|v| v["warehouses"][1]["handling"]["weights"] = json!([0, 0]));
    assert!(
        problems
            .iter()
            .any(|p| p == "warehouses[1].handling: weights must not all be zero"),
        "{problems:?}"
    );
}

#[test]
fn a_syntax_error_says_where() {
    let err = Network::from_json("{\"version\": 1").unwrap_err();
    let text = err.to_string();
    assert!(text.contains("line 1"), "{text}");
    let err = Network::from_json(&NETWORK_JSON.replacen(
        "\"target_coverage_bp\"",
        "\"target_coverage\"",
        1,
    ))
    .unwrap_err();
    assert!(err.to_string().contains("target_coverage"), "{err}");
}

#[test]
fn a_bad_postal_prefix_and_unknown_zone_are_refused() {
    let problems = broken(|v| {
        v["markets"][0]["zones"][0]["postal_prefixes"][0] = json!("9-961");
        v["air_lanes"][0]["gateway_zone"] = json!("de-east");
    });
    let text = problems.join("\n");
    assert!(
        text.contains("markets[0].zones[0].postal_prefixes[0]"),
        "{text}"
    );
    assert!(
        text.contains("air_lanes[0].gateway_zone: zone is not in the lane's market"),
        "{text}"
    );
}
