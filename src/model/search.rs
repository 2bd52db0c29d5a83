//! The storefront search, as it lives in the URL (`/?q=lamp&category=lighting&page=2`),
//! so that a link reproduces the view. Parsing never fails: an unusable value falls back
//! to its default.

use crossdock_core::{Date, Mode};

use super::query::{encode_component, mode_id, parse_mode};

/// Cards per page.
pub const PER_PAGE: u32 = 24;
/// The highest page a link may ask for.
pub const MAX_PAGE: u32 = 1000;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    PriceAsc,
    PriceDesc,
    Fastest,
    Newest,
}

impl Sort {
    pub const ALL: [Sort; 5] = [
        Sort::Relevance,
        Sort::PriceAsc,
        Sort::PriceDesc,
        Sort::Fastest,
        Sort::Newest,
    ];

    /// The URL and API name.
    pub fn id(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::PriceAsc => "price_asc",
            Sort::PriceDesc => "price_desc",
            Sort::Fastest => "fastest",
            Sort::Newest => "newest",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Relevance => "Best match",
            Sort::PriceAsc => "Price: low to high",
            Sort::PriceDesc => "Price: high to low",
            Sort::Fastest => "Fastest delivery",
            Sort::Newest => "Newest",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|x| x.id() == s)
    }
}

/// What the shopper sees the fulfilment mode as.
pub fn mode_filter_label(mode: Mode) -> &'static str {
    match mode {
        Mode::PlatformLocal => "Local warehouse — fast",
        Mode::SemiManaged => "Seller's local warehouse",
        Mode::FullyManaged => "Ships from China",
    }
}

/// The search state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    /// Words typed in the search box, trimmed.
    pub q: String,
    /// A category id, or empty for every category.
    pub category: String,
    pub mode: Option<Mode>,
    /// Only listings delivered by this date (in the destination's time zone).
    pub arrives_by: Option<Date>,
    pub sort: Sort,
    /// 1-based.
    pub page: u32,
}

impl SearchQuery {
    /// Reads the URL's query values (`get` returns a value by name).
    pub fn parse(get: impl Fn(&str) -> Option<String>) -> SearchQuery {
        let text = |k: &str| get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        let q: String = text("q").chars().take(200).collect();
        let category: String = text("category")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .take(64)
            .collect();
        SearchQuery {
            q,
            category,
            mode: parse_mode(&text("mode")),
            arrives_by: Date::parse(&text("arrives_by")).ok(),
            sort: Sort::parse(&text("sort")).unwrap_or_default(),
            page: text("page")
                .parse::<u32>()
                .ok()
                .filter(|p| (1..=MAX_PAGE).contains(p))
                .unwrap_or(1),
        }
    }

    /// The query string of the page URL (defaults left out; empty for the default view).
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            parts.push(("q", self.q.clone()));
        }
        if !self.category.is_empty() {
            parts.push(("category", self.category.clone()));
        }
        if let Some(m) = self.mode {
            parts.push(("mode", mode_id(m).to_string()));
        }
        if let Some(d) = self.arrives_by {
            parts.push(("arrives_by", d.to_string()));
        }
        if self.sort != Sort::Relevance {
            parts.push(("sort", self.sort.id().to_string()));
        }
        if self.page > 1 {
            parts.push(("page", self.page.to_string()));
        }
        join(&parts)
    }

    /// The page URL.
    pub fn href(&self) -> String {
        let qs = self.to_query_string();
        if qs.is_empty() {
            "/".to_string()
        } else {
            format!("/?{qs}")
        }
    }

    /// The query string of `GET /api/listings` for a market and, when delivery matters
    /// to the answer, a delivery zone.
    pub fn api_query(&self, market: &str, zone: Option<&str>) -> String {
        let mut parts: Vec<(&str, String)> = vec![("market", market.to_string())];
        if let Some(z) = zone {
            parts.push(("zone", z.to_string()));
        }
        let mut s = join(&parts);
        let own = self.to_query_string();
        if !own.is_empty() {
            s.push('&');
            s.push_str(&own);
        }
        s.push_str(&format!("&per_page={PER_PAGE}"));
        s
    }

    /// Whether any filter narrows the results (not the words or the sort).
    pub fn has_filters(&self) -> bool {
        !self.category.is_empty() || self.mode.is_some() || self.arrives_by.is_some()
    }

    /// The same search on another page.
    pub fn with_page(&self, page: u32) -> SearchQuery {
        SearchQuery {
            page,
            ..self.clone()
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

/// Pages to offer: the first, the last, and two either side of the current one, with
/// `None` for a gap ("1 … 4 5 6 … 20").
pub fn page_links(current: u32, pages: u32) -> Vec<Option<u32>> {
    let mut out = Vec::new();
    let mut last = 0;
    for p in 1..=pages {
        if p == 1 || p == pages || p.abs_diff(current) <= 2 {
            if last != 0 && p > last + 1 {
                out.push(None);
            }
            out.push(Some(p));
            last = p;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(qs: &[(&str, &str)]) -> SearchQuery {
        SearchQuery::parse(|k| qs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn default_view_has_an_empty_query_string() {
        assert_eq!(parse(&[]).to_query_string(), "");
        assert_eq!(parse(&[]).href(), "/");
    }

    #[test]
    fn round_trips_every_field() {
        let q = parse(&[
            ("q", "desk lamp"),
            ("category", "lighting"),
            ("mode", "platform_local"),
            ("arrives_by", "2026-12-03"),
            ("sort", "fastest"),
            ("page", "3"),
        ]);
        let qs = q.to_query_string();
        assert_eq!(
            qs,
            "q=desk%20lamp&category=lighting&mode=platform_local&arrives_by=2026-12-03&sort=fastest&page=3"
        );
        let again = SearchQuery::parse(|k| {
            qs.split('&')
                .filter_map(|p| p.split_once('='))
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.replace("%20", " "))
        });
        assert_eq!(again, q);
    }

    #[test]
    fn bad_values_fall_back_to_defaults() {
        let q = parse(&[
            ("mode", "teleport"),
            ("arrives_by", "tomorrow"),
            ("sort", "random"),
            ("page", "0"),
            ("category", "<script>"),
        ]);
        assert_eq!(q.mode, None);
        assert_eq!(q.arrives_by, None);
        assert_eq!(q.sort, Sort::Relevance);
        assert_eq!(q.page, 1);
        assert_eq!(q.category, "script");
        assert_eq!(parse(&[("page", "99999999999")]).page, 1);
    }

    #[test]
    fn api_query_carries_market_zone_and_page_size() {
        let q = parse(&[("q", "case"), ("page", "2")]);
        assert_eq!(
            q.api_query("US", Some("us-ny")),
            "market=US&zone=us-ny&q=case&page=2&per_page=24"
        );
        assert_eq!(
            q.api_query("DE", None),
            "market=DE&q=case&page=2&per_page=24"
        );
    }

    #[test]
    fn page_links_elide_far_pages() {
        assert_eq!(
            page_links(5, 20),
            vec![
                Some(1),
                None,
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                None,
                Some(20)
            ]
        );
        assert_eq!(page_links(1, 1), vec![Some(1)]);
        assert_eq!(page_links(1, 0), Vec::<Option<u32>>::new());
    }
}
