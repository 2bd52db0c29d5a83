//! `/api/listings`: search and browse, one listing, and its pictures.

use std::cmp::Reverse;

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use crossdock_core::engine::{Destination, Mode};
use crossdock_core::time::Date;
use crossdock_core::{Estimator, Network};

use crate::api::{json_response, now_param};
use crate::catalog::generate::{mode_id, parse_mode};
use crate::catalog::images;
use crate::catalog::search::{MAX_QUERY_CHARS, Query};
use crate::catalog::{ListingRecord, Offer};
use crate::dto::{
    self, Attribute, FacetCount, Facets, ListingDetail, ListingPage, mode_name, promotion_out,
    seller_profile, summary,
};
use crate::extract::Params;
use crate::web::{etag_matches, strong_etag};
use crate::{ApiError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/listings", get(list_listings))
        .route("/api/listings/{id}", get(get_listing))
        .route("/api/listings/{id}/images/{file}", get(listing_image))
}

/// Default and largest page sizes.
pub const DEFAULT_PER_PAGE: u32 = 24;
pub const MAX_PER_PAGE: u32 = 100;
/// Deepest page served (deeper pages of a search are never useful; refine instead).
pub const MAX_PAGE: u32 = 1_000;

const LIST_PARAMS: &[&str] = &[
    "market",
    "q",
    "category",
    "mode",
    "zone",
    "arrives_by",
    "sort",
    "page",
    "per_page",
    "seller",
    "now",
];

/// How to order results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    Relevance,
    PriceAsc,
    PriceDesc,
    Fastest,
    Newest,
}

const SORTS: &[(&str, Sort)] = &[
    ("relevance", Sort::Relevance),
    ("price_asc", Sort::PriceAsc),
    ("price_desc", Sort::PriceDesc),
    ("fastest", Sort::Fastest),
    ("newest", Sort::Newest),
];

