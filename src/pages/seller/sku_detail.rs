//! One SKU (`/seller?sku={id}&market=US`): for the chosen market, the three fulfilment
//! modes side by side, worked out in the browser by `crossdock_core::pricing` with the
//! delivery network and the pricing rules, so the figures move as the seller types a
//! price, picks a mode or tries a promotion — before anything is saved. Then: save with
//! the version (a conflict shows both sides and lets the seller choose), stock per
//! warehouse with the sea shipments on their way (announced and withdrawn here),
//! promotions with their effect on the margin, and the SKU's history.

use std::collections::BTreeMap;
use std::sync::Arc;

use crossdock_core::pricing::{
    ModeOutcome, PricingRequest, PricingRules, SideBySide, margin_chart_svg, margin_curve,
    price_mode,
};
use crossdock_core::{Currency, Instant, Mode, Money, Network};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::api::ApiError;
use crate::api::seller::{
    NewPromotion, PriceAsk, SaveError, SkuDetail as Detail, SkuUpdate, create_promotion,
    delete_promotion, fetch_audit, fetch_pricing_rules, fetch_sku, is_signed_out, save_sku,
};
use crate::browser::{local_offset_min, now_unix, set_title};
use crate::components::seller::{
    AuditLog, ConflictView, InboundShipments, MarginChart, ModeColumns, PromotionList,
    PromotionRow, StockTable, mode_slug, money_text,
};
use crate::model::format::{date_time_text, dims_text, weight_text};
use crate::model::query::mode_id;
use crate::model::seller::edit::{
    Changes, ConflictRow, PriceChange, PromotionFacts, Saved, Shown, changes, conflict_rows,
    core_promotion, instant_within, supply_prices_to_fill,
};
use crate::model::seller::form::parse_stock;
use crate::model::seller::query::PanelQuery;
use crate::model::seller::whatif::{
    Draft, Problems, PromoChoice, SkuFacts, fx_note, margin_pct_text, market_money, request,
};
use crate::state::load::Load;
use crate::state::network::use_network;
use crate::state::session::use_session;
use crate::state::url::{Nav, use_url};

/// How many days a promotion scheduled from the what-if runs unless the seller says.
const DEFAULT_PROMOTION_DAYS: &str = "7";

/// One SKU, loaded.
#[component]
pub fn SkuDetail(
    /// The listing id.
    id: i64,
) -> impl IntoView {
    set_title("SKU · Crossdock seller panel");
    let url = use_url();
    let loaded: Load<Result<Detail, ApiError>> =
        Load::new(move || async move { fetch_sku(id).await });
    let sku = RwSignal::new(None::<Detail>);
    Effect::new(move |_| {
        if let Some(Ok(d)) = loaded.get() {
            sku.set(Some(d));
        }
    });
    let has_sku = Memo::new(move |_| sku.with(|s| s.is_some()));
    let back = use_context::<super::LastTable>()
        .map_or_else(|| PanelQuery::default().href(), |t| t.0.get_untracked());
    view! {
        <div class="wrap seller-page sku-page">
            <nav class="breadcrumb" aria-label="Breadcrumb">
                <a href=back.clone() data-testid="back-to-skus" on:click=url.on_link_click(back)>
                    "← All SKUs"
                </a>
            </nav>
            {move || {
                if has_sku.get() {
                    return view! { <Editor id=id sku=sku /> }.into_any();
                }
                match loaded.get() {
                    Some(Err(e)) if e.is_not_found() => view! {
                        <div class="callout callout-error" role="alert" data-testid="sku-not-found">
                            <h1>"No such SKU in your catalog"</h1>
                            <p>{format!("You have no SKU with the id {id}. Check the link, or find it in your SKU table.")}</p>
                        </div>
                    }
                    .into_any(),
                    Some(Err(e)) => view! {
                        <div class="callout callout-error" role="alert" data-testid="sku-error">
                            <h1>"This SKU did not load"</h1>
                            <p>{e.to_string()}</p>
                            <button type="button" class="button" on:click=move |_| loaded.reload()>
                                "Try again"
                            </button>
                        </div>
                    }
                    .into_any(),
                    _ => view! {
                        <div class="sku-skeleton" role="status" data-testid="sku-loading">
                            <p class="sk-line sk-short"></p>
                            <p class="sk-line"></p>
                            <p class="sk-line"></p>
                            <span class="visually-hidden">"Loading the SKU…"</span>
                        </div>
                    }
                    .into_any(),
                }
            }}
        </div>
    }
}

/// Errors the server gave for fields of the last save.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ServerErrors {
    mode: Option<String>,
    price: Option<String>,
    supply_price: Option<String>,
    stock: BTreeMap<String, String>,
}

/// A save that lost the race, until the seller chooses.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ConflictState {
    market: String,
    changes: Changes,
    /// Supply prices sent for the other markets (a move to fully managed).
    fills: Vec<(String, Money)>,
    from_version: i64,
    theirs: Box<Detail>,
}

/// The what-if's answer for the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
struct WhatIf {
    request: PricingRequest,
    problems: Problems,
    side: Result<SideBySide, String>,
    chart: Result<String, String>,
    currency: Currency,
    fx: String,
    year: i32,
    prices_include_vat: bool,
    vat_name: String,
}

/// The values saved in `market`.
fn saved_of(d: &Detail, market: &str) -> Option<Saved> {
    let p = d.price(market)?;
    Some(Saved {
        mode: d.mode,
        price: p.price,
        supply_price: p.supply_price,
        stock: d
            .stock
            .iter()
            .map(|s| (s.warehouse.clone(), s.on_hand))
            .collect(),
    })
}

