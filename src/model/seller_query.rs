//! The seller panel's view as it lives in the URL, so that a link reproduces it:
//! `/seller?q=lamp&mode=semi_managed&market=DE&low_stock=true&sort=margin&dir=desc&page=2` for the
//! SKU table, `/seller?sku=42&market=DE` for one SKU. Parsing never fails: a value it
//! cannot use falls back to its default.

use crossdock_core::Mode;

use crate::model::query::{encode_component, mode_id, parse_mode};
use crate::model::url::QueryParams;

/// SKUs per page of the table.
pub const PER_PAGE: u32 = 25;
/// The highest page a link may ask for.
pub const MAX_PAGE: u32 = 1_000;

/// The column the table is ordered by (the API's `sort` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// The SKU code (the API's default).
    #[default]
    Sku,
    Title,
    /// Units on hand in the warehouses the mode ships from.
    Stock,
    /// The lowest margin in basis points over the markets (or the chosen market's).
    Margin,
    /// When the SKU last changed.
    Updated,
}

impl SortKey {
    pub const ALL: [SortKey; 5] = [
        SortKey::Sku,
        SortKey::Title,
        SortKey::Stock,
        SortKey::Margin,
        SortKey::Updated,
    ];

    /// The URL and API name.
    pub fn id(self) -> &'static str {
        match self {
            SortKey::Sku => "sku",
            SortKey::Title => "title",
            SortKey::Stock => "stock",
            SortKey::Margin => "margin",
            SortKey::Updated => "updated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Sku => "SKU code",
            SortKey::Title => "Title",
            SortKey::Stock => "Stock",
            SortKey::Margin => "Margin",
            SortKey::Updated => "Last changed",
        }
    }

    pub fn parse(s: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|x| x.id() == s)
    }
}

/// How the table is ordered: a column and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SkuSort {
    pub key: SortKey,
    /// Highest (or latest, or last in the alphabet) first.
    pub desc: bool,
}

impl SkuSort {
    /// The order a click on `key`'s column header gives: that column ascending, or, when
    /// it is already so, descending.
    pub fn toggled(self, key: SortKey) -> SkuSort {
        SkuSort {
            key,
            desc: self.key == key && !self.desc,
        }
    }

    /// `aria-sort` of `key`'s column header.
    pub fn aria(self, key: SortKey) -> &'static str {
        match (self.key == key, self.desc) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        }
    }
}

/// The panel's view: the table's search, filters, order and page, or one SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelQuery {
    /// Words typed in the search box (title or SKU code), trimmed.
    pub q: String,
    pub mode: Option<Mode>,
    /// A market id ("DE"): the table shows prices and margins in it, and lists only SKUs
    /// sold there; empty for every market.
    pub market: String,
    /// Only SKUs with little stock left.
    pub low_stock: bool,
    /// Only SKUs that lose money in some market (or in `market`).
    pub negative_margin: bool,
    pub sort: SkuSort,
    /// 1-based.
    pub page: u32,
    /// The SKU shown on its own (a listing id), instead of the table.
    pub sku: Option<i64>,
}

impl Default for PanelQuery {
    /// The whole table, first page.
    fn default() -> PanelQuery {
        PanelQuery {
            q: String::new(),
            mode: None,
            market: String::new(),
            low_stock: false,
            negative_margin: false,
            sort: SkuSort::default(),
            page: 1,
            sku: None,
        }
    }
}

fn flag(v: Option<String>) -> bool {
    matches!(
        v.as_deref().map(str::trim),
        Some("1" | "true" | "yes" | "on")
    )
}

