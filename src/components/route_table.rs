use leptos::prelude::*;

use crate::model::view::RouteTableView;

/// Every route that could deliver a listing, side by side in one table: where it ships
/// from, when it arrives, what delivery costs the shopper and the platform, and why the
/// platform chose the one it chose (or why a route cannot ship). The delivery explorer
/// shows the same routes as cards with their legs on a timeline.
#[component]
pub fn RouteTable(
    /// The table's rows and the reason for the platform's choice
    /// (`model::view::route_table`).
    table: RouteTableView,
) -> impl IntoView {
    let why = table.sentence.map(|sentence| {
        view! {
            <p class="plan-why">
                <span class="plan-why-label">"Why this route: "</span>
                <span data-testid="plan-sentence">{sentence}</span>
            </p>
        }
    });
    let rows = table
        .rows
        .into_iter()
        .map(|r| {
            view! {
                <tr class:chosen=r.chosen data-testid="route-row" data-chosen=r.chosen.to_string()>
                    <th scope="row" data-label="Ships from">
                        {r.warehouse_name}
                        <span class="route-city">{r.city}</span>
                    </th>
                    <td data-label="Arrives" data-testid="route-window">{r.window_text}</td>
                    <td data-label="You pay">{r.fee_text}</td>
                    <td data-label="Costs us">{r.cost_text}</td>
                    <td data-label="Note" class="route-note">{r.note}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {why}
        <div class="route-table-wrap">
            <table class="route-table" data-testid="route-table">
                <caption>{table.title}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Ships from"</th>
                        <th scope="col">"Arrives"</th>
                        <th scope="col">"You pay"</th>
                        <th scope="col">"Costs us"</th>
                        <th scope="col">"Note"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
