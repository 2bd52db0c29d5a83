use leptos::prelude::*;

/// A labelled form field: the label, the control (children), a hint and an error
/// message (shown instead of the hint). The control should carry `id`, and `aria-describedby="{id}-hint {id}-error"`.
#[component]
pub fn Field(
    /// Id of the control the label names.
    #[prop(into)]
    id: String,
    /// The label text.
    #[prop(into)]
    label: Signal<String>,
    /// Help shown under the control.
    #[prop(optional, into)]
    hint: MaybeProp<String>,
    /// What is wrong with the value, if anything.
    #[prop(optional, into)]
    error: MaybeProp<String>,
    /// `data-testid` of the error message.
    #[prop(optional)]
    error_testid: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:invalid=move || error.with(|e| e.is_some())>
            <label for=id>{label}</label>
            {children()}
            {move || {
                // The error says what to type; the hint would repeat it.
                if error.with(|e| e.is_some()) {
                    return None;
                }
                hint.get().map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })
            }}
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="error" id=error_id.clone() data-testid=error_testid role="alert">
                                {e}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
