use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::state::page::loaded_path;

/// A path the other app serves (the storefront and the delivery explorer are separate
/// pages, each with its own wasm), reached by the router (the browser's back button
/// after a full page load between them, say): loads it from the server, as a new page.
/// When the server sent this very document for the path (`trunk serve` has the
/// storefront only: run `make run` for /explore), it does not load it again and again.
#[component]
pub fn FullPageLoad() -> impl IntoView {
    let pathname = use_location().pathname;
    let loaded = loaded_path();
    Effect::new(move |_| {
        if loaded.as_deref().is_some_and(|l| l != pathname.get()) {
            let _ = window().location().reload();
        }
    });
    view! {
        <p class="wrap narrow" role="status" data-testid="full-page-load">
            "Loading…"
        </p>
    }
}
