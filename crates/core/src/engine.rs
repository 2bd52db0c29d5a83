//! The routing engine: which warehouse ships an order, over which legs, what it costs,
//! and the delivery window the platform promises.
//!
//! # How a window is computed
//! Every leg's duration is a distribution over whole days ([`crate::network::Dist`]).
//! Starting from the order instant, the engine walks the legs through their calendars:
//!
//! 1. **Handling** at the warehouse starts today if the order is in before the local
//!    cut-off on a working day, otherwise on the next working day; it takes `k` working
//!    days of the warehouse calendar.
//! 2. **Air line-haul** (fully managed only) leaves on the first departure weekday at least
//!    `connect_days` after dispatch that is open on the lane's calendar (no departures over
//!    the Spring Festival closure), and lands `k` calendar days later.
//! 3. **Customs** releases `k` working days of the customs calendar after arrival.
//! 4. **Last mile** delivers `k` working days of the carrier's calendar after hand-over.
//!
//! Each step maps every possible date to its successors with integer weights, so the
//! result is an exact distribution of delivery dates (in `u128`, no floating point). The
//! promised window is the narrowest run of consecutive dates whose weight reaches the
//! network's target coverage (97 % by default), the earliest such run on ties. The cut-off
//! is the instant until which an order keeps this window.
//!
//! The timing of a route depends on the destination, the route and the order instant, not
//! on the listing, so an [`Estimator`] computes it once per route and reuses it for every
//! listing (thousands of cards per page).
//!
//! # The platform's choice
//! Among the routes that can ship the whole quantity from one warehouse, the platform
//! chooses the one whose window ends first, then the one whose window starts first, then
//! the cheapest, then the first in the network file. When no single warehouse has the
//! quantity, the order is split: the fewest parts first, then the earliest window (the
//! order's window is the latest of its parts), then the lowest cost.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::money::{Currency, Money, MoneyError, Rounding, convert, div_round};
use crate::network::{LegDist, Network};
use crate::postal::PostalError;
use crate::schema::{CategoryDef, Hazard, LastMileDef, WarehouseKind};
use crate::time::{Date, Instant};

/// How a SKU is fulfilled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Stock in the platform's consolidation warehouse in China; air to the shopper.
    FullyManaged,
    /// Stock in the seller's own or 3PL warehouse in the market.
    SemiManaged,
    /// Stock in the platform's warehouse in the market.
    PlatformLocal,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::FullyManaged, Mode::SemiManaged, Mode::PlatformLocal];

    /// The kind of warehouse that holds stock in this mode.
    pub fn warehouse_kind(self) -> WarehouseKind {
        match self {
            Mode::FullyManaged => WarehouseKind::CnConsolidation,
            Mode::SemiManaged => WarehouseKind::Seller3pl,
            Mode::PlatformLocal => WarehouseKind::PlatformLocal,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Mode::FullyManaged => "Fully managed",
            Mode::SemiManaged => "Semi-managed",
            Mode::PlatformLocal => "Platform local warehouse",
        }
    }
}

/// Units of a SKU on hand in one warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockLine {
    pub warehouse: String,
    pub quantity: u32,
}

/// What the engine needs to know about a listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    /// Weight of one unit, packed, in grams.
    pub weight_g: u32,
    /// Packed length, width and height of one unit, in millimetres.
    pub dims_mm: [u32; 3],
    /// A category id from the network.
    pub category: String,
    pub mode: Mode,
    pub stock: Vec<StockLine>,
    /// Price of one unit in the market's currency, for the free-shipping threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Money>,
}

/// Where the order goes: a market and either a postal code or a zone id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Destination {
    pub market: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
}

/// A quote request: one listing, where to, how many, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteRequest {
    pub listing: Listing,
    pub destination: Destination,
    pub quantity: u32,
    pub now: Instant,
}

/// Why no quote could be made at all (as opposed to a route being infeasible).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuoteError {
    UnknownMarket(String),
    UnknownZone {
        market: String,
        zone: String,
    },
    /// Neither a postal code nor a zone was given.
    NoDestination,
    Postal(PostalError),
    UnknownCategory(String),
    UnknownWarehouse(String),
    ZeroQuantity,
    ZeroWeight,
    ZeroDimension,
}

impl std::fmt::Display for QuoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QuoteError::UnknownMarket(m) => write!(f, "\"{m}\" is not a market we deliver to"),
            QuoteError::UnknownZone { market, zone } => {
                write!(f, "\"{zone}\" is not a delivery zone of {market}")
            }
            QuoteError::NoDestination => f.write_str("give a postal code or a delivery zone"),
            QuoteError::Postal(e) => write!(f, "{e}"),
            QuoteError::UnknownCategory(c) => write!(f, "\"{c}\" is not a product category"),
            QuoteError::UnknownWarehouse(w) => {
                write!(f, "\"{w}\" is not a warehouse in the network")
            }
            QuoteError::ZeroQuantity => f.write_str("the quantity must be at least 1"),
            QuoteError::ZeroWeight => f.write_str("the weight must be above zero grams"),
            QuoteError::ZeroDimension => f.write_str("every side must be above zero millimetres"),
        }
    }
}

impl std::error::Error for QuoteError {}

/// A promised delivery window: calendar dates in the destination's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub earliest: Date,
    pub latest: Date,
    /// Share of outcomes inside the window, in basis points.
    pub probability_bp: u32,
}

impl Window {
    /// Orders windows by when they end, then by when they start.
    fn speed_cmp(&self, other: &Window) -> Ordering {
        self.latest
            .cmp(&other.latest)
            .then(self.earliest.cmp(&other.earliest))
    }
}

/// Share of outcomes on one delivery date, in parts per million (rounded down).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateShare {
    pub date: Date,
    pub ppm: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegKind {
    Handling,
    AirFreight,
    Customs,
    LastMile,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayUnit {
    WorkingDays,
    CalendarDays,
}

/// One leg of a route on the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leg {
    pub kind: LegKind,
    pub name: String,
    /// Earliest date the leg can start.
    pub start: Date,
    /// Earliest and latest date it ends (across all outcomes).
    pub end_earliest: Date,
    pub end_latest: Date,
    /// Its own duration range.
    pub min_days: u32,
    pub max_days: u32,
    pub unit: DayUnit,
    /// What the leg costs the platform, in the market's currency.
    pub cost: Money,
}

/// Why a route cannot ship this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InfeasibleCode {
    NoStock,
    NotInProgramme,
    CategoryRestricted,
    Oversize,
    LaneCapacity,
    ZoneNotServed,
    NoDeparture,
    TooLarge,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Infeasibility {
    pub code: InfeasibleCode,
    pub message: String,
}

