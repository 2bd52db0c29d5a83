//! The wall clock, ticking once a second, shared by every countdown on the page.

use std::time::Duration;

use leptos::prelude::*;

use crate::browser::now_unix;

/// A `Copy` handle on a clock: the instant to count from, and whether it is now.
#[derive(Clone, Copy)]
pub struct Clock {
    /// Unix seconds (reactive).
    pub now: Signal<i64>,
    /// Whether `now` is the real time (a countdown then says "Order within…"), or a chosen
    /// order time.
    pub live: Signal<bool>,
}

impl Clock {
    /// The page's live clock (see [`provide_clock`]).
    pub fn live() -> Clock {
        let now = use_context::<RwSignal<i64>>().unwrap_or_else(provide_clock);
        Clock {
            now: now.into(),
            live: Signal::stored(true),
        }
    }

    /// The engine's "now": the clock to the minute (cut-offs are whole minutes), so an
    /// estimate is recomputed once a minute, not on every tick.
    pub fn minute(&self) -> Memo<i64> {
        let now = self.now;
        Memo::new(move |_| now.get().div_euclid(60) * 60)
    }
}

/// Starts the page's clock (Unix seconds, updated every second) and shares it.
pub fn provide_clock() -> RwSignal<i64> {
    let clock = RwSignal::new(now_unix());
    if let Ok(handle) =
        set_interval_with_handle(move || clock.set(now_unix()), Duration::from_secs(1))
    {
        on_cleanup(move || handle.clear());
    }
    provide_context(clock);
    clock
}
