//! The timeline's geometry: one column per calendar day, shared by every route card so
//! routes can be compared at a glance. Views place bars with CSS grid lines.

use crossdock_core::Date;
use crossdock_core::engine::FeasibleRoute;
use crossdock_core::time::Weekday;

use super::format::month_name;

/// Longest timeline drawn, in days; later dates are clamped to its last column.
pub const MAX_DAYS: u32 = 90;

/// A run of grid columns: CSS `grid-column: start / end` (1-based, `end` exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// The inline style that places an element on this span.
    pub fn style(self) -> String {
        format!("grid-column:{}/{}", self.start, self.end)
    }
}

/// One day on the axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    pub date: Date,
    /// The day of the month, on days that carry a label (every few days, so the axis
    /// stays readable).
    pub day: Option<u8>,
    /// The month's name, on the first labelled day and where the month changes.
    pub month: Option<&'static str>,
    pub weekend: bool,
    pub today: bool,
}

/// The days a set of routes covers, from the first day any leg starts (or today) to the
/// last day any route may deliver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Axis {
    pub start: Date,
    pub days: u32,
    pub today: Date,
}

impl Axis {
    /// The axis for these routes; `None` when there are none.
    pub fn for_routes<'a>(
        today: Date,
        routes: impl IntoIterator<Item = &'a FeasibleRoute>,
    ) -> Option<Axis> {
        let mut first = today;
        let mut last: Option<Date> = None;
        for r in routes {
            for leg in &r.legs {
                first = first.min(leg.start);
                last = Some(last.map_or(leg.end_latest, |l| l.max(leg.end_latest)));
            }
            last = Some(last.map_or(r.window.latest, |l| l.max(r.window.latest)));
        }
        let last = last?.max(first);
        let days = u32::try_from(first.days_until(last) + 1)
            .ok()?
            .min(MAX_DAYS);
        Some(Axis {
            start: first,
            days,
            today,
        })
    }

    /// The 1-based column of a date, clamped to the axis.
    pub fn column(&self, d: Date) -> u32 {
        let i = i64::from(self.start.days_until(d)).clamp(0, i64::from(self.days) - 1);
        u32::try_from(i).unwrap_or(0) + 1
    }

    /// The columns from `from` through `to`, inclusive (at least one column).
    pub fn span(&self, from: Date, to: Date) -> Span {
        let a = self.column(from);
        let b = self.column(to).max(a);
        Span {
            start: a,
            end: b + 1,
        }
    }

    /// Every day of the axis, with labels every few days (at most about eight).
    pub fn ticks(&self) -> Vec<Tick> {
        let stride = match self.days {
            0..=8 => 1,
            9..=16 => 2,
            17..=28 => 4,
            _ => 7,
        };
        let mut out = Vec::new();
        let mut last_month = None;
        for i in 0..self.days {
            let Ok(date) = self.start.add_days(i64::from(i)) else {
                break;
            };
            let (_, m, d) = date.ymd();
            let labelled = i % stride == 0;
            let month = (labelled && last_month != Some(m)).then(|| month_name(m));
            if labelled {
                last_month = Some(m);
            }
            out.push(Tick {
                date,
                day: labelled.then_some(d),
                month,
                weekend: matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
                today: date == self.today,
            });
        }
        out
    }

    /// The inline style giving a grid one column per day.
    pub fn grid_style(&self) -> String {
        format!(
            "grid-template-columns:repeat({},minmax(0,1fr))",
            self.days.max(1)
        )
    }
}

/// Bar heights for the delivery-date distribution, as percentages of the tallest day
/// (at least 4 % so that a possible day stays visible).
pub fn share_heights(ppm: &[u32]) -> Vec<u32> {
    let max = ppm.iter().copied().max().unwrap_or(0).max(1);
    ppm.iter()
        .map(|p| {
            if *p == 0 {
                0
            } else {
                u32::try_from(u64::from(*p) * 100 / u64::from(max))
                    .unwrap_or(100)
                    .max(4)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn axis(start: &str, days: u32) -> Axis {
        Axis {
            start: d(start),
            days,
            today: d(start),
        }
    }

    #[test]
    fn spans_cover_both_ends_and_clamp_to_the_axis() {
        let a = axis("2026-09-15", 5);
        assert_eq!(
            a.span(d("2026-09-15"), d("2026-09-15")),
            Span { start: 1, end: 2 }
        );
        assert_eq!(
            a.span(d("2026-09-16"), d("2026-09-18")),
            Span { start: 2, end: 5 }
        );
        assert_eq!(
            a.span(d("2026-09-01"), d("2026-12-01")),
            Span { start: 1, end: 6 }
        );
        // A backwards range still draws one column.
        assert_eq!(
            a.span(d("2026-09-18"), d("2026-09-16")),
            Span { start: 4, end: 5 }
        );
        assert_eq!(
            a.span(d("2026-09-16"), d("2026-09-17")).style(),
            "grid-column:2/4"
        );
    }

    #[test]
    fn ticks_label_the_month_once_and_thin_out_on_long_axes() {
        let t = axis("2026-09-29", 4).ticks();
        let labels: Vec<_> = t.iter().map(|t| (t.day, t.month)).collect();
        assert_eq!(
            labels,
            [
                (Some(29), Some("Sep")),
                (Some(30), None),
                (Some(1), Some("Oct")),
                (Some(2), None)
            ]
        );
        assert!(t[0].today);
        assert!(!t[0].weekend);
        let long = axis("2026-09-20", 30).ticks();
        assert_eq!(long.len(), 30);
        assert_eq!(long.iter().filter(|t| t.day.is_some()).count(), 5);
        assert_eq!(long.iter().filter(|t| t.month.is_some()).count(), 2);
        assert!(long.iter().filter(|t| t.weekend).count() >= 8);
    }

    #[test]
    fn distribution_bars_scale_to_the_tallest_day() {
        assert_eq!(share_heights(&[500_000, 250_000, 1, 0]), [100, 50, 4, 0]);
        assert_eq!(share_heights(&[]), Vec::<u32>::new());
    }
}
