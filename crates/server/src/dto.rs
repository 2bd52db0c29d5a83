//! The public JSON shapes of the catalog API, and how a listing becomes one.
//!
//! Money is serialised as `crossdock_core` does it: `{"minor": 1999, "currency": "USD",
//! "exponent": 2}` (KRW has exponent 0). Instants are RFC 3339 UTC strings, dates
//! `YYYY-MM-DD`. Nothing here carries seller-private data: the read model these are built
//! from does not hold it ([`crate::catalog`]).

use crossdock_core::engine::{Listing, Mode, Quote, Window};
use crossdock_core::time::{Date, Instant};
use crossdock_core::{Estimator, Money};
use serde::Serialize;
use utoipa::ToSchema;

use crate::catalog::images::SIZE;
use crate::catalog::{Catalog, ListingRecord, Offer, PromotionRecord, SellerRecord};
#[allow(unused_imports)] // named in `#[schema(value_type = …)]`
use crate::openapi::{EngineListingDoc, ModeDoc, MoneyDoc, QuoteDoc};

/// A page of listings.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListingPage {
    pub items: Vec<ListingSummary>,
    /// Listings matching the query in all pages.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub market: String,
    /// The zone the delivery estimates and the `arrives_by` filter used, when one was
    /// given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// The instant prices, promotions and delivery estimates are as of.
    #[schema(value_type = String, format = DateTime)]
    pub now: Instant,
    /// Counts per category and per mode for the query, each ignoring its own filter.
    pub facets: Facets,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Facets {
    pub category: Vec<FacetCount>,
    pub mode: Vec<FacetCount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacetCount {
    pub id: String,
    pub name: String,
    pub count: u64,
}

/// A listing as a storefront card needs it: enough to estimate delivery in the browser
/// with `crossdock_core` (`weight_g`, `dims_mm`, `category`, `mode`, `stock` and `price`
/// as the engine's `unit_price`), and to show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListingSummary {
    pub id: i64,
    pub title: String,
    pub brand: String,
    /// A network category id.
    pub category: String,
    pub category_name: String,
    #[schema(value_type = ModeDoc)]
    pub mode: Mode,
    pub seller: SellerRef,
    /// The first picture (never lazy-load it: it is the card's largest content).
    pub image: Picture,
    /// What one unit costs now in the market's currency (the promotional price while a
    /// promotion lowers it; a voucher does not: it comes off the order, see `promotion`),
    /// VAT included where the market shows prices with VAT. The engine's `unit_price`.
    #[schema(value_type = MoneyDoc)]
    pub price: Money,
    /// The regular price, present only while a promotion lowers it (strike it through).
    #[schema(value_type = Option<MoneyDoc>)]
    pub list_price: Option<Money>,
    /// The promotion running now, if any (with its voucher or free-shipping threshold).
    pub promotion: Option<PromotionNow>,
    /// Packed weight of one unit, grams.
    pub weight_g: u32,
    /// Packed length, width and height of one unit, millimetres.
    pub dims_mm: [u32; 3],
    /// Units per warehouse, each capped at 10 (exact counts are the seller's business;
    /// a cart line is limited to 10 units, so the engine decides the same from these).
    pub stock: Vec<StockOut>,
    /// "in_stock", "low_stock" (5 or fewer units can reach this market) or "sold_out".
    pub availability: String,
    pub rating: Option<Rating>,
    #[schema(value_type = String, format = DateTime)]
    pub listed_at: Instant,
    /// The platform's delivery promise for one unit to the requested zone (absent when no
    /// zone was given, `null` when nothing can deliver there).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Delivery>)]
    pub delivery: Option<Option<Delivery>>,
}

