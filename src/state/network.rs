//! The delivery network, fetched once per page load and shared by every page.

use std::sync::Arc;

use crossdock_core::Network;
use leptos::prelude::*;

use crate::api::{ApiError, fetch_network};
use crate::state::load::Load;

/// A `Copy` handle on the network: loading (`None`), loaded, or failed.
#[derive(Clone, Copy)]
pub struct NetworkHandle {
    resource: Load<Result<Arc<Network>, ApiError>>,
}

impl NetworkHandle {
    /// The network once it has loaded (reactive).
    pub fn get(&self) -> Option<Result<Arc<Network>, ApiError>> {
        self.resource.get()
    }

    /// The network, without tracking.
    pub fn get_untracked(&self) -> Option<Result<Arc<Network>, ApiError>> {
        self.resource.get_untracked()
    }

    /// Fetches it again (after a failure).
    pub fn retry(&self) {
        self.resource.reload();
    }
}

/// Starts loading the network and makes it available to every component below.
pub fn provide_network() -> NetworkHandle {
    let handle = NetworkHandle {
        resource: Load::new(|| async { fetch_network().await.map(Arc::new) }),
    };
    provide_context(handle);
    handle
}

/// The network handle provided by [`provide_network`] (a fresh one if there is none).
pub fn use_network() -> NetworkHandle {
    use_context::<NetworkHandle>().unwrap_or_else(provide_network)
}
