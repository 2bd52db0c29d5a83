//! The demo catalog: about 3,000 listings from twelve sellers, drawn reproducibly from
//! the catalog's product data (`products.rs`) with a fixed seed.
//!
//! Determinism: the generator uses only integer arithmetic, its own random number
//! generator and ordered collections, and draws each listing from a generator seeded by
//! (seed, seller, category, index), so the same seed and network always give the same
//! rows, on any platform, and adding a seller does not reshuffle the others.
//!
//! The rules it follows (from the product brief):
//! - fully managed only for categories the network accepts in the programme and only for
//!   items air freight takes (weight and longest side within every air lane's limits);
//!   power banks and beauty never are (the network says so), food is semi-managed only;
//! - semi-managed only for sellers with an overseas (`seller_3pl`) warehouse, stock in
//!   those warehouses;
//! - platform-local stock in the platform's warehouses of one or more markets;
//! - a listing is sold in the markets its stock can reach: every market with an air lane
//!   from its consolidation warehouse for fully managed, the warehouses' own markets
//!   otherwise;
//! - some listings sold out, some with a few units left, some on promotion (running,
//!   scheduled and expired ones).

use serde::Serialize;

use crossdock_core::Network;
use crossdock_core::engine::Mode;
use crossdock_core::schema::WarehouseKind;
use crossdock_core::time::{Date, Instant};

use super::products::{CATEGORIES, CategoryData, ProductDef, SELLERS, SellerDef};

/// The seed of the catalog created at first start.
pub const DEMO_SEED: u64 = 20_261_124;

/// Names the generator's rules; stored with the catalog so a database says what made it.
pub const GENERATOR: &str = "crossdock-demo-catalog/1";

/// The instant the demo catalog is "as of": listings are dated before it and promotions
/// around it (Black Friday 2026).
pub const CATALOG_DATE: &str = "2026-11-24";

