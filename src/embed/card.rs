//! One listing in an embed: picture, title, price in the reader's currency and the
//! delivery window, worked out exactly as the storefront's cards work theirs out
//! ([`card_estimates`] is the storefront's computation, `pages/storefront.rs`), so a
//! reader sees the same promise on a partner's page as on Crossdock.

use crossdock_core::engine::{Destination, Estimator};
use crossdock_core::{Instant, Network};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::net;
use super::route::{click_body, listing_href};
use crate::api::catalog::ListingSummary;
use crate::browser::format_money;
use crate::components::Picture;
use crate::model::card::{CardEstimate, card_estimate, deal_text};
use crate::model::destination::Resolved;

/// Each listing's delivery line for the destination `r` at `unix` seconds, as the
/// storefront's home page computes its cards': one estimator for the zone, the engine's
/// fast path per listing, "sold out" without asking the engine.
pub fn card_estimates(
    net: &Network,
    r: &Resolved,
    unix: i64,
    items: &[ListingSummary],
) -> Vec<(i64, CardEstimate)> {
    let Ok(now) = Instant::from_unix(unix) else {
        return Vec::new();
    };
    let dest = Destination {
        market: r.market.clone(),
        postal_code: None,
        zone: Some(r.zone.clone()),
    };
    let Ok(est) = Estimator::new(net, &dest, now) else {
        return Vec::new();
    };
    items
        .iter()
        .map(|it| {
            let e = if it.sold_out() {
                CardEstimate::SoldOut
            } else {
                card_estimate(&est, &it.engine_listing())
            };
            (it.id, e)
        })
        .collect()
}

/// Counts a click on a listing for `partner` (nothing without a partner). Fire and
/// forget: the listing opens in a new tab whatever the answer.
fn count_click(partner: Option<String>, id: i64) {
    if let Some(p) = partner {
        spawn_local(async move {
            let _ = net::post("/api/embed/click", &click_body(&p, id)).await;
        });
    }
}

/// A listing card of an embed. `wide`: the single-listing embed (picture beside the text,
/// a "View on Crossdock" button); otherwise a card of the search grid.
#[component]
pub fn EmbedCard(
    /// The listing.
    item: ListingSummary,
    /// Its delivery line (`None` while the network loads).
    #[prop(into)]
    estimate: Signal<Option<CardEstimate>>,
    /// The market's locale, for the price.
    #[prop(into)]
    locale: Signal<String>,
    /// The partner's reference, carried to the listing and counted.
    partner: Option<String>,
    /// The single-listing layout.
    #[prop(optional)]
    wide: bool,
) -> impl IntoView {
    let id = item.id;
    let href = listing_href(id, partner.as_deref());
    let price = item.price;
    let was = item.list_price.filter(|w| w.minor() > price.minor());
    // A voucher or free delivery, per order of the item, as the storefront's card says it.
    let deal = item
        .promotion
        .as_ref()
        .filter(|p| p.effect().is_some())
        .map(|p| (p.voucher, p.free_shipping_over));
    let on_click = {
        let partner = partner.clone();
        move |_| count_click(partner.clone(), id)
    };
    let on_aux = move |_| count_click(partner.clone(), id);
    let delivery = move || match estimate.get() {
        None => view! { <p class="eta eta-loading" aria-hidden="true"></p> }.into_any(),
        Some(CardEstimate::Arrives {
            window,
            ships_from,
            earliest,
            latest,
            ..
        }) => view! {
            <p
                class="eta"
                data-testid="card-window"
                data-earliest=earliest.to_string()
                data-latest=latest.to_string()
            >
                "Arrives " <strong>{window}</strong>
            </p>
            <p class="from" data-testid="card-from">
                "Ships from "
                {ships_from}
            </p>
        }
        .into_any(),
        Some(CardEstimate::SoldOut) => {
            view! { <p class="eta soldout" data-testid="card-soldout">"Sold out"</p> }.into_any()
        }
        Some(CardEstimate::Undeliverable) => {
            view! { <p class="eta soldout">"Doesn't deliver to your area"</p> }.into_any()
        }
    };
    let class = if wide { "card card-wide" } else { "card" };
    view! {
        <article class=class data-testid="embed-card" data-listing-id=id.to_string()>
            <a
                class="card-link"
                href=href.clone()
                target="_blank"
                rel="noopener"
                on:click=on_click.clone()
                on:auxclick=on_aux.clone()
            >
                <Picture
                    src=item.image.as_ref().map(|p| p.url.clone())
                    category=item.category.clone()
                    alt=String::new()
                    eager=true
                />
                <h2 class="title">{item.title.clone()}</h2>
            </a>
            <div class="facts">
                <p class="price">
                    <span data-testid="card-price">
                        {move || format_money(&price, &locale.get())}
                    </span>
                    {was
                        .map(|w| {
                            view! {
                                <s class="was">
                                    <span class="visually-hidden">"was "</span>
                                    {move || format_money(&w, &locale.get())}
                                </s>
                            }
                        })}
                </p>
                {deal
                    .map(|(v, f)| {
                        let text = move || {
                            let l = locale.get();
                            let m = |x: Option<crossdock_core::Money>| {
                                x.map(|m| format_money(&m, &l))
                            };
                            deal_text(m(v), m(f), false)
                        };
                        view! { <p class="from" data-testid="card-deal">{text}</p> }
                    })}
                {delivery}
                {wide
                    .then(|| {
                        view! {
                            <a
                                class="view"
                                href=href
                                target="_blank"
                                rel="noopener"
                                data-testid="embed-view"
                                on:click=on_click
                                on:auxclick=on_aux
                            >
                                "View on Crossdock"
                                <span class="visually-hidden">" (opens in a new tab)"</span>
                            </a>
                        }
                    })}
            </div>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::destination::Dest;
    use crate::model::test_network;
    use crossdock_core::json;

    fn summary(id: i64, stock: u32) -> ListingSummary {
        let text = format!(
            r#"{{"id":{id},"title":"Lamp","category":"lighting","mode":"platform_local",
            "price":{{"minor":2999,"currency":"USD","exponent":2}},"weight_g":900,
            "dims_mm":[300,200,150],"stock":[{{"warehouse":"us-west","quantity":{stock}}}],
            "availability":"{}"}}"#,
            if stock == 0 { "sold_out" } else { "in_stock" }
        );
        json::from_str(&text).unwrap()
    }

    #[test]
    fn every_listing_gets_the_storefronts_delivery_line() {
        let net = test_network();
        let r = Dest::parse(&net, "US", "10001")
            .unwrap()
            .resolve(&net)
            .unwrap();
        let now = Instant::parse("2026-11-24T15:00:00Z").unwrap();
        let items = [summary(1, 5), summary(2, 0)];
        let lines = card_estimates(&net, &r, now.unix(), &items);
        let est = Estimator::new(
            &net,
            &Destination {
                market: "US".into(),
                postal_code: None,
                zone: Some(r.zone.clone()),
            },
            now,
        )
        .unwrap();
        let first = card_estimate(&est, &items[0].engine_listing());
        assert!(matches!(first, CardEstimate::Arrives { .. }), "{first:?}");
        assert_eq!(lines[0], (1, first));
        assert_eq!(lines[1], (2, CardEstimate::SoldOut));
    }
}
