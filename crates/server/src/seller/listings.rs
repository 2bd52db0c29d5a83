//! A seller's SKUs: the table (`GET /api/seller/listings`), one SKU's private detail
//! with the side-by-side pricing of every mode (`GET /api/seller/listings/{id}`), and the
//! pricing rules the panel computes its what-ifs with (`GET /api/seller/pricing-rules`),
//! with the shapes they answer in. Saving is in [`super::save`].

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use crossdock_core::Money;
use crossdock_core::engine::Mode;
use crossdock_core::network::Network;
use crossdock_core::pricing::{PricingError, PricingRequest, SideBySide, price_all_modes};
use crossdock_core::schema::WarehouseKind;
use crossdock_core::time::Instant;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use super::inbound::InboundOut;
use super::margins;
use super::pricing::{assumed_supply_price, core_promotion, request};
use super::save::listing_path;
use super::session::SellerSession;
use super::store::{self, PrivateListing, PromotionRow, kind_of};
use crate::api::server_now;
use crate::catalog::generate::parse_mode;
use crate::catalog::promotions::shopper_price;
use crate::dto::category_name;
use crate::extract::Params;
#[allow(unused_imports)] // named in `#[schema(value_type = …)]`
use crate::openapi::{ModeDoc, MoneyDoc, PricingRequestDoc, SideBySideDoc};
use crate::web::{etag_matches, strong_etag};
use crate::{ApiError, AppState};

/// Most units a warehouse may hold of one SKU, and most in one shipment.
pub const MAX_STOCK: i64 = 1_000_000;

/// A SKU is low on stock when the units on offer in the warehouses its mode ships from
/// (on hand less reserved) plus those on their way there are at most this many.
pub const LOW_STOCK_UNITS: i64 = 10;

/// Default and largest page sizes of the SKU table.
pub const DEFAULT_PER_PAGE: u32 = 50;
pub const MAX_PER_PAGE: u32 = 200;

// ---------------------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------------------

/// A page of the seller's SKU table.
#[derive(Debug, Serialize, ToSchema)]
pub struct SellerListingPage {
    pub items: Vec<SellerListingSummary>,
    /// SKUs matching the filters in all pages.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// One row of the SKU table.
#[derive(Debug, Serialize, ToSchema)]
pub struct SellerListingSummary {
    pub id: i64,
    pub sku: String,
    pub title: String,
    /// A network category id.
    pub category: String,
    pub category_name: String,
    #[schema(value_type = ModeDoc)]
    pub mode: Mode,
    /// Send it back with a save.
    pub version: i64,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Instant,
    /// Exact units on hand in the warehouses the listing's mode ships from.
    pub stock_total: i64,
    /// Units on their way to those warehouses.
    pub inbound_total: i64,
    /// Units on offer (on hand less reserved) plus inbound are at most 10.
    pub low_stock: bool,
    /// Per market the listing is sold in, in the network's order.
    pub markets: Vec<MarketSummary>,
}

/// A SKU in one market, for the table.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarketSummary {
    pub market: String,
    /// ISO 4217 code of the market's currency.
    pub currency: String,
    /// What the shopper pays for one unit without promotion (under fully managed: the
    /// platform's retail price).
    #[schema(value_type = MoneyDoc)]
    pub price: Money,
    /// Fully managed: what the platform pays you per unit.
    #[schema(value_type = Option<MoneyDoc>)]
    pub supply_price: Option<Money>,
    /// Your unit margin at the regular price under the listing's mode (crates/core's
    /// `price_mode`, without promotion); `null` when it cannot be priced (see
    /// `margin_error`).
    #[schema(value_type = Option<MoneyDoc>)]
    pub margin: Option<Money>,
    /// The margin in basis points of revenue ex VAT, rounded down.
    pub margin_bp: Option<i64>,
    /// Why the margin cannot be worked out, if it cannot.
    pub margin_error: Option<String>,
    /// The promotion running now, if any.
    pub promotion: Option<RunningPromotion>,
}

/// The promotion running in a market.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunningPromotion {
    pub id: i64,
    pub kind: String,
    pub label: String,
    /// What one unit costs the shopper while it runs.
    #[schema(value_type = MoneyDoc)]
    pub shopper_price: Money,
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: Instant,
}

