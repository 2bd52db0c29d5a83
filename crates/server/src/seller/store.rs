//! A seller's listings as the database holds them, private columns included: what the
//! seller panel's endpoints read, validate against and price.

use std::collections::BTreeMap;

use crossdock_core::Money;
use crossdock_core::engine::Mode;
use crossdock_core::network::Network;
use crossdock_core::schema::WarehouseKind;
use crossdock_core::time::Instant;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::pricing::{SkuFacts, StoredPromotion, origin_of};
use crate::ApiError;
use crate::catalog::generate::parse_mode;

/// A listing's price in one market.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceRow {
    pub market: String,
    /// What the shopper pays for one unit (under fully managed: the platform's price).
    pub price: Money,
    /// Fully managed: what the platform pays the seller per unit.
    pub supply_price: Option<Money>,
    /// The seller's unit margin at `price` (`supply_price` under fully managed) as
    /// crates/core computed it; `None` before it has, or when it could not.
    pub margin_minor: Option<i64>,
    pub margin_bp: i64,
    pub margin_basis: Option<String>,
    pub margin_as_of: Option<String>,
    pub margin_error: Option<String>,
}

/// Units in one warehouse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockRow {
    pub warehouse: String,
    pub on_hand: i64,
    /// Held for open orders.
    pub reserved: i64,
}

/// A sea shipment on its way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundRow {
    pub id: i64,
    pub warehouse: String,
    pub quantity: i64,
    pub eta: Instant,
    pub created_at: Instant,
}

/// A promotion as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionRow {
    pub id: i64,
    pub market: String,
    pub kind: String,
    pub label: String,
    pub price_minor: i64,
    pub percent_bp: Option<i64>,
    pub amount_minor: Option<i64>,
    pub threshold_minor: Option<i64>,
    pub starts_at: Instant,
    pub ends_at: Instant,
    pub funded_by: String,
    pub created_at: Option<Instant>,
}

impl PromotionRow {
    pub fn stored(&self) -> StoredPromotion<'_> {
        StoredPromotion {
            kind: &self.kind,
            percent_bp: self.percent_bp,
            amount_minor: self.amount_minor,
            threshold_minor: self.threshold_minor,
            price_minor: self.price_minor,
            funded_by: &self.funded_by,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
        }
    }

    /// Whether it runs at `now` (from its start, inclusive, to its end, exclusive).
    pub fn runs_at(&self, now: Instant) -> bool {
        self.starts_at <= now && now < self.ends_at
    }
}

/// One listing with everything the seller panel shows and edits.
#[derive(Debug, Clone)]
pub struct PrivateListing {
    pub id: i64,
    pub seller_id: String,
    pub sku: String,
    pub brand: String,
    pub title: String,
    pub mode: Mode,
    pub version: i64,
    /// When it last changed (its listing date until it has).
    pub updated_at: Instant,
    pub facts: SkuFacts,
    /// By market, in the network's order.
    pub prices: Vec<PriceRow>,
    /// By warehouse id.
    pub stock: Vec<StockRow>,
    /// Shipments not yet arrived, by ETA.
    pub inbound: Vec<InboundRow>,
    /// Every promotion, by start.
    pub promotions: Vec<PromotionRow>,
    /// The seller's own overseas (`seller_3pl`) warehouses, sorted.
    pub seller_warehouses: Vec<String>,
}

impl PrivateListing {
    pub fn price(&self, market: &str) -> Option<&PriceRow> {
        self.prices.iter().find(|p| p.market == market)
    }

    pub fn stock_at(&self, warehouse: &str) -> Option<&StockRow> {
        self.stock.iter().find(|s| s.warehouse == warehouse)
    }

    /// The promotion running in `market` at `now`, if any (the cheapest for the shopper
    /// when several overlap, as the storefront picks it).
    pub fn running_promotion(&self, market: &str, now: Instant) -> Option<&PromotionRow> {
        let regular = self.price(market)?.price;
        self.promotions
            .iter()
            .filter(|p| p.market == market && p.runs_at(now))
            .min_by_key(|p| {
                (
                    crate::catalog::promotions::shopper_price(
                        regular,
                        &p.kind,
                        p.percent_bp,
                        p.amount_minor,
                        p.price_minor,
                    )
                    .minor(),
                    p.starts_at,
                )
            })
    }

