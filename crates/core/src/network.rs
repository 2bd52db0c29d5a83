//! The network: warehouses, lanes, rate cards, calendars, markets and FX, read from the
//! network file and validated once, with every problem named by its place in the file
//! (`air_lanes[2].origins[0]: unknown warehouse "cn-xx"`).
//!
//! After validation every cross-reference is an index, so the engine never looks up an id
//! that might be missing.

use std::collections::BTreeMap;
use std::fmt;

use sha2::{Digest, Sha256};

use crate::calendar::Calendar;
use crate::money::{Currency, CurrencyCode, FX_SCALE, Money, parse_decimal_scaled};
use crate::postal::{PostalMatcher, PrefixRule};
use crate::schema::{DayDist, NetworkFile, WarehouseKind};
use crate::time::{Date, TimeZone};

/// Largest total weight of one leg's distribution. Keeps the product of a route's legs
/// (at most six) exact in `u128`.
pub const MAX_DIST_TOTAL: u64 = 1_000_000;
/// Longest leg distribution, in days.
pub const MAX_DIST_LEN: usize = 60;

/// One thing wrong with a network file: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Why a network file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkError {
    /// Not JSON of the right shape ([`crate::json`]'s message names the place in the file,
    /// the line and the column).
    Syntax(String),
    /// Well-formed, but inconsistent: every problem found.
    Invalid(Vec<Problem>),
}

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkError::Syntax(msg) => write!(f, "the network file is not valid: {msg}"),
            NetworkError::Invalid(problems) => {
                write!(f, "the network file has {} problem(s):", problems.len())?;
                for p in problems {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for NetworkError {}

/// A leg duration, validated: `weights` non-empty with a positive total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dist {
    pub from_days: u32,
    pub weights: Vec<u64>,
    pub total: u64,
}

impl Dist {
    /// Smallest and largest day with a positive weight.
    pub fn range(&self) -> (u32, u32) {
        let first = self.weights.iter().position(|w| *w > 0).unwrap_or(0);
        let last = self.weights.iter().rposition(|w| *w > 0).unwrap_or(0);
        (
            self.from_days
                .saturating_add(u32::try_from(first).unwrap_or(0)),
            self.from_days
                .saturating_add(u32::try_from(last).unwrap_or(0)),
        )
    }

    /// (days, weight) pairs with a positive weight.
    pub fn points(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.weights
            .iter()
            .enumerate()
            .filter(|(_, w)| **w > 0)
            .map(|(i, w)| {
                (
                    self.from_days.saturating_add(u32::try_from(i).unwrap_or(0)),
                    *w,
                )
            })
    }
}

/// A leg's duration: the usual distribution and the ones that replace it in seasons.
///
/// When a season ends, or any time the scheduled distribution for a start date is faster
/// than the day before's, a leg starting one day later could end earlier — and a later
/// order would get an earlier window. [`LegDist::settle`] prevents that: for the days
/// after such a change it keeps "settling" distributions, each the latest (in the
/// stochastic order) of the scheduled one and the day before's shifted by the day that
/// passed, until the scheduled distribution is no longer the earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegDist {
    pub base: Dist,
    /// (season index, distribution), in file order.
    pub seasonal: Vec<(usize, Dist)>,
    /// (day since the epoch, distribution) for start days that settle a change, sorted.
    pub settling: Vec<(i32, Dist)>,
}

/// How a leg counts its days, for [`LegDist::settle`].
#[derive(Debug, Clone, Copy)]
pub enum DayCount<'a> {
    /// Calendar days: starting a day later moves every end a day later.
    Calendar,
    /// Working days of this calendar: starting a day later moves the end by one working
    /// day only when that day is a working day.
    Working(&'a Calendar),
}

/// Longest a settling run may last, in days (distributions are at most 60 days long).
const MAX_SETTLING_DAYS: i32 = 400;

