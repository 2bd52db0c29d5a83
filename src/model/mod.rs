//! The explorer's logic in plain Rust, apart from any view: presets, the URL state, the
//! estimate, text formatting and the timeline's geometry. Tested natively.

pub mod card;
pub mod cart;
pub mod destination;
pub mod estimate;
pub mod format;
pub mod presets;
pub mod query;
pub mod search;
pub mod seller;
pub mod timeline;
pub mod url;
pub mod view;

/// The repository's default network, for tests.
#[cfg(test)]
pub fn test_network() -> crossdock_core::Network {
    crossdock_core::Network::from_json(include_str!("../../data/network.json"))
        .expect("the default network is valid")
}