/// A route that can ship the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeasibleRoute {
    pub legs: Vec<Leg>,
    pub window: Window,
    /// Order before this instant to keep the window.
    pub cutoff: Instant,
    /// What fulfilment and shipping cost the platform, in the market's currency.
    pub cost: Money,
    /// What the shopper pays for delivery.
    pub shopper_fee: Money,
    pub chargeable_weight_g: u64,
    pub parcels: u32,
    pub distribution: Vec<DateShare>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RouteStatus {
    Feasible(FeasibleRoute),
    Infeasible(Infeasibility),
}

/// One candidate route, feasible or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteOption {
    /// Warehouse, line-haul and last-mile ids joined by ">".
    pub id: String,
    pub warehouse: String,
    pub warehouse_name: String,
    pub mode: Mode,
    #[serde(flatten)]
    pub status: RouteStatus,
}

/// Why the platform chose what it chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceReason {
    /// The only warehouse with enough stock.
    OnlyWithStock,
    /// The only route that can ship it at all.
    OnlyFeasible,
    /// Its window ends before every other route's.
    Fastest,
    /// Others keep the same window; this one costs least.
    FastestThenCheapest,
    /// No single warehouse has the quantity.
    Split,
}

/// Part of a (possibly split) shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub route: String,
    pub warehouse: String,
    pub quantity: u32,
    pub window: Window,
    /// Order before this instant to keep this part's window.
    pub cutoff: Instant,
    pub cost: Money,
}

/// The platform's choice for the order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub parts: Vec<Part>,
    pub window: Window,
    pub cutoff: Instant,
    pub cost: Money,
    pub shopper_fee: Money,
    pub reason: ChoiceReason,
    pub sentence: String,
}

/// Everything the engine says about a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub network_version: String,
    pub market: String,
    pub zone: String,
    pub zone_name: String,
    /// Today's date in the destination's time zone.
    pub today: Date,
    pub now: Instant,
    pub quantity: u32,
    pub routes: Vec<RouteOption>,
    pub plan: Option<Plan>,
    /// Why there is no plan, when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<String>,
}

/// The fast answer for a storefront card: the chosen window and what it costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Promise {
    pub window: Window,
    pub cutoff: Instant,
    pub cost: Money,
    pub parts: u32,
    /// Index into the estimator's paths of the first part's route.
    pub path: usize,
}

/// A route's timing, independent of any listing ([`Estimator::route_timings`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteTiming<'a> {
    /// Warehouse, line-haul and last-mile ids joined by ">".
    pub id: String,
    pub window: Window,
    /// Order before this instant to keep the window.
    pub cutoff: Instant,
    pub distribution: &'a [DateShare],
}

/// Shorthand: resolve the destination, estimate, and explain, in one call.
pub fn quote(net: &Network, req: &QuoteRequest) -> Result<Quote, QuoteError> {
    let est = Estimator::new(net, &req.destination, req.now)?;
    est.quote(&req.listing, req.quantity)
}

/// A timed route from one warehouse to the destination zone (listing-independent).
#[derive(Debug, Clone)]
struct Path {
    warehouse: usize,
    air: Option<usize>,
    last_mile: usize,
    timing: Option<Timing>,
}

#[derive(Debug, Clone)]
struct Timing {
    window: Window,
    cutoff: Instant,
    /// Per leg: (start earliest, end earliest, end latest).
    stages: Vec<(Date, Date, Date)>,
    distribution: Vec<DateShare>,
}

/// Estimates for one destination at one instant, reused across listings.
#[derive(Debug)]
pub struct Estimator<'n> {
    net: &'n Network,
    market: usize,
    zone: usize,
    now: Instant,
    today: Date,
    currency: Currency,
    paths: Vec<Path>,
    /// Path indices per warehouse index.
    paths_by_warehouse: Vec<Vec<usize>>,
    /// Warehouses of each kind that serve this market (fully managed, semi, local).
    serving: [Vec<usize>; 3],
}

/// A route's evaluation for one listing and quantity.
#[derive(Debug, Clone)]
struct Costed {
    legs_cost: Vec<Money>,
    cost: Money,
    chargeable_g: u64,
    parcels: u32,
}

