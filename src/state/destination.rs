//! The shopper's destination (market + postal code), remembered in `localStorage` and
//! shared by the header's picker and every estimate on the page.

use crossdock_core::Network;
use leptos::prelude::*;

use crate::browser::{language, storage_get, storage_set};
use crate::model::destination::{Dest, Resolved, guess_market};

const KEY: &str = "crossdock.destination";

/// A `Copy` handle on the destination.
#[derive(Clone, Copy)]
pub struct DestHandle {
    dest: RwSignal<Dest>,
}

impl DestHandle {
    /// The destination (reactive).
    pub fn get(&self) -> Dest {
        self.dest.get()
    }

    /// The destination, without tracking.
    pub fn get_untracked(&self) -> Dest {
        self.dest.get_untracked()
    }

    /// Sets and remembers it.
    pub fn set(&self, d: Dest) {
        storage_set(KEY, &d.encode());
        self.dest.set(d);
    }

    /// The destination resolved against the network; a remembered one that no longer
    /// validates falls back to its market's default zone (reactive).
    pub fn resolve(&self, net: &Network) -> Resolved {
        let d = self.dest.get();
        d.resolve(net)
            .or_else(|_| Dest::market_only(&d.market).resolve(net))
            .or_else(|_| Dest::market_only("US").resolve(net))
            .unwrap_or_else(|_| Resolved {
                market: d.market.clone(),
                market_index: 0,
                zone: String::new(),
                zone_name: String::new(),
                locale: "en-US".to_string(),
            })
    }
}

/// Reads the remembered destination (or guesses the market from the browser's language)
/// and shares it.
pub fn provide_destination() -> DestHandle {
    let initial = storage_get(KEY)
        .and_then(|s| {
            let (m, p) = s.split_once('|')?;
            Some(Dest {
                market: m.to_string(),
                postal: p.to_string(),
            })
        })
        .unwrap_or_else(|| Dest::market_only(guess_market(&language())));
    let handle = DestHandle {
        dest: RwSignal::new(initial),
    };
    provide_context(handle);
    handle
}

/// The destination handle.
pub fn use_destination() -> DestHandle {
    use_context::<DestHandle>().unwrap_or_else(provide_destination)
}
