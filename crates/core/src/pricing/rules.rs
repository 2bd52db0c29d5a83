//! The pricing rules file (`data/pricing.json`): what the network file does not say about
//! money — platform commission per category, payment fees, price points, the platform's
//! markup under fully managed, aged-inventory storage surcharges, the customs valuation
//! basis and the sane price limit of each market.
//!
//! [`PricingRules::from_json`] reads the file and checks it against the network it will
//! be used with, naming every problem by its place in the file
//! (`markets[2].payment.rate_bp: above 20 %`), the way the network file is checked.
//! [`PricingRules::read`] does the same through [`crate::json`] instead of serde, for the
//! seller panel's wasm (which carries no serde); the [`FromJson`](crate::json::FromJson)
//! impls at the end of this file keep the serde field lists: every struct `strict`, as
//! `deny_unknown_fields` is, and a field serde defaults `#[default]`. Both readers accept
//! the same files and build the same rules.
//!
//! Conventions (as in the network file): rates in basis points (1500 = 15 %), amounts in
//! integer minor units of the currency named beside them or of the market's currency.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::money::{Currency, CurrencyCode};
use crate::network::{Network, Problem};
use crate::schema::MarketDef;
use crate::time::Date;
use crate::{json_enum, json_struct};

/// Highest commission of any category, in basis points.
pub const MAX_COMMISSION_BP: u32 = 5_000;
/// Highest percentage part of a payment fee, in basis points.
pub const MAX_PAYMENT_BP: u32 = 2_000;
/// Largest `max_price_minor` a market may set. Keeps every product of a price with a rate
/// (up to 10^4 × 10^5) far inside `i128`, and the price itself inside `i64`.
pub const MAX_PRICE_LIMIT_MINOR: i64 = 1_000_000_000_000;

/// The whole pricing file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PricingFile {
    /// Human-chosen version label, e.g. "2026.11.1".
    pub version: String,
    /// When the figures were last checked.
    pub as_of: Date,
    pub commission: CommissionDef,
    pub aged_inventory: AgedInventoryDef,
    pub fully_managed: FullyManagedDef,
    pub markets: Vec<MarketPricingDef>,
}

/// The platform's commission (referral fee) on semi-managed and platform-local sales,
/// charged on what the shopper pays for the item, VAT included where prices include it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommissionDef {
    /// Rate for a category not listed, in basis points.
    pub default_bp: u32,
    /// Rates per network category id.
    pub categories: Vec<CategoryRate>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRate {
    /// A category id of the network.
    pub category: String,
    pub rate_bp: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Surcharges on storage in the platform's local warehouses for stock held long, as a
/// share of the warehouse's own storage rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgedInventoryDef {
    /// Sorted by `after_days`, strictly increasing. A tier applies to every day a unit is
    /// held after `after_days`, until the next tier takes over.
    pub tiers: Vec<AgedTier>,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgedTier {
    /// The tier starts on day `after_days + 1` of a unit's stay.
    pub after_days: u32,
    /// Added to the base storage rate, in basis points of it (10000 doubles it).
    pub surcharge_bp: u32,
}

/// What a fully managed seller pays besides the goods: getting them to the platform's
/// consolidation warehouse in China.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FullyManagedDef {
    /// Currency of `inbound_per_kg_minor` (CNY).
    pub inbound_currency: String,
    /// Domestic delivery to the consolidation warehouse, per kilogram of unit weight.
    pub inbound_per_kg_minor: i64,
    pub source: String,
}

/// How a market values goods imported in bulk (semi-managed and platform-local stock) for
/// duty: free on board (the goods alone) or cost, insurance and freight (the goods plus
/// their sea freight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomsValue {
    Fob,
    Cif,
}

/// A band of price points: prices at or above `from_minor` end on `k × step + ending`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PricePointTier {
    pub from_minor: i64,
    pub step_minor: i64,
    /// Below `step_minor`: 99 with a step of 100 gives x.99.
    pub ending_minor: i64,
}

/// Where the promised delivery window of a market is shown for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceDestination {
    pub postal_code: String,
    /// For the panel: "New York".
    pub label: String,
}

/// A payment processor's fee per order: a percentage of what the shopper pays plus a
/// fixed amount in the market's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentFeeDef {
    pub rate_bp: u32,
    pub fixed_minor: i64,
    pub source: String,
}

