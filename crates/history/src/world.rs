//! The "true" world that delivery history is simulated in. The engine never sees these
//! parameters: calibration has to recover what it can from the history alone.
//!
//! What the true world does that the network file does not say:
//! - **Leg durations differ** from the hand-set distributions: some lanes are slower than
//!   the network claims, some faster, and customs has a long tail of holds (a parcel
//!   picked for inspection waits 3 to 25 more working days).
//! - **Transit drifts with the season**: each air lane has its own bad season (winter fog
//!   and snow on the US and European lanes, typhoons to Korea, the southern winter to
//!   Johannesburg, summer heat to Dubai) when a flight more often takes a day longer.
//! - **Queues**: warehouses have a daily capacity a little above their usual intake; order
//!   surges (Singles' Day, Black Friday to Cyber Monday, December, the rush before the
//!   Spring Festival, the backlog after it) build a queue that delays handling.
//! - **Flights fill**: each departure has a capacity (with day-to-day noise, less belly
//!   space in peak weeks, the odd cancelled flight); parcels beyond it are bumped to the
//!   next departure, first come first served.
//! - **Peak weeks**: carriers slow down from mid-November, most from Black Friday to
//!   20 December, recovering by New Year; customs slows with the volume too.
//! - **Spring Festival**: besides the closures in the calendars, the weeks before see a
//!   rush and ground handling at Chinese airports thins out; after reopening the
//!   warehouses work off the backlog.
//! - **Rare disruptions**: a week or so when an airport cuts a lane's capacity to a
//!   quarter (weather, a strike, an outage), or a port of entry's customs falls days
//!   behind. They happen at random, drawn from the seed.
//!
//! Every probability is an integer in parts per million and every volume an integer, so a
//! seed gives the same history on every machine.

use std::collections::BTreeMap;

use crossdock_core::calendar::Calendar;
use crossdock_core::engine::{Destination, Estimator, Listing, Mode, StockLine};
use crossdock_core::schema::WarehouseKind;
use crossdock_core::time::{TimeZone, Weekday};
use crossdock_core::{Date, Instant, Network};

use crate::error::Error;
use crate::history::{AirLeg, Shipment};
use crate::rng::{PPM, Rng};

/// What to simulate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateOptions {
    pub seed: u64,
    /// First order date.
    pub from: Date,
    pub months: u32,
    /// Average shipments per ordinary day over all markets and modes (busy days have
    /// more); a filtered history keeps its share of them.
    pub per_day: u32,
    /// Only these markets (empty: all).
    pub markets: Vec<String>,
    /// Only these fulfilment modes (empty: all).
    pub modes: Vec<Mode>,
    /// Whether rare disruptions happen (a test of what calibration can learn turns
    /// them off: by design nothing predicts them).
    pub disruptions: bool,
}

/// A disruption drawn from the seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disruption {
    pub id: String,
    pub what: DisruptionKind,
    pub from: Date,
    pub to: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisruptionKind {
    /// An airport cuts the lane's capacity (index into the network's air lanes).
    Airport { lane: usize },
    /// Customs at the market's port of entry falls behind (market index).
    Port { market: usize },
}

/// The simulated history and what happened in it.
#[derive(Debug, Clone)]
pub struct Generated {
    pub rows: Vec<Shipment>,
    /// Orders no route could ship (dropped, as a shopper could not have placed them).
    pub unroutable: u64,
    pub disruptions: Vec<Disruption>,
}

/// The date `months` months after `from` (the day clamped to the month's length).
pub fn add_months(from: Date, months: u32) -> Option<Date> {
    let (y, m, d) = from.ymd();
    let total = i64::from(y) * 12 + i64::from(m) - 1 + i64::from(months);
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    let month = u8::try_from(total.rem_euclid(12) + 1).ok()?;
    (1..=d)
        .rev()
        .find_map(|day| Date::new(year, month, day).ok())
}

fn day(y: i32, m: u8, d: u8) -> Option<Date> {
    Date::new(y, m, d).ok()
}

fn plus(d: Date, n: i64) -> Date {
    d.add_days(n).unwrap_or(d)
}

/// US Thanksgiving: the fourth Thursday of November.
pub fn thanksgiving(year: i32) -> Option<Date> {
    let first = day(year, 11, 1)?;
    let to_thu =
        (i64::from(Weekday::Thu.index()) - i64::from(first.weekday().index())).rem_euclid(7);
    first.add_days(to_thu + 21).ok()
}

/// How hard peak weeks bite on `date`, in thousandths: rising from 16 November to full
/// on Black Friday, full until 20 December, easing off to nothing after 31 December.
pub fn peak_level(date: Date) -> u32 {
    let (y, _, _) = date.ymd();
    let (Some(start), Some(bf), Some(hold), Some(end)) = (
        day(y, 11, 16),
        thanksgiving(y).map(|t| plus(t, 1)),
        day(y, 12, 20),
        day(y, 12, 31),
    ) else {
        return 0;
    };
    let d = date.days();
    if d < start.days() || d > end.days() {
        0
    } else if d < bf.days() {
        let span = i64::from(bf.days() - start.days() + 1);
        u32::try_from(1000 * i64::from(d - start.days() + 1) / span).unwrap_or(0)
    } else if d <= hold.days() {
        1000
    } else {
        let span = i64::from(end.days() - hold.days() + 1);
        u32::try_from(1000 * i64::from(end.days() - d + 1) / span).unwrap_or(0)
    }
}

