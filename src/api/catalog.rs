//! The catalog: `GET /api/listings`, `GET /api/listings/{id}` and `POST /api/quote`.
//! A listing carries what the engine needs (weight, size, category, mode, stock per
//! warehouse, capped) so the browser estimates delivery itself; only the delivery zone is
//! ever sent, never the postal code.
//!
//! Answers are read with `crossdock_core::json`, not serde: the `json_struct!` lists at the
//! end of each type name the keys read (`#[default]`: may be missing), and every reader is
//! lenient, skipping what the server adds. Shapes: `crates/server/src/dto.rs`.

use crossdock_core::engine::{Listing, StockLine, Window};
use crossdock_core::json::{self, FromJson, JsonError, Path, Value};
use crossdock_core::pricing::PromotionKind;
use crossdock_core::{Mode, Money, json_struct};

use super::ApiError;
use super::http::{get_text, post_json};

/// A picture: a same-origin URL and its alternative text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pic {
    pub url: String,
    pub alt: String,
}

json_struct!(lenient Pic { url, #[default] alt });

/// A seller, as a listing names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerRef {
    pub id: String,
    pub name: String,
}

json_struct!(lenient SellerRef { id, name });

/// The promotion running now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionNow {
    pub label: String,
    pub percent_off: u32,
    /// A voucher: off the shopper's order line of this item, once (the unit price stays).
    pub voucher: Option<Money>,
    /// Free shipping: an order line of this item worth at least this pays no delivery fee.
    pub free_shipping_over: Option<Money>,
}

json_struct!(lenient PromotionNow {
    #[default] label,
    #[default] percent_off,
    #[default] voucher,
    #[default] free_shipping_over,
});

impl PromotionNow {
    /// What it does to an order line beyond the unit price, for crates/core's
    /// `OrderLine` (the server's quote applies the same).
    pub fn effect(&self) -> Option<PromotionKind> {
        match (self.voucher, self.free_shipping_over) {
            (Some(amount), _) => Some(PromotionKind::Voucher { amount }),
            (None, Some(threshold)) => Some(PromotionKind::FreeShippingOver { threshold }),
            (None, None) => None,
        }
    }
}

/// Average stars, in tenths, and how many ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rating {
    pub average_tenths: u32,
    pub count: u64,
}

json_struct!(lenient Rating { average_tenths, count });

/// A listing as a card shows it, with what the engine needs to estimate its delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct ListingSummary {
    pub id: i64,
    pub title: String,
    pub brand: String,
    pub category: String,
    pub category_name: String,
    pub mode: Mode,
    pub seller: Option<SellerRef>,
    pub image: Option<Pic>,
    /// Price of one unit now in the market's currency (VAT included where the market
    /// shows prices with VAT); the engine's `unit_price`.
    pub price: Money,
    /// The regular price while a promotion lowers it (struck through).
    pub list_price: Option<Money>,
    pub promotion: Option<PromotionNow>,
    pub weight_g: u32,
    pub dims_mm: [u32; 3],
    /// Units per warehouse, capped by the server (exact counts are the seller's business).
    pub stock: Vec<StockLine>,
    /// "in_stock", "low_stock" or "sold_out".
    pub availability: String,
    pub rating: Option<Rating>,
}

json_struct!(lenient ListingSummary {
    id,
    title,
    #[default] brand,
    category,
    #[default] category_name,
    mode,
    #[default] seller,
    #[default] image,
    price,
    #[default] list_price,
    #[default] promotion,
    weight_g,
    dims_mm,
    #[default] stock,
    #[default] availability,
    #[default] rating,
});

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
#[derive(Debug, Clone, PartialEq)]
pub struct ListingPage {
    pub items: Vec<ListingSummary>,
    pub total: u32,
    pub page: u32,
    pub per_page: u32,
}

json_struct!(lenient ListingPage { items, total, page, per_page });

/// A named attribute ("Material": "Aluminium").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    pub value: String,
}

json_struct!(lenient Attribute { name, value });

