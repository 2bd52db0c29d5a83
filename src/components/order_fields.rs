use crossdock_core::Instant;
use leptos::prelude::*;

use super::Field;
use crate::browser::local_offset_min;
use crate::model::format::{
    date_time_text, datetime_local_value, offset_text, parse_datetime_local,
};
use crate::model::query::TimeBasis;
use crate::state::explore::ExploreState;

/// The quantity and the order time: now (live), or a chosen date and time read in UTC or
/// in the browser's time zone — the field says which.
#[component]
pub fn OrderFields(
    /// The explorer's state.
    state: ExploreState,
) -> impl IntoView {
    let estimate = state.estimate();
    let (time_error, set_time_error) = signal(None::<String>);
    let basis = move || state.with(|q| q.time_basis);
    let offset_for = move |t: i64| match basis() {
        TimeBasis::Utc => 0,
        TimeBasis::Local => local_offset_min(t),
    };
    // The order time to the minute, so the field is not rewritten every second.
    let minute = Memo::new(move |_| state.order_time().div_euclid(60) * 60);
    let field_value = Memo::new(move |_| {
        let t = minute.get();
        Instant::from_unix(t)
            .map(|i| datetime_local_value(i, offset_for(t)))
            .unwrap_or_default()
    });
    let local_zone = move || offset_text(local_offset_min(minute.get()));
    let explain = Signal::derive(move || {
        let t = minute.get();
        let i = Instant::from_unix(t).ok()?;
        let utc = format!("{} UTC", date_time_text(i, 0));
        let local_offset = local_offset_min(t);
        let local = format!(
            "{} your time ({})",
            date_time_text(i, local_offset),
            offset_text(local_offset)
        );
        let both = match basis() {
            TimeBasis::Utc if local_offset != 0 => format!("{utc} = {local}"),
            TimeBasis::Local => format!("{local} = {utc}"),
            TimeBasis::Utc => utc,
        };
        Some(if state.is_live() {
            format!("Now: {both}. Windows and countdowns follow the clock.")
        } else {
            format!("{both}.")
        })
    });
    let set_live = move |live: bool| {
        set_time_error.set(None);
        let now = minute.get_untracked();
        state.update(|q, _| {
            q.at = if live {
                None
            } else {
                Instant::from_unix(now).ok()
            };
        });
    };

    view! {
        <fieldset class="panel">
            <legend>"Order"</legend>
            <Field
                id="qty"
                label="Quantity"
                error=Signal::derive(move || estimate.with(|e| e.errors.qty.clone()))
            >
                <input
                    id="qty"
                    type="number"
                    inputmode="numeric"
                    min="1"
                    step="1"
                    data-testid="qty-input"
                    aria-describedby="qty-error"
                    aria-invalid=move || estimate.with(|e| e.errors.qty.is_some()).to_string()
                    prop:value=move || state.with(|q| q.qty.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        state.update(|q, _| q.qty = v);
                    }
                />
            </Field>
            <div class="field" class:invalid=move || time_error.with(|e| e.is_some())>
                <span class="label" id="order-when-label">"Order placed"</span>
                <div class="segmented" role="radiogroup" aria-labelledby="order-when-label">
                    <label>
                        <input
                            type="radio"
                            name="order-when"
                            value="now"
                            data-testid="order-time-now"
                            prop:checked=move || state.is_live()
                            on:change=move |_| set_live(true)
                        />
                        <span>"Now"</span>
                    </label>
                    <label>
                        <input
                            type="radio"
                            name="order-when"
                            value="at"
                            data-testid="order-time-chosen"
                            prop:checked=move || !state.is_live()
                            on:change=move |_| set_live(false)
                        />
                        <span>"At a chosen time"</span>
                    </label>
                </div>
                <label class="sub-label" for="order-time">
                    {move || match basis() {
                        TimeBasis::Utc => "Date and time (UTC)".to_string(),
                        TimeBasis::Local => format!("Date and time (your time, {})", local_zone()),
                    }}
                </label>
                <div class="datetime-row">
                    <input
                        id="order-time"
                        type="datetime-local"
                        step="60"
                        data-testid="order-time-input"
                        aria-describedby="order-time-hint order-time-error"
                        aria-invalid=move || time_error.with(|e| e.is_some()).to_string()
                        prop:value=move || field_value.get()
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            match parse_datetime_local(&v, offset_for) {
                                Ok(at) => {
                                    set_time_error.set(None);
                                    state.update(|q, _| q.at = at);
                                }
                                Err(e) => set_time_error.set(Some(e)),
                            }
                        }
                    />
                    <label class="visually-hidden" for="order-time-basis">
                        "Time zone of the date and time"
                    </label>
                    <select
                        id="order-time-basis"
                        data-testid="order-time-basis"
                        on:change=move |ev| {
                            let local = event_target_value(&ev) == "local";
                            state
                                .update(|q, _| {
                                    q.time_basis = if local { TimeBasis::Local } else { TimeBasis::Utc };
                                });
                        }
                    >
                        <option value="utc" prop:selected=move || basis() == TimeBasis::Utc>
                            "UTC"
                        </option>
                        <option value="local" prop:selected=move || basis() == TimeBasis::Local>
                            {move || format!("Your time ({})", local_zone())}
                        </option>
                    </select>
                </div>
                {move || explain.get().map(|t| view! { <p class="hint" id="order-time-hint">{t}</p> })}
                {move || {
                    time_error
                        .get()
                        .map(|e| view! { <p class="error" id="order-time-error" role="alert">{e}</p> })
                }}
            </div>
        </fieldset>
    }
}