/// The Spring Festival closures in the network's calendars (any closure whose name says
/// "Spring Festival"), merged per year: (first closed day, last closed day).
pub fn spring_festival_closures(net: &Network) -> Vec<(Date, Date)> {
    let mut all: Vec<(Date, Date)> = net
        .file
        .calendars
        .iter()
        .flat_map(|c| c.closures.iter())
        .filter(|c| c.name.to_lowercase().contains("spring festival"))
        .map(|c| (c.from, c.to))
        .collect();
    all.sort();
    let mut merged: Vec<(Date, Date)> = Vec::new();
    for (a, b) in all {
        match merged.last_mut() {
            Some(last) if a.days() <= last.1.days() + 7 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

/// A duration table: day `from + i` with probability `ppm[i]` (summing to a million).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Table {
    from: u32,
    ppm: Vec<u32>,
}

impl Table {
    fn new(from: u32, ppm: &[u32]) -> Table {
        Table {
            from,
            ppm: ppm.to_vec(),
        }
    }

    fn draw(&self, rng: &mut Rng) -> u32 {
        let i = rng.pick(&self.ppm);
        self.from + u32::try_from(i).unwrap_or(0)
    }

    /// A table shaped like the network's weights, reweighted: the first day heavier by
    /// `first_permille`, the last lighter by `last_permille`, plus a `tail_ppm` chance of
    /// one day more than the network allows.
    fn reshaped(
        from: u32,
        weights: &[u32],
        first_permille: u64,
        last_permille: u64,
        tail_ppm: u32,
    ) -> Table {
        let n = weights.len();
        let mut w: Vec<u64> = weights
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let w = u64::from(*w) * 1000;
                if i == 0 {
                    w * first_permille / 1000
                } else if i + 1 == n {
                    w * last_permille / 1000
                } else {
                    w
                }
            })
            .collect();
        let total: u64 = w.iter().sum::<u64>().max(1);
        let body = u64::from(PPM - tail_ppm);
        for x in &mut w {
            *x = *x * body / total;
        }
        let used: u64 = w.iter().sum();
        if let Some(first) = w.first_mut() {
            *first += body - used;
        }
        let mut ppm: Vec<u32> = w.iter().map(|x| u32::try_from(*x).unwrap_or(0)).collect();
        if tail_ppm > 0 {
            ppm.push(tail_ppm);
        }
        Table { from, ppm }
    }
}

/// A seasonal bump: a `amp_ppm` chance of one more day, strongest on day-of-year
/// `peak_doy` and fading to nothing 91 days either side.
#[derive(Debug, Clone, Copy)]
struct Drift {
    peak_doy: i32,
    amp_ppm: u32,
}

impl Drift {
    fn at(self, date: Date) -> u32 {
        let (y, _, _) = date.ymd();
        let doy = day(y, 1, 1).map_or(0, |j| j.days_until(date));
        let dist = (doy - self.peak_doy).rem_euclid(365);
        let dist = dist.min(365 - dist);
        if dist >= 91 {
            0
        } else {
            let left = u64::from(u32::try_from(91 - dist).unwrap_or(0));
            u32::try_from(u64::from(self.amp_ppm) * left / 91).unwrap_or(0)
        }
    }
}

/// The true behaviour of one air lane.
#[derive(Debug, Clone)]
struct LaneTruth {
    transit: Table,
    drift: Drift,
    /// Capacity over the usual demand per departure, in thousandths.
    headroom: u64,
}

/// The true behaviour of customs in one market.
#[derive(Debug, Clone)]
struct CustomsTruth {
    clearance: Table,
    hold_ppm: u32,
}

fn lane_truth(id: &str, net_from: u32, net_weights: &[u32]) -> LaneTruth {
    let t = |from, ppm: &[u32], peak_doy, amp_ppm, headroom| LaneTruth {
        transit: Table::new(from, ppm),
        drift: Drift { peak_doy, amp_ppm },
        headroom,
    };
    match id {
        "air-cn-us-west" => t(3, &[900_000, 85_000, 15_000], 15, 60_000, 1300),
        "air-cn-us-east" => t(4, &[900_000, 85_000, 15_000], 20, 60_000, 1350),
        "air-cn-de" => t(3, &[890_000, 95_000, 15_000], 355, 60_000, 1400),
        "air-cn-gb" => t(3, &[900_000, 85_000, 15_000], 355, 60_000, 1400),
        "air-cn-kr" => t(1, &[920_000, 70_000, 10_000], 232, 60_000, 1450),
        "air-cn-za" => t(4, &[850_000, 110_000, 30_000, 10_000], 182, 50_000, 1300),
        "air-cn-ae" => t(2, &[900_000, 85_000, 15_000], 196, 40_000, 1350),
        // A lane this world does not know: the network's shape, a little slower.
        _ => LaneTruth {
            transit: Table::reshaped(net_from, net_weights, 900, 1100, 20_000),
            drift: Drift {
                peak_doy: 15,
                amp_ppm: 80_000,
            },
            headroom: 1300,
        },
    }
}

fn customs_truth(market: &str, net_from: u32, net_weights: &[u32]) -> CustomsTruth {
    let c = |from, ppm: &[u32], hold_ppm| CustomsTruth {
        clearance: Table::new(from, ppm),
        hold_ppm,
    };
    match market {
        "US" => c(1, &[920_000, 65_000, 15_000], 5_000),
        "DE" => c(1, &[900_000, 80_000, 20_000], 8_000),
        "GB" => c(1, &[920_000, 65_000, 15_000], 6_000),
        "KR" => c(0, &[930_000, 60_000, 10_000], 4_000),
        "ZA" => c(2, &[850_000, 110_000, 30_000, 10_000], 15_000),
        "AE" => c(1, &[920_000, 65_000, 15_000], 5_000),
        _ => CustomsTruth {
            clearance: Table::reshaped(net_from, net_weights, 900, 1100, 10_000),
            hold_ppm: 12_000,
        },
    }
}

fn handling_truth(id: &str, kind: WarehouseKind) -> Table {
    match (id, kind) {
        ("cn-gz", _) => Table::new(0, &[930_000, 65_000, 5_000]),
        ("cn-yw", _) => Table::new(0, &[900_000, 90_000, 10_000]),
        (_, WarehouseKind::CnConsolidation) => Table::new(0, &[900_000, 90_000, 10_000]),
        (_, WarehouseKind::PlatformLocal) => Table::new(0, &[950_000, 47_000, 3_000]),
        (_, WarehouseKind::Seller3pl) => Table::new(1, &[960_000, 35_000, 5_000]),
    }
}

