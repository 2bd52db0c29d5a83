//! `GET /api/network`: the delivery network the engine routes over. The server sends it
//! with a strong ETag and `no-cache`, so the browser's HTTP cache revalidates it (a 304
//! on repeat visits) and we parse it once per page load.

use crossdock_core::Network;

use super::ApiError;
use super::http::get_text_and_etag;

/// Where the server publishes the network.
pub const NETWORK_URL: &str = "/api/network";

/// Fetches, parses and validates the network. Its content hash (shown by the explorer) is
/// the server's strong ETag, the SHA-256 of the file, so the wasm needs no SHA-256 of its
/// own; empty when the answer has none.
pub async fn fetch_network() -> Result<Network, ApiError> {
    let (text, etag) = get_text_and_etag(NETWORK_URL).await?;
    Network::from_json_with_hash(&text, etag.unwrap_or_default())
        .map_err(|e| ApiError::Invalid(e.to_string()))
}
