//! Landed cost per unit: what it costs to put one unit at a shopper's door, shipped
//! directly from China by air, or sent ahead by sea to an overseas warehouse and shipped
//! locally from there. This is the comparison that decides a SKU's fulfilment mode.

use serde::{Deserialize, Serialize};

use crate::engine::{Destination, Estimator, Listing, Mode, QuoteError, RouteStatus, StockLine};
use crate::money::{Money, Rounding, convert};
use crate::network::Network;
use crate::time::Instant;

/// One line of a landed cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostLine {
    pub label: String,
    pub amount: Money,
}

/// A landed cost per unit, in the market's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LandedCost {
    pub lines: Vec<CostLine>,
    pub total: Money,
}

/// Why a landed cost could not be worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LandedError {
    Quote(QuoteError),
    /// The warehouse cannot ship the item to the destination; the engine's reason.
    NoRoute(String),
    UnknownWarehouse(String),
    /// No sea lane brings stock from the origin to this warehouse.
    NoSeaLane {
        origin: String,
        warehouse: String,
    },
    Overflow,
}

impl std::fmt::Display for LandedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LandedError::Quote(e) => write!(f, "{e}"),
            LandedError::NoRoute(why) => write!(f, "no route: {why}"),
            LandedError::UnknownWarehouse(w) => {
                write!(f, "\"{w}\" is not a warehouse in the network")
            }
            LandedError::NoSeaLane { origin, warehouse } => {
                write!(f, "no sea lane from {origin} to {warehouse}")
            }
            LandedError::Overflow => f.write_str("amount too large"),
        }
    }
}

impl std::error::Error for LandedError {}

impl From<QuoteError> for LandedError {
    fn from(e: QuoteError) -> Self {
        LandedError::Quote(e)
    }
}

/// An item to land: weight, size and category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<'a> {
    pub weight_g: u32,
    pub dims_mm: [u32; 3],
    pub category: &'a str,
}

/// The cost of shipping one unit from `warehouse` to the destination, line by line, as
/// the engine prices it (handling, line-haul, customs, last mile).
fn shipped(
    net: &Network,
    item: &Item<'_>,
    mode: Mode,
    warehouse: &str,
    dest: &Destination,
    now: Instant,
) -> Result<Vec<CostLine>, LandedError> {
    let listing = Listing {
        weight_g: item.weight_g,
        dims_mm: item.dims_mm,
        category: item.category.to_string(),
        mode,
        stock: vec![StockLine {
            warehouse: warehouse.to_string(),
            quantity: 1,
        }],
        unit_price: None,
    };
    let est = Estimator::new(net, dest, now)?;
    let quote = est.quote(&listing, 1)?;
    let route = quote
        .routes
        .iter()
        .find(|r| r.warehouse == warehouse)
        .ok_or_else(|| {
            LandedError::NoRoute(format!("{warehouse} does not serve {}", dest.market))
        })?;
    match &route.status {
        RouteStatus::Feasible(f) => Ok(f
            .legs
            .iter()
            .map(|l| CostLine {
                label: l.name.clone(),
                amount: l.cost,
            })
            .collect()),
        RouteStatus::Infeasible(i) => Err(LandedError::NoRoute(i.message.clone())),
    }
}

fn total(lines: &[CostLine], zero: Money) -> Result<Money, LandedError> {
    lines.iter().try_fold(zero, |acc, l| {
        acc.checked_add(l.amount).map_err(|_| LandedError::Overflow)
    })
}

/// Direct: handling in the China warehouse, air freight, customs and last mile.
pub fn direct(
    net: &Network,
    item: &Item<'_>,
    origin: &str,
    dest: &Destination,
    now: Instant,
) -> Result<LandedCost, LandedError> {
    let lines = shipped(net, item, Mode::FullyManaged, origin, dest, now)?;
    let zero = market_zero(net, &dest.market)?;
    Ok(LandedCost {
        total: total(&lines, zero)?,
        lines,
    })
}

