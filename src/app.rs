//! The apps, one per page: every page is its own document with its own wasm, so that a
//! shopper downloads only what the page in front of them needs (the storefront's home is
//! the first page most shoppers see, and its first load is the one `make test` budgets
//! hardest). Links between pages are plain links; the home page and the delivery explorer
//! keep their state in the query string and move within themselves without a reload
//! (`state::url`).
//!
//! | page              | app               | binary                         | HTML           |
//! |-------------------|-------------------|--------------------------------|----------------|
//! | `/` (and 404s)    | [`StorefrontApp`] | `src/main.rs`                  | `index.html`   |
//! | `/listing/{id}`   | [`ListingApp`]    | `src/bin/crossdock-listing.rs` | `listing.html` |
//! | `/cart`           | [`CartApp`]       | `src/bin/crossdock-cart.rs`    | `cart.html`    |
//! | `/seller`         | [`SellerApp`]     | `src/bin/crossdock-seller.rs`  | `seller.html`  |
//! | `/explore`        | [`ExploreApp`]    | `src/bin/crossdock-explore.rs` | `explore.html` |
//! | `/embed/…`        | [`crate::embed::EmbedApp`] | `src/bin/crossdock-embed.rs` | `embed.html` |

use leptos::prelude::*;

use crate::components::{SiteFooter, SiteHeader};
use crate::pages::{Cart, Explore, ListingPage, NotFound, SellerPanel, Storefront};
use crate::state::cart::provide_cart;
use crate::state::clock::provide_clock;
use crate::state::destination::provide_destination;
use crate::state::network::provide_network;
use crate::state::session::provide_session;
use crate::state::url::provide_url;

/// The contexts every page uses.
fn provide_contexts() {
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

/// Home and search (`/`). The server also answers every unknown path with this page,
/// which then shows "not found".
#[component]
pub fn StorefrontApp() -> impl IntoView {
    provide_contexts();
    let url = provide_url();
    let home = url.with_untracked(|l| l.path == "/" || l.path == "/index.html");
    view! {
        <Chrome>
            {if home { view! { <Storefront /> }.into_any() } else { view! { <NotFound /> }.into_any() }}
        </Chrome>
    }
}

/// A listing (`/listing/{id}`).
#[component]
pub fn ListingApp() -> impl IntoView {
    provide_contexts();
    view! {
        <Chrome>
            <ListingPage />
        </Chrome>
    }
}

/// The cart (`/cart`).
#[component]
pub fn CartApp() -> impl IntoView {
    provide_contexts();
    view! {
        <Chrome>
            <Cart />
        </Chrome>
    }
}

/// The delivery explorer (`/explore`).
#[component]
pub fn ExploreApp() -> impl IntoView {
    provide_contexts();
    provide_url();
    view! {
        <Chrome>
            <Explore />
        </Chrome>
    }
}

/// The seller panel (`/seller`): sign-in, the SKU table, and a SKU's pricing side by side
/// per fulfilment mode (`/seller?sku={id}`), its state in the query string. Its own
/// chrome: the seller's shop and sign-out instead of the shopper's destination and cart.
#[component]
pub fn SellerApp() -> impl IntoView {
    // The what-if prices with the delivery network, like the storefront estimates.
    provide_network();
    provide_url();
    provide_session();
    view! { <SellerPanel /> }
}
