//! The catalog: sellers, listings, prices per market, stock per warehouse, promotions.
//!
//! # Where it lives
//! The database is the record ([`seed_demo_catalog`] writes the demo catalog there at
//! first start). The storefront reads a [`Catalog`]: an in-memory read model loaded from
//! the database by [`Catalog::load`], the way a marketplace serves search from an index
//! rather than from its order database. Every request reads one consistent snapshot, so
//! a listing page, a listing's detail and a quote can never disagree about a price or a
//! stock figure. Whatever changes the catalog in the database (the seller panel's writes
//! and arriving shipments, `src/seller/`) calls [`CatalogStore::reload`] afterwards, and
//! answers only once the storefront shows the change.
//!
//! # Privacy by construction
//! The read model never loads seller-private columns: cost of goods, supply price,
//! margin, funding of promotions, the seller's e-mail, inbound shipments, the audit log.
//! Exact stock is not loaded either: the load query caps every warehouse's figure (units
//! on hand less those reserved for open orders) at [`STOCK_CAP`].
//!
//! # Why stock is capped at 10, and why that loses nothing
//! The browser estimates delivery with the same engine as the server, and the engine needs
//! stock per warehouse to decide whether one warehouse can ship an order or it must be
//! split. A cart line is limited to [`MAX_LINE_QUANTITY`] (= [`STOCK_CAP`]) units. For
//! any quantity `q ≤ 10`, `min(stock, 10) ≥ q` exactly when `stock ≥ q`, and a split is
//! only considered when every warehouse holds fewer than `q` (so fewer than 10, shown
//! exactly), taking `min(left, stock)` from each with `left ≤ q`. So the engine's answer
//! from capped stock equals its answer from exact stock for every quantity a shopper can
//! order, and `POST /api/quote` uses the capped figures the browser sees: its answer is
//! identical to the browser's by construction (a test checks the equivalence on the whole
//! demo catalog).

pub mod generate;
pub mod images;
mod products;
pub mod promotions;
pub mod search;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, RwLock};

use crossdock_core::engine::{Listing, Mode, StockLine};
use crossdock_core::pricing::PromotionKind;
use crossdock_core::schema::WarehouseKind;
use crossdock_core::time::{Date, Instant};
use crossdock_core::{Money, Network};
use sqlx::{AnyPool, Row};

use generate::{DEMO_SEED, DemoCatalog, GENERATOR, generate, parse_mode};
use search::SearchDoc;

/// Stock per warehouse is shown, and used by the engine, up to this many units.
pub const STOCK_CAP: u32 = 10;

/// Most units of one listing in one cart line (see the module docs: equals [`STOCK_CAP`]).
pub const MAX_LINE_QUANTITY: u32 = STOCK_CAP;

/// At or below this many units (capped) in the warehouses serving a market, a listing is
/// "low_stock" there.
pub const LOW_STOCK: u32 = 5;

/// A seller's public profile.
#[derive(Debug, Clone)]
pub struct SellerRecord {
    pub id: String,
    pub name: String,
    pub legal_name: String,
    pub kind: String,
    pub city: String,
    pub province: String,
    pub country: String,
    pub founded_year: i64,
    pub joined_on: Date,
    pub about: String,
    pub rating_tenths: u32,
    pub review_count: u64,
    /// Overseas warehouses (network ids), sorted.
    pub warehouses: Vec<String>,
}

/// A promotion of one listing in one market.
#[derive(Debug, Clone)]
pub struct PromotionRecord {
    pub kind: String,
    pub label: String,
    /// What each unit costs on the storefront while it runs
    /// ([`promotions::unit_price`]): the regular price under a voucher or free shipping.
    pub price: Money,
    /// A voucher: what comes off the shopper's order line of the listing, once.
    pub voucher: Option<Money>,
    /// Free shipping: an order line of the listing worth at least this ships free.
    pub free_shipping_over: Option<Money>,
    pub starts_at: Instant,
    pub ends_at: Instant,
}

impl PromotionRecord {
    /// Whether it runs at `now` (from its start, inclusive, to its end, exclusive).
    pub fn runs_at(&self, now: Instant) -> bool {
        self.starts_at <= now && now < self.ends_at
    }

    /// What it does to an order line beyond the unit price, as crates/core applies it:
    /// a voucher or free shipping over a threshold.
    pub fn order_effect(&self) -> Option<PromotionKind> {
        match (self.voucher, self.free_shipping_over) {
            (Some(amount), _) => Some(PromotionKind::Voucher { amount }),
            (None, Some(threshold)) => Some(PromotionKind::FreeShippingOver { threshold }),
            (None, None) => None,
        }
    }