/// Every row of the demo catalog, in insertion order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoCatalog {
    pub sellers: Vec<SellerRow>,
    pub seller_warehouses: Vec<(String, String)>,
    pub listings: Vec<ListingRow>,
    pub attributes: Vec<AttributeRow>,
    pub prices: Vec<PriceRow>,
    pub stock: Vec<StockRow>,
    pub promotions: Vec<PromotionRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SellerRow {
    pub id: String,
    pub name: String,
    pub legal_name: String,
    pub kind: String,
    pub city: String,
    pub province: String,
    pub country: String,
    pub founded_year: i64,
    pub joined_on: String,
    pub about: String,
    pub rating_tenths: i64,
    pub review_count: i64,
    /// Private.
    pub contact_email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListingRow {
    pub id: i64,
    pub seller_id: String,
    pub sku: String,
    pub brand: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub mode: String,
    pub weight_g: i64,
    pub dims_mm: [i64; 3],
    /// Picture recipe: "motif primary-hex accent-hex".
    pub art: String,
    pub rating_tenths: i64,
    pub review_count: i64,
    /// RFC 3339, UTC.
    pub listed_at: String,
    /// Private: cost of goods per unit, minor units of `cost_currency`.
    pub unit_cost_minor: i64,
    pub cost_currency: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttributeRow {
    pub listing_id: i64,
    pub position: i64,
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceRow {
    pub listing_id: i64,
    pub market: String,
    pub currency: String,
    /// What the shopper pays (VAT included where the market shows prices with VAT).
    pub price_minor: i64,
    /// Private: what the platform pays the seller (fully managed only).
    pub supply_price_minor: Option<i64>,
    /// Private: the seller's margin at this price, basis points.
    pub margin_bp: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StockRow {
    pub listing_id: i64,
    pub warehouse: String,
    /// Private: exact units on hand.
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PromotionRow {
    pub id: i64,
    pub listing_id: i64,
    pub market: String,
    pub kind: String,
    pub label: String,
    pub price_minor: i64,
    pub starts_at: String,
    pub ends_at: String,
    /// Private: who pays for the discount ("seller" or "platform").
    pub funded_by: String,
}

/// A small, fast, well-mixed generator (SplitMix64): reproducible everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            lo
        } else {
            lo + self.below(hi - lo + 1)
        }
    }

    /// True `per_mille` times in a thousand.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        let n = u64::try_from(items.len()).unwrap_or(0);
        items.get(usize::try_from(self.below(n)).unwrap_or(0))
    }

    /// A shuffled copy (Fisher–Yates).
    fn shuffled<T: Clone>(&mut self, items: &[T]) -> Vec<T> {
        let mut v = items.to_vec();
        for i in (1..v.len()).rev() {
            let j = usize::try_from(self.below(u64::try_from(i + 1).unwrap_or(1))).unwrap_or(0);
            v.swap(i, j);
        }
        v
    }
}

/// FNV-1a of the parts: a stable per-listing seed.
fn mix(seed: u64, parts: &[&str], n: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    for b in n.to_le_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// `a + (b - a) × t / 1000`, for `t` in 0..=1000.
fn lerp(a: u32, b: u32, t: u64) -> i64 {
    let (a, b) = (i64::from(a), i64::from(b));
    a + (b - a) * i64::try_from(t.min(1000)).unwrap_or(0) / 1000
}

/// What the network offers the generator, looked up once.
struct Net<'a> {
    net: &'a Network,
    /// Heaviest unit and longest side every air lane takes.
    air_max_g: u32,
    air_max_mm: u32,
}

impl Net<'_> {
    fn warehouse_kind(&self, id: &str) -> Option<WarehouseKind> {
        self.net
            .file
            .warehouses
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.kind)
    }

    fn warehouses_of(&self, kind: WarehouseKind) -> Vec<&str> {
        self.net
            .file
            .warehouses
            .iter()
            .filter(|w| w.kind == kind)
            .map(|w| w.id.as_str())
            .collect()
    }

    fn warehouse_market(&self, id: &str) -> Option<&str> {
        self.net
            .file
            .warehouses
            .iter()
            .find(|w| w.id == id)
            .and_then(|w| w.market.as_deref())
    }

    /// Markets reached by air from consolidation warehouse `id`.
    fn air_markets(&self, id: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for m in &self.net.file.markets {
            if self
                .net
                .file
                .air_lanes
                .iter()
                .any(|l| l.market == m.id && l.origins.iter().any(|o| o == id))
            {
                out.push(m.id.as_str());
            }
        }
        out
    }

    fn fully_managed_allowed(&self, category: &str) -> bool {
        self.net
            .file
            .categories
            .iter()
            .any(|c| c.id == category && c.fully_managed)
    }
}

/// Generates the demo catalog for `net` from `seed`.
pub fn generate(net: &Network, seed: u64) -> DemoCatalog {
    let lanes = &net.file.air_lanes;
    let n = Net {
        net,
        air_max_g: lanes.iter().map(|l| l.max_unit_weight_g).min().unwrap_or(0),
        air_max_mm: lanes
            .iter()
            .map(|l| l.max_unit_length_mm)
            .min()
            .unwrap_or(0),
    };
    let mut drafts: Vec<Draft> = Vec::new();
    let mut sellers = Vec::new();
    let mut seller_warehouses = Vec::new();
    let epoch = catalog_epoch();
    for s in SELLERS {
        let overseas: Vec<&str> = s
            .overseas
            .iter()
            .copied()
            .filter(|w| n.warehouse_kind(w) == Some(WarehouseKind::Seller3pl))
            .collect();
        sellers.push(SellerRow {
            id: s.id.into(),
            name: s.name.into(),
            legal_name: s.legal_name.into(),
            kind: s.kind.into(),
            city: s.city.into(),
            province: s.province.into(),
            country: "CN".into(),
            founded_year: i64::from(s.founded),
            joined_on: s.joined.into(),
            about: s.about.split_whitespace().collect::<Vec<_>>().join(" "),
            rating_tenths: i64::from(s.rating_tenths),
            review_count: i64::from(s.reviews),
            contact_email: s.email.into(),
        });
        for w in &overseas {
            seller_warehouses.push((s.id.to_string(), (*w).to_string()));
        }
        for &(cat_id, count, motifs) in s.listings {
            let Some(cat) = CATEGORIES.iter().find(|c| c.id == cat_id) else {
                continue;
            };
            if net.category_index(cat_id).is_none() {
                continue;
            }
            for i in 0..count {
                let mut rng = Rng(mix(seed, &[s.id, cat_id], u64::from(i)));
                let made = epoch.and_then(|e| draft(&n, &mut rng, s, &overseas, cat, motifs, i, e));
                if let Some(d) = made {
                    drafts.push(d);
                }
            }
        }
    }
    // Ids follow the listing date, as a database sequence would have given them.
    drafts.sort_by(|a, b| {
        a.listed_at
            .cmp(&b.listed_at)
            .then_with(|| a.sku.cmp(&b.sku))
    });
    let mut out = DemoCatalog {
        sellers,
        seller_warehouses,
        listings: Vec::new(),
        attributes: Vec::new(),
        prices: Vec::new(),
        stock: Vec::new(),
        promotions: Vec::new(),
    };
    // A title already taken (same product, spec and colour) gets the model number, as
    // sellers do to tell their variants apart.
    let mut taken: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for d in &mut drafts {
        if !taken.insert(d.title.clone()) {
            d.title = format!("{} ({})", d.title, d.model);
            taken.insert(d.title.clone());
        }
    }
    for (i, d) in drafts.into_iter().enumerate() {
        let id = i64::try_from(i).unwrap_or(0) + 1;
        d.emit(id, &mut out);
    }
    out
}

