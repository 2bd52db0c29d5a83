use leptos::prelude::*;

use crate::api::ApiError;
use crate::api::seller::AuditPage;
use crate::browser::local_offset_min;
use crate::model::format::date_time_text;
use crate::model::seller::edit::{audit_subject, audit_values};

/// The SKU's history: every price, stock, mode, promotion and shipment change — who,
/// when, before and after — newest first.
#[component]
pub fn AuditLog(
    /// The log as loaded (`None` while loading).
    #[prop(into)]
    log: Signal<Option<Result<AuditPage, ApiError>>>,
    /// The signed-in seller's id (their entries read "You").
    #[prop(into)]
    me: Signal<String>,
    on_retry: Callback<()>,
) -> impl IntoView {
    move || {
        match log.get() {
        None => view! {
            <p class="sk-line" role="status">
                <span class="visually-hidden">"Loading the history…"</span>
            </p>
        }
        .into_any(),
        Some(Err(e)) => view! {
            <div class="callout callout-error" role="alert" data-testid="audit-error">
                <p>{format!("The history did not load: {e}")}</p>
                <button type="button" class="button" on:click=move |_| on_retry.run(())>
                    "Try again"
                </button>
            </div>
        }
        .into_any(),
        Some(Ok(page)) if page.items.is_empty() => view! {
            <p class="muted" data-testid="audit-empty">"No changes yet: this SKU is as the catalog listed it."</p>
        }
        .into_any(),
        Some(Ok(page)) => {
            let me = me.get();
            let more = page.total > u64::try_from(page.items.len()).unwrap_or(0);
            let total = page.total;
            let items = page
                .items
                .into_iter()
                .map(|e| {
                    let who = match e.actor.as_str() {
                        a if a == me => "you".to_string(),
                        "system" => "Crossdock (a shipment arrived)".to_string(),
                        a => a.to_string(),
                    };
                    let done = match e.action.as_str() {
                        "update" => "Changed",
                        "create" => "Added",
                        "delete" => "Removed",
                        "received" => "Received",
                        other => other,
                    };
                    let when = date_time_text(e.at, local_offset_min(e.at.unix()));
                    view! {
                        <li class="audit-entry" data-testid="audit-entry" data-kind=e.kind.clone()>
                            <p class="audit-head">
                                <strong>{audit_subject(&e.kind, e.market.as_deref(), e.warehouse.as_deref())}</strong>
                                <span class="cell-note">{format!("{done} by {who} · {when}")}</span>
                            </p>
                            <p class="audit-change">
                                <span class="audit-before">{audit_values(e.before.as_ref())}</span>
                                <span aria-hidden="true">" → "</span>
                                <span class="visually-hidden">" changed to "</span>
                                <span class="audit-after" data-testid="audit-after">{audit_values(e.after.as_ref())}</span>
                            </p>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <ol class="audit-log" data-testid="audit-log">{items}</ol>
                {more.then(|| view! { <p class="hint">{format!("The 20 latest of {total} changes.")}</p> })}
            }
            .into_any()
        }
    }
    }
}