/// The draft of the saved values in `market`: the saved mode and price, and the supply
/// price on record (or the one the server priced the fully managed column with).
fn draft_of(d: &Detail, market: &str) -> Draft {
    let p = d.price(market);
    let assumed = d.pricing(market).and_then(|x| x.request.supply_price);
    Draft::saved(
        d.mode,
        p.map(|p| p.price),
        p.and_then(|p| p.supply_price).or(assumed),
    )
}

/// The body of a save.
fn update_of(version: i64, c: &Changes, market: &str, fills: &[(String, Money)]) -> SkuUpdate {
    let mut prices = Vec::new();
    if let Some(p) = c.price {
        prices.push((
            market.to_string(),
            match p {
                PriceChange::Price(m) => PriceAsk::Price(m),
                PriceChange::SupplyPrice(m) => PriceAsk::SupplyPrice(m),
            },
        ));
    }
    for (m, s) in fills {
        prices.push((m.clone(), PriceAsk::SupplyPrice(*s)));
    }
    SkuUpdate {
        version,
        mode: c.mode,
        prices,
        stock: c.stock.clone(),
    }
}

fn focus(id: &str) {
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// "Saved: price 17.99 USD, 120 units at us-3pl-ca."
fn saved_text(c: &Changes, fills: &[(String, Money)]) -> String {
    let mut parts = Vec::new();
    if let Some(m) = c.mode {
        parts.push(format!("mode {}", m.label().to_ascii_lowercase()));
    }
    match c.price {
        Some(PriceChange::Price(p)) => parts.push(format!("price {}", money_text(&p))),
        Some(PriceChange::SupplyPrice(p)) => parts.push(format!("supply price {}", money_text(&p))),
        None => {}
    }
    for (m, s) in fills {
        parts.push(format!("supply price {} in {m}", money_text(s)));
    }
    for (w, n) in &c.stock {
        parts.push(format!("{n} units on hand at {w}"));
    }
    format!("Saved: {}. The storefront shows it now.", parts.join(", "))
}

/// The editor of a loaded SKU.
#[component]
fn Editor(id: i64, sku: RwSignal<Option<Detail>>) -> impl IntoView {
    let url = use_url();
    let network = use_network();
    let session = use_session();
    let rules_text: Load<Result<String, ApiError>> =
        Load::new(|| async { fetch_pricing_rules().await });
    let audit = Load::new(move || async move { fetch_audit(id, 1).await });

    let net = Signal::derive(move || match network.get() {
        Some(Ok(n)) => Some(n),
        _ => None,
    });
    let rules: Memo<Option<Result<Arc<PricingRules>, String>>> =
        Memo::new(move |_| match (network.get(), rules_text.get()) {
            (Some(Err(e)), _) => Some(Err(format!("the delivery network did not load: {e}"))),
            (_, Some(Err(e))) => Some(Err(format!("the pricing rules did not load: {e}"))),
            (Some(Ok(n)), Some(Ok(text))) => Some(
                PricingRules::read(&text, &n)
                    .map(Arc::new)
                    .map_err(|e| e.to_string()),
            ),
            _ => None,
        });

    let markets = Memo::new(move |_| {
        sku.with(|s| {
            s.as_ref()
                .map(|d| {
                    d.prices
                        .iter()
                        .map(|p| p.market.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let market = Memo::new(move |_| {
        let wanted = url.with(|l| PanelQuery::parse(&l.query).market);
        let ms = markets.get();
        if ms.contains(&wanted) {
            wanted
        } else {
            ms.first().cloned().unwrap_or_default()
        }
    });

    let draft = RwSignal::new(Draft::saved(Mode::SemiManaged, None, None));
    let stock_edits = RwSignal::new(BTreeMap::<String, String>::new());
    let server_errors = RwSignal::new(ServerErrors::default());
    let status = RwSignal::new(None::<(bool, String)>);
    let conflict = RwSignal::new(None::<ConflictState>);
    let saving = RwSignal::new(false);
    let promo_start = RwSignal::new(String::new());
    let promo_days = RwSignal::new(DEFAULT_PROMOTION_DAYS.to_string());
    let promo_errors = RwSignal::new((None::<String>, None::<String>));

    let reset = move |d: &Detail, m: &str| {
        draft.set(draft_of(d, m));
        stock_edits.set(BTreeMap::new());
        server_errors.set(ServerErrors::default());
    };
    // A new market starts from its saved values.
    Effect::new(move |_| {
        let m = market.get();
        if let Some(d) = sku.get_untracked() {
            reset(&d, &m);
            set_title(&format!("{} · {m} · Crossdock seller panel", d.title));
        }
    });

    // A complaint about the last save goes once the seller edits again.
    Effect::new(move |_| {
        draft.track();
        stock_edits.track();
        if status.with_untracked(|s| s.as_ref().is_some_and(|x| !x.0)) {
            status.set(None);
        }
    });

    let whatif: Memo<Option<Result<WhatIf, String>>> = Memo::new(move |_| {
        let rules = match rules.get()? {
            Ok(r) => r,
            Err(e) => return Some(Err(e)),
        };
        let net = net.get()?;
        let m = market.get();
        let d = draft.get();
        sku.with(|s| {
            let s = s.as_ref()?;
            let base = s.pricing(&m)?;
            Some(compute(&net, &rules, &base.request, &m, &d))
        })
    });

    let saved_now = move || sku.with(|s| s.as_ref().and_then(|d| saved_of(d, &market.get())));
    let editable = Memo::new(move |_| {
        let mode = draft.with(|d| d.mode);
        sku.with(|s| {
            s.as_ref()
                .map(|d| d.warehouse_choices.of(mode).to_vec())
                .unwrap_or_default()
        })
    });
    let warehouse_list = Memo::new(move |_| {
        let mut out: Vec<String> = sku.with(|s| {
            s.as_ref()
                .map(|d| d.stock.iter().map(|r| r.warehouse.clone()).collect())
                .unwrap_or_default()
        });
        for w in editable.get() {
            if !out.contains(&w) {
                out.push(w);
            }
        }
        out
    });
    let names = Signal::derive(move || {
        net.get()
            .map(|n| {
                n.file
                    .warehouses
                    .iter()
                    .map(|w| (w.id.clone(), w.name.clone()))
                    .collect::<BTreeMap<_, _>>()
            })
            .unwrap_or_default()
    });
    let stock_errors = Memo::new(move |_| {
        let allowed = editable.get();
        let mut out: BTreeMap<String, String> = stock_edits.with(|e| {
            e.iter()
                .filter(|(w, _)| allowed.contains(w))
                .filter_map(|(w, t)| parse_stock(t).err().map(|m| (w.clone(), m)))
                .collect()
        });
        for (w, m) in server_errors.with(|s| s.stock.clone()) {
            out.entry(w).or_insert(m);
        }
        out
    });
    // The stock the seller typed, checked (only warehouses of the mode being edited).
    let typed_stock = move || -> Vec<(String, u32)> {
        let allowed = editable.get_untracked();
        stock_edits.with_untracked(|e| {
            e.iter()
                .filter(|(w, _)| allowed.contains(w))
                .filter_map(|(w, t)| parse_stock(t).ok().map(|n| (w.clone(), n)))
                .collect()
        })
    };
    let pending = Memo::new(move |_| {
        let Some(saved) = saved_now() else {
            return Changes::default();
        };
        let d = draft.get();
        stock_edits.track();
        editable.track();
        let (price, supply) = match whatif.get() {
            Some(Ok(w)) => (w.request.price, w.request.supply_price),
            _ => (None, None),
        };
        changes(&saved, d.mode, price, supply, &typed_stock())
    });
    let dirty = Memo::new(move |_| {
        let d = draft.get();
        let typed_bad = !stock_errors.with(|e| e.is_empty());
        let problems = match whatif.get() {
            Some(Ok(w)) => w.problems.blocks_save(d.mode).is_some(),
            _ => false,
        };
        !pending.with(Changes::is_empty) || typed_bad || problems
    });

    // Takes a SKU the server sent after a write other than a save (a promotion, a sea
    // shipment): when the seller has unsaved changes to values that changed meanwhile,
    // shows the conflict.
    let adopt = move |new: Detail| {
        let m = market.get_untracked();
        let old = sku.get_untracked();
        let mine = pending.get_untracked();
        let clash = old.as_ref().is_some_and(|o| {
            !mine.is_empty() && o.version + 1 != new.version && {
                let (Some(before), Some(after)) = (saved_of(o, &m), saved_of(&new, &m)) else {
                    return false;
                };
                let a = conflict_rows(&mine, &m, &before, |w| w.to_string());
                let b = conflict_rows(&mine, &m, &after, |w| w.to_string());
                a.iter().zip(&b).any(|(x, y)| x.theirs != y.theirs)
            }
        });
        if clash && let Some(o) = old {
            conflict.set(Some(ConflictState {
                market: m,
                changes: mine,
                fills: Vec::new(),
                from_version: o.version,
                theirs: Box::new(new),
            }));
        } else {
            sku.set(Some(new));
        }
    };

    let send = move |update: SkuUpdate, c: Changes, fills: Vec<(String, Money)>, from: i64| {
        let m = market.get_untracked();
        saving.set(true);
        status.set(None);
        spawn_local(async move {
            match save_sku(id, &update).await {
                Ok(new) => {
                    reset(&new, &m);
                    sku.try_set(Some(new));
                    conflict.try_set(None);
                    status.try_set(Some((true, saved_text(&c, &fills))));
                    audit.reload();
                }
                Err(SaveError::Conflict(theirs)) => {
                    conflict.try_set(Some(ConflictState {
                        market: m,
                        changes: c,
                        fills,
                        from_version: from,
                        theirs,
                    }));
                }
                Err(SaveError::Invalid { field, message }) => {
                    let text = SaveError::Invalid {
                        field: field.clone(),
                        message,
                    }
                    .to_string();
                    let mut errs = ServerErrors::default();
                    let stock_index = field
                        .strip_prefix("stock[")
                        .and_then(|r| r.split(']').next())
                        .and_then(|i| i.parse::<usize>().ok());
                    if field == "prices[0].price" {
                        errs.price = Some(text.clone());
                        focus("price");
                    } else if field == "prices[0].supply_price" {
                        errs.supply_price = Some(text.clone());
                        focus("supply-price");
                    } else if field == "mode" {
                        errs.mode = Some(text.clone());
                        focus(&format!("mode-{}", mode_slug(draft.get_untracked().mode)));
                    } else if let Some((w, _)) = stock_index.and_then(|i| update.stock.get(i)) {
                        errs.stock.insert(w.clone(), text.clone());
                        focus(&format!("stock-{w}"));
                    }
                    server_errors.try_set(errs);
                    status.try_set(Some((false, format!("Not saved. {text}"))));
                }
                Err(SaveError::Other(e)) if is_signed_out(&e) => {
                    status.try_set(Some((
                        false,
                        "Not saved: your session ended. Sign in again, then save: your changes are still here.".into(),
                    )));
                }
                Err(SaveError::Other(e)) => {
                    status.try_set(Some((false, format!("Not saved. {e}"))));
                }
            }
            saving.try_set(false);
        });
    };

    let save = move || {
        if saving.get_untracked() {
            return;
        }
        let Some(d) = sku.get_untracked() else {
            return;
        };
        let m = market.get_untracked();
        let dr = draft.get_untracked();
        let w = match whatif.get_untracked() {
            Some(Ok(w)) => w,
            _ => {
                status.set(Some((
                    false,
                    "The figures are not ready yet: wait for the pricing rules to load, then save."
                        .into(),
                )));
                return;
            }
        };
        if let Some(e) = w.problems.blocks_save(dr.mode) {
            status.set(Some((false, format!("Not saved. {e}"))));
            focus(if dr.mode == Mode::FullyManaged {
                "supply-price"
            } else {
                "price"
            });
            return;
        }
        if let Some((wh, e)) = stock_errors.get_untracked().into_iter().next() {
            status.set(Some((false, format!("Not saved. {e}"))));
            focus(&format!("stock-{wh}"));
            return;
        }
        let c = pending.get_untracked();
        if c.is_empty() {
            status.set(Some((
                true,
                "Nothing to save: these are the saved values.".into(),
            )));
            return;
        }
        let fills = if c.mode == Some(Mode::FullyManaged) {
            let list: Vec<(String, Option<Money>, Option<Money>)> = d
                .prices
                .iter()
                .map(|p| {
                    (
                        p.market.clone(),
                        p.supply_price,
                        d.pricing(&p.market).and_then(|x| x.request.supply_price),
                    )
                })
                .collect();
            supply_prices_to_fill(&list, &m)
        } else {
            Vec::new()
        };
        send(update_of(d.version, &c, &m, &fills), c, fills, d.version);
    };

    let keep_mine = move |()| {
        if let Some(c) = conflict.get_untracked() {
            let update = update_of(c.theirs.version, &c.changes, &c.market, &c.fills);
            send(update, c.changes, c.fills, c.theirs.version);
        }
    };
    let take_theirs = move |()| {
        if let Some(c) = conflict.get_untracked() {
            let theirs = *c.theirs;
            reset(&theirs, &c.market);
            sku.set(Some(theirs));
            conflict.set(None);
            status.set(Some((
                true,
                "Your changes were dropped: the values saved meanwhile are shown.".into(),
            )));
        }
    };

    let schedule = move |_| {
        let Some(d) = sku.get_untracked() else {
            return;
        };
        let m = market.get_untracked();
        let kind = match whatif.get_untracked() {
            Some(Ok(w)) => w.request.promotion.map(|p| p.kind),
            _ => None,
        };
        let Some(kind) = kind else {
            status.set(Some((
                false,
                "Choose a promotion and its value above before scheduling it.".into(),
            )));
            focus("promo-kind");
            return;
        };
        let now = Instant::from_unix(now_unix()).unwrap_or(d.now);
        let start = match crate::model::format::parse_datetime_local(
            &promo_start.get_untracked(),
            local_offset_min,
        ) {
            Ok(s) => s,
            Err(e) => {
                promo_errors.set((Some(e), None));
                focus("promo-start");
                return;
            }
        };
        let days = match promo_days.get_untracked().trim().parse::<i64>() {
            Ok(n) if (1..=366).contains(&n) => n,
            _ => {
                promo_errors.set((None, Some("Run it for 1 to 366 days.".into())));
                focus("promo-days");
                return;
            }
        };
        promo_errors.set((None, None));
        let from = start.unwrap_or(now);
        let Ok(ends_at) = from.add_seconds(days * 86_400) else {
            return;
        };
        let ask = NewPromotion {
            market: m.clone(),
            kind,
            starts_at: start,
            ends_at,
            version: d.version,
        };
        saving.set(true);
        status.set(None);
        spawn_local(async move {
            match create_promotion(id, &ask).await {
                Ok(answer) => {
                    let warnings: Vec<String> =
                        answer.warnings.iter().map(|w| w.message.clone()).collect();
                    adopt(answer.listing);
                    draft.try_update(|d| {
                        d.promo = PromoChoice::None;
                        d.promo_value.clear();
                    });
                    let mut text = format!("Promotion scheduled in {m}.");
                    for w in warnings {
                        text.push(' ');
                        text.push_str(&w);
                    }
                    status.try_set(Some((true, text)));
                    audit.reload();
                }
                Err(SaveError::Conflict(current)) => {
                    adopt(*current);
                    status.try_set(Some((
                        false,
                        "Not scheduled: this SKU changed meanwhile. Its current values are shown; check the promotion and schedule it again.".into(),
                    )));
                }
                Err(SaveError::Invalid { message, field }) => {
                    let text = SaveError::Invalid { field, message }.to_string();
                    status.try_set(Some((false, format!("Not scheduled. {text}"))));
                }
                Err(SaveError::Other(e)) => {
                    status.try_set(Some((false, format!("Not scheduled. {e}"))));
                }
            }
            saving.try_set(false);
        });
    };

    let end_promotion = move |pid: i64| {
        saving.set(true);
        spawn_local(async move {
            match delete_promotion(id, pid).await {
                Ok(answer) => {
                    adopt(answer.listing);
                    status.try_set(Some((true, "Promotion ended.".into())));
                    audit.reload();
                }
                Err(e) => {
                    status.try_set(Some((false, format!("The promotion was not ended. {e}"))));
                }
            }
            saving.try_set(false);
        });
    };

    let head = move || {
        let origin_name = move |id: &str| {
            names
                .with(|n| n.get(id).cloned())
                .unwrap_or_else(|| id.to_string())
        };
        sku.with(|s| {
            s.as_ref().map(|d| {
                view! {
                    <header class="sku-head">
                        <p class="eyebrow">{format!("{} · {}", d.sku, d.category_name)}</p>
                        <h1 data-testid="sku-title">{d.title.clone()}</h1>
                        <p class="sku-facts">
                            {format!(
                                "{} · {} · {} · cost of goods {} per unit · ships to the platform from {} · version {}",
                                d.brand,
                                weight_text(u64::from(d.facts.weight_g)),
                                dims_text(d.facts.dims_mm),
                                money_text(&d.facts.cost_of_goods),
                                origin_name(&d.facts.origin),
                                d.version,
                            )}
                        </p>
                    </header>
                }
            })
        })
    };

    let market_picker = move || {
        let ms = markets.get();
        let names = net.get();
        view! {
            <div class="market-picker">
                <label for="market">"Market"</label>
                <select
                    id="market"
                    data-testid="market"
                    on:change=move |ev| {
                        let m = event_target_value(&ev);
                        let q = PanelQuery::default().open(id, Some(&m));
                        url.navigate(&q.href(), Nav::Replace);
                    }
                >
                    {ms
                        .into_iter()
                        .map(|m| {
                            let name = names
                                .as_ref()
                                .map(|n| crate::model::query::market_name(n, &m))
                                .unwrap_or_else(|| m.clone());
                            let v = m.clone();
                            view! {
                                <option value=m.clone() selected=move || market.get() == v>
                                    {format!("{name} ({m})")}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        }
    };

    let conflict_view = move || {
        conflict.get().map(|c| {
            let Some(theirs_saved) = saved_of(&c.theirs, &c.market) else {
                return ().into_any();
            };
            let n = names.get();
            let mut rows = conflict_rows(&c.changes, &c.market, &theirs_saved, |w| {
                n.get(w).cloned().unwrap_or_else(|| w.to_string())
            });
            for (m, s) in &c.fills {
                rows.push(ConflictRow {
                    label: format!("Supply price in {m} (from your price there)"),
                    mine: Shown::Money(*s),
                    theirs: c
                        .theirs
                        .price(m)
                        .and_then(|p| p.supply_price)
                        .map_or(Shown::Nothing, Shown::Money),
                });
            }
            view! {
                <ConflictView
                    rows=rows
                    versions=(c.from_version, c.theirs.version)
                    text=|s: Shown| match s {
                        Shown::Money(m) => money_text(&m),
                        other => other.text(),
                    }
                    busy=saving
                    on_keep_mine=Callback::new(keep_mine)
                    on_take_theirs=Callback::new(take_theirs)
                />
            }
            .into_any()
        })
    };

    let problems = Signal::derive(move || match whatif.get() {
        Some(Ok(w)) => w.problems,
        _ => Problems::default(),
    });
    let currency_code = Signal::derive(move || match whatif.get() {
        Some(Ok(w)) => w.currency.code.to_string(),
        _ => String::new(),
    });
    let price_error = Signal::derive(move || {
        problems
            .with(|p| p.price.clone())
            .or_else(|| server_errors.with(|s| s.price.clone()))
    });
    let supply_error = Signal::derive(move || {
        problems
            .with(|p| p.supply_price.clone())
            .or_else(|| server_errors.with(|s| s.supply_price.clone()))
    });
    let is_fm = Memo::new(move |_| draft.with(|d| d.mode == Mode::FullyManaged));

    let results = move || {
        match whatif.get() {
        None => view! {
            <div class="sku-skeleton" role="status" data-testid="whatif-loading">
                <p class="sk-line"></p>
                <p class="sk-line sk-short"></p>
                <span class="visually-hidden">"Loading the delivery network and the pricing rules…"</span>
            </div>
        }
        .into_any(),
        Some(Err(e)) => view! {
            <div class="callout callout-error" role="alert" data-testid="whatif-error">
                <h2>"The figures cannot be worked out"</h2>
                <p>{e}</p>
                <button
                    type="button"
                    class="button"
                    on:click=move |_| {
                        network.retry();
                        rules_text.reload();
                    }
                >
                    "Try again"
                </button>
            </div>
        }
        .into_any(),
        Some(Ok(w)) => {
            let mode = draft.with_untracked(|d| d.mode);
            match w.side {
                Err(e) => view! {
                    <p class="callout callout-error" role="alert" data-testid="whatif-error">
                        {format!("These values cannot be priced: {e}")}
                    </p>
                }
                .into_any(),
                Ok(side) => view! {
                    <ModeColumns
                        side=side
                        selected=mode
                        year=w.year
                        fx_note=w.fx.clone()
                        on_choose=Callback::new(move |m: Mode| {
                            draft.update(|d| d.mode = m);
                            server_errors.update(|s| s.mode = None);
                        })
                    />
                    <h3 class="chart-title">{format!("Margin against price — {}", mode.label())}</h3>
                    <MarginChart svg=w.chart />
                }
                .into_any(),
            }
        }
    }
    };

    let promotion_rows = move || -> Vec<PromotionRow> {
        let m = market.get();
        let (Some(Ok(rules)), Some(net)) = (rules.get(), net.get()) else {
            return Vec::new();
        };
        let now = Instant::from_unix(now_unix()).ok();
        sku.with(|s| {
            let Some(d) = s.as_ref() else {
                return Vec::new();
            };
            let Some(base) = d.pricing(&m) else {
                return Vec::new();
            };
            let regular = d.price(&m).map(|p| p.price);
            d.promotions
                .iter()
                .filter(|p| p.market == m)
                .map(|p| {
                    let facts = PromotionFacts {
                        kind: &p.kind,
                        percent_bp: p.percent_bp,
                        amount: p.amount,
                        threshold: p.threshold,
                        shopper_price: p.shopper_price,
                        funded_by: &p.funded_by,
                        starts_at: p.starts_at,
                        ends_at: p.ends_at,
                    };
                    let impact =
                        promotion_impact(&net, &rules, &base.request, d, &m, regular, &facts, now);
                    let offset = local_offset_min(p.starts_at.unix());
                    let funded = if p.funded_by == "platform" {
                        "funded by the platform"
                    } else {
                        "funded by you"
                    };
                    PromotionRow {
                        id: p.id,
                        label: p.label.clone(),
                        kind_text: format!("{}, {funded}", kind_text(&p.kind)),
                        status: p.status.clone(),
                        dates: format!(
                            "{} – {}",
                            date_time_text(p.starts_at, offset),
                            date_time_text(p.ends_at, local_offset_min(p.ends_at.unix()))
                        ),
                        shopper_pays: money_text(&p.shopper_price),
                        impact,
                        can_end: p.status != "past",
                    }
                })
                .collect()
        })
    };

    let me = Signal::derive(move || session.seller().map(|s| s.id).unwrap_or_default());

    view! {
        {head}
        {market_picker}
        {conflict_view}
        <form
            class="sku-editor"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                save();
            }
            data-testid="sku-editor"
        >
            <div class="editor-grid">
                <section class="editor-fields" aria-labelledby="fields-title">
                    <h2 id="fields-title">{move || format!("Sell in {}", market.get())}</h2>
                    <fieldset class="mode-choice" aria-describedby="mode-error">
                        <legend>"Fulfilment mode"</legend>
                        {Mode::ALL
                            .into_iter()
                            .map(|m| {
                                view! {
                                    <label class="mode-option">
                                        <input
                                            type="radio"
                                            name="mode"
                                            id=format!("mode-{}", mode_slug(m))
                                            value=mode_id(m)
                                            data-testid=format!("mode-{}", mode_slug(m))
                                            prop:checked=move || draft.with(|d| d.mode == m)
                                            on:change=move |_| {
                                                draft.update(|d| d.mode = m);
                                                server_errors.update(|s| s.mode = None);
                                            }
                                        />
                                        <span>{m.label()}</span>
                                    </label>
                                }
                            })
                            .collect_view()}
                        <p class="error" id="mode-error" data-testid="mode-error">
                            {move || server_errors.with(|s| s.mode.clone())}
                        </p>
                    </fieldset>
                    <div class="field" class:invalid=move || price_error.with(|e| e.is_some()) hidden=move || is_fm.get()>
                        <label for="price">
                            {move || format!("Price shoppers pay ({})", currency_code.get())}
                        </label>
                        <input
                            id="price"
                            type="text"
                            inputmode="decimal"
                            autocomplete="off"
                            data-testid="price"
                            aria-invalid=move || price_error.with(|e| e.is_some()).to_string()
                            aria-describedby="price-hint price-error"
                            prop:value=move || draft.with(|d| d.price.clone())
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                draft.update(|d| d.price = v);
                                server_errors.update(|s| s.price = None);
                            }
                        />
                        <p class="hint" id="price-hint">
                            {move || match whatif.get() {
                                Some(Ok(w)) if w.prices_include_vat => {
                                    format!("{} included, as shoppers in {} see it.", w.vat_name, market.get())
                                }
                                Some(Ok(w)) => format!("{} is added at checkout.", w.vat_name),
                                _ => String::new(),
                            }}
                        </p>
                        <p class="error" id="price-error" data-testid="price-error" aria-live="polite">
                            {move || price_error.get()}
                        </p>
                    </div>
                    <div class="field" class:invalid=move || supply_error.with(|e| e.is_some()) hidden=move || !is_fm.get()>
                        <label for="supply-price">
                            {move || format!("Supply price: what the platform pays you ({})", currency_code.get())}
                        </label>
                        <input
                            id="supply-price"
                            type="text"
                            inputmode="decimal"
                            autocomplete="off"
                            data-testid="supply-price"
                            aria-invalid=move || supply_error.with(|e| e.is_some()).to_string()
                            aria-describedby="supply-hint supply-error"
                            prop:value=move || draft.with(|d| d.supply_price.clone())
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                draft.update(|d| d.supply_price = v);
                                server_errors.update(|s| s.supply_price = None);
                            }
                        />
                        <p class="hint" id="supply-hint">
                            {move || {
                                let retail = match whatif.get() {
                                    Some(Ok(WhatIf { side: Ok(side), .. })) => side
                                        .columns
                                        .into_iter()
                                        .find(|c| c.mode == Mode::FullyManaged)
                                        .and_then(|c| match c.outcome {
                                            ModeOutcome::Priced { pricing } => Some(pricing.list_price),
                                            ModeOutcome::Unavailable { .. } => None,
                                        }),
                                    _ => None,
                                };
                                match retail {
                                    Some(r) => format!("The platform sets the retail price from it: {} for shoppers.", money_text(&r)),
                                    None => "The platform sets the retail price from it.".to_string(),
                                }
                            }}
                        </p>
                        <p class="error" id="supply-error" data-testid="supply-price-error" aria-live="polite">
                            {move || supply_error.get()}
                        </p>
                    </div>
                    <details class="whatif-extra" open>
                        <summary>"What-if only (not saved with the SKU)"</summary>
                        <div class="field" class:invalid=move || problems.with(|p| p.target.is_some())>
                            <label for="target">"Target margin (%)"</label>
                            <input
                                id="target"
                                type="text"
                                inputmode="decimal"
                                data-testid="target"
                                aria-describedby="target-hint target-error"
                                aria-invalid=move || problems.with(|p| p.target.is_some()).to_string()
                                prop:value=move || draft.with(|d| d.target.clone())
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    draft.update(|d| d.target = v);
                                }
                            />
                            <p class="hint" id="target-hint">"The suggested price reaches this margin."</p>
                            <p class="error" id="target-error">{move || problems.with(|p| p.target.clone())}</p>
                        </div>
                        <div class="field">
                            <label for="promo-kind">"Try a promotion"</label>
                            <select
                                id="promo-kind"
                                data-testid="promo-kind"
                                on:change=move |ev| {
                                    let c = PromoChoice::parse(&event_target_value(&ev));
                                    draft.update(|d| d.promo = c);
                                }
                            >
                                {PromoChoice::ALL
                                    .into_iter()
                                    .map(|c| {
                                        view! {
                                            <option value=c.id() selected=move || draft.with(|d| d.promo == c)>
                                                {c.label()}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                        <div
                            class="field"
                            hidden=move || draft.with(|d| d.promo == PromoChoice::None)
                            class:invalid=move || problems.with(|p| p.promo_value.is_some())
                        >
                            <label for="promo-value">
                                {move || {
                                    let c = draft.with(|d| d.promo);
                                    if c == PromoChoice::PercentOff {
                                        c.value_label().to_string()
                                    } else {
                                        format!("{} ({})", c.value_label(), currency_code.get())
                                    }
                                }}
                            </label>
                            <input
                                id="promo-value"
                                type="text"
                                inputmode="decimal"
                                data-testid="promo-value"
                                aria-describedby="promo-value-error"
                                aria-invalid=move || problems.with(|p| p.promo_value.is_some()).to_string()
                                prop:value=move || draft.with(|d| d.promo_value.clone())
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    draft.update(|d| d.promo_value = v);
                                }
                            />
                            <p class="error" id="promo-value-error" data-testid="promo-value-error">
                                {move || problems.with(|p| p.promo_value.clone())}
                            </p>
                        </div>
                        <div class="promo-schedule" hidden=move || draft.with(|d| d.promo == PromoChoice::None)>
                            <div class="field" class:invalid=move || promo_errors.with(|e| e.0.is_some())>
                                <label for="promo-start">"Starts (empty: now)"</label>
                                <input
                                    id="promo-start"
                                    type="datetime-local"
                                    aria-describedby="promo-start-error"
                                    prop:value=move || promo_start.get()
                                    on:input=move |ev| promo_start.set(event_target_value(&ev))
                                />
                                <p class="error" id="promo-start-error">{move || promo_errors.with(|e| e.0.clone())}</p>
                            </div>
                            <div class="field" class:invalid=move || promo_errors.with(|e| e.1.is_some())>
                                <label for="promo-days">"Runs for (days)"</label>
                                <input
                                    id="promo-days"
                                    type="text"
                                    inputmode="numeric"
                                    aria-describedby="promo-days-error"
                                    prop:value=move || promo_days.get()
                                    on:input=move |ev| promo_days.set(event_target_value(&ev))
                                />
                                <p class="error" id="promo-days-error">{move || promo_errors.with(|e| e.1.clone())}</p>
                            </div>
                            <button
                                type="button"
                                class="button"
                                data-testid="schedule-promotion"
                                disabled=move || saving.get()
                                on:click=schedule
                            >
                                {move || format!("Schedule this promotion in {}", market.get())}
                            </button>
                            <p class="hint">
                                "Scheduling saves the promotion at once, on the saved price (not on unsaved changes above)."
                            </p>
                        </div>
                    </details>
                </section>
                <section class="editor-results" aria-labelledby="results-title" aria-live="off">
                    <h2 id="results-title">"Side by side"</h2>
                    <p class="hint">
                        "Worked out in your browser by the same engine the platform prices with, as you type. Save to keep."
                    </p>
                    {results}
                </section>
            </div>
            <section class="stock-section" aria-labelledby="stock-title">
                <h2 id="stock-title">"Stock per warehouse"</h2>
                <StockTable
                    warehouses=warehouse_list
                    stock=Signal::derive(move || sku.with(|s| s.as_ref().map(|d| d.stock.clone()).unwrap_or_default()))
                    names=names
                    editable=editable
                    edits=stock_edits
                    errors=stock_errors
                />
                <InboundShipments
                    id=id
                    sku=sku
                    net=net
                    busy=saving
                    on_changed=Callback::new(move |d: Detail| {
                        adopt(d);
                        audit.reload();
                    })
                    on_stale=Callback::new(adopt)
                />
            </section>
            <div class="save-bar" data-testid="save-bar">
                <p
                    class="save-status"
                    class:ok=move || !dirty.get() && status.with(|s| s.as_ref().is_some_and(|x| x.0))
                    class:bad=move || status.with(|s| s.as_ref().is_some_and(|x| !x.0))
                    role="status"
                    data-testid="save-status"
                >
                    {move || match status.get() {
                        Some((false, text)) => text,
                        _ if dirty.get() => "You have unsaved changes.".to_string(),
                        Some((true, text)) => text,
                        None => "No unsaved changes.".to_string(),
                    }}
                </p>
                <div class="save-actions">
                    <button
                        type="button"
                        class="button"
                        data-testid="discard"
                        disabled=move || saving.get() || !dirty.get()
                        on:click=move |_| {
                            if let Some(d) = sku.get_untracked() {
                                reset(&d, &market.get_untracked());
                                status.set(Some((true, "Changes discarded.".into())));
                            }
                        }
                    >
                        "Discard changes"
                    </button>
                    <button
                        type="submit"
                        class="button button-primary"
                        data-testid="save"
                        disabled=move || saving.get()
                    >
                        {move || if saving.get() { "Saving…" } else { "Save" }}
                    </button>
                </div>
            </div>
        </form>
        <section class="promotions-section" aria-labelledby="promotions-title">
            <h2 id="promotions-title">{move || format!("Promotions in {}", market.get())}</h2>
            {move || view! { <PromotionList rows=promotion_rows() busy=saving on_end=Callback::new(end_promotion) /> }}
        </section>
        <section class="history-section" aria-labelledby="history-title">
            <h2 id="history-title">"History"</h2>
            <AuditLog log=Signal::derive(move || audit.get()) me=me on_retry=Callback::new(move |()| audit.reload()) />
        </section>
    }
}

/// Prices the draft for every mode, and the chart for the draft's mode.
fn compute(
    net: &Network,
    rules: &PricingRules,
    base: &PricingRequest,
    market: &str,
    d: &Draft,
) -> Result<WhatIf, String> {
    let (currency, limit) = market_money(net, rules, market)
        .ok_or_else(|| format!("there are no pricing rules for {market}"))?;
    let facts = SkuFacts {
        sku: base.sku.clone(),
        warehouses: base.warehouses.clone(),
        inventory_age_days: base.inventory_age_days,
    };
    let now = Instant::from_unix(now_unix().div_euclid(60) * 60).unwrap_or(base.now);
    let (req, problems) = request(&facts, market, currency, limit, d, now);
    let side =
        crossdock_core::pricing::price_all_modes(net, rules, &req).map_err(|e| e.to_string());
    let priced = side.as_ref().is_ok_and(|s| {
        s.columns
            .iter()
            .any(|c| c.mode == d.mode && matches!(c.outcome, ModeOutcome::Priced { .. }))
    });
    let chart = if priced {
        margin_curve(net, rules, &req, d.mode, None, 60)
            .map(|c| margin_chart_svg(&c))
            .map_err(|e| e.to_string())
    } else {
        Err(format!(
            "{} cannot sell this SKU here with these values",
            d.mode.label()
        ))
    };
    let mdef = net.file.markets.iter().find(|m| m.id == market);
    let (year, _, _) = now.utc_date_minute().0.ymd();
    Ok(WhatIf {
        fx: fx_note(net, currency.code, base.sku.cost_of_goods.currency().code),
        request: req,
        problems,
        side,
        chart,
        currency,
        year,
        prices_include_vat: mdef.is_some_and(|m| m.vat.prices_include_vat),
        vat_name: mdef.map_or_else(|| "VAT".to_string(), |m| m.vat.name.clone()),
    })
}

/// What a promotion does to the saved margin under the saved mode, priced as running.
#[allow(clippy::too_many_arguments)]
fn promotion_impact(
    net: &Network,
    rules: &PricingRules,
    base: &PricingRequest,
    d: &Detail,
    market: &str,
    regular: Option<Money>,
    facts: &PromotionFacts<'_>,
    now: Option<Instant>,
) -> Result<(String, String, String, bool), String> {
    let regular = regular.ok_or("no price in this market")?;
    let promo = core_promotion(facts, regular, d.mode).ok_or("it does not lower the price")?;
    let at = instant_within(&promo, now.unwrap_or(base.now));
    let p = d.price(market).ok_or("no price in this market")?;
    let (price, supply) = match d.mode {
        Mode::FullyManaged => (None, p.supply_price),
        _ => (Some(p.price), None),
    };
    let req = PricingRequest {
        price,
        supply_price: supply,
        promotion: Some(promo),
        now: at,
        ..base.clone()
    };
    let priced = price_mode(net, rules, &req, d.mode).map_err(|e| e.to_string())?;
    let effect = priced.promotion.ok_or("it was not priced")?;
    let with = priced.seller.margin;
    let pct = |bp: Option<i64>| {
        bp.map(|b| format!(" ({})", margin_pct_text(b)))
            .unwrap_or_default()
    };
    Ok((
        money_text(&effect.margin_before),
        format!("{}{}", money_text(&with), pct(priced.seller.margin_bp)),
        money_text(&effect.margin_impact),
        with.minor() < 0,
    ))
}

/// A promotion kind in words.
fn kind_text(kind: &str) -> String {
    match kind {
        "percent_off" => "Percentage off".into(),
        "voucher" => "Voucher".into(),
        "platform_subsidy" => "Platform subsidy".into(),
        "free_shipping_over" => "Free shipping over a threshold".into(),
        other => crate::model::format::capitalise(&other.replace('_', " ")),
    }
}
