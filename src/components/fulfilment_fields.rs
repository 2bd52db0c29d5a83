use crossdock_core::Mode;
use leptos::prelude::*;

use super::Field;
use crate::model::query::{market_name, mode_id, parse_mode, stock_warehouses};
use crate::state::explore::ExploreState;

/// One line on what a fulfilment mode means.
fn mode_hint(mode: Mode) -> &'static str {
    match mode {
        Mode::FullyManaged => {
            "Stock waits in the platform's consolidation warehouse in China and flies to the shopper: about 7–14 days."
        }
        Mode::SemiManaged => {
            "Stock sits in the seller's own or 3PL warehouse in the market and ships with a local carrier: about 4–9 days."
        }
        Mode::PlatformLocal => {
            "Stock is pre-positioned in the platform's warehouses in the market: 1–2 days near a warehouse."
        }
    }
}

/// The fulfilment mode and the stock in each warehouse of that mode.
#[component]
pub fn FulfilmentFields(
    /// The explorer's state.
    state: ExploreState,
) -> impl IntoView {
    let errors = state.estimate();
    let warehouses = move || {
        let (mode, market) = state.with(|q| (q.mode, q.market.clone()));
        state.with_net(|net| {
            stock_warehouses(net, mode, &market)
                .into_iter()
                .map(|w| (w.id.clone(), w.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let none_text = move || {
        let (mode, market) = state.with(|q| (q.mode, q.market.clone()));
        let kind = match mode {
            Mode::FullyManaged => "consolidation warehouses",
            Mode::SemiManaged => "seller 3PL warehouses",
            Mode::PlatformLocal => "platform warehouses",
        };
        format!(
            "The network has no {kind} in {}.",
            state.with_net(|net| market_name(net, &market))
        )
    };

    view! {
        <fieldset class="panel">
            <legend>"Fulfilment"</legend>
            <Field
                id="mode"
                label="Fulfilment mode"
                hint=Signal::derive(move || Some(mode_hint(state.with(|q| q.mode)).to_string()))
            >
                <select
                    id="mode"
                    data-testid="mode-select"
                    aria-describedby="mode-hint"
                    on:change=move |ev| {
                        if let Some(m) = parse_mode(&event_target_value(&ev)) {
                            state.update(|q, _| q.mode = m);
                        }
                    }
                >
                    {Mode::ALL
                        .into_iter()
                        .map(|m| {
                            view! {
                                <option
                                    value=mode_id(m)
                                    prop:selected=move || state.with(|q| q.mode == m)
                                >
                                    {m.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </Field>
            <div class="field">
                <span class="label" id="stock-label">"Units in stock"</span>
                {move || {
                    let list = warehouses();
                    if list.is_empty() {
                        view! { <p class="hint">{none_text()}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="stock-list" aria-labelledby="stock-label">
                                {list
                                    .into_iter()
                                    .map(|(id, name)| {
                                        let input_id = format!("stock-{id}");
                                        let error_id = format!("stock-{id}-error");
                                        let (id_err, id_val, id_set) = (id.clone(), id.clone(), id.clone());
                                        let error = Signal::derive(move || {
                                            errors.with(|e| e.errors.stock.get(&id_err).cloned())
                                        });
                                        view! {
                                            <li class="stock-row" class:invalid=move || error.with(Option::is_some)>
                                                <label for=input_id.clone()>{name}</label>
                                                <input
                                                    id=input_id.clone()
                                                    data-testid=input_id
                                                    type="number"
                                                    inputmode="numeric"
                                                    min="0"
                                                    step="1"
                                                    aria-describedby=error_id.clone()
                                                    aria-invalid=move || error.with(Option::is_some).to_string()
                                                    prop:value=move || state.with(|q| q.stock_text(&id_val))
                                                    on:input=move |ev| {
                                                        let v = event_target_value(&ev);
                                                        let id = id_set.clone();
                                                        state.update(|q, _| { q.stock.insert(id, v); });
                                                    }
                                                />
                                                {move || {
                                                    error
                                                        .get()
                                                        .map(|m| {
                                                            view! {
                                                                <p class="error" id=error_id.clone() role="alert">
                                                                    {m}
                                                                </p>
                                                            }
                                                        })
                                                }}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }}
            </div>
        </fieldset>
    }
}