    /// The warehouses crates/core prices the listing from: those with units on offer; when
    /// none is one of the seller's overseas warehouses, those too (so the semi-managed
    /// column prices the seller's own warehouse, not another seller's).
    pub fn pricing_warehouses(&self, net: &Network) -> Vec<String> {
        let mut out: Vec<String> = self
            .stock
            .iter()
            .filter(|s| s.on_hand - s.reserved > 0)
            .map(|s| s.warehouse.clone())
            .collect();
        let has_own = out
            .iter()
            .any(|w| kind_of(net, w) == Some(WarehouseKind::Seller3pl));
        if !has_own {
            for w in &self.seller_warehouses {
                if !out.contains(w) {
                    out.push(w.clone());
                }
            }
        }
        out
    }
}

/// The kind of a network warehouse.
pub fn kind_of(net: &Network, id: &str) -> Option<WarehouseKind> {
    net.file
        .warehouses
        .iter()
        .find(|w| w.id == id)
        .map(|w| w.kind)
}

/// Binds the listing id of a query for one listing (nothing for all of them).
trait BindOnly {
    fn bind_only(self, only: Option<i64>) -> Self;
}

impl<'q> BindOnly for sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    fn bind_only(self, only: Option<i64>) -> Self {
        match only {
            Some(id) => self.bind(id),
            None => self,
        }
    }
}

fn db(what: &'static str) -> impl Fn(sqlx::Error) -> ApiError {
    move |e| ApiError::Internal(format!("{what}: {e}"))
}

fn instant(text: &str, column: &str) -> Result<Instant, ApiError> {
    Instant::parse(text).map_err(|e| ApiError::Internal(format!("bad {column} {text:?}: {e:?}")))
}

