use leptos::prelude::*;

use crate::browser::set_title;

/// Any path the app does not have.
#[component]
pub fn NotFound() -> impl IntoView {
    let path = window().location().pathname().unwrap_or_default();
    set_title("Page not found · Crossdock");
    view! {
        <section class="wrap narrow not-found" data-testid="not-found">
            <p class="eyebrow">"404"</p>
            <h1>"We can't find that page"</h1>
            <p>
                "There is nothing at " <code>{path}</code>
                ". The storefront is on its way; meanwhile, the delivery explorer is open."
            </p>
            <p class="hero-actions">
                <a href="/explore" class="button button-primary">
                    "Open the delivery explorer"
                </a>
                <a href="/" class="button">
                    "Home"
                </a>
            </p>
        </section>
    }
}