/// A seller's public profile, as the listing page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerProfile {
    pub id: String,
    pub name: String,
    pub legal_name: String,
    pub city: String,
    pub country: String,
}

json_struct!(lenient SellerProfile {
    id,
    name,
    #[default] legal_name,
    #[default] city,
    #[default] country,
});

/// A promotion of the listing in the market.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promotion {
    pub label: String,
    pub running: bool,
}

json_struct!(lenient Promotion { #[default] label, #[default] running });

/// Everything the listing page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ListingDetail {
    pub summary: ListingSummary,
    pub description: String,
    pub attributes: Vec<Attribute>,
    pub images: Vec<Pic>,
    pub seller_profile: Option<SellerProfile>,
    pub promotions: Vec<Promotion>,
}

/// The listing page's JSON is the summary's fields and the page's own side by side; the
/// summary reads the first and skips the others.
impl FromJson for ListingDetail {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<ListingDetail, JsonError> {
        let summary = ListingSummary::from_json(v, path)?;
        let o = v.as_object(path, &[], false)?;
        Ok(ListingDetail {
            summary,
            description: o.or_default(path, "description")?,
            attributes: o.or_default(path, "attributes")?,
            images: o.or_default(path, "images")?,
            seller_profile: o.or_default(path, "seller_profile")?,
            promotions: o.or_default(path, "promotions")?,
        })
    }
}

/// One cart line for `POST /api/quote`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteLineAsk {
    pub listing_id: i64,
    pub quantity: u32,
}

/// What `POST /api/quote` is asked: the cart's lines, the market and the zone (never
/// the postal code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteAsk<'a> {
    pub market: &'a str,
    pub zone: &'a str,
    /// The instant the browser estimated with (RFC 3339), so both answers compare.
    pub now: String,
    pub lines: Vec<QuoteLineAsk>,
}

impl QuoteAsk<'_> {
    /// The request body: `{"market":…,"zone":…,"now":…,"lines":[{"listing_id":…,"quantity":…}]}`.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"market\":");
        json::write_str(&mut out, self.market);
        out.push_str(",\"zone\":");
        json::write_str(&mut out, self.zone);
        out.push_str(",\"now\":");
        json::write_str(&mut out, &self.now);
        out.push_str(",\"lines\":[");
        for (i, line) in self.lines.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&format!(
                "{{\"listing_id\":{},\"quantity\":{}}}",
                line.listing_id, line.quantity
            ));
        }
        out.push_str("]}");
        out
    }
}

/// The platform's plan, as far as the cart needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanWindow {
    pub window: Window,
}

json_struct!(lenient PlanWindow { window });

/// The engine's quote, as far as the cart needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteWindow {
    pub plan: Option<PlanWindow>,
}

json_struct!(lenient QuoteWindow { #[default] plan });

/// One re-checked line.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteLine {
    pub listing_id: i64,
    pub quantity: u32,
    pub unit_price: Money,
    /// The promotion running at the instant quoted.
    pub promotion: Option<PromotionNow>,
    /// What the shopper pays for the line (after a voucher).
    pub line_total: Option<Money>,
    pub availability: String,
    /// What the server gave its engine (capped stock included).
    pub engine_input: Listing,
    pub quote: QuoteWindow,
}

json_struct!(lenient QuoteLine {
    listing_id,
    quantity,
    unit_price,
    #[default] promotion,
    #[default] line_total,
    #[default] availability,
    engine_input,
    quote,
});

/// The server's answer: today's prices and stock, and its engine's plan per line.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteAnswer {
    pub lines: Vec<QuoteLine>,
}

json_struct!(lenient QuoteAnswer { lines });

/// Searches the catalog; `query` is the query string built by
/// [`crate::model::search::SearchQuery::api_query`].
pub async fn fetch_listings(query: &str) -> Result<ListingPage, ApiError> {
    let text = get_text(&format!("/api/listings?{query}")).await?;
    decode(&text)
}

