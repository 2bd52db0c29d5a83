//! The OpenAPI 3.1 document (`GET /api/openapi.json`), generated from the handlers and the
//! response types with utoipa, and the docs page (`GET /api/docs`, Swagger UI served from
//! this server: its files are compiled in, nothing loads from a CDN).
//!
//! Types the engine owns (`Money`, `Quote`, …) are described here by doc-only mirrors; a
//! test checks real responses against the document, so a mirror cannot drift silently.

#![allow(dead_code)]

use axum::Router;
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_swagger_ui::SwaggerUi;

use crate::AppState;
use crate::dto;
use crate::quote::{QuoteLineIn, QuoteRequestBody};
use crate::seller::auth::SessionSecurity;

pub fn router() -> Router<AppState> {
    Router::new().merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", ApiDoc::openapi()))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Crossdock API",
        description = "The storefront API of Crossdock: listings with prices per market and \
            what the browser needs to estimate delivery with the shared routing engine, \
            sellers' public profiles, and quotes for the cart computed by the same engine.\n\n\
            Every failure answers `{\"error\": {\"code\", \"message\", \"field\"}}` with a \
            4xx/5xx status: `code` is one of bad_request (400), not_found (404), \
            method_not_allowed (405), payload_too_large (413), unsupported_media_type (415), \
            unprocessable_entity (422), unauthenticated (401), forbidden (403), csrf (403), \
            conflict (409; a stale `version` also sends `current`, the record as it is now), \
            too_many_requests (429, with Retry-After), internal (500), unavailable (503); `field` names the \
            query parameter or the JSON path at fault, or is null.\n\n\
            Money is integer minor units with its currency: `{\"minor\": 1999, \
            \"currency\": \"USD\", \"exponent\": 2}` is $19.99; KRW has exponent 0. \
            Stock per warehouse is capped at 10 in every response; a cart line holds at \
            most 10 units, so the engine decides the same from capped and exact stock.\n\n\
            The postal code never reaches the server: the browser maps it to a delivery \
            zone with the network file (`GET /api/network`) and sends the zone.",
        version = "1"
    ),
    paths(
        crate::listings::list_listings,
        crate::listings::get_listing,
        crate::listings::listing_image,
        crate::sellers::get_seller,
        crate::quote::quote,
        crate::api::network,
        crate::api::health,
        crate::seller::auth::sign_in,
        crate::seller::auth::who_am_i,
        crate::seller::auth::sign_out,
        crate::seller::listings::list_listings,
        crate::seller::listings::get_listing,
        crate::seller::save::update_listing,
        crate::seller::listings::pricing_rules,
        crate::seller::promotions::create_promotion,
        crate::seller::promotions::delete_promotion,
        crate::seller::inbound::create_inbound,
        crate::seller::inbound::delete_inbound,
        crate::seller::audit::list_audit,
        crate::seller::imports::export_csv,
        crate::seller::imports::create_import,
        crate::seller::imports::get_import,
        crate::seller::imports::list_imports,
        crate::embed::count_click,
        crate::embed::clicks,
    ),
    components(schemas(
        ErrorResponse,
        ErrorDetail,
        MoneyDoc,
        ModeDoc,
        EngineListingDoc,
        QuoteDoc,
        RouteOptionDoc,
        WindowDoc,
        LegDoc,
        DateShareDoc,
        PlanDoc,
        PartDoc,
        dto::ListingPage,
        dto::ListingSummary,
        dto::ListingDetail,
        dto::SellerPage,
        dto::QuoteResponse,
        QuoteRequestBody,
        QuoteLineIn,
        crate::seller::auth::SignInRequest,
        crate::seller::auth::SessionResponse,
        crate::seller::auth::SessionSeller,
        ConflictResponse,
        CurrencyDoc,
        PricingRequestDoc,
        PricingSkuDoc,
        SideBySideDoc,
        ModeColumnDoc,
        ModePricingDoc,
        PricingDeliveryDoc,
        PricingSideDoc,
        PricingLineDoc,
        PromotionEffectDoc,
        PricingWarningDoc,
        crate::seller::listings::SellerListingPage,
        crate::seller::listings::SellerListingSummary,
        crate::seller::listings::MarketSummary,
        crate::seller::listings::RunningPromotion,
        crate::seller::listings::SellerListingDetail,
        crate::seller::listings::SkuFactsOut,
        crate::seller::listings::MarketPrice,
        crate::seller::listings::WarehouseStock,
        crate::seller::listings::SellerPromotion,
        crate::seller::listings::WarehouseChoices,
        crate::seller::listings::MarketPricing,
        crate::seller::listings::PricingFailure,
        crate::seller::save::ListingUpdate,
        crate::seller::save::PriceIn,
        crate::seller::save::StockIn,
        crate::seller::save::MoneyIn,
        crate::seller::promotions::NewPromotion,
        crate::seller::promotions::PromotionResponse,
        crate::seller::promotions::MarginImpact,
        crate::seller::promotions::PromotionWarning,
        crate::seller::inbound::NewInbound,
        crate::seller::inbound::InboundOut,
        crate::seller::inbound::InboundResponse,
        crate::seller::audit::AuditPage,
        crate::seller::imports::ImportStatus,
        crate::seller::imports::ImportList,
        crate::seller::imports::ImportSummary,
        crate::seller::csv_sheet::Problem,
        crate::seller::audit::AuditEntry,
    )),
    modifiers(&SessionSecurity),
    tags(
        (name = "catalog", description = "Listings, pictures and sellers"),
        (name = "cart", description = "Quotes for the cart"),
        (name = "platform", description = "The network file and health"),
        (name = "seller", description = "The seller panel: sign-in and session (cookie + CSRF token), SKUs with prices, stock and fulfilment mode, margins from the shared pricing engine, promotions, inbound shipments, the audit log. Every endpoint needs the session; every write also the CSRF token; another seller's SKU answers 404 exactly like a missing one."),
    )
)]
pub struct ApiDoc;

