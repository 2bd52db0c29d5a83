use leptos::prelude::*;

use super::Countdown;
use crate::model::view::PlanView;
use crate::state::clock::Clock;

/// The route the platform chose, and why: the promise a shopper would see.
#[component]
pub fn PlanSummary(
    /// The chosen plan.
    plan: PlanView,
    /// The clock its countdown ticks with.
    clock: Clock,
) -> impl IntoView {
    view! {
        <section class="plan" data-testid="plan" aria-labelledby="plan-title">
            <p class="eyebrow" id="plan-title">"The platform's choice"</p>
            <p class="plan-window">
                "Arrives " <strong data-testid="plan-window">{plan.window_text}</strong>
            </p>
            <ul class="plan-facts">
                <li>"Ships from " <strong>{plan.ships_from}</strong></li>
                <li>
                    <Countdown cutoff=plan.cutoff clock=clock />
                </li>
                <li>{format!("{} of orders arrive in this window", plan.probability_text)}</li>
                <li>
                    {format!("Delivery: {} for the shopper · {} to the platform", plan.fee_text, plan.cost_text)}
                </li>
            </ul>
            <p class="plan-why">
                <span class="plan-why-label">"Why this route: "</span>
                <span data-testid="plan-sentence">{plan.sentence}</span>
            </p>
        </section>
    }
}