fn to_u32(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

/// One listing of `seller_id`, or `None` when it has no listing `id`.
pub async fn load_one(
    pool: &AnyPool,
    net: &Network,
    seller_id: &str,
    id: i64,
) -> Result<Option<PrivateListing>, ApiError> {
    Ok(load(pool, net, seller_id, Some(id)).await?.pop())
}

/// The seller's listing `id`, or the same 404 as for a listing that does not exist (the
/// caller has already checked ownership with `require_owned_listing`).
pub async fn load_owned(
    pool: &AnyPool,
    net: &Network,
    seller_id: &str,
    id: i64,
) -> Result<PrivateListing, ApiError> {
    load_one(pool, net, seller_id, id)
        .await?
        .ok_or_else(|| super::not_yours(id))
}

/// Every listing of `seller_id`, by id.
pub async fn load_seller(
    pool: &AnyPool,
    net: &Network,
    seller_id: &str,
) -> Result<Vec<PrivateListing>, ApiError> {
    load(pool, net, seller_id, None).await
}

/// The seller's listings (all, or the one with `only`), with their prices, stock,
/// pending shipments and promotions.
async fn load(
    pool: &AnyPool,
    net: &Network,
    seller_id: &str,
    only: Option<i64>,
) -> Result<Vec<PrivateListing>, ApiError> {
    let only_filter = if only.is_some() { "l.id = $2" } else { "TRUE" };
    let listings = sqlx::query(&format!(
        "SELECT l.id, l.sku, l.brand, l.title, l.category, l.mode, l.weight_g, l.length_mm, \
         l.width_mm, l.height_mm, l.unit_cost_minor, l.cost_currency, l.version, \
         COALESCE(l.updated_at, l.listed_at) AS updated_at \
         FROM listings l WHERE l.seller_id = $1 AND {only_filter} ORDER BY l.id"
    ))
    .bind(seller_id)
    .bind_only(only)
    .fetch_all(pool)
    .await
    .map_err(db("reading listings"))?;
    if listings.is_empty() {
        return Ok(Vec::new());
    }

    let mut prices: BTreeMap<i64, Vec<PriceRow>> = BTreeMap::new();
    for row in sqlx::query(&format!(
        "SELECT p.listing_id, p.market, p.currency, p.price_minor, p.supply_price_minor, \
         p.margin_minor, p.margin_bp, p.margin_basis, p.margin_as_of, p.margin_error \
         FROM listing_prices p JOIN listings l ON l.id = p.listing_id \
         WHERE l.seller_id = $1 AND {only_filter}"
    ))
    .bind(seller_id)
    .bind_only(only)
    .fetch_all(pool)
    .await
    .map_err(db("reading prices"))?
    {
        let get = |r: &AnyRow| -> Result<(i64, PriceRow), sqlx::Error> {
            let currency: String = r.try_get("currency")?;
            let money = |minor: i64| {
                net.money(minor, &currency).ok_or_else(|| {
                    sqlx::Error::Decode(format!("unknown currency {currency}").into())
                })
            };
            let supply: Option<i64> = r.try_get("supply_price_minor")?;
            Ok((
                r.try_get("listing_id")?,
                PriceRow {
                    market: r.try_get("market")?,
                    price: money(r.try_get("price_minor")?)?,
                    supply_price: supply.map(money).transpose()?,
                    margin_minor: r.try_get("margin_minor")?,
                    margin_bp: r.try_get("margin_bp")?,
                    margin_basis: r.try_get("margin_basis")?,
                    margin_as_of: r.try_get("margin_as_of")?,
                    margin_error: r.try_get("margin_error")?,
                },
            ))
        };
        let (id, price) = get(&row).map_err(db("reading prices"))?;
        prices.entry(id).or_default().push(price);
    }

    let mut stock: BTreeMap<i64, Vec<StockRow>> = BTreeMap::new();
    // Consolidation warehouses with the seller's stock, by how many listings use them.
    let mut origins: BTreeMap<String, usize> = BTreeMap::new();
    for row in sqlx::query(
        "SELECT s.listing_id, s.warehouse, s.quantity, s.reserved \
         FROM listing_stock s JOIN listings l ON l.id = s.listing_id \
         WHERE l.seller_id = $1 ORDER BY s.listing_id, s.warehouse",
    )
    .bind(seller_id)
    .fetch_all(pool)
    .await
    .map_err(db("reading stock"))?
    {
        let get = |r: &AnyRow| -> Result<(i64, StockRow), sqlx::Error> {
            Ok((
                r.try_get("listing_id")?,
                StockRow {
                    warehouse: r.try_get("warehouse")?,
                    on_hand: r.try_get("quantity")?,
                    reserved: r.try_get("reserved")?,
                },
            ))
        };
        let (id, s) = get(&row).map_err(db("reading stock"))?;
        if kind_of(net, &s.warehouse) == Some(WarehouseKind::CnConsolidation) {
            *origins.entry(s.warehouse.clone()).or_default() += 1;
        }
        if only.is_none_or(|o| o == id) {
            stock.entry(id).or_default().push(s);
        }
    }
    let mut ranked: Vec<(String, usize)> = origins.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let ranked: Vec<String> = ranked.into_iter().map(|(w, _)| w).collect();

    let mut inbound: BTreeMap<i64, Vec<InboundRow>> = BTreeMap::new();
    for row in sqlx::query(&format!(
        "SELECT i.id, i.listing_id, i.warehouse, i.quantity, i.eta, i.created_at \
         FROM inbound_shipments i JOIN listings l ON l.id = i.listing_id \
         WHERE l.seller_id = $1 AND {only_filter} AND i.received_at IS NULL \
         ORDER BY i.eta, i.id"
    ))
    .bind(seller_id)
    .bind_only(only)
    .fetch_all(pool)
    .await
    .map_err(db("reading inbound shipments"))?
    {
        let eta: String = row
            .try_get("eta")
            .map_err(db("reading inbound shipments"))?;
        let created: String = row
            .try_get("created_at")
            .map_err(db("reading inbound shipments"))?;
        let get = |r: &AnyRow| -> Result<(i64, i64, String, i64), sqlx::Error> {
            Ok((
                r.try_get("id")?,
                r.try_get("listing_id")?,
                r.try_get("warehouse")?,
                r.try_get("quantity")?,
            ))
        };
        let (sid, lid, warehouse, quantity) = get(&row).map_err(db("reading inbound shipments"))?;
        inbound.entry(lid).or_default().push(InboundRow {
            id: sid,
            warehouse,
            quantity,
            eta: instant(&eta, "inbound_shipments.eta")?,
            created_at: instant(&created, "inbound_shipments.created_at")?,
        });
    }

    let mut promotions: BTreeMap<i64, Vec<PromotionRow>> = BTreeMap::new();
    for row in sqlx::query(&format!(
        "SELECT p.id, p.listing_id, p.market, p.kind, p.label, p.price_minor, p.percent_bp, \
         p.amount_minor, p.threshold_minor, p.starts_at, p.ends_at, p.funded_by, p.created_at \
         FROM promotions p JOIN listings l ON l.id = p.listing_id \
         WHERE l.seller_id = $1 AND {only_filter} ORDER BY p.starts_at, p.id"
    ))
    .bind(seller_id)
    .bind_only(only)
    .fetch_all(pool)
    .await
    .map_err(db("reading promotions"))?
    {
        let (lid, p) = promotion_row(&row)?;
        promotions.entry(lid).or_default().push(p);
    }

    let seller_warehouses: Vec<String> = sqlx::query(
        "SELECT warehouse FROM seller_warehouses WHERE seller_id = $1 ORDER BY warehouse",
    )
    .bind(seller_id)
    .fetch_all(pool)
    .await
    .map_err(db("reading the seller's warehouses"))?
    .iter()
    .map(|r| r.try_get::<String, _>("warehouse"))
    .collect::<Result<Vec<_>, _>>()
    .map_err(db("reading the seller's warehouses"))?
    .into_iter()
    .filter(|w| kind_of(net, w) == Some(WarehouseKind::Seller3pl))
    .collect();

    let mut out = Vec::with_capacity(listings.len());
    for row in listings {
        let read = |r: &AnyRow| -> Result<_, sqlx::Error> {
            Ok((
                r.try_get::<i64, _>("id")?,
                r.try_get::<String, _>("sku")?,
                r.try_get::<String, _>("brand")?,
                r.try_get::<String, _>("title")?,
                r.try_get::<String, _>("category")?,
                r.try_get::<String, _>("mode")?,
                [
                    r.try_get::<i64, _>("weight_g")?,
                    r.try_get::<i64, _>("length_mm")?,
                    r.try_get::<i64, _>("width_mm")?,
                    r.try_get::<i64, _>("height_mm")?,
                ],
                (
                    r.try_get::<i64, _>("unit_cost_minor")?,
                    r.try_get::<String, _>("cost_currency")?,
                ),
                r.try_get::<i64, _>("version")?,
                r.try_get::<String, _>("updated_at")?,
            ))
        };
        let (id, sku, brand, title, category, mode, [w, l, wi, h], (cost, cost_cur), version, upd) =
            read(&row).map_err(db("reading listings"))?;
        let mode = parse_mode(&mode)
            .ok_or_else(|| ApiError::Internal(format!("listing {id}: unknown mode {mode:?}")))?;
        let cost_of_goods = net.money(cost, &cost_cur).ok_or_else(|| {
            ApiError::Internal(format!("listing {id}: unknown currency {cost_cur:?}"))
        })?;
        let stock = stock.remove(&id).unwrap_or_default();
        // The listing's own consolidation stock first (largest), then the seller's.
        let mut own: Vec<&StockRow> = stock
            .iter()
            .filter(|s| kind_of(net, &s.warehouse) == Some(WarehouseKind::CnConsolidation))
            .filter(|s| s.on_hand > 0)
            .collect();
        own.sort_by_key(|s| std::cmp::Reverse(s.on_hand));
        let mut stocked: Vec<String> = own.iter().map(|s| s.warehouse.clone()).collect();
        stocked.extend(ranked.iter().cloned());
        let mut prices = prices.remove(&id).unwrap_or_default();
        prices.sort_by_key(|p| net.market_index(&p.market));
        out.push(PrivateListing {
            id,
            seller_id: seller_id.to_string(),
            sku,
            brand,
            title,
            mode,
            version,
            updated_at: instant(&upd, "listings.updated_at")?,
            facts: SkuFacts {
                weight_g: to_u32(w),
                dims_mm: [to_u32(l), to_u32(wi), to_u32(h)],
                category,
                cost_of_goods,
                origin: origin_of(net, &stocked),
            },
            prices,
            stock,
            inbound: inbound.remove(&id).unwrap_or_default(),
            promotions: promotions.remove(&id).unwrap_or_default(),
            seller_warehouses: seller_warehouses.clone(),
        });
    }
    Ok(out)
}

/// A `promotions` row (with `listing_id`).
pub fn promotion_row(row: &AnyRow) -> Result<(i64, PromotionRow), ApiError> {
    let get = |r: &AnyRow| -> Result<_, sqlx::Error> {
        Ok((
            r.try_get::<i64, _>("listing_id")?,
            r.try_get::<i64, _>("id")?,
            r.try_get::<String, _>("market")?,
            r.try_get::<String, _>("kind")?,
            r.try_get::<String, _>("label")?,
            r.try_get::<i64, _>("price_minor")?,
            (
                r.try_get::<Option<i64>, _>("percent_bp")?,
                r.try_get::<Option<i64>, _>("amount_minor")?,
                r.try_get::<Option<i64>, _>("threshold_minor")?,
            ),
            (
                r.try_get::<String, _>("starts_at")?,
                r.try_get::<String, _>("ends_at")?,
                r.try_get::<Option<String>, _>("created_at")?,
            ),
            r.try_get::<String, _>("funded_by")?,
        ))
    };
    let (lid, id, market, kind, label, price_minor, (pct, amount, threshold), (s, e, c), funded) =
        get(row).map_err(db("reading promotions"))?;
    Ok((
        lid,
        PromotionRow {
            id,
            market,
            kind,
            label,
            price_minor,
            percent_bp: pct,
            amount_minor: amount,
            threshold_minor: threshold,
            starts_at: instant(&s, "promotions.starts_at")?,
            ends_at: instant(&e, "promotions.ends_at")?,
            funded_by: funded,
            created_at: c
                .map(|c| instant(&c, "promotions.created_at"))
                .transpose()?,
        },
    ))
}