fn catalog_epoch() -> Option<Date> {
    Date::parse(CATALOG_DATE).ok()
}

/// Digits of the minor unit of the currency `code` in the network (2 when unknown).
fn exponent_of(net: &Network, code: &str) -> u8 {
    crossdock_core::CurrencyCode::new(code)
        .ok()
        .and_then(|c| net.currencies.get(&c))
        .map_or(2, |c| c.exponent)
}

/// A listing before it has its id.
struct Draft {
    seller: &'static str,
    sku: String,
    brand: String,
    title: String,
    model: String,
    description: String,
    category: &'static str,
    mode: Mode,
    weight_g: i64,
    dims_mm: [i64; 3],
    art: String,
    rating_tenths: i64,
    review_count: i64,
    listed_at: Instant,
    unit_cost_cny_minor: i64,
    attributes: Vec<(String, String)>,
    /// (market, currency, price, supply price, margin bp)
    prices: Vec<(String, String, i64, Option<i64>, i64)>,
    stock: Vec<(String, i64)>,
    /// (market, kind, label, price, starts, ends, funded by)
    promotions: Vec<(
        String,
        &'static str,
        &'static str,
        i64,
        String,
        String,
        &'static str,
    )>,
}

impl Draft {
    fn emit(self, id: i64, out: &mut DemoCatalog) {
        out.listings.push(ListingRow {
            id,
            seller_id: self.seller.into(),
            sku: self.sku,
            brand: self.brand,
            title: self.title,
            description: self.description,
            category: self.category.into(),
            mode: mode_id(self.mode).into(),
            weight_g: self.weight_g,
            dims_mm: self.dims_mm,
            art: self.art,
            rating_tenths: self.rating_tenths,
            review_count: self.review_count,
            listed_at: self.listed_at.to_string(),
            unit_cost_minor: self.unit_cost_cny_minor,
            cost_currency: "CNY".into(),
        });
        for (pos, (name, value)) in self.attributes.into_iter().enumerate() {
            out.attributes.push(AttributeRow {
                listing_id: id,
                position: i64::try_from(pos).unwrap_or(0) + 1,
                name,
                value,
            });
        }
        for (market, currency, price, supply, margin) in self.prices {
            out.prices.push(PriceRow {
                listing_id: id,
                market,
                currency,
                price_minor: price,
                supply_price_minor: supply,
                margin_bp: margin,
            });
        }
        for (warehouse, quantity) in self.stock {
            out.stock.push(StockRow {
                listing_id: id,
                warehouse,
                quantity,
            });
        }
        for (market, kind, label, price, starts, ends, funded) in self.promotions {
            let pid = i64::try_from(out.promotions.len()).unwrap_or(0) + 1;
            out.promotions.push(PromotionRow {
                id: pid,
                listing_id: id,
                market,
                kind: kind.into(),
                label: label.into(),
                price_minor: price,
                starts_at: starts,
                ends_at: ends,
                funded_by: funded.into(),
            });
        }
    }
}

