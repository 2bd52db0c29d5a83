use leptos::prelude::*;

use crate::model::timeline::{Axis, Tick};
use crate::model::view::FeasibleView;

/// A route's legs across the days, one row per leg, then the spread of delivery dates
/// with the promised window outlined. Every card shares one axis so routes compare at a
/// glance.
#[component]
pub fn Timeline(
    /// The route.
    route: FeasibleView,
    /// The shared axis and its days.
    axis: Axis,
    ticks: Vec<Tick>,
) -> impl IntoView {
    let grid = axis.grid_style();
    // Weekend days shaded behind every track.
    let weekends: Vec<String> = ticks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.weekend)
        .map(|(i, _)| format!("grid-column:{}/{}", i + 1, i + 2))
        .collect();
    let today_col = ticks
        .iter()
        .position(|t| t.today)
        .map(|i| format!("grid-column:{}/{}", i + 1, i + 2));
    let shading = move || {
        let cells = weekends
            .iter()
            .map(|s| view! { <span class="tl-weekend" style=s.clone()></span> })
            .collect_view();
        let today = today_col
            .clone()
            .map(|s| view! { <span class="tl-today" style=s></span> });
        (cells, today)
    };
    let axis_row = ticks
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            t.day.map(|day| {
                view! {
                    <span class="tl-tick" class:today=t.today style=format!("grid-column:{}/{}", i + 1, i + 2)>
                        <span class="tl-day">{day}</span>
                        <span class="tl-month">{t.month.unwrap_or("\u{a0}")}</span>
                    </span>
                }
            })
        })
        .collect_view();
    let legs = route
        .legs
        .into_iter()
        .map(|leg| {
            let sr = format!("{}: {}, {}.", leg.name, leg.days_text, leg.when_text);
            let kind_class = format!("tl-bar sure kind-{}", leg.kind.to_ascii_lowercase().replace(' ', "-"));
            view! {
                <li class="tl-row">
                    <div class="tl-label">
                        <span class="tl-kind" title=leg.name.clone()>{leg.kind}</span>
                        <span class="tl-days">{leg.days_text}</span>
                        <span class="tl-cost">{leg.cost_text}</span>
                        <span class="visually-hidden">{sr}</span>
                    </div>
                    <div class="tl-track" style=grid.clone() aria-hidden="true">
                        {shading()}
                        <span class=kind_class style=leg.sure.style() title=format!("{}: {}", leg.name, leg.when_text)></span>
                        {leg
                            .maybe
                            .map(|m| {
                                view! {
                                    <span class="tl-bar maybe" style=m.style() title="may take until here"></span>
                                }
                            })}
                    </div>
                </li>
            }
        })
        .collect_view();
    let shares = route
        .shares
        .into_iter()
        .map(|s| {
            view! {
                <span
                    class="tl-share"
                    style=format!("{};--h:{}%", s.span.style(), s.height)
                    title=s.title
                ></span>
            }
        })
        .collect_view();

    view! {
        <div class="timeline">
            <div class="tl-axis" style=grid.clone() aria-hidden="true">
                {axis_row}
            </div>
            <ol class="tl-legs">
                {legs}
                <li class="tl-row tl-arrival">
                    <div class="tl-label">
                        <span class="tl-kind">"Arrives"</span>
                        <span class="tl-days">{format!("{} in the window", route.probability_text)}</span>
                    </div>
                    <div class="tl-track tl-dist" style=grid.clone() aria-hidden="true">
                        {shading()}
                        <span class="tl-window" style=route.window_span.style()></span>
                        {shares}
                    </div>
                </li>
            </ol>
        </div>
    }
}
