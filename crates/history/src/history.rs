//! The delivery history file: one CSV row per shipment, with the dates and durations of
//! each leg as the engine counts them (working days of the leg's calendar for handling,
//! customs and last mile; calendar days for air, measured from the departure the engine
//! schedules, so a parcel bumped to a later flight shows as a longer air leg).

use std::fmt::Write as _;
use std::path::Path;

use crossdock_core::engine::Mode;
use crossdock_core::{Date, Instant};

use crate::error::Error;

/// The header line, column by column.
pub const COLUMNS: [&str; 23] = [
    "id",
    "route",
    "market",
    "zone",
    "mode",
    "warehouse",
    "lane",
    "last_mile",
    "order_instant",
    "handling_start",
    "handling_days",
    "dispatched",
    "scheduled_departure",
    "actual_departure",
    "air_days",
    "landed",
    "customs_days",
    "cleared",
    "last_mile_days",
    "delivered",
    "bumps",
    "customs_hold",
    "disruption",
];

/// The air and customs legs of a fully managed shipment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AirLeg {
    pub lane: String,
    /// The departure the engine schedules for the dispatch date.
    pub scheduled_departure: Date,
    /// The flight it actually left on (later when bumped or delayed).
    pub actual_departure: Date,
    /// Calendar days from the scheduled departure to landing.
    pub air_days: u32,
    pub landed: Date,
    /// Working days of the customs calendar from landing to release.
    pub customs_days: u32,
    pub cleared: Date,
}

/// One delivered shipment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shipment {
    pub id: u64,
    /// Warehouse, line-haul and last-mile ids joined by ">" (the engine's route id).
    pub route: String,
    pub market: String,
    pub zone: String,
    pub mode: Mode,
    pub warehouse: String,
    pub last_mile: String,
    pub ordered: Instant,
    /// The day handling starts (the order date, or the next working day after cut-off).
    pub handling_start: Date,
    pub handling_days: u32,
    pub dispatched: Date,
    pub air: Option<AirLeg>,
    pub last_mile_days: u32,
    /// Delivery date in the destination's time zone.
    pub delivered: Date,
    /// Times the parcel was bumped to a later flight.
    pub bumps: u32,
    pub customs_hold: bool,
    /// Id of the disruption that hit it, if any.
    pub disruption: String,
}

impl Shipment {
    /// The date the last mile starts: customs release, or dispatch from the warehouse.
    pub fn handed_over(&self) -> Date {
        self.air.as_ref().map_or(self.dispatched, |a| a.cleared)
    }
}

pub fn mode_name(m: Mode) -> &'static str {
    match m {
        Mode::FullyManaged => "fully_managed",
        Mode::SemiManaged => "semi_managed",
        Mode::PlatformLocal => "platform_local",
    }
}

/// The mode written as in the file: `fully_managed`, `semi_managed`, `platform_local`.
pub fn parse_mode(s: &str) -> Option<Mode> {
    Mode::ALL.into_iter().find(|m| mode_name(*m) == s)
}

/// The history as CSV text.
pub fn to_csv(rows: &[Shipment]) -> String {
    let mut out = String::with_capacity(rows.len() * 200 + 300);
    out.push_str(&COLUMNS.join(","));
    out.push('\n');
    let opt_date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    for s in rows {
        let a = s.air.as_ref();
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            s.id,
            s.route,
            s.market,
            s.zone,
            mode_name(s.mode),
            s.warehouse,
            a.map(|a| a.lane.as_str()).unwrap_or(""),
            s.last_mile,
            s.ordered,
            s.handling_start,
            s.handling_days,
            s.dispatched,
            opt_date(a.map(|a| a.scheduled_departure)),
            opt_date(a.map(|a| a.actual_departure)),
            a.map(|a| a.air_days.to_string()).unwrap_or_default(),
            opt_date(a.map(|a| a.landed)),
            a.map(|a| a.customs_days.to_string()).unwrap_or_default(),
            opt_date(a.map(|a| a.cleared)),
            s.last_mile_days,
            s.delivered,
            s.bumps,
            u8::from(s.customs_hold),
            s.disruption,
        );
    }
    out
}

pub fn write(path: &Path, rows: &[Shipment]) -> Result<(), Error> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::write(path, to_csv(rows)).map_err(|e| Error::io(path, e))
}

pub fn read(path: &Path) -> Result<Vec<Shipment>, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse(&text).map_err(|(line, message)| Error::Csv {
        path: path.to_path_buf(),
        line,
        message,
    })
}

