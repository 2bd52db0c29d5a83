//! The what-if: what the seller types (price, supply price, mode, promotion, target
//! margin) turned into a [`PricingRequest`] for `crossdock_core::pricing`, which the page
//! runs in the browser on every keystroke — the same engine the server runs on save —
//! and the engine's answer laid out as the rows of the side-by-side columns.

use crossdock_core::money::{Rounding, div_round};
use crossdock_core::pricing::{
    LineKind, MAX_INVENTORY_AGE_DAYS, ModePricing, PricingRequest, PricingRules, Promotion,
    PromotionKind, Side, Sku,
};
use crossdock_core::{Currency, CurrencyCode, Instant, Mode, Money, Network};

use super::form::{amount_input, bp_input, parse_discount_bp, parse_price, parse_target_bp};

/// The target margin a suggestion aims for unless the seller says otherwise (20 %).
pub const DEFAULT_TARGET_BP: u32 = 2_000;
/// How long a what-if promotion runs from now (its effect is shown as if running).
pub const WHAT_IF_PROMOTION_DAYS: i64 = 7;

/// What the engine needs to know about the SKU, from its private detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuFacts {
    pub sku: Sku,
    /// Overseas warehouses that hold the seller's stock (the warehouse priced is the one
    /// the platform would ship from).
    pub warehouses: Vec<String>,
    /// Days a sold unit has spent in the warehouse.
    pub inventory_age_days: u32,
}

/// The kinds of promotion a seller can try.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PromoChoice {
    #[default]
    None,
    PercentOff,
    Voucher,
    Subsidy,
    FreeShipping,
}

impl PromoChoice {
    pub const ALL: [PromoChoice; 5] = [
        PromoChoice::None,
        PromoChoice::PercentOff,
        PromoChoice::Voucher,
        PromoChoice::Subsidy,
        PromoChoice::FreeShipping,
    ];

    /// The form's value.
    pub fn id(self) -> &'static str {
        match self {
            PromoChoice::None => "none",
            PromoChoice::PercentOff => "percent_off",
            PromoChoice::Voucher => "voucher",
            PromoChoice::Subsidy => "platform_subsidy",
            PromoChoice::FreeShipping => "free_shipping_over",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PromoChoice::None => "No promotion",
            PromoChoice::PercentOff => "Percentage off",
            PromoChoice::Voucher => "Voucher (fixed amount off)",
            PromoChoice::Subsidy => "Platform subsidy per item",
            PromoChoice::FreeShipping => "Free shipping over a threshold",
        }
    }

    /// What the value field asks for.
    pub fn value_label(self) -> &'static str {
        match self {
            PromoChoice::None => "",
            PromoChoice::PercentOff => "Discount (%)",
            PromoChoice::Voucher => "Voucher amount",
            PromoChoice::Subsidy => "Subsidy per item",
            PromoChoice::FreeShipping => "Free shipping on orders from",
        }
    }

    pub fn parse(s: &str) -> PromoChoice {
        PromoChoice::ALL
            .into_iter()
            .find(|c| c.id() == s)
            .unwrap_or_default()
    }
}

/// What the seller has typed in the what-if, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub mode: Mode,
    /// The shown price (semi-managed, platform local).
    pub price: String,
    /// What the platform pays per unit (fully managed).
    pub supply_price: String,
    pub promo: PromoChoice,
    /// The promotion's percentage or amount.
    pub promo_value: String,
    /// Target margin in percent.
    pub target: String,
}

impl Draft {
    /// The saved values of a SKU in a market.
    pub fn saved(mode: Mode, price: Option<Money>, supply_price: Option<Money>) -> Draft {
        Draft {
            mode,
            price: price.map(amount_input).unwrap_or_default(),
            supply_price: supply_price.map(amount_input).unwrap_or_default(),
            promo: PromoChoice::None,
            promo_value: String::new(),
            target: bp_input(i64::from(DEFAULT_TARGET_BP)),
        }
    }
}

/// What is wrong with each field of a draft (`None`: fine).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Problems {
    pub price: Option<String>,
    pub supply_price: Option<String>,
    pub promo_value: Option<String>,
    pub target: Option<String>,
}

