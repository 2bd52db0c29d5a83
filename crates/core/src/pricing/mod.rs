//! # Seller pricing: what a unit earns in a market under each fulfilment mode
//!
//! For one SKU in one market the engine works out, per fulfilment mode, every line between
//! the price and the seller's unit margin — cost of goods, head-haul, storage, last mile,
//! commission, payment fee, duty, VAT, promotion — the margin in money and in basis
//! points, the break-even price, a suggested price for a target margin, and the delivery
//! window a shopper in the market would be promised. The browser runs it for what-ifs and
//! the server runs it again on save, so both show the same numbers to the minor unit.
//!
//! ## Who pays what, per mode
//! - **Semi-managed** and **platform local**: the seller sets the shown price and pays for
//!   everything: the goods, their share of LCL sea freight to the overseas warehouse
//!   ([`crate::landed::via_warehouse`]), receiving, storage for as long as the unit has
//!   been held (platform-local stock also pays the aged-inventory surcharge of the
//!   pricing file), pick-and-pack and the local last mile (the engine's route to the
//!   reference destination), the platform's commission, the payment fee, and import duty
//!   on the bulk shipment. The delivery fee the shopper pays goes to the platform.
//! - **Fully managed**: the seller sells the unit to the platform at a supply price and
//!   pays only for the goods and their delivery to the consolidation warehouse in China.
//!   The platform sets the retail price — supply price × the market's
//!   `platform_markup_bp`, plus VAT where prices include it, rounded up to a price point
//!   — and pays air freight, customs clearance, last mile, storage in China, the payment
//!   fee, duty and VAT ([`crate::landed::direct`]). Its side of the sale is shown too, so
//!   the seller sees why the platform prices as it does; the seller's margin, break-even
//!   and suggested price are in terms of the supply price.
//!
//! ## Duty and VAT
//! - Bulk imports (semi-managed, platform local) pay the ad valorem `duty_rate_bp` of the
//!   rule in force on the day the stock arrived (today − inventory age) on the customs
//!   value: the goods (FOB) or goods plus sea freight (CIF), per the pricing file. A
//!   container is a commercial import, so de-minimis relief and the EU's flat duty do not
//!   apply; import VAT on it is recovered by the VAT-registered importer and is no cost.
//!   VAT on the sale is part of the shown price where the market shows prices with VAT.
//! - Parcels (fully managed) follow the low-value rules in force on the order date. The
//!   value compared with every threshold is the item's price net of VAT at the standard
//!   rate — the value the platform declares — whether or not VAT then turns out to be due,
//!   so a price cannot flip between "exempt" and "due". Duty rule fields are read as
//!   data/SOURCES.md documents them: `to` inclusive, "below" thresholds already one minor
//!   unit above the law's "X or less". Duty is then, in order: the flat
//!   `flat_duty_per_item_minor` when the rule has one and the value is below the market's
//!   `flat_duty_below_minor` (the EU's €3 per item category below €150 from 2026-07-01;
//!   one SKU in a one-unit order is one item category), else nothing below
//!   `duty_free_below_minor`, else `duty_rate_bp` of the value. VAT is waived below
//!   `vat_free_below_minor` (Korea below US$150, South Africa below R500 before
//!   2024-09-01), and the platform then keeps the whole price.
//!
//! ## Rounding (every figure is integer minor units; no floating point)
//! - Conversions into the market currency: half up, as the routing engine does — except
//!   the seller's own costs (goods, inbound delivery), rounded up so they are never
//!   understated. Each line's equivalent in the seller's cost currency: half up (they need
//!   not add up to the margin's equivalent, which is converted on its own).
//! - VAT inside a price, commission and the payment fee's percentage are worked out
//!   together on the price and rounded once, half up; the total is split between the
//!   three by largest remainder ([`Money::allocate`]). So they add up to the exact total
//!   rounded, each is within 1½ minor units of its own exact value, and — the total rate
//!   being below 100 % — the margin never falls when the price rises by one minor unit.
//! - Storage, duty and the platform's retail price before price points: up. A percentage
//!   discount: the sale price is rounded half up. Margin in basis points: down.
//! - Price points: up, to the next `k × step + ending` of the market's band (x.99 in
//!   dollars, euros and pounds; ₩x,900 below ₩100,000 and ₩x9,000 above; whole rand and
//!   dirham amounts ending in 9), the same endings the demo catalog uses.
//!
//! ## Per unit
//! Every figure is for one unit in an order of one unit: the payment fee's fixed part, the
//! shopper's delivery fee and free-shipping thresholds are per order.
//!
//! ## Promotions, for the shopper
//! A voucher is per order of the item and comes off an order line once; a free-shipping
//! threshold is compared with what the shopper pays for the order line of the item. The
//! storefront, the cart and `POST /api/quote` apply them with the same functions as the
//! margin here ([`shopper`]: [`PromotionKind::voucher_off`], [`PromotionKind::ships_free`],
//! [`OrderLine`]), so the promotion a seller prices is the one a shopper gets.

pub mod chart;
pub mod rules;
pub mod shopper;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use chart::{MarginCurve, MarginPoint, margin_chart_svg};
pub use rules::{
    AgedTier, CustomsValue, MarketPricingDef, PricePointTier, PricingFile, PricingRules,
    PricingRulesError,
};
pub use shopper::OrderLine;

use crate::engine::{Destination, Estimator, Listing, Mode, StockLine, Window};
use crate::landed::{self, CostLine, Item, LandedError};
use crate::money::{Currency, CurrencyCode, Money, Rounding, convert, div_round};
use crate::network::Network;
use crate::schema::{DutyRule, MarketDef, WarehouseDef, WarehouseKind};
use crate::time::{Date, Instant};

/// Longest inventory age accepted, in days (ten years).
pub const MAX_INVENTORY_AGE_DAYS: u32 = 3_650;
/// Deepest percentage discount, in basis points (90 %).
pub const MAX_DISCOUNT_BP: u32 = 9_000;
/// Highest target margin, in basis points (90 %).
pub const MAX_TARGET_MARGIN_BP: u32 = 9_000;
/// Most points a margin curve may have.
pub const MAX_CURVE_POINTS: u32 = 400;
/// Days in a storage month: storage is charged per day held, at the monthly rate ÷ 30.
pub const DAYS_PER_STORAGE_MONTH: i128 = 30;

/// What the seller tells us about a SKU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sku {
    /// Weight of one unit, packed, in grams.
    pub weight_g: u32,
    /// Packed length, width and height of one unit, in millimetres.
    pub dims_mm: [u32; 3],
    /// A category id of the network.
    pub category: String,
    /// The consolidation warehouse in China the seller delivers to: the fully managed
    /// warehouse, and where sea freight to overseas warehouses starts.
    pub origin: String,
    /// Cost of goods per unit in the seller's currency (CNY for the demo sellers); every
    /// line also shows its equivalent in this currency.
    pub cost_of_goods: Money,
}

/// A promotion on the SKU in the market, running from `starts` (inclusive) to `ends`
/// (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promotion {
    pub kind: PromotionKind,
    pub starts: Instant,
    pub ends: Instant,
}

/// The four kinds of promotion and who funds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromotionKind {
    /// A percentage off the shown price, 1 to 9000 bp. Seller-funded; under fully managed
    /// the seller's supply price drops by the same percentage (the campaign price
    /// platforms ask for) and the platform funds the rest of the shopper's discount.
    PercentOff { percent_bp: u32 },
    /// A fixed amount off per order, at most the price. Seller-funded; platform-funded
    /// under fully managed, where the platform owns the retail price.
    Voucher { amount: Money },
    /// The platform pays this much of the price per item: the shopper pays less, the
    /// seller's economics are those of the full price.
    PlatformSubsidy { amount: Money },
    /// No delivery fee on orders of at least `threshold`, where the shopper would
    /// otherwise pay one. The seller reimburses the platform the fee (the platform keeps
    /// delivery fees); under fully managed the platform forgoes it.
    FreeShippingOver { threshold: Money },
}

impl Promotion {
    /// Whether it runs at `now`.
    pub fn runs_at(&self, now: Instant) -> bool {
        self.starts <= now && now < self.ends
    }
}

