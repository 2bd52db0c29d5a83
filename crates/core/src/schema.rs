//! The network file as it is written on disk (`data/network.json`): plain serde types,
//! one per JSON object. [`crate::network::Network::from_json`] reads and validates it.
//!
//! Conventions: ids are lowercase strings unique within their list; amounts are integer
//! minor units of the currency named beside them; weights in grams, sizes in millimetres,
//! minutes of the local day for times of day; every leg's duration is a [`DayDist`].
//!
//! The serde derives serve the native tools; the browser reads the file through
//! [`crate::json`], with the [`FromJson`](crate::json::FromJson) impls at the end of this
//! file. The two must accept the same files: keep the field lists in step (a field that
//! serde defaults is `#[default]` there; every struct here is `strict`, as
//! `deny_unknown_fields` is).

use serde::{Deserialize, Serialize};

use crate::{json_enum, json_struct};

use crate::time::{Date, DstRule, Weekday};

/// The whole network file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkFile {
    /// Human-chosen version label, e.g. "2026.11.1".
    pub version: String,
    pub name: String,
    /// Coverage that a promised window must reach, in basis points (9700 = 97 %).
    pub target_coverage_bp: u32,
    pub currencies: Vec<CurrencyDef>,
    pub fx: FxSnapshot,
    pub time_zones: Vec<TimeZoneDef>,
    pub calendars: Vec<CalendarDef>,
    pub categories: Vec<CategoryDef>,
    pub markets: Vec<MarketDef>,
    pub warehouses: Vec<WarehouseDef>,
    pub air_lanes: Vec<AirLaneDef>,
    pub sea_lanes: Vec<SeaLaneDef>,
    pub customs: Vec<CustomsDef>,
    pub last_mile: Vec<LastMileDef>,
    /// Periods when legs behave differently (peak weeks, Spring Festival); a leg's
    /// duration may carry a distribution per season.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seasons: Vec<SeasonDef>,
}

