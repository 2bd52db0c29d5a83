//! Stored margins: the seller's unit margin per market at the regular price under the
//! listing's mode, as crates/core's `price_mode` works it out, kept in `listing_prices`
//! so the SKU table can filter and sort by it without pricing hundreds of listings per
//! request.
//!
//! A save computes the margins of the listing it changes in the same request. Margins no
//! one has computed yet (the demo catalog's figures are placeholders), or computed with
//! another pricing file or network ("basis"), are computed when the seller's table is
//! read ([`refresh_seller`]), when a SKU's detail is read ([`refresh_listing`]), and in
//! the background every minute ([`refresh_all`]), off the async workers. A margin is as of when it was computed: the detail view prices
//! the listing afresh.

use std::sync::Arc;

use crossdock_core::engine::Mode;
use crossdock_core::network::Network;
use crossdock_core::pricing::{ModePricing, PricingError, PricingRules, price_mode};
use crossdock_core::time::Instant;
use sqlx::{Any, AnyPool, Row, Transaction};

use super::pricing::{LoadedPricing, margin_basis, request};
use super::store::{self, PrivateListing};
use crate::ApiError;
use crate::network::LoadedNetwork;

/// Prices `listing` in `market` at its regular price under its mode, without promotion:
/// the margin the SKU table shows.
pub fn price_regular(
    net: &Network,
    rules: &PricingRules,
    listing: &PrivateListing,
    market: &str,
    now: Instant,
) -> Result<ModePricing, PricingError> {
    let row = listing
        .price(market)
        .ok_or_else(|| PricingError::UnknownMarket {
            market: market.to_string(),
        })?;
    let (price, supply) = match listing.mode {
        Mode::FullyManaged => (None, row.supply_price),
        _ => (Some(row.price), None),
    };
    let req = request(
        &listing.facts,
        market,
        price,
        supply,
        listing.pricing_warehouses(net),
        None,
        now,
    );
    price_mode(net, rules, &req, listing.mode)
}

/// What a market's stored margin becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// The margin in minor units of the market's currency and in basis points.
    Priced { minor: i64, bp: i64 },
    /// Why crates/core could not price it.
    Failed(String),
}

impl Stored {
    pub fn of(result: &Result<ModePricing, PricingError>) -> Stored {
        match result {
            Ok(p) => Stored::Priced {
                minor: p.seller.margin.minor(),
                bp: p.seller.margin_bp.unwrap_or(0),
            },
            Err(e) => Stored::Failed(e.to_string()),
        }
    }
}

/// Writes a market's margin (in the transaction of the save that changed it).
pub async fn store(
    tx: &mut Transaction<'_, Any>,
    listing_id: i64,
    market: &str,
    margin: &Stored,
    basis: &str,
    now: Instant,
) -> Result<(), sqlx::Error> {
    let (minor, bp, error) = match margin {
        Stored::Priced { minor, bp } => (Some(*minor), *bp, None),
        Stored::Failed(e) => (None, 0, Some(e.as_str())),
    };
    sqlx::query(
        "UPDATE listing_prices SET margin_minor = $1, margin_bp = $2, margin_error = $3, \
         margin_basis = $4, margin_as_of = $5 WHERE listing_id = $6 AND market = $7",
    )
    .bind(minor)
    .bind(bp)
    .bind(error)
    .bind(basis)
    .bind(now.to_string())
    .bind(listing_id)
    .bind(market)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Computes the stale margins of `seller_id`'s listings (see the module docs). Returns
/// how many it stored.
pub async fn refresh_seller(
    db: &AnyPool,
    network: &Arc<LoadedNetwork>,
    pricing: &Arc<LoadedPricing>,
    seller_id: &str,
    now: Instant,
) -> Result<usize, ApiError> {
    let net = network.network();
    let basis = margin_basis(net, pricing);
    let stale: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM listing_prices p JOIN listings l ON l.id = p.listing_id \
         WHERE l.seller_id = $1 AND (p.margin_basis IS NULL OR p.margin_basis <> $2)",
    )
    .bind(seller_id)
    .bind(&basis)
    .fetch_one(db)
    .await
    .and_then(|r| r.try_get("n"))
    .map_err(|e| ApiError::Internal(format!("counting stale margins: {e}")))?;
    if stale == 0 {
        return Ok(0);
    }
    let listings: Vec<PrivateListing> = store::load_seller(db, net, seller_id).await?;
    compute_and_store(db, network, pricing, listings, now).await
}