/// A listing with everything its page shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListingDetail {
    #[serde(flatten)]
    pub summary: ListingSummary,
    /// The seller's own stock-keeping code.
    pub sku: String,
    /// Plain text; paragraphs separated by blank lines, bullet lines starting with "• ".
    pub description: String,
    pub attributes: Vec<Attribute>,
    pub images: Vec<Picture>,
    pub seller_profile: SellerProfile,
    /// Promotions in this market that run now or are scheduled (ended ones are left out).
    pub promotions: Vec<PromotionOut>,
    /// Markets the listing is sold in.
    pub markets: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SellerRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Picture {
    /// Same-origin URL of an SVG; the file name carries a content hash, so it is cached
    /// as immutable.
    pub url: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StockOut {
    /// A network warehouse id.
    pub warehouse: String,
    /// Units on hand, capped at 10.
    pub quantity: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Rating {
    /// Average in tenths of a star (46 = 4.6 stars).
    pub average_tenths: u32,
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Attribute {
    pub name: String,
    pub value: String,
}

/// The promotion running now.
///
/// `voucher` and `free_shipping_over` mean what crates/core's `pricing::shopper` says,
/// for the storefront, the cart, `POST /api/quote` and the seller's margin alike: both are
/// per order of this item — the voucher comes off the order line once (never more than
/// the line), and an order line of at least the threshold (after any voucher) ships
/// without a delivery fee (in the cart: no fee for the shipment carrying it).
#[derive(Debug, Serialize, ToSchema)]
pub struct PromotionNow {
    /// The seller panel's "percent_off", "voucher", "platform_subsidy",
    /// "free_shipping_over", or the demo catalog's "seasonal_sale", "lightning_deal",
    /// "super_deal", "clearance", "launch_offer".
    pub kind: String,
    pub label: String,
    /// Whole per cent off the regular unit price, rounded to the nearest (0 for a voucher
    /// and free shipping, which leave the unit price alone).
    pub percent_off: u32,
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: Instant,
    /// A voucher: what comes off the shopper's order of this item, once per order line.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<MoneyDoc>)]
    pub voucher: Option<Money>,
    /// Free shipping: an order of this item worth at least this pays no delivery fee.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<MoneyDoc>)]
    pub free_shipping_over: Option<Money>,
}

/// A promotion of the listing in the market.
#[derive(Debug, Serialize, ToSchema)]
pub struct PromotionOut {
    pub kind: String,
    pub label: String,
    /// What one unit costs while it runs (see [`PromotionNow`]).
    #[schema(value_type = MoneyDoc)]
    pub price: Money,
    pub percent_off: u32,
    /// As in [`PromotionNow`].
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<MoneyDoc>)]
    pub voucher: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<MoneyDoc>)]
    pub free_shipping_over: Option<Money>,
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: Instant,
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: Instant,
    /// Whether it runs at the request's instant.
    pub running: bool,
}

/// The delivery promise for one unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    /// First and last delivery date of the promised window, in the zone's time zone.
    #[schema(value_type = String, format = Date)]
    pub earliest: Date,
    #[schema(value_type = String, format = Date)]
    pub latest: Date,
    /// Share of deliveries inside the window, basis points (9700 = 97 %).
    pub probability_bp: u32,
    /// Order before this instant to keep the window.
    #[schema(value_type = String, format = DateTime)]
    pub cutoff: Instant,
    /// Warehouse the (first) shipment leaves from, a network id.
    pub ships_from: String,
    /// Shipments the order is split into (1 unless no warehouse has the quantity).
    pub parts: u32,
}

/// A seller's public profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct SellerProfile {
    pub id: String,
    /// Shop name.
    pub name: String,
    /// The registered company (shown as marketplaces must show traders).
    pub legal_name: String,
    /// "factory", "brand" or "trading company".
    pub kind: String,
    pub city: String,
    pub province: String,
    /// ISO 3166 country code.
    pub country: String,
    pub founded_year: i64,
    #[schema(value_type = String, format = Date)]
    pub joined_on: Date,
    pub about: String,
    pub rating: Rating,
    /// Overseas warehouses the seller ships semi-managed orders from.
    pub warehouses: Vec<WarehouseRef>,
}