/// The pricing rules of one market.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketPricingDef {
    /// A market id of the network.
    pub market: String,
    /// Must be the network market's currency; every amount below is in it.
    pub currency: String,
    pub reference: ReferenceDestination,
    /// No price (retail, supply or promotion amount) may be above this.
    pub max_price_minor: i64,
    /// Sorted by `from_minor`, the first from 0.
    pub price_points: Vec<PricePointTier>,
    pub customs_value: CustomsValue,
    /// Consignments valued below this pay a duty rule's `flat_duty_per_item_minor`
    /// instead of its ad valorem rate (the EU's €3 below €150). The network schema has
    /// no field for the limit (data/SOURCES.md), so it lives here; required when any of
    /// the market's duty rules has a flat duty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flat_duty_below_minor: Option<i64>,
    /// Fully managed retail price = supply price × this (10000 = ×1), plus VAT where the
    /// market's prices include it, rounded up to a price point.
    pub platform_markup_bp: u32,
    pub payment: PaymentFeeDef,
    /// Category rates that differ from the platform-wide schedule in this market.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commission_overrides: Vec<CategoryRate>,
    pub source: String,
}

/// Why a pricing file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PricingRulesError {
    /// Not JSON of the right shape (serde's message names the line and column).
    Syntax(String),
    /// Well-formed, but wrong or inconsistent with the network: every problem found.
    Invalid(Vec<Problem>),
}

