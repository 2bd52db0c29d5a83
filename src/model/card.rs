//! What a storefront card says about delivery, worked out by the engine's fast path
//! ([`Estimator::promise`]) for every card at once.

use crossdock_core::engine::{Estimator, Listing, Promise};
use crossdock_core::{Date, Instant, Network};

use super::format::{month_name, short_date};

/// A card's delivery line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardEstimate {
    /// "Tue 1 – Thu 3 Dec", where it ships from, and the cut-off.
    Arrives {
        window: String,
        /// The window's first and last dates (for tests and the arrives-by filter).
        earliest: Date,
        latest: Date,
        ships_from: String,
        cutoff: Instant,
    },
    /// No stock anywhere.
    SoldOut,
    /// Stock, but no route reaches the destination.
    Undeliverable,
}

/// A compact window: "Tue 1 – Thu 3 Dec", "Mon 30 Nov – Wed 2 Dec", "Thu 3 Dec"; the
/// year only when it is not `ref_year`.
pub fn compact_window(earliest: Date, latest: Date, ref_year: i32) -> String {
    if earliest == latest {
        return short_date(earliest, ref_year);
    }
    let (ey, em, ed) = earliest.ymd();
    let (ly, lm, _) = latest.ymd();
    if ey == ly && em == lm && ly == ref_year {
        format!(
            "{} {ed} – {}",
            earliest.weekday().short_name(),
            short_date(latest, ref_year)
        )
    } else {
        format!(
            "{} – {}",
            short_date(earliest, ref_year),
            short_date(latest, ref_year)
        )
    }
}

/// Where a promise ships from ("US West warehouse"), or how many warehouses for a split.
fn ships_from(est: &Estimator<'_>, p: &Promise) -> String {
    if p.parts > 1 {
        return format!("{} warehouses", p.parts);
    }
    est.promise_warehouse(p)
        .map(|w| w.name.clone())
        .unwrap_or_default()
}

/// A warehouse's shopper-facing name.
pub fn warehouse_label(net: &Network, id: &str) -> String {
    net.file
        .warehouses
        .iter()
        .find(|w| w.id == id)
        .map(|w| w.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// The delivery line of one card.
pub fn card_estimate(est: &Estimator<'_>, listing: &Listing) -> CardEstimate {
    if listing.stock.iter().all(|s| s.quantity == 0) {
        return CardEstimate::SoldOut;
    }
    let year = est.today().ymd().0;
    match est.promise(listing, 1) {
        Some(p) => CardEstimate::Arrives {
            window: compact_window(p.window.earliest, p.window.latest, year),
            earliest: p.window.earliest,
            latest: p.window.latest,
            ships_from: ships_from(est, &p),
            cutoff: p.cutoff,
        },
        None => CardEstimate::Undeliverable,
    }
}

/// What a card or a listing says about a running voucher or free-shipping promotion
/// (neither lowers the unit price, so the price alone does not show it), given the
/// amounts formatted in the shopper's currency: "$5.00 voucher", "Free delivery on
/// $49.00+ of this item". Both are per order of the item, as crates/core's
/// `pricing::shopper` applies them in the cart, the server's quote and the seller's
/// margin. `long`: the listing page's wording.
pub fn deal_text(voucher: Option<String>, free_over: Option<String>, long: bool) -> Option<String> {
    match (voucher, free_over) {
        (Some(v), _) if long => Some(format!("{v} voucher: off your order of this item, once")),
        (Some(v), _) => Some(format!("{v} voucher")),
        (None, Some(t)) => Some(format!("Free delivery on {t}+ of this item")),
        (None, None) => None,
    }
}

/// "1 Dec" for the arrives-by filter's options.
pub fn day_month(d: Date) -> String {
    let (_, m, day) = d.ymd();
    format!("{} {day} {}", d.weekday().short_name(), month_name(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_network;
    use crossdock_core::Mode;
    use crossdock_core::engine::{Destination, StockLine};

    fn d(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    #[test]
    fn compact_windows() {
        assert_eq!(
            compact_window(d("2026-12-01"), d("2026-12-03"), 2026),
            "Tue 1 – Thu 3 Dec"
        );
        assert_eq!(
            compact_window(d("2026-11-30"), d("2026-12-02"), 2026),
            "Mon 30 Nov – Wed 2 Dec"
        );
        assert_eq!(
            compact_window(d("2026-12-03"), d("2026-12-03"), 2026),
            "Thu 3 Dec"
        );
        assert_eq!(
            compact_window(d("2027-01-04"), d("2027-01-06"), 2026),
            "Mon 4 Jan 2027 – Wed 6 Jan 2027"
        );
    }

    #[test]
    fn a_voucher_or_free_delivery_is_said_per_order_of_the_item() {
        let m = |s: &str| Some(s.to_string());
        assert_eq!(deal_text(m("$5.00"), None, false), m("$5.00 voucher"));
        assert_eq!(
            deal_text(m("$5.00"), None, true),
            m("$5.00 voucher: off your order of this item, once")
        );
        assert_eq!(
            deal_text(None, m("$49.00"), false),
            m("Free delivery on $49.00+ of this item")
        );
        assert_eq!(deal_text(None, None, true), None);
    }

    #[test]
    fn cards_say_sold_out_or_where_they_ship_from() {
        let net = test_network();
        let dest = Destination {
            market: "US".into(),
            postal_code: Some("10001".into()),
            zone: None,
        };
        let now = Instant::parse("2026-11-24T15:00:00Z").expect("instant");
        let est = Estimator::new(&net, &dest, now).expect("estimator");
        let wh = net
            .file
            .warehouses
            .iter()
            .find(|w| {
                w.market.as_deref() == Some("US")
                    && w.kind == crossdock_core::schema::WarehouseKind::PlatformLocal
            })
            .expect("a US platform warehouse");
        let mut listing = Listing {
            weight_g: 300,
            dims_mm: [150, 80, 20],
            category: "phone_accessories".into(),
            mode: Mode::PlatformLocal,
            stock: vec![StockLine {
                warehouse: wh.id.clone(),
                quantity: 5,
            }],
            unit_price: None,
        };
        match card_estimate(&est, &listing) {
            CardEstimate::Arrives { ships_from, .. } => assert_eq!(ships_from, wh.name),
            other => panic!("expected a window, got {other:?}"),
        }
        listing.stock[0].quantity = 0;
        assert_eq!(card_estimate(&est, &listing), CardEstimate::SoldOut);
    }
}