/// A seller's page: the profile and what it sells.
#[derive(Debug, Serialize, ToSchema)]
pub struct SellerPage {
    #[serde(flatten)]
    pub profile: SellerProfile,
    pub listing_count: u64,
    /// Categories with how many listings in each.
    pub categories: Vec<FacetCount>,
    /// Markets it sells in.
    pub markets: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WarehouseRef {
    pub id: String,
    pub name: String,
    pub city: String,
    pub market: Option<String>,
}

/// The answer to `POST /api/quote`.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteResponse {
    pub market: String,
    pub zone: String,
    #[schema(value_type = String, format = DateTime)]
    pub now: Instant,
    pub network_version: String,
    pub lines: Vec<QuoteLine>,
    /// Sum of the lines' totals at today's prices (after vouchers).
    #[schema(value_type = MoneyDoc)]
    pub subtotal: Money,
    /// Carts worth at least this ship free in the market, if it has such a threshold.
    #[schema(value_type = Option<MoneyDoc>)]
    pub free_shipping_over: Option<Money>,
}

/// One cart line, re-priced and routed.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteLine {
    pub listing_id: i64,
    pub quantity: u32,
    pub title: String,
    /// One unit now (promotional price while a promotion runs).
    #[schema(value_type = MoneyDoc)]
    pub unit_price: Money,
    #[schema(value_type = Option<MoneyDoc>)]
    pub list_price: Option<Money>,
    pub promotion: Option<PromotionNow>,
    /// The running promotion's voucher as taken off this line: once, at most the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<MoneyDoc>)]
    pub voucher_off: Option<Money>,
    /// `unit_price × quantity − voucher_off`: what the shopper pays for the line.
    #[schema(value_type = MoneyDoc)]
    pub line_total: Money,
    /// Whether the running free-shipping promotion waives the delivery fee of this line
    /// (its `line_total` reaches `promotion.free_shipping_over`): the cart charges no fee
    /// for the shipments carrying it.
    pub ships_free: bool,
    pub availability: String,
    /// Exactly what was given to the engine: the public listing's weight, size, category,
    /// mode, capped stock, and `unit_price`.
    #[schema(value_type = EngineListingDoc)]
    pub engine_input: Listing,
    /// The engine's answer: every route with its verdict and the platform's plan. While
    /// a voucher or free-shipping promotion runs, the shopper's delivery fee on the plan
    /// and the routes is this line's on its own with the promotion applied (crates/core's
    /// `OrderLine::settle_fees`, as the listing page shows it).
    #[schema(value_type = QuoteDoc)]
    pub quote: Quote,
}

/// Whole per cent saved going from `list` to `now`, rounded to the nearest.
pub fn percent_off(list: Money, now: Money) -> u32 {
    let l = i128::from(list.minor());
    let d = l - i128::from(now.minor());
    if l <= 0 || d <= 0 {
        return 0;
    }
    u32::try_from((d * 200 + l) / (2 * l)).unwrap_or(0)
}

pub fn picture(listing: &ListingRecord, version: &str, view: u8) -> Picture {
    let alt = match view {
        1 => listing.title.clone(),
        2 => format!("{} — close-up", listing.title),
        _ => format!("{} — retail box", listing.title),
    };
    Picture {
        url: format!("/api/listings/{}/images/{view}-{version}.svg", listing.id),
        alt,
        width: SIZE,
        height: SIZE,
    }
}

pub fn rating(tenths: u32, count: u64) -> Option<Rating> {
    (count > 0).then_some(Rating {
        average_tenths: tenths,
        count,
    })
}

pub fn promotion_now(offer: &Offer, now: Instant) -> Option<PromotionNow> {
    offer.running(now).map(|p| PromotionNow {
        kind: p.kind.clone(),
        label: p.label.clone(),
        percent_off: percent_off(offer.price, p.price),
        ends_at: p.ends_at,
        voucher: p.voucher,
        free_shipping_over: p.free_shipping_over,
    })
}

pub fn promotion_out(offer: &Offer, p: &PromotionRecord, now: Instant) -> PromotionOut {
    PromotionOut {
        kind: p.kind.clone(),
        label: p.label.clone(),
        price: p.price,
        percent_off: percent_off(offer.price, p.price),
        voucher: p.voucher,
        free_shipping_over: p.free_shipping_over,
        starts_at: p.starts_at,
        ends_at: p.ends_at,
        running: p.runs_at(now),
    }
}

