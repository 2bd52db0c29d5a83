use leptos::prelude::*;

/// A promotion as the panel lists it, its effect on the margin worked out by the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionRow {
    pub id: i64,
    pub label: String,
    /// "20 % off, funded by you".
    pub kind_text: String,
    /// past, running or scheduled.
    pub status: String,
    /// "Mon 1 Dec 2026, 00:00 – Mon 8 Dec 2026, 00:00".
    pub dates: String,
    /// What the shopper pays for one unit while it runs.
    pub shopper_pays: String,
    /// The unit margin without and with it, the difference, and whether it goes below
    /// zero; or why it cannot be worked out.
    pub impact: Result<(String, String, String, bool), String>,
    /// Whether it can still be ended or cancelled.
    pub can_end: bool,
}

/// The SKU's promotions in the market: what each does to the margin, with a warning when
/// it makes a unit lose money, and a button to end or cancel the ones not over.
#[component]
pub fn PromotionList(
    rows: Vec<PromotionRow>,
    /// Ending a promotion is under way.
    #[prop(into)]
    busy: Signal<bool>,
    /// Called with a promotion to end (or cancel).
    on_end: Callback<i64>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <p class="muted" data-testid="promotions-empty">
                "No promotions in this market. Try one in the what-if above, then schedule it."
            </p>
        }
        .into_any();
    }
    view! {
        <ul class="promo-list" data-testid="promotions">
            {rows
                .into_iter()
                .map(|p| {
                    let id = p.id;
                    let verb = if p.status == "scheduled" { "Cancel" } else { "End now" };
                    view! {
                        <li class="promo" data-testid="promotion" data-status=p.status.clone()>
                            <div class="promo-head">
                                <strong>{p.label.clone()}</strong>
                                <span class=format!("badge badge-{}", p.status)>{p.status.clone()}</span>
                            </div>
                            <p class="cell-note">{format!("{} · {}", p.kind_text, p.dates)}</p>
                            <p>{format!("Shopper pays {} per unit", p.shopper_pays)}</p>
                            {match p.impact {
                                Ok((before, with, diff, negative)) => {
                                    view! {
                                        <p data-testid="promotion-impact">
                                            {format!("Your margin per unit: {before} → {with} ({diff})")}
                                        </p>
                                        {negative
                                            .then(|| {
                                                view! {
                                                    <p class="promo-warning" role="note" data-testid="promotion-warning">
                                                        "Warning: with this promotion every unit sold loses money."
                                                    </p>
                                                }
                                            })}
                                    }
                                        .into_any()
                                }
                                Err(why) => view! { <p class="muted">{format!("Margin impact unknown: {why}")}</p> }.into_any(),
                            }}
                            {p
                                .can_end
                                .then(|| {
                                    view! {
                                        <button
                                            type="button"
                                            class="button button-small"
                                            data-testid="end-promotion"
                                            disabled=move || busy.get()
                                            on:click=move |_| on_end.run(id)
                                        >
                                            {verb}
                                            <span class="visually-hidden">{format!(": {}", p.label)}</span>
                                        </button>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
