//! Inbound sea shipments in the seller's words: which warehouses can receive one, the
//! "announce a shipment" form checked before anything is sent, the server's field errors
//! put beside the field at fault, and a shipment as a line ("500 units · arriving Tue
//! 15 Dec (in 10 days)").
//!
//! The seller picks the arrival *day*; the shipment becomes stock on hand at the start of
//! that day in the warehouse's own time zone (the network's), so "arriving Tue 15 Dec"
//! means the same day to the seller in Shenzhen and to the warehouse in New Jersey.

use crossdock_core::time::TimeZone;
use crossdock_core::{Date, Instant, Network};

use crate::model::format::short_date;

/// The most units one shipment holds (the server's limit).
pub const MAX_QUANTITY: u32 = 1_000_000;
/// The furthest ahead an ETA may be, in days (the server's limit).
pub const MAX_ETA_DAYS: i64 = 366;

const DAY: i64 = 86_400;

/// A warehouse that can receive sea freight for a SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receiver {
    pub id: String,
    /// The network's name: "Seller 3PL (Secaucus, NJ)".
    pub name: String,
    /// One of the seller's own overseas warehouses (else a platform local warehouse).
    pub own: bool,
    /// The market it serves.
    pub market: Option<String>,
}

impl Receiver {
    /// The option's text: "US East warehouse (Edison, NJ) · US".
    pub fn label(&self) -> String {
        match &self.market {
            Some(m) => format!("{} · {m}", self.name),
            None => self.name.clone(),
        }
    }
}

/// The warehouses that can receive sea freight for a SKU, as the server allows them: the
/// seller's own overseas warehouses (`own`: the SKU's semi-managed warehouses), then the
/// platform's local warehouses in the markets it is sold in (`platform`). Ids the network
/// does not know are left out.
pub fn receivers(net: &Network, own: &[String], platform: &[String]) -> Vec<Receiver> {
    let of = |id: &String, mine: bool| {
        let w = net.file.warehouses.iter().find(|w| &w.id == id)?;
        Some(Receiver {
            id: id.clone(),
            name: w.name.clone(),
            own: mine,
            market: w.market.clone(),
        })
    };
    let mut out: Vec<Receiver> = own.iter().filter_map(|id| of(id, true)).collect();
    for id in platform {
        if !out.iter().any(|r| &r.id == id)
            && let Some(r) = of(id, false)
        {
            out.push(r);
        }
    }
    out
}

/// The time zone a warehouse keeps (UTC for a warehouse the network does not know).
pub fn warehouse_zone(net: &Network, warehouse: &str) -> TimeZone {
    net.warehouse_index(warehouse)
        .and_then(|i| net.warehouses.get(i))
        .and_then(|w| net.time_zones.get(w.time_zone))
        .cloned()
        .unwrap_or(TimeZone {
            std_offset_min: 0,
            dst: None,
        })
}

/// A field of the announce form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboundField {
    Warehouse,
    Quantity,
    Eta,
}

impl InboundField {
    /// The element id of its input (focused when it is at fault).
    pub fn input_id(self) -> &'static str {
        match self {
            InboundField::Warehouse => "inbound-warehouse",
            InboundField::Quantity => "inbound-quantity",
            InboundField::Eta => "inbound-eta",
        }
    }

    /// The field a server error names (`{"error": {"field": "eta"}}`).
    pub fn of_server(field: &str) -> Option<InboundField> {
        match field {
            "warehouse" => Some(InboundField::Warehouse),
            "quantity" => Some(InboundField::Quantity),
            "eta" => Some(InboundField::Eta),
            _ => None,
        }
    }
}

/// What the seller typed in the announce form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboundDraft {
    /// A warehouse id, or empty before one is chosen.
    pub warehouse: String,
    pub quantity: String,
    /// An `<input type="date">` value: "2026-12-15", or empty.
    pub eta: String,
}

/// What is wrong with the announce form, by field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboundProblems {
    pub warehouse: Option<String>,
    pub quantity: Option<String>,
    pub eta: Option<String>,
}

