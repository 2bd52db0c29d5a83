use leptos::prelude::*;

use super::{Countdown, Timeline};
use crate::model::timeline::{Axis, Tick};
use crate::model::view::{RouteVerdict, RouteView};
use crate::state::clock::Clock;

/// One candidate route: its window, cut-off, costs and legs, or why it cannot ship.
#[component]
pub fn RouteCard(
    /// The route.
    route: RouteView,
    /// The axis shared by every card (`None` when no route is feasible).
    axis: Option<Axis>,
    ticks: Vec<Tick>,
    /// The clock its countdown ticks with.
    clock: Clock,
) -> impl IntoView {
    let route_id = route.id.clone();
    let feasible = matches!(route.verdict, RouteVerdict::Feasible(_));
    let chosen = route.chosen.is_some();
    let badge = route.chosen.clone().map(|b| {
        view! { <span class="badge badge-chosen" data-testid="chosen-route">{b}</span> }
    });
    let body = match route.verdict {
        RouteVerdict::Feasible(f) => {
            let timeline = axis.map(|axis| {
                view! { <Timeline route=f.clone() axis=axis ticks=ticks.clone() /> }
            });
            view! {
                <div class="route-promise">
                    <p class="route-window-label">"Arrives"</p>
                    <p class="route-window" data-testid="route-window">{f.window_text}</p>
                    <p class="route-prob">{format!("{} of orders arrive in this window", f.probability_text)}</p>
                </div>
                <p class="route-cutoff">
                    <strong><Countdown cutoff=f.cutoff clock=clock /></strong>
                    <span class="route-cutoff-at">{format!("Cut-off {}", f.cutoff_text)}</span>
                </p>
                <dl class="route-money">
                    <div>
                        <dt>"Shopper pays"</dt>
                        <dd>{f.fee_text}</dd>
                    </div>
                    <div>
                        <dt>"Costs the platform"</dt>
                        <dd>{f.cost_text}</dd>
                    </div>
                </dl>
                {timeline}
                <p class="route-load">{f.load_text}</p>
            }
                .into_any()
        }
        RouteVerdict::Infeasible(reason) => match route.part {
            // Part of a split shipment: what this warehouse ships, and why it can't
            // ship everything alone.
            Some(part) => view! {
                <div class="route-promise">
                    <p class="route-window-label">{part.share_text}</p>
                    <p class="route-window" data-testid="route-window">{part.window_text}</p>
                    <p class="route-prob">
                        {format!("{} of orders arrive in this window", part.probability_text)}
                    </p>
                </div>
                <dl class="route-money">
                    <div>
                        <dt>"This part costs the platform"</dt>
                        <dd>{part.cost_text}</dd>
                    </div>
                </dl>
                <p class="route-reason route-reason-quiet" data-testid="route-reason">
                    <span class="route-reason-label">"Alone: "</span>
                    {reason}
                </p>
            }
            .into_any(),
            None => view! {
                <p class="route-reason" data-testid="route-reason">
                    <span class="route-reason-label">"Can't ship: "</span>
                    {reason}
                </p>
            }
            .into_any(),
        },
    };
    view! {
        <article
            class="route-card"
            class:chosen=chosen
            class:infeasible=!feasible && !chosen
            data-testid="route-card"
            data-route-id=route.id.clone()
            data-feasible=feasible.to_string()
            data-chosen=chosen.to_string()
        >
            <header class="route-head">
                <div>
                    <h3 class="route-name">{route.warehouse_name}</h3>
                    <p class="route-city">{route.city}</p>
                </div>
                {badge}
            </header>
            {body}
            <p class="route-id" title="Route id">{route_id}</p>
        </article>
    }
}