/// Via an overseas warehouse: this unit's share of sea freight from `origin`, receiving,
/// `storage_months` of storage, then handling and local last mile.
pub fn via_warehouse(
    net: &Network,
    item: &Item<'_>,
    origin: &str,
    warehouse: &str,
    storage_months: u32,
    dest: &Destination,
    now: Instant,
) -> Result<LandedCost, LandedError> {
    let w = net
        .warehouse_index(warehouse)
        .ok_or_else(|| LandedError::UnknownWarehouse(warehouse.to_string()))?;
    let o = net
        .warehouse_index(origin)
        .ok_or_else(|| LandedError::UnknownWarehouse(origin.to_string()))?;
    let wdef = net
        .file
        .warehouses
        .get(w)
        .ok_or_else(|| LandedError::UnknownWarehouse(warehouse.to_string()))?;
    let mode = match wdef.kind {
        crate::schema::WarehouseKind::PlatformLocal => Mode::PlatformLocal,
        _ => Mode::SemiManaged,
    };
    let zero = market_zero(net, &dest.market)?;
    let to_market = |m: Money| -> Result<Money, LandedError> {
        let from = net
            .fx_rate(m.currency().code)
            .ok_or(LandedError::Overflow)?;
        let to = net
            .fx_rate(zero.currency().code)
            .ok_or(LandedError::Overflow)?;
        convert(m, from, zero.currency(), to, Rounding::HalfUp).map_err(|_| LandedError::Overflow)
    };
    // Unit volume in mm³; cost per m³ = per 10^9 mm³.
    let [l, wd, h] = item.dims_mm;
    let mm3 = i64::from(l)
        .checked_mul(i64::from(wd))
        .and_then(|v| v.checked_mul(i64::from(h)));
    let mm3 = mm3.ok_or(LandedError::Overflow)?;
    let (sea_idx, sea) = net
        .sea_lanes
        .iter()
        .enumerate()
        .find(|(_, s)| s.origins.contains(&o) && s.destinations.contains(&w))
        .ok_or_else(|| LandedError::NoSeaLane {
            origin: origin.to_string(),
            warehouse: warehouse.to_string(),
        })?;
    let sea_def = net
        .file
        .sea_lanes
        .get(sea_idx)
        .ok_or(LandedError::Overflow)?;
    let per_m3 = Money::from_minor(sea_def.cost_per_m3_minor, sea.currency);
    let sea_share = per_m3
        .mul_ratio(mm3, 1_000_000_000, Rounding::Up)
        .map_err(|_| LandedError::Overflow)?;
    let fee = |minor: i64| {
        net.money(minor, &wdef.fees.currency)
            .ok_or(LandedError::Overflow)
    };
    let storage = fee(wdef.fees.storage_per_m3_month_minor)?
        .checked_mul(i64::from(storage_months))
        .and_then(|m| m.mul_ratio(mm3, 1_000_000_000, Rounding::Up))
        .map_err(|_| LandedError::Overflow)?;
    let mut lines = vec![
        CostLine {
            label: format!("Sea freight share, {}", sea_def.name),
            amount: to_market(sea_share)?,
        },
        CostLine {
            label: format!("Receiving at {}", wdef.name),
            amount: to_market(fee(wdef.fees.receiving_per_unit_minor)?)?,
        },
        CostLine {
            label: format!("Storage, {storage_months} month(s)"),
            amount: to_market(storage)?,
        },
    ];
    lines.extend(shipped(net, item, mode, warehouse, dest, now)?);
    Ok(LandedCost {
        total: total(&lines, zero)?,
        lines,
    })
}

fn market_zero(net: &Network, market: &str) -> Result<Money, LandedError> {
    let m = net
        .market_index(market)
        .and_then(|i| net.markets.get(i))
        .ok_or_else(|| LandedError::Quote(QuoteError::UnknownMarket(market.to_string())))?;
    Ok(Money::zero(m.currency))
}
