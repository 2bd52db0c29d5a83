//! The catalog: `GET /api/listings`, `GET /api/listings/{id}` and `POST /api/quote`.
//! A listing carries what the engine needs (weight, size, category, mode, stock per
//! warehouse, capped) so the browser estimates delivery itself; only the delivery zone is
//! ever sent, never the postal code.

use crossdock_core::engine::{Listing, StockLine, Window};
use crossdock_core::{Mode, Money};
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::http::{get_text, post_json};

/// A picture: a same-origin URL and its alternative text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Pic {
    pub url: String,
    #[serde(default)]
    pub alt: String,
}

/// A seller, as a listing names it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SellerRef {
    pub id: String,
    pub name: String,
}

/// The promotion running now.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PromotionNow {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub percent_off: u32,
}

/// Average stars, in tenths, and how many ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Rating {
    pub average_tenths: u32,
    pub count: u64,
}

/// A listing as a card shows it, with what the engine needs to estimate its delivery.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ListingSummary {
    pub id: i64,
    pub title: String,
    #[serde(default)]
    pub brand: String,
    pub category: String,
    #[serde(default)]
    pub category_name: String,
    pub mode: Mode,
    #[serde(default)]
    pub seller: Option<SellerRef>,
    #[serde(default)]
    pub image: Option<Pic>,
    /// Price of one unit now in the market's currency (VAT included where the market
    /// shows prices with VAT); the engine's `unit_price`.
    pub price: Money,
    /// The regular price while a promotion lowers it (struck through).
    #[serde(default)]
    pub list_price: Option<Money>,
    #[serde(default)]
    pub promotion: Option<PromotionNow>,
    pub weight_g: u32,
    pub dims_mm: [u32; 3],
    /// Units per warehouse, capped by the server (exact counts are the seller's business).
    #[serde(default)]
    pub stock: Vec<StockLine>,
    /// "in_stock", "low_stock" or "sold_out".
    #[serde(default)]
    pub availability: String,
    #[serde(default)]
    pub rating: Option<Rating>,
}

impl ListingSummary {
    /// Units on hand across every warehouse (capped figures).
    pub fn units(&self) -> u32 {
        self.stock
            .iter()
            .fold(0u32, |acc, s| acc.saturating_add(s.quantity))
    }

    /// Whether nothing can be ordered.
    pub fn sold_out(&self) -> bool {
        self.availability == "sold_out" || self.units() == 0
    }

    /// What the engine needs.
    pub fn engine_listing(&self) -> Listing {
        Listing {
            weight_g: self.weight_g,
            dims_mm: self.dims_mm,
            category: self.category.clone(),
            mode: self.mode,
            stock: self.stock.clone(),
            unit_price: Some(self.price),
        }
    }
}

/// One page of search results.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ListingPage {
    pub items: Vec<ListingSummary>,
    pub total: u32,
    pub page: u32,
    pub per_page: u32,
}

/// A named attribute ("Material": "Aluminium").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Attribute {
    pub name: String,
    pub value: String,
}

/// A seller's public profile, as the listing page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SellerProfile {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub legal_name: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub country: String,
}

/// A promotion of the listing in the market.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Promotion {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub running: bool,
}

/// Everything the listing page shows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "DetailWire")]
pub struct ListingDetail {
    pub summary: ListingSummary,
    pub description: String,
    pub attributes: Vec<Attribute>,
    pub images: Vec<Pic>,
    pub seller_profile: Option<SellerProfile>,
    pub promotions: Vec<Promotion>,
}

/// The listing page's JSON: the summary's fields and the page's own, side by side (read
/// without `#[serde(flatten)]`, which costs the wasm a buffered second pass).
#[derive(Deserialize)]
struct DetailWire {
    id: i64,
    title: String,
    #[serde(default)]
    brand: String,
    category: String,
    #[serde(default)]
    category_name: String,
    mode: Mode,
    #[serde(default)]
    seller: Option<SellerRef>,
    #[serde(default)]
    image: Option<Pic>,
    price: Money,
    #[serde(default)]
    list_price: Option<Money>,
    #[serde(default)]
    promotion: Option<PromotionNow>,
    weight_g: u32,
    dims_mm: [u32; 3],
    #[serde(default)]
    stock: Vec<StockLine>,
    #[serde(default)]
    availability: String,
    #[serde(default)]
    rating: Option<Rating>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    attributes: Vec<Attribute>,
    #[serde(default)]
    images: Vec<Pic>,
    #[serde(default)]
    seller_profile: Option<SellerProfile>,
    #[serde(default)]
    promotions: Vec<Promotion>,
}

impl From<DetailWire> for ListingDetail {
    fn from(w: DetailWire) -> ListingDetail {
        ListingDetail {
            summary: ListingSummary {
                id: w.id,
                title: w.title,
                brand: w.brand,
                category: w.category,
                category_name: w.category_name,
                mode: w.mode,
                seller: w.seller,
                image: w.image,
                price: w.price,
                list_price: w.list_price,
                promotion: w.promotion,
                weight_g: w.weight_g,
                dims_mm: w.dims_mm,
                stock: w.stock,
                availability: w.availability,
                rating: w.rating,
            },
            description: w.description,
            attributes: w.attributes,
            images: w.images,
            seller_profile: w.seller_profile,
            promotions: w.promotions,
        }
    }
}

/// One cart line for `POST /api/quote`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuoteLineAsk {
    pub listing_id: i64,
    pub quantity: u32,
}

/// What `POST /api/quote` is asked: the cart's lines, the market and the zone (never
/// the postal code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuoteAsk<'a> {
    pub market: &'a str,
    pub zone: &'a str,
    /// The instant the browser estimated with (RFC 3339), so both answers compare.
    pub now: String,
    pub lines: Vec<QuoteLineAsk>,
}

/// The platform's plan, as far as the cart needs it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlanWindow {
    pub window: Window,
}

/// The engine's quote, as far as the cart needs it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct QuoteWindow {
    #[serde(default)]
    pub plan: Option<PlanWindow>,
}

/// One re-checked line.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct QuoteLine {
    pub listing_id: i64,
    pub quantity: u32,
    pub unit_price: Money,
    #[serde(default)]
    pub availability: String,
    /// What the server gave its engine (capped stock included).
    pub engine_input: Listing,
    pub quote: QuoteWindow,
}

/// The server's answer: today's prices and stock, and its engine's plan per line.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct QuoteAnswer {
    pub lines: Vec<QuoteLine>,
}

/// Searches the catalog; `query` is the query string built by
/// [`crate::model::search::SearchQuery::api_query`].
pub async fn fetch_listings(query: &str) -> Result<ListingPage, ApiError> {
    let text = get_text(&format!("/api/listings?{query}")).await?;
    serde_json::from_str(&text).map_err(|e| ApiError::Invalid(e.to_string()))
}

/// One listing, priced for `market`.
pub async fn fetch_listing(id: i64, market: &str) -> Result<ListingDetail, ApiError> {
    let text = get_text(&format!(
        "/api/listings/{id}?market={}",
        crate::model::query::encode_component(market)
    ))
    .await?;
    serde_json::from_str(&text).map_err(|e| ApiError::Invalid(e.to_string()))
}

/// The server's quote for the cart.
pub async fn post_quote(ask: &QuoteAsk<'_>) -> Result<QuoteAnswer, ApiError> {
    let body = serde_json::to_string(ask).map_err(|e| ApiError::Invalid(e.to_string()))?;
    let text = post_json("/api/quote", &body).await?;
    serde_json::from_str(&text).map_err(|e| ApiError::Invalid(e.to_string()))
}
