//! Laws of the promised window, checked with proptest: the window holds at least the
//! target; a higher target never gives a narrower window; combining a leg keeps the total
//! weight exact; and where the calibrated seasons of the default network begin and end,
//! a later order never gets an earlier delivery distribution (every leg, every day).
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::sync::OnceLock;

use common::*;
use crossdock_core::calendar::Calendar;
use crossdock_core::engine::{DateDist, DateShare, Destination, Estimator, narrowest_window, step};
use crossdock_core::network::{Dist, LegDist};
use crossdock_core::{Date, Instant, Network};
use proptest::prelude::*;

fn net() -> &'static Network {
    static NET: OnceLock<Network> = OnceLock::new();
    NET.get_or_init(network)
}

/// A date distribution: up to 40 dates from 2027-01-01 with weights up to 10^12 (the
/// size of a route's weights after four legs of up to 10^6 … kept well inside u128).
fn date_dist() -> impl Strategy<Value = DateDist> {
    proptest::collection::btree_map(0i64..120, 1u128..1_000_000_000_000, 1..40).prop_map(|m| {
        let base = Date::parse("2027-01-01").unwrap();
        m.into_iter()
            .map(|(d, w)| (base.add_days(d).unwrap(), w))
            .collect()
    })
}

fn leg() -> impl Strategy<Value = LegDist> {
    (0u32..10, proptest::collection::vec(0u32..1_000_000, 1..20))
        .prop_filter("some weight", |(_, w)| w.iter().any(|x| *x > 0))
        .prop_map(|(from_days, w)| {
            let weights: Vec<u64> = w.iter().map(|x| u64::from(*x)).collect();
            let total = weights.iter().sum();
            LegDist {
                base: Dist {
                    from_days,
                    weights,
                    total,
                },
                seasonal: Vec::new(),
                settling: Vec::new(),
            }
        })
}

fn mass_within(dist: &DateDist, a: Date, b: Date) -> u128 {
    dist.iter()
        .filter(|(d, _)| *d >= a && *d <= b)
        .map(|x| x.1)
        .sum()
}

/// Instants a few days either side of every season boundary in the default network.
fn near_a_boundary() -> impl Strategy<Value = Instant> {
    let mut edges: Vec<i64> = Vec::new();
    for periods in &net().seasons {
        for (a, b) in periods {
            edges.push(i64::from(*a));
            edges.push(i64::from(*b) + 1);
        }
    }
    assert!(!edges.is_empty(), "the default network has seasons");
    (0..edges.len(), -5 * 86_400i64..5 * 86_400)
        .prop_map(move |(i, off)| Instant::from_unix(edges[i] * 86_400 + off).unwrap())
}

const DESTINATIONS: &[(&str, &str)] = &[
    ("US", "90012"),
    ("US", "10001"),
    ("US", "75201"),
    ("DE", "10115"),
    ("GB", "SW1A 1AA"),
    ("KR", "04524"),
    ("ZA", "2000"),
    ("AE", "DXB"),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_window_holds_at_least_the_target(dist in date_dist(), target in 5000u32..=9999) {
        let w = narrowest_window(&dist, target).unwrap();
        let total: u128 = dist.iter().map(|x| x.1).sum();
        let inside = mass_within(&dist, w.earliest, w.latest);
        prop_assert!(inside * 10_000 >= total * u128::from(target));
        prop_assert!(w.probability_bp >= target);
        prop_assert!(w.earliest <= w.latest);
    }

    #[test]
    fn a_higher_target_never_gives_a_narrower_window(
        dist in date_dist(), a in 5000u32..=9999, b in 5000u32..=9999
    ) {
        let (lo, hi) = (a.min(b), a.max(b));
        let wl = narrowest_window(&dist, lo).unwrap();
        let wh = narrowest_window(&dist, hi).unwrap();
        prop_assert!(
            wl.earliest.days_until(wl.latest) <= wh.earliest.days_until(wh.latest),
            "{lo}: {wl:?}, {hi}: {wh:?}"
        );
    }

    #[test]
    fn combining_a_leg_keeps_the_total_weight_exact(dist in date_dist(), leg in leg()) {
        let total_in: u128 = dist.iter().map(|x| x.1).sum();
        let out = step(&dist, &leg, &[], |d, k| d.add_days(i64::from(k)).ok()).unwrap();
        let total_out: u128 = out.iter().map(|x| x.1).sum();
        prop_assert_eq!(total_out, total_in * u128::from(leg.base.total));
        prop_assert!(out.windows(2).all(|p| p[0].0 < p[1].0), "sorted, no duplicate dates");
    }

    #[test]
    fn around_season_boundaries_a_later_order_never_gets_an_earlier_distribution(
        now in near_a_boundary(), later in 0i64..(3 * 86_400), d in 0..DESTINATIONS.len()
    ) {
        let (market, postal) = DESTINATIONS[d];
        let dest: Destination = to(market, postal);
        let a = Estimator::new(net(), &dest, now).unwrap();
        let b = Estimator::new(net(), &dest, now.add_seconds(later).unwrap()).unwrap();
        let (ra, rb) = (a.route_timings(), b.route_timings());
        for x in &ra {
            let Some(y) = rb.iter().find(|y| y.id == x.id) else { continue };
            // Shares are parts per million rounded down: allow one per date of rounding.
            let slack = u64::try_from(x.distribution.len() + y.distribution.len()).unwrap();
            for cut in x.distribution.iter().chain(y.distribution.iter()).map(|s| s.date) {
                let share_by = |dist: &[DateShare]| -> u64 {
                    dist.iter().filter(|s| s.date <= cut).map(|s| u64::from(s.ppm)).sum()
                };
                prop_assert!(
                    share_by(y.distribution) <= share_by(x.distribution) + slack,
                    "{}: ordered {} then {}, more arrives by {} the second time",
                    x.id, now, now.add_seconds(later).unwrap(), cut
                );
            }
        }
    }
}