/// Computes the stale margins of `listing` (one SKU's detail is about to be shown).
pub async fn refresh_listing(
    db: &AnyPool,
    network: &Arc<LoadedNetwork>,
    pricing: &Arc<LoadedPricing>,
    listing: &PrivateListing,
    now: Instant,
) -> Result<usize, ApiError> {
    compute_and_store(db, network, pricing, vec![listing.clone()], now).await
}

/// Computes, off the async workers, the margins of `listings` whose basis is not the
/// current one, and stores each unless its listing has changed since it was read (a
/// save stores its own).
async fn compute_and_store(
    db: &AnyPool,
    network: &Arc<LoadedNetwork>,
    pricing: &Arc<LoadedPricing>,
    listings: Vec<PrivateListing>,
    now: Instant,
) -> Result<usize, ApiError> {
    let basis = margin_basis(network.network(), pricing);
    let listings: Vec<PrivateListing> = listings
        .into_iter()
        .filter(|l| {
            l.prices
                .iter()
                .any(|p| p.margin_basis.as_deref() != Some(basis.as_str()))
        })
        .collect();
    if listings.is_empty() {
        return Ok(0);
    }
    let (network, pricing) = (network.clone(), pricing.clone());
    let basis_for_work = basis.clone();
    let computed = tokio::task::spawn_blocking(move || {
        let net = network.network();
        let rules = pricing.rules();
        let mut out: Vec<(i64, i64, String, Stored)> = Vec::new();
        for l in &listings {
            for p in &l.prices {
                if p.margin_basis.as_deref() == Some(basis_for_work.as_str()) {
                    continue;
                }
                let result = price_regular(net, rules, l, &p.market, now);
                out.push((l.id, l.version, p.market.clone(), Stored::of(&result)));
            }
        }
        out
    })
    .await
    .map_err(|e| ApiError::Internal(format!("computing margins: {e}")))?;
    let db_err = |e: sqlx::Error| ApiError::Internal(format!("storing margins: {e}"));
    let mut tx = db.begin().await.map_err(db_err)?;
    let mut stored = 0;
    for (listing_id, version, market, margin) in &computed {
        let (minor, bp, error) = match margin {
            Stored::Priced { minor, bp } => (Some(*minor), *bp, None),
            Stored::Failed(e) => (None, 0, Some(e.as_str())),
        };
        let done = sqlx::query(
            "UPDATE listing_prices SET margin_minor = $1, margin_bp = $2, margin_error = $3, \
             margin_basis = $4, margin_as_of = $5 \
             WHERE listing_id = $6 AND market = $7 \
               AND (margin_basis IS NULL OR margin_basis <> $4) \
               AND EXISTS (SELECT 1 FROM listings WHERE id = $6 AND version = $8)",
        )
        .bind(minor)
        .bind(bp)
        .bind(error)
        .bind(&basis)
        .bind(now.to_string())
        .bind(listing_id)
        .bind(market)
        .bind(version)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        stored += usize::try_from(done.rows_affected()).unwrap_or(0);
    }
    tx.commit().await.map_err(db_err)?;
    Ok(stored)
}

/// Computes every seller's stale margins (the background job's part).
pub async fn refresh_all(
    db: &AnyPool,
    network: &Arc<LoadedNetwork>,
    pricing: &Arc<LoadedPricing>,
    now: Instant,
) -> Result<usize, ApiError> {
    let basis = margin_basis(network.network(), pricing);
    let sellers: Vec<String> = sqlx::query(
        "SELECT DISTINCT l.seller_id FROM listing_prices p JOIN listings l ON l.id = p.listing_id \
         WHERE p.margin_basis IS NULL OR p.margin_basis <> $1 ORDER BY l.seller_id",
    )
    .bind(&basis)
    .fetch_all(db)
    .await
    .map_err(|e| ApiError::Internal(format!("finding stale margins: {e}")))?
    .iter()
    .map(|r| r.try_get("seller_id"))
    .collect::<Result<_, _>>()
    .map_err(|e| ApiError::Internal(format!("finding stale margins: {e}")))?;
    let mut total = 0;
    for seller in sellers {
        total += refresh_seller(db, network, pricing, &seller, now).await?;
    }
    Ok(total)
}
