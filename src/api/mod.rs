//! Typed client for the Crossdock server. Every call fails with one [`ApiError`], whose
//! message is written for the person looking at the page.

mod network;

pub use network::fetch_network;

/// Why a call to the server failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The request never got an answer (offline, server down, blocked).
    Unreachable(String),
    /// The server answered with an error status.
    Status(u16),
    /// The answer could not be read.
    Body(String),
    /// The answer was read but is not a valid delivery network.
    Invalid(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Unreachable(why) => write!(
                f,
                "We could not reach the Crossdock server ({why}). Check your connection and try again."
            ),
            ApiError::Status(code) => write!(
                f,
                "The server could not send the delivery network (HTTP {code}). Try again in a moment."
            ),
            ApiError::Body(why) => write!(
                f,
                "The delivery network arrived incomplete ({why}). Try again."
            ),
            ApiError::Invalid(why) => write!(
                f,
                "The delivery network the server sent is not valid: {why}"
            ),
        }
    }
}

impl std::error::Error for ApiError {}
