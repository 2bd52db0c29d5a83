//! Crossdock's browser apps (Leptos, rendered in the browser; Trunk builds them into
//! `dist/`, which `crates/server` serves), as one library with one entry point per page:
//! home and search, a listing, the cart, the delivery explorer, the seller panel and the
//! partner embeds each have a binary, an HTML file and a wasm of their own (the table is in
//! [`app`]), so a shopper downloads only what the page in front of them needs. Links
//! between pages are plain links.

pub mod api;
pub mod app;
pub mod browser;
mod components;
pub mod embed;
pub mod model;
mod pages;
mod state;