impl InboundProblems {
    pub fn is_empty(&self) -> bool {
        self.warehouse.is_none() && self.quantity.is_none() && self.eta.is_none()
    }

    /// The message beside `field`.
    pub fn of(&self, field: InboundField) -> Option<&String> {
        match field {
            InboundField::Warehouse => self.warehouse.as_ref(),
            InboundField::Quantity => self.quantity.as_ref(),
            InboundField::Eta => self.eta.as_ref(),
        }
    }

    /// The first field at fault, in the form's order (focus goes there).
    pub fn first(&self) -> Option<InboundField> {
        [
            InboundField::Warehouse,
            InboundField::Quantity,
            InboundField::Eta,
        ]
        .into_iter()
        .find(|f| self.of(*f).is_some())
    }

    /// One field's message, the others clear.
    pub fn only(field: InboundField, message: String) -> InboundProblems {
        let mut p = InboundProblems::default();
        match field {
            InboundField::Warehouse => p.warehouse = Some(message),
            InboundField::Quantity => p.quantity = Some(message),
            InboundField::Eta => p.eta = Some(message),
        }
        p
    }

    /// Forgets the message beside `field` (the seller is changing it).
    pub fn clear(&mut self, field: InboundField) {
        match field {
            InboundField::Warehouse => self.warehouse = None,
            InboundField::Quantity => self.quantity = None,
            InboundField::Eta => self.eta = None,
        }
    }
}

/// A shipment to announce, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundAsk {
    pub warehouse: String,
    pub quantity: u32,
    /// The start of the arrival day in the warehouse's time zone.
    pub eta: Instant,
}

/// A shipment's quantity: whole units, 1 to [`MAX_QUANTITY`].
pub fn parse_quantity(text: &str) -> Result<u32, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Enter how many units are on their way, like 500.".into());
    }
    if t.starts_with('-') || t.bytes().all(|b| b == b'0') {
        return Err("A shipment holds at least 1 unit.".into());
    }
    if t.contains(['.', ',']) {
        return Err("Count the shipment in whole units, like 500.".into());
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err("Enter the quantity as a whole number, like 500.".into());
    }
    match t.parse::<u64>() {
        Ok(n) if n <= u64::from(MAX_QUANTITY) => u32::try_from(n).map_err(|_| String::new()),
        _ => Err("A shipment holds at most 1,000,000 units: split it into several.".into()),
    }
}

/// The days the arrival may fall on, in the warehouse's time zone: from tomorrow to the
/// last day whose start is at most [`MAX_ETA_DAYS`] days from `now` (the date input's
/// `min` and `max`).
pub fn eta_bounds(tz: &TimeZone, now: Instant) -> (Date, Date) {
    let today = tz.date(now);
    let first = today.succ().unwrap_or(today);
    let last = now
        .add_seconds(MAX_ETA_DAYS * DAY)
        .map_or(first, |t| tz.date(t));
    (first, last.max(first))
}

/// The arrival day the seller chose (`2026-12-15`), as the instant it becomes stock on
/// hand: the start of that day in the warehouse's time zone, after today there and at
/// most [`MAX_ETA_DAYS`] days ahead.
pub fn parse_eta(text: &str, tz: &TimeZone, now: Instant) -> Result<Instant, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Choose the day it arrives at the warehouse.".into());
    }
    let date = Date::parse(t)
        .map_err(|_| format!("\"{t}\" is not a date: choose one like 2026-12-15."))?;
    let (first, last) = eta_bounds(tz, now);
    let year = first.ymd().0;
    if date < first {
        return Err(
            "Choose a day after today: a shipment that has arrived is stock on hand, so set the stock in the table instead."
                .into(),
        );
    }
    if date > last {
        return Err(format!(
            "Choose a day by {}: announce a shipment when it sails, at most a year ahead.",
            short_date(last, year)
        ));
    }
    tz.instant_of(date, 0)
        .map_err(|_| format!("\"{t}\" is not a date: choose one like 2026-12-15."))
}