/// Legs of the default network with seasonal distributions, with how they count days.
fn seasonal_legs(net: &Network) -> Vec<(String, &LegDist, Option<&Calendar>)> {
    let mut out = Vec::new();
    for (i, w) in net.warehouses.iter().enumerate() {
        out.push((
            format!("handling {i}"),
            &w.handling,
            net.calendars.get(w.calendar),
        ));
    }
    for (i, l) in net.air_lanes.iter().enumerate() {
        out.push((format!("air {i}"), &l.transit, None));
    }
    for (i, c) in net.customs.iter().enumerate() {
        if let Some(c) = c {
            out.push((
                format!("customs {i}"),
                &c.clearance,
                net.calendars.get(c.calendar),
            ));
        }
    }
    for (i, l) in net.last_mile.iter().enumerate() {
        out.push((
            format!("last mile {i}"),
            &l.transit,
            net.calendars.get(l.calendar),
        ));
    }
    out.retain(|(_, leg, _)| !leg.seasonal.is_empty());
    out
}

/// Whether `b` is never earlier than `a`: at every date, no larger share of `b` has
/// arrived (exact, by cross-multiplying the totals).
fn never_earlier(a: &DateDist, b: &DateDist) -> bool {
    let ta: u128 = a.iter().map(|x| x.1).sum();
    let tb: u128 = b.iter().map(|x| x.1).sum();
    let by =
        |dist: &DateDist, d: Date| -> u128 { dist.iter().filter(|x| x.0 <= d).map(|x| x.1).sum() };
    a.iter()
        .chain(b.iter())
        .all(|(d, _)| by(b, *d) * ta <= by(a, *d) * tb)
}

/// Regression: calibrated seasons end with a faster distribution, so a leg starting the
/// day after a season could end before one starting the day before — and a later order
/// got an earlier window (found at the end of the 2028 Spring Festival season). The
/// network settles every such change; this checks every leg on every start day.
#[test]
fn a_leg_starting_a_day_later_never_ends_earlier_on_any_day_of_2026_to_2028() {
    let net = net();
    let legs = seasonal_legs(net);
    assert!(!legs.is_empty(), "the default network has seasonal legs");
    let first = Date::parse("2026-01-01").unwrap();
    for (name, leg, cal) in legs {
        let end = |d: Date| -> DateDist {
            step(&vec![(d, 1)], leg, &net.seasons, |s, k| match cal {
                Some(c) => c.add_working_days(s, k),
                None => s.add_days(i64::from(k)).ok(),
            })
            .unwrap()
        };
        let mut before = end(first);
        for i in 1..(3 * 366) {
            let d = first.add_days(i).unwrap();
            let now = end(d);
            assert!(
                never_earlier(&before, &now),
                "{name}: starting {d} can end earlier than a day before"
            );
            before = now;
        }
    }
}

/// Regression: the engine weighs each start date by the raw weights of the distribution
/// chosen for it, so a season whose weights add up to another total than the base (here
/// 2 against 100,000) made the dates on one side of its boundary count for thousands of
/// times more than the other — found as a later order getting an earlier distribution
/// at the end of peak 2026 in Dubai. Every distribution of a leg now shares one total.
#[test]
fn a_season_with_another_total_is_put_on_the_base_total() {
    let mut v: serde_json::Value = serde_json::from_str(NETWORK_JSON).unwrap();
    let lm = v["last_mile"].as_array_mut().unwrap();
    let leg = lm
        .iter_mut()
        .find(|l| l["id"] == "lm-ae-dubai-c1-express")
        .unwrap();
    leg["transit"]["seasonal"] =
        serde_json::json!([{ "season": "peak", "from_days": 2, "weights": [1, 1] }]);
    let net = Network::from_json(&v.to_string()).unwrap();
    let i = net
        .file
        .last_mile
        .iter()
        .position(|l| l.id == "lm-ae-dubai-c1-express")
        .unwrap();
    let t = &net.last_mile[i].transit;
    let (_, peak) = &t.seasonal[0];
    assert_eq!(peak.total, t.base.total);
    let half = t.base.total / 2;
    assert_eq!(
        peak.weights,
        vec![half, half],
        "exact: the base total is even"
    );
}