/// What the pricing engine is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricingRequest {
    pub sku: Sku,
    /// A market id of the network ("US").
    pub market: String,
    /// The seller's shown price in the market's currency — VAT included where the
    /// market shows prices with VAT — for semi-managed and platform local.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Money>,
    /// Fully managed: what the platform pays the seller per unit, in the market's
    /// currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supply_price: Option<Money>,
    /// Days a sold unit has spent in the warehouse that holds it (storage and, for bulk
    /// imports, the date duty was paid).
    #[serde(default)]
    pub inventory_age_days: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotion: Option<Promotion>,
    /// Margin the suggested price must reach, in basis points of revenue ex VAT.
    pub target_margin_bp: u32,
    pub now: Instant,
    /// Whose delivery promise to show; the market's reference destination when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<Destination>,
    /// Overseas warehouses that hold (or would hold) the seller's stock. For each mode
    /// only those of its kind in the market count; none means any of that kind in the
    /// market. The warehouse priced is the one the platform would ship from to the
    /// destination.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warehouses: Vec<String>,
}

/// Which price field of a request or promotion a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceField {
    Price,
    SupplyPrice,
    CostOfGoods,
    Voucher,
    Subsidy,
    FreeShippingThreshold,
    ChartFrom,
    ChartTo,
}

impl PriceField {
    pub fn label(self) -> &'static str {
        match self {
            PriceField::Price => "the price",
            PriceField::SupplyPrice => "the supply price",
            PriceField::CostOfGoods => "the cost of goods",
            PriceField::Voucher => "the voucher",
            PriceField::Subsidy => "the platform subsidy",
            PriceField::FreeShippingThreshold => "the free-shipping threshold",
            PriceField::ChartFrom => "the chart's lowest price",
            PriceField::ChartTo => "the chart's highest price",
        }
    }
}

/// Why a price could not be worked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum PricingError {
    UnknownMarket {
        market: String,
    },
    /// The pricing file has no rules for the market.
    NoPricingRules {
        market: String,
    },
    UnknownCategory {
        category: String,
    },
    UnknownWarehouse {
        warehouse: String,
    },
    /// The SKU's origin is not a consolidation warehouse in China.
    NotAnOrigin {
        warehouse: String,
    },
    ZeroWeight,
    ZeroDimension,
    PriceNotPositive {
        field: PriceField,
    },
    /// Cost of goods below zero.
    CostNegative,
    PriceAboveLimit {
        field: PriceField,
        price: Money,
        limit: Money,
    },
    CurrencyNotMarket {
        field: PriceField,
        expected: CurrencyCode,
        got: CurrencyCode,
    },
    /// The network's FX snapshot has no rate for this currency.
    NoRate {
        currency: CurrencyCode,
    },
    InventoryTooOld {
        days: u32,
        max: u32,
    },
    TargetMarginOutOfRange {
        target_bp: u32,
        max: u32,
    },
    DiscountOutOfRange {
        percent_bp: u32,
        max: u32,
    },
    PromotionEndsBeforeStart,
    /// The destination is in another market, or cannot be resolved.
    BadDestination {
        message: String,
    },
    /// Semi-managed or platform local without a shown price.
    NoPrice {
        mode: Mode,
    },
    /// Fully managed without a supply price.
    NoSupplyPrice,
    /// No warehouse of the mode's kind serves the market.
    NoWarehouse {
        mode: Mode,
        market: String,
    },
    /// Nothing can ship the SKU under this mode; the engine's reason.
    NoRoute {
        mode: Mode,
        reason: String,
    },
    NoDutyRule {
        market: String,
    },
    /// The platform's retail price rule gives a price above the market's limit.
    RetailAboveLimit {
        retail: Money,
        limit: Money,
    },
    /// A chart range with its lowest price not below its highest, or too few or too many
    /// points.
    BadRange {
        message: String,
    },
    /// An amount too large to compute with.
    Overflow,
}

impl fmt::Display for PricingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use PricingError as E;
        match self {
            E::UnknownMarket { market } => write!(f, "\"{market}\" is not a market we sell in"),
            E::NoPricingRules { market } => write!(f, "there are no pricing rules for {market}"),
            E::UnknownCategory { category } => {
                write!(f, "\"{category}\" is not a product category")
            }
            E::UnknownWarehouse { warehouse } => {
                write!(f, "\"{warehouse}\" is not a warehouse in the network")
            }
            E::NotAnOrigin { warehouse } => write!(
                f,
                "\"{warehouse}\" is not a consolidation warehouse in China: deliver to one of the platform's"
            ),
            E::ZeroWeight => f.write_str("the weight must be above zero grams"),
            E::ZeroDimension => f.write_str("every side must be above zero millimetres"),
            E::PriceNotPositive { field } => write!(f, "{} must be above zero", field.label()),
            E::CostNegative => f.write_str("the cost of goods cannot be below zero"),
            E::PriceAboveLimit {
                field,
                price,
                limit,
            } => write!(
                f,
                "{} of {price} is above the limit of {limit} for this market",
                field.label()
            ),
            E::CurrencyNotMarket {
                field,
                expected,
                got,
            } => write!(
                f,
                "{} is in {got}; this market's prices are in {expected}",
                field.label()
            ),
            E::NoRate { currency } => write!(f, "there is no exchange rate for {currency}"),
            E::InventoryTooOld { days, max } => write!(
                f,
                "an inventory age of {days} days is more than the {max} days we price"
            ),
            E::TargetMarginOutOfRange { target_bp, max } => write!(
                f,
                "a target margin of {} % is out of range: choose 0 to {} %",
                target_bp / 100,
                max / 100
            ),
            E::DiscountOutOfRange { percent_bp, max } => write!(
                f,
                "a discount of {}.{:02} % is out of range: choose more than 0 and at most {} %",
                percent_bp / 100,
                percent_bp % 100,
                max / 100
            ),
            E::PromotionEndsBeforeStart => f.write_str("the promotion must end after it starts"),
            E::BadDestination { message } => f.write_str(message),
            E::NoPrice { mode } => write!(
                f,
                "set a price to see {} margins",
                mode.label().to_ascii_lowercase()
            ),
            E::NoSupplyPrice => f.write_str("set a supply price to see fully managed margins"),
            E::NoWarehouse { mode, market } => write!(
                f,
                "no {} warehouse serves {market}",
                mode.label().to_ascii_lowercase()
            ),
            E::NoRoute { mode, reason } => {
                write!(f, "{} cannot ship this item: {reason}", mode.label())
            }
            E::NoDutyRule { market } => write!(f, "the network has no duty rules for {market}"),
            E::RetailAboveLimit { retail, limit } => write!(
                f,
                "at this supply price the platform's retail price would be {retail}, above the limit of {limit}"
            ),
            E::BadRange { message } => f.write_str(message),
            E::Overflow => f.write_str("an amount is too large to compute"),
        }
    }
}

impl std::error::Error for PricingError {}

impl From<crate::money::MoneyError> for PricingError {
    fn from(e: crate::money::MoneyError) -> Self {
        match e {
            crate::money::MoneyError::NoRate(currency) => PricingError::NoRate { currency },
            _ => PricingError::Overflow,
        }
    }
}

/// What a line of a breakdown is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// The shown price (income).
    Price,
    /// The supply price: the fully managed seller's income, the platform's cost.
    SupplyPrice,
    /// The discount a promotion takes off.
    Promotion,
    /// The delivery fee the shopper pays (fully managed: the platform's income).
    DeliveryFee,
    /// The delivery fee a free-shipping promotion waives, reimbursed to the platform.
    FreeShipping,
    /// VAT inside the price, remitted.
    Vat,
    CostOfGoods,
    /// Delivery to the consolidation warehouse in China.
    InboundDelivery,
    /// The unit's share of LCL sea freight to the overseas warehouse.
    SeaFreight,
    AirFreight,
    Receiving,
    Storage,
    Handling,
    CustomsClearance,
    LastMile,
    Commission,
    PaymentFee,
    Duty,
}

/// One line of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub kind: LineKind,
    pub label: String,
    /// In the market's currency; income positive, costs negative. A side's lines add up
    /// to its margin exactly.
    pub amount: Money,
    /// The same amount in the seller's cost currency (CNY for the demo sellers).
    pub in_cost_currency: Money,
}

/// One party's side of a sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Side {
    pub lines: Vec<Line>,
    /// Income after promotion and VAT: the base of `margin_bp`.
    pub revenue_ex_vat: Money,
    /// The sum of the lines.
    pub margin: Money,
    pub margin_in_cost_currency: Money,
    /// Margin ÷ revenue ex VAT in basis points, rounded down; `None` when there is no
    /// revenue.
    pub margin_bp: Option<i64>,
}

/// What the seller sets under a mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SellerSets {
    /// The price the shopper sees (semi-managed, platform local).
    RetailPrice,
    /// The price the platform pays (fully managed).
    SupplyPrice,
}

/// The delivery window a shopper at the destination would be promised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// "New York (10001)" or the zone's name.
    pub destination: String,
    pub zone: String,
    /// Today in the destination's time zone.
    pub today: Date,
    pub window: Window,
    /// Order before this instant to keep the window.
    pub cutoff: Instant,
    pub ships_from: String,
    pub ships_from_name: String,
}

