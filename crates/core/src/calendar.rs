//! Working-day calendars: a weekly weekend plus closed date ranges.

use crate::time::{Date, Weekday};

/// A validated calendar: which weekdays are off and which dates are closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// `weekend[i]` is true when weekday `i` (Monday = 0) is a day off.
    weekend: [bool; 7],
    /// Closed ranges as (first day, last day) in days since the epoch, sorted and merged.
    closed: Vec<(i32, i32)>,
}

/// How far a working-day walk may go before it gives up (a calendar closed for longer than
/// this is treated as not working at all).
const MAX_WALK_DAYS: i32 = 800;

impl Calendar {
    /// A calendar from its weekend and closed ranges. Refuses a weekend of all seven days.
    pub fn new(weekend: &[Weekday], closures: &[(Date, Date)]) -> Option<Calendar> {
        let mut w = [false; 7];
        for d in weekend {
            if let Some(slot) = w.get_mut(usize::from(d.index())) {
                *slot = true;
            }
        }
        if w.iter().all(|x| *x) {
            return None;
        }
        let mut closed: Vec<(i32, i32)> = closures
            .iter()
            .filter(|(a, b)| a <= b)
            .map(|(a, b)| (a.days(), b.days()))
            .collect();
        closed.sort_unstable();
        let mut merged: Vec<(i32, i32)> = Vec::with_capacity(closed.len());
        for (a, b) in closed {
            match merged.last_mut() {
                Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        Some(Calendar {
            weekend: w,
            closed: merged,
        })
    }

    /// Every day a working day.
    pub fn always_open() -> Calendar {
        Calendar {
            weekend: [false; 7],
            closed: Vec::new(),
        }
    }

    /// Whether `date` is a working day.
    pub fn is_working(&self, date: Date) -> bool {
        if self
            .weekend
            .get(usize::from(date.weekday().index()))
            .copied()
            .unwrap_or(false)
        {
            return false;
        }
        !self.is_closed(date)
    }

    /// Whether `date` falls in a closure (regardless of the weekend).
    pub fn is_closed(&self, date: Date) -> bool {
        let d = date.days();
        let idx = self.closed.partition_point(|(_, end)| *end < d);
        matches!(self.closed.get(idx), Some((start, _)) if *start <= d)
    }

    /// The first working day on or after `date`.
    pub fn on_or_after(&self, date: Date) -> Option<Date> {
        let mut d = date;
        for _ in 0..MAX_WALK_DAYS {
            if self.is_working(d) {
                return Some(d);
            }
            d = d.succ().ok()?;
        }
        None
    }

    /// The first working day strictly after `date`.
    pub fn after(&self, date: Date) -> Option<Date> {
        self.on_or_after(date.succ().ok()?)
    }

    /// `n` working days after `date`: with `n = 0` the first working day on or after
    /// `date`; otherwise the `n`-th working day strictly after it.
    pub fn add_working_days(&self, date: Date, n: u32) -> Option<Date> {
        if n == 0 {
            return self.on_or_after(date);
        }
        let mut d = date;
        for _ in 0..n {
            d = self.after(d)?;
        }
        Some(d)
    }

    /// The first date on or after `date` that is a working day and one of `days`.
    pub fn next_weekday_on_or_after(&self, date: Date, days: &[Weekday]) -> Option<Date> {
        let mut d = date;
        for _ in 0..MAX_WALK_DAYS {
            if days.contains(&d.weekday()) && self.is_working(d) {
                return Some(d);
            }
            d = d.succ().ok()?;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn us() -> Calendar {
        Calendar::new(
            &[Weekday::Sat, Weekday::Sun],
            &[
                (d("2026-11-26"), d("2026-11-26")),
                (d("2026-12-25"), d("2026-12-25")),
            ],
        )
        .unwrap()
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let cal = us();
        // Wed 2026-11-25 + 1 working day skips Thanksgiving to Fri 27.
        assert_eq!(
            cal.add_working_days(d("2026-11-25"), 1),
            Some(d("2026-11-27"))
        );
        // Fri + 1 → Mon.
        assert_eq!(
            cal.add_working_days(d("2026-11-27"), 1),
            Some(d("2026-11-30"))
        );
        // Saturday + 0 → Monday.
        assert_eq!(
            cal.add_working_days(d("2026-11-28"), 0),
            Some(d("2026-11-30"))
        );
        assert!(!cal.is_working(d("2026-12-25")));
    }

    #[test]
    fn overlapping_closures_merge() {
        let cal = Calendar::new(
            &[],
            &[
                (d("2027-02-01"), d("2027-02-10")),
                (d("2027-02-05"), d("2027-02-20")),
            ],
        )
        .unwrap();
        assert_eq!(cal.on_or_after(d("2027-02-03")), Some(d("2027-02-21")));
    }

    #[test]
    fn a_calendar_that_never_works_is_refused_or_gives_up() {
        assert!(Calendar::new(&Weekday::ALL, &[]).is_none());
        let cal = Calendar::new(&[], &[(d("2026-01-01"), d("2099-12-31"))]).unwrap();
        assert_eq!(cal.on_or_after(d("2026-06-01")), None);
    }
}
