use crossdock_core::Instant;
use leptos::prelude::*;

use crate::model::format::countdown_text;
use crate::state::clock::Clock;

/// "Order within 3 h 12 min": the time left before a cut-off, ticking with the clock.
#[component]
pub fn Countdown(
    /// Order before this instant.
    cutoff: Instant,
    /// The clock to count from.
    clock: Clock,
) -> impl IntoView {
    move || {
        let left = countdown_text(cutoff.unix() - clock.now.get());
        if clock.live.get() {
            format!("Order within {left}")
        } else {
            format!("Order within {left} of the order time")
        }
    }
}
