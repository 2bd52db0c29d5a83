//! The page's URL as reactive state, for the pages whose state lives in the query string
//! (the storefront's search and the delivery explorer). Every page is its own document
//! with its own wasm (see `app`), so this is not a router: it reads `location`, writes
//! history entries for the same page, and follows the back and forward buttons.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::model::url::QueryParams;

/// Where the document is: its path and its query parameters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// `/`, `/explore`, …
    pub path: String,
    /// The raw query string with its `?` (or empty).
    pub search: String,
    /// The query string's parameters, decoded.
    pub query: QueryParams,
}

impl Location {
    /// The browser's current location.
    fn current() -> Location {
        let loc = window().location();
        let search = loc.search().unwrap_or_default();
        Location {
            path: loc.pathname().unwrap_or_default(),
            query: QueryParams::parse(&search),
            search,
        }
    }
}

/// How [`UrlState::navigate`] writes the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    /// A new entry (the back button returns here), scrolled to the top: a new search.
    Push,
    /// The current entry replaced, the scroll kept: state that follows every keystroke.
    Replace,
}

/// A `Copy` handle on the document's location.
#[derive(Clone, Copy)]
pub struct UrlState {
    location: RwSignal<Location>,
}

impl UrlState {
    /// Reads the location without cloning it (reactive).
    pub fn with<T>(&self, f: impl FnOnce(&Location) -> T) -> T {
        self.location.with(f)
    }

    /// Reads the location without tracking.
    pub fn with_untracked<T>(&self, f: impl FnOnce(&Location) -> T) -> T {
        self.location.with_untracked(f)
    }

    /// Moves this page to `href` (a path with a query string on the same page): writes the
    /// history and updates the state; nothing is fetched from the server.
    pub fn navigate(&self, href: &str, how: Nav) {
        let Ok(history) = window().history() else {
            return;
        };
        let written = match how {
            Nav::Push => history.push_state_with_url(&JsValue::NULL, "", Some(href)),
            Nav::Replace => history.replace_state_with_url(&JsValue::NULL, "", Some(href)),
        };
        if written.is_err() {
            return;
        }
        if how == Nav::Push {
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
        self.location.set(Location::current());
    }

    /// A click handler for a link to `href` on this same page: a plain click moves the
    /// page without loading it again; a click with a modifier key (new tab, new window)
    /// is left to the browser.
    pub fn on_link_click(self, href: String) -> impl Fn(ev::MouseEvent) + 'static {
        move |e: ev::MouseEvent| {
            if e.button() != 0 || e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key() {
                return;
            }
            e.prevent_default();
            self.navigate(&href, Nav::Push);
        }
    }
}

/// Reads the location, follows back/forward, and provides the handle to the page.
pub fn provide_url() -> UrlState {
    let state = UrlState {
        location: RwSignal::new(Location::current()),
    };
    // Lives as long as the page: the app is never unmounted.
    let _listener = window_event_listener(ev::popstate, move |_| {
        state.location.set(Location::current());
    });
    provide_context(state);
    state
}

/// The handle provided by [`provide_url`] (a fresh one if there is none).
pub fn use_url() -> UrlState {
    use_context::<UrlState>().unwrap_or_else(provide_url)
}
