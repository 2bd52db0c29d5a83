//! Choose a route for 10,000 listings to one destination (the storefront's work for a
//! large page of results). Goal: under 10 ms on a 2-core machine. Figures only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crossdock_core::engine::{Destination, Estimator};
use crossdock_core::sample::sample_listings;
use crossdock_core::{Instant, Network};

fn main() {
    divan::main();
}

fn setup() -> (Network, Vec<crossdock_core::Listing>) {
    let net =
        Network::from_json(include_str!("../../../data/network.json")).expect("default network");
    let listings = sample_listings(&net, 10_000, 42);
    (net, listings)
}

/// Resolve the destination, time every route, then choose one for each listing.
#[divan::bench(sample_count = 50)]
fn choose_10k_listings_to_new_york(bencher: divan::Bencher) {
    let (net, listings) = setup();
    let dest = Destination {
        market: "US".into(),
        postal_code: Some("10001".into()),
        zone: None,
    };
    let now = Instant::parse("2026-09-15T15:00:00Z").unwrap();
    bencher.bench_local(|| {
        let est = Estimator::new(&net, &dest, now).unwrap();
        listings
            .iter()
            .filter(|l| est.promise(l, 1).is_some())
            .count()
    });
}

/// The full explanation (every route, legs, reasons) for one listing.
#[divan::bench(sample_count = 200)]
fn full_quote_one_listing(bencher: divan::Bencher) {
    let (net, listings) = setup();
    let dest = Destination {
        market: "DE".into(),
        postal_code: Some("10115".into()),
        zone: None,
    };
    let now = Instant::parse("2026-09-15T08:00:00Z").unwrap();
    let est = Estimator::new(&net, &dest, now).unwrap();
    bencher.bench_local(|| listings.first().map(|l| est.quote(l, 1).is_ok()));
}

/// Reading and validating the default network file (the browser does this once).
#[divan::bench(sample_count = 20)]
fn parse_network(bencher: divan::Bencher) {
    let text = include_str!("../../../data/network.json");
    bencher.bench_local(|| Network::from_json(text).is_ok());
}