    /// What an order of one unit costs under it (how overlapping promotions are ranked,
    /// as the seller panel ranks them).
    fn one_unit(&self) -> i64 {
        let off = self
            .order_effect()
            .map_or(0, |k| k.voucher_off(self.price).minor());
        self.price.minor() - off
    }

    /// Whether it gives the shopper anything at the regular price `regular`.
    fn gives(&self, regular: Money) -> bool {
        self.price.minor() < regular.minor() || self.order_effect().is_some()
    }
}

/// A listing's offer in one market.
#[derive(Debug, Clone)]
pub struct Offer {
    /// Network market id.
    pub market: String,
    /// Its index in the network's markets: what a scan over the catalog compares.
    pub market_index: Option<usize>,
    /// The regular price of one unit.
    pub price: Money,
    /// Units (capped per warehouse) in the warehouses that can ship to this market.
    pub units: u32,
    /// Promotions in this market, by start.
    pub promotions: Vec<PromotionRecord>,
}

impl Offer {
    /// The promotion running at `now`, if any: one that lowers the price, or carries a
    /// voucher or free shipping (the cheapest order of one unit, when several overlap).
    pub fn running(&self, now: Instant) -> Option<&PromotionRecord> {
        self.promotions
            .iter()
            .filter(|p| p.runs_at(now) && p.gives(self.price))
            .min_by_key(|p| (p.one_unit(), p.starts_at))
    }

    /// What one unit costs at `now`.
    pub fn price_at(&self, now: Instant) -> Money {
        self.running(now).map_or(self.price, |p| p.price)
    }

    /// The regular price, while a running promotion lowers the unit price (struck
    /// through on the storefront).
    pub fn list_price_at(&self, now: Instant) -> Option<Money> {
        self.running(now)
            .filter(|p| p.price.minor() < self.price.minor())
            .map(|_| self.price)
    }

    /// What the promotion running at `now` does to an order line beyond the unit price.
    pub fn order_effect(&self, now: Instant) -> Option<PromotionKind> {
        self.running(now).and_then(PromotionRecord::order_effect)
    }

    /// "in_stock", "low_stock" or "sold_out".
    pub fn availability(&self) -> &'static str {
        match self.units {
            0 => "sold_out",
            n if n <= LOW_STOCK => "low_stock",
            _ => "in_stock",
        }
    }
}

/// A listing as the storefront sees it.
#[derive(Debug, Clone)]
pub struct ListingRecord {
    pub id: i64,
    /// The listing's version in the database: a snapshot reloads the listings whose
    /// version moved on ([`CatalogStore::reload_if_changed`]).
    pub version: i64,
    /// Index into [`Catalog::sellers`].
    pub seller: usize,
    pub sku: String,
    pub brand: String,
    pub title: String,
    pub description: String,
    /// What the routing engine reads: weight, size, category, mode and stock per
    /// warehouse (each capped at [`STOCK_CAP`], by warehouse id); no unit price.
    pub engine: Listing,
    pub art: String,
    pub rating_tenths: u32,
    pub review_count: u64,
    pub listed_at: Instant,
    pub attributes: Vec<(String, String)>,
    /// Offers by market id (network order).
    pub offers: Vec<Offer>,
    /// The index of `engine.category` in the network's categories.
    pub category_index: Option<usize>,
    pub search: SearchDoc,
}

impl ListingRecord {
    pub fn offer(&self, market: &str) -> Option<&Offer> {
        self.offers.iter().find(|o| o.market == market)
    }

    /// Its offer in the market at `index` in the network: [`ListingRecord::offer`] without
    /// comparing names, for scans over the whole catalog.
    pub fn offer_at(&self, index: usize) -> Option<&Offer> {
        self.offers.iter().find(|o| o.market_index == Some(index))
    }

    /// What the routing engine needs, with the price of one unit at `now` in the market:
    /// exactly what the browser builds from the public listing.
    pub fn engine_listing(&self, unit_price: Option<Money>) -> Listing {
        Listing {
            unit_price,
            ..self.engine.clone()
        }
    }

    /// The stable part of its picture URLs: a short hash of what the pictures show.
    pub fn picture_version(&self, sellers: &[SellerRecord]) -> String {
        use sha2::{Digest, Sha256};
        let shop = sellers.get(self.seller).map_or("", |s| s.name.as_str());
        let digest = Sha256::digest(format!(
            "{}\n{}\n{}\n{}",
            self.art, self.title, self.brand, shop
        ));
        digest
            .iter()
            .take(4)
            .fold(String::new(), |s, b| s + &format!("{b:02x}"))
    }
}

/// The storefront's snapshot of the catalog.
#[derive(Debug, Default)]
pub struct Catalog {
    /// By id. Shared with the snapshots before and after a write: a write to one listing
    /// makes a snapshot that shares every other listing with this one.
    pub listings: Vec<Arc<ListingRecord>>,
    /// By id.
    pub sellers: Vec<SellerRecord>,
}