/// The id of a mode as the API and the database spell it.
pub fn mode_id(mode: Mode) -> &'static str {
    match mode {
        Mode::FullyManaged => "fully_managed",
        Mode::SemiManaged => "semi_managed",
        Mode::PlatformLocal => "platform_local",
    }
}

/// The mode an id names.
pub fn parse_mode(id: &str) -> Option<Mode> {
    Mode::ALL.into_iter().find(|m| mode_id(*m) == id)
}

#[allow(clippy::too_many_arguments)]
fn draft(
    n: &Net<'_>,
    rng: &mut Rng,
    s: &'static SellerDef,
    overseas: &[&str],
    cat: &'static CategoryData,
    motifs: &[&str],
    index: u32,
    epoch: Date,
) -> Option<Draft> {
    let products: Vec<&ProductDef> = cat
        .products
        .iter()
        .filter(|p| motifs.is_empty() || motifs.contains(&p.motif))
        .collect();
    let product: &ProductDef = rng.pick(&products).copied()?;
    let n_specs = u64::try_from(product.specs.len()).unwrap_or(1).max(1);
    let k = rng.below(n_specs);
    let spec = product
        .specs
        .get(usize::try_from(k).unwrap_or(0))
        .copied()
        .unwrap_or("");
    // Size factor 0..=1000: later specs are bigger.
    let t = (k * 1000 + rng.below(1000)) / n_specs;
    let jitter = |rng: &mut Rng| (t + rng.below(160)).saturating_sub(80).min(1000);
    let weight_g = lerp(product.weight_g.0, product.weight_g.1, jitter(rng)).max(1);
    let (lo, hi) = product.dims_mm;
    let mut dims_mm = [0i64; 3];
    for (i, d) in dims_mm.iter_mut().enumerate() {
        let a = lo.get(i).copied().unwrap_or(10);
        let b = hi.get(i).copied().unwrap_or(10);
        // Whole millimetres rounded to 5 mm, as a packer measures.
        *d = (lerp(a, b, jitter(rng)) / 5 * 5).max(5);
    }
    let usd = lerp(product.usd_cents.0, product.usd_cents.1, jitter(rng));
    let usd = charm_up(usd, 2);

    let (color, color_hex) = rng
        .pick(cat.colors)
        .copied()
        .unwrap_or(("Black", "#1f2328"));
    let features = rng.shuffled(product.features);
    let fit = rng.pick(product.fits).copied();
    let title = fill(
        product.title,
        &[
            ("{brand}", s.brand),
            ("{spec}", spec),
            (
                "{feature}",
                &capitalise(features.first().copied().unwrap_or("")),
            ),
            ("{fit}", fit.unwrap_or("")),
            ("{color}", color),
        ],
    );

    // Mode.
    let longest = dims_mm.iter().copied().max().unwrap_or(0);
    let flies = weight_g <= i64::from(n.air_max_g) && longest <= i64::from(n.air_max_mm);
    let consolidation = if n.warehouse_kind(s.consolidation) == Some(WarehouseKind::CnConsolidation)
    {
        Some(s.consolidation)
    } else {
        n.warehouses_of(WarehouseKind::CnConsolidation)
            .first()
            .copied()
    };
    let food = cat.id == "food";
    let local = n.warehouses_of(WarehouseKind::PlatformLocal);
    let mut allowed: Vec<(Mode, u64)> = Vec::new();
    if !food && flies && n.fully_managed_allowed(cat.id) && consolidation.is_some() {
        allowed.push((Mode::FullyManaged, u64::from(s.modes.0)));
    }
    if !overseas.is_empty() {
        allowed.push((Mode::SemiManaged, u64::from(s.modes.1)));
    }
    if !food && !local.is_empty() {
        allowed.push((Mode::PlatformLocal, u64::from(s.modes.2)));
    }
    let total: u64 = allowed.iter().map(|a| a.1).sum();
    let mode = if total == 0 {
        allowed.first()?.0
    } else {
        let mut r = rng.below(total);
        let mut chosen = allowed.first()?.0;
        for (m, w) in &allowed {
            if r < *w {
                chosen = *m;
                break;
            }
            r -= w;
        }
        chosen
    };

    // Stock.
    let sold_out = rng.chance(40);
    let mut stock: Vec<(String, i64)> = Vec::new();
    match mode {
        Mode::FullyManaged => {
            let primary = consolidation?;
            stock.push((primary.to_string(), draw_quantity(rng, true)));
            for other in n.warehouses_of(WarehouseKind::CnConsolidation) {
                if other != primary && rng.chance(250) {
                    stock.push((other.to_string(), draw_quantity(rng, true)));
                }
            }
        }
        Mode::SemiManaged => {
            let first = rng.below(u64::try_from(overseas.len()).unwrap_or(1));
            for (i, w) in overseas.iter().enumerate() {
                if u64::try_from(i).ok() == Some(first) || rng.chance(700) {
                    stock.push(((*w).to_string(), draw_quantity(rng, false)));
                }
            }
        }
        Mode::PlatformLocal => {
            let mut markets: Vec<&str> = Vec::new();
            for w in &local {
                if let Some(m) = n.warehouse_market(w)
                    && !markets.contains(&m)
                {
                    markets.push(m);
                }
            }
            let mut chosen: Vec<&str> = markets
                .iter()
                .copied()
                .filter(|m| rng.chance(local_market_share(m)))
                .collect();
            if chosen.is_empty() {
                chosen.extend(markets.first());
            }
            for m in chosen {
                let here: Vec<&&str> = local
                    .iter()
                    .filter(|w| n.warehouse_market(w) == Some(m))
                    .collect();
                let first = rng.below(u64::try_from(here.len()).unwrap_or(1));
                for (i, w) in here.iter().enumerate() {
                    if u64::try_from(i).ok() == Some(first) || rng.chance(550) {
                        stock.push(((**w).to_string(), draw_quantity(rng, false)));
                    }
                }
            }
        }
    }
    if sold_out {
        for line in &mut stock {
            line.1 = 0;
        }
    }

    // Markets and prices.
    let mut markets: Vec<&str> = Vec::new();
    for (w, _) in &stock {
        let reach = match mode {
            Mode::FullyManaged => n.air_markets(w),
            _ => n.warehouse_market(w).into_iter().collect(),
        };
        for m in reach {
            if !markets.contains(&m) {
                markets.push(m);
            }
        }
    }
    // Network order, so every listing lists its markets the same way.
    let markets: Vec<&crossdock_core::schema::MarketDef> = n
        .net
        .file
        .markets
        .iter()
        .filter(|m| markets.contains(&m.id.as_str()))
        .collect();
    let cost_pct = rng.range(22, 38);
    // CNY per USD: 6.77 (the network's snapshot rate, rounded).
    let unit_cost_cny_minor = usd * i64::try_from(cost_pct).unwrap_or(30) * 677 / 10_000;
    let mut prices = Vec::new();
    for m in &markets {
        let exponent = exponent_of(n.net, &m.currency);
        let price = market_price(n.net, usd, &m.currency, exponent);
        let supply = (mode == Mode::FullyManaged)
            .then(|| price * i64::try_from(rng.range(50, 62)).unwrap_or(55) / 100);
        let margin = i64::try_from(match mode {
            Mode::FullyManaged => rng.range(900, 2_400),
            _ => rng.range(1_200, 3_600),
        })
        .unwrap_or(0);
        prices.push((m.id.clone(), m.currency.clone(), price, supply, margin));
    }
    if prices.is_empty() {
        return None;
    }

    // When it was listed, and its reviews.
    let age_days = rng.range(1, 630);
    let day = epoch.add_days(-i64::try_from(age_days).unwrap_or(1)).ok()?;
    let minute = u32::try_from(rng.range(0, 1439)).unwrap_or(0);
    let listed_at = Instant::from_local(day, minute, 0).ok()?;
    let review_count = i64::try_from(if age_days < 14 {
        rng.below(4)
    } else {
        rng.below(age_days * 9 + 20)
    })
    .unwrap_or(0);
    let rating_tenths = i64::try_from(match rng.below(10) {
        0 => rng.range(33, 40),
        1..=3 => rng.range(41, 44),
        _ => rng.range(45, 49),
    })
    .unwrap_or(45);

    // Promotions.
    let mut promotions = Vec::new();
    let high_stock = stock.iter().any(|(_, q)| *q >= 300);
    let roll = rng.below(1000);
    let plan: Option<Promo> = match roll {
        0..=119 => Some(BLACK_FRIDAY),
        120..=149 => Some(LIGHTNING),
        150..=159 => Some(SUPER_DEAL),
        160..=199 if mode == Mode::SemiManaged && high_stock => Some(CLEARANCE),
        160..=199 => Some(BLACK_FRIDAY),
        200..=239 => Some(WINTER),
        240..=269 => Some(SINGLES_DAY),
        _ => None,
    };
    if let Some(p) = plan {
        let bp = rng.range(p.min_bp, p.max_bp);
        // A lightning deal runs in one market; the others everywhere the listing sells.
        let only_first = p.kind == "lightning_deal";
        for (market, currency, price, _, _) in
            prices.iter().take(if only_first { 1 } else { usize::MAX })
        {
            let exponent = exponent_of(n.net, currency);
            let raw = price * i64::try_from(10_000 - bp.min(9_900)).unwrap_or(10_000) / 10_000;
            let promo = charm_down(raw, currency, exponent).min(price - 1).max(1);
            promotions.push((
                market.clone(),
                p.kind,
                p.label,
                promo,
                p.starts.to_string(),
                p.ends.to_string(),
                if p.kind == "super_deal" || rng.chance(300) {
                    "platform"
                } else {
                    "seller"
                },
            ));
        }
    }
    if age_days <= 21 && rng.chance(600) {
        // A launch offer for new listings: 10 % off for 30 days.
        let starts = listed_at;
        let ends = listed_at.add_seconds(30 * 86_400).ok()?;
        for (market, currency, price, _, _) in &prices {
            if promotions
                .iter()
                .any(|p: &(String, _, _, _, _, _, _)| &p.0 == market)
            {
                continue;
            }
            let exponent = exponent_of(n.net, currency);
            let promo = charm_down(price * 9 / 10, currency, exponent)
                .min(price - 1)
                .max(1);
            promotions.push((
                market.clone(),
                "launch_offer",
                "Launch offer",
                promo,
                starts.to_string(),
                ends.to_string(),
                "seller",
            ));
        }
    }

    // Words.
    let sku = format!("{}-{}{:04}", s.prefix, cat.code, index + 1);
    let model = format!(
        "{}{}{}",
        s.prefix,
        rng.range(100, 999),
        char::from(b'A' + u8::try_from(rng.below(26)).unwrap_or(0))
    );
    let material = rng
        .pick(product.materials)
        .copied()
        .unwrap_or("mixed materials");
    let mut attributes: Vec<(String, String)> = vec![
        ("Brand".into(), s.brand.into()),
        ("Model".into(), model.clone()),
        (product.spec_attr.into(), spec.into()),
    ];
    if title.contains(color) {
        attributes.push(("Colour".into(), color.into()));
    }
    attributes.push(("Material".into(), capitalise(material)));
    if let Some(f) = fit {
        attributes.push((
            "Suitable for".into(),
            capitalise(f.trim_start_matches("for ")),
        ));
    }
    for (name, values) in cat.extra {
        if let Some(v) = rng.pick(values) {
            attributes.push(((*name).into(), (*v).into()));
        }
    }
    let [l, w, h] = dims_mm;
    attributes.push((
        "Package dimensions".into(),
        format!("{} × {} × {} cm", cm(l), cm(w), cm(h)),
    ));
    attributes.push(("Package weight".into(), kg(weight_g)));
    attributes.push(("Country of origin".into(), "China".into()));

    let bullets: Vec<String> = features
        .iter()
        .take(4)
        .map(|f| format!("• {}", capitalise(f)))
        .collect();
    let mut description = fill(product.pitch, &[("{spec}", spec)]);
    description = description.split_whitespace().collect::<Vec<_>>().join(" ");
    description.push_str("\n\nHighlights:\n");
    description.push_str(&bullets.join("\n"));
    if let Some(f) = fit {
        description.push_str(&format!("\n\nMade {f}."));
    }
    description.push_str(&format!(
        "\n\nIn the box: {}.\nPacked size {} × {} × {} cm, {}.\n\n{} Sold by {}, a {} in {}, {} since {}.",
        product.in_box,
        cm(l),
        cm(w),
        cm(h),
        kg(weight_g),
        cat.warranty,
        s.name,
        s.kind,
        s.city,
        s.province,
        s.founded
    ));

    let accent = rng
        .pick(cat.colors)
        .map(|c| c.1)
        .filter(|h| *h != color_hex)
        .unwrap_or("#c9a227");
    let art = format!("{} {} {}", product.motif, color_hex, accent);

    Some(Draft {
        seller: s.id,
        sku,
        brand: s.brand.into(),
        title,
        model,
        description,
        category: cat.id,
        mode,
        weight_g,
        dims_mm,
        art,
        rating_tenths,
        review_count,
        listed_at,
        unit_cost_cny_minor,
        attributes,
        prices,
        stock,
        promotions,
    })
}