impl Problems {
    /// Whether any field is wrong.
    pub fn any(&self) -> bool {
        self.price.is_some()
            || self.supply_price.is_some()
            || self.promo_value.is_some()
            || self.target.is_some()
    }

    /// Whether the fields a save sends are fine for `mode` (the promotion and target are
    /// what-if only; the price the mode does not use may be empty).
    pub fn blocks_save(&self, mode: Mode) -> Option<&String> {
        match mode {
            Mode::FullyManaged => self.supply_price.as_ref(),
            _ => self.price.as_ref(),
        }
    }
}

/// The market's currency and its price limit, from the network and the rules.
pub fn market_money(
    net: &Network,
    rules: &PricingRules,
    market: &str,
) -> Option<(Currency, Money)> {
    let i = net.market_index(market)?;
    let currency = net.markets.get(i)?.currency;
    let limit = rules.market(market)?.max_price_minor;
    Some((currency, Money::from_minor(limit, currency)))
}

/// The pricing request for a draft, and what is wrong with it. Fields that do not read
/// are left out of the request (the engine then explains the columns it cannot price),
/// and an unreadable target falls back to [`DEFAULT_TARGET_BP`].
pub fn request(
    facts: &SkuFacts,
    market: &str,
    currency: Currency,
    limit: Money,
    draft: &Draft,
    now: Instant,
) -> (PricingRequest, Problems) {
    let mut problems = Problems::default();
    let blank_ok = |text: &str, needed: bool| text.trim().is_empty() && !needed;
    let price = if blank_ok(&draft.price, draft.mode != Mode::FullyManaged) {
        None
    } else {
        parse_price(&draft.price, currency, Some(limit), "The price")
            .map_err(|e| problems.price = Some(e))
            .ok()
    };
    let supply_price = if blank_ok(&draft.supply_price, draft.mode == Mode::FullyManaged) {
        None
    } else {
        parse_price(
            &draft.supply_price,
            currency,
            Some(limit),
            "The supply price",
        )
        .map_err(|e| problems.supply_price = Some(e))
        .ok()
    };
    let target_margin_bp = parse_target_bp(&draft.target)
        .map_err(|e| problems.target = Some(e))
        .unwrap_or(DEFAULT_TARGET_BP);
    let kind = match draft.promo {
        PromoChoice::None => None,
        PromoChoice::PercentOff => parse_discount_bp(&draft.promo_value)
            .map(|percent_bp| PromotionKind::PercentOff { percent_bp })
            .map_err(|e| problems.promo_value = Some(e))
            .ok(),
        choice => {
            let what = match choice {
                PromoChoice::Voucher => "The voucher",
                PromoChoice::Subsidy => "The subsidy",
                _ => "The threshold",
            };
            parse_price(&draft.promo_value, currency, Some(limit), what)
                .map(|amount| match choice {
                    PromoChoice::Voucher => PromotionKind::Voucher { amount },
                    PromoChoice::Subsidy => PromotionKind::PlatformSubsidy { amount },
                    _ => PromotionKind::FreeShippingOver { threshold: amount },
                })
                .map_err(|e| problems.promo_value = Some(e))
                .ok()
        }
    };
    let promotion = kind.map(|kind| Promotion {
        kind,
        starts: now,
        ends: now
            .add_seconds(WHAT_IF_PROMOTION_DAYS * 86_400)
            .unwrap_or(now),
    });
    let request = PricingRequest {
        sku: facts.sku.clone(),
        market: market.to_string(),
        price,
        supply_price,
        inventory_age_days: facts.inventory_age_days.min(MAX_INVENTORY_AGE_DAYS),
        promotion,
        target_margin_bp,
        now,
        destination: None,
        warehouses: facts.warehouses.clone(),
    };
    (request, problems)
}

/// The rows of a column, in the same order for every mode so the columns line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Row {
    /// What the seller is paid: the shown price, or the supply price.
    Price,
    Promotion,
    /// VAT inside the price.
    Vat,
    CostOfGoods,
    /// Getting the goods to the market: inbound delivery in China, sea or air freight.
    HeadHaul,
    /// Receiving and storage in the warehouse.
    Storage,
    /// Pick-and-pack and the local last mile.
    LastMile,
    CustomsClearance,
    Commission,
    PaymentFee,
    Duty,
}

