//! Laws the engine keeps for every input, checked with proptest.
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
use crossdock_core::engine::{Destination, Listing, Mode, QuoteRequest, RouteStatus, StockLine};
use crossdock_core::money::{Currency, CurrencyCode, Money};
use crossdock_core::{Instant, Network};
use proptest::prelude::*;

fn net() -> &'static Network {
    static NET: OnceLock<Network> = OnceLock::new();
    NET.get_or_init(network)
}

const POSTAL: &[(&str, &str)] = &[
    ("US", "90012"),
    ("US", "10001"),
    ("US", "60601"),
    ("US", "99501"),
    ("US", "96813"),
    ("US", "85001"),
    ("DE", "10115"),
    ("DE", "80331"),
    ("GB", "SW1A 1AA"),
    ("GB", "EH1 1YZ"),
    ("GB", "BT1 1AA"),
    ("KR", "04524"),
    ("KR", "63100"),
    ("ZA", "2000"),
    ("ZA", "8001"),
    ("AE", "DXB"),
    ("AE", "FUJ"),
];

fn warehouses() -> Vec<String> {
    net().file.warehouses.iter().map(|w| w.id.clone()).collect()
}

fn categories() -> Vec<String> {
    net().file.categories.iter().map(|c| c.id.clone()).collect()
}

prop_compose! {
    fn listing()(
        weight_g in prop_oneof![1u32..40_000, any::<u32>().prop_map(|w| w.max(1))],
        dims in prop_oneof![[1u32..2500, 1u32..1500, 1u32..1500], [any::<u32>(), any::<u32>(), any::<u32>()]]
            .prop_map(|d: [u32; 3]| d.map(|x| x.max(1))),
        cat in 0usize..11,
        mode in prop_oneof![Just(Mode::FullyManaged), Just(Mode::SemiManaged), Just(Mode::PlatformLocal)],
        stock in proptest::collection::vec((0usize..16, 0u32..20), 0..6),
    ) -> Listing {
        let whs = warehouses();
        let cats = categories();
        Listing {
            weight_g,
            dims_mm: dims,
            category: cats[cat % cats.len()].clone(),
            mode,
            stock: stock.into_iter().map(|(w, q)| StockLine { warehouse: whs[w % whs.len()].clone(), quantity: q }).collect(),
            unit_price: None,
        }
    }
}

fn instant() -> impl Strategy<Value = Instant> {
    // 2026-01-01 to 2028-12-31, any second.
    (1_767_225_600i64..1_861_919_999).prop_map(|s| Instant::from_unix(s).unwrap())
}

fn destination() -> impl Strategy<Value = Destination> {
    (0..POSTAL.len()).prop_map(|i| to(POSTAL[i].0, POSTAL[i].1))
}