/// Everything about one of the seller's SKUs.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SellerListingDetail {
    pub id: i64,
    pub sku: String,
    pub title: String,
    pub brand: String,
    pub category: String,
    pub category_name: String,
    #[schema(value_type = ModeDoc)]
    pub mode: Mode,
    /// Send it back with a save; every change to the listing moves it on.
    pub version: i64,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Instant,
    pub facts: SkuFactsOut,
    /// Per market the listing is sold in, in the network's order.
    pub prices: Vec<MarketPrice>,
    /// Per warehouse with stock or a shipment on its way, by id.
    pub stock: Vec<WarehouseStock>,
    /// Exact units on hand in the warehouses the mode ships from.
    pub stock_total: i64,
    /// Units on their way to those warehouses.
    pub inbound_total: i64,
    /// Units on offer plus inbound are at most 10.
    pub low_stock: bool,
    /// Past, running and scheduled promotions, by start.
    pub promotions: Vec<SellerPromotion>,
    /// The warehouses that may hold stock under each mode.
    pub warehouse_choices: WarehouseChoices,
    /// Per market: every mode side by side, as crates/core's `price_all_modes` prices
    /// the listing now (with the running promotion, if any).
    pub pricing: Vec<MarketPricing>,
    /// The instant the figures are as of.
    #[schema(value_type = String, format = DateTime)]
    pub now: Instant,
}

/// What the pricing engine knows about the SKU.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkuFactsOut {
    /// Packed weight of one unit, grams.
    pub weight_g: u32,
    /// Packed length, width and height, millimetres.
    pub dims_mm: [u32; 3],
    pub category: String,
    /// Cost of goods per unit in your currency.
    #[schema(value_type = MoneyDoc)]
    pub cost_of_goods: Money,
    /// The consolidation warehouse in China you deliver to.
    pub origin: String,
}

/// The listing's price in one market.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MarketPrice {
    pub market: String,
    pub currency: String,
    /// `retail_price` (semi-managed, platform local) or `supply_price` (fully managed):
    /// which of the two you set.
    pub seller_sets: String,
    /// What the shopper pays for one unit without promotion.
    #[schema(value_type = MoneyDoc)]
    pub price: Money,
    /// Fully managed: what the platform pays you per unit (null otherwise).
    #[schema(value_type = Option<MoneyDoc>)]
    pub supply_price: Option<Money>,
    /// The highest price the market's rules accept.
    #[schema(value_type = MoneyDoc)]
    pub limit: Money,
    /// Your unit margin at the regular price under the listing's mode (stored when the
    /// listing was saved; `pricing` has it worked out afresh).
    #[schema(value_type = Option<MoneyDoc>)]
    pub margin: Option<Money>,
    pub margin_bp: Option<i64>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub margin_as_of: Option<String>,
    pub margin_error: Option<String>,
}

/// Stock in one warehouse.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WarehouseStock {
    pub warehouse: String,
    pub name: String,
    /// cn_consolidation, seller_3pl or platform_local.
    pub kind: String,
    pub market: Option<String>,
    /// Whether the listing's mode ships from it (stock elsewhere waits for a mode change).
    pub usable: bool,
    pub on_hand: i64,
    /// Held for open orders.
    pub reserved: i64,
    /// On offer: on hand less reserved.
    pub available: i64,
    /// Sea shipments on their way here, by ETA.
    pub inbound: Vec<InboundOut>,
}

/// A promotion of the listing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SellerPromotion {
    pub id: i64,
    pub market: String,
    /// percent_off, voucher, platform_subsidy, free_shipping_over — or one of the demo
    /// catalog's fixed-price kinds (seasonal_sale, lightning_deal, super_deal,
    /// clearance, launch_offer).
    pub kind: String,
    pub label: String,
    /// percent_off: basis points off (2000 = 20 %).
    pub percent_bp: Option<i64>,
    /// voucher, platform_subsidy: the amount off.
    #[schema(value_type = Option<MoneyDoc>)]
    pub amount: Option<Money>,
    /// free_shipping_over: orders of at least this ship free.
    #[schema(value_type = Option<MoneyDoc>)]
    pub threshold: Option<Money>,
    /// What one unit costs the shopper while it runs, at the current price.
    #[schema(value_type = MoneyDoc)]
    pub shopper_price: Money,
    /// seller or platform.
    pub funded_by: String,
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: Instant,
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: Instant,
    /// past, running or scheduled.
    pub status: String,
}