/// Search and browse the listings sold in a market.
#[utoipa::path(
    get,
    path = "/api/listings",
    tag = "catalog",
    params(crate::openapi::ListingParams),
    responses(
        (status = 200, description = "A page of listings", body = ListingPage),
        (status = 400, description = "A query parameter is missing or wrong; `field` names it", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn list_listings(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let p = Params::parse(raw.as_deref(), LIST_PARAMS)?;
    let net = state.network.network();
    let market = market_param(net, p.get("market"))?;
    let now = now_param(p.get("now"))?;
    let zone = zone_param(net, &market, p.get("zone"))?;
    let arrives_by = match p.get("arrives_by") {
        None => None,
        Some(text) => {
            let date = Date::parse(text).map_err(|_| {
                ApiError::bad(
                    "arrives_by",
                    format!("arrives_by must be a date written YYYY-MM-DD, such as 2026-12-01 (got \"{text}\")"),
                )
            })?;
            if zone.is_none() {
                return Err(ApiError::bad(
                    "zone",
                    "arrives_by needs the shopper's delivery zone: add zone=… (the browser maps the postal code to a zone with the network file)",
                ));
            }
            Some(date)
        }
    };
    let query_text = p.get("q").unwrap_or("");
    if query_text.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad(
            "q",
            format!("q is longer than {MAX_QUERY_CHARS} characters: shorten the search"),
        ));
    }
    let query = Query::parse(query_text);
    let sort = match p.get("sort") {
        None => Sort::Relevance,
        Some(text) => SORTS
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, s)| *s)
            .ok_or_else(|| {
                ApiError::bad(
                    "sort",
                    format!(
                        "unknown sort \"{text}\": use one of {}",
                        SORTS.iter().map(|s| s.0).collect::<Vec<_>>().join(", ")
                    ),
                )
            })?,
    };
    if sort == Sort::Fastest && zone.is_none() {
        return Err(ApiError::bad(
            "zone",
            "sort=fastest needs the shopper's delivery zone: add zone=…",
        ));
    }
    let categories = list_param(
        &p,
        "category",
        |c| net.category_index(c).is_some(),
        || {
            net.file
                .categories
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        },
    )?;
    let modes: Vec<Mode> = list_param(
        &p,
        "mode",
        |m| parse_mode(m).is_some(),
        || Mode::ALL.map(mode_id).join(", "),
    )?
    .iter()
    .filter_map(|m| parse_mode(m))
    .collect();
    let page = p.number("page", 1, 1, MAX_PAGE)?;
    let per_page = p.number("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)?;

    let catalog = state.catalog.snapshot();
    let seller = match p.get("seller") {
        None => None,
        Some(id) => Some(
            catalog
                .sellers
                .binary_search_by(|s| s.id.as_str().cmp(id))
                .map_err(|_| ApiError::bad("seller", format!("no seller \"{id}\"")))?,
        ),
    };
    let estimator = match &zone {
        None => None,
        Some(z) => Some(
            Estimator::new(
                net,
                &Destination {
                    market: market.clone(),
                    postal_code: None,
                    zone: Some(z.clone()),
                },
                now,
            )
            .map_err(|e| ApiError::bad("zone", e.to_string()))?,
        ),
    };

    struct Hit<'a> {
        listing: &'a ListingRecord,
        offer: &'a Offer,
        score: u32,
        window: Option<(Date, Date)>,
    }
    let mut hits: Vec<Hit<'_>> = Vec::new();
    let mut category_counts = vec![0u64; net.file.categories.len()];
    let mut mode_counts = [0u64; 3];
    // Every market named here is in the network (market_param checked it).
    let market_index = net.market_index(&market);
    let category_filter: Vec<Option<usize>> =
        categories.iter().map(|c| net.category_index(c)).collect();
    for listing in &catalog.listings {
        let Some(offer) = market_index.and_then(|i| listing.offer_at(i)) else {
            continue;
        };
        if seller.is_some_and(|s| s != listing.seller) {
            continue;
        }
        let Some(score) = listing.search.score(&query) else {
            continue;
        };
        let e = &listing.engine;
        let category_ok =
            category_filter.is_empty() || category_filter.contains(&listing.category_index);
        let mode_ok = modes.is_empty() || modes.contains(&e.mode);
        if !category_ok && !mode_ok {
            continue;
        }
        let window = estimator
            .as_ref()
            .and_then(|est| est.promise(e, 1))
            .map(|p| dto::window_key(&p.window));
        if arrives_by.is_some_and(|d| window.is_none_or(|(latest, _)| latest > d)) {
            continue;
        }
        if mode_ok
            && let Some(i) = listing.category_index
            && let Some(c) = category_counts.get_mut(i)
        {
            *c += 1;
        }
        if category_ok
            && let Some(i) = Mode::ALL.iter().position(|m| *m == e.mode)
            && let Some(c) = mode_counts.get_mut(i)
        {
            *c += 1;
        }
        if category_ok && mode_ok {
            hits.push(Hit {
                listing,
                offer,
                score,
                window,
            });
        }
    }

    let price = |h: &Hit<'_>| h.offer.price_at(now).minor();
    let featured = |h: &Hit<'_>| {
        u64::from(h.listing.rating_tenths) * u64::from((h.listing.review_count + 2).ilog2())
    };
    let total = u64::try_from(hits.len()).unwrap_or(u64::MAX);
    let skip = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
    let take = usize::try_from(per_page).unwrap_or(0);
    let end = skip.saturating_add(take);
    match sort {
        Sort::Relevance => top_sorted(&mut hits, end, |h| {
            (
                h.offer.units == 0,
                Reverse(h.score),
                Reverse(featured(h)),
                h.listing.id,
            )
        }),
        Sort::PriceAsc => top_sorted(&mut hits, end, |h| (price(h), h.listing.id)),
        Sort::PriceDesc => top_sorted(&mut hits, end, |h| (Reverse(price(h)), h.listing.id)),
        Sort::Fastest => top_sorted(&mut hits, end, |h| {
            (h.window.is_none(), h.window, price(h), h.listing.id)
        }),
        Sort::Newest => top_sorted(&mut hits, end, |h| {
            (Reverse(h.listing.listed_at), Reverse(h.listing.id))
        }),
    }
    let items = hits
        .iter()
        .skip(skip)
        .take(take)
        .map(|h| summary(&catalog, net, h.listing, h.offer, now, estimator.as_ref()))
        .collect();
    let facets = Facets {
        category: net
            .file
            .categories
            .iter()
            .zip(&category_counts)
            .map(|(c, n)| FacetCount {
                id: c.id.clone(),
                name: c.name.clone(),
                count: *n,
            })
            .collect(),
        mode: Mode::ALL
            .iter()
            .zip(mode_counts)
            .map(|(m, n)| FacetCount {
                id: mode_id(*m).to_string(),
                name: mode_name(*m).to_string(),
                count: n,
            })
            .collect(),
    };
    let body = ListingPage {
        items,
        total,
        page,
        per_page,
        market,
        zone,
        now,
        facets,
    };
    Ok(json_response(&headers, &body))
}

