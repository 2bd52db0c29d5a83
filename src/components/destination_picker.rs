use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::model::destination::{Dest, market_options, postal_hint, summary_text};
use crate::state::destination::use_destination;
use crate::state::network::use_network;

/// The header's "Deliver to" picker: country and postal code, checked by the engine's
/// postal rules, remembered in the browser. Only the delivery zone it maps to is ever
/// sent to the server.
#[component]
pub fn DestinationPicker() -> impl IntoView {
    let dest = use_destination();
    let network = use_network();
    let open = RwSignal::new(false);
    let market = RwSignal::new(dest.get_untracked().market);
    let postal = RwSignal::new(dest.get_untracked().postal);
    let error = RwSignal::new(None::<String>);

    let summary = move || {
        let d = dest.get();
        match network.get() {
            Some(Ok(net)) => summary_text(&d, &dest.resolve(&net)),
            _ => d.market,
        }
    };
    let markets = move || match network.get() {
        Some(Ok(net)) => market_options(&net),
        _ => Vec::new(),
    };
    let rule = move || match network.get() {
        Some(Ok(net)) => postal_hint(&net, &market.get()),
        _ => ("Postal code".to_string(), String::new()),
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(Ok(net)) = network.get_untracked() else {
            return;
        };
        match Dest::parse(&net, &market.get_untracked(), &postal.get_untracked()) {
            Ok(d) => {
                postal.set(d.postal.clone());
                error.set(None);
                dest.set(d);
                open.set(false);
            }
            Err(msg) => error.set(Some(msg)),
        }
    };
    view! {
        <div class="dest-picker">
            <button
                type="button"
                class="dest-toggle"
                aria-expanded=move || open.get().to_string()
                aria-controls="dest-form"
                data-testid="dest-toggle"
                on:click=move |_| {
                    if !open.get_untracked() {
                        let d = dest.get_untracked();
                        market.set(d.market);
                        postal.set(d.postal);
                        error.set(None);
                    }
                    open.update(|o| *o = !*o)
                }
            >
                <span class="dest-label">"Deliver to"</span>
                <strong data-testid="dest-summary">{summary}</strong>
            </button>
            <form
                id="dest-form"
                class="dest-form"
                hidden=move || !open.get()
                on:submit=submit
                novalidate
                data-testid="dest-form"
            >
                <label class="field">
                    <span class="label">"Country"</span>
                    <select
                        data-testid="dest-market"
                        prop:value=move || market.get()
                        on:change=move |ev| {
                            market.set(event_target_value(&ev));
                            error.set(None);
                        }
                    >
                        {move || {
                            markets()
                                .into_iter()
                                .map(|(id, name)| {
                                    let selected = market.get_untracked() == id;
                                    view! {
                                        <option value=id.clone() selected=selected>
                                            {name}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label class="field">
                    <span class="label">{move || rule().0}</span>
                    <input
                        type="text"
                        autocomplete="postal-code"
                        data-testid="dest-postal"
                        placeholder=move || rule().1
                        aria-invalid=move || error.get().is_some().to_string()
                        aria-describedby="dest-error"
                        prop:value=move || postal.get()
                        on:input=move |ev| postal.set(event_target_value(&ev))
                    />
                </label>
                <p id="dest-error" class="error" role="alert" data-testid="dest-error">
                    {move || error.get()}
                </p>
                <p class="hint">"Your postal code stays in this browser: only the delivery area is sent."</p>
                <button type="submit" class="button button-primary" data-testid="dest-save">
                    "Update delivery"
                </button>
            </form>
        </div>
    }
}
