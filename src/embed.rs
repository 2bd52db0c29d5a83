//! The partner embed (`/embed/listing/{id}`, `/embed/search?q=`): [`EmbedApp`], its own
//! page (`embed.html`) and wasm (`src/bin/crossdock-embed.rs`), framed on partner sites
//! by `public/embed.js`.
//!
//! It loads only what a card needs: the network (for the engine), the listing or the
//! search's first few listings, and the picture. It shows the price in the reader's
//! currency and the delivery window worked out here by crates/core for the reader's
//! destination (`embed/reader.rs`), computed exactly as the storefront's cards compute
//! theirs (`embed/card.rs`). No header, no cart, no seller API.
//!
//! `embed.html`'s inline script does the rest, outside the wasm: it applies
//! `data-theme`, and tells the partner's page the content's height (`postMessage` to the
//! parent's origin only), so `embed.js` sizes the frame to fit.

mod card;
mod net;
mod picker;
mod reader;
pub mod route;

use std::sync::Arc;

use crossdock_core::Network;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::api::catalog::{ListingPage, ListingSummary};
use crate::model::card::CardEstimate;
use crate::state::clock::Clock;
use crate::state::load::Load;
use crate::state::network::{NetworkHandle, provide_network};
use card::{EmbedCard, card_estimates};
use picker::CompactPicker;
use reader::Reader;
use route::{Content, EmbedRoute, listing_api, search_api, search_href};

/// What every embed shares: the network, the reader's destination, the minute clock.
#[derive(Clone, Copy)]
struct Ctx {
    reader: Reader,
    net: Signal<Option<Arc<Network>>>,
    /// The engine's "now", to the minute (as the storefront's cards).
    minute: Memo<i64>,
}

impl Ctx {
    /// The delivery lines of `items` for the reader (empty until the network loads).
    fn estimates(&self, items: &[ListingSummary]) -> Vec<(i64, CardEstimate)> {
        match self.net.get() {
            Some(n) => {
                let r = self.reader.resolve(&n);
                card_estimates(&n, &r, self.minute.get(), items)
            }
            None => Vec::new(),
        }
    }

    /// The locale of the reader's market, for prices.
    fn locale(&self) -> Signal<String> {
        let this = *self;
        Signal::derive(move || {
            this.net
                .get()
                .map(|n| this.reader.resolve(&n).locale)
                .unwrap_or_else(|| "en-US".to_string())
        })
    }
}

/// An embed: one listing or a small search grid, with the "Deliver to" line.
#[component]
pub fn EmbedApp() -> impl IntoView {
    let location = window().location();
    let route = EmbedRoute::parse(
        &location.pathname().unwrap_or_default(),
        &location.search().unwrap_or_default(),
    );
    let network = provide_network();
    let reader = Reader::new(route.as_ref().ok().and_then(|r| r.market.clone()));
    let minute = Clock::live().minute();
    let net = Signal::derive(move || match network.get() {
        Some(Ok(n)) => Some(n),
        _ => None,
    });
    let ctx = Ctx {
        reader,
        net,
        minute,
    };
    let body = match route {
        Ok(EmbedRoute {
            content: Content::Listing(id),
            partner,
            ..
        }) => view! { <ListingEmbed ctx=ctx id=id partner=partner /> }.into_any(),
        Ok(EmbedRoute {
            content: Content::Search { q, limit },
            partner,
            ..
        }) => view! { <SearchEmbed ctx=ctx q=q limit=limit partner=partner /> }.into_any(),
        Err(message) => view! {
            <p class="notice" role="alert" data-testid="embed-error">
                {message}
            </p>
        }
        .into_any(),
    };
    view! {
        <div class="embed" data-testid="embed">
            {body}
            <footer class="foot">
                <CompactPicker reader=reader />
                <NetworkNotice network=network />
                <a class="brand" href="/" target="_blank" rel="noopener">
                    "Crossdock"
                </a>
            </footer>
        </div>
    }
}

/// Says so when the network (and so every delivery window) did not load.
#[component]
fn NetworkNotice(
    /// The network.
    network: NetworkHandle,
) -> impl IntoView {
    move || {
        matches!(network.get(), Some(Err(_))).then(|| {
            view! {
                <p class="notice" role="alert" data-testid="embed-network-error">
                    "Delivery estimates are unavailable. "
                    <button type="button" class="link" on:click=move |_| network.retry()>
                        "Try again"
                    </button>
                </p>
            }
        })
    }
}