/// One listing, priced for `market`.
pub async fn fetch_listing(id: i64, market: &str) -> Result<ListingDetail, ApiError> {
    let text = get_text(&format!(
        "/api/listings/{id}?market={}",
        crate::model::query::encode_component(market)
    ))
    .await?;
    decode(&text)
}

/// The server's quote for the cart.
pub async fn post_quote(ask: &QuoteAsk<'_>) -> Result<QuoteAnswer, ApiError> {
    let text = post_json("/api/quote", &ask.to_json()).await?;
    decode(&text)
}

/// Reads an answer of the server.
fn decode<T: FromJson>(text: &str) -> Result<T, ApiError> {
    json::from_str(text).map_err(|e| ApiError::Invalid(e.to_string()))
}

/// Lets native tests elsewhere (the listing page's JSON-LD test) read a listing with
/// serde_json; the storefront itself reads it with [`FromJson`].
#[cfg(test)]
impl<'de> serde::Deserialize<'de> for ListingDetail {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
        json::from_str(&v.to_string()).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use crossdock_core::engine::{Destination, quote};
    use crossdock_core::sample::sample_listings;
    use crossdock_core::{Date, Instant};
    use serde_json::json;

    use super::*;
    use crate::model::test_network;

    fn usd(minor: i64) -> serde_json::Value {
        json!({"minor": minor, "currency": "USD", "exponent": 2})
    }

    /// A listing as `crates/server/src/dto.rs` writes it, with every field it sends.
    fn summary_json() -> serde_json::Value {
        json!({
            "id": 42,
            "title": "Aluminium desk lamp",
            "brand": "Lumo",
            "category": "lighting",
            "category_name": "Lighting",
            "mode": "semi_managed",
            "seller": {"id": "s-lumo", "name": "Lumo Lighting"},
            "image": {"url": "/api/listings/42/images/1-3f2a.svg", "alt": "Aluminium desk lamp", "width": 640, "height": 640},
            "price": usd(2999),
            "list_price": usd(3999),
            "promotion": {"kind": "seasonal_sale", "label": "Winter sale", "percent_off": 25, "ends_at": "2026-12-01T00:00:00Z"},
            "weight_g": 900,
            "dims_mm": [300, 200, 150],
            "stock": [{"warehouse": "us-west-3pl", "quantity": 10}, {"warehouse": "us-east-3pl", "quantity": 2}],
            "availability": "in_stock",
            "rating": {"average_tenths": 46, "count": 120},
            "listed_at": "2026-10-01T08:00:00Z",
            "delivery": {
                "earliest": "2026-11-05", "latest": "2026-11-07", "probability_bp": 9700,
                "cutoff": "2026-11-02T21:00:00Z", "ships_from": "us-west-3pl", "parts": 1
            }
        })
    }

    fn expected_summary() -> ListingSummary {
        let money = |minor: i64| {
            let v = json::parse(&usd(minor).to_string()).unwrap();
            Money::from_json(&v, &Path::Root).unwrap()
        };
        ListingSummary {
            id: 42,
            title: "Aluminium desk lamp".into(),
            brand: "Lumo".into(),
            category: "lighting".into(),
            category_name: "Lighting".into(),
            mode: Mode::SemiManaged,
            seller: Some(SellerRef {
                id: "s-lumo".into(),
                name: "Lumo Lighting".into(),
            }),
            image: Some(Pic {
                url: "/api/listings/42/images/1-3f2a.svg".into(),
                alt: "Aluminium desk lamp".into(),
            }),
            price: money(2999),
            list_price: Some(money(3999)),
            promotion: Some(PromotionNow {
                label: "Winter sale".into(),
                percent_off: 25,
                voucher: None,
                free_shipping_over: None,
            }),
            weight_g: 900,
            dims_mm: [300, 200, 150],
            stock: vec![
                StockLine {
                    warehouse: "us-west-3pl".into(),
                    quantity: 10,
                },
                StockLine {
                    warehouse: "us-east-3pl".into(),
                    quantity: 2,
                },
            ],
            availability: "in_stock".into(),
            rating: Some(Rating {
                average_tenths: 46,
                count: 120,
            }),
        }
    }

