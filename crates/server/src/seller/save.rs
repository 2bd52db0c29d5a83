//! Saving a SKU: `PUT /api/seller/listings/{id}` (mode, prices and stock, all or
//! nothing), and what every write endpoint shares: reading amounts and whole numbers with
//! the field at fault, the version check, the transaction that starts by moving the
//! version on, and reloading the storefront's catalog.
//!
//! # Saving
//! A save names the version it was made from. Everything is validated and priced by
//! crates/core first; then one transaction bumps the version —
//! `UPDATE listings SET version = version + 1 … WHERE id = ? AND version = ?` as its first
//! statement, so it holds the write lock from the start — and writes the prices, stock,
//! mode, their margins and one audit entry per changed value. When the version has moved
//! on (another tab, another person, a shipment arriving), nothing is written and the
//! answer is 409 with the listing as it is now. A save that changes nothing writes
//! nothing and keeps the version. After a write the storefront's catalog is reloaded
//! before the answer is sent, so the public listing shows the change.
//!
//! # Fully managed
//! The seller sets a supply price per market; the platform's retail price follows from
//! crates/core's rule (`ModePricing::list_price`: supply price × the market's
//! `platform_markup_bp`, plus VAT where prices include it, rounded up to the market's
//! next price point), recomputed for each market whose supply price is saved and for
//! every market when a listing moves to fully managed.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use crossdock_core::Money;
use crossdock_core::engine::Mode;
use crossdock_core::network::Network;
use crossdock_core::pricing::PricingError;
use crossdock_core::schema::MarketDef;
use crossdock_core::time::Instant;
use serde::Deserialize;
use serde_json::json;
use sqlx::{Sqlite, Transaction};
use utoipa::ToSchema;

use super::audit::{self, Entry, Kind};
use super::listings::{
    MAX_STOCK, SellerListingDetail, allowed_warehouses, detail, detail_of, no_store_json,
};
use super::margins::{self, Stored, price_regular};
use super::pricing::margin_basis;
use super::session::SellerSession;
use super::store::{self, PrivateListing};
use crate::api::server_now;
use crate::catalog::generate::{mode_id, parse_mode};
use crate::dto::category_name;
use crate::extract::ApiJson;
use crate::listings::parse_id;
#[allow(unused_imports)] // named in `#[schema(value_type = …)]`
use crate::openapi::ModeDoc;
use crate::{ApiError, AppState};

// ---------------------------------------------------------------------------------------
// Shared by the write endpoints
// ---------------------------------------------------------------------------------------

/// The listing id of a path.
pub fn listing_path(path: Result<Path<String>, PathRejection>) -> Result<i64, ApiError> {
    let Path(text) = path.map_err(|e| ApiError::bad("id", e.body_text()))?;
    parse_id(&text)
}

/// A whole number from JSON (`2.0` counts; `2.5` does not).
pub fn whole_number(n: &serde_json::Number, field: &str, what: &str) -> Result<i64, ApiError> {
    if let Some(i) = n.as_i64() {
        return Ok(i);
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
        _ if n.as_u64().is_some() => Err(ApiError::invalid(
            field,
            format!("{what} of {n} is far too large"),
        )),
        _ => Err(ApiError::invalid(
            field,
            format!("{what} must be a whole number (got {n})"),
        )),
    }
}

/// 409 with the listing as it is now.
pub async fn conflict(state: &AppState, seller_id: &str, id: i64, now: Instant) -> ApiError {
    match detail_of(state, seller_id, id, now).await {
        Ok(current) => ApiError::Conflict {
            message: format!(
                "this listing was changed since you opened it (it is at version {} now): \
                 compare your changes with the current values and save again",
                current.version
            ),
            field: Some("version".into()),
            current: serde_json::to_value(&current).ok().map(Box::new),
        },
        Err(e) => e,
    }
}

/// 409 unless `given` (when there is one) is the listing's version.
pub async fn expect_version(
    state: &AppState,
    listing: &PrivateListing,
    given: Option<i64>,
    now: Instant,
) -> Result<(), ApiError> {
    match given {
        Some(v) if v != listing.version => {
            Err(conflict(state, &listing.seller_id, listing.id, now).await)
        }
        _ => Ok(()),
    }
}

