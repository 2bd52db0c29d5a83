//! Helpers shared by the integration tests: the default network and request builders.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use crossdock_core::engine::{
    Destination, Listing, Mode, Quote, QuoteRequest, RouteStatus, StockLine,
};
use crossdock_core::{Instant, Network};

pub const NETWORK_JSON: &str = include_str!("../../../../data/network.json");

pub fn network() -> Network {
    Network::from_json(NETWORK_JSON).expect("the default network is valid")
}

pub fn at(s: &str) -> Instant {
    Instant::parse(s).unwrap()
}

pub fn item(
    weight_g: u32,
    dims_mm: [u32; 3],
    category: &str,
    mode: Mode,
    stock: &[(&str, u32)],
) -> Listing {
    Listing {
        weight_g,
        dims_mm,
        category: category.into(),
        mode,
        stock: stock
            .iter()
            .map(|(w, q)| StockLine {
                warehouse: (*w).into(),
                quantity: *q,
            })
            .collect(),
        unit_price: None,
    }
}

pub fn to(market: &str, postal: &str) -> Destination {
    Destination {
        market: market.into(),
        postal_code: Some(postal.into()),
        zone: None,
    }
}

pub fn request(listing: Listing, dest: Destination, quantity: u32, now: &str) -> QuoteRequest {
    QuoteRequest {
        listing,
        destination: dest,
        quantity,
        now: at(now),
    }
}

pub fn quote(net: &Network, req: &QuoteRequest) -> Quote {
    crossdock_core::quote(net, req).expect("request is valid")
}

/// Calendar days from the order's local date (in the destination zone) to each end of the window.
pub fn window_days(q: &Quote) -> (i32, i32) {
    let plan = q.plan.as_ref().expect("a plan");
    (
        q.today.days_until(plan.window.earliest),
        q.today.days_until(plan.window.latest),
    )
}

pub fn route<'a>(q: &'a Quote, warehouse: &str) -> &'a RouteStatus {
    &q.routes
        .iter()
        .find(|r| r.warehouse == warehouse)
        .expect("route listed")
        .status
}
