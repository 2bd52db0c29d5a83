//! Crossdock's cart page (`cart.html`, served at `/cart`): mounts
//! [`crossdock::app::CartApp`].

fn main() {
    leptos::mount::mount_to_body(crossdock::app::CartApp);
}