/// Starts a write's transaction with its first statement: moving the version on from
/// the one the write was validated against, which takes the write lock. When the version
/// had already moved on, nothing is written: 409 with the listing as it is now.
pub async fn begin_write(
    state: &AppState,
    listing: &PrivateListing,
    now: Instant,
) -> Result<Transaction<'static, Sqlite>, ApiError> {
    let db = |e: sqlx::Error| ApiError::Internal(format!("saving listing {}: {e}", listing.id));
    let mut tx = state.db.begin().await.map_err(db)?;
    let done = sqlx::query(
        "UPDATE listings SET version = version + 1, updated_at = $1 \
         WHERE id = $2 AND seller_id = $3 AND version = $4",
    )
    .bind(now.to_string())
    .bind(listing.id)
    .bind(&listing.seller_id)
    .bind(listing.version)
    .execute(&mut *tx)
    .await
    .map_err(db)?;
    if done.rows_affected() == 1 {
        return Ok(tx);
    }
    tx.rollback().await.map_err(db)?;
    Err(conflict(state, &listing.seller_id, listing.id, now).await)
}

/// Reloads the storefront's catalog after a write.
pub async fn reload_catalog(state: &AppState) -> Result<(), ApiError> {
    state
        .catalog
        .reload(&state.db, state.network.network())
        .await
        .map_err(|e| ApiError::Internal(format!("reloading the catalog: {e}")))
}

/// An amount as the API takes it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneyIn {
    /// Whole minor units (cents; whole won for KRW).
    #[schema(value_type = i64, example = 1999)]
    pub minor: serde_json::Number,
    /// ISO 4217 code: the market's currency.
    #[schema(example = "USD")]
    pub currency: String,
    /// Optional; when given, must be the currency's.
    pub exponent: Option<u8>,
}

/// Reads an amount for `market`: a whole number of minor units of the market's currency,
/// above zero and at most the market's limit.
pub fn money_in(
    net: &Network,
    state: &AppState,
    m: &MoneyIn,
    market: &MarketDef,
    field: &str,
    what: &str,
) -> Result<Money, ApiError> {
    let minor = whole_number(&m.minor, field, what)?;
    let currency = m.currency.trim().to_ascii_uppercase();
    if currency != market.currency {
        return Err(ApiError::invalid(
            field,
            format!(
                "{} prices are in {}, not {}: give {what} in {}",
                market.name, market.currency, m.currency, market.currency
            ),
        ));
    }
    let money = net.money(minor, &currency).ok_or_else(|| {
        ApiError::invalid(
            field,
            format!("{currency} is not a currency of the network"),
        )
    })?;
    if let Some(e) = m.exponent
        && e != money.currency().exponent
    {
        return Err(ApiError::invalid(
            field,
            format!(
                "{currency} has {} decimal digits, not {e}: minor units are {}",
                money.currency().exponent,
                if money.currency().exponent == 0 {
                    "whole units"
                } else {
                    "hundredths"
                }
            ),
        ));
    }
    if minor <= 0 {
        return Err(ApiError::invalid(
            field,
            format!("{what} must be above zero (got {money})"),
        ));
    }
    let limit = state
        .pricing
        .rules()
        .market(&market.id)
        .map_or(i64::MAX, |r| r.max_price_minor);
    if minor > limit {
        return Err(ApiError::invalid(
            field,
            format!(
                "{what} can be at most {} in {} (got {money}): check the number of digits",
                Money::from_minor(limit, money.currency()),
                market.name
            ),
        ));
    }
    Ok(money)
}

/// The network market a listing is sold in, named by `text` (any case).
pub fn sold_market<'n>(
    net: &'n Network,
    listing: &PrivateListing,
    text: &str,
    field: &str,
) -> Result<&'n MarketDef, ApiError> {
    let sold: Vec<&str> = listing.prices.iter().map(|p| p.market.as_str()).collect();
    let Some(m) = net
        .file
        .markets
        .iter()
        .find(|m| m.id.eq_ignore_ascii_case(text.trim()))
    else {
        return Err(ApiError::invalid(
            field,
            format!(
                "\"{text}\" is not a market: this listing is sold in {}",
                sold.join(", ")
            ),
        ));
    };
    if !sold.contains(&m.id.as_str()) {
        return Err(ApiError::invalid(
            field,
            format!(
                "this listing is not sold in {} ({}): it is sold in {}",
                m.name,
                m.id,
                sold.join(", ")
            ),
        ));
    }
    Ok(m)
}

// ---------------------------------------------------------------------------------------
// PUT /api/seller/listings/{id}
// ---------------------------------------------------------------------------------------