impl Catalog {
    pub fn listing(&self, id: i64) -> Option<&ListingRecord> {
        self.listings
            .binary_search_by_key(&id, |l| l.id)
            .ok()
            .and_then(|i| self.listings.get(i))
            .map(|l| &**l)
    }

    pub fn seller(&self, id: &str) -> Option<&SellerRecord> {
        self.sellers
            .binary_search_by(|s| s.id.as_str().cmp(id))
            .ok()
            .and_then(|i| self.sellers.get(i))
    }

    pub fn seller_of(&self, listing: &ListingRecord) -> Option<&SellerRecord> {
        self.sellers.get(listing.seller)
    }

    /// Loads the public read model from the database (see the module docs).
    pub async fn load(pool: &AnyPool, net: &Network) -> Result<Catalog, sqlx::Error> {
        Catalog::load_where(pool, net, None).await
    }

    /// Every seller, and the listings `ids` only (those still in the database): what
    /// [`Catalog::merged`] puts into a snapshot after writes to them.
    pub async fn load_listings(
        pool: &AnyPool,
        net: &Network,
        ids: &[i64],
    ) -> Result<Catalog, sqlx::Error> {
        Catalog::load_where(pool, net, Some(ids)).await
    }

    /// `self` with the listings `ids` as `part` has them (gone when `part` has not), or
    /// `None` when `part`'s sellers are not this snapshot's (a full load is needed then:
    /// listings point at sellers by position).
    pub fn merged(&self, part: Catalog, ids: &[i64]) -> Option<Catalog> {
        let same_sellers = self.sellers.len() == part.sellers.len()
            && self
                .sellers
                .iter()
                .zip(&part.sellers)
                .all(|(a, b)| a.id == b.id);
        if !same_sellers {
            return None;
        }
        let mut fresh: BTreeMap<i64, Arc<ListingRecord>> =
            part.listings.into_iter().map(|l| (l.id, l)).collect();
        let mut listings: Vec<Arc<ListingRecord>> = self
            .listings
            .iter()
            .filter(|l| !ids.contains(&l.id))
            .cloned()
            .collect();
        listings.extend(ids.iter().filter_map(|id| fresh.remove(id)));
        listings.sort_by_key(|l| l.id);
        listings.dedup_by_key(|l| l.id);
        Some(Catalog {
            listings,
            sellers: part.sellers,
        })
    }

