use leptos::prelude::*;

use super::DestinationPicker;
use crate::state::cart::use_cart;

/// The bar at the top of every page: the brand, the destination picker and the cart.
/// Every page is its own document: links between pages are plain links.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let cart = use_cart();
    view! {
        <header class="site-header">
            <div class="wrap site-header-inner">
                <a href="/" class="brand">
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
                </a>
                <DestinationPicker />
                <nav class="site-nav" aria-label="Main">
                    <a href="/explore">
                        "Delivery explorer"
                    </a>
                    <a href="/cart" class="cart-link" data-testid="cart-link">
                        "Cart "
                        <span class="cart-count" data-testid="cart-count">
                            {move || cart.count().to_string()}
                        </span>
                    </a>
                </nav>
            </div>
        </header>
    }
}
