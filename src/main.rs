//! Crossdock's storefront app: Leptos, rendered in the browser (Trunk builds it into
//! `dist/`, which `crates/server` serves). `main` installs the panic hook and mounts the
//! app; everything else lives in the modules below.

mod api;
mod app;
#[cfg(target_arch = "wasm32")]
mod bench;
mod browser;
mod components;
mod model;
mod pages;
mod state;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
