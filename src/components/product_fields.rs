use leptos::prelude::*;

use super::Field;
use crate::model::format::{capitalise, dims_text, weight_text};
use crate::model::presets::{PRESETS, preset};
use crate::state::explore::ExploreState;

/// The product: a preset, or its weight, size and category typed in. Editing a number
/// turns a preset into a custom product with the preset's other values.
#[component]
pub fn ProductFields(
    /// The explorer's state.
    state: ExploreState,
) -> impl IntoView {
    let errors = state.estimate();
    let categories = state.with_net(|net| {
        net.file
            .categories
            .iter()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect::<Vec<_>>()
    });
    let category_hint = move || {
        let id = state.with(|q| q.category.clone());
        state.with_net(|net| {
            net.file.categories.iter().find(|c| c.id == id).map(|c| {
                let mut notes = Vec::new();
                for h in &c.hazards {
                    notes.push(format!("Contains {}", h.describe()));
                }
                if !c.fully_managed {
                    notes.push("not accepted for fully managed fulfilment".to_string());
                }
                if notes.is_empty() {
                    "Accepted in every fulfilment mode.".to_string()
                } else {
                    let s = capitalise(&notes.join("; "));
                    s + "."
                }
            })
        })
    };
    let preset_hint = move || {
        Some(match state.with(|q| q.preset).and_then(preset) {
            Some(p) => format!(
                "Packed: {}, {}. Edit any value to make it your own.",
                weight_text(u64::from(p.weight_g)),
                dims_text(p.dims_mm)
            ),
            None => "Your own weight, size and category.".to_string(),
        })
    };
    // One handler per number field: typing makes the product custom.
    let edit = move |set: fn(&mut crate::model::query::ExploreQuery, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            state.update(|q, _| {
                q.preset = None;
                set(q, v);
            });
        }
    };

    view! {
        <fieldset class="panel">
            <legend>"Product"</legend>
            <Field id="preset" label="Product" hint=Signal::derive(preset_hint)>
                <select
                    id="preset"
                    data-testid="preset-select"
                    aria-describedby="preset-hint"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        state
                            .update(|q, _| match preset(&v) {
                                Some(p) => q.set_preset(p),
                                None => q.preset = None,
                            });
                    }
                >
                    {PRESETS
                        .iter()
                        .map(|p| {
                            let text = format!("{} · {}", p.name, weight_text(u64::from(p.weight_g)));
                            let id = p.id;
                            view! {
                                <option
                                    value=id
                                    prop:selected=move || state.with(|q| q.preset == Some(id))
                                >
                                    {text}
                                </option>
                            }
                        })
                        .collect_view()}
                    <option
                        value="custom"
                        prop:selected=move || state.with(|q| q.preset.is_none())
                    >
                        "Custom product"
                    </option>
                </select>
            </Field>
            <Field
                id="weight"
                label="Weight, packed (g)"
                error=Signal::derive(move || errors.with(|e| e.errors.weight.clone()))
            >
                <input
                    id="weight"
                    type="number"
                    inputmode="numeric"
                    min="1"
                    step="1"
                    aria-describedby="weight-error"
                    aria-invalid=move || errors.with(|e| e.errors.weight.is_some()).to_string()
                    prop:value=move || state.with(|q| q.weight.clone())
                    on:input=edit(|q, v| q.weight = v)
                />
            </Field>
            <div class="field" class:invalid=move || errors.with(|e| e.errors.length.is_some() || e.errors.width.is_some() || e.errors.height.is_some())>
                <span class="label" id="size-label">"Size, packed (mm)"</span>
                <div class="dims" role="group" aria-labelledby="size-label">
                    <label class="visually-hidden" for="length">"Length (mm)"</label>
                    <input
                        id="length"
                        type="number"
                        inputmode="numeric"
                        min="1"
                        step="1"
                        placeholder="L"
                        aria-invalid=move || errors.with(|e| e.errors.length.is_some()).to_string()
                        prop:value=move || state.with(|q| q.length.clone())
                        on:input=edit(|q, v| q.length = v)
                    />
                    <span aria-hidden="true">"×"</span>
                    <label class="visually-hidden" for="width">"Width (mm)"</label>
                    <input
                        id="width"
                        type="number"
                        inputmode="numeric"
                        min="1"
                        step="1"
                        placeholder="W"
                        aria-invalid=move || errors.with(|e| e.errors.width.is_some()).to_string()
                        prop:value=move || state.with(|q| q.width.clone())
                        on:input=edit(|q, v| q.width = v)
                    />
                    <span aria-hidden="true">"×"</span>
                    <label class="visually-hidden" for="height">"Height (mm)"</label>
                    <input
                        id="height"
                        type="number"
                        inputmode="numeric"
                        min="1"
                        step="1"
                        placeholder="H"
                        aria-invalid=move || errors.with(|e| e.errors.height.is_some()).to_string()
                        prop:value=move || state.with(|q| q.height.clone())
                        on:input=edit(|q, v| q.height = v)
                    />
                </div>
                {move || {
                    errors
                        .with(|e| {
                            [
                                ("Length", &e.errors.length),
                                ("Width", &e.errors.width),
                                ("Height", &e.errors.height),
                            ]
                                .iter()
                                .find_map(|(what, err)| {
                                    err.as_ref().map(|m| format!("{what}: {}", m.to_ascii_lowercase()))
                                })
                        })
                        .map(|m| view! { <p class="error" role="alert">{m}</p> })
                }}
            </div>
            <Field id="category" label="Category" hint=Signal::derive(category_hint)>
                <select
                    id="category"
                    aria-describedby="category-hint"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        state
                            .update(|q, _| {
                                q.preset = None;
                                q.category = v;
                            });
                    }
                >
                    {categories
                        .into_iter()
                        .map(|(id, name)| {
                            let selected = id.clone();
                            view! {
                                <option
                                    value=id
                                    prop:selected=move || state.with(|q| q.category == selected)
                                >
                                    {name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </Field>
        </fieldset>
    }
}
