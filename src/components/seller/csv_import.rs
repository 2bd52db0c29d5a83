use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::api::ApiError;
use crate::api::seller::import::{EXPORT_URL, fetch_import, fetch_imports, start_import};
use crate::api::seller::is_signed_out;
use crate::browser::{local_offset_min, sleep_ms};
use crate::model::format::{capitalise, date_time_text};
use crate::model::seller::import::{
    ImportState, ImportStatus, check_pick, count_text, headline, place, poll_delay_ms, progress,
    sentence, summary_figures, unlisted,
};

/// Polls of a running import that may fail in a row before the panel stops following it.
const MAX_POLL_FAILURES: u32 = 5;

/// How many of the seller's recent imports the panel lists.
const RECENT_SHOWN: usize = 5;

/// An import's state as a word for `data-state` (tests and styling).
fn state_id(s: ImportState) -> &'static str {
    match s {
        ImportState::Checking => "checking",
        ImportState::Applying => "applying",
        ImportState::Applied => "applied",
        ImportState::Checked => "checked",
        ImportState::Rejected => "rejected",
        ImportState::Failed => "failed",
    }
}

/// Prices and stock in a spreadsheet: a link to download them as CSV, and a form to
/// import an edited file — check only, or check and apply all or nothing. While the
/// server works the panel follows the import with a progress bar (a 10,000-row file takes
/// a few seconds); then it shows the outcome, what changed, or every problem by line and
/// column. An import still running when the page opens (a reload) is followed too.
#[component]
pub fn CsvImport(
    /// Called when an import changed prices or stock (the table reloads).
    on_applied: Callback<()>,
) -> impl IntoView {
    let file_input = NodeRef::<leptos::html::Input>::new();
    let check_only = RwSignal::new(false);
    // The import followed (running or just ended), and the error of the last attempt.
    let current = RwSignal::new(None::<ImportStatus>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let recent = RwSignal::new(Vec::<ImportStatus>::new());

    let clear_file = move || {
        if let Some(input) = file_input.get_untracked() {
            input.set_value("");
        }
    };

    // Follows an import until it ends, then refreshes the list and the table.
    let follow = move |first: ImportStatus| {
        busy.set(true);
        spawn_local(async move {
            let mut status = first;
            let mut polls = 0_u32;
            let mut failures = 0_u32;
            loop {
                let running = status.state.is_running();
                if current.try_set(Some(status.clone())).is_some() {
                    return; // The panel left the page.
                }
                if !running {
                    break;
                }
                sleep_ms(poll_delay_ms(polls)).await;
                polls = polls.saturating_add(1);
                match fetch_import(status.id).await {
                    Ok(next) => {
                        failures = 0;
                        status = next;
                    }
                    Err(e) if is_signed_out(&e) => {
                        busy.try_set(false);
                        return;
                    }
                    Err(e) => {
                        failures += 1;
                        if failures >= MAX_POLL_FAILURES {
                            error.try_set(Some(format!(
                                "We lost track of the import ({e}). It goes on on the server: reload the page in a moment to see how it went."
                            )));
                            busy.try_set(false);
                            return;
                        }
                    }
                }
            }
            busy.try_set(false);
            // A checked file stays picked, to be imported as it is; after anything else
            // the seller picks the file again (fixed, or the next one).
            if status.state != ImportState::Checked {
                clear_file();
            }
            if status.state == ImportState::Applied
                && status.summary.is_some_and(|s| s.skus_changed > 0)
            {
                on_applied.run(());
            }
            if let Ok(list) = fetch_imports().await {
                recent.try_set(list.imports);
            }
        });
    };

    // The recent imports; one still running (the page was reloaded) is followed.
    spawn_local(async move {
        if let Ok(list) = fetch_imports().await {
            let running = list
                .imports
                .first()
                .filter(|s| s.state.is_running())
                .cloned();
            if recent.try_set(list.imports).is_some() {
                return;
            }
            if let Some(s) = running
                && current.get_untracked().is_none()
            {
                follow(s);
            }
        }
    });

    let start = move |only_check: bool| {
        if busy.get_untracked() {
            return;
        }
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|list| list.get(0));
        let Some(file) = file else {
            error.set(Some(
                "Choose the CSV file to import first: download it with \"Download CSV\", edit it, then choose it here."
                    .into(),
            ));
            return;
        };
        let name = file.name();
        let size = if file.size().is_finite() && file.size() > 0.0 {
            file.size() as u64
        } else {
            0
        };
        if let Err(why) = check_pick(&name, size) {
            error.set(Some(why));
            return;
        }
        error.set(None);
        current.set(None);
        busy.set(true);
        spawn_local(async move {
            match start_import(&JsValue::from(file), &name, only_check).await {
                Ok(s) => follow(s),
                Err(e) => {
                    busy.try_set(false);
                    if !is_signed_out(&e) {
                        error.try_set(Some(upload_error(&e)));
                    }
                }
            }
        });
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        start(check_only.get_untracked());
    };

    let report = move || {
        current.get().map(|s| {
            let (title, tone) = headline(&s);
            let bar = progress(&s).map(|p| {
                view! {
                    <div class="import-progress">
                        <progress
                            max=p.max.to_string()
                            value=p.value.to_string()
                            aria-label="Import progress"
                            data-testid="csv-progress"
                        ></progress>
                        <p class="hint" data-testid="csv-progress-label">{p.label}</p>
                    </div>
                }
            });
            let figures = s
                .summary
                .filter(|_| matches!(s.state, ImportState::Applied | ImportState::Checked))
                .map(|sum| {
                    summary_figures(&sum)
                        .into_iter()
                        .map(|(label, n)| {
                            view! {
                                <div>
                                    <dt>{label}</dt>
                                    <dd>{count_text(n)}</dd>
                                </div>
                            }
                        })
                        .collect_view()
                });
            let more = unlisted(&s);
            let problems = (!s.problems.is_empty()).then(|| {
                let rows = s
                    .problems
                    .iter()
                    .map(|p| {
                        view! {
                            <tr data-testid="csv-problem" data-line=p.line.to_string() data-column=p.column.clone().unwrap_or_default()>
                                <th scope="row">{place(p)}</th>
                                <td class="import-sku">{p.sku.clone().unwrap_or_default()}</td>
                                <td>{capitalise(&p.message)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="table-scroll" role="region" aria-label="Problems in the file" tabindex="0">
                        <table class="import-problems" data-testid="csv-problems">
                            <thead>
                                <tr>
                                    <th scope="col">"Where"</th>
                                    <th scope="col">"SKU"</th>
                                    <th scope="col">"Problem"</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
            });
            let can_apply = s.state == ImportState::Checked && s.check_only;
            view! {
                <div
                    class=format!("import-report import-{tone}")
                    data-testid="csv-report"
                    data-state=state_id(s.state)
                >
                    <h3>{title}<span class="import-file">{format!(" · {}", s.file_name)}</span></h3>
                    <p data-testid="csv-message">{sentence(&s.message)}</p>
                    {bar}
                    {figures.map(|f| view! { <dl class="import-figures" data-testid="csv-summary">{f}</dl> })}
                    {problems}
                    {more.map(|m| view! { <p class="hint">{m}</p> })}
                    {can_apply
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="button button-primary"
                                    data-testid="csv-apply-checked"
                                    disabled=move || busy.get()
                                    on:click=move |_| start(false)
                                >
                                    "Import this file now"
                                </button>
                            }
                        })}
                </div>
            }
        })
    };

    let history = move || {
        let list = recent.get();
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .take(RECENT_SHOWN)
                .map(|s| {
                    let offset = local_offset_min(s.created_at.unix());
                    let (title, tone) = headline(&s);
                    view! {
                        <li data-testid="csv-recent">
                            <span class="import-file-name">{s.file_name.clone()}</span>
                            <span class="hint">{date_time_text(s.created_at, offset)}</span>
                            <span class=format!("import-outcome import-{tone}")>
                                {if s.check_only { format!("{title} (check only)") } else { title.to_string() }}
                            </span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <details class="import-recent">
                    <summary>"Your recent imports"</summary>
                    <ul>{items}</ul>
                </details>
            }
        })
    };

    view! {
        <section class="csv-panel" aria-labelledby="csv-title" data-testid="csv-panel">
            <h2 id="csv-title">"Prices and stock in a spreadsheet"</h2>
            <p class="hint">
                "Download every price and stock count as a CSV file, edit it in Excel or Google Sheets, save it as \"CSV UTF-8\" and import it. Every row is checked first: while any row has a problem, nothing is imported, and each problem is listed with its line and column. Importing the same file twice changes nothing the second time."
            </p>
            <div class="csv-actions">
                <a class="button" href=EXPORT_URL download="crossdock-prices-and-stock.csv" data-testid="csv-export">
                    "Download CSV"
                </a>
                <form class="csv-form" on:submit=on_submit>
                    <div class="filter">
                        <label for="csv-file">"Edited CSV file"</label>
                        <input
                            id="csv-file"
                            type="file"
                            accept=".csv,text/csv"
                            data-testid="csv-file"
                            aria-describedby="csv-error"
                            node_ref=file_input
                            on:change=move |_| {
                                error.set(None);
                            }
                        />
                    </div>
                    <label class="filter filter-check">
                        <input
                            type="checkbox"
                            data-testid="csv-check-only"
                            prop:checked=move || check_only.get()
                            on:change=move |ev| check_only.set(event_target_checked(&ev))
                        />
                        <span>"Only check the file; change nothing"</span>
                    </label>
                    <button type="submit" class="button button-primary" data-testid="csv-import" disabled=move || busy.get()>
                        {move || {
                            if busy.get() {
                                "Importing…"
                            } else if check_only.get() {
                                "Check the file"
                            } else {
                                "Import"
                            }
                        }}
                    </button>
                </form>
            </div>
            <p class="error" id="csv-error" role="alert" data-testid="csv-error">
                {move || error.get()}
            </p>
            <div aria-live="polite">{report}</div>
            {history}
        </section>
    }
}

/// Why an upload was refused, for the seller.
fn upload_error(e: &ApiError) -> String {
    match e {
        ApiError::Server { message, .. } => sentence(message),
        other => format!("The file was not imported. {other}"),
    }
}