impl<'n> Estimator<'n> {
    /// Resolves the destination and times every route into it as of `now`.
    pub fn new(
        net: &'n Network,
        dest: &Destination,
        now: Instant,
    ) -> Result<Estimator<'n>, QuoteError> {
        let market = net
            .market_index(&dest.market)
            .ok_or_else(|| QuoteError::UnknownMarket(dest.market.clone()))?;
        let zone = resolve_zone(net, market, dest)?;
        Ok(Estimator::for_zone(net, market, zone, now))
    }

    fn for_zone(net: &'n Network, market: usize, zone: usize, now: Instant) -> Estimator<'n> {
        let tz = net
            .zones
            .get(zone)
            .and_then(|z| net.time_zones.get(z.time_zone));
        let today = tz
            .map(|t| t.date(now))
            .unwrap_or_else(|| now.utc_date_minute().0);
        let currency = net
            .markets
            .get(market)
            .map(|m| m.currency)
            .unwrap_or(Currency {
                code: crate::money::CurrencyCode::XXX,
                exponent: 2,
            });
        let mut est = Estimator {
            net,
            market,
            zone,
            now,
            today,
            currency,
            paths: Vec::new(),
            paths_by_warehouse: Vec::new(),
            serving: [Vec::new(), Vec::new(), Vec::new()],
        };
        est.paths = est.build_paths();
        let mut by_wh = vec![Vec::new(); net.file.warehouses.len()];
        for (i, p) in est.paths.iter().enumerate() {
            if let Some(v) = by_wh.get_mut(p.warehouse) {
                v.push(i);
            }
        }
        est.paths_by_warehouse = by_wh;
        let mut serving: [Vec<usize>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        for (slot, mode) in serving.iter_mut().zip(Mode::ALL) {
            let kind = mode.warehouse_kind();
            *slot = net
                .file
                .warehouses
                .iter()
                .enumerate()
                .filter(|(w, wh)| {
                    wh.kind == kind
                        && (est
                            .paths_by_warehouse
                            .get(*w)
                            .is_some_and(|p| !p.is_empty())
                            || est.serves_market(*w))
                })
                .map(|(w, _)| w)
                .collect();
        }
        est.serving = serving;
        est
    }

    fn market_def(&self) -> Option<&'n crate::schema::MarketDef> {
        self.net.file.markets.get(self.market)
    }

    fn zone_def(&self) -> Option<&'n crate::network::Zone> {
        self.net.zones.get(self.zone)
    }

    /// The warehouse a promise ships from (its first part's, for a split).
    pub fn promise_warehouse(&self, promise: &Promise) -> Option<&'n crate::schema::WarehouseDef> {
        let w = self.paths.get(promise.path)?.warehouse;
        self.net.file.warehouses.get(w)
    }

    /// The market and zone ids this estimator serves.
    pub fn destination(&self) -> (&str, &str) {
        let m = self.market_def().map(|m| m.id.as_str()).unwrap_or("");
        let z = self.zone_def().map(|z| z.id.as_str()).unwrap_or("");
        (m, z)
    }

    /// Today in the destination's time zone.
    pub fn today(&self) -> Date {
        self.today
    }

    /// Every route into the destination with its timing as of this estimator's instant,
    /// whatever the listing (routes with no departure within the calendars are left out).
    /// For replaying delivery history: a shipment's own route, not the platform's choice.
    pub fn route_timings(&self) -> Vec<RouteTiming<'_>> {
        self.paths
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let t = p.timing.as_ref()?;
                Some(RouteTiming {
                    id: self.route_id(p.warehouse, Some(i)),
                    window: t.window,
                    cutoff: t.cutoff,
                    distribution: &t.distribution,
                })
            })
            .collect()
    }

    fn build_paths(&self) -> Vec<Path> {
        let net = self.net;
        let mut paths = Vec::new();
        for (w, wh) in net.file.warehouses.iter().enumerate() {
            let Some(rt) = net.warehouses.get(w) else {
                continue;
            };
            match wh.kind {
                WarehouseKind::CnConsolidation => {
                    for (a, lane) in net.air_lanes.iter().enumerate() {
                        if lane.market != self.market || !lane.origins.contains(&w) {
                            continue;
                        }
                        for lm in self.last_mile_services(lane.gateway_zone, wh.kind) {
                            paths.push(Path {
                                warehouse: w,
                                air: Some(a),
                                last_mile: lm,
                                timing: None,
                            });
                        }
                    }
                }
                WarehouseKind::Seller3pl | WarehouseKind::PlatformLocal => {
                    if rt.market != Some(self.market) {
                        continue;
                    }
                    if let Some(z) = rt.zone {
                        for lm in self.last_mile_services(z, wh.kind) {
                            paths.push(Path {
                                warehouse: w,
                                air: None,
                                last_mile: lm,
                                timing: None,
                            });
                        }
                    }
                }
            }
        }
        for p in &mut paths {
            p.timing = time_path(net, p, self.zone, self.now, self.today);
        }
        paths
    }

    fn last_mile_services(&self, from_zone: usize, kind: WarehouseKind) -> Vec<usize> {
        self.net
            .last_mile
            .iter()
            .zip(&self.net.file.last_mile)
            .enumerate()
            .filter(|(_, (l, def))| {
                l.market == self.market
                    && l.from_zones.contains(&from_zone)
                    && l.to_zones.contains(&self.zone)
                    && (def.only_for.is_empty() || def.only_for.contains(&kind))
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn category(&self, id: &str) -> Result<&'n CategoryDef, QuoteError> {
        self.net
            .category_index(id)
            .and_then(|i| self.net.file.categories.get(i))
            .ok_or_else(|| QuoteError::UnknownCategory(id.to_string()))
    }

    fn check_listing(&self, listing: &Listing, qty: u32) -> Result<&'n CategoryDef, QuoteError> {
        if qty == 0 {
            return Err(QuoteError::ZeroQuantity);
        }
        if listing.weight_g == 0 {
            return Err(QuoteError::ZeroWeight);
        }
        if listing.dims_mm.contains(&0) {
            return Err(QuoteError::ZeroDimension);
        }
        for s in &listing.stock {
            if self.net.warehouse_index(&s.warehouse).is_none() {
                return Err(QuoteError::UnknownWarehouse(s.warehouse.clone()));
            }
        }
        self.category(&listing.category)
    }

    /// Candidate warehouses for the listing's mode, in network order: those of the
    /// mode's kind that serve this market, plus any of that kind holding the listing's
    /// stock elsewhere (shown as not serving the market).
    fn candidate_warehouses(&self, mode: Mode, listing: &Listing) -> Vec<usize> {
        let kind = mode.warehouse_kind();
        let serving = self.serving_for(mode);
        self.net
            .file
            .warehouses
            .iter()
            .enumerate()
            .filter(|(w, wh)| {
                wh.kind == kind
                    && (serving.contains(w)
                        || listing
                            .stock
                            .iter()
                            .any(|s| s.warehouse == wh.id && s.quantity > 0))
            })
            .map(|(w, _)| w)
            .collect()
    }

    fn serving_for(&self, mode: Mode) -> &[usize] {
        let i = match mode {
            Mode::FullyManaged => 0,
            Mode::SemiManaged => 1,
            Mode::PlatformLocal => 2,
        };
        self.serving.get(i).map(Vec::as_slice).unwrap_or(&[])
    }

    fn serves_market(&self, w: usize) -> bool {
        match self.net.warehouses.get(w) {
            Some(rt) if rt.market.is_some() => rt.market == Some(self.market),
            // China: serves the market if some air lane from it goes there.
            Some(_) => self
                .net
                .air_lanes
                .iter()
                .any(|l| l.market == self.market && l.origins.contains(&w)),
            None => false,
        }
    }

    fn stock_at(&self, listing: &Listing, w: usize) -> u64 {
        let id = self
            .net
            .file
            .warehouses
            .get(w)
            .map(|x| x.id.as_str())
            .unwrap_or("");
        listing
            .stock
            .iter()
            .filter(|s| s.warehouse == id)
            .map(|s| u64::from(s.quantity))
            .sum()
    }

    /// For warehouse `w`: the first path that can carry `qty` units (ignoring stock), or
    /// the reason none can.
    fn best_path(
        &self,
        w: usize,
        listing: &Listing,
        cat: &CategoryDef,
        qty: u32,
    ) -> Result<(usize, Costed), Infeasibility> {
        let mut first_err: Option<Infeasibility> = None;
        let mut keep = |e: Infeasibility| {
            if first_err.as_ref().is_none_or(|f| e.code > f.code) {
                first_err = Some(e);
            }
        };
        let mut any = false;
        let mut found: Option<(usize, Costed)> = None;
        let path_ids = self
            .paths_by_warehouse
            .get(w)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for &i in path_ids {
            let Some(p) = self.paths.get(i) else { continue };
            any = true;
            if p.timing.is_none() {
                keep(Infeasibility {
                    code: InfeasibleCode::NoDeparture,
                    message: "no departure or delivery day within the next two years on this route's calendars".into(),
                });
                continue;
            }
            match self.cost_path(p, listing, cat, qty) {
                Ok(c) => {
                    let faster = |b: &(usize, Costed)| {
                        let tb = self.paths.get(b.0).and_then(|x| x.timing.as_ref());
                        match (p.timing.as_ref(), tb) {
                            (Some(ta), Some(tb)) => {
                                ta.window
                                    .speed_cmp(&tb.window)
                                    .then(c.cost.minor().cmp(&b.1.cost.minor()))
                                    == Ordering::Less
                            }
                            _ => false,
                        }
                    };
                    if found.as_ref().is_none_or(faster) {
                        found = Some((i, c));
                    }
                }
                Err(e) => keep(e),
            }
        }
        if let Some(f) = found {
            return Ok(f);
        }
        if !any {
            let market_name = self.market_def().map(|m| m.name.as_str()).unwrap_or("");
            let zone_name = self.zone_def().map(|z| z.name.as_str()).unwrap_or("");
            return Err(if self.serves_market(w) {
                Infeasibility {
                    code: InfeasibleCode::ZoneNotServed,
                    message: format!("no carrier from this warehouse delivers to {zone_name}"),
                }
            } else {
                Infeasibility {
                    code: InfeasibleCode::ZoneNotServed,
                    message: format!("this warehouse does not ship to {market_name}"),
                }
            });
        }
        Err(first_err.unwrap_or(Infeasibility {
            code: InfeasibleCode::ZoneNotServed,
            message: "no route".into(),
        }))
    }

    /// Costs one path for the listing, or says why it cannot carry it.
    fn cost_path(
        &self,
        p: &Path,
        listing: &Listing,
        cat: &CategoryDef,
        qty: u32,
    ) -> Result<Costed, Infeasibility> {
        let net = self.net;
        let qty64 = u64::from(qty);
        let total_g = u64::from(listing.weight_g).saturating_mul(qty64);
        let [l, wd, h] = listing.dims_mm;
        let longest = l.max(wd).max(h);
        // mm³ per unit; up to 2^96, so u128.
        let unit_mm3 = u128::from(l) * u128::from(wd) * u128::from(h);
        let total_mm3 = unit_mm3.saturating_mul(u128::from(qty));
        let wh_def = net.file.warehouses.get(p.warehouse);
        let too_large = || Infeasibility {
            code: InfeasibleCode::TooLarge,
            message: "the order is too large to price".into(),
        };
        let mut legs_cost = Vec::with_capacity(4);
        let mut chargeable_g = total_g;

        // Handling at the warehouse.
        let handling = match (wh_def, net.warehouses.get(p.warehouse)) {
            (Some(wd), Some(rt)) => {
                Money::from_minor(wd.fees.handling_per_unit_minor, rt.fee_currency)
                    .checked_mul(i64::from(qty))
                    .map_err(|_| too_large())?
            }
            _ => return Err(too_large()),
        };
        legs_cost.push(self.to_market(handling).map_err(|_| too_large())?);

        if let Some(a) = p.air {
            let lane = net.file.air_lanes.get(a).ok_or_else(too_large)?;
            if let Some(hz) = cat
                .hazards
                .iter()
                .find(|h| lane.restricted_hazards.contains(h))
            {
                return Err(Infeasibility {
                    code: InfeasibleCode::CategoryRestricted,
                    message: format!(
                        "{} cannot fly on {}",
                        capitalise(Hazard::describe(*hz)),
                        lane.name
                    ),
                });
            }
            if listing.weight_g > lane.max_unit_weight_g || longest > lane.max_unit_length_mm {
                return Err(Infeasibility {
                    code: InfeasibleCode::Oversize,
                    message: format!(
                        "too big for air freight: {} takes up to {} kg and {} cm a side",
                        lane.name,
                        lane.max_unit_weight_g / 1000,
                        lane.max_unit_length_mm / 10
                    ),
                });
            }
            if !cat.fully_managed {
                return Err(Infeasibility {
                    code: InfeasibleCode::NotInProgramme,
                    message: format!(
                        "{} are not accepted for fully managed fulfilment",
                        cat.name.to_ascii_lowercase()
                    ),
                });
            }
            // Volumetric weight: cm³ / divisor kg = mm³ / (1000 × divisor) kg = mm³ / divisor g.
            let divisor = u128::from(lane.volumetric_divisor_cm3_per_kg.max(1));
            let vol_g = total_mm3.div_ceil(divisor);
            let vol_g = u64::try_from(vol_g).map_err(|_| too_large())?;
            let inc = u64::from(lane.rates.increment_g.max(1));
            let raw = total_g
                .max(vol_g)
                .max(u64::from(lane.rates.min_chargeable_g));
            chargeable_g = raw.div_ceil(inc).checked_mul(inc).ok_or_else(too_large)?;
            if chargeable_g > u64::from(lane.capacity_kg_per_departure) * 1000 {
                return Err(Infeasibility {
                    code: InfeasibleCode::LaneCapacity,
                    message: format!(
                        "{} kg chargeable is more than one departure of {} carries ({} kg)",
                        chargeable_g.div_ceil(1000),
                        lane.name,
                        lane.capacity_kg_per_departure
                    ),
                });
            }
            let per_kg = lane
                .rates
                .breaks
                .iter()
                .rev()
                .find(|b| u64::from(b.from_g) <= chargeable_g)
                .map(|b| b.per_kg_minor)
                .unwrap_or(0);
            let freight = div_round(
                i128::from(per_kg) * i128::from(chargeable_g),
                1000,
                Rounding::Up,
            )
            .and_then(|v| v.checked_add(i128::from(lane.rates.per_shipment_minor)))
            .and_then(|v| i64::try_from(v).ok())
            .ok_or_else(too_large)?;
            let lane_rt = net.air_lanes.get(a).ok_or_else(too_large)?;
            let air = Money::from_minor(freight, lane_rt.currency);
            legs_cost.push(self.to_market(air).map_err(|_| too_large())?);
            let customs = net
                .customs
                .get(self.market)
                .and_then(Option::as_ref)
                .ok_or_else(too_large)?;
            let fee = Money::from_minor(customs.fee_per_shipment_minor, customs.currency);
            legs_cost.push(self.to_market(fee).map_err(|_| too_large())?);
        }

        let lm = net.file.last_mile.get(p.last_mile).ok_or_else(too_large)?;
        if listing.weight_g > lm.max_parcel_g || longest > lm.max_length_mm {
            return Err(Infeasibility {
                code: InfeasibleCode::Oversize,
                message: format!(
                    "too big for {}: it takes parcels up to {} kg and {} cm long",
                    lm.carrier,
                    lm.max_parcel_g / 1000,
                    lm.max_length_mm / 10
                ),
            });
        }
        let (lm_minor, parcels) =
            last_mile_price(lm, listing.weight_g, qty).ok_or_else(too_large)?;
        let lm_rt = net.last_mile.get(p.last_mile).ok_or_else(too_large)?;
        let lm_cost = Money::from_minor(lm_minor, lm_rt.currency);
        legs_cost.push(self.to_market(lm_cost).map_err(|_| too_large())?);

        let mut cost = Money::zero(self.currency);
        for c in &legs_cost {
            cost = cost.checked_add(*c).map_err(|_| too_large())?;
        }
        Ok(Costed {
            legs_cost,
            cost,
            chargeable_g,
            parcels,
        })
    }

    fn to_market(&self, m: Money) -> Result<Money, MoneyError> {
        let from = self
            .net
            .fx_rate(m.currency().code)
            .ok_or(MoneyError::NoRate(m.currency().code))?;
        let to = self
            .net
            .fx_rate(self.currency.code)
            .ok_or(MoneyError::NoRate(self.currency.code))?;
        convert(m, from, self.currency, to, Rounding::HalfUp)
    }

    fn shopper_fee(&self, listing: &Listing, qty: u32) -> Money {
        let Some(m) = self.market_def() else {
            return Money::zero(self.currency);
        };
        let fee = Money::from_minor(m.shopper_fee.standard_minor, self.currency);
        let (Some(threshold), Some(price)) = (m.shopper_fee.free_over_minor, listing.unit_price)
        else {
            return fee;
        };
        if price.currency().code != self.currency.code {
            return fee;
        }
        match price.checked_mul(i64::from(qty)) {
            Ok(total) if total.minor() >= threshold => Money::zero(self.currency),
            // Overflow means an enormous order: it clears any threshold.
            Err(_) => Money::zero(self.currency),
            _ => fee,
        }
    }

    /// The chosen window for a listing: the fast path for storefront cards. `None` when
    /// nothing can ship it.
    pub fn promise(&self, listing: &Listing, qty: u32) -> Option<Promise> {
        let cat = self.check_listing(listing, qty).ok()?;
        let candidates = self.serving_for(listing.mode);
        let mut best: Option<Promise> = None;
        for &w in candidates {
            if self.stock_at(listing, w) < u64::from(qty) {
                continue;
            }
            if let Ok((pi, c)) = self.best_path(w, listing, cat, qty)
                && let Some(t) = self.paths.get(pi).and_then(|p| p.timing.as_ref())
            {
                let cand = Promise {
                    window: t.window,
                    cutoff: t.cutoff,
                    cost: c.cost,
                    parts: 1,
                    path: pi,
                };
                if best.as_ref().is_none_or(|b| better(&cand, b)) {
                    best = Some(cand);
                }
            }
        }
        if best.is_some() {
            return best;
        }
        self.split(listing, cat, qty, candidates).map(|s| s.promise)
    }

    /// Every candidate route with its verdict, and the platform's choice.
    pub fn quote(&self, listing: &Listing, qty: u32) -> Result<Quote, QuoteError> {
        let cat = self.check_listing(listing, qty)?;
        let net = self.net;
        let candidates = self.candidate_warehouses(listing.mode, listing);
        let fee = self.shopper_fee(listing, qty);
        let mut routes = Vec::new();
        // (route index, warehouse, promise) of each feasible single-warehouse route.
        let mut feasible: Vec<(usize, Promise)> = Vec::new();
        let mut stock_only = 0usize;
        for &w in &candidates {
            let wh = net.file.warehouses.get(w);
            let wid = wh.map(|x| x.id.clone()).unwrap_or_default();
            let wname = wh.map(|x| x.name.clone()).unwrap_or_default();
            let have = self.stock_at(listing, w);
            let status = match self.best_path(w, listing, cat, qty) {
                Err(e) => (self.route_id(w, None), RouteStatus::Infeasible(e)),
                Ok((pi, c)) => {
                    let id = self.route_id(w, Some(pi));
                    if have < u64::from(qty) {
                        stock_only += 1;
                        let message = if have == 0 {
                            "no stock in this warehouse".to_string()
                        } else {
                            format!("only {have} in stock here, {qty} ordered")
                        };
                        (
                            id,
                            RouteStatus::Infeasible(Infeasibility {
                                code: InfeasibleCode::NoStock,
                                message,
                            }),
                        )
                    } else {
                        match self.feasible_route(pi, &c, fee) {
                            Some(f) => {
                                feasible.push((
                                    routes.len(),
                                    Promise {
                                        window: f.window,
                                        cutoff: f.cutoff,
                                        cost: f.cost,
                                        parts: 1,
                                        path: pi,
                                    },
                                ));
                                (id, RouteStatus::Feasible(f))
                            }
                            None => (
                                id,
                                RouteStatus::Infeasible(Infeasibility {
                                    code: InfeasibleCode::NoDeparture,
                                    message: "no departure on this route's calendars".into(),
                                }),
                            ),
                        }
                    }
                }
            };
            routes.push(RouteOption {
                id: status.0,
                warehouse: wid,
                warehouse_name: wname,
                mode: listing.mode,
                status: status.1,
            });
        }

        let mut plan = None;
        if let Some((best_i, best)) = feasible
            .iter()
            .copied()
            .reduce(|a, b| if better(&b.1, &a.1) { b } else { a })
        {
            let route = routes.get(best_i);
            let reason = if feasible.len() == 1 {
                if stock_only > 0 {
                    ChoiceReason::OnlyWithStock
                } else {
                    ChoiceReason::OnlyFeasible
                }
            } else if feasible
                .iter()
                .any(|(i, p)| *i != best_i && p.window.speed_cmp(&best.window) == Ordering::Equal)
            {
                ChoiceReason::FastestThenCheapest
            } else {
                ChoiceReason::Fastest
            };
            let sentence = match reason {
                ChoiceReason::OnlyWithStock => "only warehouse with stock".to_string(),
                ChoiceReason::OnlyFeasible => "only route that can ship it".to_string(),
                ChoiceReason::Fastest => "fastest promise we can keep".to_string(),
                ChoiceReason::FastestThenCheapest => {
                    "fastest promise we can keep; cheapest of the routes that keep it".to_string()
                }
                ChoiceReason::Split => String::new(),
            };
            plan = Some(Plan {
                parts: vec![Part {
                    route: route.map(|r| r.id.clone()).unwrap_or_default(),
                    warehouse: route.map(|r| r.warehouse.clone()).unwrap_or_default(),
                    quantity: qty,
                    window: best.window,
                    cutoff: best.cutoff,
                    cost: best.cost,
                }],
                window: best.window,
                cutoff: best.cutoff,
                cost: best.cost,
                shopper_fee: fee,
                reason,
                sentence,
            });
        } else if let Some(s) = self.split(listing, cat, qty, &candidates) {
            let names: Vec<String> = s
                .parts
                .iter()
                .map(|p| {
                    net.file
                        .warehouses
                        .get(p.0)
                        .map(|w| w.name.clone())
                        .unwrap_or_default()
                })
                .collect();
            let parts = s
                .parts
                .iter()
                .map(|(w, pi, q, window, cutoff, cost)| Part {
                    route: self.route_id(*w, Some(*pi)),
                    warehouse: net
                        .file
                        .warehouses
                        .get(*w)
                        .map(|x| x.id.clone())
                        .unwrap_or_default(),
                    quantity: *q,
                    window: *window,
                    cutoff: *cutoff,
                    cost: *cost,
                })
                .collect();
            plan = Some(Plan {
                parts,
                window: s.promise.window,
                cutoff: s.promise.cutoff,
                cost: s.promise.cost,
                shopper_fee: fee,
                reason: ChoiceReason::Split,
                sentence: format!(
                    "no single warehouse has {qty}; ships in {} parts from {}",
                    s.parts.len(),
                    join_names(&names)
                ),
            });
        }
        let unavailable = if plan.is_some() {
            None
        } else if routes.is_empty() {
            Some(format!(
                "no {} route delivers to this address",
                listing.mode.label().to_ascii_lowercase()
            ))
        } else if stock_only > 0 {
            Some(format!(
                "not enough stock for {qty} in the warehouses that deliver to this address"
            ))
        } else {
            Some("no route can ship this item to this address".to_string())
        };
        let (market, zone) = self.destination();
        Ok(Quote {
            network_version: net.version().to_string(),
            market: market.to_string(),
            zone: zone.to_string(),
            zone_name: net
                .zones
                .get(self.zone)
                .map(|z| z.name.clone())
                .unwrap_or_default(),
            today: self.today,
            now: self.now,
            quantity: qty,
            routes,
            plan,
            unavailable,
        })
    }

    fn route_id(&self, w: usize, path: Option<usize>) -> String {
        let net = self.net;
        let mut id = net
            .file
            .warehouses
            .get(w)
            .map(|x| x.id.clone())
            .unwrap_or_default();
        if let Some(p) = path.and_then(|pi| self.paths.get(pi)) {
            if let Some(a) = p.air.and_then(|a| net.file.air_lanes.get(a)) {
                id.push('>');
                id.push_str(&a.id);
            }
            if let Some(l) = net.file.last_mile.get(p.last_mile) {
                id.push('>');
                id.push_str(&l.id);
            }
        }
        id
    }

    fn feasible_route(&self, pi: usize, c: &Costed, fee: Money) -> Option<FeasibleRoute> {
        let net = self.net;
        let p = self.paths.get(pi)?;
        let t = p.timing.as_ref()?;
        let wh = net.file.warehouses.get(p.warehouse)?;
        let whr = net.warehouses.get(p.warehouse)?;
        let mut legs = Vec::new();
        let mut stage = t.stages.iter();
        let mut costs = c.legs_cost.iter();
        let seasons = net.seasons.as_slice();
        let mut push = |kind, name: String, dist: &LegDist, unit| -> Option<()> {
            let (s, e0, e1) = *stage.next()?;
            let (min_days, max_days) = dist.at(seasons, s).range();
            legs.push(Leg {
                kind,
                name,
                start: s,
                end_earliest: e0,
                end_latest: e1,
                min_days,
                max_days,
                unit,
                cost: *costs.next()?,
            });
            Some(())
        };
        push(
            LegKind::Handling,
            format!("Handling at {}", wh.name),
            &whr.handling,
            DayUnit::WorkingDays,
        )?;
        if let Some(a) = p.air {
            let lane = net.file.air_lanes.get(a)?;
            let rt = net.air_lanes.get(a)?;
            push(
                LegKind::AirFreight,
                lane.name.clone(),
                &rt.transit,
                DayUnit::CalendarDays,
            )?;
            let customs = net.customs.get(self.market)?.as_ref()?;
            let market_name = net
                .file
                .markets
                .get(self.market)
                .map(|m| m.name.clone())
                .unwrap_or_default();
            push(
                LegKind::Customs,
                format!("Customs clearance, {market_name}"),
                &customs.clearance,
                DayUnit::WorkingDays,
            )?;
        }
        let lm = net.file.last_mile.get(p.last_mile)?;
        let lmr = net.last_mile.get(p.last_mile)?;
        push(
            LegKind::LastMile,
            format!("{} delivery", lm.carrier),
            &lmr.transit,
            DayUnit::WorkingDays,
        )?;
        Some(FeasibleRoute {
            legs,
            window: t.window,
            cutoff: t.cutoff,
            cost: c.cost,
            shopper_fee: fee,
            chargeable_weight_g: c.chargeable_g,
            parcels: c.parcels,
            distribution: t.distribution.clone(),
        })
    }

    /// The best split of `qty` over warehouses that each lack the whole quantity.
    fn split(
        &self,
        listing: &Listing,
        cat: &CategoryDef,
        qty: u32,
        candidates: &[usize],
    ) -> Option<Split> {
        // Warehouses with some stock whose route works (for one unit).
        let mut pool: Vec<(usize, u64, Window)> = Vec::new();
        for &w in candidates {
            let have = self.stock_at(listing, w);
            if have == 0 {
                continue;
            }
            if let Ok((pi, _)) = self.best_path(w, listing, cat, 1)
                && let Some(t) = self.paths.get(pi).and_then(|p| p.timing.as_ref())
            {
                pool.push((w, have, t.window));
            }
        }
        // Fastest first, so allocation fills the quickest warehouses.
        pool.sort_by(|a, b| a.2.speed_cmp(&b.2).then(a.0.cmp(&b.0)));
        let total: u64 = pool.iter().map(|p| p.1).sum();
        if total < u64::from(qty) || pool.len() < 2 {
            return None;
        }
        let max_parts = pool.len().min(6);
        for k in 2..=max_parts {
            let mut best: Option<Split> = None;
            for combo in Combinations::new(pool.len(), k) {
                let members: Vec<&(usize, u64, Window)> =
                    combo.iter().filter_map(|i| pool.get(*i)).collect();
                if members.iter().map(|m| m.1).sum::<u64>() < u64::from(qty) {
                    continue;
                }
                if let Some(s) = self.evaluate_split(listing, cat, qty, &members)
                    && best.as_ref().is_none_or(|b| better(&s.promise, &b.promise))
                {
                    best = Some(s);
                }
            }
            if best.is_some() {
                return best;
            }
        }
        None
    }

    fn evaluate_split(
        &self,
        listing: &Listing,
        cat: &CategoryDef,
        qty: u32,
        members: &[&(usize, u64, Window)],
    ) -> Option<Split> {
        let mut left = u64::from(qty);
        let mut parts = Vec::new();
        let mut window: Option<Window> = None;
        let mut cutoff: Option<Instant> = None;
        let mut cost = Money::zero(self.currency);
        for (w, have, _) in members {
            if left == 0 {
                // A member that ships nothing makes this not the fewest-parts split.
                return None;
            }
            let take = u32::try_from(left.min(*have)).ok()?;
            let (pi, c) = self.best_path(*w, listing, cat, take).ok()?;
            let t = self.paths.get(pi)?.timing.as_ref()?;
            window = Some(match window {
                None => t.window,
                Some(wn) => Window {
                    earliest: wn.earliest.max(t.window.earliest),
                    latest: wn.latest.max(t.window.latest),
                    probability_bp: wn.probability_bp.min(t.window.probability_bp),
                },
            });
            cutoff = Some(cutoff.map_or(t.cutoff, |x| x.min(t.cutoff)));
            cost = cost.checked_add(c.cost).ok()?;
            parts.push((*w, pi, take, t.window, t.cutoff, c.cost));
            left -= u64::from(take);
        }
        let first_path = parts.first().map(|p| p.1)?;
        Some(Split {
            promise: Promise {
                window: window?,
                cutoff: cutoff?,
                cost,
                parts: u32::try_from(parts.len()).ok()?,
                path: first_path,
            },
            parts,
        })
    }
}

