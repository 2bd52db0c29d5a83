//! The explorer's whole state, as it lives in the URL query string, so that a link
//! reproduces the view. [`ExploreQuery::parse`] never fails: a value it cannot use falls
//! back to the default and says so in a notice. Numbers and the postal code are kept as
//! typed, so a bad one is shown next to its field (as if the shopper had typed it).

use std::collections::BTreeMap;

use crossdock_core::schema::WarehouseDef;
use crossdock_core::time::TimeError;
use crossdock_core::{Instant, Mode, Network};

use super::presets::{DEFAULT_PRESET, Preset, preset};

/// Units in stock in each warehouse unless the URL says otherwise.
pub const DEFAULT_STOCK: u32 = 10;
/// Market shown when the URL names none.
pub const DEFAULT_MARKET: &str = "US";
/// Fulfilment mode shown when the URL names none.
pub const DEFAULT_MODE: Mode = Mode::PlatformLocal;

/// How the order-time field reads the date and time typed into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeBasis {
    /// Coordinated Universal Time.
    Utc,
    /// The browser's time zone.
    Local,
}

/// Everything the explorer shows depends on these values only (and on the clock when
/// `at` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExploreQuery {
    /// The preset picked, or `None` for a custom product.
    pub preset: Option<&'static str>,
    /// Weight in grams and sides in millimetres, as typed.
    pub weight: String,
    pub length: String,
    pub width: String,
    pub height: String,
    /// A category id of the network.
    pub category: String,
    pub mode: Mode,
    /// Units in stock per warehouse id, as typed; warehouses not listed hold
    /// [`DEFAULT_STOCK`].
    pub stock: BTreeMap<String, String>,
    /// A market id of the network ("US").
    pub market: String,
    /// The postal code as typed.
    pub postal: String,
    /// The quantity ordered, as typed.
    pub qty: String,
    /// The order instant; `None` for now (live).
    pub at: Option<Instant>,
    pub time_basis: TimeBasis,
}

/// The URL name of a mode ("platform_local"), as the engine serialises it.
pub fn mode_id(mode: Mode) -> &'static str {
    match mode {
        Mode::FullyManaged => "fully_managed",
        Mode::SemiManaged => "semi_managed",
        Mode::PlatformLocal => "platform_local",
    }
}

/// The mode with this URL name.
pub fn parse_mode(s: &str) -> Option<Mode> {
    Mode::ALL
        .into_iter()
        .find(|m| mode_id(*m) == s.trim().to_ascii_lowercase().replace('-', "_"))
}

/// The example postal code of a market ("94107"), or "" for an unknown market.
pub fn postal_example(net: &Network, market: &str) -> String {
    net.file
        .markets
        .iter()
        .find(|m| m.id == market)
        .map(|m| m.postal.example.clone())
        .unwrap_or_default()
}

impl ExploreQuery {
    /// The default view: a phone case from the platform's local warehouses to the
    /// default market's example postal code, ordered now.
    pub fn new(net: &Network) -> ExploreQuery {
        let mut q = ExploreQuery {
            preset: None,
            weight: String::new(),
            length: String::new(),
            width: String::new(),
            height: String::new(),
            category: String::new(),
            mode: DEFAULT_MODE,
            stock: BTreeMap::new(),
            market: DEFAULT_MARKET.to_string(),
            postal: postal_example(net, DEFAULT_MARKET),
            qty: "1".to_string(),
            at: None,
            time_basis: TimeBasis::Utc,
        };
        q.set_preset(DEFAULT_PRESET);
        q
    }

    /// Picks a preset: its weight, size and category fill the product fields.
    pub fn set_preset(&mut self, p: Preset) {
        self.preset = Some(p.id);
        self.weight = p.weight_g.to_string();
        let [l, w, h] = p.dims_mm;
        self.length = l.to_string();
        self.width = w.to_string();
        self.height = h.to_string();
        self.category = p.category.to_string();
    }

