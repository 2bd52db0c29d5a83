//! Loading the network file once, at start.

use std::path::Path;

use axum::body::Bytes;
use crossdock_core::network::{Network, NetworkError};

use crate::StartError;

/// The network as the server publishes it: the exact file bytes (served as they are, so
/// the browser hashes and parses the same text) and the validated network.
#[derive(Debug)]
pub struct LoadedNetwork {
    bytes: Bytes,
    network: Network,
}

impl LoadedNetwork {
    /// Parses and validates `text` (the whole file).
    pub fn from_text(text: String) -> Result<LoadedNetwork, NetworkError> {
        let network = Network::from_json(&text)?;
        Ok(LoadedNetwork {
            bytes: Bytes::from(text),
            network,
        })
    }

    /// The exact bytes of the file.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The validated network.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The version the file declares.
    pub fn version(&self) -> &str {
        self.network.version()
    }

    /// Lower-case hex SHA-256 of the file bytes.
    pub fn content_hash(&self) -> &str {
        self.network.content_hash()
    }
}

/// Reads and validates the network file at `path`.
pub fn load_network(path: &Path) -> Result<LoadedNetwork, StartError> {
    let bytes = std::fs::read(path).map_err(|source| StartError::NetworkUnreadable {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| StartError::NetworkInvalid {
        path: path.to_path_buf(),
        error: NetworkError::Syntax(format!("not UTF-8 text ({e})")),
    })?;
    LoadedNetwork::from_text(text).map_err(|error| StartError::NetworkInvalid {
        path: path.to_path_buf(),
        error,
    })
}