/// A named season: the date ranges it covers, inclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeasonDef {
    pub id: String,
    pub name: String,
    pub periods: Vec<Closure>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurrencyDef {
    /// ISO 4217 code.
    pub code: String,
    /// Digits of the minor unit: 2 for USD, 0 for KRW.
    pub exponent: u8,
    pub symbol: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FxSnapshot {
    pub as_of: Date,
    /// Currency every rate is quoted against.
    pub base: String,
    pub source: String,
    pub rates: Vec<FxRateDef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FxRateDef {
    pub currency: String,
    /// Units of `currency` for one unit of the base, as a decimal string with at most
    /// six fractional digits ("1385.20").
    pub per_base: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeZoneDef {
    /// IANA-style name, e.g. "America/Los_Angeles".
    pub id: String,
    /// Minutes east of UTC outside daylight-saving time.
    pub std_offset_min: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dst: Option<DstRule>,
}

/// Working days of a warehouse, a line-haul lane, a customs office or a carrier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarDef {
    pub id: String,
    pub name: String,
    /// Days of the week it does not work.
    pub weekend: Vec<Weekday>,
    /// Other calendars whose closures also close this one (one level deep).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Closed date ranges, inclusive.
    #[serde(default)]
    pub closures: Vec<Closure>,
    /// Where the dates come from.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Closure {
    pub from: Date,
    pub to: Date,
    pub name: String,
}

/// Hazards that lanes may refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hazard {
    LithiumBattery,
    Liquid,
    Aerosol,
    Magnet,
    Perishable,
}

impl Hazard {
    pub fn describe(self) -> &'static str {
        match self {
            Hazard::LithiumBattery => "lithium batteries",
            Hazard::Liquid => "liquids",
            Hazard::Aerosol => "aerosols",
            Hazard::Magnet => "strong magnets",
            Hazard::Perishable => "perishable food",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryDef {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub hazards: Vec<Hazard>,
    /// Whether the platform's fully managed programme accepts the category.
    pub fully_managed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketDef {
    /// Two-letter ISO 3166 code: "US", "DE", "GB", "KR", "ZA", "AE".
    pub id: String,
    pub name: String,
    pub currency: String,
    /// BCP 47 locale for formatting ("en-US").
    pub locale: String,
    pub vat: VatRule,
    pub duty: Vec<DutyRule>,
    pub postal: PostalRule,
    pub zones: Vec<ZoneDef>,
    /// Zone used when a valid postal code matches no prefix.
    pub default_zone: String,
    pub shopper_fee: ShopperFee,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VatRule {
    /// "VAT", "GST", "Sales tax".
    pub name: String,
    /// Standard rate in basis points (1900 = 19 %).
    pub rate_bp: u32,
    /// Whether shown prices include it (EU and UK: yes).
    pub prices_include_vat: bool,
    pub source: String,
}

/// Duty and import-VAT rules for low-value parcels, in force from `from` until `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyRule {
    pub from: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
    /// Consignments valued below this (minor units of the market currency) pay no duty;
    /// `None`: no duty exemption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duty_free_below_minor: Option<i64>,
    /// Import VAT is waived below this; `None`: VAT from the first unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_free_below_minor: Option<i64>,
    /// A flat duty per item instead of the ad valorem rate (EU from July 2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flat_duty_per_item_minor: Option<i64>,
    /// Typical ad valorem duty in basis points when duty applies.
    pub duty_rate_bp: u32,
    pub note: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostalRule {
    /// Accepted shapes after normalising (trim, upper case, single spaces):
    /// `9` a digit, `A` a letter, anything else itself. "99999" or "A9 9AA".
    pub formats: Vec<String>,
    /// Instead of formats, a closed list of codes (e.g. UAE emirates).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    /// Insert a space before the last N characters when none was typed (UK: 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub space_before_last: Option<u8>,
    /// What to type, for the error message: "a 5-digit ZIP code such as 94107".
    pub hint: String,
    pub example: String,
    /// The label shown to the shopper ("ZIP code", "Postcode", "Emirate").
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneDef {
    pub id: String,
    pub name: String,
    pub time_zone: String,
    /// Postal-code prefixes that belong to the zone: "SW" or a range of equal-length
    /// digit prefixes "900-961". The longest matching prefix wins.
    pub postal_prefixes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShopperFee {
    /// What the shopper pays for delivery, in minor units of the market currency.
    pub standard_minor: i64,
    /// Orders worth at least this ship free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_over_minor: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarehouseKind {
    /// The platform's consolidation warehouse in China (fully managed stock).
    CnConsolidation,
    /// A seller's own or 3PL warehouse in the market (semi-managed stock).
    #[serde(rename = "seller_3pl")]
    Seller3pl,
    /// The platform's warehouse in the market (FBA-like).
    PlatformLocal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarehouseDef {
    pub id: String,
    pub name: String,
    pub kind: WarehouseKind,
    pub city: String,
    /// The market it serves; `None` for consolidation warehouses in China.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market: Option<String>,
    /// Its delivery zone in that market.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    pub time_zone: String,
    pub calendar: String,
    /// Orders in by this minute of the local working day start handling that day.
    pub cutoff_local_min: u32,
    /// Working days from the start of handling to hand-over to the next leg.
    pub handling: DayDist,
    pub fees: WarehouseFees,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarehouseFees {
    pub currency: String,
    /// Pick, pack and label, per unit shipped.
    pub handling_per_unit_minor: i64,
    /// Receiving inbound stock, per unit.
    pub receiving_per_unit_minor: i64,
    /// Storage per cubic metre per month.
    pub storage_per_m3_month_minor: i64,
}

/// A duration as a discrete distribution over whole days: day `from_days + i` has
/// weight `weights[i]`. A plain range is the case of equal weights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayDist {
    pub from_days: u32,
    pub weights: Vec<u32>,
    /// Distributions that replace this one when the leg starts within a season (the
    /// first listed season that covers the start date wins).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seasonal: Vec<SeasonalDays>,
}

/// A leg's duration within one season.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeasonalDays {
    pub season: String,
    pub from_days: u32,
    pub weights: Vec<u32>,
}

/// Price per chargeable kilogram, stepping down at weight breaks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AirRateCard {
    pub currency: String,
    pub per_shipment_minor: i64,
    /// Sorted by `from_g`, the first starting at 0: the rate for a chargeable weight is
    /// that of the last break at or below it.
    pub breaks: Vec<WeightBreak>,
    /// Chargeable weight is at least this.
    pub min_chargeable_g: u32,
    /// Chargeable weight is rounded up to a multiple of this.
    pub increment_g: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightBreak {
    pub from_g: u32,
    pub per_kg_minor: i64,
}

/// Cross-border air consolidation from China to one market.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AirLaneDef {
    pub id: String,
    pub name: String,
    /// Consolidation warehouses that feed it.
    pub origins: Vec<String>,
    pub market: String,
    /// Zone of the arrival airport, where customs release hands over to the last mile.
    pub gateway_zone: String,
    pub departures: Vec<Weekday>,
    /// No departures on this calendar's closed days (Spring Festival, Golden Week).
    pub calendar: String,
    /// Calendar days between warehouse dispatch and the earliest departure it can make.
    pub connect_days: u32,
    /// Calendar days from departure to arrival at the gateway.
    pub transit: DayDist,
    pub capacity_kg_per_departure: u32,
    /// Cubic centimetres per kilogram for volumetric weight (6000 is the IATA norm).
    pub volumetric_divisor_cm3_per_kg: u32,
    pub max_unit_weight_g: u32,
    pub max_unit_length_mm: u32,
    pub restricted_hazards: Vec<Hazard>,
    pub rates: AirRateCard,
}

/// Sea freight from China to overseas warehouses: how stock reaches them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeaLaneDef {
    pub id: String,
    pub name: String,
    pub origins: Vec<String>,
    pub destinations: Vec<String>,
    pub currency: String,
    /// Door to warehouse, per cubic metre (LCL, including destination clearance).
    pub cost_per_m3_minor: i64,
    pub departures: Vec<Weekday>,
    /// Calendar days from departure to arrival at the warehouse.
    pub transit: DayDist,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomsDef {
    pub market: String,
    pub calendar: String,
    /// Working days from arrival at the gateway to release.
    pub clearance: DayDist,
    pub currency: String,
    pub fee_per_shipment_minor: i64,
}

/// A last-mile carrier service between zones of one market.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastMileDef {
    pub id: String,
    pub carrier: String,
    pub market: String,
    pub from_zones: Vec<String>,
    pub to_zones: Vec<String>,
    /// Warehouse kinds whose parcels it carries; empty for all (the platform negotiates
    /// express rates for its own warehouses, sellers' 3PLs ship economy).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub only_for: Vec<WarehouseKind>,
    pub calendar: String,
    /// Working days from hand-over to delivery.
    pub transit: DayDist,
    pub currency: String,
    /// Heaviest parcel the service takes; heavier consignments go as several parcels.
    pub max_parcel_g: u32,
    /// Longest side it takes.
    pub max_length_mm: u32,
    /// Price per parcel by weight, sorted by `max_g`; the last must cover `max_parcel_g`.
    pub bands: Vec<RateBand>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateBand {
    pub max_g: u32,
    pub price_minor: i64,
}

// Readers for the browser (see the module docs): the same fields, defaults and names as
// the serde derives above.

json_struct!(strict NetworkFile {
    version,
    name,
    target_coverage_bp,
    currencies,
    fx,
    time_zones,
    calendars,
    categories,
    markets,
    warehouses,
    air_lanes,
    sea_lanes,
    customs,
    last_mile,
    #[default] seasons,
});
json_struct!(strict SeasonDef { id, name, periods });
json_struct!(strict CurrencyDef { code, exponent, symbol });
json_struct!(strict FxSnapshot { as_of, base, source, rates });
json_struct!(strict FxRateDef { currency, per_base });
json_struct!(strict TimeZoneDef { id, std_offset_min, #[default] dst });
json_struct!(strict CalendarDef {
    id,
    name,
    weekend,
    #[default] include,
    #[default] closures,
    source,
});
json_struct!(strict Closure { from, to, name });
json_enum!(Hazard {
    LithiumBattery = "lithium_battery",
    Liquid = "liquid",
    Aerosol = "aerosol",
    Magnet = "magnet",
    Perishable = "perishable",
});
json_struct!(strict CategoryDef { id, name, #[default] hazards, fully_managed });
json_struct!(strict MarketDef {
    id,
    name,
    currency,
    locale,
    vat,
    duty,
    postal,
    zones,
    default_zone,
    shopper_fee,
});
json_struct!(strict VatRule { name, rate_bp, prices_include_vat, source });
json_struct!(strict DutyRule {
    from,
    #[default] to,
    #[default] duty_free_below_minor,
    #[default] vat_free_below_minor,
    #[default] flat_duty_per_item_minor,
    duty_rate_bp,
    note,
    source,
});
json_struct!(strict PostalRule {
    formats,
    #[default] codes,
    #[default] space_before_last,
    hint,
    example,
    label,
});
json_struct!(strict ZoneDef { id, name, time_zone, postal_prefixes });
json_struct!(strict ShopperFee { standard_minor, #[default] free_over_minor });
json_enum!(WarehouseKind {
    CnConsolidation = "cn_consolidation",
    Seller3pl = "seller_3pl",
    PlatformLocal = "platform_local",
});
json_struct!(strict WarehouseDef {
    id,
    name,
    kind,
    city,
    #[default] market,
    #[default] zone,
    time_zone,
    calendar,
    cutoff_local_min,
    handling,
    fees,
});
json_struct!(strict WarehouseFees {
    currency,
    handling_per_unit_minor,
    receiving_per_unit_minor,
    storage_per_m3_month_minor,
});
json_struct!(strict DayDist { from_days, weights, #[default] seasonal });
json_struct!(strict SeasonalDays { season, from_days, weights });
json_struct!(strict AirRateCard {
    currency,
    per_shipment_minor,
    breaks,
    min_chargeable_g,
    increment_g,
});
json_struct!(strict WeightBreak { from_g, per_kg_minor });
json_struct!(strict AirLaneDef {
    id,
    name,
    origins,
    market,
    gateway_zone,
    departures,
    calendar,
    connect_days,
    transit,
    capacity_kg_per_departure,
    volumetric_divisor_cm3_per_kg,
    max_unit_weight_g,
    max_unit_length_mm,
    restricted_hazards,
    rates,
});
json_struct!(strict SeaLaneDef {
    id,
    name,
    origins,
    destinations,
    currency,
    cost_per_m3_minor,
    departures,
    transit,
});
json_struct!(strict CustomsDef { market, calendar, clearance, currency, fee_per_shipment_minor });
json_struct!(strict LastMileDef {
    id,
    carrier,
    market,
    from_zones,
    to_zones,
    #[default] only_for,
    calendar,
    transit,
    currency,
    max_parcel_g,
    max_length_mm,
    bands,
});
json_struct!(strict RateBand { max_g, price_minor });