/// How VAT was applied to the sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "treatment", rename_all = "snake_case")]
pub enum VatTreatment {
    /// Part of the shown price.
    Included { rate_bp: u32, vat: Money },
    /// Added on top at checkout (collected and remitted: no effect on the margin).
    AddedAtCheckout { rate_bp: u32, vat: Money },
    /// Not due: the parcel's value is below the market's VAT threshold.
    Waived { below: Money },
}

/// How duty was worked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyApplied {
    /// The date whose rule applies: the order date for parcels, the arrival date for
    /// bulk stock.
    pub date: Date,
    pub rule_from: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_to: Option<Date>,
    /// The value compared with thresholds and taxed.
    pub value: Money,
    pub treatment: DutyTreatment,
    pub duty: Money,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DutyTreatment {
    /// Below the de-minimis threshold.
    Exempt { below: Money },
    /// A flat duty per item category below a value limit (the EU from 2026-07-01).
    Flat { per_item: Money, below: Money },
    /// A rate of the value.
    AdValorem { rate_bp: u32 },
}

/// What a promotion does to the sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromotionEffect {
    pub running: bool,
    /// What it costs the seller per unit (zero when not running).
    pub seller_cost: Money,
    /// What it costs the platform per unit.
    pub platform_cost: Money,
    /// The seller's margin without it.
    pub margin_before: Money,
    /// Margin with it minus margin without it: never above zero.
    pub margin_impact: Money,
}

/// Something the seller should know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Warning {
    /// The unit loses money.
    NegativeMargin,
    /// The unit makes money without the promotion and loses it with it.
    PromotionMakesMarginNegative,
    /// A promotion is set but does not run now, so it is not in the figures.
    PromotionNotRunning,
    /// Fully managed: the platform loses money on the unit at its own retail price.
    PlatformMarginNegative,
    /// No price up to the market's limit reaches the target margin.
    TargetMarginUnreachable,
    /// No price up to the market's limit breaks even.
    BreakEvenAboveLimit,
    /// No duty rule covers the date; the nearest one was used.
    DutyRuleAssumed { date: Date, rule_from: Date },
    /// Stock held this long pays the aged-inventory surcharge.
    AgedInventorySurcharge { days: u32 },
}

impl Warning {
    /// A sentence for the seller.
    pub fn message(&self) -> String {
        match self {
            Warning::NegativeMargin => "This price loses money on every unit.".into(),
            Warning::PromotionMakesMarginNegative => {
                "With this promotion every unit loses money.".into()
            }
            Warning::PromotionNotRunning => {
                "The promotion is not running now, so it is not in these figures.".into()
            }
            Warning::PlatformMarginNegative => {
                "The platform loses money on this unit at its retail price; expect it to ask for a lower supply price.".into()
            }
            Warning::TargetMarginUnreachable => {
                "No price within this market's limit reaches the target margin.".into()
            }
            Warning::BreakEvenAboveLimit => {
                "No price within this market's limit breaks even.".into()
            }
            Warning::DutyRuleAssumed { date, rule_from } => format!(
                "No duty rule covers {date}; the rule from {rule_from} was used."
            ),
            Warning::AgedInventorySurcharge { days } => format!(
                "Stock held {days} days pays the aged-inventory storage surcharge."
            ),
        }
    }
}

/// One mode's pricing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModePricing {
    pub mode: Mode,
    pub market: String,
    pub currency: Currency,
    pub seller_sets: SellerSets,
    /// The price the seller set: the shown price, or the supply price.
    pub seller_price: Money,
    /// The shopper's price before promotion (the platform's under fully managed).
    pub list_price: Money,
    /// What the shopper pays for the item, promotion applied.
    pub shopper_pays: Money,
    /// The delivery fee the shopper pays on a one-unit order.
    pub delivery_fee: Money,
    /// The warehouse priced: the one the platform would ship from.
    pub warehouse: String,
    pub warehouse_name: String,
    pub delivery: Delivery,
    pub seller: Side,
    /// Fully managed only: the platform's side of the sale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<Side>,
    pub vat: VatTreatment,
    pub duty: DutyApplied,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promotion: Option<PromotionEffect>,
    /// The lowest seller price at which the margin (without promotion) is not negative.
    pub break_even: Option<Money>,
    /// The lowest price point reaching the target margin (without promotion); for the
    /// supply price, the lowest minor unit.
    pub suggested: Option<Money>,
    pub target_margin_bp: u32,
    pub warnings: Vec<Warning>,
}

/// One column of the side-by-side view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModeColumn {
    pub mode: Mode,
    #[serde(flatten)]
    pub outcome: ModeOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ModeOutcome {
    Priced {
        pricing: Box<ModePricing>,
    },
    Unavailable {
        error: PricingError,
        message: String,
    },
}

/// All three modes side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SideBySide {
    pub market: String,
    pub currency: Currency,
    pub pricing_version: String,
    pub network_version: String,
    pub columns: Vec<ModeColumn>,
}

/// Prices the request under every mode. Errors in the request itself fail the whole
/// call; what makes one mode impossible (no warehouse, no route, no price) is that
/// column's outcome.
pub fn price_all_modes(
    net: &Network,
    rules: &PricingRules,
    req: &PricingRequest,
) -> Result<SideBySide, PricingError> {
    let ctx = Ctx::new(net, rules, req)?;
    let est = ctx.estimator()?;
    let columns = Mode::ALL
        .iter()
        .map(|&mode| ModeColumn {
            mode,
            outcome: match ctx.price(&est, mode) {
                Ok(p) => ModeOutcome::Priced {
                    pricing: Box::new(p),
                },
                Err(e) => ModeOutcome::Unavailable {
                    message: e.to_string(),
                    error: e,
                },
            },
        })
        .collect();
    Ok(SideBySide {
        market: req.market.clone(),
        currency: ctx.currency,
        pricing_version: rules.version().to_string(),
        network_version: net.version().to_string(),
        columns,
    })
}

/// Prices the request under one mode.
pub fn price_mode(
    net: &Network,
    rules: &PricingRules,
    req: &PricingRequest,
    mode: Mode,
) -> Result<ModePricing, PricingError> {
    let ctx = Ctx::new(net, rules, req)?;
    let est = ctx.estimator()?;
    ctx.price(&est, mode)
}

/// The seller's margin at `points` prices evenly spaced from `from` to `to` (both
/// included; positions rounded down to the minor unit), with the promotion if it runs, and
/// the break-even and current price for the chart. Without a range: from half the lower of
/// the current and break-even price to half as much again as the highest of the current,
/// break-even and suggested price, within the market's limit.
pub fn margin_curve(
    net: &Network,
    rules: &PricingRules,
    req: &PricingRequest,
    mode: Mode,
    range: Option<(Money, Money)>,
    points: u32,
) -> Result<MarginCurve, PricingError> {
    let ctx = Ctx::new(net, rules, req)?;
    let est = ctx.estimator()?;
    let setup = ctx.setup(&est, mode)?;
    let pricing = ctx.finish(&setup)?;
    if !(2..=MAX_CURVE_POINTS).contains(&points) {
        return Err(PricingError::BadRange {
            message: format!("a chart needs 2 to {MAX_CURVE_POINTS} points"),
        });
    }
    let (from, to) = match range {
        Some((a, b)) => {
            ctx.check_price(a, PriceField::ChartFrom)?;
            ctx.check_price(b, PriceField::ChartTo)?;
            (a.minor(), b.minor())
        }
        None => {
            let cur = pricing.seller_price.minor();
            let be = pricing.break_even.map_or(cur, |m| m.minor());
            let sug = pricing.suggested.map_or(cur, |m| m.minor());
            let lo = (cur.min(be) / 2).max(1);
            let hi = cur.max(be).max(sug);
            let hi = hi
                .saturating_add(hi / 2)
                .min(ctx.limit.minor())
                .max(lo.saturating_add(1));
            (lo, hi)
        }
    };
    if from >= to {
        return Err(PricingError::BadRange {
            message: "the chart's lowest price must be below its highest".into(),
        });
    }
    let running = ctx.running_promotion();
    let span = i128::from(to) - i128::from(from);
    let last = i128::from(points - 1);
    let mut out = Vec::with_capacity(points as usize);
    for i in 0..i128::from(points) {
        let x = i128::from(from) + div_round(span * i, last, Rounding::Down).unwrap_or(0);
        let price = ctx.money(i64::try_from(x).map_err(|_| PricingError::Overflow)?);
        let with = ctx.seller_at(&setup, price, running.as_ref())?;
        let before = if running.is_some() {
            ctx.seller_at(&setup, price, None)?
        } else {
            with
        };
        out.push(MarginPoint {
            price,
            margin: with.0,
            margin_before_promotion: before.0,
            margin_bp: margin_bp(with.0, with.1),
        });
    }
    Ok(MarginCurve {
        mode,
        market: req.market.clone(),
        currency: ctx.currency,
        seller_sets: pricing.seller_sets,
        points: out,
        break_even: pricing.break_even,
        current_price: pricing.seller_price,
        current_margin: pricing.seller.margin,
        promotion_running: running.is_some(),
    })
}