/// Warehouse ids that may hold stock under each mode.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WarehouseChoices {
    /// The platform's consolidation warehouses in China.
    pub fully_managed: Vec<String>,
    /// Your own overseas warehouses.
    pub semi_managed: Vec<String>,
    /// The platform's warehouses in the markets the listing is sold in.
    pub platform_local: Vec<String>,
}

/// Every mode side by side in one market.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MarketPricing {
    pub market: String,
    /// Exactly what the server asked crates/core (`PricingRequest`): start what-ifs from
    /// it. The fully managed column of a listing that is not fully managed is priced at
    /// the supply price whose retail price comes closest to the current price.
    #[schema(value_type = PricingRequestDoc)]
    pub request: PricingRequest,
    /// crates/core's `SideBySide`, as it serialises, each warning with its `message`.
    /// `null` when the request itself cannot be priced (see `error`).
    #[schema(value_type = Option<SideBySideDoc>)]
    pub result: Option<Value>,
    pub error: Option<PricingFailure>,
}

/// Why a market cannot be priced.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PricingFailure {
    /// crates/core's `PricingError` code (snake_case), e.g. `no_route`.
    pub code: String,
    pub message: String,
}

// ---------------------------------------------------------------------------------------
// Building the shapes
// ---------------------------------------------------------------------------------------

fn kind_id(kind: WarehouseKind) -> &'static str {
    match kind {
        WarehouseKind::CnConsolidation => "cn_consolidation",
        WarehouseKind::Seller3pl => "seller_3pl",
        WarehouseKind::PlatformLocal => "platform_local",
    }
}

/// The warehouses that may hold `listing`'s stock under `mode`: the platform's
/// consolidation warehouses (fully managed), the seller's own overseas warehouses
/// (semi-managed), the platform's local warehouses in markets the listing is sold in
/// (platform local).
pub fn allowed_warehouses(net: &Network, listing: &PrivateListing, mode: Mode) -> Vec<String> {
    net.file
        .warehouses
        .iter()
        .filter(|w| w.kind == mode.warehouse_kind())
        .filter(|w| match mode {
            Mode::FullyManaged => true,
            Mode::SemiManaged => listing.seller_warehouses.contains(&w.id),
            Mode::PlatformLocal => w
                .market
                .as_deref()
                .is_some_and(|m| listing.price(m).is_some()),
        })
        .map(|w| w.id.clone())
        .collect()
}

/// Stock totals over the warehouses `listing`'s mode ships from: (on hand, inbound, low).
pub fn totals(net: &Network, listing: &PrivateListing) -> (i64, i64, bool) {
    let kind = listing.mode.warehouse_kind();
    let usable = |w: &str| kind_of(net, w) == Some(kind);
    let on_hand: i64 = listing
        .stock
        .iter()
        .filter(|s| usable(&s.warehouse))
        .map(|s| s.on_hand)
        .sum();
    let offered: i64 = listing
        .stock
        .iter()
        .filter(|s| usable(&s.warehouse))
        .map(|s| (s.on_hand - s.reserved).max(0))
        .sum();
    let inbound: i64 = listing
        .inbound
        .iter()
        .filter(|i| usable(&i.warehouse))
        .map(|i| i.quantity)
        .sum();
    (on_hand, inbound, offered + inbound <= LOW_STOCK_UNITS)
}

fn promo_shopper_price(listing: &PrivateListing, p: &PromotionRow) -> Option<Money> {
    let regular = listing.price(&p.market)?.price;
    Some(shopper_price(
        regular,
        &p.kind,
        p.percent_bp,
        p.amount_minor,
        p.price_minor,
    ))
}

/// A promotion as the panel shows it.
pub fn promotion_out(
    net: &Network,
    listing: &PrivateListing,
    p: &PromotionRow,
    now: Instant,
) -> SellerPromotion {
    let currency = net
        .file
        .markets
        .iter()
        .find(|m| m.id == p.market)
        .map_or("", |m| m.currency.as_str());
    let money = |minor: Option<i64>| minor.and_then(|m| net.money(m, currency));
    // The recorded price, for a promotion in a market the listing has no price in (the
    // panel never writes one; the shopper price follows the current price otherwise).
    let fixed = net.money(p.price_minor, currency).unwrap_or_else(|| {
        Money::from_minor(
            p.price_minor,
            crossdock_core::Currency {
                code: crossdock_core::CurrencyCode::XXX,
                exponent: 2,
            },
        )
    });
    SellerPromotion {
        id: p.id,
        market: p.market.clone(),
        kind: p.kind.clone(),
        label: p.label.clone(),
        percent_bp: p.percent_bp,
        amount: money(p.amount_minor),
        threshold: money(p.threshold_minor),
        shopper_price: promo_shopper_price(listing, p).unwrap_or(fixed),
        funded_by: p.funded_by.clone(),
        starts_at: p.starts_at,
        ends_at: p.ends_at,
        status: if now < p.starts_at {
            "scheduled"
        } else if now < p.ends_at {
            "running"
        } else {
            "past"
        }
        .to_string(),
    }
}

