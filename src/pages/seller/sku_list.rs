//! The SKU table (`/seller`): search, sort and filters (mode, market, low stock, negative
//! margin) in the URL, pages, and bulk edits of the selected SKUs (set the mode, or change
//! the price by a percentage), each SKU saved with the version the table showed and its
//! outcome reported; below the table, prices and stock as a CSV file to download and
//! import.

use crossdock_core::Mode;
use crossdock_core::pricing::PricingRules;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::api::seller::{
    PriceAsk, SaveError, SkuPage, SkuSummary, SkuUpdate, fetch_pricing_rules, fetch_skus,
    is_signed_out, save_sku,
};
use crate::browser::{local_offset_min, set_title};
use crate::components::seller::{CsvImport, mode_slug, money_text};
use crate::model::format::date_time_text;
use crate::model::query::{mode_id, parse_mode};
use crate::model::search::page_links;
use crate::model::seller::bulk::{BulkAction, BulkOutcome, changed_price, outcome_summary};
use crate::model::seller::form::parse_bulk_change;
use crate::model::seller::query::{PanelQuery, SkuSort, SortKey};
use crate::model::seller::whatif::margin_pct_text;
use crate::state::load::Load;
use crate::state::network::use_network;
use crate::state::url::{Nav, use_url};

/// One SKU of a bulk edit: id, what the seller reads, outcome.
type BulkLine = (i64, String, BulkOutcome);

