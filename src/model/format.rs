//! Text for the shopper: dates, windows, countdowns, weights and durations. Plain
//! functions on the engine's integer types, so they are tested natively; money goes
//! through the browser's `Intl.NumberFormat` (see [`crate::browser::format_money`]).

use crossdock_core::engine::{DayUnit, LegKind};
use crossdock_core::{Date, Instant};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "Sep" for month 9.
/// `s` with its first letter in capitals. ASCII only: the app's words are English, and
/// Unicode case tables would add 26 KB to every page's wasm.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

pub fn month_name(month: u8) -> &'static str {
    MONTHS
        .get(usize::from(month).wrapping_sub(1))
        .copied()
        .unwrap_or("")
}

/// "Tue 22 Sep", with the year ("Mon 3 Jan 2028") when it is not `ref_year`.
pub fn short_date(d: Date, ref_year: i32) -> String {
    let (y, m, day) = d.ymd();
    let wd = d.weekday().short_name();
    if y == ref_year {
        format!("{wd} {day} {}", month_name(m))
    } else {
        format!("{wd} {day} {} {y}", month_name(m))
    }
}

/// A delivery window: "Tue 22 Sep – Thu 24 Sep", or one date when it is a single day.
/// Years are shown only when they differ from `ref_year` (today's year).
pub fn window_text(earliest: Date, latest: Date, ref_year: i32) -> String {
    if earliest == latest {
        short_date(earliest, ref_year)
    } else {
        format!(
            "{} – {}",
            short_date(earliest, ref_year),
            short_date(latest, ref_year)
        )
    }
}

/// Basis points as a whole percentage, rounded down so the figure never overstates the
/// promise: 9750 → "97 %" (with a no-break space).
pub fn percent_text(bp: u32) -> String {
    format!("{}\u{a0}%", bp / 100)
}

/// Time left until a cut-off, rounded down: "3 h 12 min", "2 d 4 h", "45 min",
/// "less than a minute".
pub fn countdown_text(secs: i64) -> String {
    let secs = secs.max(0);
    let days = secs / 86_400;
    let hours = (secs % 86_400) / 3600;
    let mins = (secs % 3600) / 60;
    if days > 0 {
        if hours > 0 {
            format!("{days}\u{a0}d {hours}\u{a0}h")
        } else {
            format!("{days}\u{a0}d")
        }
    } else if hours > 0 {
        if mins > 0 {
            format!("{hours}\u{a0}h {mins}\u{a0}min")
        } else {
            format!("{hours}\u{a0}h")
        }
    } else if mins > 0 {
        format!("{mins}\u{a0}min")
    } else {
        "less than a minute".to_string()
    }
}

/// A leg's duration: "1–2 working days", "1 day", "same day".
pub fn days_text(min: u32, max: u32, unit: DayUnit) -> String {
    let noun = |n: u32| match (unit, n == 1) {
        (DayUnit::WorkingDays, true) => "working day",
        (DayUnit::WorkingDays, false) => "working days",
        (DayUnit::CalendarDays, true) => "day",
        (DayUnit::CalendarDays, false) => "days",
    };
    if max == 0 {
        "same day".to_string()
    } else if min == max {
        format!("{min} {}", noun(min))
    } else {
        format!("{min}–{max} {}", noun(max))
    }
}

/// What a leg is, in two words.
pub fn leg_kind_text(kind: LegKind) -> &'static str {
    match kind {
        LegKind::Handling => "Handling",
        LegKind::AirFreight => "Air freight",
        LegKind::Customs => "Customs",
        LegKind::LastMile => "Last mile",
    }
}

/// `value / 10^digits` without trailing zeros: (1500, 3) → "1.5", (45000, 3) → "45".
fn scaled(value: u64, digits: u32) -> String {
    let scale = 10u64.pow(digits);
    let whole = value / scale;
    let frac = value % scale;
    if frac == 0 {
        return whole.to_string();
    }
    let frac = format!("{frac:0width$}", width = digits as usize);
    format!("{whole}.{}", frac.trim_end_matches('0'))
}

