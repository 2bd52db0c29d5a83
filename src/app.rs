//! The app: shared contexts, the page chrome, and the routes.

use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::{SiteFooter, SiteHeader};
use crate::pages::{Explore, Home, NotFound};
use crate::state::network::provide_network;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Loads the delivery network once per page load, for every page that needs it.
    provide_network();
    view! {
        <Router>
            <a class="skip-link" href="#main">
                "Skip to content"
            </a>
            <SiteHeader />
            <main id="main">
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/explore") view=Explore />
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}
