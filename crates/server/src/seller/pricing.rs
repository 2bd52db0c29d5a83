//! The pricing rules file as loaded at start, and how the server asks crates/core's
//! pricing engine about a listing: the [`PricingRequest`] built from what the database
//! holds, with the assumptions stated here (and sent to the panel with every answer, so
//! its what-ifs start from exactly the same input).

use std::path::Path;

use axum::body::Bytes;
use crossdock_core::engine::Mode;
use crossdock_core::network::Network;
use crossdock_core::pricing::{
    PricingRequest, PricingRules, PricingRulesError, Promotion, PromotionKind, Sku,
};
use crossdock_core::schema::WarehouseKind;
use crossdock_core::time::Instant;
use crossdock_core::{Money, Rounding};

use crate::StartError;
use crate::catalog::promotions::{FREE_SHIPPING_OVER, PERCENT_OFF, PLATFORM_SUBSIDY, VOUCHER};

/// Days a sold unit is assumed to have waited in its warehouse when the server prices a
/// listing (storage is charged per day held; the panel's what-ifs may ask with others).
pub const ASSUMED_INVENTORY_AGE_DAYS: u32 = 30;

/// The margin the suggested price aims at, in basis points (20 %).
pub const TARGET_MARGIN_BP: u32 = 2_000;

/// The pricing rules file as the server publishes it: its exact bytes (served as they
/// are, so the panel's wasm reads the same text) and the rules checked against the
/// network.
#[derive(Debug)]
pub struct LoadedPricing {
    bytes: Bytes,
    rules: PricingRules,
}

/// The pricing file the server was built with (`data/pricing.json`): what
/// [`crate::AppState::new`] uses; `crossdock-server` reads the file it is pointed at.
pub const DEFAULT_PRICING_JSON: &str = include_str!("../../../../data/pricing.json");

impl LoadedPricing {
    /// Parses and checks `text` (the whole file) against `net`.
    pub fn from_text(text: String, net: &Network) -> Result<LoadedPricing, PricingRulesError> {
        let rules = PricingRules::from_json(&text, net)?;
        Ok(LoadedPricing {
            bytes: Bytes::from(text),
            rules,
        })
    }

    /// The exact bytes of the file.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The checked rules.
    pub fn rules(&self) -> &PricingRules {
        &self.rules
    }

    /// The version the file declares.
    pub fn version(&self) -> &str {
        self.rules.version()
    }
}

