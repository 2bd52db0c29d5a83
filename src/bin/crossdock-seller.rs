//! Crossdock's seller panel (`seller.html`, served at `/seller`): mounts
//! [`crossdock::app::SellerApp`].

fn main() {
    leptos::mount::mount_to_body(crossdock::app::SellerApp);
}
