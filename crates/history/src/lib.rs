//! # crossdock-history: delivery history, calibrated windows, and the report that proves them
//!
//! A delivery window is a promise with a probability. This crate makes the history that
//! promise is calibrated from and checked against, and it is never linked into the app or
//! the engine:
//!
//! - [`world`] simulates shipments through a "true" world the engine does not see
//!   (`generate`): lanes that drift with the season, flights that fill and bump parcels,
//!   customs holds, peak weeks, the Spring Festival, rare disruptions.
//! - [`calibrate`] fits every leg's distribution from the first 18 months of history, per
//!   season where the leg behaves differently, and writes them into the network file.
//! - [`evaluate`] replays the last 6 months through the engine and reports how often the
//!   promised windows held, against the uncalibrated network and a padded single date.
//!
//! Everything the engine compares stays integer; the report uses floating point only to
//! print percentages and draw charts.

pub mod calibrate;
pub mod cli;
pub mod error;
pub mod evaluate;
pub mod history;
pub mod json;
pub mod netio;
pub mod rng;
pub mod svg;
pub mod world;

pub use error::Error;
