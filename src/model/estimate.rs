//! From the explorer's state to the engine's answer: check every field, build the
//! listing and the destination, and ask the engine for a quote.

use std::collections::BTreeMap;

use crossdock_core::engine::{Estimator, Quote};
use crossdock_core::{Destination, Instant, Listing, Network, StockLine};

use super::format::capitalise;
use super::query::{ExploreQuery, stock_warehouses};

/// Largest weight the explorer accepts, in grams (10 t).
pub const MAX_WEIGHT_G: u32 = 10_000_000;
/// Longest side it accepts, in millimetres (100 m).
pub const MAX_SIDE_MM: u32 = 100_000;
/// Largest quantity it accepts.
pub const MAX_QTY: u32 = 1_000_000;
/// Most stock it accepts in one warehouse.
pub const MAX_STOCK: u32 = 100_000_000;

/// What is wrong with each field, in words for the person who typed it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors {
    pub weight: Option<String>,
    pub length: Option<String>,
    pub width: Option<String>,
    pub height: Option<String>,
    pub qty: Option<String>,
    pub postal: Option<String>,
    /// By warehouse id.
    pub stock: BTreeMap<String, String>,
}

impl FieldErrors {
    /// How many fields need fixing.
    pub fn count(&self) -> usize {
        [
            &self.weight,
            &self.length,
            &self.width,
            &self.height,
            &self.qty,
            &self.postal,
        ]
        .iter()
        .filter(|e| e.is_some())
        .count()
            + self.stock.len()
    }
}

/// The explorer's answer for one state and one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimate {
    pub errors: FieldErrors,
    /// The postal code as the engine reads it ("SW1A 1AA"), when it is valid.
    pub postal: Option<String>,
    /// The engine's quote; `None` while a field needs fixing, `Some(Err)` when the engine
    /// refuses the request as a whole.
    pub quote: Option<Result<Quote, String>>,
}

/// Reads a whole number between `min` and `max` typed into a field.
pub fn parse_whole(raw: &str, min: u32, max: u32) -> Result<u32, String> {
    let t = raw.trim();
    let msg = || {
        format!(
            "Enter a whole number from {} to {}.",
            group_digits(min),
            group_digits(max)
        )
    };
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(msg());
    }
    match t.parse::<u64>() {
        Ok(v) if v >= u64::from(min) && v <= u64::from(max) => u32::try_from(v).map_err(|_| msg()),
        _ => Err(msg()),
    }
}