    /// The whole catalog, or every seller and only the listings `only`.
    async fn load_where(
        pool: &AnyPool,
        net: &Network,
        only: Option<&[i64]>,
    ) -> Result<Catalog, sqlx::Error> {
        // Ids come from the database or the route as integers, never text: written inline.
        let among = |column: &str| match only {
            None => String::new(),
            Some(ids) => format!(
                "WHERE {column} IN ({}) ",
                if ids.is_empty() {
                    "NULL".to_owned()
                } else {
                    ids.iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ),
        };
        let mut sellers: Vec<SellerRecord> = Vec::new();
        for row in sqlx::query(
            "SELECT id, name, legal_name, kind, city, province, country, founded_year, \
             joined_on, about, rating_tenths, review_count FROM sellers ORDER BY id",
        )
        .fetch_all(pool)
        .await?
        {
            let joined: String = row.try_get("joined_on")?;
            sellers.push(SellerRecord {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                legal_name: row.try_get("legal_name")?,
                kind: row.try_get("kind")?,
                city: row.try_get("city")?,
                province: row.try_get("province")?,
                country: row.try_get("country")?,
                founded_year: row.try_get("founded_year")?,
                joined_on: Date::parse(&joined).map_err(|e| decode("sellers.joined_on", e))?,
                about: row.try_get("about")?,
                rating_tenths: to_u32(row.try_get("rating_tenths")?),
                review_count: to_u64(row.try_get("review_count")?),
                warehouses: Vec::new(),
            });
        }
        for row in sqlx::query(
            "SELECT seller_id, warehouse FROM seller_warehouses ORDER BY seller_id, warehouse",
        )
        .fetch_all(pool)
        .await?
        {
            let seller: String = row.try_get("seller_id")?;
            let warehouse: String = row.try_get("warehouse")?;
            if let Ok(i) = sellers.binary_search_by(|s| s.id.cmp(&seller))
                && let Some(s) = sellers.get_mut(i)
                && net.warehouse_index(&warehouse).is_some()
            {
                s.warehouses.push(warehouse);
            }
        }

        let mut attributes: BTreeMap<i64, Vec<(String, String)>> = BTreeMap::new();
        for row in sqlx::query(&format!(
            "SELECT listing_id, name, value FROM listing_attributes {}\
             ORDER BY listing_id, position",
            among("listing_id")
        ))
        .fetch_all(pool)
        .await?
        {
            attributes
                .entry(row.try_get("listing_id")?)
                .or_default()
                .push((row.try_get("name")?, row.try_get("value")?));
        }

        // Exact stock never leaves the database: the query caps it. Units reserved for
        // open orders are not on offer.
        let mut stock: BTreeMap<i64, Vec<StockLine>> = BTreeMap::new();
        for row in sqlx::query(&format!(
            "SELECT listing_id, warehouse, \
             CASE WHEN quantity - reserved > $1 THEN $1 \
                  WHEN quantity - reserved < 0 THEN 0 \
                  ELSE quantity - reserved END AS shown \
             FROM listing_stock {}ORDER BY listing_id, warehouse",
            among("listing_id")
        ))
        .bind(i64::from(STOCK_CAP))
        .fetch_all(pool)
        .await?
        {
            let warehouse: String = row.try_get("warehouse")?;
            if net.warehouse_index(&warehouse).is_none() {
                // Stock in a warehouse the loaded network does not know cannot ship.
                continue;
            }
            stock
                .entry(row.try_get("listing_id")?)
                .or_default()
                .push(StockLine {
                    warehouse,
                    quantity: to_u32(row.try_get("shown")?).min(STOCK_CAP),
                });
        }

        // The seller panel's kinds price one unit from the current regular price
        // ([`promotions::unit_price`]); the demo's kinds have a fixed price.
        let mut promotions: BTreeMap<(i64, String), Vec<PromotionRecord>> = BTreeMap::new();
        for row in sqlx::query(&format!(
            "SELECT p.listing_id, p.market, p.kind, p.label, p.price_minor, p.starts_at, \
             p.ends_at, p.percent_bp, p.amount_minor, p.threshold_minor, lp.currency, \
             lp.price_minor AS regular_minor FROM promotions p \
             JOIN listing_prices lp ON lp.listing_id = p.listing_id AND lp.market = p.market \
             {}ORDER BY p.listing_id, p.market, p.starts_at, p.id",
            among("p.listing_id")
        ))
        .fetch_all(pool)
        .await?
        {
            let currency: String = row.try_get("currency")?;
            let Some(regular) = net.money(row.try_get("regular_minor")?, &currency) else {
                continue;
            };
            let kind: String = row.try_get("kind")?;
            let amount: Option<i64> = row.try_get("amount_minor")?;
            let threshold: Option<i64> = row.try_get("threshold_minor")?;
            let price = promotions::unit_price(
                regular,
                &kind,
                row.try_get("percent_bp")?,
                amount,
                row.try_get("price_minor")?,
            );
            let money = |minor: Option<i64>| {
                minor
                    .filter(|m| *m > 0)
                    .map(|m| Money::from_minor(m, regular.currency()))
            };
            let voucher = money(amount.filter(|_| kind == promotions::VOUCHER));
            let free_shipping_over =
                money(threshold.filter(|_| kind == promotions::FREE_SHIPPING_OVER));
            let starts: String = row.try_get("starts_at")?;
            let ends: String = row.try_get("ends_at")?;
            promotions
                .entry((row.try_get("listing_id")?, row.try_get("market")?))
                .or_default()
                .push(PromotionRecord {
                    kind,
                    label: row.try_get("label")?,
                    price,
                    voucher,
                    free_shipping_over,
                    starts_at: Instant::parse(&starts)
                        .map_err(|e| decode("promotions.starts_at", e))?,
                    ends_at: Instant::parse(&ends).map_err(|e| decode("promotions.ends_at", e))?,
                });
        }

        let mut prices: BTreeMap<i64, Vec<(String, Money)>> = BTreeMap::new();
        for row in sqlx::query(&format!(
            "SELECT listing_id, market, currency, price_minor FROM listing_prices \
             {}ORDER BY listing_id, market",
            among("listing_id")
        ))
        .fetch_all(pool)
        .await?
        {
            let market: String = row.try_get("market")?;
            let currency: String = row.try_get("currency")?;
            let Some(m) = net
                .market_index(&market)
                .and_then(|i| net.file.markets.get(i))
            else {
                continue;
            };
            // A price in another currency than the market's cannot be shown there.
            if m.currency != currency {
                continue;
            }
            let Some(price) = net.money(row.try_get("price_minor")?, &currency) else {
                continue;
            };
            prices
                .entry(row.try_get("listing_id")?)
                .or_default()
                .push((market, price));
        }

        let category_names: BTreeMap<&str, &str> = net
            .file
            .categories
            .iter()
            .map(|c| (c.id.as_str(), c.name.as_str()))
            .collect();
        let mut listings = Vec::new();
        for row in sqlx::query(&format!(
            "SELECT id, seller_id, sku, brand, title, description, category, mode, weight_g, \
             length_mm, width_mm, height_mm, art, rating_tenths, review_count, listed_at, \
             version FROM listings {}ORDER BY id",
            among("id")
        ))
        .fetch_all(pool)
        .await?
        {
            let id: i64 = row.try_get("id")?;
            let seller_id: String = row.try_get("seller_id")?;
            let Ok(seller) = sellers.binary_search_by(|s| s.id.cmp(&seller_id)) else {
                continue;
            };
            let mode: String = row.try_get("mode")?;
            let Some(mode) = parse_mode(&mode) else {
                continue;
            };
            let listed: String = row.try_get("listed_at")?;
            let category: String = row.try_get("category")?;
            let category_index = net.category_index(&category);
            let title: String = row.try_get("title")?;
            let brand: String = row.try_get("brand")?;
            let description: String = row.try_get("description")?;
            let attrs = attributes.remove(&id).unwrap_or_default();
            let stock = stock.remove(&id).unwrap_or_default();
            let mut offers = Vec::new();
            for (market, price) in prices.remove(&id).unwrap_or_default() {
                let units = units_for_market(net, &stock, mode, &market);
                let promos = promotions.remove(&(id, market.clone())).unwrap_or_default();
                offers.push(Offer {
                    market_index: net.market_index(&market),
                    market,
                    price,
                    units,
                    promotions: promos,
                });
            }
            offers.sort_by_key(|o| o.market_index);
            let shop = sellers.get(seller).map_or("", |s| s.name.as_str());
            let attr_text: String = attrs
                .iter()
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let search = SearchDoc::new(
                &title,
                &format!("{brand} {shop}"),
                &format!(
                    "{} {}",
                    category_names.get(category.as_str()).copied().unwrap_or(""),
                    category.replace('_', " ")
                ),
                &attr_text,
                &description,
            );
            listings.push(Arc::new(ListingRecord {
                id,
                version: row.try_get("version")?,
                seller,
                sku: row.try_get("sku")?,
                brand,
                title,
                description,
                engine: Listing {
                    weight_g: to_u32(row.try_get("weight_g")?),
                    dims_mm: [
                        to_u32(row.try_get("length_mm")?),
                        to_u32(row.try_get("width_mm")?),
                        to_u32(row.try_get("height_mm")?),
                    ],
                    category,
                    mode,
                    stock,
                    unit_price: None,
                },
                art: row.try_get("art")?,
                rating_tenths: to_u32(row.try_get("rating_tenths")?),
                review_count: to_u64(row.try_get("review_count")?),
                listed_at: Instant::parse(&listed).map_err(|e| decode("listings.listed_at", e))?,
                attributes: attrs,
                offers,
                category_index,
                search,
            }));
        }
        Ok(Catalog { listings, sellers })
    }
}

/// Units a listing has (capped per warehouse) in the warehouses of its mode that can ship
/// to `market`: consolidation warehouses with an air lane there, or warehouses in it.
fn units_for_market(net: &Network, stock: &[StockLine], mode: Mode, market: &str) -> u32 {
    let kind = mode.warehouse_kind();
    stock
        .iter()
        .filter(|s| {
            let Some(w) = net.file.warehouses.iter().find(|w| w.id == s.warehouse) else {
                return false;
            };
            w.kind == kind
                && match w.kind {
                    WarehouseKind::CnConsolidation => net
                        .file
                        .air_lanes
                        .iter()
                        .any(|l| l.market == market && l.origins.contains(&w.id)),
                    _ => w.market.as_deref() == Some(market),
                }
        })
        .map(|s| s.quantity)
        .sum()
}

fn to_u32(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

fn to_u64(v: i64) -> u64 {
    u64::try_from(v.max(0)).unwrap_or(0)
}

fn decode(column: &str, e: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(format!("{column}: {e}").into())
}

/// The shared, swappable snapshot.
#[derive(Debug, Default)]
pub struct CatalogStore {
    current: RwLock<Arc<Catalog>>,
    /// Reloads run one at a time, so a reload that started after a write always
    /// publishes a snapshot that includes it (two overlapping reloads could otherwise
    /// finish in the wrong order and put an older snapshot back). Holds the
    /// [`ChangeMark`] the current snapshot was loaded at (`None`: not known) and the
    /// last reload request it covers.
    reloading: tokio::sync::Mutex<Loaded>,
    /// Reload requests so far (each [`CatalogStore::reload`] call takes a number).
    requested: std::sync::atomic::AtomicU64,
    /// Listings written and not yet reloaded: the next [`CatalogStore::reload_listings`]
    /// reloads them all at once, so writes that finish while a reload runs share the
    /// next one instead of queueing one reload each.
    pending: std::sync::Mutex<BTreeSet<i64>>,
    /// Listing reload requests so far (each [`CatalogStore::reload_listings`] call takes
    /// a number after adding its ids to `pending`).
    listings_requested: std::sync::atomic::AtomicU64,
}

/// What the current snapshot was loaded at.
#[derive(Debug, Default)]
struct Loaded {
    mark: Option<ChangeMark>,
    /// Every reload request up to this number was made before the snapshot's load began.
    covers: u64,
    /// Every listing reload request up to this number had its ids loaded into the
    /// snapshot (by a full load, or a partial one that took them from `pending`).
    listings_cover: u64,
}

/// Where the catalog's writes stand: every write to a listing (prices, stock, mode,
/// promotions, shipments, imports) moves its `version` on, so the number of listings and
/// the sum of their versions change with every write, by any server instance. Reading it
/// is one indexed aggregate, cheap enough to ask every second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeMark {
    listings: i64,
    versions: i64,
}

impl ChangeMark {
    /// The mark as the database has it now.
    pub async fn read(pool: &AnyPool) -> Result<ChangeMark, sqlx::Error> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS listings, CAST(COALESCE(SUM(version), 0) AS BIGINT) AS versions \
             FROM listings",
        )
        .fetch_one(pool)
        .await?;
        Ok(ChangeMark {
            listings: row.try_get("listings")?,
            versions: row.try_get("versions")?,
        })
    }
}

