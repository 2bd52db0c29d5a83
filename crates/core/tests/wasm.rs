//! The engine in wasm, in headless Chromium: the test vectors must produce the very same
//! bytes as natively (the recorded digest), and the 3,000-listing estimate is timed.
//!
//! Run with `CHROMEDRIVER=/usr/bin/chromedriver
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test -p crossdock-core --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use crossdock_core::engine::{Destination, Estimator};
use crossdock_core::sample::sample_listings;
use crossdock_core::vectors::run_vectors;
use crossdock_core::{Instant, Network};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const NETWORK: &str = include_str!("../../../data/network.json");

#[wasm_bindgen_test]
fn vectors_match_the_native_bytes_in_the_browser() {
    let net = Network::from_json(NETWORK).unwrap();
    let report = run_vectors(&net, include_str!("vectors.json")).unwrap();
    assert!(
        report.mismatches.is_empty(),
        "mismatched vectors: {:?}",
        report.mismatches
    );
    assert_eq!(report.digest, report.expected_digest);
    console_log!(
        "SUMMARY: vectors (wasm in Chromium): {} cases byte-identical to native, digest {}",
        report.cases,
        report.digest
    );
}

#[wasm_bindgen_test]
fn estimating_three_thousand_listings_in_the_browser() {
    let net = Network::from_json(NETWORK).unwrap();
    let listings = sample_listings(&net, 3_000, 7);
    let dest = Destination {
        market: "US".into(),
        postal_code: Some("10001".into()),
        zone: None,
    };
    let now = Instant::parse("2026-09-15T15:00:00Z").unwrap();
    let run = || {
        let est = Estimator::new(&net, &dest, now).unwrap();
        listings
            .iter()
            .filter(|l| est.promise(l, 1).is_some())
            .count()
    };
    let shipped = run();
    assert!(shipped > 1_000, "only {shipped} of 3000 listings can ship");
    let mut times = Vec::new();
    for _ in 0..30 {
        let t0 = js_sys::Date::now();
        run();
        times.push(js_sys::Date::now() - t0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    // Date::now has millisecond resolution: also time 30 runs together for the mean.
    let t0 = js_sys::Date::now();
    for _ in 0..30 {
        run();
    }
    let mean = (js_sys::Date::now() - t0) / 30.0;
    console_log!(
        "SUMMARY: bench (wasm in Chromium, core test build): 3000 listings median {} ms, mean {:.2} ms (goal < 16 ms)",
        times[15],
        mean
    );
}
