//! `GET /api/network`: the delivery network the engine routes over. The server sends it
//! with a strong ETag and `no-cache`, so the browser's HTTP cache revalidates it (a 304
//! on repeat visits) and we parse it once per page load.

use crossdock_core::Network;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::ApiError;

/// Where the server publishes the network.
pub const NETWORK_URL: &str = "/api/network";

/// Fetches, parses and validates the network.
pub async fn fetch_network() -> Result<Network, ApiError> {
    let window =
        web_sys::window().ok_or_else(|| ApiError::Unreachable("no browser window".into()))?;
    let answer = JsFuture::from(window.fetch_with_str(NETWORK_URL))
        .await
        .map_err(|e| ApiError::Unreachable(js_message(&e)))?;
    let response: web_sys::Response = answer
        .dyn_into()
        .map_err(|e| ApiError::Body(js_message(&e)))?;
    if !response.ok() {
        return Err(ApiError::Status(response.status()));
    }
    let text = JsFuture::from(
        response
            .text()
            .map_err(|e| ApiError::Body(js_message(&e)))?,
    )
    .await
    .map_err(|e| ApiError::Body(js_message(&e)))?
    .as_string()
    .ok_or_else(|| ApiError::Body("not text".into()))?;
    Network::from_json(&text).map_err(|e| ApiError::Invalid(e.to_string()))
}

/// The message of a thrown JavaScript value.
fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}
