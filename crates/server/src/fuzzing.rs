//! Fuzz harnesses: one function per cargo-fuzz target in `fuzz/fuzz_targets/`, each
//! feeding arbitrary input to a parser the server runs on untrusted data, the same way
//! the server does. The fuzz targets call these, and so does
//! `tests/fuzz_regressions.rs`, which replays every committed corpus input and every
//! crash ever found on each plain `cargo test`: one body, so the two cannot drift.
//!
//! Every harness must return normally for every input: a panic is a bug in the code it
//! calls. Errors (`Err`) are expected and ignored.

use std::sync::OnceLock;

use crossdock_core::Network;
use crossdock_core::engine::zone_for_postal;

use crate::extract::parse_json;

/// The shipped network file (`data/network.json`), parsed once; `None` if it does not
/// load (the replay test checks that it does).
pub fn default_network() -> Option<&'static Network> {
    static NET: OnceLock<Option<Network>> = OnceLock::new();
    NET.get_or_init(|| Network::from_json(include_str!("../../../data/network.json")).ok())
        .as_ref()
}

/// The network file at startup: what `--network FILE` loads (parse and validate).
pub fn network_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(net) = crate::network::LoadedNetwork::from_text(text.to_string()) {
        // A network that loads must answer zone lookups for all of its markets.
        for m in 0..net.network().markets.len() {
            let _ = zone_for_postal(net.network(), m, "");
        }
    }
    // The app's own JSON reader, on the same text.
    let _ = crossdock_core::json::parse(text);
}

/// A postal code typed by a shopper, in every market of the shipped network: normalised,
/// then looked up, as the engine does, and looked up raw too.
pub fn postal_code(data: &[u8]) {
    let Ok(code) = std::str::from_utf8(data) else {
        return;
    };
    let Some(net) = default_network() else {
        return;
    };
    for (i, m) in net.markets.iter().enumerate() {
        if let Ok(normal) = m.postal.normalise(code) {
            let zone = zone_for_postal(net, i, &normal);
            assert!(zone < net.zones.len(), "zone index out of range");
        }
        let _ = zone_for_postal(net, i, code);
    }
}

/// A seller's CSV import, and the cell parsers it uses.
pub fn csv_import(data: &[u8]) {
    use crate::seller::csv_sheet;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = csv_sheet::read(text);
    let first_line = text.lines().next().unwrap_or("");
    for comma in [false, true] {
        if let Ok(d) = csv_sheet::parse_decimal(first_line, comma) {
            for exponent in [0, 2, 3] {
                let _ = d.to_minor(exponent);
            }
        }
    }
    let _ = csv_sheet::parse_units(first_line);
}

/// Every JSON request body, read by `ApiJson` (`parse_json`), then checked by the pure
/// validation its handler runs before touching the database.
pub fn json_bodies(data: &[u8]) {
    use crate::seller::save::{MoneyIn, whole_number};
    use crate::seller::{auth, inbound, promotions, save};
    use crossdock_core::time::Instant;
    let money = |m: &Option<MoneyIn>| {
        if let Some(m) = m {
            let _ = whole_number(&m.minor, "minor", "an amount");
        }
    };
    let _ = parse_json::<auth::SignInRequest>(data);
    if let Ok(body) = parse_json::<save::ListingUpdate>(data) {
        let _ = save::edit_of(&body);
        for p in body.prices.iter().flatten() {
            money(&p.price);
            money(&p.supply_price);
        }
        for st in body.stock.iter().flatten() {
            let _ = whole_number(&st.on_hand, "on_hand", "units on hand");
        }
    }
    if let Ok(body) = parse_json::<promotions::NewPromotion>(data) {
        if let Some(n) = &body.percent_bp {
            let _ = whole_number(n, "percent_bp", "percent_bp");
        }
        money(&body.amount);
        money(&body.threshold);
        for t in body.starts_at.iter().chain([&body.ends_at]) {
            let _ = Instant::parse(t.trim());
        }
    }
    if let Ok(body) = parse_json::<inbound::NewInbound>(data) {
        let _ = whole_number(&body.quantity, "quantity", "a shipment's quantity");
        let _ = Instant::parse(body.eta.trim());
    }
    if let Ok(body) = parse_json::<crate::embed::ClickBody>(data) {
        let _ = crate::embed::partner_ref(&body.partner);
    }
    if let Ok(body) = parse_json::<crate::quote::QuoteRequestBody>(data)
        && let Some(now) = &body.now
    {
        let _ = Instant::parse(now.trim());
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = crossdock_core::json::parse(text);
    }
}