/// Last-mile service class, from the id's suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Service {
    Express,
    Economy,
    Freight,
}

fn service_of(id: &str) -> Service {
    if id.ends_with("freight") {
        Service::Freight
    } else if id.ends_with("economy") {
        Service::Economy
    } else {
        Service::Express
    }
}

fn last_mile_truth(id: &str, from: u32, weights: &[u32]) -> Table {
    // A small per-service difference, fixed by the id, so services are not all alike.
    let h = id
        .bytes()
        .fold(0u64, |a, b| a.wrapping_mul(31).wrapping_add(u64::from(b)));
    let wobble = h % 60; // 0..59
    let _ = weights;
    match service_of(id) {
        // Express: on the network's first day far more often than it says, otherwise
        // a day later (a failed first attempt goes out again the next day).
        Service::Express => {
            let on_time = 900_000 + 5_000 * u32::try_from(wobble / 10).unwrap_or(0);
            Table::new(from, &[on_time, PPM - on_time])
        }
        // Economy: a day slower than express and as regular; early is rare.
        Service::Economy => {
            let on_time = 880_000 + 5_000 * u32::try_from(wobble / 10).unwrap_or(0);
            Table::new(from, &[3_000, on_time, PPM - on_time - 13_000, 10_000])
        }
        Service::Freight => Table::reshaped(from, weights, 1000, 1100, 30_000),
    }
}

const REMOTE_ZONES: [&str; 8] = [
    "us-ak",
    "us-hi",
    "us-pr",
    "us-gu",
    "gb-highlands",
    "gb-ni",
    "kr-jeju",
    "za-other",
];

/// Share of orders per market (thousandths); markets not listed get 60.
fn market_weight(id: &str) -> u32 {
    match id {
        "US" => 380,
        "DE" => 150,
        "GB" => 130,
        "KR" => 140,
        "ZA" => 60,
        "AE" => 140,
        _ => 60,
    }
}

/// Share of orders per zone within its market; zones not listed get 100.
fn zone_weight(id: &str) -> u32 {
    match id {
        "us-ne" => 220,
        "us-se" => 180,
        "us-mw" => 120,
        "us-c" => 110,
        "us-sc" => 120,
        "us-mt" => 50,
        "us-az" => 40,
        "us-pac" => 150,
        "us-ak" => 4,
        "us-hi" => 8,
        "us-pr" => 6,
        "us-gu" => 1,
        "gb-london" => 200,
        "gb-highlands" => 15,
        "gb-ni" => 30,
        "kr-capital" => 250,
        "kr-jeju" => 20,
        "za-gauteng" => 200,
        "za-other" => 40,
        "ae-dubai" => 200,
        _ => 100,
    }
}

/// Orders per hour of the shopper's local day, relative.
const HOURS: [u32; 24] = [
    20, 12, 8, 6, 6, 8, 15, 25, 35, 45, 50, 55, 60, 60, 55, 55, 55, 60, 70, 80, 85, 80, 60, 35,
];

/// Orders per weekday (Monday first), thousandths.
const WEEKDAY: [u64; 7] = [1060, 1030, 1000, 990, 960, 950, 1010];

/// Volume grows 15 % a year from 2026-01-01 (thousandths).
fn growth(date: Date) -> u64 {
    let base = Date::new(2026, 1, 1).map_or(0, |d| d.days());
    let g = 1000 + i64::from(date.days() - base) * 150 / 365;
    u64::try_from(g.max(500)).unwrap_or(1000)
}

fn weekday_factor(date: Date) -> u64 {
    WEEKDAY
        .get(usize::from(date.weekday().index()))
        .copied()
        .unwrap_or(1000)
}

/// Ordinary order volume on `date` (thousandths of the first day's), without events.
fn base_volume(date: Date) -> u64 {
    growth(date) * weekday_factor(date) / 1000
}

/// What happens around the Spring Festival, from the network's closures.
#[derive(Debug, Clone)]
struct Festival {
    closures: Vec<(Date, Date)>,
}

impl Festival {
    /// The closure `date` falls in, if any.
    fn closed(&self, date: Date) -> bool {
        self.closures.iter().any(|(a, b)| *a <= date && date <= *b)
    }

    /// Days until the next closure starts (when it is within `within` days).
    fn days_before(&self, date: Date, within: i32) -> Option<i32> {
        self.closures
            .iter()
            .map(|(a, _)| date.days_until(*a))
            .find(|n| (1..=within).contains(n))
    }

    /// Days since the last closure ended (when within `within` days).
    fn days_after(&self, date: Date, within: i32) -> Option<i32> {
        self.closures
            .iter()
            .map(|(_, b)| b.days_until(date))
            .find(|n| (1..=within).contains(n))
    }
}

/// Event multiplier on a segment's orders (thousandths).
fn order_events(date: Date, market: &str, mode: Mode, fest: &Festival) -> u64 {
    let (y, m, d) = date.ymd();
    let mut k: u64 = 1000;
    if let Some(t) = thanksgiving(y) {
        let bf = plus(t, 1);
        let n = bf.days_until(date);
        if (0..4).contains(&n) {
            k = k * match market {
                "US" => 2200,
                "DE" | "GB" => 1800,
                _ => 1500,
            } / 1000;
        } else if n >= 4 && m == 12 && d <= 20 {
            k = k * 1300 / 1000;
        }
    }
    if mode == Mode::FullyManaged {
        if m == 11 && (10..=12).contains(&d) {
            k = k * 1600 / 1000; // Singles' Day sales
        }
        if fest.closed(date) {
            k = k * 600 / 1000; // long windows on screen put shoppers off
        } else if fest.days_before(date, 21).is_some() {
            k = k * 1100 / 1000;
        }
    }
    k
}

/// A warehouse's queue, as volumes (sample-size independent): for each working day, the
/// backlog waiting at its start, that day's intake and its capacity.
#[derive(Debug, Clone, Default)]
struct Queue {
    first: i32,
    /// Per calendar day from `first`: (backlog, intake, capacity); zero on closed days.
    days: Vec<(u64, u64, u64)>,
}

