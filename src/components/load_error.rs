use leptos::prelude::*;

/// A failed load: what went wrong, and a button to try again.
#[component]
pub fn LoadError(
    /// The message for the reader.
    #[prop(into)]
    message: String,
    /// Called when the reader asks to try again.
    on_retry: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="callout callout-error" role="alert" data-testid="network-error">
            <h2>"The delivery network did not load"</h2>
            <p>{message}</p>
            <button
                type="button"
                class="button"
                data-testid="network-retry"
                on:click=move |_| on_retry.run(())
            >
                "Try again"
            </button>
        </div>
    }
}
