//! `/api/sellers/{id}`: a seller's public profile.

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;

use crate::api::json_response;
use crate::dto::{FacetCount, SellerPage, category_name, seller_profile};
use crate::extract::Params;
use crate::{ApiError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/sellers/{id}", get(get_seller))
}

/// A seller's public profile: who they are, where they ship from, what they sell. No
/// contact details, costs or stock.
#[utoipa::path(
    get,
    path = "/api/sellers/{id}",
    tag = "catalog",
    params(("id" = String, Path, description = "Seller id, e.g. `voltaic`")),
    responses(
        (status = 200, description = "The seller", body = SellerPage),
        (status = 404, description = "No such seller", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn get_seller(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Path(id) = path.map_err(|e| ApiError::bad("id", e.body_text()))?;
    Params::parse(raw.as_deref(), &[])?;
    let net = state.network.network();
    let catalog = state.catalog.snapshot();
    let seller = catalog.seller(&id).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no seller \"{id}\" (seller ids are lower-case names, such as voltaic)"
        ))
    })?;
    let index = catalog
        .sellers
        .binary_search_by(|s| s.id.cmp(&seller.id))
        .ok();
    let mut per_category = vec![0u64; net.file.categories.len()];
    let mut markets: Vec<&str> = Vec::new();
    let mut listing_count = 0u64;
    for l in catalog.listings.iter().filter(|l| Some(l.seller) == index) {
        listing_count += 1;
        if let Some(c) = l.category_index.and_then(|i| per_category.get_mut(i)) {
            *c += 1;
        }
        for o in &l.offers {
            if !markets.contains(&o.market.as_str()) {
                markets.push(&o.market);
            }
        }
    }
    let markets = net
        .file
        .markets
        .iter()
        .filter(|m| markets.contains(&m.id.as_str()))
        .map(|m| m.id.clone())
        .collect();
    let body = SellerPage {
        profile: seller_profile(net, seller),
        listing_count,
        categories: net
            .file
            .categories
            .iter()
            .zip(per_category)
            .filter(|(_, n)| *n > 0)
            .map(|(c, n)| FacetCount {
                id: c.id.clone(),
                name: category_name(net, &c.id),
                count: n,
            })
            .collect(),
        markets,
    };
    Ok(json_response(&headers, &body))
}
