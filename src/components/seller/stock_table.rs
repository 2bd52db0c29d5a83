use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::api::seller::WarehouseStock;
use crate::model::seller::inbound::units_text;

/// Stock per warehouse: on hand (editable where the mode being edited ships from),
/// reserved for open orders, on offer, and the units on their way by sea (the shipments
/// themselves are listed, announced and withdrawn in `InboundShipments`).
/// Rows are keyed by warehouse, so an input keeps its focus while the seller types.
#[component]
pub fn StockTable(
    /// The warehouses to show, in order.
    #[prop(into)]
    warehouses: Signal<Vec<String>>,
    /// The saved stock, by warehouse (a warehouse without a row holds nothing yet).
    #[prop(into)]
    stock: Signal<Vec<WarehouseStock>>,
    /// Names of warehouses without a stock row.
    #[prop(into)]
    names: Signal<BTreeMap<String, String>>,
    /// Warehouses the mode being edited ships from (their on-hand count is editable).
    #[prop(into)]
    editable: Signal<Vec<String>>,
    /// What the seller typed, by warehouse.
    edits: RwSignal<BTreeMap<String, String>>,
    /// What is wrong with what the seller typed, by warehouse.
    #[prop(into)]
    errors: Signal<BTreeMap<String, String>>,
) -> impl IntoView {
    let row_of = move |w: &str| stock.with(|s| s.iter().find(|r| r.warehouse == w).cloned());
    let row_of = StoredValue::new(row_of);
    view! {
        <div class="table-scroll" role="region" aria-labelledby="stock-caption" tabindex="0">
            <table class="stock-table" data-testid="stock-table">
                <caption id="stock-caption">"Units per warehouse"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Warehouse"</th>
                        <th scope="col">"On hand"</th>
                        <th scope="col">"Reserved"</th>
                        <th scope="col">"On offer"</th>
                        <th scope="col">"On the way (sea)"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || warehouses.get() key=|w| w.clone() let:w>
                        {stock_row(w, row_of, names, editable, edits, errors)}
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// One warehouse's row.
fn stock_row(
    w: String,
    row_of: StoredValue<impl Fn(&str) -> Option<WarehouseStock> + Send + Sync + 'static>,
    names: Signal<BTreeMap<String, String>>,
    editable: Signal<Vec<String>>,
    edits: RwSignal<BTreeMap<String, String>>,
    errors: Signal<BTreeMap<String, String>>,
) -> impl IntoView {
    let row = {
        let w = w.clone();
        Signal::derive(move || row_of.with_value(|f| f(&w)))
    };
    let can_edit = {
        let w = w.clone();
        Signal::derive(move || editable.with(|e| e.contains(&w)))
    };
    let saved = Signal::derive(move || row.with(|r| r.as_ref().map_or(0, |r| r.on_hand)));
    let name = {
        let w = w.clone();
        Signal::derive(move || {
            row.get()
                .map(|r| r.name)
                .filter(|n| !n.is_empty())
                .or_else(|| names.with(|n| n.get(&w).cloned()))
                .unwrap_or_else(|| w.clone())
        })
    };
    let error = {
        let w = w.clone();
        Signal::derive(move || errors.with(|e| e.get(&w).cloned()))
    };
    let has_error = Signal::derive(move || error.with(|e| e.is_some()));
    let shown = {
        let w = w.clone();
        Signal::derive(move || {
            edits
                .with(|e| e.get(&w).cloned())
                .unwrap_or_else(|| saved.get().to_string())
        })
    };
    let input_id = format!("stock-{w}");
    let error_id = format!("stock-{w}-error");
    let w_in = w.clone();
    view! {
        <tr data-testid="stock-row" data-warehouse=w.clone() class:invalid=move || has_error.get()>
            <th scope="row">
                {move || name.get()}
                <span class="cell-note">
                    {move || {
                        let usable = row.with(|r| r.as_ref().is_some_and(|r| r.usable));
                        if can_edit.get() {
                            "Ships under the mode you are editing"
                        } else if usable {
                            "Ships under the saved mode"
                        } else {
                            "Waits for a mode that ships from here"
                        }
                    }}
                </span>
            </th>
            <td data-label="On hand">
                {move || {
                    if can_edit.get() {
                        let w = w_in.clone();
                        view! {
                            <input
                                id=input_id.clone()
                                class="stock-input"
                                type="text"
                                inputmode="numeric"
                                aria-label=format!("On hand in {}", name.get_untracked())
                                aria-invalid=move || has_error.get().to_string()
                                aria-describedby=error_id.clone()
                                data-testid="stock-input"
                                prop:value=move || shown.get()
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    edits.update(|e| {
                                        e.insert(w.clone(), v);
                                    });
                                }
                            />
                        }
                            .into_any()
                    } else {
                        view! { <span>{move || saved.get()}</span> }.into_any()
                    }
                }}
                <p class="error" id=format!("stock-{w}-error") data-testid="stock-error">
                    {move || error.get()}
                </p>
            </td>
            <td data-label="Reserved">{move || row.with(|r| r.as_ref().map_or(0, |r| r.reserved))}</td>
            <td data-label="On offer">{move || row.with(|r| r.as_ref().map_or(0, |r| r.available))}</td>
            <td data-label="On the way (sea)" data-testid="stock-inbound">
                {move || {
                    let (units, count) = row.with(|r| {
                        r.as_ref().map_or((0, 0), |r| {
                            (r.inbound.iter().map(|i| i.quantity).sum::<i64>(), r.inbound.len())
                        })
                    });
                    if count == 0 {
                        return view! { <span class="muted">"None"</span> }.into_any();
                    }
                    let shipments = if count == 1 {
                        "1 shipment".to_string()
                    } else {
                        format!("{count} shipments")
                    };
                    view! {
                        <span>{units_text(units)}</span>
                        <span class="cell-note">{format!("{shipments}, listed below")}</span>
                    }
                        .into_any()
                }}
            </td>
        </tr>
    }
}
