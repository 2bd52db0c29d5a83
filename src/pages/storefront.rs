//! The storefront's home and search page (`/`): search box, filters, sort and pages in
//! the URL; every card's delivery window worked out in the browser.

use crossdock_core::engine::{Destination, Estimator};
use crossdock_core::{Instant, Mode};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::catalog::ListingPage;
use crate::api::{ApiError, fetch_listings};
use crate::browser::set_title;
use crate::components::{ListingCard, LoadError};
use crate::model::card::{CardEstimate, card_estimate, day_month};
use crate::model::search::{PER_PAGE, SearchQuery, Sort, mode_filter_label, page_links};
use crate::state::clock::Clock;
use crate::state::destination::use_destination;
use crate::state::load::Load;
use crate::state::network::use_network;
use crate::state::url::{Nav, use_url};

/// Words to try when a search finds nothing.
const SUGGESTIONS: [&str; 5] = ["phone case", "lamp", "charger", "jacket", "garden"];

/// Home and search.
#[component]
pub fn Storefront() -> impl IntoView {
    let url = use_url();
    let query = Memo::new(move |_| url.with(|l| SearchQuery::parse(|k| l.query.get(k))));
    let network = use_network();
    let dest = use_destination();
    let clock = Clock::live();
    let minute = clock.minute();

    let net = Signal::derive(move || match network.get() {
        Some(Ok(n)) => Some(n),
        _ => None,
    });
    let resolved = Memo::new(move |_| net.get().map(|n| dest.resolve(&n)));
    // The listings depend on the market (prices) and the search; on the zone only when
    // delivery decides the order or the filter. A new postal code in the same market
    // re-estimates the cards without fetching them again.
    let api_key = Memo::new(move |_| {
        let q = query.get();
        let needs_zone = q.sort == Sort::Fastest || q.arrives_by.is_some();
        let market = dest.get().market;
        if needs_zone {
            resolved
                .get()
                .map(|r| q.api_query(&r.market, Some(&r.zone)))
        } else {
            Some(q.api_query(&market, None))
        }
    });
    let attempt = RwSignal::new(0u32);
    let listings = Load::new(move || {
        let key = api_key.get();
        attempt.get();
        async move {
            match key {
                Some(k) => Some(fetch_listings(&k).await),
                None => None,
            }
        }
    });
    let page_data = move || -> Option<Result<ListingPage, ApiError>> { listings.get().flatten() };

    let estimates = Memo::new(move |_| {
        let (Some(n), Some(r)) = (net.get(), resolved.get()) else {
            return Vec::new();
        };
        let secs = minute.get();
        let Ok(now) = Instant::from_unix(secs) else {
            return Vec::new();
        };
        let dest = Destination {
            market: r.market.clone(),
            postal_code: None,
            zone: Some(r.zone.clone()),
        };
        let Ok(est) = Estimator::new(&n, &dest, now) else {
            return Vec::new();
        };
        listings
            .get()
            .flatten()
            .and_then(|r| r.ok())
            .map(|p| {
                p.items
                    .iter()
                    .map(|it| {
                        let e = if it.sold_out() {
                            CardEstimate::SoldOut
                        } else {
                            card_estimate(&est, &it.engine_listing())
                        };
                        (it.id, e)
                    })
                    .collect::<Vec<(i64, CardEstimate)>>()
            })
            .unwrap_or_default()
    });
    let locale = Signal::derive(move || {
        resolved
            .get()
            .map(|r| r.locale)
            .unwrap_or_else(|| "en-US".to_string())
    });

    let go = move |q: SearchQuery| url.navigate(&q.href(), Nav::Push);
    Effect::new(move |_| {
        let q = query.with(|q| q.q.clone());
        set_title(&if q.is_empty() {
            "Crossdock — shop cross-border, delivered when we say".to_string()
        } else {
            format!("{q} · Crossdock")
        });
    });
    let search_text = RwSignal::new(query.get_untracked().q);
    Effect::new(move |_| search_text.set(query.get().q));
    let on_search = {
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let mut q = query.get_untracked();
            q.q = search_text
                .get_untracked()
                .trim()
                .chars()
                .take(200)
                .collect();
            q.page = 1;
            go(q);
        }
    };
    let set = {
        move |f: Box<dyn Fn(&mut SearchQuery)>| {
            let mut q = query.get_untracked();
            f(&mut q);
            q.page = 1;
            go(q);
        }
    };
    let categories = move || {
        net.get()
            .map(|n| {
                n.file
                    .categories
                    .iter()
                    .map(|c| (c.id.clone(), c.name.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    // "Arrives by" choices: the next fourteen days in the destination's calendar.
    let arrive_days = move || {
        let (Some(n), Some(r)) = (net.get(), resolved.get()) else {
            return Vec::new();
        };
        let today = Instant::from_unix(minute.get()).ok().and_then(|now| {
            Estimator::new(
                &n,
                &Destination {
                    market: r.market.clone(),
                    postal_code: None,
                    zone: Some(r.zone.clone()),
                },
                now,
            )
            .ok()
            .map(|e| e.today())
        });
        let Some(today) = today else {
            return Vec::new();
        };
        (1..=14)
            .filter_map(|i| today.add_days(i).ok())
            .map(|d| (d.to_string(), day_month(d)))
            .collect::<Vec<_>>()
    };

    let set_category = set;
    let set_mode = set;
    let set_arrives = set;
    let set_sort = set;
    let clear = go;
    let results = move || {
        let q = query.get();
        match page_data() {
            None => skeleton().into_any(),
            Some(Err(e)) => view! {
                <div class="callout callout-error" role="alert" data-testid="listings-error">
                    <h2>"We couldn't load the listings"</h2>
                    <p>{e.to_string()}</p>
                    <button
                        type="button"
                        class="button"
                        data-testid="listings-retry"
                        on:click=move |_| attempt.update(|a| *a += 1)
                    >
                        "Try again"
                    </button>
                </div>
            }
            .into_any(),
            Some(Ok(p)) if p.items.is_empty() => {
                let suggestions = SUGGESTIONS
                    .iter()
                    .map(|s| {
                        let href = SearchQuery {
                            q: (*s).to_string(),
                            ..Default::default()
                        }
                        .href();
                        view! {
                            <li>
                                <a href=href.clone() on:click=url.on_link_click(href)>{*s}</a>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="empty" data-testid="no-results">
                        <h2>"No listings match"</h2>
                        <p>
                            {if q.q.is_empty() {
                                "Nothing matches these filters.".to_string()
                            } else {
                                format!("Nothing matches \u{201c}{}\u{201d} with these filters.", q.q)
                            }}
                        </p>
                        {q
                            .has_filters()
                            .then(|| {
                                let q2 = SearchQuery {
                                    q: q.q.clone(),
                                    ..Default::default()
                                };
                                view! {
                                    <button
                                        type="button"
                                        class="button"
                                        data-testid="clear-filters"
                                        on:click=move |_| clear(q2.clone())
                                    >
                                        "Clear the filters"
                                    </button>
                                }
                            })}
                        <p>"Or try:"</p>
                        <ul class="suggestions">{suggestions}</ul>
                    </div>
                }
                    .into_any()
            }
            Some(Ok(p)) => {
                let pages = p.total.div_ceil(p.per_page.max(1));
                let first = (p.page.saturating_sub(1)) * p.per_page + 1;
                let last = (first + u32::try_from(p.items.len()).unwrap_or(0)).saturating_sub(1);
                let count = format!(
                    "{first}–{last} of {} listing{}",
                    p.total,
                    if p.total == 1 { "" } else { "s" }
                );
                let cards = p
                    .items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let id = item.id;
                        let est = Signal::derive(move || {
                            estimates
                                .with(|v| v.iter().find(|(k, _)| *k == id).map(|(_, e)| e.clone()))
                        });
                        view! { <ListingCard item=item estimate=est locale=locale eager={i < 4} /> }
                    })
                    .collect_view();
                let links = page_links(p.page, pages)
                    .into_iter()
                    .map(|l| match l {
                        None => view! { <li class="gap" aria-hidden="true">"…"</li> }.into_any(),
                        Some(n) => {
                            let href = q.with_page(n).href();
                            let current = n == p.page;
                            view! {
                                <li>
                                    <a
                                        href=href
                                        aria-current=current.then_some("page")
                                        aria-label=format!("Page {n}")
                                    >
                                        {n.to_string()}
                                    </a>
                                </li>
                            }
                            .into_any()
                        }
                    })
                    .collect_view();
                view! {
                    <p class="result-count" data-testid="result-count">{count}</p>
                    <ul
                        class="grid"
                        data-testid="listing-grid"
                        data-market=move || resolved.get().map(|r| r.market).unwrap_or_default()
                        data-zone=move || resolved.get().map(|r| r.zone).unwrap_or_default()
                    >
                        {cards}
                    </ul>
                    {(pages > 1)
                        .then(|| {
                            view! {
                                <nav class="pager" aria-label="Pages">
                                    <ul>{links}</ul>
                                </nav>
                            }
                        })}
                }
                .into_any()
            }
        }
    };

    view! {
        <div class="wrap store">
            <form class="search" role="search" on:submit=on_search>
                <label for="search-q" class="visually-hidden">"Search listings"</label>
                <input
                    id="search-q"
                    type="search"
                    placeholder="Search phone cases, lamps, jackets…"
                    data-testid="search-input"
                    prop:value=move || search_text.get()
                    on:input=move |ev| search_text.set(event_target_value(&ev))
                />
                <button type="submit" class="button button-primary" data-testid="search-submit">
                    "Search"
                </button>
            </form>
            <div class="filters" role="group" aria-label="Filters">
                <label class="filter">
                    <span>"Category"</span>
                    <select
                        data-testid="filter-category"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            set_category(Box::new(move |q| q.category = v.clone()));
                        }
                    >
                        <option value="" selected=move || query.get().category.is_empty()>
                            "All categories"
                        </option>
                        {move || {
                            let cur = query.get().category;
                            categories()
                                .into_iter()
                                .map(|(id, name)| {
                                    let sel = id == cur;
                                    view! {
                                        <option value=id selected=sel>
                                            {name}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label class="filter">
                    <span>"Delivery"</span>
                    <select
                        data-testid="filter-mode"
                        on:change=move |ev| {
                            let v = crate::model::query::parse_mode(&event_target_value(&ev));
                            set_mode(Box::new(move |q| q.mode = v));
                        }
                    >
                        <option value="" selected=move || query.get().mode.is_none()>
                            "Any"
                        </option>
                        {[Mode::PlatformLocal, Mode::SemiManaged, Mode::FullyManaged]
                            .into_iter()
                            .map(|m| {
                                view! {
                                    <option
                                        value=crate::model::query::mode_id(m)
                                        selected=move || query.get().mode == Some(m)
                                    >
                                        {mode_filter_label(m)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="filter">
                    <span>"Arrives by"</span>
                    <select
                        data-testid="filter-arrives"
                        on:change=move |ev| {
                            let v = crossdock_core::Date::parse(&event_target_value(&ev)).ok();
                            set_arrives(Box::new(move |q| q.arrives_by = v));
                        }
                    >
                        <option value="" selected=move || query.get().arrives_by.is_none()>
                            "Any day"
                        </option>
                        {move || {
                            let cur = query.get().arrives_by.map(|d| d.to_string());
                            arrive_days()
                                .into_iter()
                                .map(|(v, label)| {
                                    let sel = cur.as_deref() == Some(v.as_str());
                                    view! {
                                        <option value=v selected=sel>
                                            {label}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label class="filter">
                    <span>"Sort by"</span>
                    <select
                        data-testid="sort"
                        on:change=move |ev| {
                            let v = Sort::parse(&event_target_value(&ev)).unwrap_or_default();
                            set_sort(Box::new(move |q| q.sort = v));
                        }
                    >
                        {Sort::ALL
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <option value=s.id() selected=move || query.get().sort == s>
                                        {s.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            </div>
            {move || match network.get() {
                Some(Err(e)) => Some(view! {
                    <LoadError message=e.to_string() on_retry=Callback::new(move |()| network.retry()) />
                }),
                _ => None,
            }}
            <section aria-label="Listings" class="results-area" aria-busy=move || page_data().is_none().to_string()>
                {results}
            </section>
        </div>
        <About />
    }
}

/// Twelve grey cards where the listings will be.
fn skeleton() -> impl IntoView {
    view! {
        <p class="result-count" role="status" data-testid="listings-loading">
            "Loading listings…"
        </p>
        <ul class="grid" aria-hidden="true">
            {(0..PER_PAGE.min(12))
                .map(|_| {
                    view! {
                        <li class="card card-skeleton">
                            <div class="pic"></div>
                            <p class="sk-line"></p>
                            <p class="sk-line sk-short"></p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// What Crossdock is, below the listings.
#[component]
fn About() -> impl IntoView {
    view! {
        <section class="about" aria-labelledby="about-title">
            <div class="wrap">
                <h2 id="about-title">"Delivery promises worked out in your browser"</h2>
                <p class="lead">
                    "Every window on this page comes from the same routing engine that routes the order, compiled to WebAssembly and run here. It holds 97 % of the time."
                </p>
                <div class="mode-grid">
                    <article class="mode-card">
                        <h3>"Local warehouse — fast"</h3>
                        <p class="mode-days">"1–2 days near a warehouse"</p>
                        <p>"Pre-stocked in your country. Which warehouse ships decides the window."</p>
                    </article>
                    <article class="mode-card">
                        <h3>"Seller's local warehouse"</h3>
                        <p class="mode-days">"4–9 days"</p>
                        <p>"The seller keeps stock in your market. Heavy and bulky goods welcome."</p>
                    </article>
                    <article class="mode-card">
                        <h3>"Ships from China"</h3>
                        <p class="mode-days">"7–14 days"</p>
                        <p>"Air freight, customs and the last mile, each leg on the timeline."</p>
                    </article>
                </div>
                <p>
                    <a href="/explore" class="button button-primary">
                        "Open the delivery explorer"
                    </a>
                </p>
            </div>
        </section>
    }
}
