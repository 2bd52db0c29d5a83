//! Crossdock's storefront home (`index.html`, served at `/`): mounts
//! [`crossdock::app::StorefrontApp`]. Every other page is its own binary in `src/bin/`
//! (see `crossdock::app`); everything else lives in the library (`src/lib.rs`).

#[cfg(target_arch = "wasm32")]
mod bench;

fn main() {
    leptos::mount::mount_to_body(crossdock::app::StorefrontApp);
}
