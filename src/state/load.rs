//! [`Load`]: data fetched from the server for a page, reloaded when what it depends on
//! changes. A small stand-in for Leptos's `LocalResource` (whose generic async machinery
//! costs every page several KB of wasm for each type it loads): a signal holding the
//! latest answer, and an effect that starts a fetch whenever the signals read by `fetch`
//! change. Answers that arrive after a newer fetch has started are dropped, so a slow
//! answer never overwrites a newer one.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

/// A `Copy` handle on loaded data: `None` until the first answer; afterwards the latest
/// answer, kept while a newer fetch runs (so a page does not blank out as it reloads).
pub struct Load<T: 'static> {
    value: RwSignal<Option<T>, LocalStorage>,
    attempt: RwSignal<u32>,
}

impl<T: 'static> Clone for Load<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Load<T> {}

impl<T: Clone + 'static> Load<T> {
    /// Starts fetching now, and again whenever a signal that `fetch` reads (before its
    /// future starts) changes, or [`Load::reload`] is called.
    pub fn new<Fut>(fetch: impl Fn() -> Fut + 'static) -> Load<T>
    where
        Fut: Future<Output = T> + 'static,
    {
        let value = RwSignal::new_local(None);
        let attempt = RwSignal::new(0u32);
        let latest = StoredValue::new(0u64);
        Effect::new(move |_| {
            attempt.track();
            let future = fetch();
            let this = latest.get_value().wrapping_add(1);
            latest.set_value(this);
            spawn_local(async move {
                let answer = future.await;
                if latest.try_get_value() == Some(this) {
                    value.try_set(Some(answer));
                }
            });
        });
        Load { value, attempt }
    }

    /// The latest answer (reactive).
    pub fn get(&self) -> Option<T> {
        self.value.get()
    }

    /// The latest answer, without tracking.
    pub fn get_untracked(&self) -> Option<T> {
        self.value.get_untracked()
    }

    /// Fetches again with the same inputs (a "Try again" button).
    pub fn reload(&self) {
        self.attempt.update(|a| *a = a.wrapping_add(1));
    }
}
