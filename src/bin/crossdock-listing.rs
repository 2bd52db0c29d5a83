//! Crossdock's listing page (`listing.html`, served at `/listing/{id}`): mounts
//! [`crossdock::app::ListingApp`].

fn main() {
    leptos::mount::mount_to_body(crossdock::app::ListingApp);
}
