//! Fits every leg's duration distribution from delivery history and writes it into the
//! network file.
//!
//! - **Which shipments**: those delivered before the split date, the first day of the
//!   month `train_months` (18) after the first order's month. Later orders are held out
//!   for [`crate::evaluate`].
//! - **What is measured** (the units the engine uses): handling in working days of the
//!   warehouse calendar from the day handling starts; air in calendar days from the
//!   departure the engine schedules (so bumps to later flights are part of the leg);
//!   customs in working days from landing; last mile in working days from hand-over.
//! - **Seasons**: `peak` (15 November to 31 December) and `spring-festival` (two weeks
//!   either side of each Spring Festival closure in the network's calendars). A sample
//!   belongs to a season when its leg *starts* in it, as the engine chooses. The base is
//!   fitted from the rest of the year only, so a season's slow parcels never widen the
//!   windows of ordinary weeks.
//! - **Which legs get a season**: a leg with at least [`MIN_SEASON_SAMPLES`] samples in
//!   the season gets its own distribution there when it behaves differently — a
//!   Kolmogorov–Smirnov difference from the rest of its year that is significant (1 %
//!   level) and at least 4 points. A leg with fewer samples borrows from its group (the
//!   same kind of warehouse in the same market; all air lanes; all customs; the same
//!   market's last-mile services of the same class): when the group's pooled samples
//!   differ in the season, the leg gets a seasonal distribution built on its base made
//!   later by the group's mean extra time in the season.
//! - **Smoothing and prior**: each distribution is the histogram plus [`PRIOR_WEIGHT`]
//!   pseudo-shipments spread like the prior — the hand-set distribution of the default
//!   network for a base fit (the network's own distribution for a leg the hand-set table
//!   does not know), the leg's base (made later by its group's season effect) for a
//!   season. A leg with little data stays close to its prior; a leg with none is left as
//!   it is.
//! - **Integers**: days that hold less than 0.1 % at either end are dropped, at most 60
//!   days are kept, and the weights are whole numbers summing to about 100,000 (the
//!   network allows up to 1,000,000), by largest remainders.

use std::collections::BTreeMap;

use crossdock_core::schema::{Closure, SeasonDef};
use crossdock_core::{Date, Network};

use crate::error::Error;
use crate::history::Shipment;
use crate::json::Json;
use crate::netio::Handset;
use crate::world::{add_months, spring_festival_closures};

/// Pseudo-shipments the prior counts for.
pub const PRIOR_WEIGHT: u64 = 20;
/// Fewest samples in a season before it can have its own distribution.
pub const MIN_SEASON_SAMPLES: u64 = 50;
/// What the fitted weights add up to (before dropping days that round to nothing).
pub const WEIGHT_SCALE: u64 = 100_000;
/// Share of the weight, in parts per million, that may be dropped at each end.
pub const TRIM_PPM: u64 = 1_000;
/// Longest distribution the network accepts, in days.
pub const MAX_DAYS: usize = crossdock_core::network::MAX_DIST_LEN;

pub const PEAK: &str = "peak";
pub const SPRING_FESTIVAL: &str = "spring-festival";

/// The kinds of leg, as calibration names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LegKind {
    Handling,
    Air,
    Customs,
    LastMile,
}

impl LegKind {
    pub fn label(self) -> &'static str {
        match self {
            LegKind::Handling => "handling",
            LegKind::Air => "air",
            LegKind::Customs => "customs",
            LegKind::LastMile => "last mile",
        }
    }
}

/// A fitted distribution: day `from_days + i` has weight `weights[i]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fitted {
    pub from_days: u32,
    pub weights: Vec<u32>,
}

impl Fitted {
    /// Smallest and largest day.
    pub fn range(&self) -> (u32, u32) {
        let len = u32::try_from(self.weights.len()).unwrap_or(1);
        (self.from_days, self.from_days + len.saturating_sub(1))
    }
}

