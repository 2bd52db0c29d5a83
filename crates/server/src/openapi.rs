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
    )),
    modifiers(&SessionSecurity),
    tags(
        (name = "catalog", description = "Listings, pictures and sellers"),
        (name = "cart", description = "Quotes for the cart"),
        (name = "platform", description = "The network file and health"),
        (name = "seller", description = "The seller panel: sign-in and session (cookie + CSRF token)"),
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
    /// too_many_requests, internal, unavailable.
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