/// Every error response.
#[derive(ToSchema)]
pub struct ErrorResponse {
    pub error: ErrorDetail,
}

#[derive(ToSchema)]
pub struct ErrorDetail {
    /// A stable code: bad_request, not_found, method_not_allowed, payload_too_large,
    /// unsupported_media_type, unprocessable_entity, unauthenticated, forbidden, csrf,
    /// conflict, too_many_requests, internal, unavailable.
    pub code: String,
    /// What is wrong and how to fix it, for a person.
    pub message: String,
    /// The query parameter or JSON path at fault (`lines[2].quantity`), if any.
    pub field: Option<String>,
}

/// An amount: integer minor units of a currency.
#[derive(ToSchema)]
#[schema(as = Money)]
pub struct MoneyDoc {
    /// Minor units (cents; whole won for KRW).
    pub minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// Digits of the minor unit (2 for USD, 0 for KRW).
    pub exponent: u8,
}

/// How a listing is fulfilled.
#[derive(ToSchema)]
#[schema(as = Mode)]
#[allow(non_camel_case_types, clippy::enum_variant_names)]
pub enum ModeDoc {
    /// Stock in the platform's consolidation warehouse in China; air freight.
    fully_managed,
    /// Stock in the seller's overseas warehouse in the market.
    semi_managed,
    /// Stock in the platform's warehouse in the market.
    platform_local,
}

/// The routing engine's input for one listing (`crossdock_core::Listing`).
#[derive(ToSchema)]
#[schema(as = EngineListing)]
pub struct EngineListingDoc {
    pub weight_g: u32,
    pub dims_mm: [u32; 3],
    pub category: String,
    pub mode: ModeDoc,
    pub stock: Vec<dto::StockOut>,
    pub unit_price: Option<MoneyDoc>,
}

/// The engine's full answer for one listing and quantity (`crossdock_core::Quote`).
#[derive(ToSchema)]
#[schema(as = Quote)]
pub struct QuoteDoc {
    pub network_version: String,
    pub market: String,
    pub zone: String,
    pub zone_name: String,
    /// Today in the zone's time zone.
    #[schema(format = Date)]
    pub today: String,
    #[schema(format = DateTime)]
    pub now: String,
    pub quantity: u32,
    /// Every candidate route, feasible or not.
    pub routes: Vec<RouteOptionDoc>,
    /// The platform's choice; null when nothing can ship the order.
    pub plan: Option<PlanDoc>,
    /// Why there is no plan (absent when there is one).
    pub unavailable: Option<String>,
}

