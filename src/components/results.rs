use leptos::prelude::*;

use super::{PlanSummary, RouteCard};
use crate::browser::format_money;
use crate::model::view::quote_view;
use crate::state::explore::ExploreState;

/// The answer: the platform's choice, then every candidate route side by side.
#[component]
pub fn Results(
    /// The explorer's state.
    state: ExploreState,
) -> impl IntoView {
    let estimate = state.estimate();
    let view_model = Memo::new(move |_| {
        estimate.with(|e| match &e.quote {
            Some(Ok(quote)) => Some(Ok(state.with_net(|net| {
                let locale = net
                    .file
                    .markets
                    .iter()
                    .find(|m| m.id == quote.market)
                    .map(|m| m.locale.clone())
                    .unwrap_or_else(|| "en-US".to_string());
                (
                    quote_view(net, quote, &|m| format_money(m, &locale)),
                    e.postal.clone(),
                )
            }))),
            Some(Err(msg)) => Some(Err(msg.clone())),
            None => None,
        })
    });
    // One short line for screen readers, in a live region that stays in the page (the
    // results themselves are redrawn on every change).
    let announce = move || {
        view_model.with(|vm| match vm {
            Some(Ok((v, _))) => match &v.plan {
                Some(p) => format!("Arrives {}, ships from {}.", p.window_text, p.ships_from),
                None => v.unavailable.clone().unwrap_or_default(),
            },
            Some(Err(msg)) => msg.clone(),
            None => "Check the fields marked as invalid to see delivery options.".to_string(),
        })
    };
    let blocked = move || {
        let fields = estimate.with(|e| {
            let er = &e.errors;
            let mut names = Vec::new();
            if er.weight.is_some() {
                names.push("weight".to_string());
            }
            if er.length.is_some() || er.width.is_some() || er.height.is_some() {
                names.push("size".to_string());
            }
            if !er.stock.is_empty() {
                names.push("stock".to_string());
            }
            if er.postal.is_some() {
                names.push(state.with_net(|net| {
                    let market = state.with(|q| q.market.clone());
                    net.file
                        .markets
                        .iter()
                        .find(|m| m.id == market)
                        .map(|m| m.postal.label.clone())
                        .unwrap_or_else(|| "postal code".to_string())
                }));
            }
            if er.qty.is_some() {
                names.push("quantity".to_string());
            }
            names
        });
        let list = match fields.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        };
        view! {
            <div class="callout callout-info" data-testid="results-blocked">
                <p>{format!("Check the {list} to see delivery options.")}</p>
            </div>
        }
    };

    view! {
        <section class="results" aria-labelledby="results-title">
            <h2 id="results-title" class="visually-hidden">"Delivery options"</h2>
            <p class="visually-hidden" aria-live="polite">{announce}</p>
            {move || match view_model.get() {
                None => blocked().into_any(),
                Some(Err(msg)) => {
                    view! {
                        <div class="callout callout-error" data-testid="quote-error">
                            <p>{msg}</p>
                        </div>
                    }
                        .into_any()
                }
                Some(Ok((v, postal))) => {
                    let head = format!(
                        "To {} · {} · today is {} there",
                        postal.unwrap_or_default(),
                        v.zone_name,
                        v.today_text,
                    );
                    let summary = match (v.plan, v.unavailable) {
                        (Some(plan), _) => view! { <PlanSummary plan=plan clock=state.clock() /> }.into_any(),
                        (None, why) => {
                            view! {
                                <section class="plan plan-none" data-testid="plan-unavailable">
                                    <p class="eyebrow">"No delivery"</p>
                                    <p class="plan-window">"We can't deliver this order"</p>
                                    <p>{why.unwrap_or_default()}</p>
                                </section>
                            }
                                .into_any()
                        }
                    };
                    let axis = v.axis;
                    let ticks = v.ticks;
                    let cards = v
                        .routes
                        .into_iter()
                        .map(|r| {
                            view! { <RouteCard route=r axis=axis ticks=ticks.clone() clock=state.clock() /> }
                        })
                        .collect_view();
                    view! {
                        <p class="results-head">{head}</p>
                        {summary}
                        <div class="routes-head">
                            <h3>{v.routes_title}</h3>
                            <p class="legend" aria-hidden="true">
                                <span class="legend-sure"></span>
                                "takes"
                                <span class="legend-maybe"></span>
                                "may take"
                                <span class="legend-window"></span>
                                "promised window"
                            </p>
                        </div>
                        <div class="routes">{cards}</div>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
