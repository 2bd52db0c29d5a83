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
use crossdock_core::pricing::{PricingError, PricingRules};
use crossdock_core::schema::MarketDef;
use crossdock_core::time::Instant;
use serde::Deserialize;
use serde_json::json;
use sqlx::{Any, Transaction};
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
use crate::db::WriteTurn;
use crate::dto::category_name;
use crate::extract::ApiJson;
use crate::listings::parse_id;
#[allow(unused_imports)] // named in `#[schema(value_type = …)]`
use crate::openapi::ModeDoc;
use crate::{ApiError, AppState};

// ---------------------------------------------------------------------------------------
// Shared by the write endpoints
// ---------------------------------------------------------------------------------------

/// The id of a path's `{id}` (a listing's, or an import's).
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
///
/// The transaction comes with this process's turn at the write lock
/// ([`crate::db::WriteTurns`]): drop it once the transaction is committed.
pub async fn begin_write(
    state: &AppState,
    listing: &PrivateListing,
    now: Instant,
) -> Result<(WriteTurn, Transaction<'static, Any>), ApiError> {
    let db = |e: sqlx::Error| ApiError::Internal(format!("saving listing {}: {e}", listing.id));
    let turn = state.writes.take().await;
    let mut tx = state.db.begin().await.map_err(db)?;
    if move_version_on(&mut tx, listing, now).await.map_err(db)? {
        return Ok((turn, tx));
    }
    tx.rollback().await.map_err(db)?;
    drop(turn);
    Err(conflict(state, &listing.seller_id, listing.id, now).await)
}

/// In `tx`, moves `listing`'s version on from the one it was read at (and stamps
/// `updated_at`); `false`, with nothing written, when the version had already moved on.
pub async fn move_version_on(
    tx: &mut Transaction<'static, Any>,
    listing: &PrivateListing,
    now: Instant,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE listings SET version = version + 1, updated_at = $1 \
         WHERE id = $2 AND seller_id = $3 AND version = $4",
    )
    .bind(now.to_string())
    .bind(listing.id)
    .bind(&listing.seller_id)
    .bind(listing.version)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Reloads listing `id` in the storefront's catalog after a write to it.
pub async fn reload_listing(state: &AppState, id: i64) -> Result<(), ApiError> {
    state
        .catalog
        .reload_listings(&state.db, state.network.network(), &[id])
        .await
        .map_err(|e| ApiError::Internal(format!("reloading listing {id}: {e}")))
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
    check_amount(
        net,
        state.pricing.rules(),
        market,
        minor,
        &m.currency,
        m.exponent,
        what,
    )
    .map_err(|message| ApiError::invalid(field, message))
}