/// One candidate route: `status` "feasible" with its legs, window and costs, or
/// "infeasible" with a `code` and a `message`.
#[derive(ToSchema)]
#[schema(as = RouteOption)]
pub struct RouteOptionDoc {
    pub id: String,
    pub warehouse: String,
    pub warehouse_name: String,
    pub mode: ModeDoc,
    /// "feasible" or "infeasible".
    pub status: String,
    pub legs: Option<Vec<LegDoc>>,
    pub window: Option<WindowDoc>,
    #[schema(format = DateTime)]
    pub cutoff: Option<String>,
    pub cost: Option<MoneyDoc>,
    pub shopper_fee: Option<MoneyDoc>,
    pub chargeable_weight_g: Option<u64>,
    pub parcels: Option<u32>,
    pub distribution: Option<Vec<DateShareDoc>>,
    /// Why it cannot ship: no_stock, not_in_programme, category_restricted, oversize,
    /// lane_capacity, zone_not_served, no_departure, too_large.
    pub code: Option<String>,
    pub message: Option<String>,
}

/// A promised delivery window (dates in the destination's time zone).
#[derive(ToSchema)]
#[schema(as = Window)]
pub struct WindowDoc {
    #[schema(format = Date)]
    pub earliest: String,
    #[schema(format = Date)]
    pub latest: String,
    /// Share of deliveries inside the window, basis points.
    pub probability_bp: u32,
}

#[derive(ToSchema)]
#[schema(as = Leg)]
pub struct LegDoc {
    /// handling, air_freight, customs, last_mile.
    pub kind: String,
    pub name: String,
    #[schema(format = Date)]
    pub start: String,
    #[schema(format = Date)]
    pub end_earliest: String,
    #[schema(format = Date)]
    pub end_latest: String,
    pub min_days: u32,
    pub max_days: u32,
    /// working_days or calendar_days.
    pub unit: String,
    pub cost: MoneyDoc,
}

#[derive(ToSchema)]
#[schema(as = DateShare)]
pub struct DateShareDoc {
    #[schema(format = Date)]
    pub date: String,
    /// Parts per million of deliveries on this date.
    pub ppm: u32,
}

#[derive(ToSchema)]
#[schema(as = Plan)]
pub struct PlanDoc {
    pub parts: Vec<PartDoc>,
    pub window: WindowDoc,
    #[schema(format = DateTime)]
    pub cutoff: String,
    pub cost: MoneyDoc,
    pub shopper_fee: MoneyDoc,
    /// only_with_stock, only_feasible, fastest, fastest_then_cheapest, split.
    pub reason: String,
    pub sentence: String,
}

#[derive(ToSchema)]
#[schema(as = Part)]
pub struct PartDoc {
    pub route: String,
    pub warehouse: String,
    pub quantity: u32,
    pub window: WindowDoc,
    #[schema(format = DateTime)]
    pub cutoff: String,
    pub cost: MoneyDoc,
}

/// Query parameters of `GET /api/listings`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListingParams {
    /// Market id: US, DE, GB, KR, ZA or AE (case-insensitive).
    #[param(required = true, example = "US")]
    pub market: String,
    /// Words to search for (at most 200 characters); every word must match.
    pub q: Option<String>,
    /// Category ids, comma-separated (`toys,apparel`).
    pub category: Option<String>,
    /// Modes, comma-separated: fully_managed, semi_managed, platform_local.
    pub mode: Option<String>,
    /// Delivery zone in the market (from the network file); adds each item's `delivery`.
    pub zone: Option<String>,
    /// Only listings whose promised window ends by this date (YYYY-MM-DD); needs `zone`.
    #[param(format = Date)]
    pub arrives_by: Option<String>,
    /// relevance (default), price_asc, price_desc, fastest (needs `zone`), newest.
    pub sort: Option<String>,
    /// Page number from 1 (at most 1000). Default 1.
    pub page: Option<u32>,
    /// Items per page, 1 to 100. Default 24.
    pub per_page: Option<u32>,
    /// Only this seller's listings (a seller id).
    pub seller: Option<String>,
    /// The instant to price and estimate at (RFC 3339); default: the server's clock.
    #[param(format = DateTime)]
    pub now: Option<String>,
}

