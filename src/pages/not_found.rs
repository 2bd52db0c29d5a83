use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// Any path the app does not have.
#[component]
pub fn NotFound() -> impl IntoView {
    let path = use_location().pathname;
    view! {
        <Title text="Page not found · Crossdock" />
        <section class="wrap narrow not-found" data-testid="not-found">
            <p class="eyebrow">"404"</p>
            <h1>"We can't find that page"</h1>
            <p>
                "There is nothing at " <code>{move || path.get()}</code>
                ". The storefront is on its way; meanwhile, the delivery explorer is open."
            </p>
            <p class="hero-actions">
                <A href="/explore" attr:class="button button-primary" attr:rel="external">
                    "Open the delivery explorer"
                </A>
                <A href="/" attr:class="button">
                    "Home"
                </A>
            </p>
        </section>
    }
}
