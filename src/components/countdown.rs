use crossdock_core::Instant;
use leptos::prelude::*;

use crate::model::format::countdown_text;
use crate::state::explore::ExploreState;

/// "Order within 3 h 12 min": the time left before a cut-off, ticking when the order
/// time is now.
#[component]
pub fn Countdown(
    /// Order before this instant.
    cutoff: Instant,
    /// The explorer's state (for the order time).
    state: ExploreState,
) -> impl IntoView {
    move || {
        let left = countdown_text(cutoff.unix() - state.order_time());
        if state.is_live() {
            format!("Order within {left}")
        } else {
            format!("Order within {left} of the order time")
        }
    }
}