impl fmt::Display for PricingRulesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PricingRulesError::Syntax(msg) => write!(f, "the pricing file is not valid: {msg}"),
            PricingRulesError::Invalid(problems) => {
                write!(f, "the pricing file has {} problem(s):", problems.len())?;
                for p in problems {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for PricingRulesError {}

/// Pricing rules checked against a network. Build with [`PricingRules::from_json`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricingRules {
    file: PricingFile,
    /// Market id → index into `file.markets`.
    markets: BTreeMap<String, usize>,
    /// Network currency of `fully_managed.inbound_currency`.
    inbound_currency: Currency,
}

impl PricingRules {
    /// Reads and checks a pricing file against `net`.
    pub fn from_json(text: &str, net: &Network) -> Result<PricingRules, PricingRulesError> {
        let file: PricingFile =
            serde_json::from_str(text).map_err(|e| PricingRulesError::Syntax(e.to_string()))?;
        PricingRules::from_file(file, net)
    }

    /// Reads (with [`crate::json`], no serde) and checks a pricing file against `net`: the
    /// same rules as [`PricingRules::from_json`] builds from the same text, for the
    /// browser. Only the wording of a syntax error differs.
    pub fn read(text: &str, net: &Network) -> Result<PricingRules, PricingRulesError> {
        let file: PricingFile =
            crate::json::from_str(text).map_err(|e| PricingRulesError::Syntax(e.to_string()))?;
        PricingRules::from_file(file, net)
    }

    /// Checks an already parsed file against `net`.
    pub fn from_file(file: PricingFile, net: &Network) -> Result<PricingRules, PricingRulesError> {
        let mut v = Check::default();
        let inbound_currency = v.file(&file, net);
        if !v.problems.is_empty() {
            return Err(PricingRulesError::Invalid(v.problems));
        }
        let markets = file
            .markets
            .iter()
            .enumerate()
            .map(|(i, m)| (m.market.clone(), i))
            .collect();
        Ok(PricingRules {
            file,
            markets,
            inbound_currency: inbound_currency.unwrap_or(Currency {
                code: CurrencyCode::XXX,
                exponent: 2,
            }),
        })
    }

    pub fn file(&self) -> &PricingFile {
        &self.file
    }

    pub fn version(&self) -> &str {
        &self.file.version
    }

    /// The rules of a market, if the file has them.
    pub fn market(&self, id: &str) -> Option<&MarketPricingDef> {
        self.markets.get(id).and_then(|i| self.file.markets.get(*i))
    }

    /// The commission on a category in a market, in basis points: the market's override,
    /// else the platform-wide rate, else the default.
    pub fn commission_bp(&self, market: &MarketPricingDef, category: &str) -> u32 {
        market
            .commission_overrides
            .iter()
            .chain(&self.file.commission.categories)
            .find(|c| c.category == category)
            .map_or(self.file.commission.default_bp, |c| c.rate_bp)
    }

    /// Aged-inventory surcharge tiers, sorted.
    pub fn aged_tiers(&self) -> &[AgedTier] {
        &self.file.aged_inventory.tiers
    }

    /// Inbound delivery to the consolidation warehouse: (currency, minor units per kg).
    pub fn inbound_per_kg(&self) -> (Currency, i64) {
        (
            self.inbound_currency,
            self.file.fully_managed.inbound_per_kg_minor,
        )
    }
}

/// Collects problems.
#[derive(Default)]
struct Check {
    problems: Vec<Problem>,
}

impl Check {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    fn not_empty(&mut self, path: &str, s: &str) {
        if s.trim().is_empty() {
            self.problem(path, "must not be empty");
        }
    }

    fn rate(&mut self, path: String, bp: u32, max: u32) {
        if bp > max {
            self.problem(
                path,
                format!("{bp} bp is above {} %, the most allowed", max / 100),
            );
        }
    }

    fn category(&mut self, net: &Network, path: String, id: &str) {
        if net.category_index(id).is_none() {
            self.problem(path, format!("unknown category \"{id}\""));
        }
    }

    fn category_rates(&mut self, net: &Network, path: &str, rates: &[CategoryRate]) {
        let mut seen = BTreeSet::new();
        for (j, c) in rates.iter().enumerate() {
            self.category(net, format!("{path}[{j}].category"), &c.category);
            if !seen.insert(c.category.as_str()) {
                self.problem(
                    format!("{path}[{j}].category"),
                    format!("\"{}\" is listed twice", c.category),
                );
            }
            self.rate(format!("{path}[{j}].rate_bp"), c.rate_bp, MAX_COMMISSION_BP);
        }
    }

    /// Checks the whole file; returns the inbound currency when it resolves.
    fn file(&mut self, file: &PricingFile, net: &Network) -> Option<Currency> {
        self.not_empty("version", &file.version);
        let c = &file.commission;
        self.rate(
            "commission.default_bp".into(),
            c.default_bp,
            MAX_COMMISSION_BP,
        );
        self.category_rates(net, "commission.categories", &c.categories);
        self.not_empty("commission.source", &c.source);

        let a = &file.aged_inventory;
        let mut last: Option<u32> = None;
        for (j, t) in a.tiers.iter().enumerate() {
            if last.is_some_and(|l| t.after_days <= l) {
                self.problem(
                    format!("aged_inventory.tiers[{j}].after_days"),
                    "tiers must be sorted by after_days, each later than the one before",
                );
            }
            last = Some(t.after_days);
            self.rate(
                format!("aged_inventory.tiers[{j}].surcharge_bp"),
                t.surcharge_bp,
                200_000,
            );
        }
        self.not_empty("aged_inventory.source", &a.source);

        let fm = &file.fully_managed;
        let inbound = CurrencyCode::new(&fm.inbound_currency)
            .ok()
            .and_then(|code| net.currencies.get(&code).copied());
        match inbound {
            None => self.problem(
                "fully_managed.inbound_currency",
                format!("unknown currency \"{}\"", fm.inbound_currency),
            ),
            Some(cur) if net.fx_rate(cur.code).is_none() => self.problem(
                "fully_managed.inbound_currency",
                format!("the network has no exchange rate for {}", cur.code),
            ),
            Some(_) => {}
        }
        if !(0..=1_000_000).contains(&fm.inbound_per_kg_minor) {
            self.problem(
                "fully_managed.inbound_per_kg_minor",
                "must be between 0 and 1000000",
            );
        }
        self.not_empty("fully_managed.source", &fm.source);

        let mut seen = BTreeSet::new();
        for (i, m) in file.markets.iter().enumerate() {
            if !seen.insert(m.market.as_str()) {
                self.problem(
                    format!("markets[{i}].market"),
                    format!("\"{}\" has rules twice", m.market),
                );
            }
            self.market(net, i, m, file);
        }
        for def in &net.file.markets {
            if !seen.contains(def.id.as_str()) {
                self.problem(
                    "markets",
                    format!(
                        "the network sells in {} but it has no pricing rules",
                        def.id
                    ),
                );
            }
        }
        inbound
    }

    fn market(&mut self, net: &Network, i: usize, m: &MarketPricingDef, file: &PricingFile) {
        let p = format!("markets[{i}]");
        let Some(mi) = net.market_index(&m.market) else {
            self.problem(
                format!("{p}.market"),
                format!("unknown market \"{}\"", m.market),
            );
            return;
        };
        let (Some(def), Some(rt)) = (net.file.markets.get(mi), net.markets.get(mi)) else {
            return;
        };
        if m.currency != def.currency {
            self.problem(
                format!("{p}.currency"),
                format!(
                    "{} is priced in {}, not \"{}\"",
                    m.market, def.currency, m.currency
                ),
            );
        }
        if let Err(e) = rt.postal.normalise(&m.reference.postal_code) {
            self.problem(format!("{p}.reference.postal_code"), e.to_string());
        }
        self.not_empty(&format!("{p}.reference.label"), &m.reference.label);
        if !(1..=MAX_PRICE_LIMIT_MINOR).contains(&m.max_price_minor) {
            self.problem(
                format!("{p}.max_price_minor"),
                format!("must be between 1 and {MAX_PRICE_LIMIT_MINOR}"),
            );
        }
        self.price_points(&p, m);
        self.flat_duty(&p, m, def);
        if !(10_000..=100_000).contains(&m.platform_markup_bp) {
            self.problem(
                format!("{p}.platform_markup_bp"),
                "must be between 10000 (×1) and 100000 (×10)",
            );
        }
        self.rate(
            format!("{p}.payment.rate_bp"),
            m.payment.rate_bp,
            MAX_PAYMENT_BP,
        );
        if !(0..=m.max_price_minor.max(0)).contains(&m.payment.fixed_minor) {
            self.problem(
                format!("{p}.payment.fixed_minor"),
                "must be between 0 and the market's max_price_minor",
            );
        }
        self.not_empty(&format!("{p}.payment.source"), &m.payment.source);
        self.category_rates(
            net,
            &format!("{p}.commission_overrides"),
            &m.commission_overrides,
        );
        // Commission and payment fee together must stay at or below half the price, so
        // that with VAT (at most half a VAT-inclusive price) the deductions never exceed
        // the price and the margin never falls when the price rises.
        let worst = m
            .commission_overrides
            .iter()
            .chain(&file.commission.categories)
            .map(|c| c.rate_bp)
            .chain([file.commission.default_bp])
            .max()
            .unwrap_or(0);
        if worst.saturating_add(m.payment.rate_bp) > 5_000 {
            self.problem(
                format!("{p}.payment.rate_bp"),
                format!(
                    "commission ({worst} bp at most) and payment fee ({} bp) together are above 50 %",
                    m.payment.rate_bp
                ),
            );
        }
        self.not_empty(&format!("{p}.source"), &m.source);
    }

    fn price_points(&mut self, p: &str, m: &MarketPricingDef) {
        if m.price_points.is_empty() {
            self.problem(
                format!("{p}.price_points"),
                "give at least one price point band",
            );
        }
        let mut last: Option<i64> = None;
        for (j, t) in m.price_points.iter().enumerate() {
            let q = format!("{p}.price_points[{j}]");
            if j == 0 && t.from_minor != 0 {
                self.problem(format!("{q}.from_minor"), "the first band must start at 0");
            }
            if last.is_some_and(|l| t.from_minor <= l) {
                self.problem(
                    format!("{q}.from_minor"),
                    "bands must be sorted by from_minor, each above the one before",
                );
            }
            last = Some(t.from_minor);
            if !(1..=m.max_price_minor.max(1)).contains(&t.step_minor) {
                self.problem(
                    format!("{q}.step_minor"),
                    "must be between 1 and the market's max_price_minor",
                );
            }
            if !(0..t.step_minor.max(1)).contains(&t.ending_minor) {
                self.problem(
                    format!("{q}.ending_minor"),
                    "must be at least 0 and below step_minor",
                );
            }
        }
    }

    fn flat_duty(&mut self, p: &str, m: &MarketPricingDef, def: &MarketDef) {
        let flat = def
            .duty
            .iter()
            .find(|r| r.flat_duty_per_item_minor.is_some());
        match (flat, m.flat_duty_below_minor) {
            (Some(r), None) => self.problem(
                format!("{p}.flat_duty_below_minor"),
                format!(
                    "the network's {} duty rule from {} charges a flat duty per item; give the consignment value below which it applies",
                    def.id, r.from
                ),
            ),
            (_, Some(v)) if v <= 0 => {
                self.problem(format!("{p}.flat_duty_below_minor"), "must be above 0")
            }
            _ => {}
        }
    }
}

// The serde-free readers (see the module's documentation): keep in step with the derives.
json_struct!(strict PricingFile { version, as_of, commission, aged_inventory, fully_managed, markets });
json_struct!(strict CommissionDef { default_bp, categories, source });
json_struct!(strict CategoryRate { category, rate_bp, #[default] note });
json_struct!(strict AgedInventoryDef { tiers, source });
json_struct!(strict AgedTier { after_days, surcharge_bp });
json_struct!(strict FullyManagedDef { inbound_currency, inbound_per_kg_minor, source });
json_enum!(CustomsValue { Fob = "fob", Cif = "cif" });
json_struct!(strict PricePointTier { from_minor, step_minor, ending_minor });
json_struct!(strict ReferenceDestination { postal_code, label });
json_struct!(strict PaymentFeeDef { rate_bp, fixed_minor, source });
json_struct!(strict MarketPricingDef {
    market,
    currency,
    reference,
    max_price_minor,
    price_points,
    customs_value,
    #[default] flat_duty_below_minor,
    platform_markup_bp,
    payment,
    #[default] commission_overrides,
    source,
});