/// What calibration found for one leg.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegFit {
    pub kind: LegKind,
    pub id: String,
    /// Training samples in the base fit (the rest of the year).
    pub base_samples: u64,
    pub base: Fitted,
    /// Seasons where the leg behaves differently.
    pub seasonal: Vec<SeasonFit>,
}

/// A leg's distribution for one season.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeasonFit {
    pub season: String,
    /// The leg's own samples in the season.
    pub samples: u64,
    /// Whether the season's effect was borrowed from similar legs (too few samples of
    /// its own to tell).
    pub pooled: bool,
    pub fit: Fitted,
}

/// The outcome of a calibration.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// The new network file, pretty JSON.
    pub text: String,
    /// Its version label: the input's, bumped when anything changed.
    pub version: String,
    pub split: Date,
    pub training_shipments: u64,
    pub legs: Vec<LegFit>,
    /// Legs with no training data, left as they were.
    pub untouched: Vec<(LegKind, String)>,
    pub seasons: Vec<SeasonDef>,
}

/// The order's date in the destination's time zone (the UTC date if the zone is unknown).
pub fn order_date(net: &Network, s: &Shipment) -> Date {
    net.zone_index(&s.zone)
        .and_then(|z| net.zones.get(z))
        .and_then(|z| net.time_zones.get(z.time_zone))
        .map_or_else(|| s.ordered.utc_date_minute().0, |tz| tz.date(s.ordered))
}

/// The first day of the held-out period: `train_months` after the first order's month.
pub fn split_date(net: &Network, rows: &[Shipment], train_months: u32) -> Result<Date, Error> {
    let first = rows
        .iter()
        .map(|s| order_date(net, s))
        .min()
        .ok_or_else(|| Error::Data("the history has no shipments".into()))?;
    let (y, m, _) = first.ymd();
    let month_start = Date::new(y, m, 1).map_err(|e| Error::Data(e.to_string()))?;
    add_months(month_start, train_months)
        .ok_or_else(|| Error::Data("the training period runs past the year 9999".into()))
}

/// The seasons calibration fits, for the years the network's calendars cover.
pub fn seasons(net: &Network) -> Vec<SeasonDef> {
    let years: Vec<i32> = net
        .file
        .calendars
        .iter()
        .flat_map(|c| c.closures.iter())
        .flat_map(|c| [c.from.ymd().0, c.to.ymd().0])
        .collect();
    let (lo, hi) = match (years.iter().min(), years.iter().max()) {
        (Some(a), Some(b)) => (*a, *b),
        _ => (2026, 2028),
    };
    let peak_periods = (lo..=hi)
        .filter_map(|y| {
            Some(Closure {
                from: Date::new(y, 11, 15).ok()?,
                to: Date::new(y, 12, 31).ok()?,
                name: format!("Peak weeks {y}: mid-November to New Year"),
            })
        })
        .collect();
    let sf_periods = spring_festival_closures(net)
        .into_iter()
        .filter_map(|(a, b)| {
            Some(Closure {
                from: a.add_days(-14).ok()?,
                to: b.add_days(14).ok()?,
                name: format!(
                    "Spring Festival {}: two weeks either side of the closure ({a} to {b})",
                    b.ymd().0
                ),
            })
        })
        .collect();
    vec![
        SeasonDef {
            id: PEAK.into(),
            name: "Peak weeks (Singles' Day to Christmas deliveries)".into(),
            periods: peak_periods,
        },
        SeasonDef {
            id: SPRING_FESTIVAL.into(),
            name: "Spring Festival (the rush before the closure and the backlog after it)".into(),
            periods: sf_periods,
        },
    ]
}

fn season_of(seasons: &[SeasonDef], date: Date) -> Option<usize> {
    seasons
        .iter()
        .position(|s| s.periods.iter().any(|p| p.from <= date && date <= p.to))
}

/// A leg of the network: its kind and id, the group it borrows season effects from, and
/// its prior (first day, weights).
type Leg<'a> = (LegKind, String, String, (u32, &'a [u32]));

/// Counts of durations: days → shipments.
type Counts = BTreeMap<u32, u64>;

