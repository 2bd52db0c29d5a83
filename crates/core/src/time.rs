//! Time by meaning: [`Instant`] for events (seconds since the Unix epoch, UTC),
//! [`Date`] for delivery days (a proleptic Gregorian calendar date), and
//! [`TimeZone`] rules that turn one into the other at the edges.
//!
//! Everything is integer arithmetic on a bounded range (years 1970 through 9999),
//! so the browser and the server agree to the second. Values outside the range are
//! rejected by the constructors instead of wrapping.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// First supported day: 1970-01-01.
const MIN_DAYS: i32 = 0;
/// Last supported day: 9999-12-31.
const MAX_DAYS: i32 = 2_932_896;
const SECONDS_PER_DAY: i64 = 86_400;

/// Why a date, instant or time zone could not be built or parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    /// Outside 1970-01-01 through 9999-12-31.
    OutOfRange,
    /// The text is not a date (`YYYY-MM-DD`) or an instant (`YYYY-MM-DDTHH:MM[:SS]Z` or with an offset).
    Malformed(String),
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeError::OutOfRange => f.write_str("outside the supported years 1970 to 9999"),
            TimeError::Malformed(what) => write!(f, "{what}"),
        }
    }
}

impl std::error::Error for TimeError {}

/// Day of the week, Monday first (ISO 8601).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    /// All seven days, Monday first.
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// 0 for Monday through 6 for Sunday.
    pub fn index(self) -> u8 {
        self as u8
    }

    /// Short English name ("Tue").
    pub fn short_name(self) -> &'static str {
        match self {
            Weekday::Mon => "Mon",
            Weekday::Tue => "Tue",
            Weekday::Wed => "Wed",
            Weekday::Thu => "Thu",
            Weekday::Fri => "Fri",
            Weekday::Sat => "Sat",
            Weekday::Sun => "Sun",
        }
    }
}

/// A calendar date, stored as days since 1970-01-01. Always within 1970..=9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

impl Date {
    /// The date `year-month-day`, if it exists and is in range.
    pub fn new(year: i32, month: u8, day: u8) -> Result<Date, TimeError> {
        if !(1970..=9999).contains(&year) {
            return Err(TimeError::OutOfRange);
        }
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(TimeError::Malformed(format!(
                "{year:04}-{month:02}-{day:02} is not a calendar date"
            )));
        }
        Ok(Date(days_from_civil(year, month, day)))
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Result<Date, TimeError> {
        if days < i64::from(MIN_DAYS) || days > i64::from(MAX_DAYS) {
            return Err(TimeError::OutOfRange);
        }
        // In range, so the conversion cannot fail.
        i32::try_from(days)
            .map(Date)
            .map_err(|_| TimeError::OutOfRange)
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i32 {
        self.0
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i32, u8, u8) {
        civil_from_days(self.0)
    }

    /// Day of the week.
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday (index 3).
        let idx = (i64::from(self.0) + 3).rem_euclid(7);
        Weekday::ALL
            .get(usize::try_from(idx).unwrap_or(0))
            .copied()
            .unwrap_or(Weekday::Mon)
    }

    /// `n` calendar days later (or earlier, for negative `n`).
    pub fn add_days(self, n: i64) -> Result<Date, TimeError> {
        Date::from_days(i64::from(self.0) + n)
    }

    /// The next calendar day.
    pub fn succ(self) -> Result<Date, TimeError> {
        self.add_days(1)
    }

