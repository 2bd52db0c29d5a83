//! A listing (`/listing/{id}`): pictures, description, attributes, price and quantity;
//! every route side by side with the platform's choice, a ticking cut-off, the cart
//! button, and schema.org JSON-LD built from the same engine output.

use std::sync::Arc;

use crossdock_core::engine::{Destination, Estimator, Quote};
use crossdock_core::{Instant, Network};
use leptos::prelude::*;

use crate::api::catalog::ListingDetail;
use crate::api::{ApiError, fetch_listing};
use crate::browser::format_money;
use crate::browser::set_title;
use crate::components::{LoadError, Picture, RouteTable};
use crate::model::destination::Resolved;
use crate::model::format::{countdown_text, short_date};
use crate::model::query::category_name;
use crate::model::url::listing_id;
use crate::model::view::route_table;
use crate::pages::NotFound;
use crate::state::cart::use_cart;
use crate::state::clock::Clock;
use crate::state::destination::use_destination;
use crate::state::load::Load;
use crate::state::network::use_network;

/// The listing page.
#[component]
pub fn ListingPage() -> impl IntoView {
    let id = listing_id(&window().location().pathname().unwrap_or_default());
    let dest = use_destination();
    let network = use_network();
    let market = Memo::new(move |_| dest.get().market);
    let attempt = RwSignal::new(0u32);
    let detail = Load::new(move || {
        let market = market.get();
        attempt.get();
        async move {
            match id {
                Some(id) => fetch_listing(id, &market).await,
                None => Err(ApiError::Status(404)),
            }
        }
    });
    view! {
        {move || match (detail.get(), network.get()) {
            (Some(Err(e)), _) if e.is_not_found() => view! { <NotFound /> }.into_any(),
            (Some(Err(e)), _) => {
                view! {
                    <div class="wrap narrow">
                        <div class="callout callout-error" role="alert" data-testid="listing-error">
                            <h1>"We couldn't load this listing"</h1>
                            <p>{e.to_string()}</p>
                            <button
                                type="button"
                                class="button"
                                data-testid="listing-retry"
                                on:click=move |_| attempt.update(|a| *a += 1)
                            >
                                "Try again"
                            </button>
                        </div>
                    </div>
                }
                    .into_any()
            }
            (_, Some(Err(e))) => {
                view! {
                    <div class="wrap narrow">
                        <LoadError
                            message=e.to_string()
                            on_retry=Callback::new(move |()| network.retry())
                        />
                    </div>
                }
                    .into_any()
            }
            (Some(Ok(d)), Some(Ok(net))) => view! { <Listing detail=d net=net /> }.into_any(),
            _ => {
                view! {
                    <nav class="wrap crumbs" aria-hidden="true">"\u{a0}"</nav>
                    <div class="wrap listing listing-skeleton" data-testid="listing-loading" role="status">
                        <div class="pic"></div>
                        <div>
                            <p class="sk-line"></p>
                            <p class="sk-line sk-short"></p>
                            <span class="visually-hidden">"Loading the listing…"</span>
                        </div>
                    </div>
                }
                    .into_any()
            }
        }}
    }
}

/// The engine's quote for a listing, quantity and destination at `now`. A running voucher
/// or free-shipping promotion is said beside the price and applied in the cart and the
/// server's quote; the route table shows the market's fees (the storefront's size budget
/// leaves no room for the order-line code on this page).
fn quote_for(
    net: &Network,
    r: &Resolved,
    d: &ListingDetail,
    qty: u32,
    now: i64,
) -> Result<Quote, String> {
    let now = Instant::from_unix(now).map_err(|e| e.to_string())?;
    let est = Estimator::new(
        net,
        &Destination {
            market: r.market.clone(),
            postal_code: None,
            zone: Some(r.zone.clone()),
        },
        now,
    )
    .map_err(|e| e.to_string())?;
    est.quote(&d.summary.engine_listing(), qty)
        .map_err(|e| e.to_string())
}