/// Reads and checks the pricing file at `path` against `net`.
pub fn load_pricing(path: &Path, net: &Network) -> Result<LoadedPricing, StartError> {
    let bytes = std::fs::read(path).map_err(|source| StartError::PricingUnreadable {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| StartError::PricingInvalid {
        path: path.to_path_buf(),
        error: PricingRulesError::Syntax(format!("not UTF-8 text ({e})")),
    })?;
    LoadedPricing::from_text(text, net).map_err(|error| StartError::PricingInvalid {
        path: path.to_path_buf(),
        error,
    })
}

/// What stored margins were computed with: a stored margin with another basis is
/// computed again.
pub fn margin_basis(net: &Network, pricing: &LoadedPricing) -> String {
    format!("{} {}", pricing.version(), net.content_hash())
}

/// The facts of a SKU the pricing engine reads.
#[derive(Debug, Clone)]
pub struct SkuFacts {
    pub weight_g: u32,
    pub dims_mm: [u32; 3],
    pub category: String,
    /// Cost of goods per unit, in the seller's currency.
    pub cost_of_goods: Money,
    /// The consolidation warehouse in China the seller delivers to ([`origin_of`]).
    pub origin: String,
}

/// The consolidation warehouse a seller delivers to: of `stocked` (consolidation
/// warehouses with the seller's stock, most used first), the first the network knows as
/// one; else the network's first consolidation warehouse. The demo catalog's sellers each
/// deliver to one (their fully managed stock is there).
pub fn origin_of(net: &Network, stocked: &[String]) -> String {
    let is_origin = |id: &str| {
        net.file
            .warehouses
            .iter()
            .any(|w| w.id == id && w.kind == WarehouseKind::CnConsolidation)
    };
    stocked
        .iter()
        .find(|w| is_origin(w))
        .cloned()
        .or_else(|| {
            net.file
                .warehouses
                .iter()
                .find(|w| w.kind == WarehouseKind::CnConsolidation)
                .map(|w| w.id.clone())
        })
        .unwrap_or_default()
}

/// The request the server gives crates/core for a listing in a market: the listing's
/// facts, its prices (`supply_price` for the fully managed column), the warehouses its
/// stock is in, [`ASSUMED_INVENTORY_AGE_DAYS`], [`TARGET_MARGIN_BP`], the market's
/// reference destination (the pricing file's), and the promotion if one is given.
#[allow(clippy::too_many_arguments)]
pub fn request(
    facts: &SkuFacts,
    market: &str,
    price: Option<Money>,
    supply_price: Option<Money>,
    warehouses: Vec<String>,
    promotion: Option<Promotion>,
    now: Instant,
) -> PricingRequest {
    PricingRequest {
        sku: Sku {
            weight_g: facts.weight_g,
            dims_mm: facts.dims_mm,
            category: facts.category.clone(),
            origin: facts.origin.clone(),
            cost_of_goods: facts.cost_of_goods,
        },
        market: market.to_string(),
        price,
        supply_price,
        inventory_age_days: ASSUMED_INVENTORY_AGE_DAYS,
        promotion,
        target_margin_bp: TARGET_MARGIN_BP,
        now,
        destination: None,
        warehouses,
    }
}

/// For a listing that is not fully managed, the supply price the fully managed column is
/// priced at: the one whose retail price under the platform's rule (supply price × the
/// market's `platform_markup_bp`, plus VAT where prices include it) comes closest to the
/// current price without exceeding it before rounding to a price point. `None` when the
/// market has no rules.
pub fn assumed_supply_price(
    net: &Network,
    rules: &PricingRules,
    market: &str,
    retail: Money,
) -> Option<Money> {
    let mrules = rules.market(market)?;
    let mdef = net.file.markets.iter().find(|m| m.id == market)?;
    let vat = if mdef.vat.prices_include_vat {
        i64::from(mdef.vat.rate_bp)
    } else {
        0
    };
    let den = i64::from(mrules.platform_markup_bp).checked_mul(10_000 + vat)?;
    if den <= 0 {
        return None;
    }
    retail
        .mul_ratio(100_000_000, den, Rounding::Down)
        .ok()
        .filter(|m| m.minor() > 0)
}

/// A promotion as stored, for pricing.
#[derive(Debug, Clone)]
pub struct StoredPromotion<'a> {
    pub kind: &'a str,
    pub percent_bp: Option<i64>,
    pub amount_minor: Option<i64>,
    pub threshold_minor: Option<i64>,
    /// The demo kinds' fixed promotional price.
    pub price_minor: i64,
    pub funded_by: &'a str,
    pub starts_at: Instant,
    pub ends_at: Instant,
}