impl Queue {
    /// Working days of delay for a parcel in `start`'s intake at position `u_ppm`.
    fn delay(&self, cal: &Calendar, start: Date, u_ppm: u64) -> u32 {
        let Ok(i) = usize::try_from(start.days() - self.first) else {
            return 0;
        };
        let Some((backlog, intake, _)) = self.days.get(i).copied() else {
            return 0;
        };
        let pos = backlog + intake * u_ppm / u64::from(PPM);
        let mut done = 0u64;
        let mut delay = 0u32;
        for (j, (_, _, cap)) in self.days.iter().enumerate().skip(i).take(120) {
            let date = plus(start, i64::try_from(j - i).unwrap_or(0));
            if !cal.is_working(date) {
                continue;
            }
            done += cap;
            if done > pos {
                return delay;
            }
            delay += 1;
        }
        delay
    }

    /// Volume dispatched per calendar day.
    fn dispatched(&self) -> Vec<u64> {
        self.days
            .iter()
            .map(|(b, i, c)| (*b + *i).min(*c))
            .collect()
    }
}

/// Builds a warehouse's queue over `days` calendar days from `first`.
fn build_queue(
    first: Date,
    days: usize,
    cal: &Calendar,
    intake_of: impl Fn(Date) -> (u64, u64),
    headroom_of: impl Fn(Date) -> u64,
    rng: &mut Rng,
) -> Queue {
    let mut q = Queue {
        first: first.days(),
        days: Vec::with_capacity(days),
    };
    let mut backlog = 0u64;
    // Orders of closed days wait for the next working day.
    let mut waiting = 0u64;
    let mut waiting_base = 0u64;
    for i in 0..days {
        let date = plus(first, i64::try_from(i).unwrap_or(0));
        let (actual, base) = intake_of(date);
        waiting += actual;
        waiting_base += base;
        if !cal.is_working(date) {
            q.days.push((0, 0, 0));
            continue;
        }
        let intake = waiting;
        // Staffed for the usual intake (a weekend's or a short holiday's worth after
        // a closure, at most five ordinary days), with some day-to-day noise.
        let usual = waiting_base.min(5 * base_volume(date));
        let noise = 850 + rng.below(301);
        let cap = usual * headroom_of(date) / 1000 * noise / 1000;
        q.days.push((backlog, intake, cap));
        backlog = (backlog + intake).saturating_sub(cap);
        waiting = 0;
        waiting_base = 0;
    }
    q
}

/// A lane's departures: for each, the chance a new parcel is bumped and the chance a
/// parcel already bumped once is bumped again (ppm).
#[derive(Debug, Clone, Default)]
struct Flights {
    /// Departure date (days since epoch) → (bump ppm for new parcels, for carried ones).
    bumps: BTreeMap<i32, (u32, u32)>,
}

impl Flights {
    fn at(&self, d: Date) -> (u32, u32) {
        self.bumps.get(&d.days()).copied().unwrap_or((0, 0))
    }

    fn next_after(&self, d: Date) -> Option<Date> {
        self.bumps
            .range(d.days() + 1..)
            .next()
            .and_then(|(k, _)| Date::from_days(i64::from(*k)).ok())
    }
}

fn ratio_ppm(num: u64, den: u64) -> u32 {
    if den == 0 {
        return PPM;
    }
    u32::try_from((u128::from(num) * u128::from(PPM) / u128::from(den)).min(u128::from(PPM)))
        .unwrap_or(PPM)
}

/// Everything fixed before the first order is placed.
struct World<'n> {
    net: &'n Network,
    seed: u64,
    first: Date,
    days: usize,
    fest: Festival,
    queues: Vec<Queue>,
    flights: Vec<Flights>,
    lanes: Vec<LaneTruth>,
    customs: Vec<Option<CustomsTruth>>,
    handling: Vec<Table>,
    last_mile: Vec<Table>,
    disruptions: Vec<Disruption>,
}