/// Rounds `price` up to the next price point of the market's bands: the smallest
/// `k × step + ending` at or above it in the band it falls in (or, when that lands in the
/// next band, that band's first point at or above its start).
pub fn round_up_to_price_point(price: i64, bands: &[PricePointTier]) -> Option<i64> {
    let mut target = price.max(1);
    for _ in 0..=bands.len() {
        let band = bands.iter().rev().find(|b| b.from_minor <= target)?;
        let step = i128::from(band.step_minor.max(1));
        let base = i128::from(target) - i128::from(band.ending_minor);
        let k = div_round(base, step, Rounding::Up)?.max(0);
        let mut point = k * step + i128::from(band.ending_minor);
        if point <= 0 {
            point += step;
        }
        let point = i64::try_from(point).ok()?;
        match bands.iter().find(|b| b.from_minor > target) {
            Some(next) if point >= next.from_minor => target = next.from_minor,
            _ => return Some(point),
        }
    }
    None
}

/// The duty rule in force on `date` (`to` inclusive), or, when none is, the nearest one
/// (`false`).
pub fn duty_rule_on(market: &MarketDef, date: Date) -> Option<(&DutyRule, bool)> {
    let d = date.days();
    if let Some(r) = market
        .duty
        .iter()
        .find(|r| r.from.days() <= d && r.to.is_none_or(|t| d <= t.days()))
    {
        return Some((r, true));
    }
    market
        .duty
        .iter()
        .min_by_key(|r| {
            if d < r.from.days() {
                i64::from(r.from.days()) - i64::from(d)
            } else {
                i64::from(d) - i64::from(r.to.map_or(d, |t| t.days()))
            }
        })
        .map(|r| (r, false))
}

fn margin_bp(margin: Money, revenue: Money) -> Option<i64> {
    if revenue.minor() <= 0 {
        return None;
    }
    div_round(
        i128::from(margin.minor()) * 10_000,
        i128::from(revenue.minor()),
        Rounding::Down,
    )
    .and_then(|v| i64::try_from(v).ok())
}

/// The request, checked, with what every mode shares.
struct Ctx<'a> {
    net: &'a Network,
    rules: &'a PricingRules,
    req: &'a PricingRequest,
    mrules: &'a MarketPricingDef,
    mdef: &'a MarketDef,
    currency: Currency,
    cost_currency: Currency,
    limit: Money,
    commission_bp: u32,
    dest: Destination,
    dest_label: String,
}

/// A mode's costs that do not depend on the price.
struct Setup {
    mode: Mode,
    warehouse: String,
    warehouse_name: String,
    delivery: Delivery,
    /// Seller's costs (negative lines) in display order, before commission and fees.
    seller_costs: Vec<Line>,
    /// Fully managed: the platform's logistics costs (negative lines).
    platform_costs: Vec<Line>,
    /// Bulk duty (semi-managed, platform local): already among `seller_costs`.
    bulk_duty: Option<DutyApplied>,
    /// Fully managed: the rule for parcels ordered today.
    parcel_rule: Option<(DutyRule, Date, bool)>,
    warnings: Vec<Warning>,
}

/// One evaluation at a price.
struct Eval {
    list_price: Money,
    shopper_pays: Money,
    delivery_fee: Money,
    seller: Side,
    platform: Option<Side>,
    vat: VatTreatment,
    duty: Option<DutyApplied>,
    seller_promo_cost: Money,
    platform_promo_cost: Money,
}