impl PanelQuery {
    /// Reads the page's query parameters.
    pub fn parse(params: &QueryParams) -> PanelQuery {
        let text = |k: &str| {
            params
                .get(k)
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        let market = text("market").to_ascii_uppercase();
        PanelQuery {
            q: text("q").chars().take(200).collect(),
            mode: parse_mode(&text("mode")),
            market: if market.len() == 2 && market.bytes().all(|b| b.is_ascii_uppercase()) {
                market
            } else {
                String::new()
            },
            low_stock: flag(params.get("low_stock")),
            negative_margin: flag(params.get("negative_margin")),
            sort: SkuSort {
                key: SortKey::parse(&text("sort")).unwrap_or_default(),
                desc: text("dir") == "desc",
            },
            page: text("page")
                .parse::<u32>()
                .ok()
                .filter(|p| (1..=MAX_PAGE).contains(p))
                .unwrap_or(1),
            sku: text("sku")
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0 && text("sku").bytes().all(|b| b.is_ascii_digit())),
        }
    }

    /// The table's parameters, defaults left out (shared by the page URL and the API).
    fn table_parts(&self) -> Vec<(&'static str, String)> {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            parts.push(("q", self.q.clone()));
        }
        if let Some(m) = self.mode {
            parts.push(("mode", mode_id(m).to_string()));
        }
        if !self.market.is_empty() {
            parts.push(("market", self.market.clone()));
        }
        if self.low_stock {
            parts.push(("low_stock", "true".into()));
        }
        if self.negative_margin {
            parts.push(("negative_margin", "true".into()));
        }
        if self.sort.key != SortKey::default() {
            parts.push(("sort", self.sort.key.id().to_string()));
        }
        if self.sort.desc {
            parts.push(("dir", "desc".to_string()));
        }
        if self.page > 1 {
            parts.push(("page", self.page.to_string()));
        }
        parts
    }

    /// The page URL: the SKU's when one is open (with its market), else the table's.
    pub fn href(&self) -> String {
        let parts = match self.sku {
            Some(id) => {
                let mut p = vec![("sku", id.to_string())];
                if !self.market.is_empty() {
                    p.push(("market", self.market.clone()));
                }
                p
            }
            None => self.table_parts(),
        };
        let qs = join(&parts);
        if qs.is_empty() {
            "/seller".to_string()
        } else {
            format!("/seller?{qs}")
        }
    }

    /// The query string of `GET /api/seller/listings`.
    pub fn api_query(&self) -> String {
        let mut parts = self.table_parts();
        parts.retain(|(k, _)| *k != "page");
        parts.push(("page", self.page.to_string()));
        parts.push(("per_page", PER_PAGE.to_string()));
        join(&parts)
    }

    /// Whether anything narrows the table (words or filters).
    pub fn narrowed(&self) -> bool {
        !self.q.is_empty()
            || self.mode.is_some()
            || !self.market.is_empty()
            || self.low_stock
            || self.negative_margin
    }

    /// The same table, without search or filters.
    pub fn cleared(&self) -> PanelQuery {
        PanelQuery {
            sort: self.sort,
            ..PanelQuery::default()
        }
    }

    /// The same view on another page.
    pub fn with_page(&self, page: u32) -> PanelQuery {
        PanelQuery {
            page,
            ..self.clone()
        }
    }

    /// A change to the search or a filter: back to the first page.
    pub fn edited(&self, f: impl FnOnce(&mut PanelQuery)) -> PanelQuery {
        let mut q = self.clone();
        f(&mut q);
        q.page = 1;
        q.sku = None;
        q
    }

    /// One SKU, in `market` (or the table's market).
    pub fn open(&self, id: i64, market: Option<&str>) -> PanelQuery {
        PanelQuery {
            sku: Some(id),
            market: market.map_or_else(|| self.market.clone(), str::to_string),
            ..PanelQuery::default()
        }
    }
}