impl Row {
    pub const ALL: [Row; 11] = [
        Row::Price,
        Row::Promotion,
        Row::Vat,
        Row::CostOfGoods,
        Row::HeadHaul,
        Row::Storage,
        Row::LastMile,
        Row::CustomsClearance,
        Row::Commission,
        Row::PaymentFee,
        Row::Duty,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Row::Price => "Price you set",
            Row::Promotion => "Promotion",
            Row::Vat => "VAT in the price",
            Row::CostOfGoods => "Cost of goods",
            Row::HeadHaul => "Head-haul (to the market)",
            Row::Storage => "Storage",
            Row::LastMile => "Last mile",
            Row::CustomsClearance => "Customs clearance",
            Row::Commission => "Platform commission",
            Row::PaymentFee => "Payment fee",
            Row::Duty => "Import duty",
        }
    }

    /// The row of a breakdown line.
    pub fn of(kind: LineKind) -> Option<Row> {
        Some(match kind {
            LineKind::Price | LineKind::SupplyPrice => Row::Price,
            LineKind::Promotion | LineKind::FreeShipping => Row::Promotion,
            LineKind::Vat => Row::Vat,
            LineKind::CostOfGoods => Row::CostOfGoods,
            LineKind::InboundDelivery | LineKind::SeaFreight | LineKind::AirFreight => {
                Row::HeadHaul
            }
            LineKind::Receiving | LineKind::Storage => Row::Storage,
            LineKind::Handling | LineKind::LastMile => Row::LastMile,
            LineKind::CustomsClearance => Row::CustomsClearance,
            LineKind::Commission => Row::Commission,
            LineKind::PaymentFee => Row::PaymentFee,
            LineKind::Duty => Row::Duty,
            LineKind::DeliveryFee => return None,
        })
    }
}

/// One cell of a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// The seller's amount (income positive, costs negative), with the lines it adds up
    /// ("Sea freight (LCL)", "Receiving").
    Amount { amount: Money, parts: Vec<String> },
    /// Fully managed: the platform pays it.
    PlatformPays,
    /// Not part of this sale.
    Nothing,
}

fn sum_row(side: &Side, row: Row) -> Option<(Money, Vec<String>)> {
    let mut total: Option<Money> = None;
    let mut parts = Vec::new();
    for l in side.lines.iter().filter(|l| Row::of(l.kind) == Some(row)) {
        total = Some(match total {
            None => l.amount,
            Some(t) => t.checked_add(l.amount).unwrap_or(t),
        });
        parts.push(l.label.clone());
    }
    total.map(|t| (t, parts))
}

/// The cells of one mode's column, row by row.
pub fn cells(p: &ModePricing) -> Vec<(Row, Cell)> {
    Row::ALL
        .into_iter()
        .map(|row| {
            let cell = match sum_row(&p.seller, row) {
                Some((amount, parts)) => Cell::Amount { amount, parts },
                None if p
                    .platform
                    .as_ref()
                    .is_some_and(|pl| sum_row(pl, row).is_some_and(|(m, _)| m.minor() != 0)) =>
                {
                    Cell::PlatformPays
                }
                None => Cell::Nothing,
            };
            (row, cell)
        })
        .collect()
}

/// The exchange rate the figures use, in words: "1 USD = 7.1000 CNY (rates of
/// 2026-11-20)"; empty when the network has no rate for either.
pub fn fx_note(net: &Network, market: CurrencyCode, cost: CurrencyCode) -> String {
    let (Some(m), Some(c)) = (net.fx_rate(market), net.fx_rate(cost)) else {
        return String::new();
    };
    if market == cost {
        return String::new();
    }
    let scaled = div_round(i128::from(c) * 10_000, i128::from(m), Rounding::HalfUp).unwrap_or(0);
    format!(
        "1 {market} = {}.{:04} {cost} (rates of {})",
        scaled / 10_000,
        scaled % 10_000,
        net.file.fx.as_of
    )
}

