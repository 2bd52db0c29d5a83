//! The two apps: shared contexts, the page chrome, and the routes. The storefront
//! ([`App`]) and the delivery explorer ([`ExploreApp`]) are built into separate wasm
//! files (one per page), so links between them are full page loads.

use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::components::{SiteFooter, SiteHeader};
use crate::pages::{Cart, Explore, FullPageLoad, ListingPage, NotFound, Storefront};
use crate::state::cart::provide_cart;
use crate::state::clock::provide_clock;
use crate::state::destination::provide_destination;
use crate::state::explore::EXPLORE_PATH;
use crate::state::network::provide_network;
use crate::state::page::provide_page;

/// The contexts every page uses (`explorer`: in the explorer's app).
fn provide_contexts(explorer: bool) {
    provide_page(explorer);
    provide_meta_context();
    // Loads the delivery network once per page load, for every page that needs it.
    provide_network();
    provide_destination();
    provide_cart();
    provide_clock();
}

/// The page chrome around `children`: skip link, header, `<main>`, footer.
#[component]
fn Chrome(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">
            "Skip to content"
        </a>
        <SiteHeader />
        <main id="main">{children()}</main>
        <SiteFooter />
    }
}

/// The storefront: every page but the delivery explorer (`/explore` is its own page,
/// served by the server from the explorer's build, and linked with `rel="external"`;
/// should the router get there, by the back button say, `storefront_fallback` loads
/// that page).
#[component]
pub fn App() -> impl IntoView {
    provide_contexts(false);
    view! {
        <Router>
            <Chrome>
                <Routes fallback=storefront_fallback>
                    <Route path=path!("/") view=Storefront />
                    <Route path=path!("/listing/:id") view=ListingPage />
                    <Route path=path!("/cart") view=Cart />
                </Routes>
            </Chrome>
        </Router>
    }
}

/// The storefront's answer to a path it has no route for: the explorer's page is loaded
/// from the server, anything else is not found.
fn storefront_fallback() -> AnyView {
    if use_location().pathname.get_untracked() == EXPLORE_PATH {
        view! { <FullPageLoad /> }.into_any()
    } else {
        view! { <NotFound /> }.into_any()
    }
}

/// The delivery explorer's page (`/explore`). Its links to the storefront are full page
/// loads; any other path the router gets to is loaded from the server, as a new page.
#[component]
pub fn ExploreApp() -> impl IntoView {
    provide_contexts(true);
    view! {
        <Router>
            <Chrome>
                <Routes fallback=|| view! { <FullPageLoad /> }>
                    <Route path=path!("/explore") view=Explore />
                </Routes>
            </Chrome>
        </Router>
    }
}