    /// Switches to another market, with its example postal code.
    pub fn set_market(&mut self, net: &Network, market: &str) {
        if self.market != market {
            self.market = market.to_string();
            self.postal = postal_example(net, market);
        }
    }

    /// The stock typed for a warehouse ("10" by default).
    pub fn stock_text(&self, warehouse: &str) -> String {
        self.stock
            .get(warehouse)
            .cloned()
            .unwrap_or_else(|| DEFAULT_STOCK.to_string())
    }

    /// Reads the state from query parameters (`get("mode")` → `Some("platform_local")`),
    /// with a notice for each value it had to replace.
    pub fn parse(
        net: &Network,
        get: impl Fn(&str) -> Option<String>,
    ) -> (ExploreQuery, Vec<String>) {
        let mut q = ExploreQuery::new(net);
        let mut notices = Vec::new();
        let custom_fields = ["weight", "length", "width", "height", "category"];

        match get("preset").as_deref().map(str::trim) {
            Some("custom") => q.preset = None,
            Some(id) => match preset(id) {
                Some(p) => q.set_preset(p),
                None => notices.push(format!(
                    "The link names a product preset \"{id}\" we do not have: showing a {}.",
                    DEFAULT_PRESET.name.to_ascii_lowercase()
                )),
            },
            None => {
                if custom_fields.iter().any(|k| get(k).is_some()) {
                    q.preset = None;
                }
            }
        }
        if q.preset.is_none() {
            for (key, field) in [
                ("weight", &mut q.weight),
                ("length", &mut q.length),
                ("width", &mut q.width),
                ("height", &mut q.height),
            ] {
                if let Some(v) = get(key) {
                    *field = v;
                }
            }
            if let Some(c) = get("category") {
                if net.category_index(c.trim()).is_some() {
                    q.category = c.trim().to_string();
                } else {
                    notices.push(format!(
                        "The link names a category \"{c}\" we do not have: showing {}.",
                        category_name(net, &q.category).to_ascii_lowercase()
                    ));
                }
            }
        }

        if let Some(m) = get("mode") {
            match parse_mode(&m) {
                Some(mode) => q.mode = mode,
                None => notices.push(format!(
                    "The link names a fulfilment mode \"{m}\" we do not have: showing {}.",
                    DEFAULT_MODE.label().to_ascii_lowercase()
                )),
            }
        }

        if let Some(m) = get("market") {
            let id = m.trim().to_ascii_uppercase();
            if net.market_index(&id).is_some() {
                q.set_market(net, &id);
            } else {
                notices.push(format!(
                    "The link names a market \"{m}\" we do not deliver to: showing {}.",
                    market_name(net, DEFAULT_MARKET)
                ));
            }
        }
        if let Some(p) = get("postal") {
            q.postal = p;
        }
        if let Some(n) = get("qty") {
            q.qty = n;
        }

        if let Some(s) = get("stock") {
            for entry in s.split(',').map(str::trim).filter(|e| !e.is_empty()) {
                match entry.split_once(':') {
                    Some((id, n)) if net.warehouse_index(id.trim()).is_some() => {
                        q.stock.insert(id.trim().to_string(), n.trim().to_string());
                    }
                    Some((id, _)) => notices.push(format!(
                        "The link gives stock for a warehouse \"{id}\" we do not have: left out."
                    )),
                    None => notices.push(format!(
                        "The link's stock entry \"{entry}\" is not warehouse:units: left out."
                    )),
                }
            }
        }

        if let Some(t) = get("at") {
            match Instant::parse(t.trim()) {
                Ok(i) => q.at = Some(i),
                Err(TimeError::OutOfRange) => notices.push(format!(
                    "The link's order time \"{t}\" is outside the years 1970 to 9999: showing now."
                )),
                Err(TimeError::Malformed(_)) => notices.push(format!(
                    "The link's order time \"{t}\" is not a time such as 2026-09-15T20:59:00Z: showing now."
                )),
            }
        }
        match get("tz").as_deref().map(str::trim) {
            None | Some("utc") | Some("UTC") => {}
            Some("local") => q.time_basis = TimeBasis::Local,
            Some(other) => notices.push(format!(
                "The link's time basis \"{other}\" is neither utc nor local: times are in UTC."
            )),
        }
        (q, notices)
    }