/// Grams for people: "750 g", "1.5 kg", "45 kg".
pub fn weight_text(grams: u64) -> String {
    if grams < 1000 {
        format!("{grams}\u{a0}g")
    } else {
        format!("{}\u{a0}kg", scaled(grams, 3))
    }
}

/// Millimetre dimensions as centimetres: "18 × 10 × 2 cm".
pub fn dims_text(dims_mm: [u32; 3]) -> String {
    let [l, w, h] = dims_mm.map(|v| scaled(u64::from(v), 1));
    format!("{l} × {w} × {h}\u{a0}cm")
}

/// "14:00" for minute 840 of a day.
pub fn clock_text(minute_of_day: u32) -> String {
    format!("{:02}:{:02}", minute_of_day / 60 % 24, minute_of_day % 60)
}

/// A UTC offset in minutes: "UTC+01:00", "UTC−08:00", "UTC".
pub fn offset_text(offset_min: i32) -> String {
    if offset_min == 0 {
        return "UTC".to_string();
    }
    let sign = if offset_min < 0 { '−' } else { '+' };
    let a = offset_min.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", a / 60, a % 60)
}

/// The wall-clock reading of `t` at UTC offset `offset_min`: (date, minute of the day).
pub fn wall_clock(t: Instant, offset_min: i32) -> Option<(Date, u32)> {
    let secs = t.unix().checked_add(i64::from(offset_min) * 60)?;
    let date = Date::from_days(secs.div_euclid(86_400)).ok()?;
    let minute = u32::try_from(secs.rem_euclid(86_400) / 60).ok()?;
    Some((date, minute))
}

/// "Tue 15 Sep 2026, 20:59" for `t` at `offset_min`.
pub fn date_time_text(t: Instant, offset_min: i32) -> String {
    match wall_clock(t, offset_min) {
        Some((d, m)) => {
            let (y, mo, day) = d.ymd();
            let wd = d.weekday().short_name();
            format!("{wd} {day} {} {y}, {}", month_name(mo), clock_text(m))
        }
        None => t.to_string(),
    }
}

/// The value of an `<input type="datetime-local">` showing `t` at `offset_min`:
/// "2026-09-15T20:59".
pub fn datetime_local_value(t: Instant, offset_min: i32) -> String {
    match wall_clock(t, offset_min) {
        Some((d, m)) => format!("{d}T{}", clock_text(m)),
        None => String::new(),
    }
}