/// A save of one SKU: any of its mode, prices and stock, from the version last read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListingUpdate {
    /// The version you last read (required): a stale one answers 409 with the listing as
    /// it is now, and nothing is saved.
    pub version: Option<i64>,
    /// fully_managed, semi_managed or platform_local. Moving to fully managed needs a
    /// supply price for every market (given here, or the one on record).
    #[schema(value_type = Option<ModeDoc>)]
    pub mode: Option<String>,
    /// Prices per market to change (others stay).
    pub prices: Option<Vec<PriceIn>>,
    /// Units on hand per warehouse to change (others stay).
    pub stock: Option<Vec<StockIn>>,
}

/// A price in one market: `price` under semi-managed and platform local, `supply_price`
/// under fully managed (the platform then sets the retail price).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceIn {
    /// A market the listing is sold in.
    #[schema(example = "US")]
    pub market: String,
    pub price: Option<MoneyIn>,
    pub supply_price: Option<MoneyIn>,
}

/// Units on hand in one warehouse.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockIn {
    /// A warehouse that may hold the listing's stock under its mode (see the detail's
    /// `warehouse_choices`).
    #[schema(example = "us-3pl-ca")]
    pub warehouse: String,
    /// Whole units, 0 to 1,000,000, and not below the units reserved there.
    #[schema(value_type = i64, example = 120)]
    pub on_hand: serde_json::Number,
}

fn mode_label(mode: Mode) -> String {
    mode.label().to_ascii_lowercase()
}

/// Whether `warehouse` may hold `listing`'s stock under `mode`.
fn check_stock_warehouse(
    net: &Network,
    listing: &PrivateListing,
    mode: Mode,
    warehouse: &str,
    field: &str,
) -> Result<(), ApiError> {
    let Some(def) = net.file.warehouses.iter().find(|w| w.id == warehouse) else {
        return Err(ApiError::invalid(
            field,
            format!("\"{warehouse}\" is not a warehouse of the network"),
        ));
    };
    let allowed = allowed_warehouses(net, listing, mode);
    if allowed.iter().any(|w| w == warehouse) {
        return Ok(());
    }
    let list = if allowed.is_empty() {
        "you have none".to_string()
    } else {
        allowed.join(", ")
    };
    let rule = match mode {
        Mode::FullyManaged => {
            format!(
                "fully managed stock is held in the platform's consolidation warehouses in China ({list})"
            )
        }
        Mode::SemiManaged => {
            format!("semi-managed stock is held in your own overseas warehouses ({list})")
        }
        Mode::PlatformLocal => format!(
            "platform local stock is held in the platform's warehouses in the markets this listing is sold in ({list})"
        ),
    };
    Err(ApiError::invalid(
        field,
        format!("{} cannot hold this listing's stock: {rule}", def.name),
    ))
}

/// Maps a pricing error about a market's price to the field at fault, if it is one.
fn price_field_error(e: &PricingError, index: usize) -> Option<ApiError> {
    use crossdock_core::pricing::PriceField;
    let field = |f: PriceField| match f {
        PriceField::SupplyPrice => format!("prices[{index}].supply_price"),
        _ => format!("prices[{index}].price"),
    };
    match e {
        PricingError::PriceNotPositive { field: f }
        | PricingError::PriceAboveLimit { field: f, .. }
        | PricingError::CurrencyNotMarket { field: f, .. } => {
            Some(ApiError::invalid(field(*f), e.to_string()))
        }
        PricingError::RetailAboveLimit { .. } | PricingError::NoSupplyPrice => Some(
            ApiError::invalid(format!("prices[{index}].supply_price"), e.to_string()),
        ),
        _ => None,
    }
}

