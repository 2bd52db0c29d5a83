//! Seasonal leg durations: a leg that starts inside a season uses that season's
//! distribution.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use crossdock_core::engine::Mode;
use crossdock_core::{Date, Network, NetworkError};
use serde_json::{Value, json};

/// The default network with no seasonal distributions but one: a peak season for the US
/// West local express service (the default data's own calibrated seasons are dropped,
/// so the test sees only what it sets).
fn with_peak(last_mile_weights: Value) -> Result<Network, NetworkError> {
    let mut v: Value = serde_json::from_str(NETWORK_JSON).unwrap();
    for (list, field) in [
        ("warehouses", "handling"),
        ("air_lanes", "transit"),
        ("customs", "clearance"),
        ("last_mile", "transit"),
    ] {
        for leg in v[list].as_array_mut().unwrap() {
            leg[field].as_object_mut().unwrap().remove("seasonal");
        }
    }
    v["seasons"] = json!([{ "id": "peak", "name": "Peak weeks",
        "periods": [{ "from": "2026-11-30", "to": "2026-12-24", "name": "Peak 2026" }] }]);
    let lm = v["last_mile"].as_array_mut().unwrap();
    let us_pac_local = lm
        .iter_mut()
        .find(|l| l["id"] == "lm-us-pac-c1-express")
        .unwrap();
    us_pac_local["transit"]["seasonal"] =
        json!([{ "season": "peak", "from_days": 2, "weights": last_mile_weights }]);
    Network::from_json(&v.to_string())
}

#[test]
fn a_leg_starting_in_peak_season_takes_the_peak_distribution() {
    let net = with_peak(json!([50, 50])).unwrap();
    let listing = item(
        500,
        [200, 150, 50],
        "toys",
        Mode::PlatformLocal,
        &[("us-west", 5)],
    );
    // Tuesday 1 Dec 2026, 10:00 PST: in peak, 2–3 working days instead of 1–2.
    let peak = quote(
        &net,
        &request(
            listing.clone(),
            to("US", "90012"),
            1,
            "2026-12-01T18:00:00Z",
        ),
    );
    assert_eq!(
        peak.plan.unwrap().window.earliest,
        Date::parse("2026-12-03").unwrap()
    );
    // Tuesday 5 Jan 2027: back to normal.
    let normal = quote(
        &net,
        &request(listing, to("US", "90012"), 1, "2027-01-05T18:00:00Z"),
    );
    assert_eq!(
        normal.plan.unwrap().window.earliest,
        Date::parse("2027-01-06").unwrap()
    );
}

#[test]
fn an_unknown_season_is_refused_with_its_place() {
    let mut v: Value = serde_json::from_str(NETWORK_JSON).unwrap();
    v["warehouses"][0]["handling"]["seasonal"] =
        json!([{ "season": "monsoon", "from_days": 1, "weights": [1] }]);
    let err = Network::from_json(&v.to_string()).unwrap_err().to_string();
    assert!(
        err.contains("warehouses[0].handling.seasonal[0].season: unknown season \"monsoon\""),
        "{err}"
    );
    let err = with_peak(json!([0])).unwrap_err().to_string();
    assert!(
        err.contains(".transit.seasonal[0]: weights must not all be zero"),
        "{err}"
    );
}
