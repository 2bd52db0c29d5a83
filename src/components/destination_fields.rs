use leptos::prelude::*;

use super::Field;
use crate::model::format::capitalise;
use crate::state::explore::ExploreState;

/// Where the order goes: the market and a postal code checked against the market's
/// formats, with the engine's message next to the field.
#[component]
pub fn DestinationFields(
    /// The explorer's state.
    state: ExploreState,
) -> impl IntoView {
    let estimate = state.estimate();
    let markets = state.with_net(|net| {
        net.file
            .markets
            .iter()
            .map(|m| (m.id.clone(), format!("{} ({})", m.name, m.currency)))
            .collect::<Vec<_>>()
    });
    let postal_rule = move || {
        let market = state.with(|q| q.market.clone());
        state.with_net(|net| {
            net.file
                .markets
                .iter()
                .find(|m| m.id == market)
                .map(|m| {
                    (
                        m.postal.label.clone(),
                        m.postal.example.clone(),
                        m.postal.hint.clone(),
                    )
                })
                .unwrap_or_default()
        })
    };
    // While the shopper is typing a code shorter than the example, hold the message back.
    let (focused, set_focused) = signal(false);
    let postal_error = Signal::derive(move || {
        let err = estimate.with(|e| e.errors.postal.clone())?;
        let typed = state.with(|q| q.postal.trim().chars().count());
        let example = postal_rule().1.chars().count();
        (!focused.get() || typed >= example).then_some(err)
    });
    let postal_hint = Signal::derive(move || {
        let zone = estimate.with(|e| match &e.quote {
            Some(Ok(q)) => Some(q.zone_name.clone()),
            _ => None,
        });
        match zone {
            Some(z) => Some(format!("Delivery zone: {z}")),
            None => {
                let hint = postal_rule().2;
                (!hint.is_empty()).then(|| format!("{}.", capitalise(&hint)))
            }
        }
    });

    view! {
        <fieldset class="panel">
            <legend>"Destination"</legend>
            <Field id="market" label="Country">
                <select
                    id="market"
                    data-testid="market-select"
                    autocomplete="country"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        state.update(|q, net| q.set_market(net, &v));
                    }
                >
                    {markets
                        .into_iter()
                        .map(|(id, name)| {
                            let selected = id.clone();
                            view! {
                                <option
                                    value=id
                                    prop:selected=move || state.with(|q| q.market == selected)
                                >
                                    {name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </Field>
            <Field
                id="postal"
                label=Signal::derive(move || postal_rule().0)
                hint=postal_hint
                error=postal_error
                error_testid="postal-error"
            >
                <input
                    id="postal"
                    type="text"
                    data-testid="postal-input"
                    autocomplete="postal-code"
                    autocapitalize="characters"
                    spellcheck="false"
                    maxlength="32"
                    aria-describedby="postal-hint postal-error"
                    aria-invalid=move || postal_error.with(|e| e.is_some()).to_string()
                    placeholder=move || postal_rule().1
                    prop:value=move || state.with(|q| q.postal.clone())
                    on:focus=move |_| set_focused.set(true)
                    on:blur=move |_| set_focused.set(false)
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        state.update(|q, _| q.postal = v);
                    }
                />
            </Field>
        </fieldset>
    }
}