/// A failed load: a short message and a retry.
fn load_failed(e: &ApiError, on_retry: impl Fn() + 'static) -> AnyView {
    if e.is_not_found() {
        // The server says "listing 7 is not sold in Germany; it is sold in US, GB".
        let elsewhere =
            matches!(e, ApiError::Server { message, .. } if message.contains("not sold in"));
        return if elsewhere {
            view! {
                <p class="notice" data-testid="embed-not-sold">
                    "This listing is not sold in your country yet. Deliver elsewhere? Change the country below."
                </p>
            }
            .into_any()
        } else {
            view! {
                <p class="notice" data-testid="embed-gone">
                    "This listing is no longer on Crossdock. "
                    <a href="/" target="_blank" rel="noopener">
                        "See what is"
                    </a>
                </p>
            }
            .into_any()
        };
    }
    view! {
        <p class="notice" role="alert" data-testid="embed-load-error">
            {e.to_string()}
            " "
            <button type="button" class="link" on:click=move |_| on_retry()>
                "Try again"
            </button>
        </p>
    }
    .into_any()
}

/// `/embed/listing/{id}`.
#[component]
fn ListingEmbed(
    /// Shared state.
    ctx: Ctx,
    /// The listing.
    id: i64,
    /// The partner's reference.
    partner: Option<String>,
) -> impl IntoView {
    // Prices depend on the market only: a new postal code re-estimates without a fetch.
    let market = Memo::new(move |_| ctx.reader.get().market);
    let listing = Load::new(move || {
        let url = listing_api(id, &market.get());
        async move { net::get::<ListingSummary>(&url).await }
    });
    let estimate = Memo::new(move |_| {
        listing
            .get()
            .and_then(|l| l.ok())
            .and_then(|l| ctx.estimates(std::slice::from_ref(&l)).pop())
            .map(|(_, e)| e)
    });
    let locale = ctx.locale();
    move || match listing.get() {
        None => view! { <div class="card card-wide skeleton" aria-busy="true"></div> }.into_any(),
        Some(Err(e)) => load_failed(&e, move || listing.reload()),
        Some(Ok(item)) => view! {
            <EmbedCard
                item=item
                estimate=estimate
                locale=locale
                partner=partner.clone()
                wide=true
            />
        }
        .into_any(),
    }
}

/// `/embed/search?q=`.
#[component]
fn SearchEmbed(
    /// Shared state.
    ctx: Ctx,
    /// The search.
    q: String,
    /// How many cards.
    limit: u32,
    /// The partner's reference.
    partner: Option<String>,
) -> impl IntoView {
    let market = Memo::new(move |_| ctx.reader.get().market);
    let query = q.clone();
    let page = Load::new(move || {
        let url = search_api(&query, &market.get(), limit);
        async move { net::get::<ListingPage>(&url).await }
    });
    let estimates = Memo::new(move |_| {
        page.get()
            .and_then(|p| p.ok())
            .map(|p| ctx.estimates(&p.items))
            .unwrap_or_default()
    });
    let locale = ctx.locale();
    let more = search_href(&q, partner.as_deref());
    let heading = if q.is_empty() {
        "On Crossdock".to_string()
    } else {
        format!("\u{201c}{q}\u{201d} on Crossdock")
    };
    let grid = move || match page.get() {
        None => view! { <div class="grid skeleton" aria-busy="true"></div> }.into_any(),
        Some(Err(e)) => load_failed(&e, move || page.reload()),
        Some(Ok(p)) if p.items.is_empty() => {
            view! { <p class="notice" data-testid="embed-empty">"Nothing matches right now."</p> }
                .into_any()
        }
        Some(Ok(p)) => {
            let cards = p
                .items
                .into_iter()
                .map(|item| {
                    let id = item.id;
                    // Empty until the network loads: `None`, a loading line.
                    let estimate = Signal::derive(move || {
                        estimates
                            .with(|all| all.iter().find(|(i, _)| *i == id).map(|(_, e)| e.clone()))
                    });
                    view! {
                        <EmbedCard
                            item=item
                            estimate=estimate
                            locale=locale
                            partner=partner.clone()
                        />
                    }
                })
                .collect_view();
            view! { <div class="grid">{cards}</div> }.into_any()
        }
    };
    view! {
        <header class="head">
            <h1>{heading}</h1>
            <a href=more target="_blank" rel="noopener" data-testid="embed-more">
                "See all"
                <span class="visually-hidden">" on Crossdock (opens in a new tab)"</span>
            </a>
        </header>
        {grid}
    }
}