impl<'n> World<'n> {
    /// `shape` gives the leg distributions the true world is derived from (the hand-set
    /// ones, so the world does not change when the network is calibrated).
    fn new(net: &'n Network, shape: &Network, opts: &GenerateOptions, end: Date) -> World<'n> {
        let fest = Festival {
            closures: spring_festival_closures(net),
        };
        // Simulate queues and flights from a week before the first order to two months
        // after the last, so every parcel finds its day.
        let first = plus(opts.from, -7);
        let days = usize::try_from(first.days_until(end) + 70).unwrap_or(0);
        let disruptions = if opts.disruptions {
            draw_disruptions(net, opts.seed, opts.from, end)
        } else {
            Vec::new()
        };

        let handling = net
            .file
            .warehouses
            .iter()
            .map(|w| handling_truth(&w.id, w.kind))
            .collect();
        let lanes: Vec<LaneTruth> = shape
            .file
            .air_lanes
            .iter()
            .map(|l| lane_truth(&l.id, l.transit.from_days, &l.transit.weights))
            .collect();
        let mut customs = vec![None; net.file.markets.len()];
        for c in &shape.file.customs {
            if let Some(slot) = net.market_index(&c.market).and_then(|m| customs.get_mut(m)) {
                *slot = Some(customs_truth(
                    &c.market,
                    c.clearance.from_days,
                    &c.clearance.weights,
                ));
            }
        }
        let last_mile = shape
            .file
            .last_mile
            .iter()
            .map(|l| last_mile_truth(&l.id, l.transit.from_days, &l.transit.weights))
            .collect();

        let mut w = World {
            net,
            seed: opts.seed,
            first,
            days,
            fest,
            queues: Vec::new(),
            flights: Vec::new(),
            lanes,
            customs,
            handling,
            last_mile,
            disruptions,
        };
        w.queues = w.build_queues();
        w.flights = w.build_flights();
        w
    }

    fn build_queues(&self) -> Vec<Queue> {
        let net = self.net;
        net.file
            .warehouses
            .iter()
            .enumerate()
            .map(|(i, wdef)| {
                let Some(cal) = net
                    .warehouses
                    .get(i)
                    .and_then(|w| net.calendars.get(w.calendar))
                else {
                    return Queue::default();
                };
                let market = wdef.market.clone().unwrap_or_default();
                let kind = wdef.kind;
                let fest = &self.fest;
                let intake = |d: Date| {
                    let base = base_volume(d);
                    let actual = match kind {
                        WarehouseKind::CnConsolidation => {
                            // Every market's fully managed orders, plus the rest of the
                            // trade rushing out before the Spring Festival.
                            let ev = order_events(d, "", Mode::FullyManaged, fest);
                            let rush = if fest.days_before(d, 21).is_some() {
                                1350
                            } else {
                                1000
                            };
                            base * ev / 1000 * rush / 1000
                        }
                        WarehouseKind::PlatformLocal => {
                            base * order_events(d, &market, Mode::PlatformLocal, fest) / 1000
                        }
                        WarehouseKind::Seller3pl => {
                            base * order_events(d, &market, Mode::SemiManaged, fest) / 1000
                        }
                    };
                    (actual, base)
                };
                let headroom = |d: Date| match kind {
                    WarehouseKind::CnConsolidation => {
                        if fest.days_after(d, 15).is_some() {
                            1500
                        } else {
                            1300
                        }
                    }
                    _ => {
                        let (_, m, dd) = d.ymd();
                        if (m == 11 && dd >= 15) || (m == 12 && dd <= 24) {
                            1450
                        } else {
                            1300
                        }
                    }
                };
                let mut rng = Rng::stream(self.seed, 10, u64::try_from(i).unwrap_or(0));
                build_queue(self.first, self.days, cal, intake, headroom, &mut rng)
            })
            .collect()
    }

    /// Flights per lane, fed by what the consolidation warehouses dispatch.
    fn build_flights(&self) -> Vec<Flights> {
        let net = self.net;
        // Dispatched volume per day, summed over the consolidation warehouses, and what
        // would be dispatched with no events (for the airlines' planned capacity).
        let mut sent = vec![0u64; self.days];
        let mut planned = vec![0u64; self.days];
        let mut n_cn = 0u64;
        for (i, w) in net.file.warehouses.iter().enumerate() {
            if w.kind != WarehouseKind::CnConsolidation {
                continue;
            }
            n_cn += 1;
            if let Some(q) = self.queues.get(i) {
                for (s, v) in sent.iter_mut().zip(q.dispatched()) {
                    *s += v;
                }
            }
            // What the warehouse usually dispatches on a day: the orders since its last
            // working day (a weekend's worth on Mondays, at most five days' worth).
            let Some(cal) = net
                .warehouses
                .get(i)
                .and_then(|w| net.calendars.get(w.calendar))
            else {
                continue;
            };
            let mut pending = 0u64;
            for (j, p) in planned.iter_mut().enumerate() {
                let d = plus(self.first, i64::try_from(j).unwrap_or(0));
                pending += base_volume(d);
                if cal.is_working(d) {
                    *p += pending.min(5 * base_volume(d));
                    pending = 0;
                }
            }
        }
        if n_cn == 0 {
            return vec![Flights::default(); net.air_lanes.len()];
        }
        net.file
            .air_lanes
            .iter()
            .enumerate()
            .map(|(li, ldef)| {
                let Some(cal) = net
                    .air_lanes
                    .get(li)
                    .and_then(|l| net.calendars.get(l.calendar))
                else {
                    return Flights::default();
                };
                let truth = self.lanes.get(li);
                let headroom = truth.map_or(1300, |t| t.headroom);
                let mut rng = Rng::stream(self.seed, 20, u64::try_from(li).unwrap_or(0));
                // Demand per departure: what was dispatched in time for it.
                let mut demand: BTreeMap<i32, (u64, u64)> = BTreeMap::new();
                for j in 0..self.days {
                    let d = plus(self.first, i64::try_from(j).unwrap_or(0));
                    let Some(dep) = d
                        .add_days(i64::from(ldef.connect_days))
                        .ok()
                        .and_then(|x| cal.next_weekday_on_or_after(x, &ldef.departures))
                    else {
                        continue;
                    };
                    let e = demand.entry(dep.days()).or_insert((0, 0));
                    e.0 += sent.get(j).copied().unwrap_or(0);
                    e.1 += planned.get(j).copied().unwrap_or(0);
                }
                let mut flights = Flights::default();
                let mut carried = 0u64;
                for (dep, (new, plan)) in demand {
                    let date = Date::from_days(i64::from(dep)).unwrap_or(self.first);
                    let mut cap = plan * headroom / 1000 * (850 + rng.below(301)) / 1000;
                    // Less belly space in peak weeks (passenger and e-commerce cargo
                    // compete), more after the Spring Festival (extra freighters).
                    cap = cap * (1000 - 100 * u64::from(peak_level(date)) / 1000) / 1000;
                    // Forwarders find space for half of any backlog (other routings,
                    // charters), so queues clear in days, not weeks.
                    cap += carried / 2;
                    if self.fest.days_after(date, 14).is_some() {
                        cap = cap * 1200 / 1000;
                    }
                    if rng.chance(8_000) {
                        cap = 0; // cancelled
                    }
                    for ev in &self.disruptions {
                        if ev.from <= date
                            && date <= ev.to
                            && ev.what == (DisruptionKind::Airport { lane: li })
                        {
                            cap /= 4;
                        }
                        let after = ev.to.days_until(date);
                        if (1..=7).contains(&after)
                            && ev.what == (DisruptionKind::Airport { lane: li })
                        {
                            cap = cap * 1500 / 1000; // charters clear the backlog
                        }
                    }
                    let (p_new, p_carried);
                    if carried >= cap {
                        p_carried = ratio_ppm(carried - cap, carried);
                        p_new = if new > 0 { PPM } else { 0 };
                        carried = carried - cap + new;
                    } else {
                        let room = cap - carried;
                        p_carried = 0;
                        let over = new.saturating_sub(room);
                        p_new = ratio_ppm(over, new);
                        carried = over;
                    }
                    flights.bumps.insert(dep, (p_new, p_carried));
                }
                flights
            })
            .collect()
    }

    fn disruption_at(&self, what: &DisruptionKind, date: Date) -> Option<&Disruption> {
        self.disruptions
            .iter()
            .find(|e| &e.what == what && e.from <= date && date <= e.to)
    }
}

/// Disruptions over the span: each lane has an airport disruption about once in five
/// years, each market's customs a port delay about once in six; 5 to 9 days each.
fn draw_disruptions(net: &Network, seed: u64, from: Date, end: Date) -> Vec<Disruption> {
    let mut out = Vec::new();
    let blocks = usize::try_from(from.days_until(end).max(0) / 30 + 1).unwrap_or(0);
    let mut consider = |what: DisruptionKind, name: &str, stream: u64, rate_ppm_per_block: u32| {
        let mut rng = Rng::stream(seed, 30, stream);
        for b in 0..blocks {
            if rng.chance(rate_ppm_per_block) {
                let start = plus(
                    from,
                    i64::try_from(b * 30).unwrap_or(0) + i64::from(rng.between(0, 29)),
                );
                let len = i64::from(rng.between(5, 9));
                if start < end {
                    out.push(Disruption {
                        id: format!("{name}-{start}"),
                        what: what.clone(),
                        from: start,
                        to: plus(start, len - 1),
                    });
                }
            }
        }
    };
    for (i, l) in net.file.air_lanes.iter().enumerate() {
        consider(
            DisruptionKind::Airport { lane: i },
            &format!("airport-{}", l.id),
            u64::try_from(i).unwrap_or(0),
            16_000,
        );
    }
    for (i, m) in net.file.markets.iter().enumerate() {
        consider(
            DisruptionKind::Port { market: i },
            &format!("port-{}", m.id),
            1000 + u64::try_from(i).unwrap_or(0),
            14_000,
        );
    }
    out.sort_by_key(|e| (e.from, e.id.clone()));
    out
}

/// A listing for an order in `mode` to `market`, with stock somewhere it can ship from.
fn listing_for(net: &Network, market: &str, mode: Mode, rng: &mut Rng) -> Listing {
    let cats: Vec<&str> = net
        .file
        .categories
        .iter()
        .filter(|c| mode != Mode::FullyManaged || (c.fully_managed && c.hazards.is_empty()))
        .filter(|c| mode == Mode::SemiManaged || c.id != "furniture")
        .map(|c| c.id.as_str())
        .collect();
    let pick = usize::try_from(rng.below(u64::try_from(cats.len()).unwrap_or(0))).unwrap_or(0);
    let category = cats.get(pick).copied().unwrap_or("toys").to_string();
    let heavy = category == "furniture";
    let kind = mode.warehouse_kind();
    let candidates: Vec<&str> = net
        .file
        .warehouses
        .iter()
        .filter(|w| w.kind == kind)
        .filter(|w| kind == WarehouseKind::CnConsolidation || w.market.as_deref() == Some(market))
        .map(|w| w.id.as_str())
        .collect();
    let mut stock: Vec<StockLine> = candidates
        .iter()
        .filter(|id| {
            let p = match **id {
                "cn-gz" => 750_000,
                "cn-yw" => 450_000,
                _ => 700_000,
            };
            rng.chance(p)
        })
        .map(|id| StockLine {
            warehouse: (*id).to_string(),
            quantity: 50,
        })
        .collect();
    if stock.is_empty() {
        let i =
            usize::try_from(rng.below(u64::try_from(candidates.len()).unwrap_or(0))).unwrap_or(0);
        if let Some(id) = candidates.get(i) {
            stock.push(StockLine {
                warehouse: (*id).to_string(),
                quantity: 50,
            });
        }
    }
    let r = |rng: &mut Rng, lo: u32, hi: u32| rng.between(lo, hi);
    Listing {
        weight_g: if heavy {
            r(rng, 8_000, 45_000)
        } else {
            r(rng, 80, 3_000)
        },
        dims_mm: if heavy {
            [r(rng, 800, 2200), r(rng, 400, 1000), r(rng, 300, 900)]
        } else {
            [r(rng, 60, 450), r(rng, 40, 300), r(rng, 10, 200)]
        },
        category,
        mode,
        stock,
        unit_price: None,
    }
}

/// Indices of the network's lists by id.
struct Ids {
    warehouse: BTreeMap<String, usize>,
    lane: BTreeMap<String, usize>,
    last_mile: BTreeMap<String, usize>,
}

impl Ids {
    fn new(net: &Network) -> Ids {
        let idx = |ids: Vec<&str>| -> BTreeMap<String, usize> {
            ids.into_iter()
                .enumerate()
                .map(|(i, s)| (s.to_string(), i))
                .collect()
        };
        Ids {
            warehouse: idx(net.file.warehouses.iter().map(|w| w.id.as_str()).collect()),
            lane: idx(net.file.air_lanes.iter().map(|l| l.id.as_str()).collect()),
            last_mile: idx(net.file.last_mile.iter().map(|l| l.id.as_str()).collect()),
        }
    }
}

/// The first day handling can start for an order at `now`, as the engine counts it.
pub fn handling_start(
    tz: &TimeZone,
    cal: &Calendar,
    cutoff_min: u32,
    now: Instant,
) -> Option<Date> {
    let (local, minute) = tz.local(now);
    if cal.is_working(local) && minute < cutoff_min {
        Some(local)
    } else {
        cal.after(local)
    }
}

/// Simulates `opts` through the true world. `router` is the network the platform routed
/// orders with at the time, with the hand-set distributions the true world is derived
/// from (its calendars and structure must match `net`'s).
pub fn generate(
    net: &Network,
    router: &Network,
    opts: &GenerateOptions,
) -> Result<Generated, Error> {
    if opts.months == 0 || opts.months > 60 {
        return Err(Error::Usage("--months must be between 1 and 60".into()));
    }
    if opts.per_day == 0 || opts.per_day > 20_000 {
        return Err(Error::Usage("--per-day must be between 1 and 20000".into()));
    }
    let end = add_months(opts.from, opts.months)
        .ok_or_else(|| Error::Usage("--from and --months run past the year 9999".into()))?;
    let world = World::new(net, router, opts, end);
    let ids = Ids::new(net);

    // Segments: (market index, zone ids and weights, mode, weight).
    let mut rows = Vec::new();
    let mut unroutable = 0u64;
    let mut next_id = 1u64;
    let total_market: u64 = net
        .file
        .markets
        .iter()
        .map(|m| u64::from(market_weight(&m.id)))
        .sum::<u64>()
        .max(1);
    let mut date = opts.from;
    let mut day_index = 0u64;
    while date < end {
        let mut rng = Rng::stream(opts.seed, 1, day_index);
        for m in &net.file.markets {
            if !opts.markets.is_empty() && !opts.markets.contains(&m.id) {
                continue;
            }
            let has_3pl = net.file.warehouses.iter().any(|w| {
                w.kind == WarehouseKind::Seller3pl && w.market.as_deref() == Some(m.id.as_str())
            });
            let modes: &[(Mode, u64)] = if has_3pl {
                &[
                    (Mode::FullyManaged, 450),
                    (Mode::SemiManaged, 250),
                    (Mode::PlatformLocal, 300),
                ]
            } else {
                &[(Mode::FullyManaged, 600), (Mode::PlatformLocal, 400)]
            };
            let zone_weights: Vec<u32> = m.zones.iter().map(|z| zone_weight(&z.id)).collect();
            for (mode, share) in modes {
                if !opts.modes.is_empty() && !opts.modes.contains(mode) {
                    continue;
                }
                // Expected orders, in millionths, then a whole number drawn around it.
                let mean_micro =
                    u64::from(opts.per_day) * u64::from(market_weight(&m.id)) * 1_000_000
                        / total_market
                        * share
                        / 1000
                        * base_volume(date)
                        / 1000
                        * order_events(date, &m.id, *mode, &world.fest)
                        / 1000;
                let n = mean_micro / 1_000_000
                    + u64::from(rng.below(1_000_000) < mean_micro % 1_000_000);
                for _ in 0..n {
                    let zi = rng.pick(&zone_weights);
                    let Some(zone) = m.zones.get(zi) else {
                        continue;
                    };
                    let Some(tz) = net
                        .zone_index(&zone.id)
                        .and_then(|z| net.zones.get(z))
                        .and_then(|z| net.time_zones.get(z.time_zone))
                    else {
                        continue;
                    };
                    let hour = u32::try_from(rng.pick(&HOURS)).unwrap_or(12);
                    let minute = hour * 60 + rng.between(0, 59);
                    let Ok(now) = tz.instant_of(date, minute) else {
                        continue;
                    };
                    let id = next_id;
                    next_id += 1;
                    let mut srng = Rng::stream(opts.seed, 2, id);
                    let listing = listing_for(net, &m.id, *mode, &mut srng);
                    let dest = Destination {
                        market: m.id.clone(),
                        postal_code: None,
                        zone: Some(zone.id.clone()),
                    };
                    let route = Estimator::new(router, &dest, now)
                        .ok()
                        .and_then(|est| est.quote(&listing, 1).ok())
                        .and_then(|q| q.plan)
                        .and_then(|p| p.parts.into_iter().next());
                    let Some(part) = route else {
                        unroutable += 1;
                        continue;
                    };
                    match world.ship(
                        &ids,
                        id,
                        &part.route,
                        &m.id,
                        &zone.id,
                        *mode,
                        now,
                        &mut srng,
                    ) {
                        Some(s) => rows.push(s),
                        None => unroutable += 1,
                    }
                }
            }
        }
        date = plus(date, 1);
        day_index += 1;
    }
    rows.sort_by_key(|s| (s.ordered, s.id));
    Ok(Generated {
        rows,
        unroutable,
        disruptions: world.disruptions,
    })
}

impl World<'_> {
    /// Sends one order down its route through the true world.
    #[allow(clippy::too_many_arguments)]
    fn ship(
        &self,
        ids: &Ids,
        id: u64,
        route: &str,
        market: &str,
        zone: &str,
        mode: Mode,
        now: Instant,
        rng: &mut Rng,
    ) -> Option<Shipment> {
        let net = self.net;
        let mut parts = route.split('>');
        let wid = parts.next()?;
        let (lane_id, lm_id) = match (parts.next(), parts.next()) {
            (Some(l), Some(m)) => (Some(l), m),
            (Some(m), None) => (None, m),
            _ => return None,
        };
        let w = *ids.warehouse.get(wid)?;
        let wdef = net.file.warehouses.get(w)?;
        let wrt = net.warehouses.get(w)?;
        let wcal = net.calendars.get(wrt.calendar)?;
        let wtz = net.time_zones.get(wrt.time_zone)?;
        let start = handling_start(wtz, wcal, wdef.cutoff_local_min, now)?;
        let base = self.handling.get(w)?.draw(rng);
        let u = rng.below(u64::from(PPM));
        let queued = self.queues.get(w).map_or(0, |q| q.delay(wcal, start, u));
        let handling_days = base + queued;
        let dispatched = wcal.add_working_days(start, handling_days)?;
        let mut disruption = String::new();
        let mut bumps = 0u32;
        let mut customs_hold = false;

        let air = match lane_id {
            None => None,
            Some(lid) => {
                let li = *ids.lane.get(lid)?;
                let ldef = net.file.air_lanes.get(li)?;
                let lrt = net.air_lanes.get(li)?;
                let lcal = net.calendars.get(lrt.calendar)?;
                let truth = self.lanes.get(li)?;
                let flights = self.flights.get(li)?;
                let scheduled = lcal.next_weekday_on_or_after(
                    dispatched.add_days(i64::from(ldef.connect_days)).ok()?,
                    &ldef.departures,
                )?;
                let mut dep = scheduled;
                let (p_new, _) = flights.at(dep);
                if rng.chance(p_new) {
                    loop {
                        bumps += 1;
                        let Some(next) = flights.next_after(dep) else {
                            break;
                        };
                        dep = next;
                        let (_, p_again) = flights.at(dep);
                        if bumps >= 30 || !rng.chance(p_again) {
                            break;
                        }
                    }
                }
                if let Some(ev) =
                    self.disruption_at(&DisruptionKind::Airport { lane: li }, scheduled)
                {
                    disruption = ev.id.clone();
                }
                let mut transit = truth.transit.draw(rng);
                if rng.chance(truth.drift.at(dep)) {
                    transit += 1;
                }
                // Ground handling at Chinese airports thins out before the festival.
                if self.fest.days_before(dep, 7).is_some() && rng.chance(250_000) {
                    transit += 1;
                }
                let landed = dep.add_days(i64::from(transit)).ok()?;
                let air_days = u32::try_from(scheduled.days_until(landed)).ok()?;

                let mi = lrt.market;
                let ctruth = self.customs.get(mi)?.as_ref()?;
                let crt = net.customs.get(mi)?.as_ref()?;
                let ccal = net.calendars.get(crt.calendar)?;
                let mut k = ctruth.clearance.draw(rng);
                if rng.chance(200 * peak_level(landed)) {
                    k += 1;
                }
                if rng.chance(ctruth.hold_ppm) {
                    customs_hold = true;
                    k += 3 + u32::try_from(geometric(rng, 250_000)).unwrap_or(0).min(22);
                }
                if let Some(ev) = self.disruption_at(&DisruptionKind::Port { market: mi }, landed) {
                    k += rng.between(2, 4);
                    disruption = ev.id.clone();
                } else if let Some(ev) = self.disruptions.iter().find(|e| {
                    e.what == (DisruptionKind::Port { market: mi })
                        && (1..=5).contains(&e.to.days_until(landed))
                }) && rng.chance(500_000)
                {
                    // The port works off its backlog over the following days.
                    k += 1;
                    disruption = ev.id.clone();
                }
                let cleared = ccal.add_working_days(landed, k)?;
                Some(AirLeg {
                    lane: lid.to_string(),
                    scheduled_departure: scheduled,
                    actual_departure: dep,
                    air_days,
                    landed,
                    customs_days: k,
                    cleared,
                })
            }
        };

        let lm = *ids.last_mile.get(lm_id)?;
        let lmrt = net.last_mile.get(lm)?;
        let lmcal = net.calendars.get(lmrt.calendar)?;
        let hand_over = air.as_ref().map_or(dispatched, |a| a.cleared);
        let mut k = self.last_mile.get(lm)?.draw(rng);
        let level = peak_level(hand_over);
        let (s1, s2) = match service_of(lm_id) {
            Service::Express => (200, 30),
            Service::Economy => (280, 70),
            Service::Freight => (300, 100),
        };
        let r = rng.below(u64::from(PPM));
        let p2 = u64::from(s2 * level);
        let p1 = u64::from(s1 * level);
        if r < p2 {
            k += 2;
        } else if r < p2 + p1 {
            k += 1;
        }
        if REMOTE_ZONES.contains(&zone) && rng.chance(150_000) {
            k += 1;
        }
        let delivered = lmcal.add_working_days(hand_over, k)?;
        Some(Shipment {
            id,
            route: route.to_string(),
            market: market.to_string(),
            zone: zone.to_string(),
            mode,
            warehouse: wid.to_string(),
            last_mile: lm_id.to_string(),
            ordered: now,
            handling_start: start,
            handling_days,
            dispatched,
            air,
            last_mile_days: k,
            delivered,
            bumps,
            customs_hold,
            disruption,
        })
    }
}

