//! Crossdock's delivery explorer (`explore.html`, served at `/explore`): mounts
//! [`crossdock::app::ExploreApp`].

fn main() {
    leptos::mount::mount_to_body(crossdock::app::ExploreApp);
}