/// Query parameters of `GET /api/listings/{id}`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DetailParams {
    /// Market id.
    #[param(required = true, example = "US")]
    pub market: String,
    /// Delivery zone in the market: adds `delivery`.
    pub zone: Option<String>,
    /// The instant to price and estimate at (RFC 3339); default: the server's clock.
    #[param(format = DateTime)]
    pub now: Option<String>,
}

/// 409 for a save based on an old version: the error (`code` "conflict", `field`
/// "version") and the record as it is now, so the panel can show both.
#[derive(ToSchema)]
pub struct ConflictResponse {
    pub error: ErrorDetail,
    pub current: crate::seller::listings::SellerListingDetail,
}

/// A currency: its ISO 4217 code and the digits of its minor unit.
#[derive(ToSchema)]
#[schema(as = Currency)]
pub struct CurrencyDoc {
    pub code: String,
    pub exponent: u8,
}

/// What the server asked crates/core's pricing engine (`crossdock_core::pricing::PricingRequest`).
#[derive(ToSchema)]
#[schema(as = PricingRequest)]
pub struct PricingRequestDoc {
    pub sku: PricingSkuDoc,
    pub market: String,
    /// The shown price (semi-managed and platform-local columns).
    pub price: Option<MoneyDoc>,
    /// The supply price (the fully managed column).
    pub supply_price: Option<MoneyDoc>,
    /// Days a sold unit waited in its warehouse (the server assumes 30).
    pub inventory_age_days: u32,
    /// The running promotion as the engine prices it: `{"kind": {"percent_off":
    /// {"percent_bp": 2000}} | {"voucher": {"amount": Money}} | {"platform_subsidy":
    /// {"amount": Money}} | {"free_shipping_over": {"threshold": Money}}, "starts", "ends"}`.
    #[schema(value_type = Option<Object>)]
    pub promotion: Option<serde_json::Value>,
    /// The margin the suggested price aims at (the server uses 2000 = 20 %).
    pub target_margin_bp: u32,
    #[schema(format = DateTime)]
    pub now: String,
    /// Absent: the market's reference destination in the pricing rules.
    #[schema(value_type = Option<Object>)]
    pub destination: Option<serde_json::Value>,
    /// The warehouses the listing's stock is in (absent when none).
    pub warehouses: Option<Vec<String>>,
}

/// The SKU as the pricing engine reads it.
#[derive(ToSchema)]
#[schema(as = PricingSku)]
pub struct PricingSkuDoc {
    pub weight_g: u32,
    pub dims_mm: [u32; 3],
    pub category: String,
    /// The consolidation warehouse in China the seller delivers to.
    pub origin: String,
    pub cost_of_goods: MoneyDoc,
}

/// Every fulfilment mode side by side in one market (`crossdock_core::pricing::SideBySide`).
#[derive(ToSchema)]
#[schema(as = SideBySide)]
pub struct SideBySideDoc {
    pub market: String,
    pub currency: CurrencyDoc,
    pub pricing_version: String,
    pub network_version: String,
    /// fully_managed, semi_managed, platform_local.
    pub columns: Vec<ModeColumnDoc>,
}

/// One mode: `status` "priced" with `pricing`, or "unavailable" with `error` (crates/core's
/// `PricingError`, tagged by `code`) and `message`.
#[derive(ToSchema)]
#[schema(as = ModeColumn)]
pub struct ModeColumnDoc {
    pub mode: ModeDoc,
    pub status: String,
    pub pricing: Option<ModePricingDoc>,
    #[schema(value_type = Option<Object>)]
    pub error: Option<serde_json::Value>,
    pub message: Option<String>,
}

