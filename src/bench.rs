//! The in-browser benchmark hook that `scripts/browser-bench.mjs` calls through
//! `window.wasmBindings`: estimate a few thousand listings to one destination, as a
//! storefront page of cards would.

use std::cell::RefCell;

use crossdock_core::engine::Estimator;
use crossdock_core::{Destination, Instant, Listing, Mode, Network, StockLine};
use wasm_bindgen::prelude::*;

use crossdock::api::fetch_network;
use crossdock::browser::now_unix;
use crossdock::model::presets::PRESETS;

thread_local! {
    static PREPARED: RefCell<Option<(Network, Vec<Listing>)>> = const { RefCell::new(None) };
}

/// Fetches the network and prepares `listings` listings (presets in every mode, with
/// varied stock). Not timed.
#[wasm_bindgen]
pub async fn crossdock_bench_setup(listings: u32) -> Result<(), JsValue> {
    let net = fetch_network()
        .await
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    let mut out = Vec::new();
    for i in 0..listings {
        let i = i as usize;
        let Some(p) = PRESETS.get(i % PRESETS.len()) else {
            continue;
        };
        let mode = Mode::ALL
            .get(i / PRESETS.len() % 3)
            .copied()
            .unwrap_or(Mode::PlatformLocal);
        let stock = net
            .file
            .warehouses
            .iter()
            .filter(|w| w.kind == mode.warehouse_kind())
            .enumerate()
            .map(|(k, w)| StockLine {
                warehouse: w.id.clone(),
                quantity: u32::try_from((i + k) % 4).unwrap_or(0) * 5,
            })
            .collect();
        out.push(Listing {
            weight_g: p.weight_g,
            dims_mm: p.dims_mm,
            category: p.category.to_string(),
            mode,
            stock,
            unit_price: None,
        });
    }
    PREPARED.with(|c| *c.borrow_mut() = Some((net, out)));
    Ok(())
}

/// Estimates every prepared listing once (one quantity, to a San Francisco ZIP code, now)
/// and returns how many it estimated.
#[wasm_bindgen]
pub fn crossdock_bench_run() -> u32 {
    PREPARED.with(|c| {
        let prepared = c.borrow();
        let Some((net, listings)) = prepared.as_ref() else {
            return 0;
        };
        let Ok(now) = Instant::from_unix(now_unix()) else {
            return 0;
        };
        let dest = Destination {
            market: "US".into(),
            postal_code: Some("94107".into()),
            zone: None,
        };
        let Ok(est) = Estimator::new(net, &dest, now) else {
            return 0;
        };
        let mut done = 0u32;
        for l in listings {
            let _ = est.promise(l, 1);
            done = done.saturating_add(1);
        }
        done
    })
}
