//! Signing in to the seller panel: login and password, errors in plain words (wrong
//! login or password, too many attempts with the time to wait, server unreachable).
//! Nothing typed is remembered: the browser's password manager may offer to, through the
//! `autocomplete` hints, but the page keeps nothing once the form is gone.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::seller::{self, SignInError};
use crate::browser::set_title;
use crate::state::session::use_session;

/// The sign-in form. `notice` says why it is shown when that is news ("your session has
/// ended"); `dialog`: shown over the panel (a session that ended mid-edit), which stays
/// underneath with the seller's unsaved edits.
#[component]
pub fn SignIn(
    /// Why the form is shown, when it is news.
    #[prop(default = None)]
    notice: Option<String>,
    /// Whether the form sits over the panel.
    #[prop(optional)]
    dialog: bool,
) -> impl IntoView {
    if !dialog {
        set_title("Sign in · Crossdock seller panel");
    }
    let session = use_session();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let login_error = RwSignal::new(None::<String>);
    let password_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let login_ref = NodeRef::<leptos::html::Input>::new();
    let password_ref = NodeRef::<leptos::html::Input>::new();
    let error_ref = NodeRef::<leptos::html::Div>::new();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let l = login.get_untracked().trim().to_string();
        let p = password.get_untracked();
        error.set(None);
        login_error.set(l.is_empty().then(|| {
            "Enter the e-mail address you sign in with, like voltaic@demo.crossdock.".to_string()
        }));
        password_error.set(p.is_empty().then(|| "Enter your password.".to_string()));
        if l.is_empty() {
            if let Some(el) = login_ref.get_untracked() {
                let _ = el.focus();
            }
            return;
        }
        if p.is_empty() {
            if let Some(el) = password_ref.get_untracked() {
                let _ = el.focus();
            }
            return;
        }
        pending.set(true);
        spawn_local(async move {
            let result = seller::sign_in(&l, &p).await;
            pending.try_set(false);
            match result {
                Ok(who) => {
                    password.try_set(String::new());
                    session.signed_in(who);
                }
                Err(SignInError::Invalid { field, message }) => {
                    let text = SignInError::Invalid {
                        field: field.clone(),
                        message,
                    }
                    .to_string();
                    if field == "password" {
                        password_error.try_set(Some(text));
                    } else {
                        login_error.try_set(Some(text));
                    }
                }
                Err(e) => {
                    if e == SignInError::Wrong {
                        password.try_set(String::new());
                    }
                    error.try_set(Some(e.to_string()));
                    if let Some(el) = error_ref.get_untracked() {
                        let _ = el.focus();
                    }
                }
            }
        });
    };

    let described = |id: &'static str, err: RwSignal<Option<String>>| {
        move || {
            if err.with(|e| e.is_some()) {
                format!("{id}-error")
            } else {
                format!("{id}-hint")
            }
        }
    };

    view! {
        <section
            class="sign-in"
            class:sign-in-dialog=dialog
            role=dialog.then_some("dialog")
            aria-modal=dialog.then_some("true")
            aria-labelledby="sign-in-title"
            data-testid="sign-in"
        >
            <div class="sign-in-card">
                <p class="eyebrow">"Seller panel"</p>
                <h1 id="sign-in-title">
                    {if dialog { "Sign in again" } else { "Sign in to sell on Crossdock" }}
                </h1>
                {notice
                    .map(|n| {
                        view! {
                            <p class="callout callout-info" role="status" data-testid="sign-in-notice">
                                {n}
                            </p>
                        }
                    })}
                <div
                    class="callout callout-error"
                    role="alert"
                    tabindex="-1"
                    node_ref=error_ref
                    data-testid="sign-in-error"
                    hidden=move || error.with(|e| e.is_none())
                >
                    {move || error.get()}
                </div>
                <form on:submit=submit novalidate aria-busy=move || pending.get().to_string()>
                    <div class="field" class:invalid=move || login_error.with(|e| e.is_some())>
                        <label for="login">"Login (your e-mail address)"</label>
                        <input
                            id="login"
                            name="login"
                            type="email"
                            autocomplete="username"
                            spellcheck="false"
                            autocapitalize="none"
                            required
                            node_ref=login_ref
                            data-testid="login"
                            aria-invalid=move || login_error.with(|e| e.is_some()).to_string()
                            aria-describedby=described("login", login_error)
                            prop:value=move || login.get()
                            on:input=move |ev| {
                                login.set(event_target_value(&ev));
                                login_error.set(None);
                            }
                        />
                        {move || match login_error.get() {
                            Some(e) => view! { <p class="error" id="login-error">{e}</p> }.into_any(),
                            None => view! {
                                <p class="hint" id="login-hint">
                                    "The address your seller account was opened with."
                                </p>
                            }
                                .into_any(),
                        }}
                    </div>
                    <div class="field" class:invalid=move || password_error.with(|e| e.is_some())>
                        <label for="password">"Password"</label>
                        <input
                            id="password"
                            name="password"
                            type="password"
                            autocomplete="current-password"
                            required
                            node_ref=password_ref
                            data-testid="password"
                            aria-invalid=move || password_error.with(|e| e.is_some()).to_string()
                            aria-describedby=described("password", password_error)
                            prop:value=move || password.get()
                            on:input=move |ev| {
                                password.set(event_target_value(&ev));
                                password_error.set(None);
                            }
                        />
                        {move || match password_error.get() {
                            Some(e) => view! { <p class="error" id="password-error">{e}</p> }.into_any(),
                            None => view! {
                                <p class="hint" id="password-hint">
                                    "Five wrong attempts in 15 minutes pause sign-in for this account."
                                </p>
                            }
                                .into_any(),
                        }}
                    </div>
                    <button
                        type="submit"
                        class="button button-primary button-large sign-in-submit"
                        data-testid="sign-in-submit"
                        disabled=move || pending.get()
                    >
                        {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </form>
                <p class="sign-in-foot">
                    "Trying the demo? " <code>"make run"</code>
                    " prints a login and password for each demo seller."
                </p>
                <p class="sign-in-foot">
                    <a href="/">"Back to the storefront"</a>
                </p>
            </div>
        </section>
    }
}