impl<'a> Ctx<'a> {
    fn new(
        net: &'a Network,
        rules: &'a PricingRules,
        req: &'a PricingRequest,
    ) -> Result<Ctx<'a>, PricingError> {
        let unknown = || PricingError::UnknownMarket {
            market: req.market.clone(),
        };
        let mi = net.market_index(&req.market).ok_or_else(unknown)?;
        let mdef = net.file.markets.get(mi).ok_or_else(unknown)?;
        let currency = net.markets.get(mi).ok_or_else(unknown)?.currency;
        let mrules = rules
            .market(&req.market)
            .ok_or_else(|| PricingError::NoPricingRules {
                market: req.market.clone(),
            })?;
        let sku = &req.sku;
        if net.category_index(&sku.category).is_none() {
            return Err(PricingError::UnknownCategory {
                category: sku.category.clone(),
            });
        }
        let origin = net
            .warehouse_index(&sku.origin)
            .and_then(|w| net.file.warehouses.get(w))
            .ok_or_else(|| PricingError::UnknownWarehouse {
                warehouse: sku.origin.clone(),
            })?;
        if origin.kind != WarehouseKind::CnConsolidation {
            return Err(PricingError::NotAnOrigin {
                warehouse: sku.origin.clone(),
            });
        }
        for w in &req.warehouses {
            if net.warehouse_index(w).is_none() {
                return Err(PricingError::UnknownWarehouse {
                    warehouse: w.clone(),
                });
            }
        }
        if sku.weight_g == 0 {
            return Err(PricingError::ZeroWeight);
        }
        if sku.dims_mm.contains(&0) {
            return Err(PricingError::ZeroDimension);
        }
        let cost_currency = sku.cost_of_goods.currency();
        if sku.cost_of_goods.minor() < 0 {
            return Err(PricingError::CostNegative);
        }
        for c in [cost_currency.code, currency.code] {
            if net.fx_rate(c).is_none() {
                return Err(PricingError::NoRate { currency: c });
            }
        }
        if req.inventory_age_days > MAX_INVENTORY_AGE_DAYS {
            return Err(PricingError::InventoryTooOld {
                days: req.inventory_age_days,
                max: MAX_INVENTORY_AGE_DAYS,
            });
        }
        if req.target_margin_bp > MAX_TARGET_MARGIN_BP {
            return Err(PricingError::TargetMarginOutOfRange {
                target_bp: req.target_margin_bp,
                max: MAX_TARGET_MARGIN_BP,
            });
        }
        let (dest, dest_label) = match &req.destination {
            Some(d) => {
                if d.market != req.market {
                    return Err(PricingError::BadDestination {
                        message: format!(
                            "the destination is in {}, not in {}",
                            d.market, req.market
                        ),
                    });
                }
                let label = d.postal_code.clone().or_else(|| d.zone.clone());
                (d.clone(), label.unwrap_or_default())
            }
            None => (
                Destination {
                    market: req.market.clone(),
                    postal_code: Some(mrules.reference.postal_code.clone()),
                    zone: None,
                },
                format!(
                    "{} ({})",
                    mrules.reference.label, mrules.reference.postal_code
                ),
            ),
        };
        let ctx = Ctx {
            net,
            rules,
            req,
            mrules,
            mdef,
            currency,
            cost_currency,
            limit: Money::from_minor(mrules.max_price_minor, currency),
            commission_bp: rules.commission_bp(mrules, &sku.category),
            dest,
            dest_label,
        };
        if let Some(p) = req.price {
            ctx.check_price(p, PriceField::Price)?;
        }
        if let Some(p) = req.supply_price {
            ctx.check_price(p, PriceField::SupplyPrice)?;
        }
        if let Some(promo) = &req.promotion {
            ctx.check_promotion(promo)?;
        }
        Ok(ctx)
    }

    fn check_price(&self, p: Money, field: PriceField) -> Result<(), PricingError> {
        if p.currency().code != self.currency.code {
            return Err(PricingError::CurrencyNotMarket {
                field,
                expected: self.currency.code,
                got: p.currency().code,
            });
        }
        if p.minor() <= 0 {
            return Err(PricingError::PriceNotPositive { field });
        }
        if p.minor() > self.limit.minor() {
            return Err(PricingError::PriceAboveLimit {
                field,
                price: p,
                limit: self.limit,
            });
        }
        Ok(())
    }

    fn check_promotion(&self, promo: &Promotion) -> Result<(), PricingError> {
        if promo.ends <= promo.starts {
            return Err(PricingError::PromotionEndsBeforeStart);
        }
        match promo.kind {
            PromotionKind::PercentOff { percent_bp } => {
                if percent_bp == 0 || percent_bp > MAX_DISCOUNT_BP {
                    return Err(PricingError::DiscountOutOfRange {
                        percent_bp,
                        max: MAX_DISCOUNT_BP,
                    });
                }
                Ok(())
            }
            PromotionKind::Voucher { amount } => self.check_price(amount, PriceField::Voucher),
            PromotionKind::PlatformSubsidy { amount } => {
                self.check_price(amount, PriceField::Subsidy)
            }
            PromotionKind::FreeShippingOver { threshold } => {
                self.check_price(threshold, PriceField::FreeShippingThreshold)
            }
        }
    }

    fn running_promotion(&self) -> Option<Promotion> {
        self.req.promotion.filter(|p| p.runs_at(self.req.now))
    }

    fn estimator(&self) -> Result<Estimator<'a>, PricingError> {
        Estimator::new(self.net, &self.dest, self.req.now).map_err(|e| {
            PricingError::BadDestination {
                message: e.to_string(),
            }
        })
    }

    fn money(&self, minor: i64) -> Money {
        Money::from_minor(minor, self.currency)
    }

    /// `m` in the market's currency.
    fn to_market(&self, m: Money, mode: Rounding) -> Result<Money, PricingError> {
        fx(self.net, m, self.currency, mode)
    }

    /// A line from a market amount (its equivalent converted half up).
    fn line(&self, kind: LineKind, label: impl Into<String>, amount: Money) -> Line {
        let in_cost_currency = fx(self.net, amount, self.cost_currency, Rounding::HalfUp)
            .unwrap_or_else(|_| Money::zero(self.cost_currency));
        Line {
            kind,
            label: label.into(),
            amount,
            in_cost_currency,
        }
    }

    fn cost(&self, kind: LineKind, label: impl Into<String>, amount: Money) -> Line {
        self.line(
            kind,
            label,
            Money::from_minor(-amount.minor(), amount.currency()),
        )
    }

    fn item(&self) -> Item<'_> {
        Item {
            weight_g: self.req.sku.weight_g,
            dims_mm: self.req.sku.dims_mm,
            category: &self.req.sku.category,
        }
    }

    fn mm3(&self) -> u128 {
        let [l, w, h] = self.req.sku.dims_mm;
        u128::from(l) * u128::from(w) * u128::from(h)
    }

    /// The warehouses a mode could ship from.
    fn candidates(&self, mode: Mode) -> Vec<&'a WarehouseDef> {
        let net = self.net;
        if mode == Mode::FullyManaged {
            return net
                .file
                .warehouses
                .iter()
                .filter(|w| w.id == self.req.sku.origin)
                .collect();
        }
        let kind = mode.warehouse_kind();
        let in_market = |w: &&WarehouseDef| {
            w.kind == kind && w.market.as_deref() == Some(self.req.market.as_str())
        };
        let chosen: Vec<&WarehouseDef> = net
            .file
            .warehouses
            .iter()
            .filter(in_market)
            .filter(|w| self.req.warehouses.contains(&w.id))
            .collect();
        if !chosen.is_empty() {
            return chosen;
        }
        net.file.warehouses.iter().filter(in_market).collect()
    }

    /// Everything about a mode that does not depend on the price.
    fn setup(&self, est: &Estimator<'_>, mode: Mode) -> Result<Setup, PricingError> {
        let candidates = self.candidates(mode);
        if candidates.is_empty() {
            return Err(PricingError::NoWarehouse {
                mode,
                market: self.req.market.clone(),
            });
        }
        let listing = Listing {
            weight_g: self.req.sku.weight_g,
            dims_mm: self.req.sku.dims_mm,
            category: self.req.sku.category.clone(),
            mode,
            stock: candidates
                .iter()
                .map(|w| StockLine {
                    warehouse: w.id.clone(),
                    quantity: 1,
                })
                .collect(),
            unit_price: None,
        };
        let no_route = |reason: String| PricingError::NoRoute { mode, reason };
        let Some(promise) = est.promise(&listing, 1) else {
            let reason = est
                .quote(&listing, 1)
                .ok()
                .and_then(|q| {
                    q.routes
                        .iter()
                        .find_map(|r| match &r.status {
                            crate::engine::RouteStatus::Infeasible(i) => Some(i.message.clone()),
                            crate::engine::RouteStatus::Feasible(_) => None,
                        })
                        .or(q.unavailable)
                })
                .unwrap_or_else(|| "no route delivers to this address".into());
            return Err(no_route(reason));
        };
        let wdef = est
            .promise_warehouse(&promise)
            .ok_or_else(|| no_route("no warehouse".into()))?;
        let (_, zone) = est.destination();
        let delivery = Delivery {
            destination: self.dest_label.clone(),
            zone: zone.to_string(),
            today: est.today(),
            window: promise.window,
            cutoff: promise.cutoff,
            ships_from: wdef.id.clone(),
            ships_from_name: wdef.name.clone(),
        };
        let now = self.req.now;
        let item = self.item();
        let landed_err = |e: LandedError| match e {
            LandedError::NoRoute(r) => no_route(r),
            LandedError::UnknownWarehouse(w) => PricingError::UnknownWarehouse { warehouse: w },
            LandedError::NoSeaLane { origin, warehouse } => {
                no_route(format!("no sea lane from {origin} to {warehouse}"))
            }
            LandedError::Quote(q) => no_route(q.to_string()),
            LandedError::Overflow => PricingError::Overflow,
        };
        let mut warnings = Vec::new();
        let mut seller_costs = Vec::new();
        let mut platform_costs = Vec::new();
        let cogs = self.to_market(self.req.sku.cost_of_goods, Rounding::Up)?;
        seller_costs.push(Line {
            kind: LineKind::CostOfGoods,
            label: "Cost of goods".into(),
            amount: Money::from_minor(-cogs.minor(), cogs.currency()),
            in_cost_currency: Money::from_minor(
                -self.req.sku.cost_of_goods.minor(),
                self.cost_currency,
            ),
        });
        let storage = self.storage(wdef, mode, &mut warnings)?;
        let storage_label = format!(
            "Storage, {} day(s) at {}",
            self.req.inventory_age_days, wdef.name
        );
        let mut bulk_duty = None;
        let mut parcel_rule = None;
        if mode == Mode::FullyManaged {
            let (cur, per_kg) = self.rules.inbound_per_kg();
            let inbound = div_round(
                i128::from(per_kg) * i128::from(self.req.sku.weight_g),
                1000,
                Rounding::Up,
            )
            .and_then(|v| i64::try_from(v).ok())
            .ok_or(PricingError::Overflow)?;
            let inbound = Money::from_minor(inbound, cur);
            let in_market = self.to_market(inbound, Rounding::Up)?;
            let equiv = fx(self.net, inbound, self.cost_currency, Rounding::Up)?;
            seller_costs.push(Line {
                kind: LineKind::InboundDelivery,
                label: format!("Delivery to {}", wdef.name),
                amount: Money::from_minor(-in_market.minor(), self.currency),
                in_cost_currency: Money::from_minor(-equiv.minor(), self.cost_currency),
            });
            let landed =
                landed::direct(self.net, &item, &wdef.id, &self.dest, now).map_err(landed_err)?;
            let kinds = [
                LineKind::Handling,
                LineKind::AirFreight,
                LineKind::CustomsClearance,
                LineKind::LastMile,
            ];
            for (kind, l) in decode(mode, &landed.lines, &kinds)? {
                platform_costs.push(self.cost(kind, l.label.clone(), l.amount));
            }
            platform_costs.push(self.cost(LineKind::Storage, storage_label, storage));
            let today = est.today();
            let (rule, exact) =
                duty_rule_on(self.mdef, today).ok_or_else(|| PricingError::NoDutyRule {
                    market: self.req.market.clone(),
                })?;
            if !exact {
                warnings.push(Warning::DutyRuleAssumed {
                    date: today,
                    rule_from: rule.from,
                });
            }
            parcel_rule = Some((rule.clone(), today, exact));
        } else {
            let landed = landed::via_warehouse(
                self.net,
                &item,
                &self.req.sku.origin,
                &wdef.id,
                0,
                &self.dest,
                now,
            )
            .map_err(landed_err)?;
            let kinds = [
                LineKind::SeaFreight,
                LineKind::Receiving,
                LineKind::Storage,
                LineKind::Handling,
                LineKind::LastMile,
            ];
            let mut sea = Money::zero(self.currency);
            for (kind, l) in decode(mode, &landed.lines, &kinds)? {
                match kind {
                    // Asked for with zero months: storage is by days, below.
                    LineKind::Storage => {
                        seller_costs.push(self.cost(kind, storage_label.clone(), storage))
                    }
                    _ => {
                        if kind == LineKind::SeaFreight {
                            sea = l.amount;
                        }
                        seller_costs.push(self.cost(kind, l.label.clone(), l.amount));
                    }
                }
            }
            let duty = self.bulk_duty(est.today(), cogs, sea, &mut warnings)?;
            seller_costs.push(self.cost(LineKind::Duty, "Import duty (bulk)", duty.duty));
            bulk_duty = Some(duty);
        }
        Ok(Setup {
            mode,
            warehouse: wdef.id.clone(),
            warehouse_name: wdef.name.clone(),
            delivery,
            seller_costs,
            platform_costs,
            bulk_duty,
            parcel_rule,
            warnings,
        })
    }

    /// Storage for the inventory age at the warehouse's rate per m³ and month, charged
    /// per day (÷ 30), plus the aged-inventory surcharge in platform-local warehouses.
    fn storage(
        &self,
        wdef: &WarehouseDef,
        mode: Mode,
        warnings: &mut Vec<Warning>,
    ) -> Result<Money, PricingError> {
        let age = i128::from(self.req.inventory_age_days);
        // Rate-days in ten-thousandths of the base rate.
        let mut units = age * 10_000;
        if mode == Mode::PlatformLocal {
            let tiers = self.rules.aged_tiers();
            for (i, t) in tiers.iter().enumerate() {
                let start = i128::from(t.after_days);
                let end = tiers
                    .get(i + 1)
                    .map_or(age, |n| i128::from(n.after_days).min(age));
                let days = (end - start).max(0);
                units += days * i128::from(t.surcharge_bp);
            }
            if tiers
                .first()
                .is_some_and(|t| self.req.inventory_age_days > t.after_days)
            {
                warnings.push(Warning::AgedInventorySurcharge {
                    days: self.req.inventory_age_days,
                });
            }
        }
        let rate = i128::from(wdef.fees.storage_per_m3_month_minor);
        let num = i128::try_from(self.mm3())
            .ok()
            .and_then(|v| v.checked_mul(rate))
            .and_then(|v| v.checked_mul(units))
            .ok_or(PricingError::Overflow)?;
        let den = 1_000_000_000 * DAYS_PER_STORAGE_MONTH * 10_000;
        let minor = div_round(num, den, Rounding::Up)
            .and_then(|v| i64::try_from(v).ok())
            .ok_or(PricingError::Overflow)?;
        let fee = self
            .net
            .money(minor, &wdef.fees.currency)
            .ok_or(PricingError::Overflow)?;
        self.to_market(fee, Rounding::HalfUp)
    }

    /// Duty on bulk stock: the rule in force on the day it arrived, ad valorem on the
    /// customs value (goods, plus sea freight under CIF).
    fn bulk_duty(
        &self,
        today: Date,
        cogs: Money,
        sea: Money,
        warnings: &mut Vec<Warning>,
    ) -> Result<DutyApplied, PricingError> {
        let date = today
            .add_days(-i64::from(self.req.inventory_age_days))
            .map_err(|_| PricingError::Overflow)?;
        let (rule, exact) =
            duty_rule_on(self.mdef, date).ok_or_else(|| PricingError::NoDutyRule {
                market: self.req.market.clone(),
            })?;
        if !exact {
            warnings.push(Warning::DutyRuleAssumed {
                date,
                rule_from: rule.from,
            });
        }
        let value = match self.mrules.customs_value {
            CustomsValue::Fob => cogs,
            CustomsValue::Cif => cogs.checked_add(sea)?,
        };
        let duty = value.mul_ratio(i64::from(rule.duty_rate_bp), 10_000, Rounding::Up)?;
        Ok(DutyApplied {
            date,
            rule_from: rule.from,
            rule_to: rule.to,
            value,
            treatment: DutyTreatment::AdValorem {
                rate_bp: rule.duty_rate_bp,
            },
            duty,
            note: format!(
                "Bulk import on {date}, valued {} ({}); de-minimis relief does not apply to commercial shipments.",
                match self.mrules.customs_value {
                    CustomsValue::Fob => "FOB: the goods",
                    CustomsValue::Cif => "CIF: goods and sea freight",
                },
                value
            ),
        })
    }

    /// Parcel duty for a fully managed sale valued `value`.
    fn parcel_duty(
        &self,
        rule: &DutyRule,
        date: Date,
        value: Money,
    ) -> Result<DutyApplied, PricingError> {
        let v = value.minor();
        let flat_below = self.mrules.flat_duty_below_minor;
        let (treatment, duty) = match (rule.flat_duty_per_item_minor, flat_below) {
            (Some(flat), Some(below)) if v < below => (
                DutyTreatment::Flat {
                    per_item: self.money(flat),
                    below: self.money(below),
                },
                self.money(flat),
            ),
            _ => match rule.duty_free_below_minor {
                Some(t) if v < t => (
                    DutyTreatment::Exempt {
                        below: self.money(t),
                    },
                    self.money(0),
                ),
                _ => (
                    DutyTreatment::AdValorem {
                        rate_bp: rule.duty_rate_bp,
                    },
                    value.mul_ratio(i64::from(rule.duty_rate_bp), 10_000, Rounding::Up)?,
                ),
            },
        };
        Ok(DutyApplied {
            date,
            rule_from: rule.from,
            rule_to: rule.to,
            value,
            treatment,
            duty,
            note: rule.note.clone(),
        })
    }

    /// The platform's retail price for a supply price.
    fn platform_retail(&self, supply: Money) -> Result<Money, PricingError> {
        let vat = if self.mdef.vat.prices_include_vat {
            i128::from(self.mdef.vat.rate_bp)
        } else {
            0
        };
        let raw = div_round(
            i128::from(supply.minor())
                * i128::from(self.mrules.platform_markup_bp)
                * (10_000 + vat),
            100_000_000,
            Rounding::Up,
        )
        .and_then(|v| i64::try_from(v).ok())
        .ok_or(PricingError::Overflow)?;
        let retail = round_up_to_price_point(raw, &self.mrules.price_points)
            .ok_or(PricingError::Overflow)?;
        if retail > self.limit.minor() {
            return Err(PricingError::RetailAboveLimit {
                retail: self.money(retail),
                limit: self.limit,
            });
        }
        Ok(self.money(retail))
    }

    /// The shopper's delivery fee for an order of `value`.
    fn delivery_fee(&self, value: Money) -> Money {
        let fee = &self.mdef.shopper_fee;
        match fee.free_over_minor {
            Some(t) if value.minor() >= t => self.money(0),
            _ => self.money(fee.standard_minor),
        }
    }

    /// `price × (10000 − bp) / 10000`, half up: a discounted shown price.
    fn discounted(&self, price: Money, bp: u32) -> Result<Money, PricingError> {
        Ok(price.mul_ratio(i64::from(10_000 - bp.min(10_000)), 10_000, Rounding::HalfUp)?)
    }

    fn side(&self, lines: Vec<Line>, revenue: Money) -> Result<Side, PricingError> {
        let margin = lines
            .iter()
            .try_fold(self.money(0), |acc, l| acc.checked_add(l.amount))?;
        Ok(Side {
            margin_in_cost_currency: fx(self.net, margin, self.cost_currency, Rounding::HalfUp)?,
            margin_bp: margin_bp(margin, revenue),
            lines,
            revenue_ex_vat: revenue,
            margin,
        })
    }

    /// The seller's margin and revenue ex VAT at a seller price: what searches and charts
    /// need, without the platform's side.
    fn seller_at(
        &self,
        setup: &Setup,
        price: Money,
        promo: Option<&Promotion>,
    ) -> Result<(Money, Money), PricingError> {
        let e = self.evaluate(setup, price, promo, false)?;
        Ok((e.seller.margin, e.seller.revenue_ex_vat))
    }

    /// Everything at a seller price. `full`: also the platform's side (fully managed).
    fn evaluate(
        &self,
        setup: &Setup,
        price: Money,
        promo: Option<&Promotion>,
        full: bool,
    ) -> Result<Eval, PricingError> {
        match setup.mode {
            Mode::FullyManaged => self.evaluate_fm(setup, price, promo, full),
            _ => self.evaluate_local(setup, price, promo),
        }
    }

    fn evaluate_local(
        &self,
        setup: &Setup,
        price: Money,
        promo: Option<&Promotion>,
    ) -> Result<Eval, PricingError> {
        let zero = self.money(0);
        let p = price;
        // The seller's basis: what the shopper pays plus any platform subsidy.
        let (basis, subsidy) = match promo.map(|x| x.kind) {
            Some(PromotionKind::PercentOff { percent_bp }) => {
                (self.discounted(p, percent_bp)?, zero)
            }
            // The order of one unit is the whole order line: the voucher comes off once.
            Some(k @ PromotionKind::Voucher { .. }) => (p.checked_sub(k.voucher_off(p))?, zero),
            Some(PromotionKind::PlatformSubsidy { amount }) => {
                (p, self.money(amount.minor().min(p.minor())))
            }
            _ => (p, zero),
        };
        let discount = p.checked_sub(basis)?;
        let shopper_pays = basis.checked_sub(subsidy)?;
        let mut delivery_fee = self.delivery_fee(shopper_pays);
        let mut free_shipping = zero;
        if promo.is_some_and(|x| x.kind.ships_free(shopper_pays)) && delivery_fee.minor() > 0 {
            free_shipping = delivery_fee;
            delivery_fee = zero;
        }
        let (vat, commission, payment) = self.price_deductions(basis)?;
        let include = self.mdef.vat.prices_include_vat;
        let rate_bp = self.mdef.vat.rate_bp;
        let mut lines = vec![self.line(LineKind::Price, "Price", p)];
        if discount.minor() > 0 {
            lines.push(self.cost(LineKind::Promotion, "Promotion discount", discount));
        }
        if include && rate_bp > 0 {
            lines.push(self.cost(
                LineKind::Vat,
                format!("{} {}", self.mdef.vat.name, pct(rate_bp)),
                vat,
            ));
        }
        lines.extend(setup.seller_costs.iter().cloned());
        lines.push(self.cost(
            LineKind::Commission,
            format!("Commission {}", pct(self.commission_bp)),
            commission,
        ));
        lines.push(self.cost(LineKind::PaymentFee, "Payment fee", payment));
        if free_shipping.minor() > 0 {
            lines.push(self.cost(
                LineKind::FreeShipping,
                "Free shipping (promotion)",
                free_shipping,
            ));
        }
        let revenue = if include {
            basis.checked_sub(vat)?
        } else {
            basis
        };
        let seller = self.side(lines, revenue)?;
        Ok(Eval {
            list_price: p,
            shopper_pays,
            delivery_fee,
            seller,
            platform: None,
            vat: if include {
                VatTreatment::Included { rate_bp, vat }
            } else {
                VatTreatment::AddedAtCheckout { rate_bp, vat }
            },
            duty: setup.bulk_duty.clone(),
            seller_promo_cost: discount.checked_add(free_shipping)?,
            platform_promo_cost: subsidy,
        })
    }

    /// VAT inside `basis` (or added on top), commission and the payment fee on it: the
    /// proportional parts rounded once, half up, and split by largest remainder; then the
    /// fixed part of the payment fee.
    fn price_deductions(&self, basis: Money) -> Result<(Money, Money, Money), PricingError> {
        let r = i128::from(self.mdef.vat.rate_bp);
        let c = i128::from(self.commission_bp);
        let f = i128::from(self.mrules.payment.rate_bp);
        let b = i128::from(basis.minor());
        let (vat, weights, den) = if self.mdef.vat.prices_include_vat {
            (
                None,
                [r * 10_000, c * (10_000 + r), f * (10_000 + r)],
                10_000 * (10_000 + r),
            )
        } else {
            let vat = div_round(b * r, 10_000, Rounding::HalfUp)
                .and_then(|v| i64::try_from(v).ok())
                .ok_or(PricingError::Overflow)?;
            (Some(vat), [0, c, f], 10_000)
        };
        let total_w: i128 = weights.iter().sum();
        let total = div_round(b * total_w, den, Rounding::HalfUp)
            .and_then(|v| i64::try_from(v).ok())
            .ok_or(PricingError::Overflow)?;
        let w: Vec<u64> = weights
            .iter()
            .map(|x| u64::try_from(*x).unwrap_or(0))
            .collect();
        let parts = if total_w == 0 {
            vec![self.money(0); 3]
        } else {
            self.money(total).allocate(&w)
        };
        let part = |i: usize| parts.get(i).copied().unwrap_or(self.money(0));
        let payment = part(2).checked_add(self.money(self.mrules.payment.fixed_minor))?;
        let vat = match vat {
            Some(v) => self.money(v),
            None => part(0),
        };
        Ok((vat, part(1), payment))
    }

    fn evaluate_fm(
        &self,
        setup: &Setup,
        supply: Money,
        promo: Option<&Promotion>,
        full: bool,
    ) -> Result<Eval, PricingError> {
        let zero = self.money(0);
        let kind = promo.map(|x| x.kind);
        let supply_paid = match kind {
            Some(PromotionKind::PercentOff { percent_bp }) => {
                self.discounted(supply, percent_bp)?
            }
            _ => supply,
        };
        let seller_discount = supply.checked_sub(supply_paid)?;
        let mut lines = vec![self.line(LineKind::SupplyPrice, "Supply price", supply)];
        if seller_discount.minor() > 0 {
            lines.push(self.cost(
                LineKind::Promotion,
                "Campaign supply price discount",
                seller_discount,
            ));
        }
        lines.extend(setup.seller_costs.iter().cloned());
        let seller = self.side(lines, supply_paid)?;
        let Some((rule, date, _)) = setup.parcel_rule.as_ref() else {
            return Err(PricingError::Overflow);
        };
        if !full {
            return Ok(Eval {
                list_price: supply,
                shopper_pays: supply,
                delivery_fee: zero,
                seller,
                platform: None,
                vat: VatTreatment::Included {
                    rate_bp: 0,
                    vat: zero,
                },
                duty: None,
                seller_promo_cost: seller_discount,
                platform_promo_cost: zero,
            });
        }
        let retail = self.platform_retail(supply)?;
        let sale = match kind {
            Some(PromotionKind::PercentOff { percent_bp }) => {
                self.discounted(retail, percent_bp)?
            }
            Some(k @ PromotionKind::Voucher { .. }) => retail.checked_sub(k.voucher_off(retail))?,
            Some(PromotionKind::PlatformSubsidy { amount }) => {
                self.money(retail.minor().saturating_sub(amount.minor()).max(0))
            }
            _ => retail,
        };
        let retail_discount = retail.checked_sub(sale)?;
        let standard_fee = self.delivery_fee(sale);
        let mut fee = standard_fee;
        if kind.is_some_and(|k| k.ships_free(sale)) {
            fee = zero;
        }
        let forgone = standard_fee.checked_sub(fee)?;
        // VAT and the value for thresholds.
        let vat_rule = &self.mdef.vat;
        let r = i64::from(vat_rule.rate_bp);
        let (vat_std, value) = if vat_rule.prices_include_vat {
            let v = sale.mul_ratio(r, 10_000 + r, Rounding::HalfUp)?;
            (v, sale.checked_sub(v)?)
        } else {
            (sale.mul_ratio(r, 10_000, Rounding::HalfUp)?, sale)
        };
        let vat = match rule.vat_free_below_minor {
            Some(t) if value.minor() < t => VatTreatment::Waived {
                below: self.money(t),
            },
            _ if vat_rule.prices_include_vat => VatTreatment::Included {
                rate_bp: vat_rule.rate_bp,
                vat: vat_std,
            },
            _ => VatTreatment::AddedAtCheckout {
                rate_bp: vat_rule.rate_bp,
                vat: vat_std,
            },
        };
        let duty = self.parcel_duty(rule, *date, value)?;
        let charged = sale.checked_add(fee)?;
        let payment = charged
            .mul_ratio(
                i64::from(self.mrules.payment.rate_bp),
                10_000,
                Rounding::HalfUp,
            )?
            .checked_add(self.money(self.mrules.payment.fixed_minor))?;
        let mut pl = vec![self.line(LineKind::Price, "Retail price", retail)];
        if retail_discount.minor() > 0 {
            pl.push(self.cost(LineKind::Promotion, "Promotion discount", retail_discount));
        }
        if fee.minor() > 0 {
            pl.push(self.line(
                LineKind::DeliveryFee,
                "Delivery fee paid by the shopper",
                fee,
            ));
        }
        let mut revenue = sale.checked_add(fee)?;
        if let VatTreatment::Included { vat, rate_bp } = vat {
            pl.push(self.cost(
                LineKind::Vat,
                format!("{} {}", vat_rule.name, pct(rate_bp)),
                vat,
            ));
            revenue = revenue.checked_sub(vat)?;
        }
        pl.push(self.cost(
            LineKind::SupplyPrice,
            "Supply price paid to the seller",
            supply_paid,
        ));
        pl.extend(setup.platform_costs.iter().cloned());
        pl.push(self.cost(LineKind::PaymentFee, "Payment fee", payment));
        pl.push(self.cost(LineKind::Duty, "Import duty", duty.duty));
        let platform = self.side(pl, revenue)?;
        Ok(Eval {
            list_price: retail,
            shopper_pays: sale,
            delivery_fee: fee,
            seller,
            platform: Some(platform),
            vat,
            duty: Some(duty),
            seller_promo_cost: seller_discount,
            platform_promo_cost: retail_discount
                .checked_sub(seller_discount)?
                .checked_add(forgone)?,
        })
    }

    /// The smallest seller price in `[1, limit]` for which `ok` holds, assuming it keeps
    /// holding above; `None` when it does not hold at the limit.
    fn search(
        &self,
        setup: &Setup,
        ok: impl Fn(Money, Money) -> bool,
    ) -> Result<Option<i64>, PricingError> {
        let test = |x: i64| -> Result<bool, PricingError> {
            let (m, r) = self.seller_at(setup, self.money(x), None)?;
            Ok(ok(m, r))
        };
        let (mut lo, mut hi) = (1i64, self.limit.minor());
        if !test(hi)? {
            return Ok(None);
        }
        if test(lo)? {
            return Ok(Some(lo));
        }
        // test(lo) is false and test(hi) true.
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if test(mid)? {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok(Some(hi))
    }

    fn reaches(&self, target_bp: u32) -> impl Fn(Money, Money) -> bool {
        move |m: Money, r: Money| {
            r.minor() > 0
                && i128::from(m.minor()) * 10_000 >= i128::from(target_bp) * i128::from(r.minor())
        }
    }

    fn price(&self, est: &Estimator<'_>, mode: Mode) -> Result<ModePricing, PricingError> {
        let setup = self.setup(est, mode)?;
        self.finish(&setup)
    }

    fn finish(&self, setup: &Setup) -> Result<ModePricing, PricingError> {
        let mode = setup.mode;
        let (seller_sets, price) = match mode {
            Mode::FullyManaged => (
                SellerSets::SupplyPrice,
                self.req.supply_price.ok_or(PricingError::NoSupplyPrice)?,
            ),
            _ => (
                SellerSets::RetailPrice,
                self.req.price.ok_or(PricingError::NoPrice { mode })?,
            ),
        };
        let running = self.running_promotion();
        let e = self.evaluate(setup, price, running.as_ref(), true)?;
        let before = if running.is_some() {
            self.evaluate(setup, price, None, true)?
        } else {
            self.evaluate(setup, price, None, false)?
        };
        let mut warnings = setup.warnings.clone();
        let promotion = self.req.promotion.map(|p| {
            let running = p.runs_at(self.req.now);
            PromotionEffect {
                running,
                seller_cost: e.seller_promo_cost,
                platform_cost: e.platform_promo_cost,
                margin_before: before.seller.margin,
                margin_impact: self.money(
                    e.seller
                        .margin
                        .minor()
                        .saturating_sub(before.seller.margin.minor()),
                ),
            }
        });
        if let Some(p) = &promotion {
            if !p.running {
                warnings.push(Warning::PromotionNotRunning);
            } else if e.seller.margin.minor() < 0 && p.margin_before.minor() >= 0 {
                warnings.push(Warning::PromotionMakesMarginNegative);
            }
        }
        if e.seller.margin.minor() < 0 {
            warnings.push(Warning::NegativeMargin);
        }
        if e.platform.as_ref().is_some_and(|p| p.margin.minor() < 0) {
            warnings.push(Warning::PlatformMarginNegative);
        }
        let break_even = self.search(setup, |m, _| m.minor() >= 0)?;
        if break_even.is_none() {
            warnings.push(Warning::BreakEvenAboveLimit);
        }
        let suggested = self.suggest(setup)?;
        if suggested.is_none() {
            warnings.push(Warning::TargetMarginUnreachable);
        }
        let duty = e
            .duty
            .clone()
            .or_else(|| setup.bulk_duty.clone())
            .ok_or(PricingError::Overflow)?;
        Ok(ModePricing {
            mode,
            market: self.req.market.clone(),
            currency: self.currency,
            seller_sets,
            seller_price: price,
            list_price: e.list_price,
            shopper_pays: e.shopper_pays,
            delivery_fee: e.delivery_fee,
            warehouse: setup.warehouse.clone(),
            warehouse_name: setup.warehouse_name.clone(),
            delivery: setup.delivery.clone(),
            seller: e.seller,
            platform: e.platform,
            vat: e.vat,
            duty,
            promotion,
            break_even: break_even.map(|x| self.money(x)),
            suggested: suggested.map(|x| self.money(x)),
            target_margin_bp: self.req.target_margin_bp,
            warnings,
        })
    }

    /// The suggested price: the smallest price reaching the target, then (for shown
    /// prices) the first price point at or above it that still reaches it.
    fn suggest(&self, setup: &Setup) -> Result<Option<i64>, PricingError> {
        let ok = self.reaches(self.req.target_margin_bp);
        let Some(p) = self.search(setup, &ok)? else {
            return Ok(None);
        };
        if setup.mode == Mode::FullyManaged {
            return Ok(Some(p));
        }
        let mut candidate = p;
        for _ in 0..16 {
            let Some(point) = round_up_to_price_point(candidate, &self.mrules.price_points) else {
                return Ok(None);
            };
            if point > self.limit.minor() {
                return Ok(None);
            }
            let (m, r) = self.seller_at(setup, self.money(point), None)?;
            if ok(m, r) {
                return Ok(Some(point));
            }
            candidate = point.saturating_add(1);
        }
        Ok(None)
    }
}