/// Failures before the first success, each trial succeeding with `p_ppm`.
fn geometric(rng: &mut Rng, p_ppm: u32) -> u64 {
    let mut n = 0;
    while n < 1000 && !rng.chance(p_ppm) {
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn months_are_added_with_the_day_clamped() {
        assert_eq!(add_months(d("2026-05-01"), 24), Some(d("2028-05-01")));
        assert_eq!(add_months(d("2026-01-31"), 1), Some(d("2026-02-28")));
        assert_eq!(add_months(d("2026-11-15"), 3), Some(d("2027-02-15")));
    }

    #[test]
    fn peak_weeks_ramp_up_to_black_friday_and_ease_off_by_new_year() {
        assert_eq!(thanksgiving(2026), Some(d("2026-11-26")));
        assert_eq!(thanksgiving(2027), Some(d("2027-11-25")));
        assert_eq!(peak_level(d("2026-11-15")), 0);
        assert!(peak_level(d("2026-11-20")) > 0 && peak_level(d("2026-11-20")) < 1000);
        assert_eq!(peak_level(d("2026-11-27")), 1000);
        assert_eq!(peak_level(d("2026-12-20")), 1000);
        assert!(peak_level(d("2026-12-28")) < 500);
        assert_eq!(peak_level(d("2027-01-02")), 0);
    }

    #[test]
    fn a_seasonal_drift_fades_out_three_months_from_its_peak() {
        let drift = Drift {
            peak_doy: 15,
            amp_ppm: 100_000,
        };
        assert_eq!(drift.at(d("2027-01-16")), 100_000);
        assert!(drift.at(d("2026-12-20")) > 0);
        assert_eq!(drift.at(d("2027-07-01")), 0);
    }

    #[test]
    fn reshaped_tables_sum_to_a_million() {
        let t = Table::reshaped(1, &[80, 20], 1060, 880, 800);
        assert_eq!(t.ppm.iter().sum::<u32>(), PPM);
        assert_eq!(t.ppm.len(), 3);
        for id in ["lm-a-economy", "lm-b-freight", "lm-c-express"] {
            let t = last_mile_truth(id, 2, &[50, 40, 10]);
            assert_eq!(t.ppm.iter().sum::<u32>(), PPM, "{id}");
        }
    }
}