/// Checks the announce form: a warehouse among `receivers`, a quantity, an arrival day
/// (in that warehouse's time zone). Every field's problem at once.
pub fn check(
    draft: &InboundDraft,
    receivers: &[Receiver],
    net: &Network,
    now: Instant,
) -> Result<InboundAsk, InboundProblems> {
    let mut problems = InboundProblems::default();
    let warehouse = draft.warehouse.trim();
    if warehouse.is_empty() {
        problems.warehouse = Some("Choose the warehouse it goes to.".into());
    } else if !receivers.iter().any(|r| r.id == warehouse) {
        problems.warehouse = Some(
            "This warehouse cannot receive sea freight for this SKU: choose one of the list."
                .into(),
        );
    }
    let quantity = parse_quantity(&draft.quantity).map_err(|e| problems.quantity = Some(e));
    let tz = warehouse_zone(net, warehouse);
    let eta = parse_eta(&draft.eta, &tz, now).map_err(|e| problems.eta = Some(e));
    match (quantity, eta) {
        (Ok(quantity), Ok(eta)) if problems.is_empty() => Ok(InboundAsk {
            warehouse: warehouse.to_string(),
            quantity,
            eta,
        }),
        _ => Err(problems),
    }
}

/// "500 units", "1 unit".
pub fn units_text(n: i64) -> String {
    if n == 1 {
        "1 unit".to_string()
    } else {
        format!("{n} units")
    }
}

/// When a shipment arrives, from today: "today", "tomorrow", "in 10 days", "due" (past its
/// ETA, not received yet).
fn days_away(today: Date, day: Date) -> String {
    match today.days_until(day) {
        d if d < 0 => "due".to_string(),
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        d => format!("in {d} days"),
    }
}

/// A shipment on its way, in words, its arrival day in the warehouse's time zone:
/// "500 units · arriving Tue 15 Dec (in 10 days)"; the year shows when it is not this
/// year's.
pub fn shipment_text(quantity: i64, eta: Instant, tz: &TimeZone, now: Instant) -> String {
    let today = tz.date(now);
    let day = tz.date(eta);
    format!(
        "{} · arriving {} ({})",
        units_text(quantity),
        short_date(day, today.ymd().0),
        days_away(today, day)
    )
}

/// The question before a shipment is withdrawn.
pub fn withdraw_question(quantity: i64, eta: Instant, tz: &TimeZone, now: Instant) -> String {
    let today = tz.date(now);
    format!(
        "Withdraw the shipment of {} arriving {}? It will not become stock.",
        units_text(quantity),
        short_date(tz.date(eta), today.ymd().0)
    )
}

/// A shipment on its way, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentLine {
    pub id: i64,
    pub text: String,
    pub question: String,
}

/// A warehouse's shipments on their way, soonest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarehouseShipments {
    pub warehouse: String,
    pub name: String,
    pub total: i64,
    pub lines: Vec<ShipmentLine>,
}

