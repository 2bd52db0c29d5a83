use leptos::prelude::*;

use crate::model::seller::edit::ConflictRow;

/// A save that lost the race: the seller's values and the ones saved meanwhile, side by
/// side, with the two ways on — keep mine (save again on top of the new version; only the
/// values the seller changed are sent, so the other person's other changes stay) or take
/// theirs (drop the edits). Nothing happens until the seller chooses.
#[component]
pub fn ConflictView(
    /// Every value the seller changed, beside the value saved meanwhile.
    rows: Vec<ConflictRow>,
    /// The version the seller started from and the one saved meanwhile.
    versions: (i64, i64),
    /// Formats a value for reading.
    #[prop(into)]
    text: Callback<crate::model::seller::edit::Shown, String>,
    /// Saving again on top of the new version is under way.
    #[prop(into)]
    busy: Signal<bool>,
    on_keep_mine: Callback<()>,
    on_take_theirs: Callback<()>,
) -> impl IntoView {
    let heading = NodeRef::<leptos::html::H2>::new();
    // The seller's attention goes here: the save they asked for did not happen.
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let body = rows
        .into_iter()
        .map(|r| {
            let differs = r.differs();
            view! {
                <tr class:differs=differs data-testid="conflict-row">
                    <th scope="row">{r.label.clone()}</th>
                    <td data-testid="conflict-mine">{text.run(r.mine.clone())}</td>
                    <td data-testid="conflict-theirs">{text.run(r.theirs.clone())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="callout callout-warn conflict" aria-labelledby="conflict-title" data-testid="conflict">
            <div>
                <h2 id="conflict-title" tabindex="-1" node_ref=heading>
                    "Someone else saved this SKU while you were editing"
                </h2>
                <p>
                    {format!(
                        "Nothing of yours was saved yet. You started from version {}; version {} was saved meanwhile (another tab, a colleague, or a shipment arriving). Compare and choose:",
                        versions.0,
                        versions.1,
                    )}
                </p>
                <div class="table-scroll" role="region" aria-label="Your values and the saved values" tabindex="0">
                    <table class="conflict-table">
                        <thead>
                            <tr>
                                <th scope="col">"Value"</th>
                                <th scope="col">"Yours (not saved)"</th>
                                <th scope="col">"Saved meanwhile"</th>
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                <div class="conflict-actions">
                    <button
                        type="button"
                        class="button button-primary"
                        data-testid="keep-mine"
                        disabled=move || busy.get()
                        on:click=move |_| on_keep_mine.run(())
                    >
                        "Keep mine: save my values"
                    </button>
                    <button
                        type="button"
                        class="button"
                        data-testid="take-theirs"
                        disabled=move || busy.get()
                        on:click=move |_| on_take_theirs.run(())
                    >
                        "Take theirs: drop my changes"
                    </button>
                </div>
                <p class="hint">
                    "Keep mine saves only the values in the table above; anything else they changed stays as they saved it."
                </p>
            </div>
        </section>
    }
}