/// Margin in basis points as a percentage with one decimal, rounded toward zero:
/// 1234 → "12.3 %", -250 → "-2.5 %".
pub fn margin_pct_text(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let a = bp.unsigned_abs();
    format!("{sign}{}.{}\u{a0}%", a / 100, (a % 100) / 10)
}

#[cfg(test)]
mod tests {
    use crossdock_core::Date;
    use crossdock_core::pricing::{ModeOutcome, Warning, price_all_modes};

    use super::*;
    use crate::model::test_network;

    fn rules(net: &Network) -> PricingRules {
        PricingRules::read(include_str!("../../data/pricing.json"), net).unwrap()
    }

    fn cny(minor: i64) -> Money {
        Money::from_minor(
            minor,
            Currency {
                code: CurrencyCode::new("CNY").unwrap(),
                exponent: 2,
            },
        )
    }

    fn lamp() -> SkuFacts {
        SkuFacts {
            sku: Sku {
                weight_g: 900,
                dims_mm: [300, 200, 150],
                category: "lighting".into(),
                origin: "cn-gz".into(),
                cost_of_goods: cny(4_500),
            },
            warehouses: vec![],
            inventory_age_days: 30,
        }
    }

    fn now() -> Instant {
        Instant::parse("2026-09-15T02:00:00Z").unwrap()
    }

    fn draft(price: &str) -> Draft {
        Draft {
            mode: Mode::SemiManaged,
            price: price.into(),
            supply_price: "12.00".into(),
            promo: PromoChoice::None,
            promo_value: String::new(),
            target: "20".into(),
        }
    }

    fn us(net: &Network, r: &PricingRules) -> (Currency, Money) {
        market_money(net, r, "US").unwrap()
    }

    #[test]
    fn a_draft_becomes_the_engines_request() {
        let net = test_network();
        let r = rules(&net);
        let (usd, limit) = us(&net, &r);
        let (req, problems) = request(&lamp(), "US", usd, limit, &draft("29.99"), now());
        assert!(!problems.any(), "{problems:?}");
        assert_eq!(req.price, Some(Money::from_minor(2999, usd)));
        assert_eq!(req.supply_price, Some(Money::from_minor(1200, usd)));
        assert_eq!(req.target_margin_bp, 2000);
        assert_eq!(req.promotion, None);
        assert_eq!(req.market, "US");
        assert_eq!(req.inventory_age_days, 30);
    }

    #[test]
    fn the_margin_moves_with_the_price_typed() {
        let net = test_network();
        let r = rules(&net);
        let (usd, limit) = us(&net, &r);
        let margin = |price: &str| {
            let (req, _) = request(&lamp(), "US", usd, limit, &draft(price), now());
            let all = price_all_modes(&net, &r, &req).unwrap();
            all.columns
                .into_iter()
                .find(|c| c.mode == Mode::SemiManaged)
                .and_then(|c| match c.outcome {
                    ModeOutcome::Priced { pricing } => Some(pricing.seller.margin.minor()),
                    ModeOutcome::Unavailable { .. } => None,
                })
                .unwrap()
        };
        let low = margin("19.99");
        let high = margin("39.99");
        assert!(high > low, "{low} → {high}");
    }

    #[test]
    fn bad_fields_are_named_and_left_out_of_the_request() {
        let net = test_network();
        let r = rules(&net);
        let (usd, limit) = us(&net, &r);
        let mut d = draft("0");
        d.target = "95".into();
        d.promo = PromoChoice::PercentOff;
        d.promo_value = "95".into();
        let (req, problems) = request(&lamp(), "US", usd, limit, &d, now());
        assert_eq!(
            problems.price.as_deref(),
            Some("The price must be above zero.")
        );
        assert!(problems.target.is_some());
        assert_eq!(
            problems.promo_value.as_deref(),
            Some("A discount can be at most 90 %.")
        );
        assert_eq!(req.price, None);
        assert_eq!(req.promotion, None);
        assert_eq!(req.target_margin_bp, DEFAULT_TARGET_BP);
        assert_eq!(
            problems.blocks_save(Mode::SemiManaged).map(String::as_str),
            Some("The price must be above zero.")
        );
        assert_eq!(problems.blocks_save(Mode::FullyManaged), None);
        // The price a mode does not use may be left empty.
        let mut d = draft("");
        d.mode = Mode::FullyManaged;
        let (_, problems) = request(&lamp(), "US", usd, limit, &d, now());
        assert!(!problems.any(), "{problems:?}");
        d.mode = Mode::SemiManaged;
        let (_, problems) = request(&lamp(), "US", usd, limit, &d, now());
        assert_eq!(problems.price.as_deref(), Some("Enter the price."));
    }

