//! The reader's destination inside an embed: the storefront's saved destination (the same
//! `localStorage` key, `crossdock.destination` = `"US|10001"`, written by the storefront's
//! picker and by the embed's), else the partner's market (`data-market`), else the market
//! the browser's language suggests.
//!
//! Browsers keep a framed page's storage apart per top-level site (storage partitioning),
//! and those that block third-party cookies (incognito windows, Safari, Firefox's strict
//! mode) refuse it to frames of another site altogether. So on a partner's site the embed
//! sees the storefront's saved destination only when the partner is the same site (a
//! Crossdock subdomain); elsewhere it sees what the reader picked in embeds on that site
//! (where storage is allowed) or nothing. The embeds of a page keep each other up to date
//! without storage too: a pick is announced on a `BroadcastChannel`, which only
//! Crossdock's own frames on that site hear (the partner's page cannot), and an embed
//! that starts later asks the others for theirs.

use crossdock_core::Network;
use js_sys::{Array, Function, Reflect};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::{language, storage_get, storage_set};
use crate::model::destination::{Dest, Resolved, guess_market};

/// The storefront's key (`state::destination`).
pub const KEY: &str = "crossdock.destination";
/// The channel the embeds of a site tell each other the reader's pick on: a message is a
/// destination in the saved form ("US|90012"), or [`ASK`].
const CHANNEL: &str = "crossdock.destination";
/// "Tell me your destination", from an embed that starts without one.
const ASK: &str = "?";

/// A `Copy` handle on the reader's destination.
#[derive(Clone, Copy)]
pub struct Reader {
    dest: RwSignal<Dest>,
    /// Whether the reader chose it (saved), rather than the embed guessing the market.
    known: RwSignal<bool>,
    /// The other embeds of the site (`None` where there is no `BroadcastChannel`).
    channel: StoredValue<Option<JsValue>, LocalStorage>,
}

impl Reader {
    /// The saved destination, or `fallback_market` with no postal code.
    pub fn new(fallback_market: Option<String>) -> Reader {
        let saved = storage_get(KEY).and_then(|s| decode(&s));
        let known = saved.is_some();
        let dest = saved.unwrap_or_else(|| {
            Dest::market_only(
                fallback_market
                    .as_deref()
                    .unwrap_or_else(|| guess_market(&language())),
            )
        });
        let reader = Reader {
            dest: RwSignal::new(dest),
            known: RwSignal::new(known),
            channel: StoredValue::new_local(None),
        };
        reader.listen(known);
        // Another embed on the page (or the storefront in another tab of this site)
        // saved a destination: follow it.
        let handle = window_event_listener(leptos::ev::storage, move |_| {
            if let Some(d) = storage_get(KEY).and_then(|s| decode(&s)) {
                reader.dest.set(d);
                reader.known.set(true);
            }
        });
        on_cleanup(move || handle.remove());
        reader
    }

    /// The destination (reactive).
    pub fn get(&self) -> Dest {
        self.dest.get()
    }

    /// Whether the reader has a destination of their own (reactive).
    pub fn known(&self) -> bool {
        self.known.get()
    }

    /// Saves `d` for every page of Crossdock in this browser (where the browser lets a
    /// framed page store anything) and tells the other embeds of the site.
    pub fn set(&self, d: Dest) {
        storage_set(KEY, &d.encode());
        self.post(&d.encode());
        self.dest.set(d);
        self.known.set(true);
    }

    /// Joins the site's embeds on the channel: follows their picks, answers their
    /// questions, and asks for theirs when `known` is false.
    fn listen(self, known: bool) {
        let Some(channel) = open_channel() else {
            return;
        };
        let on_message = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let Some(text) = Reflect::get(&event, &"data".into())
                .ok()
                .and_then(|d| d.as_string())
            else {
                return;
            };
            if text == ASK {
                if self.known.try_get_untracked() == Some(true)
                    && let Some(d) = self.dest.try_get_untracked()
                {
                    self.post(&d.encode());
                }
            } else if let Some(d) = decode(&text) {
                self.dest.try_set(d);
                self.known.try_set(true);
            }
        });
        let _ = Reflect::set(&channel, &"onmessage".into(), on_message.as_ref());
        // The page lives as long as the embed: the handler too.
        on_message.forget();
        self.channel.set_value(Some(channel));
        if !known {
            self.post(ASK);
        }
    }

    /// Sends `text` to the other embeds.
    fn post(&self, text: &str) {
        self.channel.with_value(|c| {
            if let Some(c) = c
                && let Ok(post) = Reflect::get(c, &"postMessage".into())
                && let Ok(post) = post.dyn_into::<Function>()
            {
                let _ = post.call1(c, &JsValue::from_str(text));
            }
        });
    }

    /// The destination resolved against the network, falling back as the storefront does
    /// (`state::destination`): its market's default zone, then the US (reactive).
    pub fn resolve(&self, net: &Network) -> Resolved {
        resolve(net, &self.dest.get())
    }
}

/// `new BroadcastChannel(CHANNEL)`, where the browser has one.
fn open_channel() -> Option<JsValue> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    let ctor: Function = Reflect::get(&js_sys::global(), &"BroadcastChannel".into())
        .ok()?
        .dyn_into()
        .ok()?;
    Reflect::construct(&ctor, &Array::of1(&JsValue::from_str(CHANNEL))).ok()
}

/// The remembered form ("US|10001"), read.
pub fn decode(s: &str) -> Option<Dest> {
    let (market, postal) = s.split_once('|')?;
    (!market.is_empty()).then(|| Dest {
        market: market.to_string(),
        postal: postal.to_string(),
    })
}

/// `d` resolved as the storefront resolves its destination.
pub fn resolve(net: &Network, d: &Dest) -> Resolved {
    d.resolve(net)
        .or_else(|_| Dest::market_only(&d.market).resolve(net))
        .or_else(|_| Dest::market_only("US").resolve(net))
        .unwrap_or_else(|_| Resolved {
            market: d.market.clone(),
            market_index: 0,
            zone: String::new(),
            zone_name: String::new(),
            locale: "en-US".to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_network;

    #[test]
    fn the_storefronts_saved_form_is_read() {
        assert_eq!(
            decode("US|10001"),
            Some(Dest {
                market: "US".into(),
                postal: "10001".into()
            })
        );
        assert_eq!(decode("DE|"), Some(Dest::market_only("DE")));
        assert_eq!(decode("garbage"), None);
        assert_eq!(decode("|10001"), None);
    }

    #[test]
    fn a_bad_saved_destination_falls_back_like_the_storefront() {
        let net = test_network();
        let bad_postal = resolve(&net, &decode("US|ABC").unwrap());
        assert_eq!(bad_postal, Dest::market_only("US").resolve(&net).unwrap());
        let bad_market = resolve(&net, &decode("XX|1").unwrap());
        assert_eq!(bad_market.market, "US");
        let ny = resolve(&net, &decode("US|10001").unwrap());
        let la = resolve(&net, &decode("US|90012").unwrap());
        assert_ne!(ny.zone, la.zone);
    }
}