/// Orders the first `end` items of `items` by `key` and drops the rest: what a page needs.
/// Each key is computed once, then a linear-time selection and a sort of the page and those
/// before it. Every key ends with the listing id, so no two are equal and the order is the
/// full sort's.
fn top_sorted<T, K: Ord>(items: &mut Vec<T>, end: usize, key: impl Fn(&T) -> K) {
    let mut keyed: Vec<(K, usize)> = items.iter().map(&key).zip(0..).collect();
    if end == 0 {
        items.clear();
        return;
    }
    if end < keyed.len() {
        keyed.select_nth_unstable(end - 1);
        keyed.truncate(end);
    }
    keyed.sort_unstable();
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        keyed
            .into_iter()
            .filter_map(|(_, i)| slots.get_mut(i).and_then(Option::take)),
    );
}

const DETAIL_PARAMS: &[&str] = &["market", "zone", "now"];

/// One listing with its description, attributes, pictures, seller and promotions.
#[utoipa::path(
    get,
    path = "/api/listings/{id}",
    tag = "catalog",
    params(("id" = i64, Path, description = "Listing id"), crate::openapi::DetailParams),
    responses(
        (status = 200, description = "The listing", body = ListingDetail),
        (status = 400, description = "A parameter is missing or wrong", body = crate::openapi::ErrorResponse),
        (status = 404, description = "No such listing, or not sold in this market", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn get_listing(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = listing_id(path)?;
    let p = Params::parse(raw.as_deref(), DETAIL_PARAMS)?;
    let net = state.network.network();
    let market = market_param(net, p.get("market"))?;
    let now = now_param(p.get("now"))?;
    let zone = zone_param(net, &market, p.get("zone"))?;
    let catalog = state.catalog.snapshot();
    let listing = catalog
        .listing(id)
        .ok_or_else(|| ApiError::NotFound(format!("no listing with id {id}")))?;
    let offer = listing
        .offer(&market)
        .ok_or_else(|| not_sold_here(net, listing, &market))?;
    let estimator = match &zone {
        None => None,
        Some(z) => Some(
            Estimator::new(
                net,
                &Destination {
                    market: market.clone(),
                    postal_code: None,
                    zone: Some(z.clone()),
                },
                now,
            )
            .map_err(|e| ApiError::bad("zone", e.to_string()))?,
        ),
    };
    let version = listing.picture_version(&catalog.sellers);
    let seller = catalog
        .seller_of(listing)
        .ok_or_else(|| ApiError::Internal(format!("listing {id} has no seller")))?;
    let body = ListingDetail {
        summary: summary(&catalog, net, listing, offer, now, estimator.as_ref()),
        sku: listing.sku.clone(),
        description: listing.description.clone(),
        attributes: listing
            .attributes
            .iter()
            .map(|(name, value)| Attribute {
                name: name.clone(),
                value: value.clone(),
            })
            .collect(),
        images: (1..=images::VIEWS)
            .map(|v| dto::picture(listing, &version, v))
            .collect(),
        seller_profile: seller_profile(net, seller),
        promotions: offer
            .promotions
            .iter()
            .filter(|p| now < p.ends_at)
            .map(|p| promotion_out(offer, p, now))
            .collect(),
        markets: listing.offers.iter().map(|o| o.market.clone()).collect(),
    };
    Ok(json_response(&headers, &body))
}

/// A picture of a listing (SVG, drawn on the server).
#[utoipa::path(
    get,
    path = "/api/listings/{id}/images/{file}",
    tag = "catalog",
    params(
        ("id" = i64, Path, description = "Listing id"),
        ("file" = String, Path, description = "`1.svg` to `3.svg`, or with the version the listing response gives: `1-3f9a1c0e.svg` (then cached as immutable)"),
    ),
    responses(
        (status = 200, description = "The picture", content_type = "image/svg+xml", body = String),
        (status = 404, description = "No such listing or picture", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn listing_image(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Path((id_text, file)) = path.map_err(|e| ApiError::bad("id", e.body_text()))?;
    let id = parse_id(&id_text)?;
    let catalog = state.catalog.snapshot();
    let listing = catalog
        .listing(id)
        .ok_or_else(|| ApiError::NotFound(format!("no listing with id {id}")))?;
    let no_picture = || {
        ApiError::NotFound(format!(
            "no picture \"{file}\" of listing {id}: pictures are 1.svg to {}.svg",
            images::VIEWS
        ))
    };
    let stem = file.strip_suffix(".svg").ok_or_else(no_picture)?;
    let (view, asked_version) = match stem.split_once('-') {
        Some((v, ver)) => (v, Some(ver)),
        None => (stem, None),
    };
    let view: u8 = view.parse().map_err(|_| no_picture())?;
    let version = listing.picture_version(&catalog.sellers);
    let svg = images::render(&listing.art, &listing.title, &listing.brand, view)
        .ok_or_else(no_picture)?;
    let etag = strong_etag(&version);
    let cache = if asked_version == Some(version.as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let common = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, cache.to_string()),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'".to_string(),
        ),
    ];
    if etag_matches(&headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    Ok((
        StatusCode::OK,
        common,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("image/svg+xml"),
        )],
        svg,
    )
        .into_response())
}

/// The market id `text` names (case-insensitive), as the network spells it.
pub fn market_param(net: &Network, text: Option<&str>) -> Result<String, ApiError> {
    let list = || {
        net.file
            .markets
            .iter()
            .map(|m| m.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(text) = text else {
        return Err(ApiError::bad(
            "market",
            format!("market is required: one of {} (e.g. market=US)", list()),
        ));
    };
    net.file
        .markets
        .iter()
        .find(|m| m.id.eq_ignore_ascii_case(text))
        .map(|m| m.id.clone())
        .ok_or_else(|| {
            ApiError::bad(
                "market",
                format!("unknown market \"{text}\": use one of {}", list()),
            )
        })
}

/// The zone id `text` names, which must be a zone of `market`.
pub fn zone_param(
    net: &Network,
    market: &str,
    text: Option<&str>,
) -> Result<Option<String>, ApiError> {
    let Some(text) = text else {
        return Ok(None);
    };
    let Some(m) = net.file.markets.iter().find(|m| m.id == market) else {
        return Err(ApiError::bad(
            "market",
            format!("unknown market \"{market}\""),
        ));
    };
    if m.zones.iter().any(|z| z.id == text) {
        return Ok(Some(text.to_string()));
    }
    Err(ApiError::bad(
        "zone",
        format!(
            "\"{text}\" is not a delivery zone of {market}: use one of {} (the browser maps the postal code to its zone with the network file)",
            m.zones
                .iter()
                .map(|z| z.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ))
}

/// A comma-separated list parameter whose every item passes `known`.
fn list_param<'p>(
    p: &'p Params,
    name: &str,
    known: impl Fn(&str) -> bool,
    choices: impl Fn() -> String,
) -> Result<Vec<&'p str>, ApiError> {
    let Some(text) = p.get(name) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !known(item) {
            return Err(ApiError::bad(
                name,
                format!(
                    "unknown {name} \"{item}\": use one or more of {} (comma-separated)",
                    choices()
                ),
            ));
        }
        out.push(item);
    }
    Ok(out)
}

fn listing_id(path: Result<Path<String>, PathRejection>) -> Result<i64, ApiError> {
    let Path(text) = path.map_err(|e| ApiError::bad("id", e.body_text()))?;
    parse_id(&text)
}

/// A listing id: a positive whole number.
pub fn parse_id(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError::bad(
            "id",
            format!("\"{text}\" is not a listing id: ids are positive whole numbers, such as /api/listings/42"),
        )
    })
}

/// 404 for a listing that exists but is not sold in `market`, saying where it is.
pub fn not_sold_here(net: &Network, listing: &ListingRecord, market: &str) -> ApiError {
    let markets: Vec<&str> = listing.offers.iter().map(|o| o.market.as_str()).collect();
    let name = net
        .file
        .markets
        .iter()
        .find(|m| m.id == market)
        .map_or(market, |m| m.name.as_str());
    ApiError::NotFound(format!(
        "listing {} is not sold in {name}; it is sold in {}",
        listing.id,
        if markets.is_empty() {
            "no market".to_string()
        } else {
            markets.join(", ")
        }
    ))
}