/// Parses CSV text; an error carries the 1-based line and what is wrong.
pub fn parse(text: &str) -> Result<Vec<Shipment>, (usize, String)> {
    let mut lines = text.lines().enumerate();
    let header = lines
        .next()
        .map(|(_, l)| l.trim_end_matches('\r'))
        .ok_or((1, "the file is empty: expected a header line".to_string()))?;
    if header != COLUMNS.join(",") {
        return Err((
            1,
            format!(
                "not a Crossdock delivery history: the header should be {}",
                COLUMNS.join(",")
            ),
        ));
    }
    let mut rows = Vec::new();
    for (i, line) in lines {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        rows.push(parse_row(line).map_err(|m| (i + 1, m))?);
    }
    Ok(rows)
}

fn parse_row(line: &str) -> Result<Shipment, String> {
    let f: Vec<&str> = line.split(',').collect();
    if f.len() != COLUMNS.len() {
        return Err(format!("{} fields, expected {}", f.len(), COLUMNS.len()));
    }
    let field = |i: usize| -> &str { f.get(i).copied().unwrap_or("") };
    let col = |i: usize| COLUMNS.get(i).copied().unwrap_or("?");
    let text = |i: usize| -> Result<String, String> {
        let v = field(i);
        if v.is_empty() {
            Err(format!("{} is empty", col(i)))
        } else {
            Ok(v.to_string())
        }
    };
    let num = |i: usize| -> Result<u32, String> {
        field(i)
            .parse::<u32>()
            .map_err(|_| format!("{} \"{}\" is not a whole number", col(i), field(i)))
    };
    let date = |i: usize| -> Result<Date, String> {
        Date::parse(field(i)).map_err(|e| format!("{}: {e}", col(i)))
    };
    let id = field(0)
        .parse::<u64>()
        .map_err(|_| format!("id \"{}\" is not a whole number", field(0)))?;
    let mode = parse_mode(field(4)).ok_or_else(|| {
        format!(
            "mode \"{}\" is not fully_managed, semi_managed or platform_local",
            field(4)
        )
    })?;
    let ordered = Instant::parse(field(8)).map_err(|e| format!("order_instant: {e}"))?;
    let air = if field(6).is_empty() {
        None
    } else {
        Some(AirLeg {
            lane: text(6)?,
            scheduled_departure: date(12)?,
            actual_departure: date(13)?,
            air_days: num(14)?,
            landed: date(15)?,
            customs_days: num(16)?,
            cleared: date(17)?,
        })
    };
    if (mode == Mode::FullyManaged) != air.is_some() {
        return Err(
            "a fully managed shipment needs a lane, and only a fully managed one".to_string(),
        );
    }
    Ok(Shipment {
        id,
        route: text(1)?,
        market: text(2)?,
        zone: text(3)?,
        mode,
        warehouse: text(5)?,
        last_mile: text(7)?,
        ordered,
        handling_start: date(9)?,
        handling_days: num(10)?,
        dispatched: date(11)?,
        air,
        last_mile_days: num(18)?,
        delivered: date(19)?,
        bumps: num(20)?,
        customs_hold: match field(21) {
            "0" => false,
            "1" => true,
            other => return Err(format!("customs_hold \"{other}\" is not 0 or 1")),
        },
        disruption: field(22).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Shipment {
        Shipment {
            id: 7,
            route: "cn-gz>air-cn-us-west>lm-us-pac-c1-express".into(),
            market: "US".into(),
            zone: "us-pac".into(),
            mode: Mode::FullyManaged,
            warehouse: "cn-gz".into(),
            last_mile: "lm-us-pac-c1-express".into(),
            ordered: Instant::parse("2026-09-15T02:00:00Z").unwrap(),
            handling_start: Date::parse("2026-09-15").unwrap(),
            handling_days: 0,
            dispatched: Date::parse("2026-09-15").unwrap(),
            air: Some(AirLeg {
                lane: "air-cn-us-west".into(),
                scheduled_departure: Date::parse("2026-09-16").unwrap(),
                actual_departure: Date::parse("2026-09-17").unwrap(),
                air_days: 3,
                landed: Date::parse("2026-09-19").unwrap(),
                customs_days: 1,
                cleared: Date::parse("2026-09-22").unwrap(),
            }),
            last_mile_days: 1,
            delivered: Date::parse("2026-09-23").unwrap(),
            bumps: 1,
            customs_hold: false,
            disruption: String::new(),
        }
    }

    #[test]
    fn rows_round_trip_through_csv() {
        let rows = vec![sample()];
        assert_eq!(parse(&to_csv(&rows)).unwrap(), rows);
    }

    #[test]
    fn a_bad_row_names_its_line_and_column() {
        let text = to_csv(&[sample()]).replace("2026-09-23", "2026-09-31");
        let (line, msg) = parse(&text).unwrap_err();
        assert_eq!(line, 2);
        assert!(msg.starts_with("delivered:"), "{msg}");
        let (line, msg) = parse("id,route\n").unwrap_err();
        assert_eq!(line, 1);
        assert!(msg.contains("header"), "{msg}");
    }
}