impl CatalogStore {
    pub fn new(catalog: Catalog) -> CatalogStore {
        CatalogStore::shared(Arc::new(catalog))
    }

    /// A store starting from `catalog`, loaded when the database stood at `mark`.
    pub fn loaded_at(catalog: Catalog, mark: ChangeMark) -> CatalogStore {
        CatalogStore {
            current: RwLock::new(Arc::new(catalog)),
            reloading: tokio::sync::Mutex::new(Loaded {
                mark: Some(mark),
                ..Loaded::default()
            }),
            ..CatalogStore::default()
        }
    }

    /// A store starting from a snapshot shared with others (tests load the demo catalog
    /// once for many states).
    pub fn shared(catalog: Arc<Catalog>) -> CatalogStore {
        CatalogStore {
            current: RwLock::new(catalog),
            ..CatalogStore::default()
        }
    }

    /// The snapshot to answer one request with.
    pub fn snapshot(&self) -> Arc<Catalog> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reloads from the database after a change there. Returns once the new snapshot
    /// answers requests.
    ///
    /// Writes that finish while a reload runs share the next one: when its turn comes, a
    /// request that a load begun after it has already answered returns at once.
    pub async fn reload(&self, pool: &AnyPool, net: &Network) -> Result<(), sqlx::Error> {
        use std::sync::atomic::Ordering;
        let ticket = self.requested.fetch_add(1, Ordering::SeqCst) + 1;
        let mut loaded = self.reloading.lock().await;
        if loaded.covers >= ticket {
            return Ok(());
        }
        self.load_into(&mut loaded, pool, net).await
    }

