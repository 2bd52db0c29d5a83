//! The cart in plain Rust: its remembered form, and the totals (items, delivery per
//! shipment, VAT, duty) by the market's rules in the network file. Integer minor units
//! throughout; every rounding names its mode.
//!
//! A running voucher or free-shipping promotion is applied to its line by crates/core's
//! `pricing::OrderLine`, the code `POST /api/quote` applies it with: the voucher comes off
//! the line once (never more than the line), and a line reaching the seller's threshold
//! ships free — no fee for any shipment carrying some of it.

use crossdock_core::money::{Currency, Money, Rounding};
use crossdock_core::pricing::{OrderLine, PromotionKind};
use crossdock_core::schema::DutyRule;
use crossdock_core::{Date, Network};

/// At most this many lines, and this many units of one line.
pub const MAX_LINES: usize = 50;
pub const MAX_QTY: u32 = 10;

/// One remembered line: a listing id and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartLine {
    pub id: String,
    pub qty: u32,
}

/// The remembered form: "id*qty,id*qty".
pub fn encode_cart(lines: &[CartLine]) -> String {
    lines
        .iter()
        .map(|l| format!("{}*{}", l.id, l.qty))
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads the remembered form, dropping what it cannot use (unknown shapes, zero
/// quantities, repeats), clamping quantities to [`MAX_QTY`].
pub fn decode_cart(s: &str) -> Vec<CartLine> {
    let mut out: Vec<CartLine> = Vec::new();
    for part in s.split(',') {
        let Some((id, qty)) = part.split_once('*') else {
            continue;
        };
        let ok_id = !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let Ok(qty) = qty.parse::<u32>() else {
            continue;
        };
        if !ok_id || qty == 0 || out.iter().any(|l| l.id == id) || out.len() >= MAX_LINES {
            continue;
        }
        out.push(CartLine {
            id: id.to_string(),
            qty: qty.min(MAX_QTY),
        });
    }
    out
}

/// Adds `qty` of `id` (or more of a line already there).
pub fn add_line(lines: &mut Vec<CartLine>, id: &str, qty: u32) {
    if let Some(l) = lines.iter_mut().find(|l| l.id == id) {
        l.qty = l.qty.saturating_add(qty).min(MAX_QTY);
    } else if lines.len() < MAX_LINES && qty > 0 {
        lines.push(CartLine {
            id: id.to_string(),
            qty: qty.min(MAX_QTY),
        });
    }
}

/// A priced line, with where its units ship from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedLine {
    pub unit: Money,
    pub qty: u32,
    /// (warehouse id, whether it crosses a border, units).
    pub parts: Vec<(String, bool, u32)>,
    /// A running voucher or free-shipping promotion of the listing.
    pub promotion: Option<PromotionKind>,
}

impl PricedLine {
    /// The line as the shopper pays for it (the server's quote works it out the same way).
    pub fn order(&self) -> Result<OrderLine, String> {
        OrderLine::new(self.unit, self.qty, self.promotion.as_ref())
            .map_err(|_| "The cart's total is too large.".to_string())
    }
}

/// The cart's totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// What the items cost, after vouchers.
    pub items: Money,
    /// Shipments: one per warehouse.
    pub shipments: u32,
    pub delivery: Money,
    pub duty: Money,
    /// VAT in the total (included in the prices, or added).
    pub vat: Money,
    pub vat_name: String,
    pub vat_rate_bp: u32,
    pub vat_included: bool,
    pub total: Money,
    /// The free-delivery threshold, and what is left to reach it.
    pub free_over: Option<Money>,
    pub to_free: Option<Money>,
}

/// The duty rule in force on `day`.
pub fn duty_rule(rules: &[DutyRule], day: Date) -> Option<&DutyRule> {
    rules
        .iter()
        .find(|r| r.from <= day && r.to.is_none_or(|to| day <= to))
}