/// One mode's pricing (`crossdock_core::pricing::ModePricing`).
#[derive(ToSchema)]
#[schema(as = ModePricing)]
pub struct ModePricingDoc {
    pub mode: ModeDoc,
    pub market: String,
    pub currency: CurrencyDoc,
    /// retail_price or supply_price.
    pub seller_sets: String,
    /// The price the seller sets: the shown price, or the supply price.
    pub seller_price: MoneyDoc,
    /// The shopper's price before promotion (the platform's under fully managed).
    pub list_price: MoneyDoc,
    /// What the shopper pays for the item, promotion applied.
    pub shopper_pays: MoneyDoc,
    /// The delivery fee the shopper pays on a one-unit order.
    pub delivery_fee: MoneyDoc,
    /// The warehouse priced: the one the platform would ship from.
    pub warehouse: String,
    pub warehouse_name: String,
    pub delivery: PricingDeliveryDoc,
    pub seller: PricingSideDoc,
    /// Fully managed only: the platform's side of the sale.
    pub platform: Option<PricingSideDoc>,
    /// How VAT applies: `{"treatment": "included" | "added_at_checkout", "rate_bp", "vat"}`
    /// or `{"treatment": "waived", "below"}`.
    #[schema(value_type = Object)]
    pub vat: serde_json::Value,
    /// How duty was worked out: `{"date", "rule_from", "rule_to"?, "value", "treatment":
    /// {"kind": "exempt" | "flat" | "ad_valorem", …}, "duty", "note"}`.
    #[schema(value_type = Object)]
    pub duty: serde_json::Value,
    /// What the promotion does, when there is one.
    pub promotion: Option<PromotionEffectDoc>,
    /// The lowest price at which the margin (without promotion) is not negative.
    pub break_even: Option<MoneyDoc>,
    /// The lowest price point reaching the target margin (without promotion).
    pub suggested: Option<MoneyDoc>,
    pub target_margin_bp: u32,
    pub warnings: Vec<PricingWarningDoc>,
}

/// The delivery window a shopper at the market's reference destination would be promised.
#[derive(ToSchema)]
#[schema(as = PricingDelivery)]
pub struct PricingDeliveryDoc {
    pub destination: String,
    pub zone: String,
    #[schema(format = Date)]
    pub today: String,
    pub window: WindowDoc,
    #[schema(format = DateTime)]
    pub cutoff: String,
    pub ships_from: String,
    pub ships_from_name: String,
}

/// One party's side of a sale: lines adding up to the margin exactly.
#[derive(ToSchema)]
#[schema(as = PricingSide)]
pub struct PricingSideDoc {
    pub lines: Vec<PricingLineDoc>,
    /// Income after promotion and VAT: the base of `margin_bp`.
    pub revenue_ex_vat: MoneyDoc,
    pub margin: MoneyDoc,
    pub margin_in_cost_currency: MoneyDoc,
    /// Margin ÷ revenue ex VAT in basis points, rounded down.
    pub margin_bp: Option<i64>,
}

/// One line of a breakdown: income positive, costs negative.
#[derive(ToSchema)]
#[schema(as = PricingLine)]
pub struct PricingLineDoc {
    /// price, supply_price, promotion, delivery_fee, free_shipping, vat, cost_of_goods,
    /// inbound_delivery, sea_freight, air_freight, receiving, storage, handling,
    /// customs_clearance, last_mile, commission, payment_fee, duty.
    pub kind: String,
    pub label: String,
    pub amount: MoneyDoc,
    /// The same amount in the seller's cost currency.
    pub in_cost_currency: MoneyDoc,
}

/// What a promotion does to the sale.
#[derive(ToSchema)]
#[schema(as = PromotionEffect)]
pub struct PromotionEffectDoc {
    pub running: bool,
    pub seller_cost: MoneyDoc,
    pub platform_cost: MoneyDoc,
    pub margin_before: MoneyDoc,
    /// Margin with it minus margin without it: never above zero.
    pub margin_impact: MoneyDoc,
}

/// A warning of the pricing engine, with its sentence.
#[derive(ToSchema)]
#[schema(as = PricingWarning)]
pub struct PricingWarningDoc {
    /// negative_margin, promotion_makes_margin_negative, promotion_not_running,
    /// platform_margin_negative, target_margin_unreachable, break_even_above_limit,
    /// duty_rule_assumed, aged_inventory_surcharge.
    pub code: String,
    pub message: String,
    #[schema(format = Date)]
    pub date: Option<String>,
    #[schema(format = Date)]
    pub rule_from: Option<String>,
    pub days: Option<u32>,
}