    /// Calendar days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i32 {
        later.0 - self.0
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Date, TimeError> {
        let bad = || TimeError::Malformed(format!("\"{s}\" is not a date: write it as YYYY-MM-DD"));
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return Err(bad());
        }
        let year = parse_digits(s.get(0..4).ok_or_else(bad)?).ok_or_else(bad)?;
        let month = parse_digits(s.get(5..7).ok_or_else(bad)?).ok_or_else(bad)?;
        let day = parse_digits(s.get(8..10).ok_or_else(bad)?).ok_or_else(bad)?;
        let year = i32::try_from(year).map_err(|_| bad())?;
        let month = u8::try_from(month).map_err(|_| bad())?;
        let day = u8::try_from(day).map_err(|_| bad())?;
        Date::new(year, month, day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A moment in time: whole seconds since 1970-01-01T00:00:00Z, within the supported years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(i64);

impl Instant {
    /// The instant `secs` seconds after the Unix epoch.
    pub fn from_unix(secs: i64) -> Result<Instant, TimeError> {
        let max = (i64::from(MAX_DAYS) + 1) * SECONDS_PER_DAY - 1;
        if !(0..=max).contains(&secs) {
            return Err(TimeError::OutOfRange);
        }
        Ok(Instant(secs))
    }

    /// Seconds since the Unix epoch.
    pub fn unix(self) -> i64 {
        self.0
    }

    /// The UTC calendar date and the minute of that day.
    pub fn utc_date_minute(self) -> (Date, u32) {
        let days = self.0.div_euclid(SECONDS_PER_DAY);
        let secs = self.0.rem_euclid(SECONDS_PER_DAY);
        // In range by construction.
        let date = Date(i32::try_from(days).unwrap_or(MAX_DAYS));
        (date, u32::try_from(secs / 60).unwrap_or(0))
    }

    /// The instant at `date` + `minute` UTC, shifted by `-offset_min` (so a local wall time
    /// with that UTC offset becomes an instant).
    pub fn from_local(date: Date, minute: u32, offset_min: i32) -> Result<Instant, TimeError> {
        let secs = i64::from(date.0) * SECONDS_PER_DAY + i64::from(minute) * 60
            - i64::from(offset_min) * 60;
        Instant::from_unix(secs)
    }

    /// `secs` seconds later (or earlier).
    pub fn add_seconds(self, secs: i64) -> Result<Instant, TimeError> {
        Instant::from_unix(self.0.checked_add(secs).ok_or(TimeError::OutOfRange)?)
    }

    /// Parses RFC 3339: `YYYY-MM-DDTHH:MM[:SS]` followed by `Z` or `±HH:MM`
    /// (fractions of a second are dropped).
    pub fn parse(s: &str) -> Result<Instant, TimeError> {
        let bad = || {
            TimeError::Malformed(format!(
                "\"{s}\" is not an instant: write it as 2026-11-24T15:30:00Z or with an offset like +09:00"
            ))
        };
        let date = Date::parse(s.get(0..10).ok_or_else(bad)?).map_err(|e| match e {
            TimeError::OutOfRange => TimeError::OutOfRange,
            TimeError::Malformed(_) => bad(),
        })?;
        let rest = s.get(10..).ok_or_else(bad)?;
        let rest = rest
            .strip_prefix('T')
            .or_else(|| rest.strip_prefix('t'))
            .or_else(|| rest.strip_prefix(' '))
            .ok_or_else(bad)?;
        let hh = parse_digits(rest.get(0..2).ok_or_else(bad)?).ok_or_else(bad)?;
        if rest.get(2..3) != Some(":") {
            return Err(bad());
        }
        let mm = parse_digits(rest.get(3..5).ok_or_else(bad)?).ok_or_else(bad)?;
        let mut tail = rest.get(5..).ok_or_else(bad)?;
        let mut ss = 0;
        if let Some(t) = tail.strip_prefix(':') {
            ss = parse_digits(t.get(0..2).ok_or_else(bad)?).ok_or_else(bad)?;
            tail = t.get(2..).ok_or_else(bad)?;
            if let Some(frac) = tail.strip_prefix('.') {
                let n = frac.bytes().take_while(u8::is_ascii_digit).count();
                if n == 0 {
                    return Err(bad());
                }
                tail = frac.get(n..).ok_or_else(bad)?;
            }
        }
        if hh > 23 || mm > 59 || ss > 60 {
            return Err(bad());
        }
        let offset_min: i64 = match tail {
            "Z" | "z" => 0,
            _ => {
                let sign = match tail.get(0..1) {
                    Some("+") => 1,
                    Some("-") => -1,
                    _ => return Err(bad()),
                };
                if tail.len() != 6 || tail.get(3..4) != Some(":") {
                    return Err(bad());
                }
                let oh = parse_digits(tail.get(1..3).ok_or_else(bad)?).ok_or_else(bad)?;
                let om = parse_digits(tail.get(4..6).ok_or_else(bad)?).ok_or_else(bad)?;
                if oh > 23 || om > 59 {
                    return Err(bad());
                }
                sign * (oh * 60 + om) as i64
            }
        };
        let secs = i64::from(date.0) * SECONDS_PER_DAY
            + (hh as i64) * 3600
            + (mm as i64) * 60
            + (ss.min(59) as i64)
            - offset_min * 60;
        Instant::from_unix(secs)
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (date, minute) = self.utc_date_minute();
        let secs = self.0.rem_euclid(60);
        write!(f, "{date}T{:02}:{:02}:{secs:02}Z", minute / 60, minute % 60)
    }
}

impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Instant::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Which occurrence of a weekday in a month a daylight-saving switch falls on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionRule {
    /// 1 to 12.
    pub month: u8,
    /// 1 to 4 for the first to fourth occurrence; 5 for the last.
    pub week: u8,
    pub weekday: Weekday,
    /// Minute of the local day (in the offset in force before the switch) it happens at.
    pub at_min: u32,
}

/// Daylight-saving time: the offset while it is on and when it starts and ends
/// (northern-hemisphere style: start earlier in the year than end).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DstRule {
    pub offset_min: i32,
    pub start: TransitionRule,
    pub end: TransitionRule,
}

/// A time zone as a rule: a standard UTC offset and optional daylight-saving time.
/// The same rule applies to every year (as a POSIX `TZ` string does).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeZone {
    /// Minutes east of UTC (-480 for Pacific standard time).
    pub std_offset_min: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dst: Option<DstRule>,
}