    #[test]
    fn a_deep_promotion_runs_now_and_warns_when_the_margin_goes_negative() {
        let net = test_network();
        let r = rules(&net);
        let (usd, limit) = us(&net, &r);
        let mut d = draft("29.99");
        d.promo = PromoChoice::PercentOff;
        d.promo_value = "80".into();
        let (req, problems) = request(&lamp(), "US", usd, limit, &d, now());
        assert!(!problems.any());
        let p = req.promotion.unwrap();
        assert!(p.runs_at(now()));
        let all = price_all_modes(&net, &r, &req).unwrap();
        let semi = all
            .columns
            .iter()
            .find_map(|c| match &c.outcome {
                ModeOutcome::Priced { pricing } if c.mode == Mode::SemiManaged => Some(pricing),
                _ => None,
            })
            .unwrap();
        assert!(
            semi.warnings
                .contains(&Warning::PromotionMakesMarginNegative)
        );
        assert!(semi.promotion.unwrap().margin_impact.minor() < 0);
    }

    #[test]
    fn every_column_has_the_same_rows_and_fully_managed_shows_what_the_platform_pays() {
        let net = test_network();
        let r = rules(&net);
        let (usd, limit) = us(&net, &r);
        let (req, _) = request(&lamp(), "US", usd, limit, &draft("29.99"), now());
        let all = price_all_modes(&net, &r, &req).unwrap();
        let mut priced = 0;
        for c in &all.columns {
            let ModeOutcome::Priced { pricing } = &c.outcome else {
                continue;
            };
            priced += 1;
            let cells = cells(pricing);
            assert_eq!(
                cells.iter().map(|(r, _)| *r).collect::<Vec<_>>(),
                Row::ALL.to_vec()
            );
            // The amounts add up to the margin (the delivery fee line aside).
            let sum: i64 = cells
                .iter()
                .filter_map(|(_, c)| match c {
                    Cell::Amount { amount, .. } => Some(amount.minor()),
                    _ => None,
                })
                .sum();
            let fee: i64 = pricing
                .seller
                .lines
                .iter()
                .filter(|l| l.kind == LineKind::DeliveryFee)
                .map(|l| l.amount.minor())
                .sum();
            assert_eq!(sum + fee, pricing.seller.margin.minor(), "{:?}", c.mode);
            if c.mode == Mode::FullyManaged {
                let last_mile = cells.iter().find(|(r, _)| *r == Row::LastMile).unwrap();
                assert_eq!(last_mile.1, Cell::PlatformPays);
            }
        }
        assert!(priced >= 2, "{all:?}");
        let _ = Date::parse("2026-09-15").unwrap();
    }

    #[test]
    fn the_exchange_rate_reads_per_unit_of_the_market_currency() {
        let net = test_network();
        let code = |s: &str| CurrencyCode::new(s).unwrap();
        let note = fx_note(&net, code("USD"), code("CNY"));
        assert!(note.starts_with("1 USD = "), "{note}");
        assert!(note.contains(" CNY (rates of "), "{note}");
        assert_eq!(fx_note(&net, code("CNY"), code("CNY")), "");
        assert_eq!(fx_note(&net, code("XXX"), code("CNY")), "");
    }

    #[test]
    fn margins_read_as_percentages_toward_zero() {
        assert_eq!(margin_pct_text(1234), "12.3\u{a0}%");
        assert_eq!(margin_pct_text(-250), "-2.5\u{a0}%");
        assert_eq!(margin_pct_text(0), "0.0\u{a0}%");
    }

    #[test]
    fn promotion_choices_round_trip_through_the_form() {
        for c in PromoChoice::ALL {
            assert_eq!(PromoChoice::parse(c.id()), c);
        }
        assert_eq!(PromoChoice::parse("bogus"), PromoChoice::None);
    }
}