fn join(parts: &[(&str, String)]) -> String {
    parts
        .iter()
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> PanelQuery {
        PanelQuery::parse(&QueryParams::parse(s))
    }

    #[test]
    fn the_default_view_is_the_whole_table() {
        let q = parse("");
        assert_eq!(q, PanelQuery::default());
        assert_eq!(q.page, 1);
        assert_eq!(q.href(), "/seller");
        assert_eq!(q.api_query(), "page=1&per_page=25");
        assert!(!q.narrowed());
    }

    #[test]
    fn every_table_setting_round_trips_through_the_url() {
        let q = PanelQuery {
            q: "desk lamp & co".into(),
            mode: Some(Mode::SemiManaged),
            market: "DE".into(),
            low_stock: true,
            negative_margin: true,
            sort: SkuSort {
                key: SortKey::Margin,
                desc: true,
            },
            page: 3,
            sku: None,
        };
        let href = q.href();
        assert_eq!(
            href,
            "/seller?q=desk%20lamp%20%26%20co&mode=semi_managed&market=DE&low_stock=true&negative_margin=true&sort=margin&dir=desc&page=3"
        );
        let back = parse(href.strip_prefix("/seller").unwrap());
        assert_eq!(back, q);
        assert_eq!(
            q.api_query(),
            "q=desk%20lamp%20%26%20co&mode=semi_managed&market=DE&low_stock=true&negative_margin=true&sort=margin&dir=desc&page=3&per_page=25"
        );
        assert!(q.narrowed());
        assert_eq!(
            q.cleared(),
            PanelQuery {
                sort: q.sort,
                ..PanelQuery::default()
            }
        );
    }

    #[test]
    fn unusable_values_fall_back_to_defaults() {
        let q = parse(
            "?mode=air&market=Germany&low_stock=maybe&sort=cheapest&page=0&sku=12abc&negative_margin=true",
        );
        // (`low_stock=maybe` is not a yes.)
        assert_eq!(
            q,
            PanelQuery {
                negative_margin: true,
                ..PanelQuery::default()
            }
        );
        assert_eq!(parse("?page=99999999").page, 1);
        assert!(parse("?low_stock=1").low_stock);
        assert_eq!(parse("?dir=up").sort, SkuSort::default());
        assert_eq!(parse("?sku=-4").sku, None);
        assert_eq!(parse("?sku=0").sku, None);
        assert_eq!(parse("?market=de").market, "DE");
        assert_eq!(parse("?mode=fully-managed").mode, Some(Mode::FullyManaged));
    }

    #[test]
    fn a_sku_link_carries_its_market_and_nothing_of_the_table() {
        let table = parse("?q=lamp&market=GB&page=4&sort=title");
        let one = table.open(42, None);
        assert_eq!(one.href(), "/seller?sku=42&market=GB");
        assert_eq!(parse("?sku=42&market=GB").sku, Some(42));
        assert_eq!(
            table.open(42, Some("US")).href(),
            "/seller?sku=42&market=US"
        );
        assert_eq!(PanelQuery::default().open(7, None).href(), "/seller?sku=7");
    }

    #[test]
    fn editing_a_filter_goes_back_to_the_first_page() {
        let q = parse("?q=lamp&page=4");
        let e = q.edited(|q| q.low_stock = true);
        assert_eq!(e.page, 1);
        assert_eq!(e.href(), "/seller?q=lamp&low_stock=true");
        assert_eq!(q.with_page(2).href(), "/seller?q=lamp&page=2");
    }

    #[test]
    fn a_column_header_sorts_ascending_then_descending() {
        let by = |key, desc| SkuSort { key, desc };
        let s = SkuSort::default();
        assert_eq!(s.aria(SortKey::Sku), "ascending");
        assert_eq!(s.aria(SortKey::Margin), "none");
        let s = s.toggled(SortKey::Margin);
        assert_eq!(s, by(SortKey::Margin, false));
        let s = s.toggled(SortKey::Margin);
        assert_eq!(s, by(SortKey::Margin, true));
        assert_eq!(s.aria(SortKey::Margin), "descending");
        assert_eq!(s.toggled(SortKey::Title), by(SortKey::Title, false));
        let q = parse("?sort=stock&dir=desc");
        assert_eq!(q.sort, by(SortKey::Stock, true));
        assert_eq!(q.href(), "/seller?sort=stock&dir=desc");
    }
}
