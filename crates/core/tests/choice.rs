//! The platform's choice rule, as the crate docs state it: fastest window, then cheapest;
//! split only when no single warehouse has the quantity, fewest parts first.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use crossdock_core::engine::{ChoiceReason, Mode, RouteStatus};

const TUESDAY_MORNING_ET: &str = "2026-09-15T14:00:00Z";

#[test]
fn the_nearest_warehouse_wins_because_its_window_ends_first() {
    let net = network();
    let l = item(
        500,
        [200, 150, 50],
        "toys",
        Mode::PlatformLocal,
        &[("us-west", 9), ("us-east", 9), ("us-central", 9)],
    );
    let q = quote(&net, &request(l, to("US", "10001"), 1, TUESDAY_MORNING_ET));
    let plan = q.plan.unwrap();
    assert_eq!(plan.parts[0].warehouse, "us-east");
    assert_eq!(plan.reason, ChoiceReason::Fastest);
    assert_eq!(plan.sentence, "fastest promise we can keep");
}

#[test]
fn between_equal_windows_the_cheaper_route_wins() {
    let net = network();
    // Both China warehouses reach Seoul with the same window on this day; Guangzhou's
    // handling is no dearer, so the tie goes to cost, then to network order.
    let l = item(
        300,
        [180, 100, 30],
        "phone_accessories",
        Mode::FullyManaged,
        &[("cn-gz", 5), ("cn-yw", 5)],
    );
    let q = quote(
        &net,
        &request(l, to("KR", "04524"), 1, "2026-09-15T02:00:00Z"),
    );
    let plan = q.plan.unwrap();
    assert_eq!(plan.reason, ChoiceReason::FastestThenCheapest);
    assert_eq!(
        plan.sentence,
        "fastest promise we can keep; cheapest of the routes that keep it"
    );
    let chosen = plan.parts[0].cost.minor();
    for r in &q.routes {
        if let RouteStatus::Feasible(f) = &r.status
            && f.window.latest == plan.window.latest
            && f.window.earliest == plan.window.earliest
        {
            assert!(chosen <= f.cost.minor());
        }
    }
}

#[test]
fn the_only_warehouse_with_stock_is_named_as_such() {
    let net = network();
    let l = item(
        500,
        [200, 150, 50],
        "toys",
        Mode::PlatformLocal,
        &[("us-west", 0), ("us-central", 3)],
    );
    let q = quote(&net, &request(l, to("US", "10001"), 2, TUESDAY_MORNING_ET));
    let plan = q.plan.unwrap();
    assert_eq!(plan.reason, ChoiceReason::OnlyWithStock);
    assert_eq!(plan.sentence, "only warehouse with stock");
}

#[test]
fn a_quantity_no_warehouse_holds_is_split_into_the_fewest_parts() {
    let net = network();
    // 5 wanted: west has 4, east 1, central 3. Two parts suffice (east+west or central+west…);
    // three parts are never used when two will do.
    let l = item(
        500,
        [200, 150, 50],
        "toys",
        Mode::PlatformLocal,
        &[("us-west", 4), ("us-east", 1), ("us-central", 3)],
    );
    let q = quote(&net, &request(l, to("US", "10001"), 5, TUESDAY_MORNING_ET));
    let plan = q.plan.unwrap();
    assert_eq!(plan.reason, ChoiceReason::Split);
    assert_eq!(plan.parts.len(), 2);
    assert_eq!(plan.parts.iter().map(|p| p.quantity).sum::<u32>(), 5);
    let latest = plan.parts.iter().map(|p| p.window.latest).max().unwrap();
    assert_eq!(
        plan.window.latest, latest,
        "the order's window is the latest of its parts"
    );
    assert!(
        plan.sentence
            .starts_with("no single warehouse has 5; ships in 2 parts from "),
        "{}",
        plan.sentence
    );
}

#[test]
fn among_two_part_splits_the_earliest_window_wins() {
    let net = network();
    // To New York: east (fast) + central beats west + central.
    let l = item(
        500,
        [200, 150, 50],
        "toys",
        Mode::PlatformLocal,
        &[("us-west", 3), ("us-east", 3), ("us-central", 3)],
    );
    let q = quote(&net, &request(l, to("US", "10001"), 5, TUESDAY_MORNING_ET));
    let plan = q.plan.unwrap();
    let mut whs: Vec<&str> = plan.parts.iter().map(|p| p.warehouse.as_str()).collect();
    whs.sort_unstable();
    assert_eq!(whs, ["us-central", "us-east"]);
}

#[test]
fn a_split_is_not_used_when_one_warehouse_can_ship_everything() {
    let net = network();
    let l = item(
        500,
        [200, 150, 50],
        "toys",
        Mode::PlatformLocal,
        &[("us-west", 10), ("us-east", 2)],
    );
    let q = quote(&net, &request(l, to("US", "10001"), 5, TUESDAY_MORNING_ET));
    let plan = q.plan.unwrap();
    assert_eq!(plan.parts.len(), 1);
    assert_eq!(plan.parts[0].warehouse, "us-west");
}

#[test]
fn a_promise_names_the_warehouse_it_ships_from() {
    let net = network();
    let dest = to("US", "10001");
    let est = crossdock_core::Estimator::new(&net, &dest, at(TUESDAY_MORNING_ET)).unwrap();
    let l = item(
        500,
        [200, 150, 50],
        "toys",
        Mode::PlatformLocal,
        &[("us-west", 9), ("us-east", 9)],
    );
    let promise = est.promise(&l, 1).unwrap();
    assert_eq!(
        est.promise_warehouse(&promise).map(|w| w.id.as_str()),
        Some("us-east")
    );
}