/// Checks an amount of `minor` units of `currency` (as typed) for `market`: the market's
/// currency (with `exponent` decimal digits, when one is given), above zero and at most the
/// market's limit. The message says what is wrong and what to give instead.
pub fn check_amount(
    net: &Network,
    rules: &PricingRules,
    market: &MarketDef,
    minor: i64,
    currency: &str,
    exponent: Option<u8>,
    what: &str,
) -> Result<Money, String> {
    let code = currency.trim().to_ascii_uppercase();
    if code != market.currency {
        return Err(format!(
            "{} prices are in {}, not {}: give {what} in {}",
            market.name,
            market.currency,
            currency.trim(),
            market.currency
        ));
    }
    let money = net
        .money(minor, &code)
        .ok_or_else(|| format!("{code} is not a currency of the network"))?;
    if let Some(e) = exponent
        && e != money.currency().exponent
    {
        return Err(format!(
            "{code} has {} decimal digits, not {e}: minor units are {}",
            money.currency().exponent,
            if money.currency().exponent == 0 {
                "whole units"
            } else {
                "hundredths"
            }
        ));
    }
    if minor <= 0 {
        return Err(format!("{what} must be above zero (got {money})"));
    }
    let limit = rules
        .market(&market.id)
        .map_or(i64::MAX, |r| r.max_price_minor);
    if minor > limit {
        return Err(format!(
            "{what} can be at most {} in {} (got {money}): check the number of digits",
            Money::from_minor(limit, money.currency()),
            market.name
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
    market_sold(net, listing, text).map_err(|message| ApiError::invalid(field, message))
}

/// [`sold_market`], with only the message.
pub fn market_sold<'n>(
    net: &'n Network,
    listing: &PrivateListing,
    text: &str,
) -> Result<&'n MarketDef, String> {
    let sold: Vec<&str> = listing.prices.iter().map(|p| p.market.as_str()).collect();
    let Some(m) = net
        .file
        .markets
        .iter()
        .find(|m| m.id.eq_ignore_ascii_case(text.trim()))
    else {
        return Err(format!(
            "\"{text}\" is not a market: this listing is sold in {}",
            sold.join(", ")
        ));
    };
    if !sold.contains(&m.id.as_str()) {
        return Err(format!(
            "this listing is not sold in {} ({}): it is sold in {}",
            m.name,
            m.id,
            sold.join(", ")
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

/// Whether `warehouse` may hold `listing`'s stock under `mode`; the message says which may.
fn check_stock_warehouse(
    net: &Network,
    listing: &PrivateListing,
    mode: Mode,
    warehouse: &str,
) -> Result<(), String> {
    let Some(def) = net.file.warehouses.iter().find(|w| w.id == warehouse) else {
        return Err(format!("\"{warehouse}\" is not a warehouse of the network"));
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
    Err(format!(
        "{} cannot hold this listing's stock: {rule}",
        def.name
    ))
}

/// Maps a pricing error about a market's price to the value at fault, if it is one.
fn price_refusal(e: &PricingError, index: usize) -> Option<Refusal> {
    use crossdock_core::pricing::PriceField;
    let col = |f: PriceField| match f {
        PriceField::SupplyPrice => PriceCol::SupplyPrice,
        _ => PriceCol::Price,
    };
    match e {
        PricingError::PriceNotPositive { field: f }
        | PricingError::PriceAboveLimit { field: f, .. }
        | PricingError::CurrencyNotMarket { field: f, .. } => {
            Some(Refusal::new(At::Price(index, col(*f)), e.to_string()))
        }
        PricingError::RetailAboveLimit { .. } | PricingError::NoSupplyPrice => Some(Refusal::new(
            At::Price(index, PriceCol::SupplyPrice),
            e.to_string(),
        )),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Planning a change: what PUT and the CSV import share
// ---------------------------------------------------------------------------------------

/// An amount as given, before it is checked against the market: whole minor units and the
/// currency code as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountIn {
    pub minor: i64,
    pub currency: String,
    /// Decimal digits, when the sender named them.
    pub exponent: Option<u8>,
}

/// A price to set in one market: the price shoppers pay (semi-managed, platform local) or
/// the supply price (fully managed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceEdit {
    /// The market as typed.
    pub market: String,
    pub price: Option<AmountIn>,
    pub supply_price: Option<AmountIn>,
}

/// Units on hand to set in one warehouse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockEdit {
    /// The warehouse id as typed.
    pub warehouse: String,
    pub on_hand: i64,
}

/// A change to one SKU: any of its mode, prices and stock. Values not named stay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edit {
    pub mode: Option<Mode>,
    pub prices: Vec<PriceEdit>,
    pub stock: Vec<StockEdit>,
}

/// Which value of a price edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceCol {
    Market,
    Price,
    SupplyPrice,
}

/// Which value of a stock edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockCol {
    Warehouse,
    OnHand,
}

/// The value of an [`Edit`] a refusal is about: the caller names it in its own terms (a
/// JSON path for PUT, a line and column for the CSV import).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    Mode,
    /// The prices as a whole (a supply price missing for some market).
    Prices,
    /// `Edit::prices[i]` as a whole (neither amount given).
    PriceEntry(usize),
    /// `Edit::prices[i]`.
    Price(usize, PriceCol),
    /// `Edit::stock[i]`.
    Stock(usize, StockCol),
}

impl At {
    /// The JSON path of the value in a PUT body.
    pub fn field(self) -> String {
        match self {
            At::Mode => "mode".into(),
            At::Prices => "prices".into(),
            At::PriceEntry(i) => format!("prices[{i}]"),
            At::Price(i, PriceCol::Market) => format!("prices[{i}].market"),
            At::Price(i, PriceCol::Price) => format!("prices[{i}].price"),
            At::Price(i, PriceCol::SupplyPrice) => format!("prices[{i}].supply_price"),
            At::Stock(i, StockCol::Warehouse) => format!("stock[{i}].warehouse"),
            At::Stock(i, StockCol::OnHand) => format!("stock[{i}].on_hand"),
        }
    }
}

/// Why an [`Edit`] cannot be saved, and the value at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub at: At,
    pub message: String,
}