/// Training samples of one leg: the rest of the year, and each season.
#[derive(Debug, Default, Clone)]
struct Samples {
    rest: Counts,
    seasons: Vec<Counts>,
}

/// Fits every leg of `net` from `rows` and returns the new network file.
pub fn calibrate(
    net_text: &str,
    net: &Network,
    rows: &[Shipment],
    train_months: u32,
    handset: &Handset,
) -> Result<Calibration, Error> {
    let split = split_date(net, rows, train_months)?;
    let seasons = seasons(net);
    let n_seasons = seasons.len();
    let mut samples: BTreeMap<(LegKind, String), Samples> = BTreeMap::new();
    let mut add = |kind: LegKind, id: &str, start: Date, days: u32| {
        let e = samples
            .entry((kind, id.to_string()))
            .or_insert_with(|| Samples {
                rest: Counts::new(),
                seasons: vec![Counts::new(); n_seasons],
            });
        let slot = match season_of(&seasons, start) {
            Some(i) => e.seasons.get_mut(i),
            None => Some(&mut e.rest),
        };
        if let Some(c) = slot {
            *c.entry(days).or_insert(0) += 1;
        }
    };
    let mut training = 0u64;
    for s in rows.iter().filter(|s| s.delivered < split) {
        training += 1;
        add(
            LegKind::Handling,
            &s.warehouse,
            s.handling_start,
            s.handling_days,
        );
        if let Some(a) = &s.air {
            add(LegKind::Air, &a.lane, a.scheduled_departure, a.air_days);
            add(LegKind::Customs, &s.market, a.landed, a.customs_days);
        }
        add(
            LegKind::LastMile,
            &s.last_mile,
            s.handed_over(),
            s.last_mile_days,
        );
    }
    if training == 0 {
        return Err(Error::Data(format!(
            "no shipment in the history was delivered before {split}: nothing to calibrate from"
        )));
    }

    // Every leg of the network, the group it borrows season effects from, its prior.
    let f = &net.file;
    let mut legs: Vec<Leg<'_>> = Vec::new();
    for w in &f.warehouses {
        let prior = Handset::prior(&handset.handling, &w.id, &w.handling);
        let group = format!("{:?} {}", w.kind, w.market.as_deref().unwrap_or("CN"));
        legs.push((LegKind::Handling, w.id.clone(), group, prior));
    }
    for l in &f.air_lanes {
        let prior = Handset::prior(&handset.air, &l.id, &l.transit);
        legs.push((LegKind::Air, l.id.clone(), "air".into(), prior));
    }
    for c in &f.customs {
        let prior = Handset::prior(&handset.customs, &c.market, &c.clearance);
        legs.push((LegKind::Customs, c.market.clone(), "customs".into(), prior));
    }
    for l in &f.last_mile {
        let prior = Handset::prior(&handset.last_mile, &l.id, &l.transit);
        let group = format!("{} {:?}", l.market, l.only_for);
        legs.push((LegKind::LastMile, l.id.clone(), group, prior));
    }

    // Base fits first: season effects are measured against them.
    let mut bases: Vec<Option<(Fitted, &Samples)>> = Vec::new();
    let mut untouched = Vec::new();
    for (kind, id, _, prior) in &legs {
        match samples.get(&(*kind, id.clone())) {
            Some(s) => bases.push(Some((fit(&s.rest, &to_counts(prior.0, prior.1)), s))),
            None => {
                bases.push(None);
                untouched.push((*kind, id.clone()));
            }
        }
    }
    let effects = group_effects(&legs, &bases, n_seasons);
    let mut fits = Vec::new();
    for ((kind, id, group, _), base) in legs.iter().zip(&bases) {
        if let Some((base, s)) = base {
            fits.push(fit_seasons(*kind, id, s, base.clone(), &seasons, |i| {
                effects.get(&(group.clone(), i)).copied()
            }));
        }
    }

    let mut doc = Json::parse(net_text).map_err(|e| Error::Data(format!("network file: {e}")))?;
    write_fits(&mut doc, &fits, &seasons);
    set_seasons(&mut doc, &seasons);
    // A new version label only when something changed: calibrating twice from the same
    // history gives the same file.
    let mut text = doc.to_pretty();
    let mut version = f.version.clone();
    if text != net_text {
        version = bump_version(&f.version);
        doc.set("version", Json::str(&version));
        text = doc.to_pretty();
    }
    Network::from_json(&text)
        .map_err(|e| Error::Data(format!("the calibrated network is not valid (a bug): {e}")))?;
    Ok(Calibration {
        text,
        version,
        split,
        training_shipments: training,
        legs: fits,
        untouched,
        seasons,
    })
}

