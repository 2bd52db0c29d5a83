use leptos::prelude::*;

use super::Picture;
use crate::api::catalog::ListingSummary;
use crate::browser::format_money;
use crate::model::card::CardEstimate;

/// One search result: picture, title, price (a running promotion by its label; the
/// listing page and the cart say what a voucher or free delivery does) and the delivery
/// promise worked out in the browser.
/// Its size is fixed by the grid, so nothing shifts as estimates arrive.
#[component]
pub fn ListingCard(
    /// The listing.
    item: ListingSummary,
    /// Its delivery line (`None` while the network loads).
    #[prop(into)]
    estimate: Signal<Option<CardEstimate>>,
    /// The market's locale, for the price.
    #[prop(into)]
    locale: Signal<String>,
    /// Whether the picture is in the first screenful (loaded eagerly).
    #[prop(optional)]
    eager: bool,
) -> impl IntoView {
    let href = format!("/listing/{}", item.id);
    let price = item.price;
    let was = item.list_price.filter(|w| w.minor() > price.minor());
    let delivery = move || match estimate.get() {
        None => view! { <p class="card-eta card-eta-loading" aria-hidden="true"></p> }.into_any(),
        Some(CardEstimate::Arrives {
            window,
            ships_from,
            earliest,
            latest,
            ..
        }) => view! {
            <p
                class="card-eta"
                data-testid="card-window"
                data-earliest=earliest.to_string()
                data-latest=latest.to_string()
            >
                "Arrives " <strong>{window}</strong>
            </p>
            <p class="card-from">
                <span class="badge badge-from" data-testid="card-from">{ships_from}</span>
            </p>
        }
        .into_any(),
        Some(CardEstimate::SoldOut) => {
            view! { <p class="card-eta card-soldout" data-testid="card-soldout">"Sold out"</p> }
                .into_any()
        }
        Some(CardEstimate::Undeliverable) => {
            view! { <p class="card-eta card-soldout">"Doesn't deliver to your area"</p> }.into_any()
        }
    };
    view! {
        <li class="card" data-testid="listing-card" data-listing-id=item.id.to_string()>
            <a href=href class="card-link">
                <Picture
                    src=item.image.as_ref().map(|p| p.url.clone())
                    category=item.category.clone()
                    alt=String::new()
                    eager=eager
                />
                <h3 class="card-title">{item.title.clone()}</h3>
            </a>
            <p class="card-price">
                <span data-testid="card-price">{move || format_money(&price, &locale.get())}</span>
                {was
                    .map(|w| {
                        view! {
                            <s class="card-was">
                                <span class="visually-hidden">"was "</span>
                                {move || format_money(&w, &locale.get())}
                            </s>
                        }
                    })}
            </p>
            {delivery}
        </li>
    }
}
