use std::sync::Arc;

use crate::browser::set_title;
use crossdock_core::Network;
use leptos::prelude::*;

use crate::components::{
    DestinationFields, FulfilmentFields, LinkNotices, LoadError, OrderFields, ProductFields,
    Results,
};
use crate::state::explore::ExploreState;
use crate::state::network::use_network;

/// The delivery explorer: describe a product, its stock and a destination, and see every
/// route the platform could use, recomputed in the browser as anything changes.
#[component]
pub fn Explore() -> impl IntoView {
    set_title("Delivery explorer · Crossdock");
    let network = use_network();
    view! {
        <div class="wrap explore">
            <header class="page-head">
                <h1>"Delivery explorer"</h1>
                <p class="lead">
                    "Describe a product, where it is stocked and where it goes: every route the platform could use, with its window, cut-off and cost, worked out in your browser by the engine that routes real orders."
                </p>
            </header>
            {move || match network.get() {
                None => {
                    view! {
                        <div class="loading" role="status" data-testid="network-loading">
                            <span class="spinner" aria-hidden="true"></span>
                            "Loading the delivery network…"
                        </div>
                    }
                        .into_any()
                }
                Some(Err(e)) => {
                    view! {
                        <LoadError
                            message=e.to_string()
                            on_retry=Callback::new(move |()| network.retry())
                        />
                    }
                        .into_any()
                }
                Some(Ok(net)) => view! { <Explorer net=net /> }.into_any(),
            }}
        </div>
    }
}

/// The explorer once the network has loaded.
#[component]
fn Explorer(net: Arc<Network>) -> impl IntoView {
    let version = format!(
        "Network {} · {}",
        net.version(),
        net.content_hash().get(..12).unwrap_or_default()
    );
    let state = ExploreState::new(net);
    view! {
        <LinkNotices state=state />
        <form class="controls" on:submit=|ev| ev.prevent_default() novalidate>
            <ProductFields state=state />
            <FulfilmentFields state=state />
            <DestinationFields state=state />
            <OrderFields state=state />
        </form>
        <Results state=state />
        <p class="network-version">{version}</p>
    }
}