/// Share of platform-local listings stocked in a market, per mille.
fn local_market_share(market: &str) -> u64 {
    match market {
        "US" => 700,
        "DE" | "GB" => 350,
        "KR" => 220,
        "AE" => 160,
        "ZA" => 130,
        _ => 200,
    }
}

/// Units on hand in one warehouse: some empty, some low, most plenty.
fn draw_quantity(rng: &mut Rng, consolidation: bool) -> i64 {
    let q = match rng.below(100) {
        0..=7 => 0,
        8..=21 => rng.range(1, 9),
        22..=59 => rng.range(10, 150),
        _ if consolidation => rng.range(150, 4_000),
        _ => rng.range(150, 900),
    };
    i64::try_from(q).unwrap_or(0)
}

#[derive(Clone, Copy)]
struct Promo {
    kind: &'static str,
    label: &'static str,
    starts: &'static str,
    ends: &'static str,
    min_bp: u64,
    max_bp: u64,
}

const BLACK_FRIDAY: Promo = Promo {
    kind: "seasonal_sale",
    label: "Black Friday",
    starts: "2026-11-20T00:00:00Z",
    ends: "2026-12-01T08:00:00Z",
    min_bp: 1_500,
    max_bp: 4_000,
};
const LIGHTNING: Promo = Promo {
    kind: "lightning_deal",
    label: "Lightning deal",
    starts: "2026-11-24T14:00:00Z",
    ends: "2026-11-25T02:00:00Z",
    min_bp: 3_000,
    max_bp: 6_000,
};
const SUPER_DEAL: Promo = Promo {
    kind: "super_deal",
    label: "Super deal",
    starts: "2026-11-23T00:00:00Z",
    ends: "2026-11-26T00:00:00Z",
    min_bp: 8_000,
    max_bp: 9_000,
};
const CLEARANCE: Promo = Promo {
    kind: "clearance",
    label: "Clearance",
    starts: "2026-11-01T00:00:00Z",
    ends: "2027-01-31T23:59:59Z",
    min_bp: 4_000,
    max_bp: 7_000,
};
const WINTER: Promo = Promo {
    kind: "seasonal_sale",
    label: "Winter sale",
    starts: "2026-12-26T00:00:00Z",
    ends: "2027-01-10T23:59:59Z",
    min_bp: 2_000,
    max_bp: 3_000,
};
const SINGLES_DAY: Promo = Promo {
    kind: "seasonal_sale",
    label: "Singles' Day",
    starts: "2026-11-11T00:00:00Z",
    ends: "2026-11-12T00:00:00Z",
    min_bp: 2_000,
    max_bp: 5_000,
};

