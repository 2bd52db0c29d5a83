use leptos::prelude::*;
use leptos_router::components::A;

use super::DestinationPicker;
use crate::state::cart::use_cart;
use crate::state::page::storefront_rel;

/// The bar at the top of every page: the brand, the destination picker and the cart.
/// The storefront and the explorer are separate pages: links between them are full page
/// loads (`rel="external"`).
#[component]
pub fn SiteHeader() -> impl IntoView {
    let cart = use_cart();
    let rel = storefront_rel();
    view! {
        <header class="site-header">
            <div class="wrap site-header-inner">
                <A href="/" attr:class="brand" attr:rel=rel>
                    <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
                        <rect width="32" height="32" rx="7" fill="currentColor"></rect>
                        <path
                            d="M7 11h18M7 16h18M7 21h18"
                            stroke="#fff"
                            stroke-width="2.5"
                            stroke-linecap="round"
                        ></path>
                        <path
                            d="M19 7l6 4-6 4"
                            fill="none"
                            stroke="#ffb000"
                            stroke-width="2.5"
                            stroke-linecap="round"
                            stroke-linejoin="round"
                        ></path>
                    </svg>
                    <span>"Crossdock"</span>
                </A>
                <DestinationPicker />
                <nav class="site-nav" aria-label="Main">
                    <A href="/explore" attr:rel="external">
                        "Delivery explorer"
                    </A>
                    <A href="/cart" attr:class="cart-link" attr:data-testid="cart-link" attr:rel=rel>
                        "Cart "
                        <span class="cart-count" data-testid="cart-count">
                            {move || cart.count().to_string()}
                        </span>
                    </A>
                </nav>
            </div>
        </header>
    }
}