/// The side-by-side request for `listing` in `market` at `now`.
pub fn side_by_side_request(
    net: &Network,
    rules: &crossdock_core::pricing::PricingRules,
    listing: &PrivateListing,
    market: &str,
    now: Instant,
) -> Option<PricingRequest> {
    let row = listing.price(market)?;
    let supply = match listing.mode {
        Mode::FullyManaged => row.supply_price,
        _ => row
            .supply_price
            .or_else(|| assumed_supply_price(net, rules, market, row.price)),
    };
    let promotion = listing
        .running_promotion(market, now)
        .and_then(|p| core_promotion(&p.stored(), row.price, listing.mode));
    Some(request(
        &listing.facts,
        market,
        Some(row.price),
        supply,
        listing.pricing_warehouses(net),
        promotion,
        now,
    ))
}

/// crates/core's side-by-side answer as JSON, each warning with its sentence.
pub fn side_by_side_json(sbs: &SideBySide) -> Value {
    let mut value = serde_json::to_value(sbs).unwrap_or(Value::Null);
    if let Some(columns) = value.get_mut("columns").and_then(Value::as_array_mut) {
        for (column, original) in columns.iter_mut().zip(&sbs.columns) {
            let crossdock_core::pricing::ModeOutcome::Priced { pricing } = &original.outcome else {
                continue;
            };
            if let Some(warnings) = column
                .get_mut("pricing")
                .and_then(|p| p.get_mut("warnings"))
                .and_then(Value::as_array_mut)
            {
                for (w, original) in warnings.iter_mut().zip(&pricing.warnings) {
                    if let Some(obj) = w.as_object_mut() {
                        obj.insert("message".into(), Value::from(original.message()));
                    }
                }
            }
        }
    }
    value
}

/// The code crates/core serialises a pricing error with.
pub fn error_code(e: &PricingError) -> String {
    serde_json::to_value(e)
        .ok()
        .and_then(|v| v.get("code").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| "error".into())
}