#[component]
fn Listing(detail: ListingDetail, net: Arc<Network>) -> impl IntoView {
    let dest = use_destination();
    let cart = use_cart();
    let clock = Clock::live();
    let minute = clock.minute();
    let qty = RwSignal::new(1u32);
    let qty_text = RwSignal::new("1".to_string());
    let added = RwSignal::new(false);
    let stored = StoredValue::new(detail.clone());
    let net_s = StoredValue::new(net.clone());
    let resolved = Memo::new(move |_| net_s.with_value(|n| dest.resolve(n)));
    let quote = Memo::new(move |_| {
        let r = resolved.get();
        let q = qty.get();
        let now = minute.get();
        net_s.with_value(|n| stored.with_value(|d| quote_for(n, &r, d, q, now)))
    });
    let locale = move || resolved.get().locale;
    let sold_out = detail.summary.sold_out();
    let price = detail.summary.price;
    let was = detail
        .summary
        .list_price
        .filter(|w| w.minor() > price.minor());
    let title = detail.summary.title.clone();
    let id = detail.summary.id.to_string();
    let category = category_name(&net, &detail.summary.category);
    let pictures: Vec<Option<String>> = if detail.images.is_empty() {
        vec![detail.summary.image.as_ref().map(|p| p.url.clone())]
    } else {
        detail.images.iter().map(|p| Some(p.url.clone())).collect()
    };
    let main_pic = RwSignal::new(0usize);
    let pics = StoredValue::new(pictures.clone());
    let cat_id = detail.summary.category.clone();

    let promise_line = move || {
        quote.with(|q| match q {
            Ok(q) => match &q.plan {
                Some(plan) => {
                    let year = q.today.ymd().0;
                    let by = short_date(plan.window.latest, year);
                    let left = plan.cutoff.unix() - clock.now.get();
                    view! {
                        <p class="promise" data-testid="listing-promise">
                            "Arrives "
                            <strong data-testid="listing-window">
                                {crate::model::card::compact_window(plan.window.earliest, plan.window.latest, year)}
                            </strong>
                        </p>
                        <p class="countdown" data-testid="countdown">
                            {format!("Order within {} to get it by {by}", countdown_text(left))}
                        </p>
                    }
                        .into_any()
                }
                None => view! {
                    <p class="promise promise-none" data-testid="listing-unavailable">
                        {q.unavailable.clone().unwrap_or_else(|| "We can't deliver this to your area.".to_string())}
                    </p>
                }
                .into_any(),
            },
            Err(e) => view! { <p class="promise promise-none">{e.clone()}</p> }.into_any(),
        })
    };
    let split_note = move || {
        quote.with(|q| {
            let q = q.as_ref().ok()?;
            let year = q.today.ymd().0;
            q.plan.as_ref().and_then(|p| {
                (p.parts.len() > 1).then(|| {
                    let items = p
                        .parts
                        .iter()
                        .map(|part| {
                            let name = net_s.with_value(|n| crate::model::card::warehouse_label(n, &part.warehouse));
                            view! {
                                <li>
                                    {format!(
                                        "{} from {name}: arrives {}",
                                        part.quantity,
                                        crate::model::card::compact_window(part.window.earliest, part.window.latest, year),
                                    )}
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <div class="callout callout-info" data-testid="split-shipment">
                            <p>
                                <strong>{format!("Ships in {} parcels", p.parts.len())}</strong>
                                " — no single warehouse holds this many."
                            </p>
                            <ul>{items}</ul>
                        </div>
                    }
                })
            })
        })
    };
    let routes = move || {
        let loc = locale();
        quote.with(|q| {
            q.as_ref().ok().map(|q| {
                let table = net_s.with_value(|n| route_table(n, q, &|m| format_money(m, &loc)));
                view! { <RouteTable table=table /> }
            })
        })
    };
    let json_ld = move || {
        let loc_r = resolved.get();
        quote.with(|q| stored.with_value(|d| json_ld(d, &loc_r, q.as_ref().ok())))
    };
    let on_add = {
        let id = id.clone();
        move |_| {
            cart.add(&id, qty.get_untracked());
            added.set(true);
        }
    };

    set_title(&format!("{title} · Crossdock"));
    view! {
        <script type="application/ld+json" data-testid="json-ld">{json_ld}</script>
        <nav class="wrap crumbs" aria-label="Breadcrumb">
            <a href="/">"Home"</a>
            " › "
            <a href=format!("/?category={}", cat_id)>{category.clone()}</a>
        </nav>
        <article class="wrap listing" data-testid="listing" data-listing-id=id.clone()>
            <div class="gallery">
                {move || {
                    let i = main_pic.get();
                    let src = pics.with_value(|p| p.get(i).cloned().flatten());
                    view! { <Picture src=src category=cat_id.clone() alt=String::new() eager=true /> }
                }}
                {(pictures.len() > 1)
                    .then(|| {
                        view! {
                            <ul class="thumbs">
                                {pictures
                                    .iter()
                                    .enumerate()
                                    .map(|(i, p)| {
                                        let src = p.clone().unwrap_or_default();
                                        view! {
                                            <li>
                                                <button
                                                    type="button"
                                                    class="thumb"
                                                    aria-label=format!("Picture {}", i + 1)
                                                    aria-pressed=move || (main_pic.get() == i).to_string()
                                                    on:click=move |_| main_pic.set(i)
                                                >
                                                    <img src=src alt="" width="64" height="64" loading="lazy" />
                                                </button>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })}
            </div>
            <div class="buy">
                <h1 data-testid="listing-title">{title.clone()}</h1>
                {detail
                    .summary
                    .seller
                    .clone()
                    .map(|s| view! { <p class="seller">"Sold by " <strong>{s.name}</strong></p> })}
                <p class="price">
                    <span data-testid="listing-price">{move || format_money(&price, &locale())}</span>
                    {was
                        .map(|w| {
                            view! {
                                <s class="card-was">
                                    <span class="visually-hidden">"was "</span>
                                    {move || format_money(&w, &locale())}
                                </s>
                            }
                        })}
                </p>
                {detail
                    .summary
                    .promotion
                    .clone()
                    .filter(|p| !p.label.is_empty())
                    .map(|p| view! { <span class="badge badge-promo" data-testid="promo">{p.label}</span> })}
                {move || if sold_out {
                    view! { <p class="promise promise-none" data-testid="listing-soldout">"Sold out"</p> }.into_any()
                } else {
                    promise_line().into_any()
                }}
                <div class="buy-row">
                    <label class="qty">
                        <span>"Quantity"</span>
                        <input
                            type="number"
                            min="1"
                            max="10"
                            inputmode="numeric"
                            data-testid="qty"
                            disabled=sold_out
                            prop:value=move || qty_text.get()
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                if let Ok(n) = crate::model::estimate::parse_whole(&v, 1, crate::model::cart::MAX_QTY) {
                                    qty.set(n);
                                }
                                qty_text.set(v);
                                added.set(false);
                            }
                        />
                    </label>
                    <button
                        type="button"
                        class="button button-primary button-large"
                        data-testid="add-to-cart"
                        disabled=move || sold_out || quote.with(|q| q.as_ref().map_or(true, |q| q.plan.is_none()))
                        on:click=on_add
                    >
                        {if sold_out { "Sold out" } else { "Add to cart" }}
                    </button>
                </div>
                <p class="added" role="status" data-testid="added">
                    {move || added.get().then(|| view! { "Added to your cart. " <a href="/cart">"View cart"</a> })}
                </p>
                {split_note}
            </div>
        </article>
        <section class="wrap listing-more">
            <h2>"About this item"</h2>
            <div class="description">{description(&detail.description)}</div>
            {(!detail.attributes.is_empty())
                .then(|| {
                    view! {
                        <dl class="attributes">
                            {detail
                                .attributes
                                .iter()
                                .map(|a| {
                                    view! {
                                        <div>
                                            <dt>{a.name.clone()}</dt>
                                            <dd>{a.value.clone()}</dd>
                                        </div>
                                    }
                                })
                                .collect_view()}
                        </dl>
                    }
                })}
        </section>
        <section class="wrap results" aria-labelledby="routes-title" data-testid="listing-routes">
            <h2 id="routes-title">"Every way it can reach you"</h2>
            {routes}
        </section>
    }
}

/// The seller's description: paragraphs split by blank lines, "• " lines as a list.
fn description(text: &str) -> impl IntoView + use<> {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|para| {
            let lines: Vec<&str> = para.lines().collect();
            if lines.iter().all(|l| l.trim_start().starts_with("• ")) {
                let items = lines
                    .iter()
                    .map(|l| {
                        let item = l.trim_start().trim_start_matches("• ").to_string();
                        view! { <li>{item}</li> }
                    })
                    .collect_view();
                view! { <ul>{items}</ul> }.into_any()
            } else {
                let p = para.trim().to_string();
                view! { <p>{p}</p> }.into_any()
            }
        })
        .collect_view()
}

/// A JSON string literal.
fn js(s: &str) -> String {
    crossdock_core::json::quote(s)
}

/// schema.org Product + Offer + OfferShippingDetails, from the engine's quote.
fn json_ld(d: &ListingDetail, r: &Resolved, q: Option<&Quote>) -> String {
    let s = &d.summary;
    let mut offer = format!(
        r#"{{"@type":"Offer","price":{},"priceCurrency":{},"availability":"https://schema.org/{}""#,
        js(&s.price.to_decimal_string()),
        js(s.price.currency().code.as_str()),
        if s.sold_out() {
            "OutOfStock"
        } else {
            "InStock"
        },
    );
    if let Some((q, p)) = q.and_then(|q| q.plan.as_ref().map(|p| (q, p))) {
        let min = q.today.days_until(p.window.earliest);
        let max = q.today.days_until(p.window.latest);
        offer.push_str(&format!(
            r#","shippingDetails":{{"@type":"OfferShippingDetails","shippingRate":{{"@type":"MonetaryAmount","value":{},"currency":{}}},"shippingDestination":{{"@type":"DefinedRegion","addressCountry":{}}},"deliveryTime":{{"@type":"ShippingDeliveryTime","transitTime":{{"@type":"QuantitativeValue","minValue":{min},"maxValue":{max},"unitCode":"DAY"}}}}}}"#,
            js(&p.shopper_fee.to_decimal_string()),
            js(p.shopper_fee.currency().code.as_str()),
            js(&r.market),
        ));
    }
    offer.push('}');
    let mut product = format!(
        r#"{{"@context":"https://schema.org","@type":"Product","name":{},"sku":{},"description":{},"category":{},"offers":{offer}"#,
        js(&s.title),
        js(&s.id.to_string()),
        js(&d.description),
        js(&s.category_name),
    );
    if let Some(p) = &s.image {
        product.push_str(&format!(r#","image":{}"#, js(&p.url)));
    }
    if let Some(seller) = &s.seller {
        product.push_str(&format!(
            r#","brand":{{"@type":"Brand","name":{}}}"#,
            js(if s.brand.is_empty() {
                &seller.name
            } else {
                &s.brand
            })
        ));
    }
    product.push('}');
    product
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_is_valid_json_with_an_offer() {
        let detail: ListingDetail = serde_json::from_str(
            r#"{"id":7,"title":"Lamp \"Nova\"","category":"lighting","category_name":"Lighting","mode":"platform_local","price":{"minor":1999,"currency":"USD","exponent":2},"weight_g":900,"dims_mm":[300,200,200],"stock":[],"availability":"sold_out","description":"Bright.\nWarm."}"#,
        )
        .expect("parses");
        let r = Resolved {
            market: "US".into(),
            market_index: 0,
            zone: "z".into(),
            zone_name: "Z".into(),
            locale: "en-US".into(),
        };
        let v: serde_json::Value = serde_json::from_str(&json_ld(&detail, &r, None)).expect("json");
        assert_eq!(v["@type"], "Product");
        assert_eq!(v["name"], "Lamp \"Nova\"");
        assert_eq!(v["offers"]["price"], "19.99");
        assert_eq!(v["offers"]["availability"], "https://schema.org/OutOfStock");
    }
}
