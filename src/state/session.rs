//! The seller's session, as the panel sees it: being checked, signed out (with why),
//! signed in (who), or not checkable (the server did not answer). The session itself is
//! an HttpOnly cookie; nothing about it is kept in storage, so a reload asks the server
//! again (`GET /api/seller/session`).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::api::seller::{self, SessionSeller};

/// Where the session stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    /// Asking the server who is signed in.
    Checking,
    /// The server could not be asked.
    Unreachable(ApiError),
    /// Nobody is signed in; `notice` says why when it is news ("you have signed out").
    /// `expired`: the session ended while the panel was open (not by signing out), so the
    /// panel stays on the page, under the sign-in form, with the seller's unsaved edits.
    SignedOut {
        notice: Option<String>,
        expired: bool,
    },
    SignedIn(SessionSeller),
}

/// A `Copy` handle on the session.
#[derive(Clone, Copy)]
pub struct SessionHandle {
    state: RwSignal<SessionState>,
    /// The seller signed in last on this page, kept while signed out.
    last: StoredValue<Option<String>>,
}

impl SessionHandle {
    /// The state (reactive).
    pub fn get(&self) -> SessionState {
        self.state.get()
    }

    /// The signed-in seller (reactive).
    pub fn seller(&self) -> Option<SessionSeller> {
        self.state.with(|s| match s {
            SessionState::SignedIn(s) => Some(s.clone()),
            _ => None,
        })
    }

    /// Asks the server who is signed in.
    pub fn check(&self) {
        let state = self.state;
        let handle_last = self.last;
        state.set(SessionState::Checking);
        spawn_local(async move {
            let next = match seller::session().await {
                Ok(Some(s)) => {
                    handle_last.set_value(Some(s.id.clone()));
                    SessionState::SignedIn(s)
                }
                Ok(None) => SessionState::SignedOut {
                    notice: None,
                    expired: false,
                },
                Err(e) => SessionState::Unreachable(e),
            };
            state.try_set(next);
        });
    }

    /// Signing in worked. Another seller than the one whose panel is on the page (after
    /// a session ended) gets a fresh panel: nothing of the first seller's stays on screen.
    pub fn signed_in(&self, who: SessionSeller) {
        let other = self.last.get_value().is_some_and(|id| id != who.id);
        if other {
            let _ = window().location().set_href("/seller");
            return;
        }
        self.last.set_value(Some(who.id.clone()));
        self.state.set(SessionState::SignedIn(who));
    }

    /// Signs out; whatever the server answers, the panel shows the sign-in form (the
    /// token is forgotten, so nothing more can be written from this page).
    pub fn sign_out(&self) {
        let state = self.state;
        let last = self.last;
        spawn_local(async move {
            let notice = match seller::sign_out().await {
                Ok(()) => "You have signed out.".to_string(),
                Err(_) => "You have signed out of this page. The server did not confirm it: sign in and out again when it is back to end the session everywhere.".to_string(),
            };
            last.set_value(None);
            state.try_set(SessionState::SignedOut {
                notice: Some(notice),
                expired: false,
            });
        });
    }
}

/// Checks the session and shares the handle; any later 401 shows the sign-in form.
pub fn provide_session() -> SessionHandle {
    let handle = SessionHandle {
        state: RwSignal::new(SessionState::Checking),
        last: StoredValue::new(None),
    };
    let state = handle.state;
    seller::on_signed_out(move || {
        let was_in = state.with_untracked(|s| matches!(s, SessionState::SignedIn(_)));
        if was_in {
            state.try_set(SessionState::SignedOut {
                notice: Some(
                    "Your session has ended (it expires after 12 hours without use). Sign in again to carry on: what you have not saved yet is still on the page."
                        .to_string(),
                ),
                expired: true,
            });
        }
    });
    handle.check();
    provide_context(handle);
    handle
}

/// The handle provided by [`provide_session`].
pub fn use_session() -> SessionHandle {
    use_context::<SessionHandle>().unwrap_or_else(provide_session)
}
