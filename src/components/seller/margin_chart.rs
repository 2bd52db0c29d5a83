use leptos::prelude::*;

/// The margin-against-price chart: `crossdock_core::pricing::margin_chart_svg`'s picture,
/// inserted as it is. The SVG is the core's own (every text in it escaped, no script,
/// `role="img"` labelled by its title and description), never text from a user.
#[component]
pub fn MarginChart(
    /// The SVG document, or why there is none.
    svg: Result<String, String>,
) -> impl IntoView {
    match svg {
        Ok(svg) => view! { <div class="margin-chart-wrap" inner_html=svg></div> }.into_any(),
        Err(why) => view! {
            <p class="callout" data-testid="margin-chart-missing">
                {format!("No chart for these figures: {why}")}
            </p>
        }
        .into_any(),
    }
}
