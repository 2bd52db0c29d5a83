//! Typed client for the Crossdock server. Every call fails with one [`ApiError`], whose
//! message is written for the person looking at the page.

pub mod catalog;
mod http;
mod network;
pub mod seller;

pub use catalog::{fetch_listing, fetch_listings, post_quote};
pub use network::fetch_network;

/// Why a call to the server failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The request never got an answer (offline, server down, blocked).
    Unreachable(String),
    /// The server answered with an error status and no readable error.
    Status(u16),
    /// The server answered with its error shape.
    Server {
        status: u16,
        code: String,
        message: String,
    },
    /// The answer could not be read.
    Body(String),
    /// The answer was read but is not valid.
    Invalid(String),
}

impl ApiError {
    /// Whether the server said the thing asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            ApiError::Status(404) | ApiError::Server { status: 404, .. }
        )
    }
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
                "The server could not answer (HTTP {code}). Try again in a moment."
            ),
            ApiError::Server {
                status, message, ..
            } => write!(f, "{message} (HTTP {status})"),
            ApiError::Body(why) => write!(f, "The answer arrived incomplete ({why}). Try again."),
            ApiError::Invalid(why) => write!(f, "The server's answer is not valid: {why}"),
        }
    }
}

impl std::error::Error for ApiError {}