fn to_counts(from: u32, weights: &[u32]) -> Counts {
    weights
        .iter()
        .enumerate()
        .map(|(i, w)| (from + u32::try_from(i).unwrap_or(0), u64::from(*w)))
        .collect()
}

/// The weighted median day of a fit.
fn median_day(f: &Fitted) -> u32 {
    let total: u64 = f.weights.iter().map(|w| u64::from(*w)).sum();
    let mut acc = 0u64;
    for (i, w) in f.weights.iter().enumerate() {
        acc += u64::from(*w);
        if 2 * acc >= total {
            return f.from_days + u32::try_from(i).unwrap_or(0);
        }
    }
    f.range().1
}

/// The mean day of a fit, in thousandths of a day.
fn mean_milli(f: &Fitted) -> i128 {
    let total: i128 = f
        .weights
        .iter()
        .map(|w| i128::from(*w))
        .sum::<i128>()
        .max(1);
    let sum: i128 = f
        .weights
        .iter()
        .enumerate()
        .map(|(i, w)| {
            i128::from(f.from_days) * 1000 * i128::from(*w)
                + i128::try_from(i).unwrap_or(0) * 1000 * i128::from(*w)
        })
        .sum();
    sum / total
}

/// For each (group, season) where the group's legs behave differently, the mean extra
/// time in the season, in thousandths of a day: how much later than its own base a leg of
/// the group runs. Differences are judged on the pooled samples, each measured from its
/// leg's base median.
fn group_effects(
    legs: &[Leg<'_>],
    bases: &[Option<(Fitted, &Samples)>],
    n_seasons: usize,
) -> BTreeMap<(String, usize), i128> {
    let mut out = BTreeMap::new();
    let groups: std::collections::BTreeSet<&String> = legs.iter().map(|l| &l.2).collect();
    for g in groups {
        for i in 0..n_seasons {
            let mut season: BTreeMap<i64, u64> = BTreeMap::new();
            let mut rest: BTreeMap<i64, u64> = BTreeMap::new();
            let (mut extra, mut n) = (0i128, 0i128);
            for (leg, base) in legs.iter().zip(bases) {
                let Some((base, s)) = base else { continue };
                if &leg.2 != g {
                    continue;
                }
                let median = i64::from(median_day(base));
                let mean = mean_milli(base);
                for (k, c) in &s.rest {
                    *rest.entry(i64::from(*k) - median).or_insert(0) += c;
                }
                if let Some(sc) = s.seasons.get(i) {
                    for (k, c) in sc {
                        *season.entry(i64::from(*k) - median).or_insert(0) += c;
                        extra += (i128::from(*k) * 1000 - mean) * i128::from(*c);
                        n += i128::from(*c);
                    }
                }
            }
            let total: u64 = season.values().sum();
            if total >= MIN_SEASON_SAMPLES && differs(&season, &rest) && n > 0 {
                out.insert((g.clone(), i), extra / n);
            }
        }
    }
    out
}

/// `base` made `milli` thousandths of a day later (or earlier, never below day 0): a mix
/// of the two whole-day shifts around it.
fn shifted(base: &Fitted, milli: i128) -> Counts {
    let whole = milli.div_euclid(1000);
    let frac = u64::try_from(milli.rem_euclid(1000)).unwrap_or(0);
    let mut out = Counts::new();
    for (i, w) in base.weights.iter().enumerate() {
        let day = i128::from(base.from_days) + i128::try_from(i).unwrap_or(0);
        for (shift, share) in [(whole, 1000 - frac), (whole + 1, frac)] {
            if share == 0 {
                continue;
            }
            let d = u32::try_from((day + shift).max(0)).unwrap_or(0);
            *out.entry(d).or_insert(0) += u64::from(*w) * share;
        }
    }
    out
}

fn fit_seasons(
    kind: LegKind,
    id: &str,
    s: &Samples,
    base: Fitted,
    seasons: &[SeasonDef],
    group_effect: impl Fn(usize) -> Option<i128>,
) -> LegFit {
    let mut seasonal = Vec::new();
    for (i, c) in s.seasons.iter().enumerate() {
        let Some(season) = seasons.get(i) else {
            continue;
        };
        let n: u64 = c.values().sum();
        let effect = group_effect(i);
        let own = n >= MIN_SEASON_SAMPLES;
        // Enough samples: the leg's own data decides. Too few: follow the group.
        let distinct = if own {
            differs(c, &s.rest)
        } else {
            effect.is_some()
        };
        if !distinct {
            continue;
        }
        let prior = shifted(&base, effect.unwrap_or(0));
        seasonal.push(SeasonFit {
            season: season.id.clone(),
            samples: n,
            pooled: !own,
            fit: fit(c, &prior),
        });
    }
    LegFit {
        kind,
        id: id.to_string(),
        base_samples: s.rest.values().sum(),
        base,
        seasonal,
    }
}

/// Whether two samples differ: a Kolmogorov–Smirnov distance significant at the 1 %
/// level (c = 1.63) and at least 4 percentage points. Exact integer arithmetic.
fn differs<K: Ord + Copy>(a: &BTreeMap<K, u64>, b: &BTreeMap<K, u64>) -> bool {
    let n1 = u128::from(a.values().sum::<u64>());
    let n2 = u128::from(b.values().sum::<u64>());
    if n1 == 0 || n2 == 0 {
        return false;
    }
    let days: std::collections::BTreeSet<K> = a.keys().chain(b.keys()).copied().collect();
    let (mut ca, mut cb) = (0u128, 0u128);
    let mut max_gap = 0u128; // |Fa − Fb| × n1 × n2
    for d in days {
        ca += u128::from(a.get(&d).copied().unwrap_or(0));
        cb += u128::from(b.get(&d).copied().unwrap_or(0));
        max_gap = max_gap.max((ca * n2).abs_diff(cb * n1));
    }
    let significant = 100 * max_gap * max_gap > 266 * (n1 + n2) * n1 * n2;
    let material = 25 * max_gap >= n1 * n2;
    significant && material
}

/// Histogram plus [`PRIOR_WEIGHT`] pseudo-samples spread like `prior`, trimmed and
/// rounded to whole weights.
pub fn fit(counts: &Counts, prior: &Counts) -> Fitted {
    let n: u128 = counts.values().map(|v| u128::from(*v)).sum();
    let p_total: u128 = prior.values().map(|v| u128::from(*v)).sum::<u128>().max(1);
    // Weight of day k: count_k / n · n/(n+α) + prior_k / P · α/(n+α), times (n+α)·P.
    let mut num: BTreeMap<u32, u128> = BTreeMap::new();
    for (k, c) in counts {
        *num.entry(*k).or_insert(0) += u128::from(*c) * p_total;
    }
    for (k, p) in prior {
        *num.entry(*k).or_insert(0) += u128::from(PRIOR_WEIGHT) * u128::from(*p);
    }
    if n == 0 && prior.is_empty() {
        return Fitted {
            from_days: 0,
            weights: vec![1],
        };
    }
    let lo = num.keys().next().copied().unwrap_or(0);
    let hi = num.keys().next_back().copied().unwrap_or(0);
    let mut dense: Vec<u128> = (lo..=hi)
        .map(|k| num.get(&k).copied().unwrap_or(0))
        .collect();
    let mut from = lo;
    // Drop days holding less than TRIM_PPM at either end.
    let total: u128 = dense.iter().sum();
    let allowance = total * u128::from(TRIM_PPM) / 1_000_000;
    let mut dropped = 0u128;
    while dense.len() > 1 {
        match dense.first() {
            Some(w) if dropped + *w <= allowance => {
                dropped += *w;
                dense.remove(0);
                from += 1;
            }
            _ => break,
        }
    }
    dropped = 0;
    while dense.len() > 1 {
        match dense.last() {
            Some(w) if dropped + *w <= allowance => {
                dropped += *w;
                dense.pop();
            }
            _ => break,
        }
    }
    // At most MAX_DAYS: drop the lighter end until it fits.
    while dense.len() > MAX_DAYS {
        let (first, last) = (
            dense.first().copied().unwrap_or(0),
            dense.last().copied().unwrap_or(0),
        );
        if first < last {
            dense.remove(0);
            from += 1;
        } else {
            dense.pop();
        }
    }
    let weights = round_weights(&dense, WEIGHT_SCALE);
    // Rounding may leave zeros at the ends: the network wants the support tight.
    let lead = weights.iter().take_while(|w| **w == 0).count();
    let trail = weights.iter().rev().take_while(|w| **w == 0).count();
    let kept: Vec<u32> = weights
        .iter()
        .skip(lead)
        .take(weights.len().saturating_sub(lead + trail))
        .copied()
        .collect();
    Fitted {
        from_days: from + u32::try_from(lead).unwrap_or(0),
        weights: if kept.is_empty() { vec![1] } else { kept },
    }
}

/// Whole weights proportional to `exact` summing to `scale`: floors, then the largest
/// remainders get one more (the earlier day on ties).
fn round_weights(exact: &[u128], scale: u64) -> Vec<u32> {
    let total: u128 = exact.iter().sum::<u128>().max(1);
    let scale = u128::from(scale);
    let mut out: Vec<u128> = exact.iter().map(|w| w * scale / total).collect();
    let used: u128 = out.iter().sum();
    let mut rems: Vec<(u128, usize)> = exact
        .iter()
        .enumerate()
        .map(|(i, w)| (w * scale % total, i))
        .collect();
    rems.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let missing = usize::try_from(scale.saturating_sub(used)).unwrap_or(0);
    for (_, i) in rems.into_iter().take(missing) {
        if let Some(v) = out.get_mut(i) {
            *v += 1;
        }
    }
    out.into_iter()
        .map(|v| u32::try_from(v).unwrap_or(u32::MAX))
        .collect()
}

/// "2026.11.1" → "2026.11.2"; a label without a trailing number gets ".1".
pub fn bump_version(v: &str) -> String {
    match v.rsplit_once('.') {
        Some((head, tail)) if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) => {
            match tail.parse::<u64>() {
                Ok(n) => format!("{head}.{}", n + 1),
                Err(_) => format!("{v}.1"),
            }
        }
        _ => format!("{v}.1"),
    }
}