/// Saves mode, prices and stock of one SKU, all or nothing.
#[utoipa::path(
    put,
    path = "/api/seller/listings/{id}",
    tag = "seller",
    security(("seller_session" = [], "csrf_token" = [])),
    params(("id" = i64, Path, description = "Listing id")),
    request_body = ListingUpdate,
    responses(
        (status = 200, description = "Saved (or nothing to change): the listing now, margins recomputed by crates/core", body = SellerListingDetail),
        (status = 400, description = "Malformed JSON or id", body = crate::openapi::ErrorResponse),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = crate::openapi::ErrorResponse),
        (status = 403, description = "`csrf`: no or a wrong `x-csrf-token`, or sent from another site", body = crate::openapi::ErrorResponse),
        (status = 404, description = "You have no such listing (another seller's answers the same)", body = crate::openapi::ErrorResponse),
        (status = 409, description = "`version` is stale (`field` \"version\"); `current` is the listing as it is now; nothing was saved", body = crate::openapi::ConflictResponse),
        (status = 413, description = "The body is larger than 64 KiB", body = crate::openapi::ErrorResponse),
        (status = 415, description = "Not sent as application/json", body = crate::openapi::ErrorResponse),
        (status = 422, description = "A value cannot be used; `field` names it (`prices[0].price`, `stock[1].on_hand`, `mode`, `version`); nothing was saved", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn update_listing(
    session: SellerSession,
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Result<ApiJson<ListingUpdate>, ApiError>,
) -> Result<Response, ApiError> {
    let now = server_now()?;
    let id = listing_path(path)?;
    super::require_owned_listing(&state.db, &session.seller_id, id).await?;
    let ApiJson(body) = body?;
    super::prepare(&state, now).await?;
    let net = state.network.network();
    let rules = state.pricing.rules();
    let current = store::load_owned(&state.db, net, &session.seller_id, id).await?;
    let Some(version) = body.version else {
        return Err(ApiError::invalid(
            "version",
            format!(
                "send the version you last read (this listing is at version {}), so a save never overwrites a change you have not seen",
                current.version
            ),
        ));
    };
    if version != current.version {
        return Err(conflict(&state, &session.seller_id, id, now).await);
    }

    let mut next = current.clone();
    // Mode.
    if let Some(text) = &body.mode {
        let mode = parse_mode(text.trim()).ok_or_else(|| {
            ApiError::invalid(
                "mode",
                format!(
                    "unknown mode \"{text}\": use fully_managed, semi_managed or platform_local"
                ),
            )
        })?;
        if mode != current.mode {
            match mode {
                Mode::FullyManaged => {
                    let programme = net
                        .file
                        .categories
                        .iter()
                        .find(|c| c.id == current.facts.category)
                        .is_some_and(|c| c.fully_managed);
                    if !programme {
                        return Err(ApiError::invalid(
                            "mode",
                            format!(
                                "{} is not accepted in the fully managed programme: sell it semi-managed or from a platform local warehouse",
                                category_name(net, &current.facts.category)
                            ),
                        ));
                    }
                }
                Mode::SemiManaged if current.seller_warehouses.is_empty() => {
                    return Err(ApiError::invalid(
                        "mode",
                        "semi-managed listings ship from your own overseas warehouse, and you have none: contract one first",
                    ));
                }
                _ => {}
            }
        }
        next.mode = mode;
    }

    // Stock.
    let mut seen: Vec<String> = Vec::new();
    for (i, s) in body.stock.iter().flatten().enumerate() {
        let warehouse = s.warehouse.trim();
        let field = format!("stock[{i}].warehouse");
        if seen.iter().any(|w| w == warehouse) {
            return Err(ApiError::invalid(
                field,
                format!("{warehouse} is given twice: give each warehouse once"),
            ));
        }
        seen.push(warehouse.to_string());
        check_stock_warehouse(net, &next, next.mode, warehouse, &field)?;
        let on_field = format!("stock[{i}].on_hand");
        let on_hand = whole_number(&s.on_hand, &on_field, "stock")?;
        if on_hand < 0 {
            return Err(ApiError::invalid(
                on_field,
                format!("stock cannot be below zero (got {on_hand})"),
            ));
        }
        if on_hand > MAX_STOCK {
            return Err(ApiError::invalid(
                on_field,
                format!("a warehouse holds at most {MAX_STOCK} units of one SKU (got {on_hand})"),
            ));
        }
        let reserved = current.stock_at(warehouse).map_or(0, |r| r.reserved);
        if on_hand < reserved {
            return Err(ApiError::invalid(
                on_field,
                format!(
                    "{reserved} units there are reserved for open orders: on hand cannot go below {reserved}"
                ),
            ));
        }
        match next.stock.iter_mut().find(|r| r.warehouse == warehouse) {
            Some(row) => row.on_hand = on_hand,
            None => {
                next.stock.push(store::StockRow {
                    warehouse: warehouse.to_string(),
                    on_hand,
                    reserved: 0,
                });
                next.stock.sort_by(|a, b| a.warehouse.cmp(&b.warehouse));
            }
        }
    }

    // Prices.
    let mut given: Vec<(usize, String)> = Vec::new();
    for (i, p) in body.prices.iter().flatten().enumerate() {
        let m = sold_market(net, &current, &p.market, &format!("prices[{i}].market"))?;
        if given.iter().any(|(_, g)| *g == m.id) {
            return Err(ApiError::invalid(
                format!("prices[{i}].market"),
                format!("{} is given twice: give each market once", m.id),
            ));
        }
        given.push((i, m.id.clone()));
        let fully_managed = next.mode == Mode::FullyManaged;
        if fully_managed && p.price.is_some() {
            return Err(ApiError::invalid(
                format!("prices[{i}].price"),
                "under fully managed the platform sets the retail price from your supply price: send supply_price",
            ));
        }
        if !fully_managed && p.supply_price.is_some() {
            return Err(ApiError::invalid(
                format!("prices[{i}].supply_price"),
                format!(
                    "only fully managed listings have a supply price: under {} you set the price shoppers pay (price)",
                    mode_label(next.mode)
                ),
            ));
        }
        let row = next
            .prices
            .iter_mut()
            .find(|r| r.market == m.id)
            .ok_or_else(|| ApiError::Internal(format!("market {} vanished", m.id)))?;
        match (&p.price, &p.supply_price) {
            (Some(price), _) => {
                row.price = money_in(
                    net,
                    &state,
                    price,
                    m,
                    &format!("prices[{i}].price"),
                    "the price",
                )?;
            }
            (None, Some(supply)) => {
                row.supply_price = Some(money_in(
                    net,
                    &state,
                    supply,
                    m,
                    &format!("prices[{i}].supply_price"),
                    "the supply price",
                )?);
            }
            (None, None) => {
                return Err(ApiError::invalid(
                    format!("prices[{i}]"),
                    if fully_managed {
                        "give the supply price (supply_price) for this market"
                    } else {
                        "give the price (price) for this market"
                    },
                ));
            }
        }
    }
    let mode_changed = next.mode != current.mode;
    if mode_changed && next.mode == Mode::FullyManaged {
        let missing: Vec<&str> = next
            .prices
            .iter()
            .filter(|p| p.supply_price.is_none())
            .map(|p| p.market.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(ApiError::invalid(
                "prices",
                format!(
                    "moving to fully managed needs a supply price for every market: give supply_price for {}",
                    missing.join(", ")
                ),
            ));
        }
    }

    // Margins (and, under fully managed, the platform's retail price) by crates/core.
    let mut stored: Vec<(String, Stored)> = Vec::new();
    let markets: Vec<String> = next.prices.iter().map(|p| p.market.clone()).collect();
    for market in &markets {
        let index = given.iter().find(|(_, g)| g == market).map(|(i, _)| *i);
        let result = price_regular(net, rules, &next, market, now);
        let reprice_retail = next.mode == Mode::FullyManaged && (index.is_some() || mode_changed);
        match &result {
            Ok(priced) if reprice_retail => {
                if let Some(row) = next.prices.iter_mut().find(|r| &r.market == market) {
                    row.price = priced.list_price;
                }
            }
            Ok(_) => {}
            Err(e) => {
                if let Some(i) = index
                    && let Some(err) = price_field_error(e, i)
                {
                    return Err(err);
                }
                let cannot_ship = matches!(
                    e,
                    PricingError::NoRoute { .. } | PricingError::NoWarehouse { .. }
                );
                if mode_changed && cannot_ship {
                    let name = net
                        .file
                        .markets
                        .iter()
                        .find(|m| &m.id == market)
                        .map_or(market.as_str(), |m| m.name.as_str());
                    return Err(ApiError::invalid(
                        "mode",
                        format!(
                            "{} cannot sell this listing in {name}: {e}",
                            mode_label(next.mode)
                        ),
                    ));
                }
                if reprice_retail {
                    return Err(ApiError::invalid(
                        index.map_or("mode".to_string(), |i| format!("prices[{i}].supply_price")),
                        format!(
                            "the platform's retail price in {market} cannot be worked out: {e}"
                        ),
                    ));
                }
            }
        }
        stored.push((market.clone(), Stored::of(&result)));
    }

    // A voucher or subsidy must leave the shopper something to pay.
    for row in &next.prices {
        let Some(old) = current.price(&row.market) else {
            continue;
        };
        if old.price == row.price {
            continue;
        }
        if let Some(promo) = next.promotions.iter().find(|p| {
            p.market == row.market
                && now < p.ends_at
                && p.amount_minor.is_some_and(|a| a >= row.price.minor())
        }) {
            let index = given
                .iter()
                .find(|(_, g)| *g == row.market)
                .map(|(i, _)| *i);
            let field = match (index, next.mode) {
                (Some(i), Mode::FullyManaged) => format!("prices[{i}].supply_price"),
                (Some(i), _) => format!("prices[{i}].price"),
                (None, _) => "mode".into(),
            };
            return Err(ApiError::invalid(
                field,
                format!(
                    "promotion {} (\"{}\", until {}) takes {} off in {}: the price must stay above that — end the promotion first or set a higher price",
                    promo.id,
                    promo.label,
                    promo.ends_at,
                    Money::from_minor(promo.amount_minor.unwrap_or(0), row.price.currency()),
                    row.market
                ),
            ));
        }
    }

    // What changed.
    let price_changes: Vec<(&store::PriceRow, &store::PriceRow)> = current
        .prices
        .iter()
        .filter_map(|old| {
            let new = next.price(&old.market)?;
            (old.price != new.price || old.supply_price != new.supply_price).then_some((old, new))
        })
        .collect();
    let stock_changes: Vec<(i64, &store::StockRow)> = next
        .stock
        .iter()
        .filter_map(|new| {
            let before = current.stock_at(&new.warehouse).map(|r| r.on_hand);
            (before != Some(new.on_hand)).then_some((before.unwrap_or(0), new))
        })
        .collect();
    if !mode_changed && price_changes.is_empty() && stock_changes.is_empty() {
        return Ok(no_store_json(
            StatusCode::OK,
            &detail(&state, &current, now),
        ));
    }

    let db = |e: sqlx::Error| ApiError::Internal(format!("saving listing {id}: {e}"));
    let basis = margin_basis(net, &state.pricing);
    let mut tx = begin_write(&state, &current, now).await?;
    let seller = session.seller_id.as_str();
    if mode_changed {
        sqlx::query("UPDATE listings SET mode = $1 WHERE id = $2")
            .bind(mode_id(next.mode))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        audit::record(
            &mut tx,
            Entry {
                at: now,
                seller_id: seller,
                actor: seller,
                listing_id: id,
                kind: Kind::Mode,
                action: "update",
                market: None,
                warehouse: None,
                before: Some(json!({"mode": mode_id(current.mode)})),
                after: Some(json!({"mode": mode_id(next.mode)})),
            },
        )
        .await?;
    }
    for (old, new) in &price_changes {
        sqlx::query(
            "UPDATE listing_prices SET price_minor = $1, supply_price_minor = $2 \
             WHERE listing_id = $3 AND market = $4",
        )
        .bind(new.price.minor())
        .bind(new.supply_price.map(|m| m.minor()))
        .bind(id)
        .bind(&new.market)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        let values =
            |p: &store::PriceRow| json!({"price": p.price, "supply_price": p.supply_price});
        audit::record(
            &mut tx,
            Entry {
                at: now,
                seller_id: seller,
                actor: seller,
                listing_id: id,
                kind: Kind::Price,
                action: "update",
                market: Some(&new.market),
                warehouse: None,
                before: Some(values(old)),
                after: Some(values(new)),
            },
        )
        .await?;
    }
    for (before, new) in &stock_changes {
        sqlx::query(
            "INSERT INTO listing_stock (listing_id, warehouse, quantity) VALUES ($1, $2, $3) \
             ON CONFLICT (listing_id, warehouse) DO UPDATE SET quantity = excluded.quantity",
        )
        .bind(id)
        .bind(&new.warehouse)
        .bind(new.on_hand)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        audit::record(
            &mut tx,
            Entry {
                at: now,
                seller_id: seller,
                actor: seller,
                listing_id: id,
                kind: Kind::Stock,
                action: "update",
                market: None,
                warehouse: Some(&new.warehouse),
                before: Some(json!({"on_hand": before})),
                after: Some(json!({"on_hand": new.on_hand})),
            },
        )
        .await?;
    }
    for (market, margin) in &stored {
        margins::store(&mut tx, id, market, margin, &basis, now)
            .await
            .map_err(db)?;
    }
    tx.commit().await.map_err(db)?;
    reload_catalog(&state).await?;
    let body = detail_of(&state, &session.seller_id, id, now).await?;
    Ok(no_store_json(StatusCode::OK, &body))
}