/// Works out the totals of `lines` in market `market` on `day` (the destination's today).
pub fn totals(
    net: &Network,
    market: usize,
    day: Date,
    lines: &[PricedLine],
) -> Result<Totals, String> {
    let overflow = |_| "The cart's total is too large.".to_string();
    let def = net
        .file
        .markets
        .get(market)
        .ok_or_else(|| "Unknown market.".to_string())?;
    let currency: Currency = net
        .markets
        .get(market)
        .map(|m| m.currency)
        .ok_or_else(|| "Unknown market.".to_string())?;
    let zero = Money::zero(currency);
    let mut items = zero;
    // Shipments by warehouse: (warehouse, crosses a border, value, units, ships free).
    let mut shipments: Vec<(String, bool, Money, u32, bool)> = Vec::new();
    for line in lines {
        if line.unit.currency() != currency {
            return Err("A price is in another currency: reload the cart.".to_string());
        }
        let order = line.order()?;
        items = items.checked_add(order.total).map_err(overflow)?;
        // The voucher comes off the line's first parts' values, as far as it goes.
        let mut off = order.voucher_off.minor();
        for (wh, cross, units) in &line.parts {
            let full = line.unit.checked_mul(i64::from(*units)).map_err(overflow)?;
            let taken = off.min(full.minor());
            off -= taken;
            let v = Money::from_minor(full.minor() - taken, currency);
            match shipments.iter_mut().find(|s| &s.0 == wh) {
                Some(s) => {
                    s.2 = s.2.checked_add(v).map_err(overflow)?;
                    s.3 = s.3.saturating_add(*units);
                    s.4 |= order.ships_free;
                }
                None => shipments.push((wh.clone(), *cross, v, *units, order.ships_free)),
            }
        }
    }
    let free_over = def
        .shopper_fee
        .free_over_minor
        .map(|m| Money::from_minor(m, currency));
    let free = free_over.is_some_and(|f| items.minor() >= f.minor());
    let n = u32::try_from(shipments.len()).unwrap_or(u32::MAX);
    let charged = shipments.iter().filter(|s| !s.4).count();
    let delivery = if free {
        zero
    } else {
        Money::from_minor(def.shopper_fee.standard_minor, currency)
            .checked_mul(i64::try_from(charged).unwrap_or(i64::MAX))
            .map_err(overflow)?
    };
    let mut duty = zero;
    if let Some(rule) = duty_rule(&def.duty, day) {
        for (_, cross, value, units, _) in &shipments {
            if !cross
                || rule
                    .duty_free_below_minor
                    .is_some_and(|t| value.minor() < t)
            {
                continue;
            }
            let d = match rule.flat_duty_per_item_minor {
                Some(flat) => Money::from_minor(flat, currency)
                    .checked_mul(i64::from(*units))
                    .map_err(overflow)?,
                None => value
                    .mul_ratio(i64::from(rule.duty_rate_bp), 10_000, Rounding::HalfUp)
                    .map_err(overflow)?,
            };
            duty = duty.checked_add(d).map_err(overflow)?;
        }
    }
    let rate = i64::from(def.vat.rate_bp);
    let included = def.vat.prices_include_vat;
    let taxed = items
        .checked_add(delivery)
        .and_then(|s| s.checked_add(duty))
        .map_err(overflow)?;
    let vat = if included {
        // The VAT inside VAT-inclusive prices (duty is added, so VAT on it is added too).
        let inside = items
            .checked_add(delivery)
            .map_err(overflow)?
            .mul_ratio(rate, 10_000 + rate, Rounding::HalfUp)
            .map_err(overflow)?;
        let on_duty = duty
            .mul_ratio(rate, 10_000, Rounding::HalfUp)
            .map_err(overflow)?;
        inside.checked_add(on_duty).map_err(overflow)?
    } else {
        taxed
            .mul_ratio(rate, 10_000, Rounding::HalfUp)
            .map_err(overflow)?
    };
    let total = if included {
        let on_duty = duty
            .mul_ratio(rate, 10_000, Rounding::HalfUp)
            .map_err(overflow)?;
        taxed.checked_add(on_duty).map_err(overflow)?
    } else {
        taxed.checked_add(vat).map_err(overflow)?
    };
    let to_free = free_over.and_then(|f| {
        let left = f.minor().checked_sub(items.minor())?;
        (left > 0).then(|| Money::from_minor(left, currency))
    });
    Ok(Totals {
        items,
        shipments: n,
        delivery,
        duty,
        vat,
        vat_name: def.vat.name.clone(),
        vat_rate_bp: def.vat.rate_bp,
        vat_included: included,
        total,
        free_over,
        to_free,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_network;

    fn market(net: &Network, id: &str) -> (usize, Currency) {
        let i = net.market_index(id).expect("market");
        (i, net.markets[i].currency)
    }

    fn line(unit: Money, qty: u32, wh: &str, cross: bool) -> PricedLine {
        PricedLine {
            unit,
            qty,
            parts: vec![(wh.to_string(), cross, qty)],
            promotion: None,
        }
    }

    fn promoted(line: PricedLine, promotion: PromotionKind) -> PricedLine {
        PricedLine {
            promotion: Some(promotion),
            ..line
        }
    }

    #[test]
    fn cart_round_trips_and_drops_junk() {
        let lines = vec![
            CartLine {
                id: "L1".into(),
                qty: 2,
            },
            CartLine {
                id: "L2".into(),
                qty: 1,
            },
        ];
        assert_eq!(decode_cart(&encode_cart(&lines)), lines);
        let junk = decode_cart("L1*2,,x,L1*3,L2*0,L3*abc,<b>*1,L4*1000");
        assert_eq!(
            junk,
            vec![
                CartLine {
                    id: "L1".into(),
                    qty: 2
                },
                CartLine {
                    id: "L4".into(),
                    qty: MAX_QTY
                }
            ]
        );
        assert!(decode_cart("").is_empty());
    }

    #[test]
    fn lines_from_one_warehouse_ship_together() {
        let net = test_network();
        let (m, usd) = market(&net, "US");
        let day = Date::parse("2026-11-24").expect("date");
        let t = totals(
            &net,
            m,
            day,
            &[
                line(Money::from_minor(1000, usd), 1, "us-west", false),
                line(Money::from_minor(500, usd), 2, "us-west", false),
            ],
        )
        .expect("totals");
        assert_eq!(t.items.minor(), 2000);
        assert_eq!(t.shipments, 1);
        assert_eq!(t.delivery.minor(), 499);
        assert_eq!(t.duty.minor(), 0);
        assert_eq!(t.total.minor(), 2499);
        assert_eq!(t.to_free.map(|m| m.minor()), Some(1500));
    }

    #[test]
    fn free_delivery_over_the_threshold_and_us_duty_on_cross_border() {
        let net = test_network();
        let (m, usd) = market(&net, "US");
        let day = Date::parse("2026-11-24").expect("date");
        let t = totals(
            &net,
            m,
            day,
            &[
                line(Money::from_minor(3000, usd), 1, "cn-gz", true),
                line(Money::from_minor(1000, usd), 1, "us-east", false),
            ],
        )
        .expect("totals");
        assert_eq!(t.shipments, 2);
        assert_eq!(t.delivery.minor(), 0);
        // 15 % on the cross-border shipment only.
        assert_eq!(t.duty.minor(), 450);
        assert_eq!(t.total.minor(), 4450);
        assert_eq!(t.to_free, None);
    }

    #[test]
    fn eu_vat_is_included_and_flat_duty_applies_per_item() {
        let net = test_network();
        let (m, eur) = market(&net, "DE");
        let day = Date::parse("2026-11-24").expect("date");
        let t = totals(
            &net,
            m,
            day,
            &[line(Money::from_minor(1190, eur), 2, "cn-gz", true)],
        )
        .expect("totals");
        assert!(t.vat_included);
        assert_eq!(t.items.minor(), 2380);
        assert_eq!(t.delivery.minor(), 399);
        assert_eq!(t.duty.minor(), 600);
        // VAT inside (2380 + 399) × 19/119 = 443.7 → 444, plus 19 % of the duty (114).
        assert_eq!(t.vat.minor(), 444 + 114);
        assert_eq!(t.total.minor(), 2380 + 399 + 600 + 114);
    }

    #[test]
    fn a_sellers_free_shipping_frees_the_shipment_carrying_a_line_that_reaches_it() {
        let net = test_network();
        let (m, usd) = market(&net, "US");
        let day = Date::parse("2026-11-24").expect("date");
        let usd = |minor| Money::from_minor(minor, usd);
        let free_over = PromotionKind::FreeShippingOver {
            threshold: usd(2000),
        };
        let fees = |qty: u32, other_wh: &str| {
            let t = totals(
                &net,
                m,
                day,
                &[
                    promoted(line(usd(1000), qty, "us-west", false), free_over),
                    line(usd(500), 1, other_wh, false),
                ],
            )
            .expect("totals");
            (t.shipments, t.delivery.minor(), t.items.minor())
        };
        // Below the threshold both shipments pay; at and above it, only the other one.
        assert_eq!(fees(1, "us-east"), (2, 998, 1500));
        assert_eq!(fees(2, "us-east"), (2, 499, 2500));
        // At $35 in all, the market's own threshold frees both.
        assert_eq!(fees(3, "us-east"), (2, 0, 3500));
        // A line riding in the free shipment ships free with it.
        assert_eq!(fees(2, "us-west"), (1, 0, 2500));
        assert_eq!(fees(1, "us-west"), (1, 499, 1500));
    }

    #[test]
    fn a_voucher_comes_off_its_line_once_and_never_below_zero() {
        let net = test_network();
        let (m, usd) = market(&net, "US");
        let day = Date::parse("2026-11-24").expect("date");
        let usd = |minor| Money::from_minor(minor, usd);
        let voucher = |minor| PromotionKind::Voucher { amount: usd(minor) };
        let t = |lines: &[PricedLine]| totals(&net, m, day, lines).expect("totals");
        // 4 × $10 would reach the $35 free-delivery threshold; less the voucher it does not.
        let a = t(&[promoted(line(usd(1000), 4, "us-west", false), voucher(600))]);
        assert_eq!((a.items.minor(), a.delivery.minor()), (3400, 499));
        assert_eq!(a.to_free.map(|m| m.minor()), Some(100));
        let b = t(&[promoted(line(usd(1000), 1, "us-west", false), voucher(600))]);
        assert_eq!(b.items.minor(), 400);
        // More than the line: the line costs nothing, the cart never less.
        let c = t(&[
            promoted(line(usd(300), 1, "us-west", false), voucher(500)),
            line(usd(700), 1, "us-west", false),
        ]);
        assert_eq!(c.items.minor(), 700);
        // Duty is on what the shipment is worth after the voucher: 15 % of $25.
        let d = t(&[promoted(line(usd(3000), 1, "cn-gz", true), voucher(500))]);
        assert_eq!((d.items.minor(), d.duty.minor()), (2500, 375));
        // The line is what the server's quote works out for it.
        let order = promoted(line(usd(1999), 3, "us-west", false), voucher(500))
            .order()
            .expect("order");
        assert_eq!(
            (order.total.minor(), order.voucher_off.minor()),
            (5497, 500)
        );
    }

    #[test]
    fn an_empty_cart_costs_nothing() {
        let net = test_network();
        let (m, _) = market(&net, "GB");
        let day = Date::parse("2026-11-24").expect("date");
        let t = totals(&net, m, day, &[]).expect("totals");
        assert_eq!(t.total.minor(), 0);
        assert_eq!(t.shipments, 0);
    }
}
