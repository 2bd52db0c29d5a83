use leptos::prelude::*;

/// The foot of every page.
#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <p>
                    "Crossdock · delivery windows and prices worked out in your browser by the same engine that routes the order."
                </p>
            </div>
        </footer>
    }
}
