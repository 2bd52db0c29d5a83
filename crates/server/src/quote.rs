//! `POST /api/quote`: the routing engine on the server, for the cart.
//!
//! It runs the same `crossdock_core` code as the browser on the same inputs: the public
//! listing's weight, size, category, mode and capped stock, the unit price the listing
//! shows at `now`, the zone, the quantity and the instant. So for a given `now` the
//! browser's estimate and this answer are identical (see [`crate::catalog`] for why the
//! capped stock changes nothing for quantities up to 10). What may legitimately differ is
//! the catalog itself: a price or stock change between the page load and the cart check
//! is exactly what this endpoint exists to catch.
//!
//! A running voucher or free-shipping promotion is applied to each line as the browser's
//! cart applies it, with the same crates/core code ([`OrderLine`]): the voucher comes off
//! the line once, and a line reaching the free-shipping threshold ships free.

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use crossdock_core::engine::Destination;
use crossdock_core::pricing::OrderLine;
use crossdock_core::{Estimator, Money};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::now_param;
use crate::catalog::MAX_LINE_QUANTITY;
use crate::dto::{QuoteLine, QuoteResponse, promotion_now};
use crate::extract::ApiJson;
use crate::{ApiError, AppState};

/// Most lines one quote takes.
pub const MAX_LINES: usize = 50;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/quote",
        post(quote).layer(DefaultBodyLimit::max(64 * 1024)),
    )
}

/// The cart to quote.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteRequestBody {
    /// Market id ("US", "DE", …).
    pub market: String,
    /// Delivery zone id in that market (the browser maps the postal code to it; the
    /// postal code itself is never sent).
    pub zone: String,
    /// The instant to quote at, RFC 3339 (default: the server's clock). Send the instant
    /// the browser estimated with to compare like with like.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub now: Option<String>,
    /// 1 to 50 lines, each listing at most once.
    pub lines: Vec<QuoteLineIn>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteLineIn {
    pub listing_id: i64,
    /// 1 to 10.
    pub quantity: i64,
}

/// Re-prices a cart and routes every line with the engine.
#[utoipa::path(
    post,
    path = "/api/quote",
    tag = "cart",
    request_body = QuoteRequestBody,
    responses(
        (status = 200, description = "Every line re-priced and routed", body = QuoteResponse),
        (status = 400, description = "The body is not valid JSON", body = crate::openapi::ErrorResponse),
        (status = 413, description = "The body is too large", body = crate::openapi::ErrorResponse),
        (status = 415, description = "The body is not sent as application/json", body = crate::openapi::ErrorResponse),
        (status = 422, description = "A value cannot be used (unknown market, zone or listing, quantity out of range); `field` is its JSON path", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn quote(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<QuoteRequestBody>,
) -> Result<Response, ApiError> {
    let net = state.network.network();
    let market = net
        .file
        .markets
        .iter()
        .find(|m| m.id.eq_ignore_ascii_case(&body.market))
        .ok_or_else(|| {
            ApiError::invalid(
                "market",
                format!(
                    "unknown market \"{}\": use one of {}",
                    body.market,
                    net.file
                        .markets
                        .iter()
                        .map(|m| m.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
    if !market.zones.iter().any(|z| z.id == body.zone) {
        return Err(ApiError::invalid(
            "zone",
            format!(
                "\"{}\" is not a delivery zone of {}: use one of {}",
                body.zone,
                market.id,
                market
                    .zones
                    .iter()
                    .map(|z| z.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let now = now_param(body.now.as_deref()).map_err(|e| match e {
        ApiError::BadRequest { message, .. } => ApiError::invalid("now", message),
        other => other,
    })?;
    if body.lines.is_empty() {
        return Err(ApiError::invalid(
            "lines",
            "lines is empty: add at least one {\"listing_id\", \"quantity\"}",
        ));
    }
    if body.lines.len() > MAX_LINES {
        return Err(ApiError::invalid(
            "lines",
            format!(
                "{} lines is more than {MAX_LINES}: quote the cart in parts",
                body.lines.len()
            ),
        ));
    }
    let catalog = state.catalog.snapshot();
    let est = Estimator::new(
        net,
        &Destination {
            market: market.id.clone(),
            postal_code: None,
            zone: Some(body.zone.clone()),
        },
        now,
    )
    .map_err(|e| ApiError::invalid("zone", e.to_string()))?;
    let currency = net
        .money(0, &market.currency)
        .ok_or_else(|| ApiError::Internal(format!("market {} has no currency", market.id)))?;
    let mut subtotal = currency;
    let mut lines = Vec::with_capacity(body.lines.len());
    for (i, line) in body.lines.iter().enumerate() {
        let field = |name: &str| format!("lines[{i}].{name}");
        if body
            .lines
            .iter()
            .take(i)
            .any(|earlier| earlier.listing_id == line.listing_id)
        {
            return Err(ApiError::invalid(
                field("listing_id"),
                format!(
                    "listing {} appears more than once: merge the lines into one quantity",
                    line.listing_id
                ),
            ));
        }
        let quantity = u32::try_from(line.quantity)
            .ok()
            .filter(|q| (1..=MAX_LINE_QUANTITY).contains(q))
            .ok_or_else(|| {
                ApiError::invalid(
                    field("quantity"),
                    format!(
                        "quantity must be from 1 to {MAX_LINE_QUANTITY} (got {})",
                        line.quantity
                    ),
                )
            })?;
        let listing = catalog.listing(line.listing_id).ok_or_else(|| {
            ApiError::invalid(
                field("listing_id"),
                format!(
                    "listing {} does not exist (it may have been removed): drop it from the cart",
                    line.listing_id
                ),
            )
        })?;
        let offer = listing.offer(&market.id).ok_or_else(|| {
            ApiError::invalid(
                field("listing_id"),
                format!(
                    "listing {} is not sold in {}: drop it from the cart",
                    line.listing_id, market.name
                ),
            )
        })?;
        let unit_price = offer.price_at(now);
        let effect = offer.order_effect(now);
        let order = OrderLine::new(unit_price, quantity, effect.as_ref())
            .map_err(|e| ApiError::Internal(format!("line total: {e:?}")))?;
        subtotal = subtotal
            .checked_add(order.total)
            .map_err(|e| ApiError::Internal(format!("subtotal: {e:?}")))?;
        let engine_input = listing.engine_listing(Some(unit_price));
        let mut quote = est
            .quote(&engine_input, quantity)
            .map_err(|e| ApiError::invalid(field("listing_id"), e.to_string()))?;
        if effect.is_some() {
            order.settle_fees(net, &mut quote);
        }
        lines.push(QuoteLine {
            listing_id: listing.id,
            quantity,
            title: listing.title.clone(),
            unit_price,
            list_price: offer.list_price_at(now),
            promotion: promotion_now(offer, now),
            voucher_off: (order.voucher_off.minor() > 0).then_some(order.voucher_off),
            line_total: order.total,
            ships_free: order.ships_free,
            availability: offer.availability().to_string(),
            engine_input,
            quote,
        });
    }
    let free_shipping_over = market
        .shopper_fee
        .free_over_minor
        .map(|minor| Money::from_minor(minor, currency.currency()));
    // A quote is for this cart at this instant: never cached.
    Ok((
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        axum::Json(QuoteResponse {
            market: market.id.clone(),
            zone: body.zone,
            now,
            network_version: net.version().to_string(),
            lines,
            subtotal,
            free_shipping_over,
        }),
    )
        .into_response())
}