fn weights_json(w: &[u32]) -> Json {
    Json::Array(w.iter().map(|x| Json::num(u64::from(*x))).collect())
}

/// The leg's new duration, keeping seasonal entries for seasons calibration does not own.
fn day_dist_json(fit: &LegFit, old: Option<&Json>, ours: &[SeasonDef]) -> Json {
    let mut seasonal: Vec<Json> = fit
        .seasonal
        .iter()
        .map(|sf| {
            Json::obj(vec![
                ("season", Json::str(&sf.season)),
                ("from_days", Json::num(u64::from(sf.fit.from_days))),
                ("weights", weights_json(&sf.fit.weights)),
            ])
        })
        .collect();
    if let Some(Json::Array(items)) = old.and_then(|o| o.get("seasonal")) {
        for item in items {
            let theirs = item
                .get("season")
                .and_then(Json::as_str)
                .is_some_and(|s| !ours.iter().any(|o| o.id == s));
            if theirs {
                seasonal.push(item.clone());
            }
        }
    }
    let mut pairs = vec![
        ("from_days", Json::num(u64::from(fit.base.from_days))),
        ("weights", weights_json(&fit.base.weights)),
    ];
    if !seasonal.is_empty() {
        pairs.push(("seasonal", Json::Array(seasonal)));
    }
    Json::obj(pairs)
}