impl TimeZone {
    /// The UTC offset in force at `t`, in minutes.
    pub fn offset_at(&self, t: Instant) -> i32 {
        let Some(dst) = &self.dst else {
            return self.std_offset_min;
        };
        let (utc_date, _) = t.utc_date_minute();
        let (year, _, _) = utc_date.ymd();
        let start = transition_instant(year, &dst.start, self.std_offset_min);
        let end = transition_instant(year, &dst.end, dst.offset_min);
        match (start, end) {
            (Some(s), Some(e)) if s <= e => {
                if t >= s && t < e {
                    dst.offset_min
                } else {
                    self.std_offset_min
                }
            }
            // Southern-hemisphere rule: DST spans the new year.
            (Some(s), Some(e)) => {
                if t >= s || t < e {
                    dst.offset_min
                } else {
                    self.std_offset_min
                }
            }
            _ => self.std_offset_min,
        }
    }

    /// The local date and minute of the day at `t`.
    pub fn local(&self, t: Instant) -> (Date, u32) {
        let offset = i64::from(self.offset_at(t)) * 60;
        let shifted = t.0.saturating_add(offset);
        let days = shifted
            .div_euclid(SECONDS_PER_DAY)
            .clamp(i64::from(MIN_DAYS), i64::from(MAX_DAYS));
        let secs = shifted.rem_euclid(SECONDS_PER_DAY);
        (
            Date(i32::try_from(days).unwrap_or(MAX_DAYS)),
            u32::try_from(secs / 60).unwrap_or(0),
        )
    }

    /// The local calendar date at `t`.
    pub fn date(&self, t: Instant) -> Date {
        self.local(t).0
    }

    /// The instant of local wall time `minute` on `date`. A wall time skipped by a
    /// daylight-saving switch resolves to the instant after the switch; a repeated one to
    /// the earlier instant ("compatible" disambiguation).
    pub fn instant_of(&self, date: Date, minute: u32) -> Result<Instant, TimeError> {
        let std_guess = Instant::from_local(date, minute, self.std_offset_min)?;
        let Some(dst) = &self.dst else {
            return Ok(std_guess);
        };
        let dst_guess = Instant::from_local(date, minute, dst.offset_min)?;
        let std_ok = self.offset_at(std_guess) == self.std_offset_min;
        let dst_ok = self.offset_at(dst_guess) == dst.offset_min;
        Ok(match (std_ok, dst_ok) {
            (true, true) => std_guess.min(dst_guess),
            (true, false) => std_guess,
            (false, true) => dst_guess,
            // In the gap: the wall time does not exist; take the later reading.
            (false, false) => std_guess.max(dst_guess),
        })
    }
}

fn transition_instant(year: i32, rule: &TransitionRule, offset_before: i32) -> Option<Instant> {
    let date = nth_weekday(year, rule.month, rule.week, rule.weekday)?;
    Instant::from_local(date, rule.at_min, offset_before).ok()
}

/// The `week`-th `weekday` of the month (5 = the last one).
fn nth_weekday(year: i32, month: u8, week: u8, weekday: Weekday) -> Option<Date> {
    let first = Date::new(year, month, 1).ok()?;
    let shift = (i64::from(weekday.index()) - i64::from(first.weekday().index())).rem_euclid(7);
    let mut day = first.add_days(shift).ok()?;
    for _ in 1..week.clamp(1, 5) {
        let next = day.add_days(7).ok()?;
        if next.ymd().1 != month {
            break;
        }
        day = next;
    }
    Some(day)
}