struct Split {
    promise: Promise,
    /// (warehouse, path, quantity, window, cut-off, cost)
    parts: Vec<(usize, usize, u32, Window, Instant, Money)>,
}

/// Whether `a` beats `b`: fewer parts, then the earlier window, then the lower cost.
/// Equal candidates keep the first found (network order).
fn better(a: &Promise, b: &Promise) -> bool {
    a.parts
        .cmp(&b.parts)
        .then(a.window.speed_cmp(&b.window))
        .then(a.cost.minor().cmp(&b.cost.minor()))
        == Ordering::Less
}

fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `s` with its first letter in capitals (ASCII: the engine's messages are English, and
/// Unicode case tables would add 26 KB to the browser's wasm).
fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// Price of the last mile for `qty` units of `unit_g` grams: as many units per parcel as
/// the service's weight limit allows. Returns (minor units, parcels).
fn last_mile_price(lm: &LastMileDef, unit_g: u32, qty: u32) -> Option<(i64, u32)> {
    let per_parcel = (lm.max_parcel_g / unit_g.max(1)).max(1);
    let full = qty / per_parcel;
    let rest = qty % per_parcel;
    let band = |g: u64| {
        lm.bands
            .iter()
            .find(|b| u64::from(b.max_g) >= g)
            .map(|b| b.price_minor)
    };
    let full_price = band(u64::from(per_parcel) * u64::from(unit_g))?;
    let mut total = i64::from(full).checked_mul(full_price)?;
    let mut parcels = full;
    if rest > 0 {
        total = total.checked_add(band(u64::from(rest) * u64::from(unit_g))?)?;
        parcels = parcels.checked_add(1)?;
    }
    Some((total, parcels))
}

fn resolve_zone(net: &Network, market: usize, dest: &Destination) -> Result<usize, QuoteError> {
    let m = net
        .markets
        .get(market)
        .ok_or_else(|| QuoteError::UnknownMarket(dest.market.clone()))?;
    if let Some(code) = dest.postal_code.as_deref().filter(|c| !c.trim().is_empty()) {
        let code = m.postal.normalise(code).map_err(QuoteError::Postal)?;
        return Ok(zone_for_postal(net, market, &code));
    }
    if let Some(z) = &dest.zone {
        return match net.zone_index(z) {
            Some(zi) if m.zones.contains(&zi) => Ok(zi),
            _ => Err(QuoteError::UnknownZone {
                market: dest.market.clone(),
                zone: z.clone(),
            }),
        };
    }
    Err(QuoteError::NoDestination)
}

/// The zone of a normalised postal code: the longest matching prefix, else the market's
/// default zone.
pub fn zone_for_postal(net: &Network, market: usize, code: &str) -> usize {
    let Some(m) = net.markets.get(market) else {
        return 0;
    };
    let mut best: Option<(usize, usize)> = None;
    for &zi in &m.zones {
        let Some(z) = net.zones.get(zi) else { continue };
        for rule in &z.prefixes {
            if let Some(len) = rule.match_len(code)
                && best.is_none_or(|(l, _)| len > l)
            {
                best = Some((len, zi));
            }
        }
    }
    best.map_or(m.default_zone, |(_, zi)| zi)
}

/// A distribution over dates with exact weights, sorted by date, no duplicates.
pub type DateDist = Vec<(Date, u128)>;

/// Combines a distribution of start dates with a leg: each start date `d` with weight `w`
/// goes to `next(d, k)` with weight `w × weight(k)` for every duration `k` of the leg's
/// distribution for a leg starting on `d`. The total weight is the product of the two
/// totals, exactly; `None` on overflow or when `next` has no date.
pub fn step(
    dist: &DateDist,
    leg: &LegDist,
    seasons: &[Vec<(i32, i32)>],
    mut next: impl FnMut(Date, u32) -> Option<Date>,
) -> Option<DateDist> {
    let mut out: DateDist = Vec::with_capacity(dist.len() * 4);
    for (d, w) in dist {
        for (k, wk) in leg.at(seasons, *d).points() {
            out.push((next(*d, k)?, w.checked_mul(u128::from(wk))?));
        }
    }
    merge(out)
}

/// Moves every date with `f`, keeping the weights.
fn remap(dist: &DateDist, mut f: impl FnMut(Date) -> Option<Date>) -> Option<DateDist> {
    let out: Option<DateDist> = dist.iter().map(|(d, w)| Some((f(*d)?, *w))).collect();
    merge(out?)
}

/// Sorts by date and adds up the weights of equal dates.
fn merge(mut out: DateDist) -> Option<DateDist> {
    out.sort_by_key(|x| x.0);
    let mut merged: DateDist = Vec::with_capacity(out.len());
    for (d, w) in out {
        match merged.last_mut() {
            Some(last) if last.0 == d => last.1 = last.1.checked_add(w)?,
            _ => merged.push((d, w)),
        }
    }
    Some(merged)
}

fn bounds(dist: &DateDist) -> Option<(Date, Date)> {
    Some((dist.first()?.0, dist.last()?.0))
}

/// Times one path from `now`: the delivery-date distribution, window and cut-off.
fn time_path(
    net: &Network,
    p: &Path,
    dest_zone: usize,
    now: Instant,
    today: Date,
) -> Option<Timing> {
    let wh = net.warehouses.get(p.warehouse)?;
    let wdef = net.file.warehouses.get(p.warehouse)?;
    let tz = net.time_zones.get(wh.time_zone)?;
    let cal: &Calendar = net.calendars.get(wh.calendar)?;
    let (local_date, minute) = tz.local(now);
    let start = if cal.is_working(local_date) && minute < wdef.cutoff_local_min {
        local_date
    } else {
        cal.after(local_date)?
    };
    let cutoff = tz.instant_of(start, wdef.cutoff_local_min).ok()?;
    let mut stages = Vec::new();
    let mut dist: DateDist = vec![(start, 1)];

    let seasons = net.seasons.as_slice();
    let handled = step(&dist, &wh.handling, seasons, |d, k| {
        cal.add_working_days(d, k)
    })?;
    let (e0, e1) = bounds(&handled)?;
    stages.push((start, e0, e1));
    dist = handled;

    if let Some(a) = p.air {
        let lane = net.air_lanes.get(a)?;
        let ldef = net.file.air_lanes.get(a)?;
        let lcal = net.calendars.get(lane.calendar)?;
        let connect = i64::from(ldef.connect_days);
        // Departure date for each dispatch date, then calendar-day transit.
        let departed = remap(&dist, |d| {
            lcal.next_weekday_on_or_after(d.add_days(connect).ok()?, &ldef.departures)
        })?;
        let first_departure = bounds(&departed)?.0;
        let landed = step(&departed, &lane.transit, seasons, |d, k| {
            d.add_days(i64::from(k)).ok()
        })?;
        let (e0, e1) = bounds(&landed)?;
        stages.push((first_departure, e0, e1));
        let customs = net.customs.get(lane.market)?.as_ref()?;
        let ccal = net.calendars.get(customs.calendar)?;
        let cleared = step(&landed, &customs.clearance, seasons, |d, k| {
            ccal.add_working_days(d, k)
        })?;
        let (c0, c1) = bounds(&cleared)?;
        stages.push((e0, c0, c1));
        dist = cleared;
    }

    let lm = net.last_mile.get(p.last_mile)?;
    let lcal = net.calendars.get(lm.calendar)?;
    let hand_over = bounds(&dist)?.0;
    let delivered = step(&dist, &lm.transit, seasons, |d, k| {
        lcal.add_working_days(d, k)
    })?;
    // Never promise a day already past in the destination's zone.
    let delivered = remap(&delivered, |d| Some(d.max(today)))?;
    let (d0, d1) = bounds(&delivered)?;
    stages.push((hand_over, d0, d1));
    let _ = dest_zone;

    let window = narrowest_window(&delivered, net.file.target_coverage_bp)?;
    let total: u128 = delivered.iter().map(|x| x.1).sum();
    let distribution = delivered
        .iter()
        .map(|(d, w)| DateShare {
            date: *d,
            ppm: u32::try_from(w.saturating_mul(1_000_000) / total.max(1)).unwrap_or(u32::MAX),
        })
        .collect();
    Some(Timing {
        window,
        cutoff,
        stages,
        distribution,
    })
}

/// The narrowest run of consecutive dates holding at least `target_bp` of the weight;
/// the earliest such run on ties. `dist` must be sorted by date without duplicates.
pub fn narrowest_window(dist: &DateDist, target_bp: u32) -> Option<Window> {
    let total: u128 = dist.iter().map(|x| x.1).sum();
    if total == 0 {
        return None;
    }
    let need = total.checked_mul(u128::from(target_bp))?;
    let mut best: Option<(i32, usize, usize, u128)> = None;
    let mut lo = 0usize;
    let mut mass: u128 = 0;
    for hi in 0..dist.len() {
        mass += dist.get(hi)?.1;
        // Shrink from the left while the run still holds enough.
        while lo < hi && (mass - dist.get(lo)?.1).checked_mul(10_000)? >= need {
            mass -= dist.get(lo)?.1;
            lo += 1;
        }
        if mass.checked_mul(10_000)? >= need {
            let width = dist.get(lo)?.0.days_until(dist.get(hi)?.0);
            if best.is_none_or(|(bw, _, _, _)| width < bw) {
                best = Some((width, lo, hi, mass));
            }
        }
    }
    let (_, lo, hi, mass) = best?;
    Some(Window {
        earliest: dist.get(lo)?.0,
        latest: dist.get(hi)?.0,
        probability_bp: u32::try_from(mass.saturating_mul(10_000) / total).unwrap_or(10_000),
    })
}

/// Index combinations of `k` out of `n`, in lexicographic order.
struct Combinations {
    n: usize,
    idx: Vec<usize>,
    done: bool,
}

impl Combinations {
    fn new(n: usize, k: usize) -> Combinations {
        Combinations {
            n,
            idx: (0..k).collect(),
            done: k > n || k == 0,
        }
    }
}

impl Iterator for Combinations {
    type Item = Vec<usize>;
    fn next(&mut self) -> Option<Vec<usize>> {
        if self.done {
            return None;
        }
        let out = self.idx.clone();
        let k = self.idx.len();
        let mut i = k;
        loop {
            if i == 0 {
                self.done = true;
                break;
            }
            i -= 1;
            let limit = self.n - k + i;
            if self.idx.get(i).is_some_and(|v| *v < limit) {
                if let Some(v) = self.idx.get_mut(i) {
                    *v += 1;
                }
                let base = self.idx.get(i).copied().unwrap_or(0);
                for (off, j) in (i + 1..k).enumerate() {
                    if let Some(v) = self.idx.get_mut(j) {
                        *v = base + off + 1;
                    }
                }
                break;
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn the_narrowest_window_reaches_the_target_and_prefers_the_earliest_on_ties() {
        let dist = vec![
            (d("2026-12-01"), 2u128),
            (d("2026-12-02"), 49),
            (d("2026-12-03"), 49),
        ];
        let w = narrowest_window(&dist, 9700).unwrap();
        assert_eq!(
            (w.earliest, w.latest, w.probability_bp),
            (d("2026-12-02"), d("2026-12-03"), 9800)
        );
        let flat = vec![(d("2026-12-01"), 1u128), (d("2026-12-02"), 1)];
        let w = narrowest_window(&flat, 5000).unwrap();
        assert_eq!((w.earliest, w.latest), (d("2026-12-01"), d("2026-12-01")));
    }

    #[test]
    fn combinations_are_complete_and_ordered() {
        let all: Vec<_> = Combinations::new(4, 2).collect();
        assert_eq!(
            all,
            vec![
                vec![0, 1],
                vec![0, 2],
                vec![0, 3],
                vec![1, 2],
                vec![1, 3],
                vec![2, 3]
            ]
        );
        assert_eq!(Combinations::new(2, 3).count(), 0);
    }
}
