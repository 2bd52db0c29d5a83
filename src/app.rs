//! The app: shared contexts, the page chrome, and the routes.

use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::{SiteFooter, SiteHeader};
use crate::pages::{Cart, Explore, ListingPage, NotFound, Storefront};
use crate::state::cart::provide_cart;
use crate::state::clock::provide_clock;
use crate::state::destination::provide_destination;
use crate::state::network::provide_network;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Loads the delivery network once per page load, for every page that needs it.
    provide_network();
    provide_destination();
    provide_cart();
    provide_clock();
    view! {
        <Router>
            <a class="skip-link" href="#main">
                "Skip to content"
            </a>
            <SiteHeader />
            <main id="main">
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=Storefront />
                    <Route path=path!("/listing/:id") view=ListingPage />
                    <Route path=path!("/cart") view=Cart />
                    <Route path=path!("/explore") view=Explore />
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}