/// The list price in a market: the US price converted at the market's price level and
/// rounded to the price points shoppers there expect.
fn market_price(net: &Network, usd_cents: i64, currency: &str, exponent: u8) -> i64 {
    // Minor units of the currency per 100 US cents, at the seller's price level (not the
    // day's FX rate: sellers set prices per market and keep them for a season).
    let per_dollar: Option<i64> = match currency {
        "USD" => Some(100),
        "EUR" => Some(102),
        "GBP" => Some(86),
        "KRW" => Some(1_450),
        "ZAR" => Some(1_900),
        "AED" => Some(385),
        _ => None,
    };
    let raw = match per_dollar {
        Some(f) => usd_cents * f / 100,
        None => {
            // Unknown currency: convert at the network's FX rate.
            let rate = crossdock_core::CurrencyCode::new(currency)
                .ok()
                .and_then(|c| net.fx_rate(c))
                .unwrap_or(1_000_000);
            let scale = 10i64.pow(u32::from(exponent));
            usd_cents * rate / 1_000_000 * scale / 100
        }
    };
    charm_up(raw, exponent_for(currency, exponent))
}

/// The digits the price points work in: cents for USD/EUR/GBP, whole units for ZAR and
/// AED (R 349, AED 79), whole won.
fn exponent_for(currency: &str, exponent: u8) -> u8 {
    match currency {
        "ZAR" | "AED" => 10,
        _ => exponent,
    }
}

