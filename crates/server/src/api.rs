//! `/api/*`: the network file, health, the catalog, quotes, the OpenAPI document and its
//! docs page, and JSON errors for everything else.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use crossdock_core::time::Instant;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::web::{etag_matches, strong_etag};
use crate::{ApiError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(crate::listings::router())
        .merge(crate::sellers::router())
        .merge(crate::quote::router())
        .merge(crate::openapi::router())
        .route("/api/network", get(network))
        .route("/api/health", get(health))
        .route("/api", any(not_found))
        .route("/api/", any(not_found))
        .route("/api/{*rest}", any(not_found))
        .method_not_allowed_fallback(method_not_allowed)
}

/// A JSON response revalidated by content: a strong ETag of the body, `no-cache`, and
/// `304 Not Modified` when the browser already has it.
pub(crate) fn json_response<T: Serialize>(headers: &HeaderMap, value: &T) -> Response {
    let body = match serde_json::to_vec(value) {
        Ok(body) => body,
        Err(e) => {
            return ApiError::Internal(format!("serialising a response: {e}")).into_response();
        }
    };
    let digest = Sha256::digest(&body);
    let hex: String = digest
        .iter()
        .take(16)
        .fold(String::new(), |s, b| s + &format!("{b:02x}"));
    let etag = strong_etag(&hex);
    let common = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, "no-cache".to_owned()),
    ];
    if etag_matches(headers, &etag) {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        StatusCode::OK,
        common,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// The `now` parameter (RFC 3339), or the server's clock.
pub(crate) fn now_param(text: Option<&str>) -> Result<Instant, ApiError> {
    match text {
        Some(text) => Instant::parse(text).map_err(|e| {
            let detail = match e {
                crossdock_core::time::TimeError::Malformed(m) => m,
                crossdock_core::time::TimeError::OutOfRange => {
                    format!("\"{text}\" is outside the years the engine supports")
                }
            };
            ApiError::bad("now", detail)
        }),
        None => server_now(),
    }
}

/// The server's clock as an engine instant.
pub(crate) fn server_now() -> Result<Instant, ApiError> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| ApiError::Internal(format!("clock before 1970: {e}")))?
        .as_secs();
    i64::try_from(secs)
        .ok()
        .and_then(|s| Instant::from_unix(s).ok())
        .ok_or_else(|| ApiError::Internal("clock outside the supported years".into()))
}

/// The network file, byte for byte, with a strong ETag (the file's SHA-256). The browser
/// revalidates on each load (`no-cache`) and gets `304 Not Modified` while it is current.
#[utoipa::path(
    get,
    path = "/api/network",
    tag = "platform",
    responses(
        (status = 200, description = "The network file (warehouses, lanes, markets, zones, calendars): the engine's data", content_type = "application/json", body = Object),
        (status = 304, description = "Not modified (If-None-Match)"),
    )
)]
pub async fn network(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let etag = strong_etag(state.network.content_hash());
    let common = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, "no-cache".to_owned()),
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
        state.network.bytes().clone(),
    )
        .into_response()
}

/// Liveness and what is loaded: `{"status":"ok","network_version":…,"network_hash":…}`.
#[utoipa::path(
    get,
    path = "/api/health",
    tag = "platform",
    responses(
        (status = 200, description = "Up, with the loaded network's version and hash", content_type = "application/json", body = Object),
        (status = 503, description = "The database is not answering", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn health(State(state): State<AppState>) -> Result<Response, ApiError> {
    sqlx::query("SELECT 1")
        .execute(&state.db)
        .await
        .map_err(|e| ApiError::Unavailable(format!("database: {e}")))?;
    let body = json!({
        "status": "ok",
        "network_version": state.network.version(),
        "network_hash": state.network.content_hash(),
    });
    Ok((
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(body),
    )
        .into_response())
}

async fn not_found(request: Request) -> ApiError {
    ApiError::NotFound(format!("no API endpoint at {}", request.uri().path()))
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
