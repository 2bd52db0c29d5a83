use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Examples that open the explorer on an interesting case.
const EXAMPLES: [(&str, &str, &str); 4] = [
    (
        "Phone case, West Coast stock, to New York",
        "/explore?preset=phone-case&mode=platform_local&stock=us-central:0,us-east:0&market=US&postal=10001&qty=1",
        "A warehouse 4,000 km away: the window moves out by days.",
    ),
    (
        "Small appliance from Guangzhou to Los Angeles",
        "/explore?preset=small-appliance&mode=fully_managed&market=US&postal=90012&qty=1",
        "Air freight, customs and the last mile, leg by leg.",
    ),
    (
        "Power bank by air to Seoul",
        "/explore?preset=power-bank&mode=fully_managed&market=KR&postal=06236&qty=1",
        "Lithium batteries cannot fly: see why every route is refused.",
    ),
    (
        "Sofa from a seller's 3PL to Manchester",
        "/explore?preset=sofa&mode=semi_managed&market=GB&postal=M1%201AE&qty=1",
        "Too big for air freight, fine for a local warehouse.",
    ),
];

/// The landing page: what Crossdock is, and the way into the explorer.
#[component]
pub fn Home() -> impl IntoView {
    view! {
        <Title text="Crossdock" />
        <section class="hero">
            <div class="wrap hero-inner">
                <p class="eyebrow">"Cross-border marketplace"</p>
                <h1>"Delivery promises shoppers can trust, worked out in the browser."</h1>
                <p class="lead">
                    "Crossdock prices cross-border listings in the shopper's currency and promises a delivery window that holds 97 % of the time. The estimate comes from the same routing engine that routes the order — compiled to WebAssembly and run on this page."
                </p>
                <div class="hero-actions">
                    <A href="/explore" attr:class="button button-primary button-large">
                        "Open the delivery explorer"
                    </A>
                    <span class="hero-note">"No sign-up. Every route, window and cost, live."</span>
                </div>
            </div>
        </section>
        <section class="wrap modes" aria-labelledby="modes-title">
            <h2 id="modes-title">"Three ways to fulfil an order"</h2>
            <div class="mode-grid">
                <article class="mode-card">
                    <h3>"Fully managed"</h3>
                    <p class="mode-days">"7–14 days"</p>
                    <p>
                        "Stock waits in the platform's consolidation warehouse in China and flies to the shopper. Light, air-safe goods only."
                    </p>
                </article>
                <article class="mode-card">
                    <h3>"Semi-managed"</h3>
                    <p class="mode-days">"4–9 days"</p>
                    <p>
                        "The seller keeps stock in their own or a 3PL warehouse in the market. Heavy and bulky goods welcome."
                    </p>
                </article>
                <article class="mode-card">
                    <h3>"Platform local warehouse"</h3>
                    <p class="mode-days">"1–2 days near a warehouse"</p>
                    <p>
                        "The platform pre-stocks its warehouses in the market. Which warehouse ships decides the window."
                    </p>
                </article>
            </div>
        </section>
        <section class="wrap examples" aria-labelledby="examples-title">
            <h2 id="examples-title">"Try a case"</h2>
            <ul class="example-list">
                {EXAMPLES
                    .into_iter()
                    .map(|(title, href, blurb)| {
                        view! {
                            <li>
                                <A href=href attr:class="example">
                                    <strong>{title}</strong>
                                    <span>{blurb}</span>
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