    /// Reloads the listings `ids` only, after a write to them: a few small queries
    /// instead of the whole catalog (a full load when the sellers changed). Returns once
    /// a snapshot with them answers requests.
    ///
    /// Writes that finish while a reload runs share the next one: it reloads every
    /// listing written meanwhile, and the writes it covered return without another.
    pub async fn reload_listings(
        &self,
        pool: &AnyPool,
        net: &Network,
        ids: &[i64],
    ) -> Result<(), sqlx::Error> {
        use std::sync::atomic::Ordering;
        self.pending_ids().extend(ids.iter().copied());
        // The number after the ids: a reload that reads a number at least this high
        // before taking `pending` takes these ids too.
        let ticket = self.listings_requested.fetch_add(1, Ordering::SeqCst) + 1;
        let mut loaded = self.reloading.lock().await;
        if loaded.listings_cover >= ticket {
            return Ok(());
        }
        let covers = self.listings_requested.load(Ordering::SeqCst);
        let ids: Vec<i64> = std::mem::take(&mut *self.pending_ids())
            .into_iter()
            .collect();
        // Empty: a reload that began before this request's number took its ids.
        if !ids.is_empty() {
            let fresh = match Catalog::load_listings(pool, net, &ids).await {
                Ok(part) => match self.snapshot().merged(part, &ids) {
                    Some(merged) => Ok(merged),
                    None => Catalog::load(pool, net).await,
                },
                Err(e) => Err(e),
            };
            match fresh {
                Ok(fresh) => self.publish(Arc::new(fresh)),
                Err(e) => {
                    // Not reloaded: the next reload takes them again.
                    self.pending_ids().extend(ids);
                    return Err(e);
                }
            }
        }
        loaded.listings_cover = covers;
        Ok(())
    }

