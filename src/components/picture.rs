use leptos::prelude::*;

/// A product picture in a fixed 1:1 frame, drawn as the category's art until (or
/// instead of) the server's picture.
#[component]
pub fn Picture(
    /// The picture's URL, if the listing has one.
    src: Option<String>,
    /// The category id (chooses the placeholder's colours).
    category: String,
    /// Alternative text; empty when the title next to it says it all.
    alt: String,
    /// Load at once (the first screenful), else lazily.
    #[prop(optional)]
    eager: bool,
) -> impl IntoView {
    let class = format!("pic pic-{category}");
    view! {
        <div class=class>
            {src
                .map(|s| {
                    view! {
                        <img
                            src=s
                            alt=alt
                            width="400"
                            height="400"
                            loading=if eager { "eager" } else { "lazy" }
                            fetchpriority=if eager { "high" } else { "auto" }
                            decoding="async"
                        />
                    }
                })}
        </div>
    }
}
