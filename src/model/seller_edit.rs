//! What a save sends and how a conflict is shown: the changes between a SKU's saved
//! values and the seller's edits (only what the seller changed is sent, so a save never
//! writes back values it did not touch), the rows of the conflict view, the promotions
//! of a SKU as the pricing engine prices them, and the audit log's entries in words.

use crossdock_core::json::{Kind, Value};
use crossdock_core::pricing::{Promotion, PromotionKind};
use crossdock_core::{Instant, Mode, Money};

use super::form::amount_input;

/// A price to save in the market being edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceChange {
    /// The shown price (semi-managed, platform local).
    Price(Money),
    /// What the platform pays (fully managed).
    SupplyPrice(Money),
}

/// The saved values the panel edits, in one market.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub mode: Mode,
    /// What the shopper pays (under fully managed, the platform's price).
    pub price: Money,
    /// Fully managed only.
    pub supply_price: Option<Money>,
    /// Units on hand per warehouse.
    pub stock: Vec<(String, i64)>,
}

/// What a save changes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Changes {
    pub mode: Option<Mode>,
    pub price: Option<PriceChange>,
    /// Units on hand, per warehouse that changed.
    pub stock: Vec<(String, u32)>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.mode.is_none() && self.price.is_none() && self.stock.is_empty()
    }
}

/// The changes between `saved` and the seller's edits: the mode when it differs; the
/// price the draft's mode sets when it differs from the saved one (or the mode moves to
/// fully managed, which needs a supply price); the stock of each warehouse whose count
/// differs. `price`/`supply_price` are the draft's, already checked.
pub fn changes(
    saved: &Saved,
    mode: Mode,
    price: Option<Money>,
    supply_price: Option<Money>,
    stock: &[(String, u32)],
) -> Changes {
    let price = match mode {
        Mode::FullyManaged => supply_price
            .filter(|s| saved.mode != Mode::FullyManaged || saved.supply_price != Some(*s))
            .map(PriceChange::SupplyPrice),
        _ => price.filter(|p| *p != saved.price).map(PriceChange::Price),
    };
    let stock = stock
        .iter()
        .filter(|(w, n)| {
            let before = saved
                .stock
                .iter()
                .find(|(s, _)| s == w)
                .map_or(0, |(_, q)| *q);
            before != i64::from(*n)
        })
        .cloned()
        .collect();
    Changes {
        mode: (mode != saved.mode).then_some(mode),
        price,
        stock,
    }
}

/// Moving to fully managed needs a supply price in every market: for the markets other
/// than the one edited that have none on record, the one the server priced the fully
/// managed column with (`assumed`). `markets`: (market, supply price on record, assumed).
pub fn supply_prices_to_fill(
    markets: &[(String, Option<Money>, Option<Money>)],
    edited: &str,
) -> Vec<(String, Money)> {
    markets
        .iter()
        .filter(|(m, on_record, _)| m != edited && on_record.is_none())
        .filter_map(|(m, _, assumed)| assumed.map(|a| (m.clone(), a)))
        .collect()
}

/// A value in the conflict view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    Mode(Mode),
    Money(Money),
    Units(i64),
    Nothing,
}

impl Shown {
    /// Plain text (money as "19.99 USD"; the page formats money its own way).
    pub fn text(&self) -> String {
        match self {
            Shown::Mode(m) => m.label().to_string(),
            Shown::Money(m) => format!("{} {}", amount_input(*m), m.currency().code),
            Shown::Units(n) => format!("{n} units"),
            Shown::Nothing => "—".to_string(),
        }
    }
}

/// One row of the conflict view: your value and the one saved meanwhile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictRow {
    pub label: String,
    pub mine: Shown,
    pub theirs: Shown,
}

impl ConflictRow {
    pub fn differs(&self) -> bool {
        self.mine != self.theirs
    }
}

