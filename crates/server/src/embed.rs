//! Partner embeds: counting clicks on "View on Crossdock".
//!
//! A partner site puts a listing on its page with `public/embed.js`, which frames
//! `/embed/listing/{id}` (the pages and their framing headers are in [`crate::web`]). When
//! a reader follows "View on Crossdock", the embed (same origin as this server) posts
//! `POST /api/embed/click {partner, listing_id}` and the server adds one to that partner's
//! count for the listing and the day. Nothing about the reader is stored: no address, no
//! user agent, no cookie, no time finer than the UTC day.
//!
//! `GET /api/embed/clicks[?partner=…]` sums the counts per partner (and per listing), for
//! the embed documentation page and for paying partners.

use axum::Router;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use crate::api::server_now;
use crate::extract::{ApiJson, Params};
use crate::{ApiError, AppState};

/// The longest partner reference accepted.
pub const MAX_PARTNER_LEN: usize = 64;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/embed/click",
            post(count_click).layer(DefaultBodyLimit::max(1024)),
        )
        .route("/api/embed/clicks", get(clicks))
}

/// One click on "View on Crossdock" in an embed.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClickBody {
    /// The partner's reference, as the embed's `data-partner` gives it: 1 to 64 letters,
    /// digits, `-`, `_` or `.` (compared without case).
    pub partner: String,
    /// The listing the reader went to.
    pub listing_id: i64,
}

/// A partner reference in its counted form (lower case), or why it cannot be one.
pub fn partner_ref(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() || text.len() > MAX_PARTNER_LEN {
        return Err(format!(
            "partner must be 1 to {MAX_PARTNER_LEN} characters (the embed's data-partner)"
        ));
    }
    if !text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err(format!(
            "partner \"{text}\" may only hold letters, digits, \"-\", \"_\" and \".\""
        ));
    }
    Ok(text.to_ascii_lowercase())
}

#[utoipa::path(
    post,
    path = "/api/embed/click",
    tag = "embeds",
    request_body = ClickBody,
    responses(
        (status = 204, description = "Counted (per partner, listing and UTC day; nothing about the reader)"),
        (status = 403, description = "Sent by another site, not by the embed", body = crate::openapi::ErrorResponse),
        (status = 422, description = "A bad partner reference or an unknown listing", body = crate::openapi::ErrorResponse),
    )
)]
/// Counts one click. Only the embed itself (this origin) may count: a browser request
/// sent by another site is refused (`Sec-Fetch-Site`), and the JSON content type keeps
/// plain cross-site forms out.
pub async fn count_click(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ClickBody>,
) -> Result<Response, ApiError> {
    if let Some(site) = headers.get("sec-fetch-site")
        && !site.as_bytes().eq_ignore_ascii_case(b"same-origin")
    {
        return Err(ApiError::Csrf(
            "clicks are counted by the Crossdock embed itself, not by other sites".into(),
        ));
    }
    let partner = partner_ref(&body.partner).map_err(|m| ApiError::invalid("partner", m))?;
    if state.catalog.snapshot().listing(body.listing_id).is_none() {
        return Err(ApiError::invalid(
            "listing_id",
            format!("there is no listing {}", body.listing_id),
        ));
    }
    let day = server_now()?.utc_date_minute().0.to_string();
    sqlx::query(
        "INSERT INTO embed_clicks (partner, listing_id, day, clicks) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (partner, listing_id, day) DO UPDATE SET clicks = embed_clicks.clicks + 1",
    )
    .bind(&partner)
    .bind(body.listing_id)
    .bind(&day)
    .execute(&state.db)
    .await
    .map_err(|e| ApiError::Internal(format!("counting an embed click: {e}")))?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::CACHE_CONTROL, "no-store")],
    )
        .into_response())
}

/// Clicks per partner, most first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClickSummary {
    pub partners: Vec<PartnerClicks>,
}

/// One partner's clicks, in all and per listing (most first).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PartnerClicks {
    pub partner: String,
    pub clicks: i64,
    pub listings: Vec<ListingClicks>,
}

/// One listing's clicks.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListingClicks {
    pub listing_id: i64,
    pub clicks: i64,
}

#[utoipa::path(
    get,
    path = "/api/embed/clicks",
    tag = "embeds",
    params(("partner" = Option<String>, Query, description = "One partner's counts only")),
    responses(
        (status = 200, description = "Clicks per partner and listing, every day summed", body = ClickSummary),
        (status = 400, description = "A bad partner reference or an unknown parameter", body = crate::openapi::ErrorResponse),
    )
)]
/// The counts, every day summed; `?partner=` for one partner.
pub async fn clicks(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref(), &["partner"])?;
    let partner = params
        .get("partner")
        .map(partner_ref)
        .transpose()
        .map_err(|m| ApiError::bad("partner", m))?;
    let query = match &partner {
        Some(p) => sqlx::query_as(
            "SELECT partner, listing_id, CAST(SUM(clicks) AS BIGINT) FROM embed_clicks WHERE partner = $1 \
             GROUP BY partner, listing_id",
        )
        .bind(p),
        None => sqlx::query_as(
            "SELECT partner, listing_id, CAST(SUM(clicks) AS BIGINT) FROM embed_clicks \
             GROUP BY partner, listing_id",
        ),
    };
    let rows: Vec<(String, i64, i64)> = query
        .fetch_all(&state.db)
        .await
        .map_err(|e| ApiError::Internal(format!("reading embed clicks: {e}")))?;
    let mut partners: Vec<PartnerClicks> = Vec::new();
    for (name, listing_id, clicks) in rows {
        let entry = match partners.iter().position(|p| p.partner == name) {
            Some(i) => partners.get_mut(i),
            None => {
                partners.push(PartnerClicks {
                    partner: name,
                    clicks: 0,
                    listings: Vec::new(),
                });
                partners.last_mut()
            }
        };
        if let Some(p) = entry {
            p.clicks = p.clicks.saturating_add(clicks);
            p.listings.push(ListingClicks { listing_id, clicks });
        }
    }
    for p in &mut partners {
        p.listings.sort_by(|a, b| {
            b.clicks
                .cmp(&a.clicks)
                .then(a.listing_id.cmp(&b.listing_id))
        });
    }
    partners.sort_by(|a, b| b.clicks.cmp(&a.clicks).then(a.partner.cmp(&b.partner)));
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(ClickSummary { partners }),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partner_references() {
        assert_eq!(partner_ref("Demo-Blog").as_deref(), Ok("demo-blog"));
        assert_eq!(partner_ref(" a.b_c ").as_deref(), Ok("a.b_c"));
        for bad in ["", "  ", "a b", "a/b", "<x>", "é", &"x".repeat(65)] {
            assert!(partner_ref(bad).is_err(), "{bad:?}");
        }
        assert!(partner_ref(&"x".repeat(64)).is_ok());
    }
}
