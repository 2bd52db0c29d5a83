use std::sync::Arc;

use crossdock_core::{Instant, Network};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::api::seller::{
    NewInbound, SaveError, SkuDetail, create_inbound, delete_inbound, fetch_sku, is_signed_out,
};
use crate::browser::now_unix;
use crate::model::format::short_date;
use crate::model::seller::inbound::{
    InboundDraft, InboundField, InboundProblems, Receiver, WarehouseShipments, check, eta_bounds,
    on_the_way, receivers, units_text, warehouse_zone,
};

fn now() -> Option<Instant> {
    Instant::from_unix(now_unix()).ok()
}

fn focus(id: &str) {
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Sea shipments on their way to the SKU's overseas warehouses — per warehouse, soonest
/// first, each with a Withdraw button that asks before it acts — and a form to announce
/// one (warehouse, units, arrival day) whose problems show beside the field at fault,
/// found in the browser or said by the server. Every write carries the SKU's version;
/// the SKU the server answers with goes back to the page (`on_changed`, or `on_stale`
/// when the version seen was stale), so its version, stock and history move on.
#[component]
pub fn InboundShipments(
    /// The listing id.
    id: i64,
    /// The SKU as last loaded: its shipments, warehouses and version.
    #[prop(into)]
    sku: Signal<Option<SkuDetail>>,
    /// The delivery network (warehouse names and time zones); `None` while it loads.
    #[prop(into)]
    net: Signal<Option<Arc<Network>>>,
    /// A write of the SKU is under way (shared with the page's other writes).
    busy: RwSignal<bool>,
    /// Called with the SKU as it is after a shipment was announced or withdrawn.
    on_changed: Callback<SkuDetail>,
    /// Called with the SKU as it is now when the one the seller saw had changed.
    on_stale: Callback<SkuDetail>,
) -> impl IntoView {
    let draft = RwSignal::new(InboundDraft::default());
    let problems = RwSignal::new(InboundProblems::default());
    // What the last announce or withdraw did: (done, words).
    let outcome = RwSignal::new(None::<(bool, String)>);
    let confirming = RwSignal::new(None::<i64>);

    let choices: Memo<Vec<Receiver>> = Memo::new(move |_| {
        let Some(n) = net.get() else {
            return Vec::new();
        };
        sku.with(|s| {
            s.as_ref().map_or_else(Vec::new, |d| {
                receivers(
                    &n,
                    &d.warehouse_choices.semi_managed,
                    &d.warehouse_choices.platform_local,
                )
            })
        })
    });
    // With one warehouse to choose from, it is chosen.
    Effect::new(move |_| {
        let c = choices.get();
        if let [only] = c.as_slice()
            && draft.with_untracked(|d| d.warehouse.is_empty())
        {
            draft.update(|d| d.warehouse = only.id.clone());
        }
    });
    let groups: Memo<Vec<WarehouseShipments>> = Memo::new(move |_| {
        let (Some(n), Some(at)) = (net.get(), now()) else {
            return Vec::new();
        };
        sku.with(|s| {
            let Some(d) = s.as_ref() else {
                return Vec::new();
            };
            let all: Vec<(i64, String, i64, Instant)> = d
                .stock
                .iter()
                .flat_map(|r| r.inbound.iter())
                .map(|i| (i.id, i.warehouse.clone(), i.quantity, i.eta))
                .collect();
            on_the_way(&n, &all, at)
        })
    });
    // The days the chosen warehouse can be told (its time zone's today + 1 to a year).
    let bounds = Memo::new(move |_| {
        let (Some(n), Some(at)) = (net.get(), now()) else {
            return (String::new(), String::new());
        };
        let tz = draft.with(|d| warehouse_zone(&n, &d.warehouse));
        let (first, last) = eta_bounds(&tz, at);
        (first.to_string(), last.to_string())
    });

    let fail = move |verb: &str, e: SaveError| match e {
        SaveError::Other(e) if is_signed_out(&e) => outcome.try_set(Some((
            false,
            format!("Not {verb}: your session ended. Sign in again, then try once more."),
        ))),
        other => outcome.try_set(Some((false, format!("Not {verb}. {other}")))),
    };

    let announce = move || {
        if busy.get_untracked() {
            return;
        }
        let (Some(n), Some(d), Some(at)) = (net.get_untracked(), sku.get_untracked(), now()) else {
            outcome.set(Some((
                false,
                "Not ready yet: wait for the delivery network to load, then announce it.".into(),
            )));
            return;
        };
        let ask = match check(&draft.get_untracked(), &choices.get_untracked(), &n, at) {
            Ok(a) => a,
            Err(p) => {
                if let Some(f) = p.first() {
                    focus(f.input_id());
                }
                problems.set(p);
                outcome.set(None);
                return;
            }
        };
        problems.set(InboundProblems::default());
        outcome.set(None);
        busy.set(true);
        let name = choices
            .get_untracked()
            .into_iter()
            .find(|r| r.id == ask.warehouse)
            .map_or_else(|| ask.warehouse.clone(), |r| r.name);
        let tz = warehouse_zone(&n, &ask.warehouse);
        let body = NewInbound {
            warehouse: ask.warehouse.clone(),
            quantity: ask.quantity,
            eta: ask.eta,
            version: d.version,
        };
        spawn_local(async move {
            match create_inbound(id, &body).await {
                Ok(answer) => {
                    let today = tz.date(at);
                    let text = format!(
                        "Announced: {} to {name}, arriving {}. They become stock on hand that day.",
                        units_text(i64::from(ask.quantity)),
                        short_date(tz.date(ask.eta), today.ymd().0),
                    );
                    draft.try_update(|d| {
                        d.quantity.clear();
                        d.eta.clear();
                    });
                    outcome.try_set(Some((true, text)));
                    on_changed.run(answer.listing);
                }
                Err(SaveError::Conflict(current)) => {
                    on_stale.run(*current);
                    outcome.try_set(Some((
                        false,
                        "Not announced: this SKU changed meanwhile (another tab, a colleague or a shipment arriving). Its current stock is shown; check the shipment and announce it again.".into(),
                    )));
                }
                Err(SaveError::Invalid { field, message }) => {
                    let text = SaveError::Invalid {
                        field: field.clone(),
                        message,
                    }
                    .to_string();
                    match InboundField::of_server(&field) {
                        Some(f) => {
                            problems.try_set(InboundProblems::only(f, text));
                            focus(f.input_id());
                        }
                        None => {
                            outcome.try_set(Some((false, format!("Not announced. {text}"))));
                        }
                    }
                }
                Err(e) => {
                    fail("announced", e);
                }
            }
            busy.try_set(false);
        });
    };

    let withdraw = move |shipment: i64| {
        if busy.get_untracked() {
            return;
        }
        let said = groups.with_untracked(|g| {
            g.iter().find_map(|g| {
                g.lines
                    .iter()
                    .find(|l| l.id == shipment)
                    .map(|l| format!("{} to {}", l.text, g.name))
            })
        });
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            match delete_inbound(id, shipment).await {
                Ok(answer) => {
                    confirming.try_set(None);
                    outcome.try_set(Some((
                        true,
                        format!(
                            "Withdrawn: {}.",
                            said.unwrap_or_else(|| format!("shipment {shipment}"))
                        ),
                    )));
                    on_changed.run(answer.listing);
                    focus("inbound-title");
                }
                Err(SaveError::Conflict(current)) => {
                    confirming.try_set(None);
                    on_stale.run(*current);
                    outcome.try_set(Some((
                        false,
                        "Not withdrawn: this SKU changed meanwhile. Its current stock is shown; withdraw the shipment again if it is still on its way.".into(),
                    )));
                }
                Err(e) => {
                    confirming.try_set(None);
                    fail("withdrawn", e);
                    // It may have arrived meanwhile: show the SKU as it is now.
                    if let Ok(current) = fetch_sku(id).await {
                        on_stale.run(current);
                    }
                }
            }
            busy.try_set(false);
        });
    };

    let list = move || {
        let gs = groups.get();
        if gs.is_empty() {
            return view! {
                <p class="muted" data-testid="inbound-empty">"Nothing is on its way by sea."</p>
            }
            .into_any();
        }
        view! {
            <ul class="inbound-groups" data-testid="inbound-groups">
                {gs
                    .into_iter()
                    .map(|g| {
                        let name = g.name.clone();
                        view! {
                            <li class="inbound-group" data-testid="inbound-group" data-warehouse=g.warehouse.clone()>
                                <p class="inbound-warehouse">
                                    <strong>{g.name.clone()}</strong>
                                    {(g.lines.len() > 1)
                                        .then(|| {
                                            view! {
                                                <span class="cell-note">
                                                    {format!("{} shipments, {} in all", g.lines.len(), units_text(g.total))}
                                                </span>
                                            }
                                        })}
                                </p>
                                <ul class="shipments">
                                    {g
                                        .lines
                                        .into_iter()
                                        .map(|l| {
                                            let sid = l.id;
                                            let asking = move || confirming.get() == Some(sid);
                                            let question_id = format!("withdraw-question-{sid}");
                                            let hidden = format!(": {} to {name}", l.text);
                                            view! {
                                                <li class="shipment" data-testid="shipment" data-id=sid.to_string()>
                                                    <span class="shipment-text" data-testid="shipment-text">{l.text.clone()}</span>
                                                    <button
                                                        type="button"
                                                        class="button button-small"
                                                        id=format!("withdraw-{sid}")
                                                        data-testid="withdraw"
                                                        hidden=asking
                                                        disabled=move || busy.get()
                                                        on:click=move |_| {
                                                            confirming.set(Some(sid));
                                                            request_animation_frame(move || {
                                                                focus(&format!("withdraw-yes-{sid}"));
                                                            });
                                                        }
                                                    >
                                                        "Withdraw"
                                                        <span class="visually-hidden">{hidden}</span>
                                                    </button>
                                                    <div
                                                        class="shipment-confirm"
                                                        role="group"
                                                        aria-labelledby=question_id.clone()
                                                        data-testid="withdraw-confirm"
                                                        hidden=move || !asking()
                                                    >
                                                        <p id=question_id.clone()>{l.question.clone()}</p>
                                                        <div class="shipment-confirm-actions">
                                                            <button
                                                                type="button"
                                                                class="button button-small button-danger"
                                                                id=format!("withdraw-yes-{sid}")
                                                                data-testid="withdraw-yes"
                                                                disabled=move || busy.get()
                                                                on:click=move |_| withdraw(sid)
                                                            >
                                                                {move || if busy.get() { "Withdrawing…" } else { "Yes, withdraw it" }}
                                                            </button>
                                                            <button
                                                                type="button"
                                                                class="button button-small"
                                                                data-testid="withdraw-keep"
                                                                on:click=move |_| {
                                                                    confirming.set(None);
                                                                    request_animation_frame(move || {
                                                                        focus(&format!("withdraw-{sid}"));
                                                                    });
                                                                }
                                                            >
                                                                "Keep it"
                                                            </button>
                                                        </div>
                                                    </div>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };

    let field_error = move |f: InboundField| problems.with(|p| p.of(f).cloned());
    let invalid = move |f: InboundField| problems.with(|p| p.of(f).is_some());
    let edit = move |f: InboundField, v: String| {
        draft.update(|d| match f {
            InboundField::Warehouse => d.warehouse = v,
            InboundField::Quantity => d.quantity = v,
            InboundField::Eta => d.eta = v,
        });
        problems.update(|p| p.clear(f));
    };
    // Enter in a field announces (and does not save the SKU's form around it).
    let on_enter = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            announce();
        }
    };
    let options = move |own: bool| {
        choices
            .get()
            .into_iter()
            .filter(|r| r.own == own)
            .map(|r| {
                let v = r.id.clone();
                view! {
                    <option value=r.id.clone() selected=move || draft.with(|d| d.warehouse == v)>
                        {r.label()}
                    </option>
                }
            })
            .collect_view()
    };
    let has_own = move || choices.with(|c| c.iter().any(|r| r.own));
    let has_platform = move || choices.with(|c| c.iter().any(|r| !r.own));

    view! {
        <section class="inbound" aria-labelledby="inbound-title" data-testid="inbound">
            <h3 id="inbound-title" tabindex="-1">"Sea shipments on their way"</h3>
            <p class="hint inbound-intro">
                "Stock you have shipped by sea to an overseas warehouse. It becomes stock on hand on the day it arrives (the warehouse's date), and shoppers are promised from it from then on."
            </p>
            {list}
            <fieldset class="inbound-form" data-testid="inbound-form" hidden=move || choices.with(Vec::is_empty)>
                <legend>"Announce a shipment"</legend>
                <div class="inbound-fields">
                    <div class="field" class:invalid=move || invalid(InboundField::Warehouse)>
                        <label for="inbound-warehouse">"Goes to"</label>
                        <select
                            id="inbound-warehouse"
                            data-testid="inbound-warehouse"
                            aria-describedby="inbound-warehouse-error"
                            aria-invalid=move || invalid(InboundField::Warehouse).to_string()
                            on:change=move |ev| edit(InboundField::Warehouse, event_target_value(&ev))
                        >
                            <option value="" selected=move || draft.with(|d| d.warehouse.is_empty())>
                                "Choose a warehouse"
                            </option>
                            {move || has_own().then(|| view! { <optgroup label="Your warehouses">{options(true)}</optgroup> })}
                            {move || {
                                has_platform()
                                    .then(|| view! { <optgroup label="Platform local warehouses">{options(false)}</optgroup> })
                            }}
                        </select>
                        <p class="error" id="inbound-warehouse-error" data-testid="inbound-warehouse-error">
                            {move || field_error(InboundField::Warehouse)}
                        </p>
                    </div>
                    <div class="field" class:invalid=move || invalid(InboundField::Quantity)>
                        <label for="inbound-quantity">"Units"</label>
                        <input
                            id="inbound-quantity"
                            type="text"
                            inputmode="numeric"
                            autocomplete="off"
                            data-testid="inbound-quantity"
                            aria-describedby="inbound-quantity-error"
                            aria-invalid=move || invalid(InboundField::Quantity).to_string()
                            prop:value=move || draft.with(|d| d.quantity.clone())
                            on:input=move |ev| edit(InboundField::Quantity, event_target_value(&ev))
                            on:keydown=on_enter
                        />
                        <p class="error" id="inbound-quantity-error" data-testid="inbound-quantity-error">
                            {move || field_error(InboundField::Quantity)}
                        </p>
                    </div>
                    <div class="field" class:invalid=move || invalid(InboundField::Eta)>
                        <label for="inbound-eta">"Arrives on"</label>
                        <input
                            id="inbound-eta"
                            type="date"
                            data-testid="inbound-eta"
                            aria-describedby="inbound-eta-hint inbound-eta-error"
                            aria-invalid=move || invalid(InboundField::Eta).to_string()
                            min=move || bounds.get().0
                            max=move || bounds.get().1
                            prop:value=move || draft.with(|d| d.eta.clone())
                            on:input=move |ev| edit(InboundField::Eta, event_target_value(&ev))
                            on:keydown=on_enter
                        />
                        <p class="hint" id="inbound-eta-hint">"The warehouse's date, after today."</p>
                        <p class="error" id="inbound-eta-error" data-testid="inbound-eta-error">
                            {move || field_error(InboundField::Eta)}
                        </p>
                    </div>
                </div>
                <button
                    type="button"
                    class="button"
                    data-testid="announce"
                    disabled=move || busy.get()
                    on:click=move |_| announce()
                >
                    "Announce the shipment"
                </button>
            </fieldset>
            <p
                class="inbound-status"
                class:ok=move || outcome.with(|o| o.as_ref().is_some_and(|x| x.0))
                class:bad=move || outcome.with(|o| o.as_ref().is_some_and(|x| !x.0))
                role="status"
                data-testid="inbound-status"
            >
                {move || outcome.get().map(|o| o.1)}
            </p>
            <p class="muted" hidden=move || !choices.with(Vec::is_empty) || net.with(Option::is_none)>
                "No overseas warehouse can receive sea freight for this SKU."
            </p>
        </section>
    }
}