/// Reads an `<input type="datetime-local">` value ("2026-09-15T20:59", seconds optional)
/// as a wall-clock time at the UTC offset that `offset_at` gives for an instant (the
/// browser's zone, or `|_| 0` for UTC). `Ok(None)` for an empty field.
pub fn parse_datetime_local(
    value: &str,
    offset_at: impl Fn(i64) -> i32,
) -> Result<Option<Instant>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let wall = Instant::parse(&format!("{value}Z")).map_err(|e| match e {
        crossdock_core::time::TimeError::OutOfRange => {
            "Choose a date between 1970 and 9999.".to_string()
        }
        crossdock_core::time::TimeError::Malformed(_) => {
            format!("\"{value}\" is not a date and time.")
        }
    })?;
    let w = wall.unix();
    // The offset at the wall time read as UTC is a first guess; the offset at the guessed
    // instant is right except inside a daylight-saving jump.
    let guess = w - i64::from(offset_at(w)) * 60;
    let t = w - i64::from(offset_at(guess)) * 60;
    Instant::from_unix(t)
        .map(Some)
        .map_err(|_| "Choose a date between 1970 and 9999.".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn windows_read_as_weekday_day_month() {
        let cases = [
            ("2026-09-22", "2026-09-24", 2026, "Tue 22 Sep – Thu 24 Sep"),
            ("2026-09-16", "2026-09-16", 2026, "Wed 16 Sep"),
            (
                "2027-12-30",
                "2028-01-03",
                2027,
                "Thu 30 Dec – Mon 3 Jan 2028",
            ),
            (
                "2026-12-01",
                "2026-12-03",
                2025,
                "Tue 1 Dec 2026 – Thu 3 Dec 2026",
            ),
        ];
        for (a, b, year, want) in cases {
            assert_eq!(window_text(d(a), d(b), year), want);
        }
    }

    #[test]
    fn countdowns_round_down_and_drop_zero_parts() {
        let cases = [
            (0, "less than a minute"),
            (-5, "less than a minute"),
            (59, "less than a minute"),
            (60, "1\u{a0}min"),
            (3 * 3600 + 12 * 60 + 59, "3\u{a0}h 12\u{a0}min"),
            (2 * 3600, "2\u{a0}h"),
            (86_400 + 4 * 3600 + 1, "1\u{a0}d 4\u{a0}h"),
            (2 * 86_400 + 59, "2\u{a0}d"),
        ];
        for (secs, want) in cases {
            assert_eq!(countdown_text(secs), want, "{secs}");
        }
    }

    #[test]
    fn percentages_never_overstate() {
        assert_eq!(percent_text(9750), "97\u{a0}%");
        assert_eq!(percent_text(10_000), "100\u{a0}%");
        assert_eq!(percent_text(9699), "96\u{a0}%");
    }

    #[test]
    fn durations_weights_and_sizes_read_naturally() {
        assert_eq!(days_text(1, 2, DayUnit::WorkingDays), "1–2 working days");
        assert_eq!(days_text(1, 1, DayUnit::WorkingDays), "1 working day");
        assert_eq!(days_text(3, 3, DayUnit::CalendarDays), "3 days");
        assert_eq!(days_text(0, 0, DayUnit::CalendarDays), "same day");
        assert_eq!(days_text(0, 1, DayUnit::CalendarDays), "0–1 day");
        assert_eq!(weight_text(750), "750\u{a0}g");
        assert_eq!(weight_text(1500), "1.5\u{a0}kg");
        assert_eq!(weight_text(45_000), "45\u{a0}kg");
        assert_eq!(weight_text(1005), "1.005\u{a0}kg");
        assert_eq!(dims_text([180, 100, 25]), "18 × 10 × 2.5\u{a0}cm");
        assert_eq!(clock_text(840), "14:00");
        assert_eq!(offset_text(60), "UTC+01:00");
        assert_eq!(offset_text(-480), "UTC−08:00");
        assert_eq!(offset_text(330), "UTC+05:30");
        assert_eq!(offset_text(0), "UTC");
    }

    #[test]
    fn datetime_local_values_round_trip_in_utc_and_at_an_offset() {
        let t = Instant::parse("2026-09-15T20:59:00Z").unwrap();
        assert_eq!(datetime_local_value(t, 0), "2026-09-15T20:59");
        assert_eq!(datetime_local_value(t, 120), "2026-09-15T22:59");
        assert_eq!(parse_datetime_local("2026-09-15T20:59", |_| 0), Ok(Some(t)));
        assert_eq!(
            parse_datetime_local("2026-09-15T22:59", |_| 120),
            Ok(Some(t))
        );
        assert_eq!(
            parse_datetime_local("2026-09-15T13:59", |_| -420),
            Ok(Some(t))
        );
        assert_eq!(
            parse_datetime_local("2026-09-15T20:59:30", |_| 0),
            Ok(Some(Instant::parse("2026-09-15T20:59:30Z").unwrap()))
        );
        assert_eq!(parse_datetime_local("  ", |_| 0), Ok(None));
        assert!(parse_datetime_local("tomorrow", |_| 0).is_err());
        assert_eq!(
            parse_datetime_local("1969-12-31T23:00", |_| 0),
            Err("Choose a date between 1970 and 9999.".to_string())
        );
        // 1970-01-01 00:30 at UTC+01:00 is before the epoch.
        assert!(parse_datetime_local("1970-01-01T00:30", |_| 60).is_err());
        assert_eq!(date_time_text(t, 0), "Tue 15 Sep 2026, 20:59");
    }
}
