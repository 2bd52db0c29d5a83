//! # crossdock-core: the routing engine shared by the browser and the server
//!
//! Given a listing (weight, size, category, fulfilment mode, stock per warehouse), a
//! destination (market and postal code or zone), a quantity and the current instant, the
//! engine lists every candidate route — feasible or not, and why — with its legs, its
//! delivery window, the cut-off that keeps that window, what it costs the platform and
//! what the shopper pays, and it says which route the platform chooses and why.
//!
//! The crate is pure and deterministic: no I/O, no clock, no randomness. The network
//! ([`network::Network`]), the request and the current instant are arguments, so the same
//! input gives byte-identical output on native and on `wasm32` (the test vectors under
//! `tests/vectors.json` prove it in both).
//!
//! - [`time`]: instants, calendar dates, time-zone rules (integer arithmetic only).
//! - [`calendar`]: working days with weekends and closures.
//! - [`money`]: integer minor units with the currency attached; FX in millionths;
//!   every rounding names its mode.
//! - [`schema`] and [`network`]: the network file and its validation.
//! - [`postal`]: postal-code formats and zones.
//! - [`engine`]: routes, windows, costs and the platform's choice.
//! - [`landed`]: landed cost per unit, direct or via an overseas warehouse.
//! - [`pricing`]: a seller's margin per fulfilment mode (cost of goods, freight, storage,
//!   fees, duty, VAT, promotions), break-even and suggested prices, the margin chart.
//! - [`json`]: a small JSON reader without serde, so the browser's wasm stays small (the
//!   network file and the API's answers are read with it).
//! - [`xml`]: escaping text for SVG drawn as strings.
//!
//! No function here panics on any input: there is no `unwrap`, `expect` or indexing on
//! data that comes from outside (the workspace lints deny them).

pub mod calendar;
pub mod engine;
pub mod json;
pub mod landed;
pub mod money;
pub mod network;
pub mod postal;
pub mod pricing;
pub mod sample;
pub mod schema;
pub mod time;
pub mod vectors;
pub mod xml;

pub use engine::{
    Destination, Estimator, Listing, Mode, Quote, QuoteError, QuoteRequest, StockLine, quote,
};
pub use money::{Currency, CurrencyCode, Money, Rounding};
pub use network::{Network, NetworkError};
pub use time::{Date, Instant};
