//! Promotion kinds and what one unit costs the shopper while one runs.
//!
//! The demo catalog's promotions (`seasonal_sale`, `lightning_deal`, `super_deal`,
//! `clearance`, `launch_offer`) are fixed promotional prices. The seller panel's kinds
//! carry parameters instead — a percentage, an amount or a threshold, as crates/core's
//! `PromotionKind` prices them — and their shopper price follows the current regular
//! price, so a price change moves a running promotion with it.

use crossdock_core::{Money, Rounding};

/// A percentage off the shown price (`percent_bp`, at most 90 %).
pub const PERCENT_OFF: &str = "percent_off";
/// A fixed amount off per order (`amount_minor`).
pub const VOUCHER: &str = "voucher";
/// The platform pays part of the price per item (`amount_minor`).
pub const PLATFORM_SUBSIDY: &str = "platform_subsidy";
/// No delivery fee on orders of at least `threshold_minor`.
pub const FREE_SHIPPING_OVER: &str = "free_shipping_over";

/// The kinds a seller can create, in the order the panel offers them.
pub const SELLER_KINDS: [&str; 4] = [PERCENT_OFF, VOUCHER, PLATFORM_SUBSIDY, FREE_SHIPPING_OVER];

/// What the shopper pays for one unit in an order of one unit while a promotion runs,
/// given the regular price now (the seller panel's "shopper pays", crates/core's
/// `shopper_pays`):
/// - `percent_off`: the price × (10 000 − `percent_bp`) ÷ 10 000, rounded half up (as
///   crates/core prices a percentage discount);
/// - `voucher` and `platform_subsidy`: the price less the amount (a voucher is per order;
///   on an order of one unit it is the whole amount — the storefront's unit price is
///   [`unit_price`]);
/// - `free_shipping_over`: the price (it waives the delivery fee, not part of the price);
/// - any other kind (the demo catalog's): its fixed `fixed_minor`.
///
/// Never below one minor unit: the seller panel refuses amounts that would make an item
/// free, and a later price cut cannot make it free either.
pub fn shopper_price(
    regular: Money,
    kind: &str,
    percent_bp: Option<i64>,
    amount_minor: Option<i64>,
    fixed_minor: i64,
) -> Money {
    let currency = regular.currency();
    let minor = match (kind, percent_bp, amount_minor) {
        (PERCENT_OFF, Some(bp), _) => regular
            .mul_ratio(10_000 - bp.clamp(0, 10_000), 10_000, Rounding::HalfUp)
            .map_or(regular.minor(), |m| m.minor()),
        (VOUCHER | PLATFORM_SUBSIDY, _, Some(amount)) => regular.minor().saturating_sub(amount),
        (FREE_SHIPPING_OVER, _, _) => regular.minor(),
        _ => fixed_minor,
    };
    Money::from_minor(minor.max(1), currency)
}

/// What each unit costs on the storefront while a promotion runs: [`shopper_price`],
/// except under a voucher, which leaves the unit price at the regular one: it comes off
/// the shopper's order line of the listing once, whatever the quantity (crates/core's
/// `pricing::shopper`, as the cart and `POST /api/quote` take it off).
pub fn unit_price(
    regular: Money,
    kind: &str,
    percent_bp: Option<i64>,
    amount_minor: Option<i64>,
    fixed_minor: i64,
) -> Money {
    if kind == VOUCHER {
        return Money::from_minor(regular.minor().max(1), regular.currency());
    }
    shopper_price(regular, kind, percent_bp, amount_minor, fixed_minor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossdock_core::money::{Currency, CurrencyCode};

    fn usd(minor: i64) -> Money {
        let code = CurrencyCode::new("USD").unwrap_or(CurrencyCode::XXX);
        Money::from_minor(minor, Currency { code, exponent: 2 })
    }

    #[test]
    fn each_kind_prices_one_unit() {
        let p = usd(1999);
        assert_eq!(
            shopper_price(p, PERCENT_OFF, Some(2000), None, 0),
            usd(1599)
        );
        // 1999 × 0.85 = 1699.15 → 1699; 1999 × 0.75 = 1499.25 → 1499; half up at .5.
        assert_eq!(
            shopper_price(p, PERCENT_OFF, Some(1500), None, 0),
            usd(1699)
        );
        assert_eq!(
            shopper_price(usd(1001), PERCENT_OFF, Some(5000), None, 0),
            usd(501)
        );
        assert_eq!(shopper_price(p, VOUCHER, None, Some(500), 0), usd(1499));
        assert_eq!(
            shopper_price(p, PLATFORM_SUBSIDY, None, Some(300), 0),
            usd(1699)
        );
        assert_eq!(shopper_price(p, FREE_SHIPPING_OVER, None, None, 0), p);
        assert_eq!(
            shopper_price(p, "seasonal_sale", None, None, 1299),
            usd(1299)
        );
        assert_eq!(shopper_price(p, VOUCHER, None, Some(5000), 0), usd(1));
    }

    #[test]
    fn a_voucher_leaves_the_storefronts_unit_price_alone() {
        let p = usd(1999);
        assert_eq!(unit_price(p, VOUCHER, None, Some(500), 0), p);
        assert_eq!(unit_price(p, FREE_SHIPPING_OVER, None, None, 0), p);
        assert_eq!(
            unit_price(p, PLATFORM_SUBSIDY, None, Some(300), 0),
            usd(1699)
        );
        assert_eq!(unit_price(p, PERCENT_OFF, Some(2000), None, 0), usd(1599));
        assert_eq!(unit_price(p, "clearance", None, None, 999), usd(999));
    }
}