    #[test]
    fn a_page_of_listings_reads_as_the_server_writes_it() {
        let mut bare = summary_json();
        for key in ["list_price", "promotion", "rating", "delivery"] {
            bare[key] = serde_json::Value::Null;
        }
        bare["id"] = json!(43);
        let text = json!({
            "items": [summary_json(), bare],
            "total": 2,
            "page": 1,
            "per_page": 24,
            "market": "US",
            "zone": "us-pac",
            "now": "2026-11-02T10:00:00Z",
            "facets": {
                "category": [{"id": "lighting", "name": "Lighting", "count": 2}],
                "mode": [{"id": "semi_managed", "name": "Semi-managed", "count": 2}]
            }
        })
        .to_string();
        let page: ListingPage = decode(&text).unwrap();
        assert_eq!((page.total, page.page, page.per_page), (2, 1, 24));
        assert_eq!(page.items[0], expected_summary());
        let second = &page.items[1];
        assert_eq!(second.id, 43);
        assert_eq!(
            (second.list_price, &second.promotion, second.rating),
            (None, &None, None)
        );
        assert_eq!(second.units(), 12);
    }

    #[test]
    fn a_listing_page_reads_the_summary_and_its_own_fields() {
        let mut v = summary_json();
        let own = json!({
            "sku": "LUMO-DL-1",
            "description": "Bright.\n\n• Warm light",
            "attributes": [{"name": "Material", "value": "Aluminium"}],
            "images": [
                {"url": "/api/listings/42/images/1-3f2a.svg", "alt": "Aluminium desk lamp", "width": 640, "height": 640},
                {"url": "/api/listings/42/images/2-3f2a.svg", "alt": "Aluminium desk lamp — close-up", "width": 640, "height": 640}
            ],
            "seller_profile": {
                "id": "s-lumo", "name": "Lumo Lighting", "legal_name": "Ningbo Lumo Co., Ltd.",
                "kind": "factory", "city": "Ningbo", "province": "Zhejiang", "country": "CN",
                "founded_year": 2011, "joined_on": "2023-04-01", "about": "Lamps.",
                "rating": {"average_tenths": 47, "count": 900},
                "warehouses": [{"id": "us-west-3pl", "name": "LA 3PL", "city": "Ontario, CA", "market": "US"}]
            },
            "promotions": [{
                "kind": "seasonal_sale", "label": "Winter sale", "price": usd(2999), "percent_off": 25,
                "starts_at": "2026-11-01T00:00:00Z", "ends_at": "2026-12-01T00:00:00Z", "running": true
            }],
            "markets": ["US", "DE"]
        });
        for (k, x) in own.as_object().unwrap() {
            v[k] = x.clone();
        }
        let d: ListingDetail = decode(&v.to_string()).unwrap();
        assert_eq!(d.summary, expected_summary());
        assert_eq!(d.description, "Bright.\n\n• Warm light");
        assert_eq!(
            d.attributes,
            [Attribute {
                name: "Material".into(),
                value: "Aluminium".into()
            }]
        );
        assert_eq!(d.images.len(), 2);
        assert_eq!(d.images[1].alt, "Aluminium desk lamp — close-up");
        assert_eq!(
            d.seller_profile,
            Some(SellerProfile {
                id: "s-lumo".into(),
                name: "Lumo Lighting".into(),
                legal_name: "Ningbo Lumo Co., Ltd.".into(),
                city: "Ningbo".into(),
                country: "CN".into(),
            })
        );
        assert_eq!(
            d.promotions,
            [Promotion {
                label: "Winter sale".into(),
                running: true
            }]
        );
        // The page's own fields may be missing.
        let d: ListingDetail = decode(&summary_json().to_string()).unwrap();
        assert_eq!((d.description.as_str(), d.images.len()), ("", 0));
        assert_eq!(d.seller_profile, None);
    }