    fn pending_ids(&self) -> std::sync::MutexGuard<'_, BTreeSet<i64>> {
        match self.pending.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// When the database's [`ChangeMark`] differs from the current snapshot's, reloads
    /// the listings whose version differs from the snapshot's (all of them when most
    /// did): how an instance picks up what other instances on the same database wrote.
    /// Whether anything was reloaded.
    pub async fn reload_if_changed(
        &self,
        pool: &AnyPool,
        net: &Network,
    ) -> Result<bool, sqlx::Error> {
        let mut loaded = self.reloading.lock().await;
        let mark = ChangeMark::read(pool).await?;
        if loaded.mark == Some(mark) {
            return Ok(false);
        }
        let current = self.snapshot();
        let versions: Vec<(i64, i64)> =
            sqlx::query_as("SELECT id, version FROM listings ORDER BY id")
                .fetch_all(pool)
                .await?;
        let mut changed: Vec<i64> = versions
            .iter()
            .filter(|(id, version)| current.listing(*id).map(|l| l.version) != Some(*version))
            .map(|(id, _)| *id)
            .collect();
        changed.extend(
            current
                .listings
                .iter()
                .filter(|l| versions.binary_search_by_key(&l.id, |(id, _)| *id).is_err())
                .map(|l| l.id),
        );
        if changed.is_empty() {
            loaded.mark = Some(mark);
            return Ok(false);
        }
        if changed.len() > current.listings.len() / 4 {
            self.load_into(&mut loaded, pool, net).await?;
            return Ok(true);
        }
        let part = Catalog::load_listings(pool, net, &changed).await?;
        let fresh = match current.merged(part, &changed) {
            Some(merged) => merged,
            None => Catalog::load(pool, net).await?,
        };
        self.publish(Arc::new(fresh));
        loaded.mark = Some(mark);
        Ok(true)
    }