/// "10,000,000".
pub fn group_digits(n: u32) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Checks the state, and when every field is right, quotes it as of `now`.
pub fn estimate(net: &Network, q: &ExploreQuery, now: Instant) -> Estimate {
    let mut errors = FieldErrors::default();
    let take = |raw: &str, min, max, slot: &mut Option<String>| match parse_whole(raw, min, max) {
        Ok(v) => v,
        Err(e) => {
            *slot = Some(e);
            0
        }
    };
    let weight_g = take(&q.weight, 1, MAX_WEIGHT_G, &mut errors.weight);
    let l = take(&q.length, 1, MAX_SIDE_MM, &mut errors.length);
    let w = take(&q.width, 1, MAX_SIDE_MM, &mut errors.width);
    let h = take(&q.height, 1, MAX_SIDE_MM, &mut errors.height);
    let qty = take(&q.qty, 1, MAX_QTY, &mut errors.qty);

    let mut stock = Vec::new();
    for wh in stock_warehouses(net, q.mode, &q.market) {
        match parse_whole(&q.stock_text(&wh.id), 0, MAX_STOCK) {
            Ok(quantity) => stock.push(StockLine {
                warehouse: wh.id.clone(),
                quantity,
            }),
            Err(e) => {
                errors.stock.insert(wh.id.clone(), e);
            }
        }
    }

    let postal = match net.market_index(&q.market).and_then(|i| net.markets.get(i)) {
        Some(m) => match m.postal.normalise(&q.postal) {
            Ok(code) => Some(code),
            Err(e) => {
                errors.postal = Some(e.to_string());
                None
            }
        },
        None => {
            errors.postal = Some(format!("\"{}\" is not a market we deliver to.", q.market));
            None
        }
    };

    let quote = match (&postal, errors.count()) {
        (Some(code), 0) => {
            let listing = Listing {
                weight_g,
                dims_mm: [l, w, h],
                category: q.category.clone(),
                mode: q.mode,
                stock,
                unit_price: None,
            };
            let dest = Destination {
                market: q.market.clone(),
                postal_code: Some(code.clone()),
                zone: None,
            };
            Some(
                Estimator::new(net, &dest, now)
                    .and_then(|est| est.quote(&listing, qty))
                    .map_err(|e| capitalise(&e.to_string())),
            )
        }
        _ => None,
    };
    Estimate {
        errors,
        postal,
        quote,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::presets::preset;
    use crate::model::test_network;
    use crossdock_core::Mode;
    use crossdock_core::engine::RouteStatus;

    fn chosen_window(q: &ExploreQuery, at: &str) -> (String, String) {
        let net = test_network();
        let e = estimate(&net, q, Instant::parse(at).unwrap());
        let quote = e.quote.unwrap().unwrap();
        let w = quote.plan.unwrap().window;
        (w.earliest.to_string(), w.latest.to_string())
    }

    fn us_west_only() -> ExploreQuery {
        let net = test_network();
        let mut q = ExploreQuery::new(&net);
        q.mode = Mode::PlatformLocal;
        q.stock.insert("us-central".into(), "0".into());
        q.stock.insert("us-east".into(), "0".into());
        q.postal = "90012".into();
        q
    }

    #[test]
    fn a_minute_either_side_of_the_us_west_cutoff_changes_the_window() {
        let q = us_west_only();
        assert_eq!(
            chosen_window(&q, "2026-09-15T20:59:00Z"),
            ("2026-09-16".into(), "2026-09-17".into())
        );
        assert_eq!(
            chosen_window(&q, "2026-09-15T21:01:00Z"),
            ("2026-09-17".into(), "2026-09-18".into())
        );
    }

    #[test]
    fn the_east_coast_waits_longer_for_a_west_coast_warehouse() {
        let mut q = us_west_only();
        let west = chosen_window(&q, "2026-09-15T20:59:00Z");
        q.postal = "10001".into();
        let east = chosen_window(&q, "2026-09-15T20:59:00Z");
        assert!(east.1 > west.1, "{east:?} vs {west:?}");
    }

    #[test]
    fn every_field_error_is_reported_and_blocks_the_quote() {
        let net = test_network();
        let mut q = ExploreQuery::new(&net);
        q.preset = None;
        q.weight = "0".into();
        q.length = "abc".into();
        q.width = "-3".into();
        q.height = "99999999999999999999".into();
        q.qty = "".into();
        q.postal = "ABCDE".into();
        q.stock.insert("us-west".into(), "1.5".into());
        let e = estimate(&net, &q, Instant::parse("2026-09-15T20:59:00Z").unwrap());
        assert_eq!(e.errors.count(), 7);
        assert_eq!(e.quote, None);
        assert_eq!(
            e.errors.weight.as_deref(),
            Some("Enter a whole number from 1 to 10,000,000.")
        );
        let postal = e.errors.postal.unwrap();
        assert!(
            postal.starts_with("\"ABCDE\" is not a valid ZIP code"),
            "{postal}"
        );
    }

    #[test]
    fn a_sofa_has_no_fully_managed_route_and_says_why() {
        let net = test_network();
        let mut q = ExploreQuery::new(&net);
        q.set_preset(preset("sofa").unwrap());
        q.mode = Mode::FullyManaged;
        let e = estimate(&net, &q, Instant::parse("2026-09-15T20:59:00Z").unwrap());
        let quote = e.quote.unwrap().unwrap();
        assert!(quote.plan.is_none());
        assert!(quote.unavailable.is_some());
        assert!(
            quote
                .routes
                .iter()
                .all(|r| matches!(&r.status, RouteStatus::Infeasible(i) if !i.message.is_empty()))
        );
    }

    #[test]
    fn postal_codes_are_normalised_for_the_engine() {
        let net = test_network();
        let mut q = ExploreQuery::new(&net);
        q.set_market(&net, "GB");
        q.postal = " sw1a1aa ".into();
        let e = estimate(&net, &q, Instant::parse("2026-09-15T20:59:00Z").unwrap());
        assert_eq!(e.postal.as_deref(), Some("SW1A 1AA"));
        assert!(matches!(e.quote, Some(Ok(_))));
    }

    #[test]
    fn numbers_are_read_strictly() {
        assert_eq!(parse_whole(" 42 ", 1, 100), Ok(42));
        assert!(parse_whole("4 2", 1, 100).is_err());
        assert!(parse_whole("0", 1, 100).is_err());
        assert!(parse_whole("101", 1, 100).is_err());
        assert!(parse_whole("+5", 1, 100).is_err());
        assert_eq!(parse_whole("0", 0, 5), Ok(0));
        assert_eq!(group_digits(1_000_000), "1,000,000");
        assert_eq!(group_digits(999), "999");
    }
}