/// The whole detail of `listing` at `now`.
pub fn detail(state: &AppState, listing: &PrivateListing, now: Instant) -> SellerListingDetail {
    let net = state.network.network();
    let rules = state.pricing.rules();
    let mode_kind = listing.mode.warehouse_kind();
    let prices = listing
        .prices
        .iter()
        .map(|p| {
            let limit = rules.market(&p.market).map_or(0, |r| r.max_price_minor);
            MarketPrice {
                market: p.market.clone(),
                currency: p.price.currency().code.to_string(),
                seller_sets: if listing.mode == Mode::FullyManaged {
                    "supply_price"
                } else {
                    "retail_price"
                }
                .into(),
                price: p.price,
                supply_price: if listing.mode == Mode::FullyManaged {
                    p.supply_price
                } else {
                    None
                },
                limit: Money::from_minor(limit, p.price.currency()),
                margin: p
                    .margin_minor
                    .map(|m| Money::from_minor(m, p.price.currency())),
                margin_bp: p.margin_minor.map(|_| p.margin_bp),
                margin_as_of: p.margin_as_of.clone(),
                margin_error: p.margin_error.clone(),
            }
        })
        .collect();
    let mut warehouses: Vec<&str> = listing.stock.iter().map(|s| s.warehouse.as_str()).collect();
    for i in &listing.inbound {
        if !warehouses.contains(&i.warehouse.as_str()) {
            warehouses.push(&i.warehouse);
        }
    }
    warehouses.sort_unstable();
    let stock = warehouses
        .into_iter()
        .map(|w| {
            let def = net.file.warehouses.iter().find(|d| d.id == w);
            let row = listing.stock_at(w);
            let on_hand = row.map_or(0, |r| r.on_hand);
            let reserved = row.map_or(0, |r| r.reserved);
            WarehouseStock {
                warehouse: w.to_string(),
                name: def.map_or_else(|| w.to_string(), |d| d.name.clone()),
                kind: def.map_or("unknown", |d| kind_id(d.kind)).to_string(),
                market: def.and_then(|d| d.market.clone()),
                usable: def.is_some_and(|d| d.kind == mode_kind),
                on_hand,
                reserved,
                available: (on_hand - reserved).max(0),
                inbound: listing
                    .inbound
                    .iter()
                    .filter(|i| i.warehouse == w)
                    .map(|i| InboundOut {
                        id: i.id,
                        warehouse: i.warehouse.clone(),
                        quantity: i.quantity,
                        eta: i.eta,
                        created_at: i.created_at,
                    })
                    .collect(),
            }
        })
        .collect();
    let (stock_total, inbound_total, low_stock) = totals(net, listing);
    let pricing = listing
        .prices
        .iter()
        .filter_map(|p| {
            let req = side_by_side_request(net, rules, listing, &p.market, now)?;
            let (result, error) = match price_all_modes(net, rules, &req) {
                Ok(sbs) => (Some(side_by_side_json(&sbs)), None),
                Err(e) => (
                    None,
                    Some(PricingFailure {
                        code: error_code(&e),
                        message: e.to_string(),
                    }),
                ),
            };
            Some(MarketPricing {
                market: p.market.clone(),
                request: req,
                result,
                error,
            })
        })
        .collect();
    SellerListingDetail {
        id: listing.id,
        sku: listing.sku.clone(),
        title: listing.title.clone(),
        brand: listing.brand.clone(),
        category: listing.facts.category.clone(),
        category_name: category_name(net, &listing.facts.category),
        mode: listing.mode,
        version: listing.version,
        updated_at: listing.updated_at,
        facts: SkuFactsOut {
            weight_g: listing.facts.weight_g,
            dims_mm: listing.facts.dims_mm,
            category: listing.facts.category.clone(),
            cost_of_goods: listing.facts.cost_of_goods,
            origin: listing.facts.origin.clone(),
        },
        prices,
        stock,
        stock_total,
        inbound_total,
        low_stock,
        promotions: listing
            .promotions
            .iter()
            .map(|p| promotion_out(net, listing, p, now))
            .collect(),
        warehouse_choices: WarehouseChoices {
            fully_managed: allowed_warehouses(net, listing, Mode::FullyManaged),
            semi_managed: allowed_warehouses(net, listing, Mode::SemiManaged),
            platform_local: allowed_warehouses(net, listing, Mode::PlatformLocal),
        },
        pricing,
        now,
    }
}

/// The detail of the seller's listing `id` as the database holds it now.
pub async fn detail_of(
    state: &AppState,
    seller_id: &str,
    id: i64,
    now: Instant,
) -> Result<SellerListingDetail, ApiError> {
    let listing = store::load_owned(&state.db, state.network.network(), seller_id, id).await?;
    Ok(detail(state, &listing, now))
}

/// A private JSON answer: `Cache-Control: no-store`.
pub fn no_store_json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            status,
            [
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => ApiError::Internal(format!("serialising a response: {e}")).into_response(),
    }
}

// ---------------------------------------------------------------------------------------
// GET /api/seller/listings
// ---------------------------------------------------------------------------------------

/// Query parameters of `GET /api/seller/listings`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SellerListingParams {
    /// Words to find in the title, SKU or brand (any case; every word must match).
    pub q: Option<String>,
    /// Modes, comma-separated: fully_managed, semi_managed, platform_local.
    pub mode: Option<String>,
    /// Only SKUs sold in this market; `negative_margin` and `sort=margin` then look at
    /// this market only.
    pub market: Option<String>,
    /// `true`: only SKUs low on stock (units on offer plus inbound at most 10).
    pub low_stock: Option<bool>,
    /// `true`: only SKUs whose stored margin is below zero in some market (or in
    /// `market`).
    pub negative_margin: Option<bool>,
    /// title, sku (default), stock, margin (the lowest margin in basis points over the
    /// markets, or `market`'s; unpriced last) or updated.
    pub sort: Option<String>,
    /// asc (default) or desc.
    pub dir: Option<String>,
    /// Page number from 1. Default 1.
    pub page: Option<u32>,
    /// SKUs per page, 1 to 200. Default 50.
    pub per_page: Option<u32>,
}