impl LegDist {
    /// The distribution for a leg starting on `date`.
    pub fn at<'a>(&'a self, seasons: &[Vec<(i32, i32)>], date: Date) -> &'a Dist {
        let d = date.days();
        if !self.settling.is_empty()
            && let Ok(i) = self.settling.binary_search_by_key(&d, |(day, _)| *day)
            && let Some((_, dist)) = self.settling.get(i)
        {
            return dist;
        }
        self.scheduled(seasons, d)
    }

    /// The distribution the file gives for a leg starting on day `d` (since the epoch):
    /// the first listed season covering it, else the base.
    fn scheduled<'a>(&'a self, seasons: &[Vec<(i32, i32)>], d: i32) -> &'a Dist {
        self.seasonal
            .iter()
            .find(|(s, _)| {
                seasons
                    .get(*s)
                    .is_some_and(|ps| ps.iter().any(|(a, b)| *a <= d && d <= *b))
            })
            .map_or(&self.base, |(_, dist)| dist)
    }

    /// Puts the base and every seasonal distribution on one total. The engine weighs each
    /// possible start date by the raw weights of the distribution chosen for it, so
    /// distributions chosen for different start dates must add up to the same total, or
    /// dates either side of a season boundary would count for more than they should.
    /// Exact (the least common multiple) when it stays within [`MAX_DIST_TOTAL`];
    /// otherwise every distribution is rounded to the largest total, cumulatively and
    /// downwards (moving weight later, never earlier).
    fn share_one_total(&mut self) {
        if self
            .seasonal
            .iter()
            .all(|(_, d)| d.total == self.base.total)
        {
            return;
        }
        let largest = self
            .seasonal
            .iter()
            .map(|(_, d)| d.total)
            .fold(self.base.total, u64::max);
        let mut common = self.base.total;
        for (_, d) in &self.seasonal {
            common = lcm(common, d.total).unwrap_or(u64::MAX);
        }
        let total = if common <= MAX_DIST_TOTAL {
            common
        } else {
            largest
        };
        self.base = rescaled(&self.base, total);
        for (_, d) in &mut self.seasonal {
            *d = rescaled(d, total);
        }
    }

    /// Computes `settling` so that, for every start day `d`, a leg starting on `d` ends
    /// no earlier than one starting on `d − 1` (quantile by quantile), whatever the
    /// seasons do. Only legs with seasonal distributions need it.
    pub fn settle(&mut self, seasons: &[Vec<(i32, i32)>], count: DayCount<'_>) {
        self.settling.clear();
        let mut edges: Vec<i32> = self
            .seasonal
            .iter()
            .filter_map(|(s, _)| seasons.get(*s))
            .flatten()
            .flat_map(|(a, b)| [*a, b.saturating_add(1)])
            .collect();
        edges.sort_unstable();
        edges.dedup();
        let mut out: Vec<(i32, Dist)> = Vec::new();
        // The last day already examined.
        let mut examined = i32::MIN;
        for edge in edges {
            if edge <= examined {
                continue;
            }
            let mut prev = self.scheduled(seasons, edge.saturating_sub(1)).clone();
            let mut d = edge;
            while d < edge.saturating_add(MAX_SETTLING_DAYS) {
                let shift = match count {
                    DayCount::Calendar => 1,
                    DayCount::Working(cal) => Date::from_days(i64::from(d))
                        .map_or(1, |date| u32::from(cal.is_working(date))),
                };
                match no_earlier_than(self.scheduled(seasons, d), &prev, shift) {
                    None => break,
                    Some(q) => {
                        out.push((d, q.clone()));
                        prev = q;
                    }
                }
                d = d.saturating_add(1);
            }
            examined = d;
        }
        self.settling = out;
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn lcm(a: u64, b: u64) -> Option<u64> {
    (a / gcd(a, b).max(1)).checked_mul(b)
}

/// `dist` with weights summing to `total`: multiplied when `total` is a multiple of its
/// own, otherwise rounded cumulatively and downwards.
fn rescaled(dist: &Dist, total: u64) -> Dist {
    let own = dist.total.max(1);
    let weights = if total.is_multiple_of(own) {
        dist.weights.iter().map(|w| w * (total / own)).collect()
    } else {
        let (mut acc, mut below) = (0u128, 0u128);
        dist.weights
            .iter()
            .map(|w| {
                acc += u128::from(*w);
                let g = acc * u128::from(total) / u128::from(own);
                let out = u64::try_from(g - below).unwrap_or(0);
                below = g;
                out
            })
            .collect()
    };
    Dist {
        from_days: dist.from_days,
        weights,
        total,
    }
}

/// Weight of each day `0..=last` of `dist`, cumulated.
fn cumulative(dist: &Dist, last: u32) -> Vec<u128> {
    let mut acc = 0u128;
    (0..=last)
        .map(|k| {
            if k >= dist.from_days {
                let i = usize::try_from(k - dist.from_days).unwrap_or(usize::MAX);
                acc += u128::from(dist.weights.get(i).copied().unwrap_or(0));
            }
            acc
        })
        .collect()
}

/// `None` when `target` already ends no earlier than `prev` shortened by `shift` days;
/// otherwise the latest of the two in the stochastic order (its cumulative distribution
/// the lower of theirs at every day), rounded down to weights summing to `target`'s
/// total — rounding down moves weight later, never earlier.
fn no_earlier_than(target: &Dist, prev: &Dist, shift: u32) -> Option<Dist> {
    let last = target.range().1.max(prev.range().1);
    let ft = cumulative(target, last);
    let fp = cumulative(prev, last.saturating_add(shift));
    let (tt, tp) = (u128::from(target.total), u128::from(prev.total));
    // prev shortened by `shift`: P(max(0, K − shift) ≤ k) = P(K ≤ k + shift).
    let fp_at = |k: u32| -> u128 {
        let i = usize::try_from(k.saturating_add(shift)).unwrap_or(usize::MAX);
        fp.get(i).copied().unwrap_or(tp)
    };
    let already_later = ft.iter().zip(0u32..).all(|(f, k)| f * tp <= fp_at(k) * tt);
    if already_later {
        return None;
    }
    // The leg's common total (see `share_one_total`), so start dates keep their weight.
    let scale = tt;
    let mut weights = Vec::with_capacity(ft.len());
    let mut below = 0u128;
    for (f, k) in ft.iter().zip(0u32..) {
        let g = if k == last {
            scale
        } else {
            (f * scale / tt.max(1)).min(fp_at(k) * scale / tp.max(1))
        };
        let g = g.max(below);
        weights.push(u64::try_from(g - below).unwrap_or(0));
        below = g;
    }
    let first = weights.iter().position(|w| *w > 0).unwrap_or(0);
    let weights: Vec<u64> = weights.into_iter().skip(first).collect();
    Some(Dist {
        from_days: u32::try_from(first).unwrap_or(0),
        weights,
        total: target.total,
    })
}

/// A market with its resolved references.
#[derive(Debug, Clone)]
pub struct Market {
    pub currency: Currency,
    pub zones: Vec<usize>,
    pub default_zone: usize,
    pub postal: PostalMatcher,
}

/// A delivery zone.
#[derive(Debug, Clone)]
pub struct Zone {
    pub id: String,
    pub name: String,
    pub market: usize,
    pub time_zone: usize,
    pub prefixes: Vec<PrefixRule>,
}

#[derive(Debug, Clone)]
pub struct Warehouse {
    pub market: Option<usize>,
    pub zone: Option<usize>,
    pub time_zone: usize,
    pub calendar: usize,
    pub handling: LegDist,
    pub fee_currency: Currency,
}

#[derive(Debug, Clone)]
pub struct AirLane {
    pub origins: Vec<usize>,
    pub market: usize,
    pub gateway_zone: usize,
    pub calendar: usize,
    pub transit: LegDist,
    pub currency: Currency,
}

#[derive(Debug, Clone)]
pub struct SeaLane {
    pub origins: Vec<usize>,
    pub destinations: Vec<usize>,
    pub currency: Currency,
    pub transit: LegDist,
}

#[derive(Debug, Clone)]
pub struct Customs {
    pub calendar: usize,
    pub clearance: LegDist,
    pub currency: Currency,
    pub fee_per_shipment_minor: i64,
}

#[derive(Debug, Clone)]
pub struct LastMile {
    pub market: usize,
    pub from_zones: Vec<usize>,
    pub to_zones: Vec<usize>,
    pub calendar: usize,
    pub transit: LegDist,
    pub currency: Currency,
}

/// A validated, indexed network. Build it with [`Network::from_json`].
#[derive(Debug, Clone)]
pub struct Network {
    pub file: NetworkFile,
    hash: String,
    pub currencies: BTreeMap<CurrencyCode, Currency>,
    /// Units of each currency per one unit of the base, in millionths.
    pub fx_micro: BTreeMap<CurrencyCode, i64>,
    pub time_zones: Vec<TimeZone>,
    pub calendars: Vec<Calendar>,
    pub markets: Vec<Market>,
    pub zones: Vec<Zone>,
    pub warehouses: Vec<Warehouse>,
    pub air_lanes: Vec<AirLane>,
    pub sea_lanes: Vec<SeaLane>,
    /// Customs per market index.
    pub customs: Vec<Option<Customs>>,
    pub last_mile: Vec<LastMile>,
    /// Each season's periods as inclusive (first, last) days since the epoch.
    pub seasons: Vec<Vec<(i32, i32)>>,
    market_ids: BTreeMap<String, usize>,
    zone_ids: BTreeMap<String, usize>,
    warehouse_ids: BTreeMap<String, usize>,
    category_ids: BTreeMap<String, usize>,
}

impl Network {
    /// Reads and validates a network file. The content hash is the SHA-256 of `text`.
    /// Read with [`crate::json`], not serde, so the browser's wasm carries no serde
    /// visitors for the ~30 schema types.
    pub fn from_json(text: &str) -> Result<Network, NetworkError> {
        Network::from_json_with_hash(text, hex(&Sha256::digest(text.as_bytes())))
    }

    /// Reads and validates a network file whose SHA-256 the caller already knows — the
    /// browser takes it from the server's strong ETag — so the browser's wasm carries no
    /// SHA-256. `hash` is only displayed, never checked.
    pub fn from_json_with_hash(text: &str, hash: String) -> Result<Network, NetworkError> {
        let file: NetworkFile =
            crate::json::from_str(text).map_err(|e| NetworkError::Syntax(e.to_string()))?;
        Network::from_file(file, hash)
    }

    /// Validates an already parsed file; `hash` identifies its content.
    pub fn from_file(file: NetworkFile, hash: String) -> Result<Network, NetworkError> {
        Validator::default().run(file, hash)
    }

    /// The file's own version label.
    pub fn version(&self) -> &str {
        &self.file.version
    }

    /// Hex SHA-256 of the file's bytes.
    pub fn content_hash(&self) -> &str {
        &self.hash
    }

    pub fn market_index(&self, id: &str) -> Option<usize> {
        self.market_ids.get(id).copied()
    }

    pub fn zone_index(&self, id: &str) -> Option<usize> {
        self.zone_ids.get(id).copied()
    }

    pub fn warehouse_index(&self, id: &str) -> Option<usize> {
        self.warehouse_ids.get(id).copied()
    }

    pub fn category_index(&self, id: &str) -> Option<usize> {
        self.category_ids.get(id).copied()
    }

    /// The FX rate of `code` against the base, in millionths.
    pub fn fx_rate(&self, code: CurrencyCode) -> Option<i64> {
        self.fx_micro.get(&code).copied()
    }

    /// `minor` units of the currency named `code`, as Money (zero-exponent fallback is
    /// impossible after validation).
    pub fn money(&self, minor: i64, code: &str) -> Option<Money> {
        let code = CurrencyCode::new(code).ok()?;
        self.currencies
            .get(&code)
            .map(|c| Money::from_minor(minor, *c))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Default)]
struct Validator {
    problems: Vec<Problem>,
    season_ids: BTreeMap<String, usize>,
}

impl Validator {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    fn ids<'a>(
        &mut self,
        list: &str,
        ids: impl Iterator<Item = &'a str>,
    ) -> BTreeMap<String, usize> {
        let mut map = BTreeMap::new();
        for (i, id) in ids.enumerate() {
            if id.trim().is_empty() {
                self.problem(format!("{list}[{i}].id"), "must not be empty");
            } else if map.insert(id.to_string(), i).is_some() {
                self.problem(format!("{list}[{i}].id"), format!("duplicate id \"{id}\""));
            }
        }
        map
    }

    fn lookup(
        &mut self,
        map: &BTreeMap<String, usize>,
        path: String,
        what: &str,
        id: &str,
    ) -> usize {
        match map.get(id) {
            Some(i) => *i,
            None => {
                self.problem(path, format!("unknown {what} \"{id}\""));
                usize::MAX
            }
        }
    }

    /// Resolves a lane's `origins`, each of which must be a consolidation warehouse in China.
    fn cn_origins(
        &mut self,
        warehouse_ids: &BTreeMap<String, usize>,
        path: &str,
        origins: &[String],
        is_cn: &dyn Fn(usize) -> bool,
    ) -> Vec<usize> {
        let mut out = Vec::new();
        for (j, o) in origins.iter().enumerate() {
            let w = self.lookup(
                warehouse_ids,
                format!("{path}.origins[{j}]"),
                "warehouse",
                o,
            );
            if w != usize::MAX && !is_cn(w) {
                self.problem(
                    format!("{path}.origins[{j}]"),
                    format!("\"{o}\" is not a consolidation warehouse in China"),
                );
            }
            out.push(w);
        }
        out
    }

    fn currency(
        &mut self,
        currencies: &BTreeMap<CurrencyCode, Currency>,
        path: String,
        code: &str,
    ) -> Currency {
        let fallback = Currency {
            code: CurrencyCode::XXX,
            exponent: 2,
        };
        match CurrencyCode::new(code) {
            Ok(c) => match currencies.get(&c) {
                Some(cur) => *cur,
                None => {
                    self.problem(
                        path,
                        format!("unknown currency \"{code}\": add it to currencies"),
                    );
                    fallback
                }
            },
            Err(e) => {
                self.problem(path, e.to_string());
                fallback
            }
        }
    }

    fn weights(&mut self, path: String, from_days: u32, weights: &[u32]) -> Dist {
        let weights: Vec<u64> = weights.iter().map(|w| u64::from(*w)).collect();
        let total: u64 = weights.iter().sum();
        if weights.is_empty() {
            self.problem(path, "weights must not be empty");
        } else if weights.len() > MAX_DIST_LEN {
            self.problem(path, format!("at most {MAX_DIST_LEN} days of weights"));
        } else if total == 0 {
            self.problem(path, "weights must not all be zero");
        } else if total > MAX_DIST_TOTAL {
            self.problem(
                path,
                format!("weights sum to {total}; keep the total at most {MAX_DIST_TOTAL}"),
            );
        } else if from_days > 365 {
            self.problem(path, "from_days above 365");
        }
        Dist {
            from_days,
            weights,
            total: total.max(1),
        }
    }

    fn dist(&mut self, path: String, d: &DayDist) -> LegDist {
        let base = self.weights(path.clone(), d.from_days, &d.weights);
        let mut seasonal = Vec::new();
        for (i, sd) in d.seasonal.iter().enumerate() {
            let p = format!("{path}.seasonal[{i}]");
            let season = match self.season_ids.get(&sd.season) {
                Some(k) => *k,
                None => {
                    self.problem(
                        format!("{p}.season"),
                        format!("unknown season \"{}\"", sd.season),
                    );
                    continue;
                }
            };
            seasonal.push((season, self.weights(p, sd.from_days, &sd.weights)));
        }
        let mut leg = LegDist {
            base,
            seasonal,
            settling: Vec::new(),
        };
        leg.share_one_total();
        leg
    }

    fn run(mut self, file: NetworkFile, hash: String) -> Result<Network, NetworkError> {
        if file.version.trim().is_empty() {
            self.problem("version", "must not be empty");
        }
        if !(5000..=9999).contains(&file.target_coverage_bp) {
            self.problem(
                "target_coverage_bp",
                "must be between 5000 (50 %) and 9999 (99.99 %)",
            );
        }

        // Currencies and FX.
        let mut currencies = BTreeMap::new();
        for (i, c) in file.currencies.iter().enumerate() {
            match CurrencyCode::new(&c.code) {
                Ok(code) => {
                    if c.exponent > 4 {
                        self.problem(format!("currencies[{i}].exponent"), "at most 4");
                    }
                    if currencies
                        .insert(
                            code,
                            Currency {
                                code,
                                exponent: c.exponent,
                            },
                        )
                        .is_some()
                    {
                        self.problem(
                            format!("currencies[{i}].code"),
                            format!("duplicate currency \"{}\"", c.code),
                        );
                    }
                }
                Err(e) => self.problem(format!("currencies[{i}].code"), e.to_string()),
            }
        }
        let base = self.currency(&currencies, "fx.base".into(), &file.fx.base);
        let mut fx_micro = BTreeMap::new();
        fx_micro.insert(base.code, FX_SCALE as i64);
        for (i, r) in file.fx.rates.iter().enumerate() {
            let cur = self.currency(&currencies, format!("fx.rates[{i}].currency"), &r.currency);
            match parse_decimal_scaled(&r.per_base, 6) {
                Ok(v) if v > 0 => {
                    if cur.code == base.code && v != FX_SCALE as i64 {
                        self.problem(
                            format!("fx.rates[{i}].per_base"),
                            "the base currency's rate must be 1",
                        );
                    }
                    fx_micro.insert(cur.code, v);
                }
                Ok(_) => self.problem(format!("fx.rates[{i}].per_base"), "must be above zero"),
                Err(e) => self.problem(format!("fx.rates[{i}].per_base"), e.to_string()),
            }
        }
        for code in currencies.keys() {
            if !fx_micro.contains_key(code) {
                self.problem("fx.rates", format!("no rate for {code}"));
            }
        }

        // Time zones and calendars.
        let tz_ids = self.ids("time_zones", file.time_zones.iter().map(|t| t.id.as_str()));
        let mut time_zones = Vec::new();
        for (i, t) in file.time_zones.iter().enumerate() {
            if t.std_offset_min.abs() > 14 * 60 {
                self.problem(
                    format!("time_zones[{i}].std_offset_min"),
                    "must be within ±14 hours",
                );
            }
            if let Some(dst) = &t.dst {
                if dst.offset_min.abs() > 14 * 60 {
                    self.problem(
                        format!("time_zones[{i}].dst.offset_min"),
                        "must be within ±14 hours",
                    );
                }
                for (name, rule) in [("start", &dst.start), ("end", &dst.end)] {
                    if !(1..=12).contains(&rule.month) {
                        self.problem(
                            format!("time_zones[{i}].dst.{name}.month"),
                            "must be 1 to 12",
                        );
                    }
                    if !(1..=5).contains(&rule.week) {
                        self.problem(
                            format!("time_zones[{i}].dst.{name}.week"),
                            "must be 1 to 5 (5 = last)",
                        );
                    }
                    if rule.at_min >= 1440 {
                        self.problem(
                            format!("time_zones[{i}].dst.{name}.at_min"),
                            "must be below 1440",
                        );
                    }
                }
            }
            time_zones.push(TimeZone {
                std_offset_min: t.std_offset_min,
                dst: t.dst.clone(),
            });
        }
        let cal_ids = self.ids("calendars", file.calendars.iter().map(|c| c.id.as_str()));
        let mut calendars = Vec::new();
        for (i, c) in file.calendars.iter().enumerate() {
            let mut closures: Vec<(Date, Date)> = Vec::new();
            for (j, cl) in c.closures.iter().enumerate() {
                if cl.from > cl.to {
                    self.problem(
                        format!("calendars[{i}].closures[{j}]"),
                        format!("from {} is after to {}", cl.from, cl.to),
                    );
                }
                closures.push((cl.from, cl.to));
            }
            for (j, inc) in c.include.iter().enumerate() {
                let k = self.lookup(
                    &cal_ids,
                    format!("calendars[{i}].include[{j}]"),
                    "calendar",
                    inc,
                );
                if k == i {
                    self.problem(
                        format!("calendars[{i}].include[{j}]"),
                        "a calendar cannot include itself",
                    );
                }
                if let Some(other) = file.calendars.get(k) {
                    closures.extend(other.closures.iter().map(|cl| (cl.from, cl.to)));
                }
            }
            match Calendar::new(&c.weekend, &closures) {
                Some(cal) => calendars.push(cal),
                None => {
                    self.problem(
                        format!("calendars[{i}].weekend"),
                        "cannot be all seven days",
                    );
                    calendars.push(Calendar::always_open());
                }
            }
        }

        let category_ids = self.ids("categories", file.categories.iter().map(|c| c.id.as_str()));

        // Seasons.
        self.season_ids = self.ids("seasons", file.seasons.iter().map(|s| s.id.as_str()));
        let mut seasons = Vec::new();
        for (i, season) in file.seasons.iter().enumerate() {
            let mut periods = Vec::new();
            for (j, p) in season.periods.iter().enumerate() {
                if p.from > p.to {
                    self.problem(
                        format!("seasons[{i}].periods[{j}]"),
                        format!("from {} is after to {}", p.from, p.to),
                    );
                }
                periods.push((p.from.days(), p.to.days()));
            }
            seasons.push(periods);
        }

        // Markets and zones.
        let market_ids = self.ids("markets", file.markets.iter().map(|m| m.id.as_str()));
        let zone_ids = {
            let all = file
                .markets
                .iter()
                .flat_map(|m| m.zones.iter().map(|z| z.id.as_str()));
            self.ids("zones", all)
        };
        let mut zones = Vec::new();
        let mut markets = Vec::new();
        for (i, m) in file.markets.iter().enumerate() {
            let currency =
                self.currency(&currencies, format!("markets[{i}].currency"), &m.currency);
            let mut zone_idx = Vec::new();
            for (j, z) in m.zones.iter().enumerate() {
                let path = format!("markets[{i}].zones[{j}]");
                let tz = self.lookup(
                    &tz_ids,
                    format!("{path}.time_zone"),
                    "time zone",
                    &z.time_zone,
                );
                let mut prefixes = Vec::new();
                for (k, p) in z.postal_prefixes.iter().enumerate() {
                    match PrefixRule::parse(p) {
                        Some(rule) => prefixes.push(rule),
                        None => self.problem(
                            format!("{path}.postal_prefixes[{k}]"),
                            format!("\"{p}\" is neither a prefix nor a range of equal-length digits like 900-961"),
                        ),
                    }
                }
                zone_idx.push(zones.len());
                zones.push(Zone {
                    id: z.id.clone(),
                    name: z.name.clone(),
                    market: i,
                    time_zone: tz,
                    prefixes,
                });
            }
            if m.zones.is_empty() {
                self.problem(
                    format!("markets[{i}].zones"),
                    "a market needs at least one zone",
                );
            }
            let default_zone = match m.zones.iter().position(|z| z.id == m.default_zone) {
                Some(j) => zone_idx.get(j).copied().unwrap_or(usize::MAX),
                None => {
                    self.problem(
                        format!("markets[{i}].default_zone"),
                        format!("\"{}\" is not one of this market's zones", m.default_zone),
                    );
                    usize::MAX
                }
            };
            if m.postal.formats.is_empty() && m.postal.codes.is_empty() {
                self.problem(format!("markets[{i}].postal"), "give formats or codes");
            }
            for (j, r) in m.duty.iter().enumerate() {
                if let Some(to) = r.to
                    && to < r.from
                {
                    self.problem(format!("markets[{i}].duty[{j}]"), "to is before from");
                }
            }
            if m.vat.rate_bp > 10_000 {
                self.problem(format!("markets[{i}].vat.rate_bp"), "above 100 %");
            }
            markets.push(Market {
                currency,
                zones: zone_idx,
                default_zone,
                postal: PostalMatcher::new(&m.postal),
            });
        }

        // Warehouses.
        let warehouse_ids = self.ids("warehouses", file.warehouses.iter().map(|w| w.id.as_str()));
        let mut warehouses = Vec::new();
        for (i, w) in file.warehouses.iter().enumerate() {
            let path = format!("warehouses[{i}]");
            let market = w
                .market
                .as_ref()
                .map(|m| self.lookup(&market_ids, format!("{path}.market"), "market", m));
            let zone = w
                .zone
                .as_ref()
                .map(|z| self.lookup(&zone_ids, format!("{path}.zone"), "zone", z));
            match (w.kind, market, zone) {
                (WarehouseKind::CnConsolidation, Some(_), _) => self.problem(
                    format!("{path}.market"),
                    "a consolidation warehouse in China serves no single market: leave market out",
                ),
                (WarehouseKind::Seller3pl | WarehouseKind::PlatformLocal, None, _) => self.problem(
                    format!("{path}.market"),
                    "an overseas warehouse needs the market it serves",
                ),
                (WarehouseKind::Seller3pl | WarehouseKind::PlatformLocal, Some(_), None) => self
                    .problem(
                        format!("{path}.zone"),
                        "an overseas warehouse needs its delivery zone",
                    ),
                (_, Some(m), Some(z)) if zones.get(z).is_some_and(|zz| zz.market != m) => {
                    self.problem(
                        format!("{path}.zone"),
                        "zone is not in the warehouse's market",
                    );
                }
                _ => {}
            }
            let tz = self.lookup(
                &tz_ids,
                format!("{path}.time_zone"),
                "time zone",
                &w.time_zone,
            );
            let cal = self.lookup(
                &cal_ids,
                format!("{path}.calendar"),
                "calendar",
                &w.calendar,
            );
            if w.cutoff_local_min >= 1440 {
                self.problem(
                    format!("{path}.cutoff_local_min"),
                    "must be a minute of the day (below 1440)",
                );
            }
            let handling = self.dist(format!("{path}.handling"), &w.handling);
            let fee_currency = self.currency(
                &currencies,
                format!("{path}.fees.currency"),
                &w.fees.currency,
            );
            warehouses.push(Warehouse {
                market,
                zone,
                time_zone: tz,
                calendar: cal,
                handling,
                fee_currency,
            });
        }
        let is_cn = |idx: usize| {
            file.warehouses
                .get(idx)
                .is_some_and(|w| w.kind == WarehouseKind::CnConsolidation)
        };

        // Air lanes.
        self.ids("air_lanes", file.air_lanes.iter().map(|l| l.id.as_str()));
        let mut air_lanes = Vec::new();
        for (i, l) in file.air_lanes.iter().enumerate() {
            let path = format!("air_lanes[{i}]");
            let origins = self.cn_origins(&warehouse_ids, &path, &l.origins, &is_cn);
            let market = self.lookup(&market_ids, format!("{path}.market"), "market", &l.market);
            let gateway_zone = self.lookup(
                &zone_ids,
                format!("{path}.gateway_zone"),
                "zone",
                &l.gateway_zone,
            );
            if zones.get(gateway_zone).is_some_and(|z| z.market != market) {
                self.problem(
                    format!("{path}.gateway_zone"),
                    "zone is not in the lane's market",
                );
            }
            if l.departures.is_empty() {
                self.problem(
                    format!("{path}.departures"),
                    "needs at least one departure weekday",
                );
            }
            let calendar = self.lookup(
                &cal_ids,
                format!("{path}.calendar"),
                "calendar",
                &l.calendar,
            );
            let transit = self.dist(format!("{path}.transit"), &l.transit);
            if l.capacity_kg_per_departure == 0 {
                self.problem(
                    format!("{path}.capacity_kg_per_departure"),
                    "must be above zero",
                );
            }
            if l.volumetric_divisor_cm3_per_kg == 0 {
                self.problem(
                    format!("{path}.volumetric_divisor_cm3_per_kg"),
                    "must be above zero",
                );
            }
            if l.connect_days > 30 {
                self.problem(format!("{path}.connect_days"), "at most 30");
            }
            let currency = self.currency(
                &currencies,
                format!("{path}.rates.currency"),
                &l.rates.currency,
            );
            if l.rates.increment_g == 0 {
                self.problem(format!("{path}.rates.increment_g"), "must be above zero");
            }
            match l.rates.breaks.first() {
                None => self.problem(
                    format!("{path}.rates.breaks"),
                    "needs at least one weight break",
                ),
                Some(b) if b.from_g != 0 => self.problem(
                    format!("{path}.rates.breaks[0].from_g"),
                    "the first break must start at 0",
                ),
                _ => {}
            }
            for (j, pair) in l.rates.breaks.windows(2).enumerate() {
                if let [a, b] = pair
                    && b.from_g <= a.from_g
                {
                    self.problem(
                        format!("{path}.rates.breaks[{}].from_g", j + 1),
                        "breaks must be in increasing weight",
                    );
                }
            }
            air_lanes.push(AirLane {
                origins,
                market,
                gateway_zone,
                calendar,
                transit,
                currency,
            });
        }

        // Sea lanes.
        self.ids("sea_lanes", file.sea_lanes.iter().map(|l| l.id.as_str()));
        let mut sea_lanes = Vec::new();
        for (i, l) in file.sea_lanes.iter().enumerate() {
            let path = format!("sea_lanes[{i}]");
            let origins = self.cn_origins(&warehouse_ids, &path, &l.origins, &is_cn);
            let mut destinations = Vec::new();
            for (j, o) in l.destinations.iter().enumerate() {
                let w = self.lookup(
                    &warehouse_ids,
                    format!("{path}.destinations[{j}]"),
                    "warehouse",
                    o,
                );
                if w != usize::MAX && is_cn(w) {
                    self.problem(
                        format!("{path}.destinations[{j}]"),
                        format!("\"{o}\" is not an overseas warehouse"),
                    );
                }
                destinations.push(w);
            }
            if l.departures.is_empty() {
                self.problem(
                    format!("{path}.departures"),
                    "needs at least one departure weekday",
                );
            }
            let currency = self.currency(&currencies, format!("{path}.currency"), &l.currency);
            let transit = self.dist(format!("{path}.transit"), &l.transit);
            sea_lanes.push(SeaLane {
                origins,
                destinations,
                currency,
                transit,
            });
        }

        // Customs.
        let mut customs: Vec<Option<Customs>> = vec![None; file.markets.len()];
        for (i, c) in file.customs.iter().enumerate() {
            let path = format!("customs[{i}]");
            let market = self.lookup(&market_ids, format!("{path}.market"), "market", &c.market);
            let calendar = self.lookup(
                &cal_ids,
                format!("{path}.calendar"),
                "calendar",
                &c.calendar,
            );
            let clearance = self.dist(format!("{path}.clearance"), &c.clearance);
            let currency = self.currency(&currencies, format!("{path}.currency"), &c.currency);
            if let Some(slot) = customs.get_mut(market) {
                if slot.is_some() {
                    self.problem(
                        format!("{path}.market"),
                        format!("a second customs entry for \"{}\"", c.market),
                    );
                }
                *slot = Some(Customs {
                    calendar,
                    clearance,
                    currency,
                    fee_per_shipment_minor: c.fee_per_shipment_minor,
                });
            }
        }
        for (i, l) in air_lanes.iter().enumerate() {
            if l.market != usize::MAX && customs.get(l.market).is_some_and(Option::is_none) {
                self.problem(
                    format!("air_lanes[{i}].market"),
                    "no customs entry for this market",
                );
            }
        }

        // Last mile.
        self.ids("last_mile", file.last_mile.iter().map(|l| l.id.as_str()));
        let mut last_mile = Vec::new();
        for (i, l) in file.last_mile.iter().enumerate() {
            let path = format!("last_mile[{i}]");
            let market = self.lookup(&market_ids, format!("{path}.market"), "market", &l.market);
            let zone_list = |list: &[String], field: &str, v: &mut Validator| -> Vec<usize> {
                let mut out = Vec::new();
                for (j, z) in list.iter().enumerate() {
                    let zi = v.lookup(&zone_ids, format!("{path}.{field}[{j}]"), "zone", z);
                    if zones.get(zi).is_some_and(|zz| zz.market != market) {
                        v.problem(
                            format!("{path}.{field}[{j}]"),
                            format!("zone \"{z}\" is not in market {}", l.market),
                        );
                    }
                    out.push(zi);
                }
                if list.is_empty() {
                    v.problem(format!("{path}.{field}"), "needs at least one zone");
                }
                out
            };
            let from_zones = zone_list(&l.from_zones, "from_zones", &mut self);
            let to_zones = zone_list(&l.to_zones, "to_zones", &mut self);
            let calendar = self.lookup(
                &cal_ids,
                format!("{path}.calendar"),
                "calendar",
                &l.calendar,
            );
            let transit = self.dist(format!("{path}.transit"), &l.transit);
            let currency = self.currency(&currencies, format!("{path}.currency"), &l.currency);
            if l.max_parcel_g == 0 {
                self.problem(format!("{path}.max_parcel_g"), "must be above zero");
            }
            match l.bands.last() {
                None => self.problem(format!("{path}.bands"), "needs at least one rate band"),
                Some(b) if b.max_g < l.max_parcel_g => self.problem(
                    format!("{path}.bands"),
                    format!(
                        "the last band ends at {} g but parcels go up to {} g",
                        b.max_g, l.max_parcel_g
                    ),
                ),
                _ => {}
            }
            for (j, pair) in l.bands.windows(2).enumerate() {
                if let [a, b] = pair
                    && b.max_g <= a.max_g
                {
                    self.problem(
                        format!("{path}.bands[{}].max_g", j + 1),
                        "bands must be in increasing weight",
                    );
                }
            }
            last_mile.push(LastMile {
                market,
                from_zones,
                to_zones,
                calendar,
                transit,
                currency,
            });
        }

        if !self.problems.is_empty() {
            return Err(NetworkError::Invalid(self.problems));
        }
        // Seasons may end with a faster distribution: settle every leg the engine times
        // so a later start never ends earlier.
        for w in &mut warehouses {
            if let Some(cal) = calendars.get(w.calendar) {
                w.handling.settle(&seasons, DayCount::Working(cal));
            }
        }
        for l in &mut air_lanes {
            l.transit.settle(&seasons, DayCount::Calendar);
        }
        for c in customs.iter_mut().flatten() {
            if let Some(cal) = calendars.get(c.calendar) {
                c.clearance.settle(&seasons, DayCount::Working(cal));
            }
        }
        for l in &mut last_mile {
            if let Some(cal) = calendars.get(l.calendar) {
                l.transit.settle(&seasons, DayCount::Working(cal));
            }
        }
        Ok(Network {
            file,
            hash,
            currencies,
            fx_micro,
            time_zones,
            calendars,
            markets,
            zones,
            warehouses,
            air_lanes,
            sea_lanes,
            customs,
            last_mile,
            seasons,
            market_ids,
            zone_ids,
            warehouse_ids,
            category_ids,
        })
    }
}
