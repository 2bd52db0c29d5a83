//! The cart (`/cart`): lines from `localStorage`, re-checked with the server
//! (`GET /api/listings/{id}` and `POST /api/quote`), delivery per shipment (lines from
//! one warehouse ship together), and totals with VAT, duty and fees.

use std::sync::Arc;

use crate::browser::set_title;
use crossdock_core::engine::{Destination, Estimator};
use crossdock_core::pricing::PromotionKind;
use crossdock_core::{Instant, Network};
use leptos::prelude::*;

use crate::api::catalog::{ListingDetail, QuoteAsk, QuoteLine, QuoteLineAsk};
use crate::api::{ApiError, fetch_listing, post_quote};
use crate::browser::{format_money, now_unix};
use crate::components::{LoadError, Picture};
use crate::model::card::{compact_window, deal_text, warehouse_label};
use crate::model::cart::{CartLine, MAX_QTY, PricedLine, totals};
use crate::model::destination::Resolved;
use crate::state::cart::use_cart;
use crate::state::destination::use_destination;
use crate::state::load::Load;
use crate::state::network::use_network;

/// Lines shipping together from one warehouse: its id, the titles, and the window
/// (the latest of its lines').
type Shipment = (
    String,
    Vec<String>,
    Option<(crossdock_core::Date, crossdock_core::Date)>,
);

/// What the server says about one line.
#[derive(Clone)]
struct Checked {
    line: CartLine,
    detail: Result<ListingDetail, ApiError>,
    quote: Option<Result<QuoteLine, ApiError>>,
}

/// The cart page.
#[component]
pub fn Cart() -> impl IntoView {
    set_title("Your cart · Crossdock");
    let cart = use_cart();
    let dest = use_destination();
    let network = use_network();
    let attempt = RwSignal::new(0u32);
    let resolved = Memo::new(move |_| match network.get() {
        Some(Ok(n)) => Some(dest.resolve(&n)),
        _ => None,
    });
    let checked = Load::new(move || {
        let lines = cart.lines();
        let r = resolved.get();
        attempt.get();
        async move {
            let r = r?;
            let now_secs = now_unix().div_euclid(60) * 60;
            let mut details = Vec::new();
            for line in &lines {
                details.push(match line.id.parse::<i64>() {
                    Ok(id) => fetch_listing(id, &r.market).await,
                    Err(_) => Err(ApiError::Status(404)),
                });
            }
            let ask = QuoteAsk {
                market: &r.market,
                zone: &r.zone,
                now: Instant::from_unix(now_secs)
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
                lines: lines
                    .iter()
                    .zip(&details)
                    .filter(|(_, d)| d.is_ok())
                    .filter_map(|(l, _)| {
                        Some(QuoteLineAsk {
                            listing_id: l.id.parse().ok()?,
                            quantity: l.qty,
                        })
                    })
                    .collect(),
            };
            let answer = if ask.lines.is_empty() {
                None
            } else {
                Some(post_quote(&ask).await)
            };
            let out = lines
                .into_iter()
                .zip(details)
                .map(|(line, detail)| {
                    let quote = answer.as_ref().map(|a| match a {
                        Ok(a) => a
                            .lines
                            .iter()
                            .find(|q| q.listing_id.to_string() == line.id)
                            .cloned()
                            .ok_or_else(|| ApiError::Invalid("line missing".to_string())),
                        Err(e) => Err(e.clone()),
                    });
                    Checked {
                        line,
                        detail,
                        quote,
                    }
                })
                .collect::<Vec<_>>();
            Some((r, out, now_secs))
        }
    });
    view! {
        <div class="wrap cart-page">
            <h1>"Your cart"</h1>
            {move || {
                if cart.lines().is_empty() {
                    return view! {
                        <div class="empty" data-testid="cart-empty">
                            <p>"Your cart is empty."</p>
                            <a href="/" class="button button-primary">
                                "Browse listings"
                            </a>
                        </div>
                    }
                        .into_any();
                }
                match (network.get(), checked.get().flatten()) {
                    (Some(Err(e)), _) => view! {
                        <LoadError message=e.to_string() on_retry=Callback::new(move |()| network.retry()) />
                    }
                    .into_any(),
                    (Some(Ok(net)), Some((r, lines, now))) => {
                        view! { <CartBody net=net resolved=r lines=lines now=now attempt=attempt /> }.into_any()
                    }
                    _ => view! {
                        <div class="cart-skeleton" role="status" data-testid="cart-loading">
                            <p class="sk-line"></p>
                            <p class="sk-line sk-short"></p>
                            <span class="visually-hidden">"Checking prices and stock…"</span>
                        </div>
                    }
                    .into_any(),
                }
            }}
        </div>
    }
}

