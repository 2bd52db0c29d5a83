//! # What a promotion does to the shopper's order
//!
//! One meaning for the storefront's cards, the cart, `POST /api/quote` and the seller's
//! margin ([`super::price_mode`]), so a shopper is charged what the seller was shown:
//!
//! - a **percentage off** and a **platform subsidy** lower the price of every unit (the
//!   storefront shows the lower unit price, the regular one struck through);
//! - a **voucher** is per order of the item ("$5 off your order of this item", as
//!   marketplaces' store coupons are): the unit price stays the regular one and the
//!   voucher comes off an order line once, whatever its quantity, never more than the line
//!   ([`PromotionKind::voucher_off`]);
//! - **free shipping over a threshold** is per order of the item too: an order line of
//!   the item worth at least the threshold (after any voucher) ships without a delivery
//!   fee ([`PromotionKind::ships_free`]). In the cart, where the fee is per shipment (one
//!   per warehouse), no fee is charged for a shipment that carries such a line: it is the
//!   fee the seller reimburses the platform. A promotion is one listing's, so it never
//!   covers another listing's line, which would need a threshold across a seller's items.
//!
//! The margin is for one unit in an order of one unit: a voucher there is the whole
//! amount off that unit (at most its price), and the threshold is compared with what the
//! shopper pays for that unit — the order line of one unit, as above.

use crate::engine::{Quote, RouteStatus};
use crate::money::{Money, MoneyError};
use crate::network::Network;

use super::PromotionKind;

impl PromotionKind {
    /// What a voucher takes off an order line worth `line`: its amount, once per line,
    /// at most the line (so never below zero); nothing for the other kinds. In the line's
    /// currency.
    pub fn voucher_off(&self, line: Money) -> Money {
        let off = match self {
            PromotionKind::Voucher { amount } => amount.minor().clamp(0, line.minor().max(0)),
            _ => 0,
        };
        Money::from_minor(off, line.currency())
    }

    /// Whether an order line the shopper pays `line` for ships without a delivery fee: a
    /// free-shipping promotion whose threshold the line reaches.
    pub fn ships_free(&self, line: Money) -> bool {
        matches!(self, PromotionKind::FreeShippingOver { threshold } if line.minor() >= threshold.minor())
    }
}

/// One order line as the shopper pays for it: `quantity` units at the unit price, less a
/// running promotion's voucher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderLine {
    /// The units at the unit price.
    pub value: Money,
    /// What the voucher takes off (zero without one).
    pub voucher_off: Money,
    /// What the shopper pays for the line: `value − voucher_off`.
    pub total: Money,
    /// Whether the promotion waives the delivery fee of the shipments carrying the line.
    pub ships_free: bool,
}

impl OrderLine {
    /// `quantity` units at `unit` under the promotion running now, if any.
    pub fn new(
        unit: Money,
        quantity: u32,
        promotion: Option<&PromotionKind>,
    ) -> Result<OrderLine, MoneyError> {
        let value = unit.checked_mul(i64::from(quantity))?;
        let voucher_off = promotion.map_or(Money::zero(value.currency()), |p| p.voucher_off(value));
        let total = value.checked_sub(voucher_off)?;
        Ok(OrderLine {
            value,
            voucher_off,
            total,
            ships_free: promotion.is_some_and(|p| p.ships_free(total)),
        })
    }

    /// Puts the delivery fee of this line, shipped on its own, into the engine's `quote`
    /// for it (on the plan and on every feasible route): the market's fee, nothing when
    /// the line's total reaches the market's free-delivery threshold or the promotion
    /// ships it free. Without a promotion this is the fee the engine worked out already
    /// (it compares the unit price × the quantity with the threshold).
    pub fn settle_fees(&self, net: &Network, quote: &mut Quote) {
        let Some(fee) = net
            .market_index(&quote.market)
            .and_then(|i| net.file.markets.get(i))
            .map(|m| &m.shopper_fee)
        else {
            return;
        };
        let free = self.ships_free || fee.free_over_minor.is_some_and(|t| self.total.minor() >= t);
        let minor = if free { 0 } else { fee.standard_minor };
        let fee = Money::from_minor(minor, self.total.currency());
        if let Some(plan) = quote.plan.as_mut() {
            plan.shopper_fee = fee;
        }
        for route in &mut quote.routes {
            if let RouteStatus::Feasible(f) = &mut route.status {
                f.shopper_fee = fee;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{Currency, CurrencyCode};

    fn usd(minor: i64) -> Money {
        let code = CurrencyCode::new("USD").unwrap_or(CurrencyCode::XXX);
        Money::from_minor(minor, Currency { code, exponent: 2 })
    }

    #[test]
    fn a_voucher_comes_off_once_per_line_and_never_more_than_the_line() {
        let v = PromotionKind::Voucher { amount: usd(500) };
        let line = |unit, qty| OrderLine::new(usd(unit), qty, Some(&v)).ok();
        let got = line(1999, 3).map(|l| (l.value.minor(), l.voucher_off.minor(), l.total.minor()));
        assert_eq!(got, Some((5997, 500, 5497)));
        let got = line(300, 1).map(|l| (l.voucher_off.minor(), l.total.minor()));
        assert_eq!(got, Some((300, 0)));
        let plain = OrderLine::new(usd(1999), 3, None).ok();
        assert_eq!(plain.map(|l| l.total.minor()), Some(5997));
        let pct = PromotionKind::PercentOff { percent_bp: 2000 };
        assert_eq!(pct.voucher_off(usd(1000)), usd(0));
    }

    #[test]
    fn free_shipping_needs_the_lines_total_to_reach_the_threshold() {
        let f = PromotionKind::FreeShippingOver {
            threshold: usd(4900),
        };
        let free = |unit, qty| OrderLine::new(usd(unit), qty, Some(&f)).map(|l| l.ships_free);
        assert_eq!(free(2000, 2), Ok(false));
        assert_eq!(free(2450, 2), Ok(true));
        assert_eq!(free(4900, 1), Ok(true));
        assert!(!PromotionKind::Voucher { amount: usd(1) }.ships_free(usd(1_000_000)));
    }
}
