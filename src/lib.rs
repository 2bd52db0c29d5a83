//! Crossdock's browser apps (Leptos, rendered in the browser; Trunk builds them into
//! `dist/`, which `crates/server` serves), as one library with two entry points:
//! - the storefront (`src/main.rs`, `index.html`): every page but the explorer;
//! - the delivery explorer (`src/bin/crossdock-explore.rs`, `explore.html`): `/explore`,
//!   a page of its own with its own wasm, so the storefront's first load does not carry it.
//!
//! Links between the two are full page loads (`rel="external"`).

pub mod api;
pub mod app;
pub mod browser;
mod components;
pub mod model;
mod pages;
mod state;
