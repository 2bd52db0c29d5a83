use crossdock_core::Mode;
use crossdock_core::pricing::{ModeOutcome, ModePricing, SellerSets, SideBySide, VatTreatment};
use leptos::prelude::*;

use crate::browser::format_money;
use crate::model::format::{percent_text, window_text};
use crate::model::seller::whatif::{Cell, Row, cells, margin_pct_text};

/// The panel shows money in one locale whatever the market (the panel is in English).
pub const PANEL_LOCALE: &str = "en-US";

/// An amount for the panel: "$19.99", "-$3.10".
pub fn money_text(m: &crossdock_core::Money) -> String {
    format_money(m, PANEL_LOCALE)
}

/// The three fulfilment modes side by side for one market: every cost line from the price
/// to the unit margin, margin %, break-even, the suggested price for the target margin
/// and the delivery window a shopper would be promised — or why a mode cannot sell the
/// SKU there. The column of the mode being edited is marked; the others offer to switch.
#[component]
pub fn ModeColumns(
    /// The engine's answer for the what-if.
    side: SideBySide,
    /// The mode the seller is editing.
    selected: Mode,
    /// The year of today, so dates in it go without it.
    year: i32,
    /// The exchange rate between the market's currency and the seller's ("1 USD = 7.10
    /// CNY, snapshot of 2026-11-20").
    fx_note: String,
    /// Called with a mode the seller wants to try.
    on_choose: Callback<Mode>,
) -> impl IntoView {
    let columns: Vec<(Mode, Result<ModePricing, String>)> = side
        .columns
        .into_iter()
        .map(|c| {
            let outcome = match c.outcome {
                ModeOutcome::Priced { pricing } => Ok(*pricing),
                ModeOutcome::Unavailable { message, .. } => Err(message),
            };
            (c.mode, outcome)
        })
        .collect();
    let head = columns
        .iter()
        .map(|(mode, outcome)| {
            let mode = *mode;
            let is_selected = mode == selected;
            let sets = match outcome {
                Ok(p) if p.seller_sets == SellerSets::SupplyPrice => {
                    "You set the supply price; the platform sets the retail price."
                }
                Ok(_) => "You set the price the shopper sees.",
                Err(_) => "Not available for this SKU here.",
            };
            view! {
                <th scope="col" class="mode-head" class:selected=is_selected data-mode=mode_slug(mode)>
                    <span class="mode-name">{mode.label()}</span>
                    {is_selected.then(|| view! { <span class="badge badge-chosen">"Editing"</span> })}
                    <span class="mode-sets">{sets}</span>
                    {(!is_selected && outcome.is_ok())
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="button button-small"
                                    data-testid=format!("try-{}", mode_slug(mode))
                                    on:click=move |_| on_choose.run(mode)
                                >
                                    "Try this mode"
                                    <span class="visually-hidden">{format!(": {}", mode.label())}</span>
                                </button>
                            }
                        })}
                </th>
            }
        })
        .collect_view();

    let cells_of: Vec<Option<Vec<(Row, Cell)>>> = columns
        .iter()
        .map(|(_, o)| o.as_ref().ok().map(cells))
        .collect();
    let body_rows = Row::ALL
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let tds = columns
                .iter()
                .zip(&cells_of)
                .map(|((mode, outcome), cs)| {
                    let selected = *mode == selected;
                    let content = match (outcome, cs.as_ref().and_then(|c| c.get(i))) {
                        (Err(message), _) if i == 0 => {
                            view! { <span class="mode-unavailable">{message.clone()}</span> }
                                .into_any()
                        }
                        (Ok(p), Some((_, cell))) => cell_view(row, cell, p).into_any(),
                        _ => view! { <span class="muted">"—"</span> }.into_any(),
                    };
                    view! { <td class:selected=selected>{content}</td> }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{row_label(row, &columns)}</th>
                    {tds}
                </tr>
            }
        })
        .collect_view();

    let result_row = |label: &'static str, f: &dyn Fn(&ModePricing) -> AnyView| {
        let tds = columns
            .iter()
            .map(|(mode, outcome)| {
                let content = match outcome {
                    Ok(p) => f(p),
                    Err(_) => view! { <span class="muted">"—"</span> }.into_any(),
                };
                view! { <td class:selected=*mode == selected>{content}</td> }
            })
            .collect_view();
        view! {
            <tr class="result-row">
                <th scope="row">{label}</th>
                {tds}
            </tr>
        }
    };

    let margin = result_row("Unit margin", &|p| {
        let negative = p.seller.margin.minor() < 0;
        view! {
            <strong
                class="margin"
                class:negative=negative
                data-testid=format!("margin-{}", mode_slug(p.mode))
                data-minor=p.seller.margin.minor().to_string()
            >
                {money_text(&p.seller.margin)}
            </strong>
            {negative.then(|| view! { <span class="visually-hidden">" (a loss)"</span> })}
        }
        .into_any()
    });
    let fx = result_row("Margin in your currency", &|p| {
        view! {
            {money_text(&p.seller.margin_in_cost_currency)}
            <span class="cell-note">{fx_note.clone()}</span>
        }
        .into_any()
    });
    let margin_pct = result_row("Margin %", &|p| {
        view! {
            <span data-testid=format!("margin-pct-{}", mode_slug(p.mode))>
                {p.seller.margin_bp.map_or_else(|| "—".to_string(), margin_pct_text)}
            </span>
        }
        .into_any()
    });
    let break_even = result_row("Break-even price", &|p| {
        p.break_even
            .map_or_else(
                || "Above the market's limit".to_string(),
                |m| money_text(&m),
            )
            .into_any()
    });
    let suggested = result_row("Suggested price", &|p| {
        let target = margin_pct_text(i64::from(p.target_margin_bp));
        view! {
            {p.suggested.map_or_else(|| "Out of reach".to_string(), |m| money_text(&m))}
            <span class="cell-note">{format!("for a {target} margin")}</span>
        }
        .into_any()
    });
    let shopper = result_row("Shopper pays", &|p| {
        let vat = match p.vat {
            VatTreatment::Included { .. } => "VAT included",
            VatTreatment::AddedAtCheckout { .. } => "plus tax at checkout",
            VatTreatment::Waived { .. } => "no VAT due",
        };
        view! {
            {money_text(&p.shopper_pays)}
            <span class="cell-note">{vat}</span>
        }
        .into_any()
    });
    let delivery = result_row("Delivery promise", &|p| {
        let d = &p.delivery;
        view! {
            <span data-testid=format!("window-{}", mode_slug(p.mode))>
                {window_text(d.window.earliest, d.window.latest, year)}
            </span>
            <span class="cell-note">
                {format!(
                    "to {} from {}, kept {} of the time",
                    d.destination,
                    d.ships_from_name,
                    percent_text(d.window.probability_bp),
                )}
            </span>
        }
        .into_any()
    });
    let warnings = result_row("Warnings", &|p| {
        if p.warnings.is_empty() {
            return view! { <span class="muted">"None"</span> }.into_any();
        }
        view! {
            <ul class="warnings">
                {p
                    .warnings
                    .iter()
                    .map(|w| view! { <li>{w.message()}</li> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    });

    // On a narrow screen only one mode fits beside the row labels: scroll the one being
    // edited into view (the table is drawn again as the seller types).
    let scroller = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let Some(div) = scroller.get() else {
            return;
        };
        if div.scroll_width() <= div.client_width() {
            return;
        }
        let selected = div.query_selector("th.mode-head.selected").ok().flatten();
        let label = div.query_selector("tbody th").ok().flatten();
        if let (Some(th), Some(label)) = (selected, label) {
            use wasm_bindgen::JsCast;
            let left = |e: &web_sys::Element| {
                e.dyn_ref::<web_sys::HtmlElement>()
                    .map_or(0, web_sys::HtmlElement::offset_left)
            };
            let width = label.client_width();
            div.set_scroll_left((left(&th) - width).max(0));
        }
    });
    view! {
        <div class="table-scroll" role="region" aria-labelledby="modes-caption" tabindex="0" node_ref=scroller>
            <table class="mode-table" data-testid="mode-table">
                <caption id="modes-caption">
                    {format!(
                        "One unit sold in {} ({}), per fulfilment mode",
                        side.market,
                        side.currency.code,
                    )}
                </caption>
                <thead>
                    <tr>
                        <td></td>
                        {head}
                    </tr>
                </thead>
                <tbody>
                    {shopper}
                    {body_rows}
                </tbody>
                <tbody class="results">{margin} {margin_pct} {fx} {break_even} {suggested} {delivery} {warnings}</tbody>
            </table>
        </div>
    }
}

/// The row's label; the price row says what is set under each mode when they differ.
fn row_label(row: Row, columns: &[(Mode, Result<ModePricing, String>)]) -> String {
    if row == Row::Price
        && columns.iter().any(|(_, o)| {
            o.as_ref()
                .is_ok_and(|p| p.seller_sets == SellerSets::SupplyPrice)
        })
    {
        return "Price you set (supply price under fully managed)".to_string();
    }
    row.label().to_string()
}

fn cell_view(row: Row, cell: &Cell, p: &ModePricing) -> AnyView {
    match cell {
        Cell::Amount { amount, parts } => {
            let note = (parts.len() > 1 || row == Row::HeadHaul || row == Row::Storage)
                .then(|| parts.join(" + "));
            view! {
                <span class:negative=amount.minor() < 0>{money_text(amount)}</span>
                {note.map(|n| view! { <span class="cell-note">{n}</span> })}
            }
            .into_any()
        }
        Cell::PlatformPays => {
            let _ = p;
            view! { <span class="muted">"Paid by the platform"</span> }.into_any()
        }
        Cell::Nothing => view! { <span class="muted">"—"</span> }.into_any(),
    }
}

/// A mode for ids and test hooks: "semi-managed".
pub fn mode_slug(mode: Mode) -> &'static str {
    match mode {
        Mode::FullyManaged => "fully-managed",
        Mode::SemiManaged => "semi-managed",
        Mode::PlatformLocal => "platform-local",
    }
}