const LIST_PARAMS: &[&str] = &[
    "q",
    "mode",
    "market",
    "low_stock",
    "negative_margin",
    "sort",
    "dir",
    "page",
    "per_page",
];

fn flag(p: &Params, name: &str) -> Result<bool, ApiError> {
    match p.get(name) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(ApiError::bad(
            name,
            format!("{name} is true or false (got \"{other}\")"),
        )),
    }
}

/// The signed-in seller's SKUs: search, filter, sort, page.
#[utoipa::path(
    get,
    path = "/api/seller/listings",
    tag = "seller",
    security(("seller_session" = [])),
    params(SellerListingParams),
    responses(
        (status = 200, description = "A page of your SKUs", body = SellerListingPage),
        (status = 400, description = "A query parameter is wrong; `field` names it", body = crate::openapi::ErrorResponse),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn list_listings(
    session: SellerSession,
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let now = server_now()?;
    let p = Params::parse(raw.as_deref(), LIST_PARAMS)?;
    let net = state.network.network();
    let words: Vec<String> = p
        .get("q")
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    if p.get("q").is_some_and(|q| q.chars().count() > 200) {
        return Err(ApiError::bad(
            "q",
            "q is longer than 200 characters: shorten the search",
        ));
    }
    let mut modes: Vec<Mode> = Vec::new();
    if let Some(text) = p.get("mode") {
        for m in text.split(',').map(str::trim).filter(|m| !m.is_empty()) {
            modes.push(parse_mode(m).ok_or_else(|| {
                ApiError::bad(
                    "mode",
                    format!("unknown mode \"{m}\": use fully_managed, semi_managed or platform_local (comma-separated)"),
                )
            })?);
        }
    }
    let market = match p.get("market") {
        None => None,
        Some(text) => Some(crate::listings::market_param(net, Some(text))?),
    };
    let low_stock = flag(&p, "low_stock")?;
    let negative_margin = flag(&p, "negative_margin")?;
    let sort = p.get("sort").unwrap_or("sku");
    if !["title", "sku", "stock", "margin", "updated"].contains(&sort) {
        return Err(ApiError::bad(
            "sort",
            format!("unknown sort \"{sort}\": use title, sku, stock, margin or updated"),
        ));
    }
    let descending = match p.get("dir") {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(ApiError::bad(
                "dir",
                format!("dir is asc or desc (got \"{other}\")"),
            ));
        }
    };
    let page = p.number("page", 1, 1, 1_000)?;
    let per_page = p.number("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)?;

    super::prepare(&state, now).await?;
    margins::refresh_seller(
        &state.db,
        &state.network,
        &state.pricing,
        &session.seller_id,
        now,
    )
    .await?;
    let listings = store::load_seller(&state.db, net, &session.seller_id).await?;

    let margin_key = |l: &PrivateListing| -> Option<i64> {
        l.prices
            .iter()
            .filter(|pr| market.as_deref().is_none_or(|m| pr.market == m))
            .filter(|pr| pr.margin_minor.is_some())
            .map(|pr| pr.margin_bp)
            .min()
    };
    let mut rows: Vec<(&PrivateListing, (i64, i64, bool))> = listings
        .iter()
        .filter(|l| modes.is_empty() || modes.contains(&l.mode))
        .filter(|l| market.as_deref().is_none_or(|m| l.price(m).is_some()))
        .filter(|l| {
            words.iter().all(|w| {
                l.title.to_lowercase().contains(w)
                    || l.sku.to_lowercase().contains(w)
                    || l.brand.to_lowercase().contains(w)
            })
        })
        .filter(|l| {
            !negative_margin
                || l.prices.iter().any(|pr| {
                    market.as_deref().is_none_or(|m| pr.market == m)
                        && pr.margin_minor.is_some_and(|m| m < 0)
                })
        })
        .map(|l| (l, totals(net, l)))
        .filter(|(_, t)| !low_stock || t.2)
        .collect();
    rows.sort_by(|(a, ta), (b, tb)| {
        let order = match sort {
            "title" => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
            "stock" => ta.0.cmp(&tb.0),
            "updated" => a.updated_at.cmp(&b.updated_at),
            "margin" => match (margin_key(a), margin_key(b)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
            _ => std::cmp::Ordering::Equal,
        };
        let order = if descending { order.reverse() } else { order };
        order.then_with(|| a.sku.cmp(&b.sku)).then(a.id.cmp(&b.id))
    });
    let total = u64::try_from(rows.len()).unwrap_or(0);
    let start = usize::try_from((page - 1) * per_page).unwrap_or(usize::MAX);
    let items = rows
        .into_iter()
        .skip(start)
        .take(usize::try_from(per_page).unwrap_or(0))
        .map(
            |(l, (stock_total, inbound_total, low))| SellerListingSummary {
                id: l.id,
                sku: l.sku.clone(),
                title: l.title.clone(),
                category: l.facts.category.clone(),
                category_name: category_name(net, &l.facts.category),
                mode: l.mode,
                version: l.version,
                updated_at: l.updated_at,
                stock_total,
                inbound_total,
                low_stock: low,
                markets: l
                    .prices
                    .iter()
                    .map(|pr| MarketSummary {
                        market: pr.market.clone(),
                        currency: pr.price.currency().code.to_string(),
                        price: pr.price,
                        supply_price: if l.mode == Mode::FullyManaged {
                            pr.supply_price
                        } else {
                            None
                        },
                        margin: pr
                            .margin_minor
                            .map(|m| Money::from_minor(m, pr.price.currency())),
                        margin_bp: pr.margin_minor.map(|_| pr.margin_bp),
                        margin_error: pr.margin_error.clone(),
                        promotion: l.running_promotion(&pr.market, now).map(|promo| {
                            RunningPromotion {
                                id: promo.id,
                                kind: promo.kind.clone(),
                                label: promo.label.clone(),
                                shopper_price: promo_shopper_price(l, promo).unwrap_or(pr.price),
                                ends_at: promo.ends_at,
                            }
                        }),
                    })
                    .collect(),
            },
        )
        .collect();
    Ok(no_store_json(
        StatusCode::OK,
        &SellerListingPage {
            items,
            total,
            page,
            per_page,
        },
    ))
}

// ---------------------------------------------------------------------------------------
// GET /api/seller/listings/{id}
// ---------------------------------------------------------------------------------------

/// One of the seller's SKUs with everything private, and every mode priced side by side.
#[utoipa::path(
    get,
    path = "/api/seller/listings/{id}",
    tag = "seller",
    security(("seller_session" = [])),
    params(("id" = i64, Path, description = "Listing id")),
    responses(
        (status = 200, description = "The SKU", body = SellerListingDetail),
        (status = 400, description = "A malformed id", body = crate::openapi::ErrorResponse),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = crate::openapi::ErrorResponse),
        (status = 404, description = "You have no such listing (another seller's answers the same)", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn get_listing(
    session: SellerSession,
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let now = server_now()?;
    let id = listing_path(path)?;
    super::require_owned_listing(&state.db, &session.seller_id, id).await?;
    super::prepare(&state, now).await?;
    let net = state.network.network();
    let mut listing = store::load_owned(&state.db, net, &session.seller_id, id).await?;
    if margins::refresh_listing(&state.db, &state.network, &state.pricing, &listing, now).await? > 0
    {
        listing = store::load_owned(&state.db, net, &session.seller_id, id).await?;
    }
    Ok(no_store_json(
        StatusCode::OK,
        &detail(&state, &listing, now),
    ))
}

// ---------------------------------------------------------------------------------------
// GET /api/seller/pricing-rules
// ---------------------------------------------------------------------------------------

/// The pricing rules file (`data/pricing.json`) exactly as the server loaded it: the
/// panel prices what-ifs in the browser with crates/core and these rules, and the server
/// prices the same way on save.
#[utoipa::path(
    get,
    path = "/api/seller/pricing-rules",
    tag = "seller",
    security(("seller_session" = [])),
    responses(
        (status = 200, description = "The pricing rules file, byte for byte (revalidate with its ETag)", content_type = "application/json", body = Object),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn pricing_rules(
    _session: SellerSession,
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Response {
    let bytes = state.pricing.bytes().clone();
    let hex: String = Sha256::digest(&bytes)
        .iter()
        .take(16)
        .fold(String::new(), |s, b| s + &format!("{b:02x}"));
    let etag = strong_etag(&hex);
    let common = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, "private, no-cache".to_owned()),
    ];
    if etag_matches(&headers, &etag) {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        StatusCode::OK,
        common,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response()
}