/// The SKU table.
#[component]
pub fn SkuList() -> impl IntoView {
    set_title("Your SKUs · Crossdock seller panel");
    let url = use_url();
    let network = use_network();
    let query = Memo::new(move |_| url.with(|l| PanelQuery::parse(&l.query)));
    let page: Load<Result<SkuPage, ApiError>> = Load::new(move || {
        let q = query.get().api_query();
        async move { fetch_skus(&q).await }
    });
    let go = move |q: PanelQuery, how: Nav| url.navigate(&q.href(), how);
    let edit = move |f: Box<dyn FnOnce(&mut PanelQuery)>| {
        go(query.get_untracked().edited(f), Nav::Push);
    };

    let search_text = RwSignal::new(query.get_untracked().q);
    // The box follows the URL (back and forward).
    Effect::new(move |_| search_text.set(query.get().q));
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = search_text.get_untracked().trim().to_string();
        edit(Box::new(move |q| q.q = text));
    };

    let markets = Memo::new(move |_| match network.get() {
        Some(Ok(n)) => n
            .file
            .markets
            .iter()
            .map(|m| (m.id.clone(), m.name.clone()))
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    });

    // Selection: ids on this page; cleared when the view changes.
    let selected = RwSignal::new(Vec::<i64>::new());
    Effect::new(move |_| {
        query.track();
        selected.set(Vec::new());
    });
    let bulk_lines = RwSignal::new(Vec::<BulkLine>::new());
    let bulk_running = RwSignal::new(false);

    let rows = move || match page.get() {
        Some(Ok(p)) => p.items,
        _ => Vec::new(),
    };

    let sort_header = move |key: SortKey, label: &'static str| {
        view! {
            <th scope="col" aria-sort=move || query.get().sort.aria(key)>
                <button
                    type="button"
                    class="sort-button"
                    data-testid=format!("sort-{}", key.id())
                    on:click=move |_| {
                        let next = query.get_untracked().sort.toggled(key);
                        edit(Box::new(move |q| q.sort = next));
                    }
                >
                    {label}
                    <span class="sort-mark" aria-hidden="true">
                        {move || match query.get().sort.aria(key) {
                            "ascending" => "▲",
                            "descending" => "▼",
                            _ => "↕",
                        }}
                    </span>
                </button>
            </th>
        }
    };

    let table = move || {
        let q = query.get();
        match page.get() {
            None => view! {
                <div class="sku-skeleton" role="status" data-testid="skus-loading">
                    <p class="sk-line"></p>
                    <p class="sk-line"></p>
                    <p class="sk-line sk-short"></p>
                    <span class="visually-hidden">"Loading your SKUs…"</span>
                </div>
            }
            .into_any(),
            Some(Err(e)) => view! {
                <div class="callout callout-error" role="alert" data-testid="skus-error">
                    <h2>"Your SKUs did not load"</h2>
                    <p>{e.to_string()}</p>
                    <button type="button" class="button" on:click=move |_| page.reload()>
                        "Try again"
                    </button>
                </div>
            }
            .into_any(),
            Some(Ok(p)) if p.items.is_empty() => {
                let narrowed = q.narrowed();
                view! {
                    <div class="empty" data-testid="skus-empty">
                        {if narrowed {
                            view! {
                                <p>"No SKU matches this search and these filters."</p>
                                <a
                                    href=q.cleared().href()
                                    class="button"
                                    on:click=url.on_link_click(q.cleared().href())
                                >
                                    "Show all SKUs"
                                </a>
                            }
                                .into_any()
                        } else if p.page > 1 {
                            view! {
                                <p>"There are no SKUs on this page."</p>
                                <a href=q.with_page(1).href() class="button" on:click=url.on_link_click(q.with_page(1).href())>
                                    "Back to the first page"
                                </a>
                            }
                                .into_any()
                        } else {
                            view! {
                                <p>"You have no SKUs yet. The platform's seller support adds your catalog."</p>
                            }
                                .into_any()
                        }}
                    </div>
                }
                .into_any()
            }
            Some(Ok(p)) => {
                let market = q.market.clone();
                let pages =
                    u32::try_from(p.total.div_ceil(u64::from(p.per_page.max(1)))).unwrap_or(1);
                let ids: Vec<i64> = p.items.iter().map(|s| s.id).collect();
                let all_ids = ids.clone();
                let all_selected = move || {
                    let sel = selected.get();
                    !all_ids.is_empty() && all_ids.iter().all(|i| sel.contains(i))
                };
                let body = p
                    .items
                    .into_iter()
                    .map(|s| sku_row(s, &market, selected, url, &q))
                    .collect_view();
                let links = page_links(p.page, pages)
                    .into_iter()
                    .map(|l| match l {
                        Some(n) => {
                            let href = q.with_page(n).href();
                            let current = n == p.page;
                            view! {
                                <li>
                                    <a
                                        href=href.clone()
                                        aria-current=current.then_some("page")
                                        aria-label=format!("Page {n}")
                                        on:click=url.on_link_click(href)
                                    >
                                        {n}
                                    </a>
                                </li>
                            }
                            .into_any()
                        }
                        None => view! { <li class="gap" aria-hidden="true">"…"</li> }.into_any(),
                    })
                    .collect_view();
                let first = (p.page - 1) * p.per_page + 1;
                let last = (first + u32::try_from(ids.len()).unwrap_or(0)).saturating_sub(1);
                view! {
                    <p class="result-count" data-testid="sku-count" role="status">
                        {format!("SKUs {first}–{last} of {}", p.total)}
                    </p>
                    <div class="table-scroll sku-table-wrap" role="region" aria-label="Your SKUs" tabindex="0">
                        <table class="sku-table" data-testid="sku-table">
                            <thead>
                                <tr>
                                    <th scope="col" class="select-col">
                                        <input
                                            type="checkbox"
                                            aria-label="Select every SKU on this page"
                                            data-testid="select-all"
                                            prop:checked=all_selected
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                let ids = ids.clone();
                                                selected.update(|s| {
                                                    s.retain(|i| !ids.contains(i));
                                                    if on {
                                                        s.extend(ids);
                                                    }
                                                });
                                            }
                                        />
                                    </th>
                                    {sort_header(SortKey::Title, "SKU")}
                                    <th scope="col">"Mode"</th>
                                    {sort_header(SortKey::Margin, "Price and margin")}
                                    {sort_header(SortKey::Stock, "Stock")}
                                    {sort_header(SortKey::Updated, "Last changed")}
                                </tr>
                            </thead>
                            <tbody>{body}</tbody>
                        </table>
                    </div>
                    {(pages > 1)
                        .then(|| {
                            view! {
                                <nav class="pager" aria-label="Pages of SKUs">
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
        <div class="wrap seller-page">
            <header class="page-head">
                <h1>"Your SKUs"</h1>
                <p class="lead">
                    "Prices, margins and stock per market. Open a SKU to compare fulfilment modes side by side and try prices before you save."
                </p>
                <p class="page-head-links">
                    <a href="#csv-title" data-testid="csv-jump">"Edit prices and stock in a spreadsheet (CSV)"</a>
                </p>
            </header>
            <form class="search sku-search" role="search" on:submit=on_search>
                <label for="sku-q" class="visually-hidden">"Search your SKUs by title, SKU code or brand"</label>
                <input
                    id="sku-q"
                    type="search"
                    placeholder="Search title, SKU code or brand"
                    data-testid="sku-search"
                    prop:value=move || search_text.get()
                    on:input=move |ev| search_text.set(event_target_value(&ev))
                />
                <button type="submit" class="button button-primary" data-testid="sku-search-submit">
                    "Search"
                </button>
            </form>
            <div class="filters sku-filters" role="group" aria-label="Filters and order">
                <label class="filter">
                    <span>"Mode"</span>
                    <select
                        data-testid="filter-mode"
                        on:change=move |ev| {
                            let m = parse_mode(&event_target_value(&ev));
                            edit(Box::new(move |q| q.mode = m));
                        }
                    >
                        <option value="" selected=move || query.get().mode.is_none()>"All modes"</option>
                        {Mode::ALL
                            .into_iter()
                            .map(|m| {
                                view! {
                                    <option value=mode_id(m) selected=move || query.get().mode == Some(m)>
                                        {m.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="filter">
                    <span>"Market"</span>
                    <select
                        data-testid="filter-market"
                        on:change=move |ev| {
                            let m = event_target_value(&ev);
                            edit(Box::new(move |q| q.market = m));
                        }
                    >
                        <option value="" selected=move || query.get().market.is_empty()>"All markets"</option>
                        {move || {
                            markets
                                .get()
                                .into_iter()
                                .map(|(id, name)| {
                                    let v = id.clone();
                                    view! {
                                        <option value=id.clone() selected=move || query.get().market == v>
                                            {format!("{name} ({id})")}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label class="filter filter-check">
                    <input
                        type="checkbox"
                        data-testid="filter-low-stock"
                        prop:checked=move || query.get().low_stock
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            edit(Box::new(move |q| q.low_stock = on));
                        }
                    />
                    <span>"Low stock (10 or fewer)"</span>
                </label>
                <label class="filter filter-check">
                    <input
                        type="checkbox"
                        data-testid="filter-negative-margin"
                        prop:checked=move || query.get().negative_margin
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            edit(Box::new(move |q| q.negative_margin = on));
                        }
                    />
                    <span>"Losing money"</span>
                </label>
                <label class="filter">
                    <span>"Order by"</span>
                    <select
                        data-testid="sort"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            let (key, dir) = v.split_once(':').unwrap_or((v.as_str(), "asc"));
                            let sort = SkuSort {
                                key: SortKey::parse(key).unwrap_or_default(),
                                desc: dir == "desc",
                            };
                            edit(Box::new(move |q| q.sort = sort));
                        }
                    >
                        {SortKey::ALL
                            .into_iter()
                            .flat_map(|k| [(k, false), (k, true)])
                            .map(|(key, desc)| {
                                let value = format!("{}:{}", key.id(), if desc { "desc" } else { "asc" });
                                let label = format!(
                                    "{}, {}",
                                    key.label(),
                                    match (key, desc) {
                                        (SortKey::Sku | SortKey::Title, false) => "A to Z",
                                        (SortKey::Sku | SortKey::Title, true) => "Z to A",
                                        (SortKey::Updated, false) => "oldest first",
                                        (SortKey::Updated, true) => "newest first",
                                        (_, false) => "lowest first",
                                        (_, true) => "highest first",
                                    }
                                );
                                view! {
                                    <option
                                        value=value
                                        selected=move || query.get().sort == SkuSort { key, desc }
                                    >
                                        {label}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                {move || {
                    let q = query.get();
                    q.narrowed()
                        .then(|| {
                            let href = q.cleared().href();
                            view! {
                                <a class="button button-quiet" href=href.clone() data-testid="clear-filters" on:click=url.on_link_click(href)>
                                    "Clear search and filters"
                                </a>
                            }
                        })
                }}
            </div>
            <BulkBar selected=selected rows=Signal::derive(rows) market=Signal::derive(move || query.get().market) markets=markets.into() lines=bulk_lines running=bulk_running on_done=Callback::new(move |()| page.reload()) />
            <BulkResults lines=bulk_lines running=bulk_running />
            {table}
            <CsvImport on_applied=Callback::new(move |()| page.reload()) />
        </div>
    }
}

/// One row of the table.
fn sku_row(
    s: SkuSummary,
    market: &str,
    selected: RwSignal<Vec<i64>>,
    url: crate::state::url::UrlState,
    q: &PanelQuery,
) -> impl IntoView + use<> {
    let id = s.id;
    let open_market = if market.is_empty() {
        s.markets.first().map(|m| m.market.clone())
    } else {
        Some(market.to_string())
    };
    let href = q.open(id, open_market.as_deref()).href();
    let shown: Vec<_> = s
        .markets
        .iter()
        .filter(|m| market.is_empty() || m.market == market)
        .cloned()
        .collect();
    let negative = shown
        .iter()
        .any(|m| m.margin.is_some_and(|x| x.minor() < 0));
    let markets = shown
        .into_iter()
        .map(|m| {
            let loss = m.margin.is_some_and(|x| x.minor() < 0);
            let margin = match (m.margin, m.margin_bp) {
                (Some(x), Some(bp)) => format!("{} ({})", money_text(&x), margin_pct_text(bp)),
                (Some(x), None) => money_text(&x),
                _ => m.margin_error.clone().map_or_else(
                    || "not priced yet".to_string(),
                    |_| "cannot be priced".to_string(),
                ),
            };
            let set = m.supply_price.map_or_else(
                || money_text(&m.price),
                |sp| format!("{} (supply {})", money_text(&m.price), money_text(&sp)),
            );
            view! {
                <li data-testid="sku-market" data-market=m.market.clone()>
                    <span class="mk">{m.market.clone()}</span>
                    <span class="mk-price" data-testid="sku-price">{set}</span>
                    <span class="mk-margin" class:negative=loss data-testid="sku-margin">
                        {loss.then_some("Loss: ")}
                        {margin}
                    </span>
                    {m
                        .promotion
                        .map(|p| {
                            view! {
                                <span class="badge badge-promo">
                                    {format!("{} · {}", p.label, money_text(&p.shopper_price))}
                                </span>
                            }
                        })}
                </li>
            }
        })
        .collect_view();
    let label = format!("{} {}", s.sku, s.title);
    let updated = date_time_text(s.updated_at, local_offset_min(s.updated_at.unix()));
    view! {
        <tr data-testid="sku-row" data-id=id.to_string() class:loss=negative>
            <td class="select-col">
                <input
                    type="checkbox"
                    aria-label=format!("Select {label}")
                    data-testid="select-sku"
                    prop:checked=move || selected.with(|v| v.contains(&id))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|v| {
                            v.retain(|x| *x != id);
                            if on {
                                v.push(id);
                            }
                        });
                    }
                />
            </td>
            <th scope="row" class="sku-title" data-label="SKU">
                <a href=href.clone() data-testid="open-sku" on:click=url.on_link_click(href)>
                    {s.title.clone()}
                </a>
                <span class="sku-code">{s.sku.clone()} " · " {s.category_name.clone()}</span>
            </th>
            <td data-label="Mode">
                <span class=format!("mode-chip mode-{}", mode_slug(s.mode))>{s.mode.label()}</span>
            </td>
            <td data-label="Price and margin">
                <ul class="sku-markets">{markets}</ul>
            </td>
            <td data-label="Stock" data-testid="sku-stock">
                <span>{format!("{} on hand", s.stock_total)}</span>
                {(s.inbound_total > 0)
                    .then(|| view! { <span class="cell-note">{format!("+{} on the way", s.inbound_total)}</span> })}
                {s.low_stock.then(|| view! { <span class="badge badge-low">"Low stock"</span> })}
            </td>
            <td data-label="Last changed">
                <span class="cell-note">{updated}</span>
            </td>
        </tr>
    }
}

/// Which bulk edit the seller chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BulkKind {
    Mode,
    Price,
}

/// The bar for bulk edits of the selected SKUs.
#[component]
fn BulkBar(
    selected: RwSignal<Vec<i64>>,
    rows: Signal<Vec<SkuSummary>>,
    /// The table's market filter (the default market of a price change).
    market: Signal<String>,
    markets: Signal<Vec<(String, String)>>,
    lines: RwSignal<Vec<BulkLine>>,
    running: RwSignal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let network = use_network();
    let kind = RwSignal::new(BulkKind::Mode);
    let mode = RwSignal::new(Mode::SemiManaged);
    let price_market = RwSignal::new(String::new());
    let change = RwSignal::new(String::new());
    let points = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    let chosen_market = move || {
        let m = price_market.get();
        if !m.is_empty() {
            return m;
        }
        let t = market.get();
        if !t.is_empty() {
            return t;
        }
        markets.with(|ms| ms.first().map(|(id, _)| id.clone()).unwrap_or_default())
    };

    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if running.get_untracked() {
            return;
        }
        let ids = selected.get_untracked();
        let targets: Vec<SkuSummary> = rows
            .get_untracked()
            .into_iter()
            .filter(|r| ids.contains(&r.id))
            .collect();
        if targets.is_empty() {
            return;
        }
        let action = match kind.get_untracked() {
            BulkKind::Mode => BulkAction::SetMode(mode.get_untracked()),
            BulkKind::Price => match parse_bulk_change(&change.get_untracked()) {
                Ok(bp) => BulkAction::ChangePrice {
                    market: chosen_market(),
                    change_bp: bp,
                    price_points: points.get_untracked(),
                },
                Err(e) => {
                    error.set(Some(e));
                    return;
                }
            },
        };
        error.set(None);
        running.set(true);
        lines.set(
            targets
                .iter()
                .map(|t| {
                    (
                        t.id,
                        format!("{} · {}", t.sku, t.title),
                        BulkOutcome::Pending,
                    )
                })
                .collect(),
        );
        let net = network.get_untracked();
        spawn_local(async move {
            let rules = match &action {
                BulkAction::ChangePrice {
                    price_points: true, ..
                } => match (net, fetch_pricing_rules().await) {
                    (Some(Ok(n)), Ok(text)) => PricingRules::read(&text, &n).ok(),
                    _ => None,
                },
                _ => None,
            };
            let mut stop: Option<String> = None;
            for (i, t) in targets.iter().enumerate() {
                let outcome = match &stop {
                    Some(why) => BulkOutcome::Failed(why.clone()),
                    None => bulk_one(t, &action, rules.as_ref()).await,
                };
                if let BulkOutcome::Failed(why) = &outcome
                    && why.starts_with("Your session")
                {
                    stop = Some(why.clone());
                }
                lines.try_update(|l| {
                    if let Some(line) = l.get_mut(i) {
                        line.2 = outcome;
                    }
                });
            }
            running.try_set(false);
            selected.try_set(Vec::new());
            on_done.run(());
        });
    };

    view! {
        <Show when=move || !selected.with(|s| s.is_empty())>
            <form class="bulk-bar" aria-labelledby="bulk-title" on:submit=apply data-testid="bulk-bar">
                <h2 id="bulk-title" class="bulk-title">
                    {move || {
                        let n = selected.with(|s| s.len());
                        format!("{n} SKU{} selected", if n == 1 { "" } else { "s" })
                    }}
                </h2>
                <fieldset class="bulk-kind">
                    <legend class="visually-hidden">"What to change"</legend>
                    <label>
                        <input
                            type="radio"
                            name="bulk-kind"
                            data-testid="bulk-kind-mode"
                            prop:checked=move || kind.get() == BulkKind::Mode
                            on:change=move |_| kind.set(BulkKind::Mode)
                        />
                        "Set the fulfilment mode"
                    </label>
                    <label>
                        <input
                            type="radio"
                            name="bulk-kind"
                            data-testid="bulk-kind-price"
                            prop:checked=move || kind.get() == BulkKind::Price
                            on:change=move |_| kind.set(BulkKind::Price)
                        />
                        "Change the price by a percentage"
                    </label>
                </fieldset>
                <Show
                    when=move || kind.get() == BulkKind::Price
                    fallback=move || {
                        view! {
                            <label class="filter">
                                <span>"New mode"</span>
                                <select
                                    data-testid="bulk-mode"
                                    on:change=move |ev| {
                                        if let Some(m) = parse_mode(&event_target_value(&ev)) {
                                            mode.set(m);
                                        }
                                    }
                                >
                                    {Mode::ALL
                                        .into_iter()
                                        .map(|m| {
                                            view! {
                                                <option value=mode_id(m) selected=move || mode.get() == m>
                                                    {m.label()}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </label>
                        }
                    }
                >
                    <label class="filter">
                        <span>"In market"</span>
                        <select
                            data-testid="bulk-market"
                            on:change=move |ev| price_market.set(event_target_value(&ev))
                        >
                            {move || {
                                let cur = chosen_market();
                                markets
                                    .get()
                                    .into_iter()
                                    .map(|(id, name)| {
                                        let sel = id == cur;
                                        view! {
                                            <option value=id.clone() selected=sel>
                                                {format!("{name} ({id})")}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                    <div class="filter">
                        <label for="bulk-change">"Change (%)"</label>
                        <input
                            id="bulk-change"
                            type="text"
                            inputmode="decimal"
                            placeholder="-10"
                            data-testid="bulk-change"
                            aria-describedby="bulk-change-hint bulk-error"
                            aria-invalid=move || error.with(|e| e.is_some()).to_string()
                            prop:value=move || change.get()
                            on:input=move |ev| {
                                change.set(event_target_value(&ev));
                                error.set(None);
                            }
                        />
                        <span class="hint" id="bulk-change-hint">
                            "−10 lowers prices by 10 %; 5 raises them by 5 %. Fully managed SKUs change their supply price."
                        </span>
                    </div>
                    <label class="filter filter-check">
                        <input
                            type="checkbox"
                            prop:checked=move || points.get()
                            on:change=move |ev| points.set(event_target_checked(&ev))
                        />
                        <span>"Round up to the market's price points (x.99)"</span>
                    </label>
                </Show>
                <p class="error" id="bulk-error" role="alert" data-testid="bulk-error">
                    {move || error.get()}
                </p>
                <div class="bulk-actions">
                    <button type="submit" class="button button-primary" data-testid="bulk-apply" disabled=move || running.get()>
                        {move || if running.get() { "Saving…" } else { "Apply to the selected SKUs" }}
                    </button>
                    <button type="button" class="button" on:click=move |_| selected.set(Vec::new())>
                        "Clear the selection"
                    </button>
                </div>
            </form>
        </Show>
    }
}

/// Saves one SKU of a bulk edit.
async fn bulk_one(
    t: &SkuSummary,
    action: &BulkAction,
    rules: Option<&PricingRules>,
) -> BulkOutcome {
    let update = match action {
        BulkAction::SetMode(m) => {
            if t.mode == *m {
                return BulkOutcome::Skipped(format!("already {}", m.label().to_ascii_lowercase()));
            }
            SkuUpdate {
                version: t.version,
                mode: Some(*m),
                prices: Vec::new(),
                stock: Vec::new(),
            }
        }
        BulkAction::ChangePrice {
            market,
            change_bp,
            price_points,
        } => {
            let Some(row) = t.in_market(market) else {
                return BulkOutcome::Skipped(format!("not sold in {market}"));
            };
            let bands = rules
                .filter(|_| *price_points && t.mode != Mode::FullyManaged)
                .and_then(|r| r.market(market))
                .map(|m| m.price_points.as_slice());
            let (current, supply) = match (t.mode, row.supply_price) {
                (Mode::FullyManaged, Some(s)) => (s, true),
                (Mode::FullyManaged, None) => {
                    return BulkOutcome::Skipped("no supply price on record".into());
                }
                _ => (row.price, false),
            };
            let Some(new) = changed_price(current, *change_bp, bands) else {
                return BulkOutcome::Failed("the new price cannot be worked out".into());
            };
            if new == current {
                return BulkOutcome::Skipped("the price stays the same".into());
            }
            SkuUpdate {
                version: t.version,
                mode: None,
                prices: vec![(
                    market.clone(),
                    if supply {
                        PriceAsk::SupplyPrice(new)
                    } else {
                        PriceAsk::Price(new)
                    },
                )],
                stock: Vec::new(),
            }
        }
    };
    match save_sku(t.id, &update).await {
        Ok(_) => BulkOutcome::Saved,
        Err(SaveError::Conflict(_)) => BulkOutcome::Conflict,
        Err(SaveError::Other(e)) if is_signed_out(&e) => BulkOutcome::Failed(
            "Your session ended: sign in again, then apply the change to the SKUs left.".into(),
        ),
        Err(e) => BulkOutcome::Failed(e.to_string()),
    }
}

/// The outcome of the last bulk edit, SKU by SKU.
#[component]
fn BulkResults(lines: RwSignal<Vec<BulkLine>>, running: RwSignal<bool>) -> impl IntoView {
    let url = use_url();
    view! {
        <Show when=move || !lines.with(|l| l.is_empty())>
            <section class="callout bulk-results" aria-labelledby="bulk-results-title" data-testid="bulk-results">
                <h2 id="bulk-results-title">
                    {move || if running.get() { "Saving the selected SKUs…" } else { "Bulk edit done" }}
                </h2>
                <p role="status" data-testid="bulk-summary">
                    {move || {
                        let outcomes: Vec<BulkOutcome> = lines.with(|l| l.iter().map(|x| x.2.clone()).collect());
                        outcome_summary(&outcomes)
                    }}
                </p>
                <ul class="bulk-lines">
                    {move || {
                        lines
                            .get()
                            .into_iter()
                            .map(|(id, label, outcome)| {
                                let href = PanelQuery::default().open(id, None).href();
                                let (class, text) = match &outcome {
                                    BulkOutcome::Pending => ("pending", "Waiting…".to_string()),
                                    BulkOutcome::Saved => ("ok", "Saved".to_string()),
                                    BulkOutcome::Skipped(why) => ("skipped", format!("Unchanged: {why}")),
                                    BulkOutcome::Conflict => (
                                        "conflict",
                                        "Not saved: someone changed this SKU meanwhile. Open it to compare and save again.".to_string(),
                                    ),
                                    BulkOutcome::Failed(why) => ("failed", format!("Not saved: {why}")),
                                };
                                let attention = outcome.needs_attention();
                                view! {
                                    <li class=format!("bulk-line bulk-{class}") data-testid="bulk-line" data-outcome=class>
                                        <span class="bulk-sku">{label}</span>
                                        <span class="bulk-outcome">{text}</span>
                                        {attention
                                            .then(|| {
                                                view! {
                                                    <a href=href.clone() on:click=url.on_link_click(href.clone())>
                                                        "Open"
                                                    </a>
                                                }
                                            })}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                <button type="button" class="button button-quiet" on:click=move |_| lines.set(Vec::new()) disabled=move || running.get()>
                    "Dismiss"
                </button>
            </section>
        </Show>
    }
}