/// Rounds up to the next price point: x.99 in a two-digit currency, 900/9,900 endings for
/// won, whole units ending in 9 for rand and dirham (`exponent` 10 marks those).
fn charm_up(minor: i64, exponent: u8) -> i64 {
    match exponent {
        2 => ((minor + 99) / 100).max(1) * 100 - 1,
        0 => {
            let step = if minor >= 100_000 { 10_000 } else { 1_000 };
            let top = ((minor + step - 1) / step).max(1) * step;
            top - step / 10
        }
        10 => {
            let units = (minor + 99) / 100;
            (((units + 9) / 10).max(1) * 10 - 1) * 100
        }
        _ => minor.max(1),
    }
}

/// Rounds down to a price point at or below `minor`.
fn charm_down(minor: i64, currency: &str, exponent: u8) -> i64 {
    match exponent_for(currency, exponent) {
        2 => (((minor + 1) / 100) * 100 - 1).max(99),
        0 => ((minor / 100) * 100).max(100),
        10 => {
            let units = minor / 100;
            ((((units + 1) / 10) * 10 - 1).max(9)) * 100
        }
        _ => minor.max(1),
    }
}

fn cm(mm: i64) -> String {
    if mm % 10 == 0 {
        format!("{}", mm / 10)
    } else {
        format!("{}.{}", mm / 10, mm % 10)
    }
}