fn parse_digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Howard Hinnant's `days_from_civil`.
fn days_from_civil(year: i32, month: u8, day: u8) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i32::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i32::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i32) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = if m <= 2 { y + 1 } else { y };
    (
        year,
        u8::try_from(m).unwrap_or(1),
        u8::try_from(d).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pacific() -> TimeZone {
        TimeZone {
            std_offset_min: -480,
            dst: Some(DstRule {
                offset_min: -420,
                start: TransitionRule {
                    month: 3,
                    week: 2,
                    weekday: Weekday::Sun,
                    at_min: 120,
                },
                end: TransitionRule {
                    month: 11,
                    week: 1,
                    weekday: Weekday::Sun,
                    at_min: 120,
                },
            }),
        }
    }

    #[test]
    fn dates_round_trip_through_days() {
        for days in [0, 1, 59, 365, 10_957, 20_000, 2_932_896] {
            let d = Date::from_days(days).unwrap();
            let (y, m, dd) = d.ymd();
            assert_eq!(Date::new(y, m, dd).unwrap(), d);
            assert_eq!(Date::parse(&d.to_string()).unwrap(), d);
        }
    }

    #[test]
    fn weekdays_are_known_for_fixed_dates() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().weekday(), Weekday::Thu);
        assert_eq!(Date::new(2026, 11, 26).unwrap().weekday(), Weekday::Thu);
        assert_eq!(Date::new(2027, 2, 6).unwrap().weekday(), Weekday::Sat);
    }

    #[test]
    fn instants_parse_with_offsets_and_print_in_utc() {
        let t = Instant::parse("2026-11-24T09:30:00+09:00").unwrap();
        assert_eq!(t.to_string(), "2026-11-24T00:30:00Z");
        assert_eq!(Instant::parse("2026-11-24T00:30Z").unwrap(), t);
        assert_eq!(Instant::parse("2026-11-24T00:30:00.123Z").unwrap(), t);
        assert!(Instant::parse("2026-13-24T00:30:00Z").is_err());
        assert!(Instant::parse("yesterday").is_err());
        assert_eq!(
            Instant::parse("1969-12-31T00:00:00Z"),
            Err(TimeError::OutOfRange)
        );
    }

    #[test]
    fn pacific_time_switches_on_the_second_sunday_of_march_and_first_of_november() {
        let tz = pacific();
        let winter = Instant::parse("2026-01-15T12:00:00Z").unwrap();
        let summer = Instant::parse("2026-07-15T12:00:00Z").unwrap();
        assert_eq!(tz.offset_at(winter), -480);
        assert_eq!(tz.offset_at(summer), -420);
        // 2026-03-08 02:00 PST = 10:00Z.
        assert_eq!(
            tz.offset_at(Instant::parse("2026-03-08T09:59:00Z").unwrap()),
            -480
        );
        assert_eq!(
            tz.offset_at(Instant::parse("2026-03-08T10:00:00Z").unwrap()),
            -420
        );
        // 2026-11-01 02:00 PDT = 09:00Z.
        assert_eq!(
            tz.offset_at(Instant::parse("2026-11-01T08:59:00Z").unwrap()),
            -420
        );
        assert_eq!(
            tz.offset_at(Instant::parse("2026-11-01T09:00:00Z").unwrap()),
            -480
        );
    }

    #[test]
    fn local_wall_times_resolve_in_gaps_and_folds() {
        let tz = pacific();
        let d = Date::new(2026, 7, 1).unwrap();
        assert_eq!(
            tz.instant_of(d, 16 * 60).unwrap().to_string(),
            "2026-07-01T23:00:00Z"
        );
        // 02:30 on 2026-03-08 does not exist: it reads as 03:30 PDT.
        let gap = tz.instant_of(Date::new(2026, 3, 8).unwrap(), 150).unwrap();
        assert_eq!(gap.to_string(), "2026-03-08T10:30:00Z");
        // 01:30 on 2026-11-01 happens twice: the first (PDT) is taken.
        let fold = tz.instant_of(Date::new(2026, 11, 1).unwrap(), 90).unwrap();
        assert_eq!(fold.to_string(), "2026-11-01T08:30:00Z");
        assert_eq!(tz.local(fold), (Date::new(2026, 11, 1).unwrap(), 90));
    }
}
