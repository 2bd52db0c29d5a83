use leptos::prelude::*;

use crate::state::explore::ExploreState;

/// Values of the link the explorer could not use, and what it shows instead.
#[component]
pub fn LinkNotices(
    /// The explorer's state.
    state: ExploreState,
) -> impl IntoView {
    move || {
        let notices = state.notices();
        (!notices.is_empty()).then(|| {
            view! {
                <div class="callout callout-warn" role="status" data-testid="link-notices">
                    <div>
                        <strong>"Parts of this link could not be used."</strong>
                        <ul>
                            {notices.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                        </ul>
                    </div>
                    <button
                        type="button"
                        class="button button-quiet"
                        on:click=move |_| state.dismiss_notices()
                    >
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}