/// The rows of the conflict view: every value the seller changed, beside the value saved
/// meanwhile (`theirs`, in `market`).
pub fn conflict_rows(
    mine: &Changes,
    market: &str,
    theirs: &Saved,
    warehouse_name: impl Fn(&str) -> String,
) -> Vec<ConflictRow> {
    let mut rows = Vec::new();
    if let Some(m) = mine.mode {
        rows.push(ConflictRow {
            label: "Fulfilment mode".into(),
            mine: Shown::Mode(m),
            theirs: Shown::Mode(theirs.mode),
        });
    }
    match mine.price {
        Some(PriceChange::Price(p)) => rows.push(ConflictRow {
            label: format!("Price in {market}"),
            mine: Shown::Money(p),
            theirs: if theirs.mode == Mode::FullyManaged {
                Shown::Nothing
            } else {
                Shown::Money(theirs.price)
            },
        }),
        Some(PriceChange::SupplyPrice(p)) => rows.push(ConflictRow {
            label: format!("Supply price in {market}"),
            mine: Shown::Money(p),
            theirs: theirs.supply_price.map_or(Shown::Nothing, Shown::Money),
        }),
        None => {}
    }
    for (w, n) in &mine.stock {
        let now = theirs
            .stock
            .iter()
            .find(|(s, _)| s == w)
            .map_or(0, |(_, q)| *q);
        rows.push(ConflictRow {
            label: format!("On hand in {}", warehouse_name(w)),
            mine: Shown::Units(i64::from(*n)),
            theirs: Shown::Units(now),
        });
    }
    rows
}

/// A promotion of the SKU as the API describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromotionFacts<'a> {
    pub kind: &'a str,
    pub percent_bp: Option<i64>,
    pub amount: Option<Money>,
    pub threshold: Option<Money>,
    /// What one unit costs the shopper while it runs.
    pub shopper_price: Money,
    /// seller or platform.
    pub funded_by: &'a str,
    pub starts_at: Instant,
    pub ends_at: Instant,
}

/// The promotion as the pricing engine prices it, as the server does: the panel's kinds
/// one to one; the demo catalog's fixed-price kinds as the difference to the regular
/// price — a platform subsidy when the platform funds it, else a voucher (under fully
/// managed, the percentage off it amounts to). `None` when it does not lower the price.
pub fn core_promotion(p: &PromotionFacts<'_>, regular: Money, mode: Mode) -> Option<Promotion> {
    let kind = match p.kind {
        "percent_off" => PromotionKind::PercentOff {
            percent_bp: u32::try_from(p.percent_bp?).ok()?,
        },
        "voucher" => PromotionKind::Voucher { amount: p.amount? },
        "platform_subsidy" => PromotionKind::PlatformSubsidy { amount: p.amount? },
        "free_shipping_over" => PromotionKind::FreeShippingOver {
            threshold: p.threshold?,
        },
        _ => {
            let off = regular.minor().checked_sub(p.shopper_price.minor())?;
            if off <= 0 {
                return None;
            }
            let money = Money::from_minor(off, regular.currency());
            if p.funded_by == "platform" {
                PromotionKind::PlatformSubsidy { amount: money }
            } else if mode == Mode::FullyManaged {
                let bp = (i128::from(off) * 20_000 + i128::from(regular.minor()))
                    / (2 * i128::from(regular.minor()));
                PromotionKind::PercentOff {
                    percent_bp: u32::try_from(bp.clamp(1, 9_000)).ok()?,
                }
            } else {
                PromotionKind::Voucher { amount: money }
            }
        }
    };
    Some(Promotion {
        kind,
        starts: p.starts_at,
        ends: p.ends_at,
    })
}

/// An instant inside a promotion, to price it as running: `now` when it runs, else its
/// start.
pub fn instant_within(p: &Promotion, now: Instant) -> Instant {
    if p.runs_at(now) { now } else { p.starts }
}

/// What an audit entry is about, in words: "Price in US", "Stock in us-3pl-ca", "Mode".
pub fn audit_subject(kind: &str, market: Option<&str>, warehouse: Option<&str>) -> String {
    let base = match kind {
        "price" => "Price",
        "stock" => "Stock",
        "mode" => "Fulfilment mode",
        "promotion" => "Promotion",
        "inbound" => "Sea shipment",
        other => other,
    };
    match (market, warehouse) {
        (Some(m), _) => format!("{base} in {m}"),
        (None, Some(w)) => format!("{base} at {w}"),
        _ => base.to_string(),
    }
}