/// The shipments on their way, by warehouse (in the order given), each warehouse's
/// soonest first (then in the order announced). `shipments` are (id, warehouse,
/// quantity, ETA); warehouses with none are left out.
pub fn on_the_way(
    net: &Network,
    shipments: &[(i64, String, i64, Instant)],
    now: Instant,
) -> Vec<WarehouseShipments> {
    let mut out: Vec<WarehouseShipments> = Vec::new();
    for (_, w, _, _) in shipments {
        if out.iter().any(|g| &g.warehouse == w) {
            continue;
        }
        let tz = warehouse_zone(net, w);
        let mut mine: Vec<&(i64, String, i64, Instant)> =
            shipments.iter().filter(|s| &s.1 == w).collect();
        mine.sort_by_key(|s| (s.3, s.0));
        let name = net
            .file
            .warehouses
            .iter()
            .find(|d| &d.id == w)
            .map_or_else(|| w.clone(), |d| d.name.clone());
        out.push(WarehouseShipments {
            warehouse: w.clone(),
            name,
            total: mine.iter().map(|s| s.2).sum(),
            lines: mine
                .iter()
                .map(|(id, _, q, eta)| ShipmentLine {
                    id: *id,
                    text: shipment_text(*q, *eta, &tz, now),
                    question: withdraw_question(*q, *eta, &tz, now),
                })
                .collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_network;

    fn at(s: &str) -> Instant {
        Instant::parse(s).unwrap()
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn receivers_are_own_warehouses_then_platform_ones_the_network_knows() {
        let net = test_network();
        let r = receivers(
            &net,
            &ids(&["us-3pl-nj", "nowhere"]),
            &ids(&["us-west", "us-east", "us-3pl-nj"]),
        );
        let got: Vec<(&str, bool)> = r.iter().map(|r| (r.id.as_str(), r.own)).collect();
        assert_eq!(
            got,
            [("us-3pl-nj", true), ("us-west", false), ("us-east", false)]
        );
        assert_eq!(r[0].label(), "Seller 3PL (Secaucus, NJ) · US");
    }

    #[test]
    fn quantities_are_whole_units_from_one_to_a_million() {
        assert_eq!(parse_quantity(" 500 "), Ok(500));
        assert_eq!(parse_quantity("1000000"), Ok(1_000_000));
        for (text, message) in [
            ("", "Enter how many units are on their way, like 500."),
            ("0", "A shipment holds at least 1 unit."),
            ("-5", "A shipment holds at least 1 unit."),
            ("2.5", "Count the shipment in whole units, like 500."),
            ("1,000", "Count the shipment in whole units, like 500."),
            ("lots", "Enter the quantity as a whole number, like 500."),
            (
                "1000001",
                "A shipment holds at most 1,000,000 units: split it into several.",
            ),
            (
                "99999999999999999999999",
                "A shipment holds at most 1,000,000 units: split it into several.",
            ),
        ] {
            assert_eq!(parse_quantity(text).unwrap_err(), message, "{text}");
        }
    }

    #[test]
    fn the_eta_is_the_start_of_the_day_in_the_warehouses_time_zone() {
        let net = test_network();
        let ny = warehouse_zone(&net, "us-east");
        // 03:00 UTC on 5 Dec is still 4 Dec in New York: the 5th is already "after today".
        let now = at("2026-12-05T03:00:00Z");
        assert_eq!(
            parse_eta("2026-12-05", &ny, now),
            Ok(at("2026-12-05T05:00:00Z"))
        );
        assert_eq!(
            parse_eta("2026-12-15", &ny, now),
            Ok(at("2026-12-15T05:00:00Z"))
        );
        // Summer time in New York: UTC−4.
        assert_eq!(
            parse_eta("2027-07-01", &ny, now),
            Ok(at("2027-07-01T04:00:00Z"))
        );
        let seoul = warehouse_zone(&net, "kr-local");
        assert_eq!(
            parse_eta("2026-12-15", &seoul, now),
            Ok(at("2026-12-14T15:00:00Z"))
        );
        // A warehouse the network does not know keeps UTC.
        assert_eq!(
            parse_eta("2026-12-15", &warehouse_zone(&net, "nowhere"), now),
            Ok(at("2026-12-15T00:00:00Z"))
        );
    }

    #[test]
    fn an_eta_today_or_past_or_beyond_a_year_says_what_to_choose() {
        let net = test_network();
        let ny = warehouse_zone(&net, "us-east");
        let now = at("2026-12-05T15:00:00Z");
        let err = |t: &str| parse_eta(t, &ny, now).unwrap_err();
        assert_eq!(err(""), "Choose the day it arrives at the warehouse.");
        assert_eq!(
            err("15/12/2026"),
            "\"15/12/2026\" is not a date: choose one like 2026-12-15."
        );
        assert!(err("2026-02-30").contains("is not a date"));
        for past in ["2026-12-05", "2026-11-30"] {
            assert!(err(past).starts_with("Choose a day after today"), "{past}");
        }
        assert_eq!(
            eta_bounds(&ny, now),
            (
                Date::parse("2026-12-06").unwrap(),
                Date::parse("2027-12-06").unwrap()
            )
        );
        assert!(parse_eta("2027-12-06", &ny, now).is_ok());
        assert_eq!(
            err("2027-12-07"),
            "Choose a day by Mon 6 Dec 2027: announce a shipment when it sails, at most a year ahead."
        );
        // The last day allowed is never more than a year from now, as the server checks.
        let last = parse_eta("2027-12-06", &ny, now).unwrap();
        assert!(last.unix() - now.unix() <= MAX_ETA_DAYS * DAY);
    }

    #[test]
    fn the_form_reports_every_field_at_fault_at_once() {
        let net = test_network();
        let rs = receivers(&net, &ids(&["us-3pl-nj"]), &ids(&["us-east"]));
        let now = at("2026-12-05T15:00:00Z");
        let draft = |w: &str, q: &str, e: &str| InboundDraft {
            warehouse: w.into(),
            quantity: q.into(),
            eta: e.into(),
        };
        assert_eq!(
            check(&draft("us-east", "500", "2026-12-15"), &rs, &net, now),
            Ok(InboundAsk {
                warehouse: "us-east".into(),
                quantity: 500,
                eta: at("2026-12-15T05:00:00Z"),
            })
        );
        let p = check(&draft("", "", ""), &rs, &net, now).unwrap_err();
        assert_eq!(
            p.warehouse.as_deref(),
            Some("Choose the warehouse it goes to.")
        );
        assert!(p.quantity.is_some() && p.eta.is_some());
        assert_eq!(p.first(), Some(InboundField::Warehouse));
        let p = check(&draft("cn-gz", "500", "2026-12-15"), &rs, &net, now).unwrap_err();
        assert!(p.warehouse.unwrap().contains("cannot receive sea freight"));
        let p = check(&draft("us-east", "500", "2026-12-05"), &rs, &net, now).unwrap_err();
        assert_eq!((p.warehouse.is_none(), p.quantity.is_none()), (true, true));
        assert_eq!(p.first(), Some(InboundField::Eta));
        assert_eq!(InboundField::Eta.input_id(), "inbound-eta");
    }

    #[test]
    fn server_errors_go_beside_the_field_they_name() {
        assert_eq!(
            InboundField::of_server("quantity"),
            Some(InboundField::Quantity)
        );
        assert_eq!(InboundField::of_server("eta"), Some(InboundField::Eta));
        assert_eq!(InboundField::of_server("version"), None);
        let mut p = InboundProblems::only(InboundField::Warehouse, "not yours".into());
        assert_eq!(
            p.of(InboundField::Warehouse).map(String::as_str),
            Some("not yours")
        );
        assert_eq!(p.of(InboundField::Eta), None);
        p.clear(InboundField::Warehouse);
        assert!(p.is_empty());
    }

    #[test]
    fn shipments_read_in_the_sellers_words_soonest_first() {
        let net = test_network();
        let now = at("2026-12-05T15:00:00Z");
        let list = on_the_way(
            &net,
            &[
                (9, "us-east".into(), 200, at("2027-01-12T05:00:00Z")),
                (7, "us-3pl-ca".into(), 1, at("2026-12-06T08:00:00Z")),
                (8, "us-east".into(), 500, at("2026-12-15T05:00:00Z")),
            ],
            now,
        );
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].name, "US East warehouse (Edison, NJ)");
        assert_eq!(list[0].total, 700);
        let texts: Vec<&str> = list[0].lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "500 units · arriving Tue 15 Dec (in 10 days)",
                "200 units · arriving Tue 12 Jan 2027 (in 38 days)",
            ]
        );
        assert_eq!(list[0].lines[0].id, 8);
        assert_eq!(
            list[0].lines[0].question,
            "Withdraw the shipment of 500 units arriving Tue 15 Dec? It will not become stock."
        );
        assert_eq!(
            list[1].lines[0].text,
            "1 unit · arriving Sun 6 Dec (tomorrow)"
        );
    }
}