fn write_fits(doc: &mut Json, fits: &[LegFit], seasons: &[SeasonDef]) {
    let by_key: BTreeMap<(LegKind, &str), &LegFit> =
        fits.iter().map(|f| ((f.kind, f.id.as_str()), f)).collect();
    let places: [(&str, &str, &str, LegKind); 4] = [
        ("warehouses", "id", "handling", LegKind::Handling),
        ("air_lanes", "id", "transit", LegKind::Air),
        ("customs", "market", "clearance", LegKind::Customs),
        ("last_mile", "id", "transit", LegKind::LastMile),
    ];
    for (list, key, field, kind) in places {
        let Some(items) = doc.get_mut(list).and_then(Json::as_array_mut) else {
            continue;
        };
        for item in items {
            let Some(id) = item.get(key).and_then(Json::as_str).map(str::to_string) else {
                continue;
            };
            if let Some(fit) = by_key.get(&(kind, id.as_str())) {
                let new = day_dist_json(fit, item.get(field), seasons);
                item.set(field, new);
            }
        }
    }
}

fn set_seasons(doc: &mut Json, seasons: &[SeasonDef]) {
    let ours: Vec<Json> = seasons
        .iter()
        .map(|s| {
            Json::obj(vec![
                ("id", Json::str(&s.id)),
                ("name", Json::str(&s.name)),
                (
                    "periods",
                    Json::Array(
                        s.periods
                            .iter()
                            .map(|p| {
                                Json::obj(vec![
                                    ("from", Json::str(&p.from.to_string())),
                                    ("to", Json::str(&p.to.to_string())),
                                    ("name", Json::str(&p.name)),
                                ])
                            })
                            .collect(),
                    ),
                ),
            ])
        })
        .collect();
    let mut all = ours;
    if let Some(Json::Array(items)) = doc.get("seasons") {
        for item in items {
            let id = item.get("id").and_then(Json::as_str).unwrap_or("");
            if !seasons.iter().any(|s| s.id == id) {
                all.push(item.clone());
            }
        }
    }
    doc.set("seasons", Json::Array(all));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(u32, u64)]) -> Counts {
        pairs.iter().copied().collect()
    }

    #[test]
    fn with_no_data_the_fit_is_the_prior() {
        let f = fit(&Counts::new(), &counts(&[(1, 70), (2, 30)]));
        assert_eq!(f.from_days, 1);
        assert_eq!(f.weights, vec![70_000, 30_000]);
    }

    #[test]
    fn with_much_data_the_fit_follows_the_data_and_drops_negligible_tails() {
        let data = counts(&[(3, 60_000), (4, 39_990), (9, 10)]);
        let f = fit(&data, &counts(&[(1, 50), (2, 50)]));
        assert_eq!(f.from_days, 3, "the prior's 1–2 days hold under 0.1 %");
        assert_eq!(f.range(), (3, 4));
        assert_eq!(
            f.weights.iter().map(|w| u64::from(*w)).sum::<u64>(),
            WEIGHT_SCALE
        );
    }

    #[test]
    fn rounding_keeps_the_total() {
        let w = round_weights(&[1, 1, 1], 100_000);
        assert_eq!(w, vec![33_334, 33_333, 33_333]);
    }

    #[test]
    fn seasons_differ_only_when_the_difference_is_real_and_material() {
        let a = counts(&[(1, 800), (2, 200)]);
        assert!(!differs(&a, &counts(&[(1, 790), (2, 210)])));
        assert!(differs(&a, &counts(&[(1, 500), (2, 400), (3, 100)])));
        assert!(!differs(&counts(&[(1, 5), (2, 5)]), &a), "too few to tell");
    }

    #[test]
    fn versions_are_bumped() {
        assert_eq!(bump_version("2026.11.1"), "2026.11.2");
        assert_eq!(bump_version("draft"), "draft.1");
    }
}