/// The card of `listing` in the market of `offer`.
pub fn summary(
    catalog: &Catalog,
    net: &crossdock_core::Network,
    listing: &ListingRecord,
    offer: &Offer,
    now: Instant,
    estimator: Option<&Estimator<'_>>,
) -> ListingSummary {
    let seller = catalog.seller_of(listing);
    let price = offer.price_at(now);
    let version = listing.picture_version(&catalog.sellers);
    let delivery = estimator.map(|est| delivery(est, listing, price));
    let e = &listing.engine;
    ListingSummary {
        id: listing.id,
        title: listing.title.clone(),
        brand: listing.brand.clone(),
        category: e.category.clone(),
        category_name: category_name(net, &e.category),
        mode: e.mode,
        seller: SellerRef {
            id: seller.map(|s| s.id.clone()).unwrap_or_default(),
            name: seller.map(|s| s.name.clone()).unwrap_or_default(),
        },
        image: picture(listing, &version, 1),
        price,
        list_price: offer.list_price_at(now),
        promotion: promotion_now(offer, now),
        weight_g: e.weight_g,
        dims_mm: e.dims_mm,
        stock: e
            .stock
            .iter()
            .map(|s| StockOut {
                warehouse: s.warehouse.clone(),
                quantity: s.quantity,
            })
            .collect(),
        availability: offer.availability().to_string(),
        rating: rating(listing.rating_tenths, listing.review_count),
        listed_at: listing.listed_at,
        delivery,
    }
}

/// The platform's plan for one unit, from the full engine answer (the same the browser
/// and `POST /api/quote` compute).
fn delivery(est: &Estimator<'_>, listing: &ListingRecord, price: Money) -> Option<Delivery> {
    let quote = est.quote(&listing.engine_listing(Some(price)), 1).ok()?;
    let plan = quote.plan?;
    Some(Delivery {
        earliest: plan.window.earliest,
        latest: plan.window.latest,
        probability_bp: plan.window.probability_bp,
        cutoff: plan.cutoff,
        ships_from: plan
            .parts
            .first()
            .map(|p| p.warehouse.clone())
            .unwrap_or_default(),
        parts: u32::try_from(plan.parts.len()).unwrap_or(1),
    })
}

pub fn category_name(net: &crossdock_core::Network, id: &str) -> String {
    net.file
        .categories
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.name.clone())
        .unwrap_or_else(|| id.to_string())
}

pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::FullyManaged => "Ships from China (fully managed)",
        Mode::SemiManaged => "Seller's local warehouse",
        Mode::PlatformLocal => "Local warehouse — fast",
    }
}

pub fn seller_profile(net: &crossdock_core::Network, s: &SellerRecord) -> SellerProfile {
    SellerProfile {
        id: s.id.clone(),
        name: s.name.clone(),
        legal_name: s.legal_name.clone(),
        kind: s.kind.clone(),
        city: s.city.clone(),
        province: s.province.clone(),
        country: s.country.clone(),
        founded_year: s.founded_year,
        joined_on: s.joined_on,
        about: s.about.clone(),
        rating: Rating {
            average_tenths: s.rating_tenths,
            count: s.review_count,
        },
        warehouses: s
            .warehouses
            .iter()
            .filter_map(|id| net.file.warehouses.iter().find(|w| &w.id == id))
            .map(|w| WarehouseRef {
                id: w.id.clone(),
                name: w.name.clone(),
                city: w.city.clone(),
                market: w.market.clone(),
            })
            .collect(),
    }
}

/// Orders promises: the window that ends first, then starts first.
pub fn window_key(w: &Window) -> (Date, Date) {
    (w.latest, w.earliest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossdock_core::money::{Currency, CurrencyCode};

    #[test]
    fn percent_off_rounds_to_nearest() {
        let usd = Currency {
            code: CurrencyCode::new("USD").unwrap_or(CurrencyCode::XXX),
            exponent: 2,
        };
        let m = |x| Money::from_minor(x, usd);
        assert_eq!(percent_off(m(1999), m(1399)), 30);
        assert_eq!(percent_off(m(1000), m(995)), 1);
        assert_eq!(percent_off(m(1000), m(1000)), 0);
        assert_eq!(percent_off(m(1000), m(1200)), 0);
        assert_eq!(percent_off(m(0), m(0)), 0);
    }
}