fn fastest_feasible(req: &QuoteRequest) -> Option<(crossdock_core::Date, crossdock_core::Date)> {
    let q = crossdock_core::quote(net(), req).ok()?;
    q.routes
        .iter()
        .filter_map(|r| match &r.status {
            RouteStatus::Feasible(f) => Some((f.window.latest, f.window.earliest)),
            RouteStatus::Infeasible(_) => None,
        })
        .min()
        .map(|(l, e)| (e, l))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_later_order_never_gets_an_earlier_window(
        l in listing(), dest in destination(), qty in 1u32..5, now in instant(), later in 0i64..(20 * 86_400)
    ) {
        let a = crossdock_core::quote(net(), &QuoteRequest { listing: l.clone(), destination: dest.clone(), quantity: qty, now });
        let t2 = now.add_seconds(later).unwrap();
        let b = crossdock_core::quote(net(), &QuoteRequest { listing: l, destination: dest, quantity: qty, now: t2 });
        if let (Ok(a), Ok(b)) = (a, b) {
            for (ra, rb) in a.routes.iter().zip(&b.routes) {
                if let (RouteStatus::Feasible(fa), RouteStatus::Feasible(fb)) = (&ra.status, &rb.status) {
                    prop_assert_eq!(&ra.id, &rb.id);
                    prop_assert!(fb.window.latest >= fa.window.latest, "{}: {:?} then {:?}", ra.id, fa.window, fb.window);
                    prop_assert!(fb.window.earliest >= fa.window.earliest, "{}: {:?} then {:?}", ra.id, fa.window, fb.window);
                }
            }
        }
    }

    #[test]
    fn windows_are_ordered_and_never_start_in_the_past(l in listing(), dest in destination(), qty in 1u32..50, now in instant()) {
        if let Ok(q) = crossdock_core::quote(net(), &QuoteRequest { listing: l, destination: dest, quantity: qty, now }) {
            for r in &q.routes {
                if let RouteStatus::Feasible(f) = &r.status {
                    prop_assert!(f.window.earliest <= f.window.latest);
                    prop_assert!(f.window.earliest >= q.today, "{:?} before {}", f.window, q.today);
                    prop_assert!(f.window.probability_bp >= net().file.target_coverage_bp);
                    prop_assert!(f.cutoff >= now);
                }
            }
            if let Some(p) = &q.plan {
                prop_assert!(p.window.earliest <= p.window.latest);
                prop_assert!(p.window.earliest >= q.today);
            }
        }
    }

    #[test]
    fn adding_stock_never_makes_the_fastest_window_later(
        l in listing(), dest in destination(), qty in 1u32..5, now in instant(), wh in 0usize..16, more in 1u32..50
    ) {
        let before = fastest_feasible(&QuoteRequest { listing: l.clone(), destination: dest.clone(), quantity: qty, now });
        let mut richer = l;
        let whs = warehouses();
        richer.stock.push(StockLine { warehouse: whs[wh % whs.len()].clone(), quantity: more });
        let after = fastest_feasible(&QuoteRequest { listing: richer, destination: dest, quantity: qty, now });
        if let Some((_, b_latest)) = before {
            let (_, a_latest) = after.expect("still feasible with more stock");
            prop_assert!(a_latest <= b_latest);
        }
    }

    #[test]
    fn split_parts_sum_to_the_quantity(l in listing(), dest in destination(), qty in 1u32..60, now in instant()) {
        if let Ok(q) = crossdock_core::quote(net(), &QuoteRequest { listing: l, destination: dest, quantity: qty, now })
            && let Some(p) = &q.plan
        {
            {
                prop_assert_eq!(p.parts.iter().map(|x| u64::from(x.quantity)).sum::<u64>(), u64::from(qty));
                prop_assert!(p.parts.iter().all(|x| x.quantity > 0));
                let latest = p.parts.iter().map(|x| x.window.latest).max().unwrap();
                prop_assert_eq!(p.window.latest, latest);
            }
        }
    }

    #[test]
    fn money_allocation_sums_to_the_total(minor in any::<i64>(), weights in proptest::collection::vec(any::<u32>(), 1..12)) {
        let usd = Currency { code: CurrencyCode::new("USD").unwrap(), exponent: 2 };
        let parts = Money::from_minor(minor, usd).allocate(&weights.iter().map(|w| u64::from(*w)).collect::<Vec<_>>());
        prop_assert_eq!(parts.len(), weights.len());
        prop_assert_eq!(parts.iter().map(|p| i128::from(p.minor())).sum::<i128>(), i128::from(minor));
    }

    #[test]
    fn the_same_input_gives_the_same_output(l in listing(), dest in destination(), qty in 1u32..10, now in instant()) {
        let req = QuoteRequest { listing: l, destination: dest, quantity: qty, now };
        let a = crossdock_core::quote(net(), &req).map(|q| serde_json::to_string(&q).unwrap());
        let b = crossdock_core::quote(&network(), &req).map(|q| serde_json::to_string(&q).unwrap());
        prop_assert_eq!(a, b);
    }

    #[test]
    fn no_request_panics(
        l in listing(),
        market in prop_oneof![Just("US".to_string()), Just("GB".to_string()), Just("AE".to_string()), "[A-Z]{0,3}"],
        postal in prop_oneof![Just(None), ".{0,40}".prop_map(Some), "[0-9]{1,7}".prop_map(Some)],
        zone in prop_oneof![Just(None), "[a-z-]{0,12}".prop_map(Some)],
        qty in prop_oneof![Just(0u32), Just(u32::MAX), any::<u32>(), 1u32..100],
        secs in prop_oneof![any::<i64>(), 0i64..253_402_300_799],
    ) {
        let Ok(now) = Instant::from_unix(secs) else { return Ok(()) };
        let dest = Destination { market, postal_code: postal, zone };
        let _ = crossdock_core::quote(net(), &QuoteRequest { listing: l, destination: dest, quantity: qty, now });
    }
}