/// An audit entry's `before` or `after` in words: `{"price": Money, "supply_price": null}`
/// → "19.99 USD"; `{"on_hand": 40}` → "40 on hand"; `{"mode": "semi_managed"}` →
/// "Semi-managed"; other objects as "key: value" pairs; `None` → "—".
pub fn audit_values(v: Option<&Value>) -> String {
    let Some(v) = v else {
        return "—".to_string();
    };
    let Kind::Object(members) = &v.kind else {
        return scalar(v);
    };
    let get = |k: &str| members.iter().find(|m| m.key == k).map(|m| &m.value);
    if let Some(price) = get("price").and_then(money_of) {
        return match get("supply_price").and_then(money_of) {
            Some(s) => format!(
                "{} (supply price {})",
                Shown::Money(price).text(),
                Shown::Money(s).text()
            ),
            None => Shown::Money(price).text(),
        };
    }
    if members.len() == 1
        && let Some(n) = get("on_hand")
    {
        return format!("{} on hand", scalar(n));
    }
    if members.len() == 1
        && let Some(Value {
            kind: Kind::Str(m), ..
        }) = get("mode")
    {
        return crate::model::query::parse_mode(m)
            .map_or_else(|| m.clone(), |m| m.label().to_string());
    }
    members
        .iter()
        .filter(|m| m.key != "id")
        .map(|m| {
            let value =
                money_of(&m.value).map_or_else(|| scalar(&m.value), |x| Shown::Money(x).text());
            format!("{}: {value}", m.key.replace('_', " "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn money_of(v: &Value) -> Option<Money> {
    <Money as crossdock_core::json::FromJson>::from_json(v, &crossdock_core::json::Path::Root).ok()
}

fn scalar(v: &Value) -> String {
    match &v.kind {
        Kind::Null => "—".to_string(),
        Kind::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Kind::Int {
            negative,
            magnitude,
        } => format!("{}{magnitude}", if *negative { "-" } else { "" }),
        Kind::Str(s) => s.clone(),
        Kind::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(", "),
        Kind::Object(_) => audit_values(Some(v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossdock_core::{Currency, CurrencyCode};

    fn usd(minor: i64) -> Money {
        Money::from_minor(
            minor,
            Currency {
                code: CurrencyCode::new("USD").unwrap(),
                exponent: 2,
            },
        )
    }

    fn saved() -> Saved {
        Saved {
            mode: Mode::SemiManaged,
            price: usd(1999),
            supply_price: None,
            stock: vec![("us-3pl-ca".into(), 40), ("us-3pl-nj".into(), 0)],
        }
    }

    #[test]
    fn only_what_the_seller_changed_is_sent() {
        let s = saved();
        let stock =
            |a: u32, b: u32| vec![("us-3pl-ca".to_string(), a), ("us-3pl-nj".to_string(), b)];
        let none = changes(
            &s,
            Mode::SemiManaged,
            Some(usd(1999)),
            Some(usd(999)),
            &stock(40, 0),
        );
        assert!(none.is_empty(), "{none:?}");
        let c = changes(&s, Mode::SemiManaged, Some(usd(1799)), None, &stock(40, 12));
        assert_eq!(c.mode, None);
        assert_eq!(c.price, Some(PriceChange::Price(usd(1799))));
        assert_eq!(c.stock, vec![("us-3pl-nj".to_string(), 12)]);
        // A warehouse with no stock row yet counts as zero.
        let c = changes(&s, Mode::SemiManaged, None, None, &[("us-west".into(), 0)]);
        assert!(c.is_empty());
    }

    #[test]
    fn moving_to_fully_managed_sends_the_supply_price() {
        let s = saved();
        let c = changes(&s, Mode::FullyManaged, Some(usd(1999)), Some(usd(999)), &[]);
        assert_eq!(c.mode, Some(Mode::FullyManaged));
        assert_eq!(c.price, Some(PriceChange::SupplyPrice(usd(999))));
        let fm = Saved {
            mode: Mode::FullyManaged,
            supply_price: Some(usd(999)),
            ..saved()
        };
        assert!(changes(&fm, Mode::FullyManaged, None, Some(usd(999)), &[]).is_empty());
        // Back to semi-managed at the platform's price: only the mode changes.
        let c = changes(&fm, Mode::SemiManaged, Some(usd(1999)), Some(usd(999)), &[]);
        assert_eq!((c.mode, c.price), (Some(Mode::SemiManaged), None));
    }

    #[test]
    fn other_markets_get_the_assumed_supply_price_only_when_they_have_none() {
        let markets = vec![
            ("US".to_string(), None, Some(usd(999))),
            ("DE".to_string(), None, Some(usd(1400))),
            ("GB".to_string(), Some(usd(1200)), Some(usd(1300))),
            ("KR".to_string(), None, None),
        ];
        assert_eq!(
            supply_prices_to_fill(&markets, "US"),
            vec![("DE".to_string(), usd(1400))]
        );
    }

    #[test]
    fn the_conflict_view_lists_each_change_beside_the_saved_value() {
        let mine = Changes {
            mode: Some(Mode::PlatformLocal),
            price: Some(PriceChange::Price(usd(1799))),
            stock: vec![("us-3pl-ca".into(), 30)],
        };
        let theirs = Saved {
            price: usd(2199),
            stock: vec![("us-3pl-ca".into(), 25)],
            ..saved()
        };
        let rows = conflict_rows(&mine, "US", &theirs, |w| format!("[{w}]"));
        let text: Vec<(String, String, String, bool)> = rows
            .iter()
            .map(|r| (r.label.clone(), r.mine.text(), r.theirs.text(), r.differs()))
            .collect();
        assert_eq!(
            text,
            vec![
                (
                    "Fulfilment mode".into(),
                    "Platform local warehouse".into(),
                    "Semi-managed".into(),
                    true
                ),
                (
                    "Price in US".into(),
                    "17.99 USD".into(),
                    "21.99 USD".into(),
                    true
                ),
                (
                    "On hand in [us-3pl-ca]".into(),
                    "30 units".into(),
                    "25 units".into(),
                    true
                ),
            ]
        );
    }

    #[test]
    fn promotions_price_as_the_server_prices_them() {
        let at = |s: &str| Instant::parse(s).unwrap();
        let facts = |kind, funded_by| PromotionFacts {
            kind,
            percent_bp: Some(2000),
            amount: Some(usd(300)),
            threshold: Some(usd(4900)),
            shopper_price: usd(1499),
            funded_by,
            starts_at: at("2026-11-20T00:00:00Z"),
            ends_at: at("2026-12-01T08:00:00Z"),
        };
        let kind =
            |f: PromotionFacts<'_>, mode| core_promotion(&f, usd(1999), mode).map(|p| p.kind);
        assert_eq!(
            kind(facts("percent_off", "seller"), Mode::SemiManaged),
            Some(PromotionKind::PercentOff { percent_bp: 2000 })
        );
        assert_eq!(
            kind(facts("voucher", "seller"), Mode::SemiManaged),
            Some(PromotionKind::Voucher { amount: usd(300) })
        );
        assert_eq!(
            kind(facts("free_shipping_over", "seller"), Mode::SemiManaged),
            Some(PromotionKind::FreeShippingOver {
                threshold: usd(4900)
            })
        );
        assert_eq!(
            kind(facts("seasonal_sale", "seller"), Mode::SemiManaged),
            Some(PromotionKind::Voucher { amount: usd(500) })
        );
        assert_eq!(
            kind(facts("seasonal_sale", "platform"), Mode::SemiManaged),
            Some(PromotionKind::PlatformSubsidy { amount: usd(500) })
        );
        // 500 / 1999 = 25.01 % (the server's own test).
        assert_eq!(
            kind(facts("seasonal_sale", "seller"), Mode::FullyManaged),
            Some(PromotionKind::PercentOff { percent_bp: 2501 })
        );
        let p = core_promotion(&facts("voucher", "seller"), usd(1999), Mode::SemiManaged).unwrap();
        assert_eq!(
            instant_within(&p, at("2026-11-25T00:00:00Z")),
            at("2026-11-25T00:00:00Z")
        );
        assert_eq!(instant_within(&p, at("2026-10-01T00:00:00Z")), p.starts);
    }

    #[test]
    fn audit_entries_read_in_words() {
        let v = |s: &str| crossdock_core::json::parse(s).unwrap();
        let money = r#"{"minor":1999,"currency":"USD","exponent":2}"#;
        assert_eq!(
            audit_values(Some(&v(&format!(
                r#"{{"price":{money},"supply_price":null}}"#
            )))),
            "19.99 USD"
        );
        assert_eq!(
            audit_values(Some(&v(&format!(
                r#"{{"price":{money},"supply_price":{money}}}"#
            )))),
            "19.99 USD (supply price 19.99 USD)"
        );
        assert_eq!(audit_values(Some(&v(r#"{"on_hand":40}"#))), "40 on hand");
        assert_eq!(
            audit_values(Some(&v(r#"{"mode":"platform_local"}"#))),
            "Platform local warehouse"
        );
        assert_eq!(
            audit_values(Some(&v(
                r#"{"id":4,"warehouse":"us-3pl-ca","quantity":500,"eta":"2026-12-20T00:00:00Z"}"#
            ))),
            "warehouse: us-3pl-ca, quantity: 500, eta: 2026-12-20T00:00:00Z"
        );
        assert_eq!(audit_values(None), "—");
        assert_eq!(audit_subject("price", Some("US"), None), "Price in US");
        assert_eq!(
            audit_subject("stock", None, Some("us-3pl-ca")),
            "Stock at us-3pl-ca"
        );
        assert_eq!(audit_subject("mode", None, None), "Fulfilment mode");
    }
}