    fn publish(&self, fresh: Arc<Catalog>) {
        match self.current.write() {
            Ok(mut guard) => *guard = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
    }

    async fn load_into(
        &self,
        loaded: &mut Loaded,
        pool: &AnyPool,
        net: &Network,
    ) -> Result<(), sqlx::Error> {
        // The requests and the mark first: a write landing meanwhile makes the snapshot
        // newer than they say, and the next request or check reloads once more, never the
        // other way round.
        let covers = self.requested.load(std::sync::atomic::Ordering::SeqCst);
        let listings_cover = self
            .listings_requested
            .load(std::sync::atomic::Ordering::SeqCst);
        let mark = ChangeMark::read(pool).await?;
        self.publish(Arc::new(Catalog::load(pool, net).await?));
        *loaded = Loaded {
            mark: Some(mark),
            covers,
            listings_cover,
        };
        Ok(())
    }
}

/// Writes the demo catalog (generated from [`DEMO_SEED`]) when the database has no
/// catalog yet. Returns whether it wrote one. One transaction: a start that fails halfway
/// leaves no partial catalog behind.
pub async fn seed_demo_catalog(pool: &AnyPool, net: &Network) -> Result<bool, sqlx::Error> {
    let existing: i64 = sqlx::query("SELECT COUNT(*) AS n FROM catalog_meta")
        .fetch_one(pool)
        .await?
        .try_get("n")?;
    if existing > 0 {
        return Ok(false);
    }
    let demo = generate(net, DEMO_SEED);
    let mut tx = pool.begin().await?;
    insert_catalog(&mut tx, &demo).await?;
    sqlx::query(
        "INSERT INTO catalog_meta (id, generator, seed, network_version, created_at) \
         VALUES (1, $1, $2, $3, $4)",
    )
    .bind(GENERATOR)
    .bind(i64::try_from(DEMO_SEED).unwrap_or(0))
    .bind(net.version())
    .bind(generate::CATALOG_DATE)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Rows per multi-row INSERT (well under SQLite's and PostgreSQL's bind limits).
const CHUNK: usize = 400;

/// `head` followed by `VALUES ($1, …, $columns), (…)` for `rows` rows: numbered
/// placeholders, which SQLite and PostgreSQL both take (sqlx's `QueryBuilder` writes `?`
/// through the `Any` driver, which PostgreSQL refuses).
fn values_sql(head: &str, rows: usize, columns: usize) -> String {
    use std::fmt::Write;
    let mut sql = String::with_capacity(head.len() + 8 + rows * columns * 5);
    sql.push_str(head);
    sql.push_str("VALUES ");
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns {
            let sep = if column == 0 { "" } else { ", " };
            let _ = write!(sql, "{sep}${}", row * columns + column + 1);
        }
        sql.push(')');
    }
    sql
}

async fn insert_catalog(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    demo: &DemoCatalog,
) -> Result<(), sqlx::Error> {
    for chunk in demo.sellers.chunks(CHUNK) {
        let sql = values_sql(
            "INSERT INTO sellers (id, name, legal_name, kind, city, province, country, \
             founded_year, joined_on, about, rating_tenths, review_count, contact_email) ",
            chunk.len(),
            13,
        );
        let mut q = sqlx::query(&sql);
        for s in chunk {
            q = q
                .bind(&s.id)
                .bind(&s.name)
                .bind(&s.legal_name)
                .bind(&s.kind)
                .bind(&s.city)
                .bind(&s.province)
                .bind(&s.country)
                .bind(s.founded_year)
                .bind(&s.joined_on)
                .bind(&s.about)
                .bind(s.rating_tenths)
                .bind(s.review_count)
                .bind(&s.contact_email);
        }
        q.execute(&mut **tx).await?;
    }
    for chunk in demo.seller_warehouses.chunks(CHUNK) {
        let sql = values_sql(
            "INSERT INTO seller_warehouses (seller_id, warehouse) ",
            chunk.len(),
            2,
        );
        let mut q = sqlx::query(&sql);
        for (s, w) in chunk {
            q = q.bind(s).bind(w);
        }
        q.execute(&mut **tx).await?;
    }
    for chunk in demo.listings.chunks(CHUNK) {
        let sql = values_sql(
            "INSERT INTO listings (id, seller_id, sku, brand, title, description, category, \
             mode, weight_g, length_mm, width_mm, height_mm, art, rating_tenths, \
             review_count, listed_at, unit_cost_minor, cost_currency) ",
            chunk.len(),
            18,
        );
        let mut q = sqlx::query(&sql);
        for l in chunk {
            let [len, wid, hei] = l.dims_mm;
            q = q
                .bind(l.id)
                .bind(&l.seller_id)
                .bind(&l.sku)
                .bind(&l.brand)
                .bind(&l.title)
                .bind(&l.description)
                .bind(&l.category)
                .bind(&l.mode)
                .bind(l.weight_g)
                .bind(len)
                .bind(wid)
                .bind(hei)
                .bind(&l.art)
                .bind(l.rating_tenths)
                .bind(l.review_count)
                .bind(&l.listed_at)
                .bind(l.unit_cost_minor)
                .bind(&l.cost_currency);
        }
        q.execute(&mut **tx).await?;
    }
    for chunk in demo.attributes.chunks(CHUNK) {
        let sql = values_sql(
            "INSERT INTO listing_attributes (listing_id, position, name, value) ",
            chunk.len(),
            4,
        );
        let mut q = sqlx::query(&sql);
        for a in chunk {
            q = q
                .bind(a.listing_id)
                .bind(a.position)
                .bind(&a.name)
                .bind(&a.value);
        }
        q.execute(&mut **tx).await?;
    }
    for chunk in demo.prices.chunks(CHUNK) {
        let sql = values_sql(
            "INSERT INTO listing_prices (listing_id, market, currency, price_minor, \
             supply_price_minor, margin_bp) ",
            chunk.len(),
            6,
        );
        let mut q = sqlx::query(&sql);
        for p in chunk {
            q = q
                .bind(p.listing_id)
                .bind(&p.market)
                .bind(&p.currency)
                .bind(p.price_minor)
                .bind(p.supply_price_minor)
                .bind(p.margin_bp);
        }
        q.execute(&mut **tx).await?;
    }
    for chunk in demo.stock.chunks(CHUNK) {
        let sql = values_sql(
            "INSERT INTO listing_stock (listing_id, warehouse, quantity) ",
            chunk.len(),
            3,
        );
        let mut q = sqlx::query(&sql);
        for s in chunk {
            q = q.bind(s.listing_id).bind(&s.warehouse).bind(s.quantity);
        }
        q.execute(&mut **tx).await?;
    }
    for chunk in demo.promotions.chunks(CHUNK) {
        let sql = values_sql(
            "INSERT INTO promotions (id, listing_id, market, kind, label, price_minor, \
             starts_at, ends_at, funded_by) ",
            chunk.len(),
            9,
        );
        let mut q = sqlx::query(&sql);
        for p in chunk {
            q = q
                .bind(p.id)
                .bind(p.listing_id)
                .bind(&p.market)
                .bind(&p.kind)
                .bind(&p.label)
                .bind(p.price_minor)
                .bind(&p.starts_at)
                .bind(&p.ends_at)
                .bind(&p.funded_by);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}