impl Refusal {
    fn new(at: At, message: impl Into<String>) -> Refusal {
        Refusal {
            at,
            message: message.into(),
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> ApiError {
        ApiError::invalid(r.at.field(), r.message)
    }
}

/// A checked change to one SKU: the listing before and after, what differs, and the
/// margins crates/core gives the result in every market.
#[derive(Debug, Clone)]
pub struct Plan {
    pub current: PrivateListing,
    pub next: PrivateListing,
    pub mode_changed: bool,
    /// Markets whose price or supply price changes, by index into `next.prices`.
    pub price_changes: Vec<usize>,
    /// Warehouses whose units on hand change: (units before, index into `next.stock`).
    pub stock_changes: Vec<(i64, usize)>,
    /// Every market's margin after the change.
    pub margins: Vec<(String, Stored)>,
}

impl Plan {
    /// Whether saving it would change nothing.
    pub fn is_empty(&self) -> bool {
        !self.mode_changed && self.price_changes.is_empty() && self.stock_changes.is_empty()
    }
}

/// Checks `edit` against `current` and the network's and pricing rules, and prices the
/// result with crates/core: the plan to write, or the first value that cannot be used.
/// Pure: nothing is read or written.
pub fn plan(
    net: &Network,
    rules: &PricingRules,
    current: &PrivateListing,
    edit: &Edit,
    now: Instant,
) -> Result<Plan, Refusal> {
    let mut next = current.clone();
    // Mode.
    if let Some(mode) = edit.mode {
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
                        return Err(Refusal::new(
                            At::Mode,
                            format!(
                                "{} is not accepted in the fully managed programme: sell it semi-managed or from a platform local warehouse",
                                category_name(net, &current.facts.category)
                            ),
                        ));
                    }
                }
                Mode::SemiManaged if current.seller_warehouses.is_empty() => {
                    return Err(Refusal::new(
                        At::Mode,
                        "semi-managed listings ship from your own overseas warehouse, and you have none: contract one first",
                    ));
                }
                _ => {}
            }
        }
        next.mode = mode;
    }

    // Stock.
    let mut seen: Vec<&str> = Vec::new();
    for (i, s) in edit.stock.iter().enumerate() {
        let warehouse = s.warehouse.trim();
        let at = At::Stock(i, StockCol::Warehouse);
        if seen.contains(&warehouse) {
            return Err(Refusal::new(
                at,
                format!("{warehouse} is given twice: give each warehouse once"),
            ));
        }
        seen.push(warehouse);
        check_stock_warehouse(net, &next, next.mode, warehouse).map_err(|m| Refusal::new(at, m))?;
        let at = At::Stock(i, StockCol::OnHand);
        let on_hand = s.on_hand;
        if on_hand < 0 {
            return Err(Refusal::new(
                at,
                format!("stock cannot be below zero (got {on_hand})"),
            ));
        }
        if on_hand > MAX_STOCK {
            return Err(Refusal::new(
                at,
                format!("a warehouse holds at most {MAX_STOCK} units of one SKU (got {on_hand})"),
            ));
        }
        let reserved = current.stock_at(warehouse).map_or(0, |r| r.reserved);
        if on_hand < reserved {
            return Err(Refusal::new(
                at,
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
    let fully_managed = next.mode == Mode::FullyManaged;
    for (i, p) in edit.prices.iter().enumerate() {
        let m = market_sold(net, current, &p.market)
            .map_err(|m| Refusal::new(At::Price(i, PriceCol::Market), m))?;
        if given.iter().any(|(_, g)| *g == m.id) {
            return Err(Refusal::new(
                At::Price(i, PriceCol::Market),
                format!("{} is given twice: give each market once", m.id),
            ));
        }
        given.push((i, m.id.clone()));
        if fully_managed && p.price.is_some() {
            return Err(Refusal::new(
                At::Price(i, PriceCol::Price),
                "under fully managed the platform sets the retail price from your supply price: send supply_price",
            ));
        }
        if !fully_managed && p.supply_price.is_some() {
            return Err(Refusal::new(
                At::Price(i, PriceCol::SupplyPrice),
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
            .ok_or_else(|| Refusal::new(At::Price(i, PriceCol::Market), "market vanished"))?;
        let amount = |a: &AmountIn, col: PriceCol, what: &str| {
            check_amount(net, rules, m, a.minor, &a.currency, a.exponent, what)
                .map_err(|msg| Refusal::new(At::Price(i, col), msg))
        };
        match (&p.price, &p.supply_price) {
            (Some(price), _) => row.price = amount(price, PriceCol::Price, "the price")?,
            (None, Some(supply)) => {
                row.supply_price = Some(amount(supply, PriceCol::SupplyPrice, "the supply price")?);
            }
            (None, None) => {
                return Err(Refusal::new(
                    At::PriceEntry(i),
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
            return Err(Refusal::new(
                At::Prices,
                format!(
                    "moving to fully managed needs a supply price for every market: give supply_price for {}",
                    missing.join(", ")
                ),
            ));
        }
    }

    // Margins (and, under fully managed, the platform's retail price) by crates/core.
    let mut margins: Vec<(String, Stored)> = Vec::new();
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
                    && let Some(refusal) = price_refusal(e, i)
                {
                    return Err(refusal);
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
                    return Err(Refusal::new(
                        At::Mode,
                        format!(
                            "{} cannot sell this listing in {name}: {e}",
                            mode_label(next.mode)
                        ),
                    ));
                }
                if reprice_retail {
                    return Err(Refusal::new(
                        index.map_or(At::Mode, |i| At::Price(i, PriceCol::SupplyPrice)),
                        format!(
                            "the platform's retail price in {market} cannot be worked out: {e}"
                        ),
                    ));
                }
            }
        }
        margins.push((market.clone(), Stored::of(&result)));
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
            let at = match (index, next.mode) {
                (Some(i), Mode::FullyManaged) => At::Price(i, PriceCol::SupplyPrice),
                (Some(i), _) => At::Price(i, PriceCol::Price),
                (None, _) => At::Mode,
            };
            return Err(Refusal::new(
                at,
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
    let price_changes: Vec<usize> = next
        .prices
        .iter()
        .enumerate()
        .filter(|(_, new)| {
            current
                .price(&new.market)
                .is_none_or(|old| old.price != new.price || old.supply_price != new.supply_price)
        })
        .map(|(i, _)| i)
        .collect();
    let stock_changes: Vec<(i64, usize)> = next
        .stock
        .iter()
        .enumerate()
        .filter_map(|(i, new)| {
            let before = current.stock_at(&new.warehouse).map(|r| r.on_hand);
            (before != Some(new.on_hand)).then_some((before.unwrap_or(0), i))
        })
        .collect();
    Ok(Plan {
        current: current.clone(),
        next,
        mode_changed,
        price_changes,
        stock_changes,
        margins,
    })
}

/// Writes `plan` in `tx` (which has already moved the listing's version on, see
/// [`begin_write`]): the mode, prices, stock and margins, and one audit entry per changed
/// value with `action` ("update" for a save, "import" for a CSV import) and `actor`.
pub async fn write_plan(
    tx: &mut Transaction<'static, Any>,
    plan: &Plan,
    basis: &str,
    actor: &str,
    action: &str,
    now: Instant,
) -> Result<(), ApiError> {
    let id = plan.current.id;
    let seller = plan.current.seller_id.as_str();
    let db = |e: sqlx::Error| ApiError::Internal(format!("saving listing {id}: {e}"));
    let entry = |kind: Kind| Entry {
        at: now,
        seller_id: seller,
        actor,
        listing_id: id,
        kind,
        action,
        market: None,
        warehouse: None,
        before: None,
        after: None,
    };
    if plan.mode_changed {
        sqlx::query("UPDATE listings SET mode = $1 WHERE id = $2")
            .bind(mode_id(plan.next.mode))
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(db)?;
        audit::record(
            tx,
            Entry {
                before: Some(json!({"mode": mode_id(plan.current.mode)})),
                after: Some(json!({"mode": mode_id(plan.next.mode)})),
                ..entry(Kind::Mode)
            },
        )
        .await?;
    }
    for &i in &plan.price_changes {
        let Some(new) = plan.next.prices.get(i) else {
            continue;
        };
        sqlx::query(
            "UPDATE listing_prices SET price_minor = $1, supply_price_minor = $2 \
             WHERE listing_id = $3 AND market = $4",
        )
        .bind(new.price.minor())
        .bind(new.supply_price.map(|m| m.minor()))
        .bind(id)
        .bind(&new.market)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
        let values =
            |p: &store::PriceRow| json!({"price": p.price, "supply_price": p.supply_price});
        audit::record(
            tx,
            Entry {
                market: Some(&new.market),
                before: plan.current.price(&new.market).map(values),
                after: Some(values(new)),
                ..entry(Kind::Price)
            },
        )
        .await?;
    }
    for &(before, i) in &plan.stock_changes {
        let Some(new) = plan.next.stock.get(i) else {
            continue;
        };
        sqlx::query(
            "INSERT INTO listing_stock (listing_id, warehouse, quantity) VALUES ($1, $2, $3) \
             ON CONFLICT (listing_id, warehouse) DO UPDATE SET quantity = excluded.quantity",
        )
        .bind(id)
        .bind(&new.warehouse)
        .bind(new.on_hand)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
        audit::record(
            tx,
            Entry {
                warehouse: Some(&new.warehouse),
                before: Some(json!({"on_hand": before})),
                after: Some(json!({"on_hand": new.on_hand})),
                ..entry(Kind::Stock)
            },
        )
        .await?;
    }
    for (market, margin) in &plan.margins {
        margins::store(tx, id, market, margin, basis, now)
            .await
            .map_err(db)?;
    }
    Ok(())
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
    let edit = edit_of(&body)?;
    let plan = plan(net, rules, &current, &edit, now)?;
    if plan.is_empty() {
        return Ok(no_store_json(
            StatusCode::OK,
            &detail(&state, &current, now),
        ));
    }
    let basis = margin_basis(net, &state.pricing);
    let (turn, mut tx) = begin_write(&state, &current, now).await?;
    let seller = session.seller_id.as_str();
    write_plan(&mut tx, &plan, &basis, seller, "update", now).await?;
    tx.commit()
        .await
        .map_err(|e| ApiError::Internal(format!("saving listing {id}: {e}")))?;
    drop(turn);
    reload_listing(&state, id).await?;
    let body = detail_of(&state, &session.seller_id, id, now).await?;
    Ok(no_store_json(StatusCode::OK, &body))
}

/// The [`Edit`] a PUT body asks for: its numbers read as whole numbers, its mode parsed.
pub(crate) fn edit_of(body: &ListingUpdate) -> Result<Edit, ApiError> {
    let mode = match &body.mode {
        None => None,
        Some(text) => Some(parse_mode(text.trim()).ok_or_else(|| {
            ApiError::invalid(
                "mode",
                format!(
                    "unknown mode \"{text}\": use fully_managed, semi_managed or platform_local"
                ),
            )
        })?),
    };
    let amount = |m: &MoneyIn, field: String, what: &str| -> Result<AmountIn, ApiError> {
        Ok(AmountIn {
            minor: whole_number(&m.minor, &field, what)?,
            currency: m.currency.clone(),
            exponent: m.exponent,
        })
    };
    let mut prices = Vec::new();
    for (i, p) in body.prices.iter().flatten().enumerate() {
        prices.push(PriceEdit {
            market: p.market.clone(),
            price: p
                .price
                .as_ref()
                .map(|m| amount(m, format!("prices[{i}].price"), "the price"))
                .transpose()?,
            supply_price: p
                .supply_price
                .as_ref()
                .map(|m| amount(m, format!("prices[{i}].supply_price"), "the supply price"))
                .transpose()?,
        });
    }
    let mut stock = Vec::new();
    for (i, s) in body.stock.iter().flatten().enumerate() {
        stock.push(StockEdit {
            warehouse: s.warehouse.clone(),
            on_hand: whole_number(&s.on_hand, &format!("stock[{i}].on_hand"), "stock")?,
        });
    }
    Ok(Edit {
        mode,
        prices,
        stock,
    })
}