#[component]
fn CartBody(
    net: Arc<Network>,
    resolved: Resolved,
    lines: Vec<Checked>,
    /// The instant (Unix seconds) the server was asked to quote at.
    now: i64,
    attempt: RwSignal<u32>,
) -> impl IntoView {
    let cart = use_cart();
    let locale = resolved.locale.clone();
    let money = move |m: &crossdock_core::Money| format_money(m, &locale);
    let unreachable = lines.iter().any(|c| {
        matches!(c.detail, Err(ApiError::Unreachable(_)))
            || matches!(c.quote, Some(Err(ApiError::Unreachable(_))))
    });
    let now = Instant::from_unix(now).ok();
    let est = now.and_then(|now| {
        Estimator::new(
            &net,
            &Destination {
                market: resolved.market.clone(),
                postal_code: None,
                zone: Some(resolved.zone.clone()),
            },
            now,
        )
        .ok()
    });
    let today = est.as_ref().map(|e| e.today());
    let year = today.map_or(2026, |t| t.ymd().0);

    let mut priced: Vec<PricedLine> = Vec::new();
    // Shipments: warehouse id → (lines, latest window).
    let mut shipments: Vec<Shipment> = Vec::new();
    let mut rows = Vec::new();
    for c in &lines {
        let id = c.line.id.clone();
        let qty = c.line.qty;
        let Ok(d) = &c.detail else {
            let msg = match &c.detail {
                Err(e) if e.is_not_found() => "This listing is no longer available.".to_string(),
                Err(e) => e.to_string(),
                Ok(_) => String::new(),
            };
            let id2 = id.clone();
            rows.push(view! {
                <li class="cart-line cart-line-gone" data-testid="cart-line">
                    <p>{msg}</p>
                    <button type="button" class="button button-quiet" on:click=move |_| cart.set_qty(&id2, 0)>
                        "Remove"
                    </button>
                </li>
            }.into_any());
            continue;
        };
        let server = c.quote.as_ref().and_then(|q| q.as_ref().ok());
        let unit = server.map_or(d.summary.price, |s| s.unit_price);
        // The promotion running at the instant quoted (the page's, until the server answers).
        let promotion = server.map_or(d.summary.promotion.as_ref(), |s| s.promotion.as_ref());
        let effect = promotion.and_then(|p| p.effect());
        let priced_line = PricedLine {
            unit,
            qty,
            parts: Vec::new(),
            promotion: effect,
        };
        let order = priced_line.order().ok();
        let price_changed = unit != d.summary.price;
        let stock =
            server.map_or_else(|| d.summary.stock.clone(), |s| s.engine_input.stock.clone());
        let available = stock.iter().fold(0u32, |a, s| a.saturating_add(s.quantity));
        let mut notes: Vec<String> = Vec::new();
        if price_changed {
            notes.push(format!("The price changed to {}.", money(&unit)));
        }
        // The server applies the promotion with the same code: a difference is a bug.
        if let (Some(s), Some(o)) = (server.and_then(|s| s.line_total), order)
            && s != o.total
        {
            notes.push(format!(
                "The server's total for this line is {}.",
                money(&s)
            ));
        }
        if available == 0 {
            notes.push("Sold out.".to_string());
        } else if available < qty {
            notes.push(format!("Only {available} left."));
        }
        let mut listing = d.summary.engine_listing();
        listing.unit_price = Some(unit);
        listing.stock = stock;
        let plan = est
            .as_ref()
            .and_then(|e| e.quote(&listing, qty).ok())
            .and_then(|q| q.plan);
        let browser_window = plan.as_ref().map(|p| (p.window.earliest, p.window.latest));
        let server_window = server
            .and_then(|s| s.quote.plan.as_ref())
            .map(|p| (p.window.earliest, p.window.latest));
        if let (Some(b), Some(s)) = (browser_window, server_window)
            && b != s
        {
            notes.push(format!(
                "The server now promises {}.",
                compact_window(s.0, s.1, year)
            ));
        }
        if plan.is_none() && available > 0 {
            notes.push("Can't be delivered to your area.".to_string());
        }
        if let Some(p) = &plan {
            let parts = p
                .parts
                .iter()
                .map(|part| {
                    let cross = net
                        .file
                        .warehouses
                        .iter()
                        .find(|w| w.id == part.warehouse)
                        .is_some_and(|w| w.market.as_deref() != Some(resolved.market.as_str()));
                    (part.warehouse.clone(), cross, part.quantity)
                })
                .collect();
            priced.push(PricedLine {
                parts,
                ..priced_line
            });
            for part in &p.parts {
                let w = (part.window.earliest, part.window.latest);
                match shipments.iter_mut().find(|s| s.0 == part.warehouse) {
                    Some(s) => {
                        s.1.push(d.summary.title.clone());
                        s.2 = s.2.map(|(e, l)| (e.max(w.0), l.max(w.1)));
                    }
                    None => shipments.push((
                        part.warehouse.clone(),
                        vec![d.summary.title.clone()],
                        Some(w),
                    )),
                }
            }
        }
        let line_total = order.map(|o| money(&o.total)).unwrap_or_default();
        // The voucher taken off, free delivery reached, or what it takes.
        let deal = match (effect, order) {
            (_, Some(o)) if o.voucher_off.minor() > 0 => {
                Some(format!("−{} voucher", money(&o.voucher_off)))
            }
            (_, Some(o)) if o.ships_free => Some("Ships free: the seller's offer".to_string()),
            (Some(PromotionKind::FreeShippingOver { threshold }), _) => {
                deal_text(None, Some(money(&threshold)), false)
            }
            _ => None,
        };
        let id_minus = id.clone();
        let id_plus = id.clone();
        let id_remove = id.clone();
        let title = d.summary.title.clone();
        let qty_label = format!("Quantity of {title}");
        let pic = d.summary.image.as_ref().map(|p| p.url.clone());
        let cat = d.summary.category.clone();
        let max = MAX_QTY.min(available.max(1));
        rows.push(view! {
            <li class="cart-line" data-testid="cart-line" data-listing-id=id.clone()>
                <a href=format!("/listing/{id}") class="cart-pic" tabindex="-1" aria-hidden="true">
                    <Picture src=pic category=cat alt=String::new() />
                </a>
                <div class="cart-info">
                    <a href=format!("/listing/{id}") class="cart-title">{title.clone()}</a>
                    <p class="cart-unit">{format!("{} each", money(&unit))}</p>
                    {deal.map(|t| view! { <p class="cart-deal" data-testid="cart-deal">{t}</p> })}
                    {browser_window.map(|(e, l)| view! {
                        <p class="cart-eta" data-testid="cart-window">"Arrives " <strong>{compact_window(e, l, year)}</strong></p>
                    })}
                    {(!notes.is_empty()).then(|| view! { <p class="cart-note" role="status" data-testid="cart-note">{notes.join(" ")}</p> })}
                </div>
                <div class="cart-qty" role="group" aria-label=qty_label>
                    <button type="button" class="button" aria-label="One fewer" data-testid="qty-minus"
                        on:click=move |_| cart.set_qty(&id_minus, qty.saturating_sub(1))>"−"</button>
                    <span class="cart-qty-n" data-testid="line-qty" aria-live="polite">{qty.to_string()}</span>
                    <button type="button" class="button" aria-label="One more" data-testid="qty-plus"
                        disabled={qty >= max}
                        on:click=move |_| cart.set_qty(&id_plus, qty + 1)>"+"</button>
                </div>
                <p class="cart-line-total" data-testid="line-total">{line_total}</p>
                <button type="button" class="button button-quiet cart-remove" data-testid="remove"
                    on:click=move |_| cart.set_qty(&id_remove, 0)>"Remove"</button>
            </li>
        }.into_any());
    }

    let t = today.map(|d| totals(&net, resolved.market_index, d, &priced));
    let shipment_views = shipments
        .into_iter()
        .enumerate()
        .map(|(i, (wh, titles, w))| {
            view! {
                <li class="shipment" data-testid="shipment">
                    <p><strong>{format!("Shipment {} · from {}", i + 1, warehouse_label(&net, &wh))}</strong></p>
                    {w.map(|(e, l)| view! { <p>"Arrives " <strong>{compact_window(e, l, year)}</strong></p> })}
                    <p class="hint">{titles.join(" · ")}</p>
                </li>
            }
        })
        .collect_view();
    let totals_view = match t {
        Some(Ok(t)) => {
            let progress = t.free_over.map(|f| {
                let pct = if f.minor() > 0 {
                    (t.items.minor().saturating_mul(100) / f.minor()).clamp(0, 100)
                } else {
                    100
                };
                let text = match t.to_free {
                    Some(left) => format!("Add {} more for free delivery", money(&left)),
                    None => "Your order ships free".to_string(),
                };
                view! {
                    <div class="free-ship" data-testid="free-shipping">
                        <p>{text}</p>
                        <progress max="100" value=pct.to_string() aria-label="Progress to free delivery"></progress>
                    </div>
                }
            });
            let vat_label = if t.vat_included {
                format!("{} included ({} %)", t.vat_name, t.vat_rate_bp / 100)
            } else if t.vat_rate_bp == 0 {
                format!("{} (added at checkout for your address)", t.vat_name)
            } else {
                format!("{} ({} %)", t.vat_name, t.vat_rate_bp / 100)
            };
            view! {
                {progress}
                <dl class="totals" data-testid="totals">
                    <div><dt>"Items"</dt><dd data-testid="total-items">{money(&t.items)}</dd></div>
                    <div><dt>{format!("Delivery ({} shipment{})", t.shipments, if t.shipments == 1 { "" } else { "s" })}</dt>
                        <dd data-testid="total-delivery">{if t.delivery.minor() == 0 { "Free".to_string() } else { money(&t.delivery) }}</dd></div>
                    <div><dt>"Import duty"</dt><dd data-testid="total-duty">{money(&t.duty)}</dd></div>
                    <div><dt>{vat_label}</dt><dd data-testid="total-vat">{money(&t.vat)}</dd></div>
                    <div class="grand"><dt>"Total"</dt><dd data-testid="total">{money(&t.total)}</dd></div>
                </dl>
                <p class="hint">"No payment is taken here: this is where checkout would begin."</p>
            }
            .into_any()
        }
        Some(Err(e)) => view! { <p class="callout callout-error">{e}</p> }.into_any(),
        None => ().into_any(),
    };
    view! {
        {unreachable.then(|| view! {
            <div class="callout callout-error" role="alert" data-testid="cart-error">
                <p>"We couldn't reach the Crossdock server to re-check prices and stock. Check your connection and try again."</p>
                <button type="button" class="button" data-testid="cart-retry" on:click=move |_| attempt.update(|a| *a += 1)>"Try again"</button>
            </div>
        })}
        <p class="hint">{format!("Delivering to {} · {}", resolved.market, resolved.zone_name)}</p>
        <div class="cart-layout">
            <ul class="cart-lines">{rows}</ul>
            <aside class="cart-summary" aria-label="Order summary">
                <h2>"Delivery"</h2>
                <ul class="shipments">{shipment_views}</ul>
                <h2>"Summary"</h2>
                {totals_view}
            </aside>
        </div>
    }
}