fn kg(g: i64) -> String {
    if g >= 10_000 {
        format!("{}.{} kg", g / 1000, (g % 1000) / 100)
    } else {
        format!("{}.{:02} kg", g / 1000, (g % 1000) / 10)
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Fills `{placeholders}`; an empty value also drops the ", " before it.
fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut s = pattern.to_string();
    for (key, value) in values {
        if value.is_empty() {
            s = s.replace(&format!(", {key}"), "").replace(key, "");
        } else {
            s = s.replace(key, value);
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_points() {
        assert_eq!(charm_up(1234, 2), 1299);
        assert_eq!(charm_up(1200, 2), 1199);
        assert_eq!(charm_up(5, 2), 99);
        assert_eq!(charm_up(26_130, 0), 26_900);
        assert_eq!(charm_up(149_000, 0), 149_000);
        assert_eq!(charm_up(151_000, 0), 159_000);
        // R 341.20 → R 349; AED 71.10 → AED 79.
        assert_eq!(charm_up(34_120, 10), 34_900);
        assert_eq!(charm_up(7_110, 10), 7_900);
        assert_eq!(charm_down(1234, "USD", 2), 1199);
        assert_eq!(charm_down(1299, "USD", 2), 1299);
        assert_eq!(charm_down(26_130, "KRW", 0), 26_100);
        assert_eq!(charm_down(34_120, "ZAR", 2), 33_900);
        assert_eq!(charm_down(7_900, "AED", 2), 7_900);
    }

    #[test]
    fn fill_drops_empty_parts() {
        assert_eq!(
            fill(
                "{brand} Lamp, {fit} – {color}",
                &[("{brand}", "X"), ("{fit}", ""), ("{color}", "Red")]
            ),
            "X Lamp – Red"
        );
    }

    #[test]
    fn every_product_has_its_own_picture() {
        for cat in CATEGORIES {
            for p in cat.products {
                assert!(super::super::images::has_motif(p.motif), "{}", p.motif);
            }
        }
    }

    #[test]
    fn units() {
        assert_eq!(cm(185), "18.5");
        assert_eq!(cm(180), "18");
        assert_eq!(kg(130), "0.13 kg");
        assert_eq!(kg(2_450), "2.45 kg");
    }
}
