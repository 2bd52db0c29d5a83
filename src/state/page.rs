//! Which of the two apps runs in this document (the storefront or the delivery explorer,
//! each its own page with its own wasm), and the path the document was loaded at: links
//! and routes that lead to the other app must load a new page from the server.

use leptos::prelude::*;

/// Shared by every page of one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageContext {
    /// Whether this is the explorer's app (`/explore`), whose links to the storefront
    /// are full page loads.
    pub explorer: bool,
    /// The path the document was loaded at, before the router moved anywhere.
    pub loaded_path: String,
}

/// Provides the [`PageContext`]; call it before the `<Router>` is created.
pub fn provide_page(explorer: bool) {
    let loaded_path = window().location().pathname().unwrap_or_default();
    provide_context(PageContext {
        explorer,
        loaded_path,
    });
}

/// The `rel` of a link to a page of the storefront: `external` (a full page load) in
/// the explorer's app, none (the router's client-side navigation) in the storefront.
pub fn storefront_rel() -> Option<&'static str> {
    use_context::<PageContext>()
        .is_some_and(|p| p.explorer)
        .then_some("external")
}

/// The path this document was loaded at (`None` outside the apps).
pub fn loaded_path() -> Option<String> {
    use_context::<PageContext>().map(|p| p.loaded_path)
}
