//! Crossdock's delivery explorer (`explore.html`, served at `/explore`): its own wasm,
//! so that the storefront's does not carry the explorer. `main` installs the panic hook
//! and mounts the explorer's app (`crossdock::app::ExploreApp`).

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(crossdock::app::ExploreApp);
}
