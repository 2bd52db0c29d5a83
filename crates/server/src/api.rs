//! `/api/*`: the network file, health, and JSON errors for everything else.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use serde_json::json;

use crate::web::{etag_matches, strong_etag};
use crate::{ApiError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/network", get(network))
        .route("/api/health", get(health))
        .route("/api", any(not_found))
        .route("/api/", any(not_found))
        .route("/api/{*rest}", any(not_found))
        .method_not_allowed_fallback(method_not_allowed)
}

/// The network file, byte for byte, with a strong ETag (the file's SHA-256). The browser
/// revalidates on each load (`no-cache`) and gets `304 Not Modified` while it is current.
async fn network(State(state): State<AppState>, headers: HeaderMap) -> Response {
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
async fn health(State(state): State<AppState>) -> Result<Response, ApiError> {
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