    #[test]
    fn a_quote_answer_reads_the_engines_own_quote() {
        let net = test_network();
        let dest = Destination {
            market: "US".into(),
            postal_code: None,
            zone: Some("us-pac".into()),
        };
        let now = Instant::parse("2026-11-02T10:00:00Z").unwrap();
        let (listing, q) = sample_listings(&net, 40, 7)
            .into_iter()
            .find_map(|l| {
                let req = crossdock_core::QuoteRequest {
                    listing: l.clone(),
                    destination: dest.clone(),
                    quantity: 1,
                    now,
                };
                quote(&net, &req)
                    .ok()
                    .filter(|q| q.plan.is_some())
                    .map(|q| (l, q))
            })
            .expect("a listing with a plan");
        let mut no_plan = serde_json::to_value(&q).unwrap();
        no_plan["plan"] = serde_json::Value::Null;
        no_plan["unavailable"] = json!("Sold out everywhere");
        let line = |id: i64, quote: serde_json::Value| {
            json!({
                "listing_id": id, "quantity": 1, "title": "Lamp", "unit_price": usd(2999),
                "list_price": null, "promotion": null, "line_total": usd(2999),
                "availability": "in_stock", "engine_input": serde_json::to_value(&listing).unwrap(),
                "quote": quote
            })
        };
        let text = json!({
            "market": "US", "zone": "us-pac", "now": "2026-11-02T10:00:00Z",
            "network_version": net.version(),
            "lines": [line(42, serde_json::to_value(&q).unwrap()), line(43, no_plan)],
            "subtotal": usd(5998),
            "free_shipping_over": usd(4900)
        })
        .to_string();
        let answer: QuoteAnswer = decode(&text).unwrap();
        let plan = q.plan.as_ref().unwrap();
        assert_eq!(answer.lines.len(), 2);
        assert_eq!(answer.lines[0].engine_input, listing);
        assert_eq!(
            answer.lines[0].quote.plan,
            Some(PlanWindow {
                window: plan.window
            })
        );
        assert_eq!(answer.lines[0].unit_price.minor(), 2999);
        assert_eq!(answer.lines[1].quote.plan, None);
        assert!(plan.window.earliest >= Date::parse("2026-11-02").unwrap());
    }

    #[test]
    fn a_bad_answer_names_the_place() {
        let mut v = json!({"items": [summary_json()], "total": 1, "page": 1, "per_page": 24});
        v["items"][0]["price"]["minor"] = json!("29.99");
        let e = decode::<ListingPage>(&v.to_string()).unwrap_err();
        let ApiError::Invalid(why) = &e else {
            panic!("{e:?}")
        };
        assert!(
            why.starts_with(
                "items[0].price.minor: expected a whole number, found the string \"29.99\" at line 1 column"
            ),
            "{why}"
        );
        let e = decode::<ListingPage>(r#"{"items": [], "total": 1, "page": 1}"#).unwrap_err();
        assert_eq!(
            e,
            ApiError::Invalid("missing field `per_page` at line 1 column 1".into())
        );
    }

    #[test]
    fn the_quote_body_is_json_the_server_reads() {
        let ask = QuoteAsk {
            market: "US",
            zone: "us-\"pac\"\\",
            now: "2026-11-02T10:00:00Z".into(),
            lines: vec![
                QuoteLineAsk {
                    listing_id: 42,
                    quantity: 2,
                },
                QuoteLineAsk {
                    listing_id: -1,
                    quantity: 10,
                },
            ],
        };
        let v: serde_json::Value = serde_json::from_str(&ask.to_json()).unwrap();
        assert_eq!(
            v,
            json!({
                "market": "US",
                "zone": "us-\"pac\"\\",
                "now": "2026-11-02T10:00:00Z",
                "lines": [{"listing_id": 42, "quantity": 2}, {"listing_id": -1, "quantity": 10}]
            })
        );
        let empty = QuoteAsk {
            lines: vec![],
            ..ask
        };
        assert_eq!(
            empty.to_json(),
            r#"{"market":"US","zone":"us-\"pac\"\\","now":"2026-11-02T10:00:00Z","lines":[]}"#
        );
    }
}
