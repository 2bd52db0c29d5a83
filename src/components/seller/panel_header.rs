use leptos::prelude::*;

use crate::state::session::use_session;

/// The bar at the top of the seller panel: the brand, the panel's name, and — while
/// signed in — the seller's shop and the sign-out button.
#[component]
pub fn PanelHeader() -> impl IntoView {
    let session = use_session();
    view! {
        <header class="site-header panel-header">
            <div class="wrap site-header-inner">
                <a href="/seller" class="brand">
                    <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
                        <rect width="32" height="32" rx="7" fill="currentColor"></rect>
                        <path
                            d="M7 11h18M7 16h18M7 21h18"
                            stroke="#fff"
                            stroke-width="2.5"
                            stroke-linecap="round"
                        ></path>
                        <path
                            d="M19 7l6 4-6 4"
                            fill="none"
                            stroke="#ffb000"
                            stroke-width="2.5"
                            stroke-linecap="round"
                            stroke-linejoin="round"
                        ></path>
                    </svg>
                    <span>"Crossdock"</span>
                    <span class="panel-badge">"Seller"</span>
                </a>
                {move || {
                    session
                        .seller()
                        .map(|s| {
                            let signing_out = RwSignal::new(false);
                            view! {
                                <div class="panel-account">
                                    <p class="panel-shop">
                                        <span class="visually-hidden">"Signed in as "</span>
                                        <strong data-testid="seller-name">{s.name}</strong>
                                    </p>
                                    <button
                                        type="button"
                                        class="button"
                                        data-testid="sign-out"
                                        disabled=move || signing_out.get()
                                        on:click=move |_| {
                                            signing_out.set(true);
                                            session.sign_out();
                                        }
                                    >
                                        "Sign out"
                                    </button>
                                </div>
                            }
                        })
                }}
            </div>
        </header>
    }
}