/// The promotion as crates/core prices it, in the currency of `regular` (the market's).
/// The seller panel's kinds map one to one. The demo catalog's fixed-price kinds take
/// the difference to the regular price: platform-funded ones as a platform subsidy of it,
/// seller-funded ones as a voucher of it — under fully managed, where the seller funds
/// campaigns through the supply price, as the percentage off it amounts to, to the
/// nearest basis point. `None` when it does not lower the price or cannot be priced.
pub fn core_promotion(p: &StoredPromotion<'_>, regular: Money, mode: Mode) -> Option<Promotion> {
    let money = |minor: i64| Money::from_minor(minor, regular.currency());
    let kind = match p.kind {
        PERCENT_OFF => PromotionKind::PercentOff {
            percent_bp: u32::try_from(p.percent_bp?).ok()?,
        },
        VOUCHER => PromotionKind::Voucher {
            amount: money(p.amount_minor?),
        },
        PLATFORM_SUBSIDY => PromotionKind::PlatformSubsidy {
            amount: money(p.amount_minor?),
        },
        FREE_SHIPPING_OVER => PromotionKind::FreeShippingOver {
            threshold: money(p.threshold_minor?),
        },
        _ => {
            let off = regular.minor().checked_sub(p.price_minor)?;
            if off <= 0 {
                return None;
            }
            if p.funded_by == "platform" {
                PromotionKind::PlatformSubsidy { amount: money(off) }
            } else if mode == Mode::FullyManaged {
                let bp = (i128::from(off) * 10_000 * 2 + i128::from(regular.minor()))
                    / (2 * i128::from(regular.minor()));
                PromotionKind::PercentOff {
                    percent_bp: u32::try_from(bp.clamp(1, 9_000)).ok()?,
                }
            } else {
                PromotionKind::Voucher { amount: money(off) }
            }
        }
    };
    Some(Promotion {
        kind,
        starts: p.starts_at,
        ends: p.ends_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net() -> Network {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/network.json"
        ))
        .unwrap_or_default();
        Network::from_json(&text).unwrap_or_else(|e| unreachable!("{e}"))
    }

    #[test]
    fn the_built_in_rules_load_and_the_assumed_supply_price_leads_back_to_the_price() {
        let net = net();
        let loaded = LoadedPricing::from_text(DEFAULT_PRICING_JSON.to_string(), &net)
            .unwrap_or_else(|e| unreachable!("{e}"));
        let usd = net.money(1999, "USD").unwrap_or_else(|| unreachable!());
        // US: ×2.0, no VAT in the price: 19.99 / 2 = 9.995 → 9.99.
        let supply = assumed_supply_price(&net, loaded.rules(), "US", usd);
        assert_eq!(supply.map(|m| m.minor()), Some(999));
        let eur = net.money(2999, "EUR").unwrap_or_else(|| unreachable!());
        // DE: ×1.8 and 19 % VAT: 29.99 / 2.142 = 14.0009… → 14.00.
        let supply = assumed_supply_price(&net, loaded.rules(), "DE", eur);
        assert_eq!(supply.map(|m| m.minor()), Some(1400));
    }

    #[test]
    fn demo_promotions_become_the_core_kind_that_gives_the_same_price() {
        let net = net();
        let usd = |m| net.money(m, "USD").unwrap_or_else(|| unreachable!());
        let at = |s| Instant::parse(s).unwrap_or_else(|e| unreachable!("{e:?}"));
        let stored = |funded_by| StoredPromotion {
            kind: "seasonal_sale",
            percent_bp: None,
            amount_minor: None,
            threshold_minor: None,
            price_minor: 1499,
            funded_by,
            starts_at: at("2026-11-20T00:00:00Z"),
            ends_at: at("2026-12-01T08:00:00Z"),
        };
        let kind =
            |p: &StoredPromotion<'_>, mode| core_promotion(p, usd(1999), mode).map(|p| p.kind);
        assert_eq!(
            kind(&stored("seller"), Mode::SemiManaged),
            Some(PromotionKind::Voucher { amount: usd(500) })
        );
        assert_eq!(
            kind(&stored("platform"), Mode::SemiManaged),
            Some(PromotionKind::PlatformSubsidy { amount: usd(500) })
        );
        // 500 / 1999 = 25.01 % → 2501 bp.
        assert_eq!(
            kind(&stored("seller"), Mode::FullyManaged),
            Some(PromotionKind::PercentOff { percent_bp: 2501 })
        );
        let dearer = StoredPromotion {
            price_minor: 2499,
            ..stored("seller")
        };
        assert_eq!(kind(&dearer, Mode::SemiManaged), None);
    }
}