/// Converts between currencies at the network's snapshot.
fn fx(net: &Network, m: Money, to: Currency, mode: Rounding) -> Result<Money, PricingError> {
    let from = net.fx_rate(m.currency().code).ok_or(PricingError::NoRate {
        currency: m.currency().code,
    })?;
    let to_rate = net
        .fx_rate(to.code)
        .ok_or(PricingError::NoRate { currency: to.code })?;
    Ok(convert(m, from, to, to_rate, mode)?)
}

/// Pairs a landed cost's lines with their kinds: [`landed::direct`] and
/// [`landed::via_warehouse`] list them in a fixed order (their own lines, then the
/// engine's legs: handling, line-haul and customs when flown, last mile).
fn decode<'l>(
    mode: Mode,
    lines: &'l [CostLine],
    kinds: &[LineKind],
) -> Result<Vec<(LineKind, &'l CostLine)>, PricingError> {
    if lines.len() != kinds.len() {
        return Err(PricingError::NoRoute {
            mode,
            reason: format!(
                "the landed cost has {} lines where {} were expected",
                lines.len(),
                kinds.len()
            ),
        });
    }
    Ok(kinds.iter().copied().zip(lines.iter()).collect())
}

/// "19 %", "2.9 %".
fn pct(bp: u32) -> String {
    if bp.is_multiple_of(100) {
        format!("{} %", bp / 100)
    } else if bp.is_multiple_of(10) {
        format!("{}.{} %", bp / 100, (bp % 100) / 10)
    } else {
        format!("{}.{:02} %", bp / 100, bp % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bands(step: i64, ending: i64) -> Vec<PricePointTier> {
        vec![PricePointTier {
            from_minor: 0,
            step_minor: step,
            ending_minor: ending,
        }]
    }

    #[test]
    fn price_points_round_up_to_the_next_ending() {
        let b = bands(100, 99);
        assert_eq!(round_up_to_price_point(1, &b), Some(99));
        assert_eq!(round_up_to_price_point(99, &b), Some(99));
        assert_eq!(round_up_to_price_point(100, &b), Some(199));
        assert_eq!(round_up_to_price_point(1234, &b), Some(1299));
        let whole = bands(1000, 900);
        assert_eq!(round_up_to_price_point(34_850, &whole), Some(34_900));
        assert_eq!(round_up_to_price_point(34_901, &whole), Some(35_900));
        let won = vec![
            PricePointTier {
                from_minor: 0,
                step_minor: 1000,
                ending_minor: 900,
            },
            PricePointTier {
                from_minor: 100_000,
                step_minor: 10_000,
                ending_minor: 9000,
            },
        ];
        assert_eq!(round_up_to_price_point(12_345, &won), Some(12_900));
        assert_eq!(round_up_to_price_point(99_950, &won), Some(109_000));
        assert_eq!(round_up_to_price_point(123_000, &won), Some(129_000));
        let hundreds = bands(100, 0);
        assert_eq!(round_up_to_price_point(1, &hundreds), Some(100));
        assert_eq!(round_up_to_price_point(200, &hundreds), Some(200));
    }

    #[test]
    fn percentages_print_without_trailing_zeros() {
        assert_eq!(pct(1900), "19 %");
        assert_eq!(pct(290), "2.9 %");
        assert_eq!(pct(1234), "12.34 %");
    }
}
