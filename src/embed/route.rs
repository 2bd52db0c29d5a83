//! What an embed shows, read from its URL (`public/embed.js` writes it): the path names
//! the listing or the search, the query string carries the partner's options. Pure and
//! tested natively.

use crate::model::query::encode_component;
use crate::model::url::QueryParams;

/// Cards a search embed shows unless `limit` says otherwise.
pub const DEFAULT_LIMIT: u32 = 6;
/// Most cards a search embed shows.
pub const MAX_LIMIT: u32 = 12;
/// The longest partner reference (the server's limit too: `crates/server/src/embed.rs`).
pub const MAX_PARTNER_LEN: usize = 64;

/// The embed's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// `/embed/listing/{id}`: one listing.
    Listing(i64),
    /// `/embed/search?q=…`: a small grid of the best matches.
    Search { q: String, limit: u32 },
}

/// An embed's URL, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedRoute {
    pub content: Content,
    /// The partner's market (`data-market`): prices and delivery for it until the reader
    /// has a destination of their own.
    pub market: Option<String>,
    /// The partner's reference (`data-partner`), carried to the listing as `?ref=` and
    /// counted per click.
    pub partner: Option<String>,
}

impl EmbedRoute {
    /// Reads `path` and `search` (with or without its `?`); `Err` is the message shown
    /// in place of the embed (a snippet with a mistake in it).
    pub fn parse(path: &str, search: &str) -> Result<EmbedRoute, String> {
        let query = QueryParams::parse(search);
        let path = path.strip_suffix('/').unwrap_or(path);
        let content = if let Some(id) = path.strip_prefix("/embed/listing/") {
            let id = Some(id)
                .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|id| id.parse::<i64>().ok())
                .filter(|id| *id > 0)
                .ok_or_else(|| {
                    format!("\"{id}\" is not a listing number: check data-crossdock-listing.")
                })?;
            Content::Listing(id)
        } else if path == "/embed/search" {
            let q: String = query
                .get("q")
                .unwrap_or_default()
                .trim()
                .chars()
                .take(200)
                .collect();
            let limit = query
                .get("limit")
                .and_then(|l| l.trim().parse::<u32>().ok())
                .unwrap_or(DEFAULT_LIMIT)
                .clamp(1, MAX_LIMIT);
            Content::Search { q, limit }
        } else {
            return Err(
                "This is not an embed address: use /embed/listing/{id} or /embed/search?q=".into(),
            );
        };
        let market = query
            .get("market")
            .map(|m| m.trim().to_ascii_uppercase())
            .filter(|m| m.len() == 2 && m.bytes().all(|b| b.is_ascii_uppercase()));
        let partner = query.get("partner").and_then(|p| partner_ref(&p));
        Ok(EmbedRoute {
            content,
            market,
            partner,
        })
    }
}

/// A partner reference as the server counts it (lower case), or `None` when it cannot be
/// one: 1 to 64 letters, digits, `-`, `_` or `.`.
pub fn partner_ref(text: &str) -> Option<String> {
    let text = text.trim();
    let ok = !text.is_empty()
        && text.len() <= MAX_PARTNER_LEN
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    ok.then(|| text.to_ascii_lowercase())
}

/// The listing on Crossdock, with the partner's reference: `/listing/42?ref=blog`.
pub fn listing_href(id: i64, partner: Option<&str>) -> String {
    match partner {
        Some(p) => format!("/listing/{id}?ref={}", encode_component(p)),
        None => format!("/listing/{id}"),
    }
}

/// The search on Crossdock, with the partner's reference: `/?q=desk+lamp&ref=blog`.
pub fn search_href(q: &str, partner: Option<&str>) -> String {
    let mut href = format!("/?q={}", encode_component(q));
    if let Some(p) = partner {
        href.push_str("&ref=");
        href.push_str(&encode_component(p));
    }
    href
}

/// The API request for one listing priced for `market`.
pub fn listing_api(id: i64, market: &str) -> String {
    format!("/api/listings/{id}?market={}", encode_component(market))
}

/// The API request for the first `limit` matches of `q` in `market`, in the storefront's
/// order (so the grid shows what the storefront's first cards show).
pub fn search_api(q: &str, market: &str, limit: u32) -> String {
    let mut url = format!("/api/listings?market={}", encode_component(market));
    if !q.is_empty() {
        url.push_str("&q=");
        url.push_str(&encode_component(q));
    }
    url.push_str(&format!("&per_page={limit}"));
    url
}

/// `POST /api/embed/click`'s body.
pub fn click_body(partner: &str, listing_id: i64) -> String {
    let mut out = String::from("{\"partner\":");
    crossdock_core::json::write_str(&mut out, partner);
    out.push_str(&format!(",\"listing_id\":{listing_id}}}"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_and_search_urls_read_as_embed_js_writes_them() {
        let r = EmbedRoute::parse(
            "/embed/listing/42",
            "?market=de&theme=dark&partner=Demo-Blog&frame=cd1",
        )
        .unwrap();
        assert_eq!(
            r,
            EmbedRoute {
                content: Content::Listing(42),
                market: Some("DE".into()),
                partner: Some("demo-blog".into()),
            }
        );
        let r = EmbedRoute::parse("/embed/search", "q=desk+lamp&limit=40").unwrap();
        assert_eq!(
            r.content,
            Content::Search {
                q: "desk lamp".into(),
                limit: MAX_LIMIT
            }
        );
        assert_eq!((r.market, r.partner), (None, None));
        let r = EmbedRoute::parse("/embed/search/", "limit=x").unwrap();
        assert_eq!(
            r.content,
            Content::Search {
                q: String::new(),
                limit: DEFAULT_LIMIT
            }
        );
    }

    #[test]
    fn a_mistake_in_the_snippet_is_said_not_guessed() {
        for path in [
            "/embed/listing/abc",
            "/embed/listing/0",
            "/embed/listing/-3",
            "/embed/listing/+3",
        ] {
            let e = EmbedRoute::parse(path, "").unwrap_err();
            assert!(e.contains("data-crossdock-listing"), "{path}: {e}");
        }
        assert!(EmbedRoute::parse("/embed/other", "").is_err());
        let r = EmbedRoute::parse("/embed/listing/7", "market=USA&partner=a%20b").unwrap();
        assert_eq!((r.market, r.partner), (None, None));
    }

    #[test]
    fn links_carry_the_partner_and_the_api_gets_the_market() {
        assert_eq!(listing_href(42, Some("blog")), "/listing/42?ref=blog");
        assert_eq!(listing_href(42, None), "/listing/42");
        assert_eq!(
            search_href("desk lamp", Some("a.b")),
            "/?q=desk%20lamp&ref=a.b"
        );
        assert_eq!(listing_api(42, "DE"), "/api/listings/42?market=DE");
        assert_eq!(
            search_api("desk lamp", "US", 6),
            "/api/listings?market=US&q=desk%20lamp&per_page=6"
        );
        assert_eq!(
            search_api("", "KR", 3),
            "/api/listings?market=KR&per_page=3"
        );
        assert_eq!(
            click_body("blog", 42),
            "{\"partner\":\"blog\",\"listing_id\":42}"
        );
    }

    #[test]
    fn partner_references_match_the_servers_rule() {
        assert_eq!(partner_ref(" Demo_Blog.1 ").as_deref(), Some("demo_blog.1"));
        for bad in ["", "a b", "a/b", "<script>", &"x".repeat(65)] {
            assert_eq!(partner_ref(bad), None, "{bad}");
        }
    }
}
