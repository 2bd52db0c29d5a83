//! The seller panel (`/seller`), one document with its own wasm: the sign-in form while
//! nobody is signed in, else the SKU table (`/seller?q=…&mode=…`) or one SKU's pricing,
//! stock, promotions and history (`/seller?sku=42&market=US`). The view lives in the
//! query string (`model::seller::query`), so a link reproduces it.

mod sign_in;
mod sku_detail;
mod sku_list;

use leptos::prelude::*;

use crate::components::seller::PanelHeader;
use crate::model::seller::query::PanelQuery;
use crate::state::session::{SessionState, use_session};
use crate::state::url::use_url;

pub use sign_in::SignIn;

/// The SKU table's last URL (with its search, filters and page), for the way back from
/// a SKU.
#[derive(Clone, Copy)]
pub(crate) struct LastTable(pub RwSignal<String>);
pub use sku_detail::SkuDetail;
pub use sku_list::SkuList;

/// The whole panel: header, then sign-in, the table or a SKU.
#[component]
pub fn SellerPanel() -> impl IntoView {
    let session = use_session();
    let url = use_url();
    // The panel stays on the page once shown, also while the seller signs in again after
    // the session ended (their unsaved edits are in it); signing out removes it.
    let show_panel = Memo::new(move |_| match session.get() {
        SessionState::SignedIn(_) => true,
        SessionState::SignedOut { expired, .. } => expired,
        _ => false,
    });
    let dialog = Memo::new(move |_| match session.get() {
        SessionState::SignedOut {
            expired: true,
            notice,
        } => Some(notice),
        _ => None,
    });
    let sku = Memo::new(move |_| url.with(|l| PanelQuery::parse(&l.query).sku));
    let last_table = LastTable(RwSignal::new(PanelQuery::default().href()));
    provide_context(last_table);
    Effect::new(move |_| {
        let table = url.with(|l| {
            PanelQuery::parse(&l.query)
                .sku
                .is_none()
                .then(|| format!("{}{}", l.path, l.search))
        });
        if let Some(href) = table {
            last_table.0.set(href);
        }
    });
    view! {
        <a class="skip-link" href="#main">
            "Skip to content"
        </a>
        <PanelHeader />
        <main id="main" class="seller-main">
            {move || {
                if show_panel.get() {
                    return view! {
                        <div class="panel" inert=move || dialog.with(|d| d.is_some())>
                            {move || match sku.get() {
                                Some(id) => view! { <SkuDetail id=id /> }.into_any(),
                                None => view! { <SkuList /> }.into_any(),
                            }}
                        </div>
                        {move || {
                            dialog
                                .get()
                                .map(|notice| {
                                    view! {
                                        <div class="sign-in-backdrop">
                                            <SignIn notice=notice dialog=true />
                                        </div>
                                    }
                                })
                        }}
                    }
                        .into_any();
                }
                match session.get() {
                    SessionState::Checking | SessionState::SignedIn(_) => {
                        view! {
                            <div class="wrap panel-loading" role="status" data-testid="session-checking">
                                <p class="sk-line"></p>
                                <p class="sk-line sk-short"></p>
                                <span class="visually-hidden">"Checking whether you are signed in…"</span>
                            </div>
                        }
                            .into_any()
                    }
                    SessionState::Unreachable(e) => {
                        view! {
                            <div class="wrap panel-error">
                                <div class="callout callout-error" role="alert" data-testid="session-error">
                                    <h1>"The seller panel could not reach Crossdock"</h1>
                                    <p>{e.to_string()}</p>
                                    <button
                                        type="button"
                                        class="button"
                                        data-testid="session-retry"
                                        on:click=move |_| session.check()
                                    >
                                        "Try again"
                                    </button>
                                </div>
                            </div>
                        }
                            .into_any()
                    }
                    SessionState::SignedOut { notice, .. } => {
                        view! { <SignIn notice=notice /> }.into_any()
                    }
                }
            }}
        </main>
    }
}
