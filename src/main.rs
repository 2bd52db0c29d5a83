//! Crossdock's storefront app (`index.html`): `main` installs the panic hook and mounts
//! the storefront; everything else lives in the library (`src/lib.rs`). The delivery
//! explorer is a separate app: `src/bin/crossdock-explore.rs`.

#[cfg(target_arch = "wasm32")]
mod bench;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(crossdock::app::App);
}
