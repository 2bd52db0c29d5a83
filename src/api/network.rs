//! `GET /api/network`: the delivery network the engine routes over. The server sends it
//! with a strong ETag and `no-cache`, so the browser's HTTP cache revalidates it (a 304
//! on repeat visits) and we parse it once per page load.

use crossdock_core::Network;

use super::ApiError;
use super::http::get_text;

/// Where the server publishes the network.
pub const NETWORK_URL: &str = "/api/network";

/// Fetches, parses and validates the network.
pub async fn fetch_network() -> Result<Network, ApiError> {
    let text = get_text(NETWORK_URL).await?;
    Network::from_json(&text).map_err(|e| ApiError::Invalid(e.to_string()))
}
