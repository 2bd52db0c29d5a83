use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::reader::Reader;
use crate::model::destination::{Dest, market_options, postal_hint, summary_text};
use crate::state::network::use_network;

/// The embed's "Deliver to" line: where the windows are for, and a one-line form
/// (country + postal code, checked by the engine's postal rules) open from the start when
/// the reader has no destination yet. Saved like the storefront's picker saves it.
#[component]
pub fn CompactPicker(
    /// The reader's destination.
    reader: Reader,
) -> impl IntoView {
    let network = use_network();
    let open = RwSignal::new(false);
    let market = RwSignal::new(reader.get().market);
    let postal = RwSignal::new(reader.get().postal);
    let error = RwSignal::new(None::<String>);
    let shown = move || open.get() || !reader.known();

    let summary = move || {
        let d = reader.get();
        match network.get() {
            Some(Ok(net)) => summary_text(&d, &reader.resolve(&net)),
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
                reader.set(d);
                open.set(false);
            }
            Err(msg) => error.set(Some(msg)),
        }
    };
    // Another embed saved a destination: show it in the form too.
    Effect::new(move |_| {
        let d = reader.get();
        market.set(d.market);
        postal.set(d.postal);
    });
    view! {
        <div class="dest">
            <p class="dest-line" hidden=move || !reader.known() data-testid="embed-dest-line">
                "Delivery to "
                <strong data-testid="embed-dest">{summary}</strong>
                " · "
                <button
                    type="button"
                    class="link"
                    aria-expanded=move || open.get().to_string()
                    data-testid="embed-dest-change"
                    on:click=move |_| {
                        error.set(None);
                        open.update(|o| *o = !*o)
                    }
                >
                    "Change"
                </button>
            </p>
            <form
                class="dest-form"
                hidden=move || !shown()
                on:submit=submit
                novalidate
                data-testid="embed-dest-form"
            >
                <span class="dest-ask" hidden=move || reader.known()>
                    "Delivery to"
                </span>
                <select
                    aria-label="Country"
                    data-testid="embed-dest-market"
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
                <input
                    type="text"
                    size="8"
                    autocomplete="postal-code"
                    aria-label=move || rule().0
                    placeholder=move || rule().1
                    data-testid="embed-dest-postal"
                    aria-invalid=move || error.get().is_some().to_string()
                    prop:value=move || postal.get()
                    on:input=move |ev| postal.set(event_target_value(&ev))
                />
                <button type="submit" class="set" data-testid="embed-dest-save">
                    "Set"
                </button>
            </form>
            <p class="error" role="alert" data-testid="embed-dest-error">
                {move || error.get()}
            </p>
        </div>
    }
}