    /// The query string that [`ExploreQuery::parse`] reads back to the same state (no
    /// leading `?`). Stock at the default is left out; so are `at` and `tz` at theirs.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        match self.preset {
            Some(id) => pairs.push(("preset", id.to_string())),
            None => {
                pairs.push(("preset", "custom".to_string()));
                pairs.push(("weight", self.weight.clone()));
                pairs.push(("length", self.length.clone()));
                pairs.push(("width", self.width.clone()));
                pairs.push(("height", self.height.clone()));
                pairs.push(("category", self.category.clone()));
            }
        }
        pairs.push(("mode", mode_id(self.mode).to_string()));
        let default_stock = DEFAULT_STOCK.to_string();
        let stock: Vec<String> = self
            .stock
            .iter()
            .filter(|(_, n)| **n != default_stock)
            .map(|(id, n)| format!("{id}:{n}"))
            .collect();
        if !stock.is_empty() {
            pairs.push(("stock", stock.join(",")));
        }
        pairs.push(("market", self.market.clone()));
        pairs.push(("postal", self.postal.clone()));
        pairs.push(("qty", self.qty.clone()));
        if let Some(at) = self.at {
            pairs.push(("at", at.to_string()));
        }
        if self.time_basis == TimeBasis::Local {
            pairs.push(("tz", "local".to_string()));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode_component(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes a query value: everything but letters, digits and `-_.~:,` (which
/// read well and mean nothing special inside a value).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' | b',' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A category's name ("Phone accessories"), or its id when unknown.
pub fn category_name(net: &Network, id: &str) -> String {
    net.file
        .categories
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// A market's name ("United States"), or its id when unknown.
pub fn market_name(net: &Network, id: &str) -> String {
    net.file
        .markets
        .iter()
        .find(|m| m.id == id)
        .map(|m| m.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// The warehouses whose stock the explorer asks for: those of the mode's kind that serve
/// the market (every consolidation warehouse in China serves every market by air).
pub fn stock_warehouses<'n>(net: &'n Network, mode: Mode, market: &str) -> Vec<&'n WarehouseDef> {
    net.file
        .warehouses
        .iter()
        .filter(|w| {
            w.kind == mode.warehouse_kind() && w.market.as_deref().is_none_or(|m| m == market)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_network;

    fn parse(qs: &str) -> (ExploreQuery, Vec<String>) {
        let net = test_network();
        let pairs: Vec<(String, String)> = qs
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_string(), decode(v))
            })
            .collect();
        ExploreQuery::parse(&net, |k| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        })
    }

    /// What URLSearchParams does to a value.
    fn decode(v: &str) -> String {
        let bytes = v.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'%' if i + 2 < bytes.len() => {
                    let h = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                    out.push(u8::from_str_radix(h, 16).unwrap());
                    i += 3;
                }
                b'+' => {
                    out.push(b' ');
                    i += 1;
                }
                b => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn an_empty_query_is_the_default_view() {
        let (q, notices) = parse("");
        assert!(notices.is_empty());
        assert_eq!(q, ExploreQuery::new(&test_network()));
        assert_eq!(q.preset, Some("phone-case"));
        assert_eq!(q.weight, "120");
        assert_eq!(q.postal, "94107");
        assert_eq!(
            q.to_query_string(),
            "preset=phone-case&mode=platform_local&market=US&postal=94107&qty=1"
        );
    }

    #[test]
    fn every_state_survives_a_round_trip_through_the_url() {
        let net = test_network();
        let mut q = ExploreQuery::new(&net);
        q.preset = None;
        q.weight = "3000".into();
        q.length = "".into();
        q.width = "2 5".into();
        q.height = "a&b=c".into();
        q.category = "furniture".into();
        q.mode = Mode::SemiManaged;
        q.stock.insert("us-3pl-ca".into(), "0".into());
        q.stock.insert("us-3pl-nj".into(), "".into());
        q.set_market(&net, "GB");
        q.postal = "sw1a 1aa".into();
        q.qty = "12".into();
        q.at = Some(Instant::parse("2026-09-15T20:59:00Z").unwrap());
        q.time_basis = TimeBasis::Local;
        let qs = q.to_query_string();
        let (back, notices) = parse(&qs);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back, q);
        assert_eq!(back.to_query_string(), qs);
        assert!(qs.contains("postal=sw1a%201aa"), "{qs}");
        assert!(qs.contains("at=2026-09-15T20:59:00Z"), "{qs}");
        assert!(qs.contains("stock=us-3pl-ca:0,us-3pl-nj:"), "{qs}");
    }

    #[test]
    fn bad_values_in_a_link_fall_back_to_defaults_with_a_notice() {
        let (q, notices) = parse(
            "preset=yacht&mode=teleport&market=XX&stock=mars:5,nonsense,us-east:3&at=yesterday&tz=mars",
        );
        assert_eq!(q.preset, Some("phone-case"));
        assert_eq!(q.mode, DEFAULT_MODE);
        assert_eq!(q.market, "US");
        assert_eq!(q.at, None);
        assert_eq!(q.time_basis, TimeBasis::Utc);
        assert_eq!(q.stock_text("us-east"), "3");
        assert_eq!(notices.len(), 7, "{notices:?}");
        assert!(notices[0].contains("\"yacht\""));
        assert!(
            notices
                .iter()
                .any(|n| n.contains("\"XX\"") && n.contains("United States"))
        );
    }

    #[test]
    fn custom_fields_without_a_preset_make_a_custom_product() {
        let (q, notices) = parse("weight=999&category=toys");
        assert!(notices.is_empty());
        assert_eq!(q.preset, None);
        assert_eq!(q.weight, "999");
        assert_eq!(q.length, "180");
        assert_eq!(q.category, "toys");
        let (q, notices) = parse("preset=custom&category=spaceships");
        assert_eq!(q.category, "phone_accessories");
        assert_eq!(notices.len(), 1);
        // A preset wins over stray custom fields.
        let (q, _) = parse("preset=sofa&weight=1");
        assert_eq!(q.weight, "45000");
    }

    #[test]
    fn markets_and_modes_are_read_leniently() {
        let (q, notices) = parse("market=de&mode=semi-managed");
        assert!(notices.is_empty());
        assert_eq!(q.market, "DE");
        assert_eq!(q.postal, "10115");
        assert_eq!(q.mode, Mode::SemiManaged);
    }

    #[test]
    fn stock_is_asked_for_the_warehouses_that_serve_the_market() {
        let net = test_network();
        let ids = |mode, market| -> Vec<String> {
            stock_warehouses(&net, mode, market)
                .iter()
                .map(|w| w.id.clone())
                .collect()
        };
        assert_eq!(
            ids(Mode::PlatformLocal, "US"),
            ["us-west", "us-central", "us-east"]
        );
        assert_eq!(ids(Mode::FullyManaged, "KR"), ["cn-gz", "cn-yw"]);
        assert_eq!(ids(Mode::SemiManaged, "KR"), Vec::<String>::new());
    }

    #[test]
    fn encoding_leaves_readable_characters_alone() {
        assert_eq!(
            encode_component("us-west:10,us-east:0"),
            "us-west:10,us-east:0"
        );
        assert_eq!(encode_component("SW1A 1AA"), "SW1A%201AA");
        assert_eq!(encode_component("a&b=c+d%"), "a%26b%3Dc%2Bd%25");
        assert_eq!(encode_component("é"), "%C3%A9");
    }
}
