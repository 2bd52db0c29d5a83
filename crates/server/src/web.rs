//! The built app: `index.html` with its CSP, hashed assets, SPA fallback, cache headers.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use tower_http::services::ServeDir;

use crate::{ApiError, AppState};

macro_rules! csp_script_src {
    () => {
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"
    };
}
macro_rules! csp_rest {
    () => {
        "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    };
}

/// The Content-Security-Policy of every response that is not the app's page: scripts and
/// everything else from this origin only, wasm compilation allowed, inline styles allowed
/// (Leptos sets `style` attributes), no framing.
pub const BASE_CSP: &str = concat!(csp_script_src!(), csp_rest!());

/// `Cache-Control` of files whose name carries a content hash.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The CSP for an HTML page: [`BASE_CSP`] plus the SHA-256 of each inline `<script>` in
/// `html` (Trunk's loader is one), so exactly those inline scripts may run.
pub fn page_csp(html: &str) -> String {
    let mut csp = String::from(csp_script_src!());
    for hash in inline_script_hashes(html) {
        csp.push_str(" 'sha256-");
        csp.push_str(&hash);
        csp.push('\'');
    }
    csp.push_str(csp_rest!());
    csp
}

/// Base64 SHA-256 of the text of each `<script>` element that has no `src`.
fn inline_script_hashes(html: &str) -> Vec<String> {
    // ASCII lower-casing keeps every byte offset, so offsets found in `lower` cut `html`
    // on the same (ASCII, hence char-boundary) positions.
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut pos = 0;
    while let Some(start) = lower
        .get(pos..)
        .and_then(|s| s.find("<script"))
        .map(|i| i + pos)
    {
        let Some(tag_end) = lower
            .get(start..)
            .and_then(|s| s.find('>'))
            .map(|i| i + start)
        else {
            break;
        };
        let body_start = tag_end + 1;
        let Some(body_end) = lower
            .get(body_start..)
            .and_then(|s| s.find("</script"))
            .map(|i| i + body_start)
        else {
            break;
        };
        let tag = lower.get(start..tag_end).unwrap_or_default();
        let has_src = tag
            .split(|c: char| c.is_ascii_whitespace())
            .any(|attr| attr == "src" || attr.starts_with("src="));
        if !has_src && let Some(body) = html.get(body_start..body_end) {
            // Browsers hash the text after the HTML parser turned CR LF into LF.
            let text = body.replace("\r\n", "\n");
            let digest = Sha256::digest(text.as_bytes());
            hashes.push(base64::engine::general_purpose::STANDARD.encode(digest));
        }
        pos = body_end;
    }
    hashes
}

/// Whether `file_name` carries a content hash the way Trunk writes one:
/// `crossdock-3f9a1c0e5b7d2a64_bg.wasm`, `crossdock-3f9a1c0e5b7d2a64.js`,
/// `main-9c1e2f3a4b5d6e7f.css` (a `-`-separated part of 10–16 lower-case hex digits).
pub fn is_hashed_asset(file_name: &str) -> bool {
    let Some((stem, ext)) = file_name.rsplit_once('.') else {
        return false;
    };
    if ext.is_empty() || !stem.contains('-') {
        return false;
    }
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.split('-').any(|part| {
        (10..=16).contains(&part.len())
            && part
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// `"<hex>"`: a strong entity tag.
pub(crate) fn strong_etag(hex: &str) -> String {
    format!("\"{hex}\"")
}

/// Whether any `If-None-Match` header matches `etag` (`*`, or a list of tags compared
/// weakly, as RFC 9110 asks for `If-None-Match`).
pub(crate) fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// The app's pages, each a separate build with its own wasm (scripts/build-app.sh): `/`
/// (the home page, `dist/index.html`), `/listing/{id}` (`dist/pages/listing/`), `/cart`
/// (`dist/pages/cart/`), `/seller` (`dist/pages/seller/`) and `/explore` (`dist/explore/`).
pub(crate) fn page_router() -> Router<AppState> {
    Router::new()
        .route("/", get(index_page))
        .route("/index.html", get(index_page))
        .route("/listing/{id}", get(listing_page))
        .route("/cart", get(cart_page))
        .route("/seller", get(seller_page))
        .route("/explore", get(explore_page))
        .route("/explore/", get(explore_page))
        .route("/explore/index.html", get(explore_page))
        .route("/embed/listing/{id}", get(embed_page))
        .route("/embed/search", get(embed_page))
        .route("/embed", get(embed_docs_page))
}

/// Files in `dist/`; any GET path that is neither a page nor a file answers 404 with the
/// home page's document, which shows "not found" with links onwards.
pub(crate) fn static_service(state: &AppState) -> ServeDir<MethodRouter> {
    let page: MethodRouter = get(not_found_page).with_state(state.clone());
    ServeDir::new(state.dist.as_path())
        .append_index_html_on_directories(false)
        .fallback(page)
}

/// The storefront's page: `dist/index.html`.
async fn index_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    html_page(&state, STOREFRONT_PAGE, &headers).await
}

/// Any other path: the home page's document with status 404.
async fn not_found_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let mut response = html_page(&state, STOREFRONT_PAGE, &headers).await;
    if response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    response
}

/// A listing's page: `dist/pages/listing/index.html` (the page reads the id from its path).
async fn listing_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    html_page(&state, LISTING_PAGE, &headers).await
}

/// The seller panel's page: `dist/pages/seller/index.html`.
async fn seller_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    html_page(&state, SELLER_PAGE, &headers).await
}

/// The cart's page: `dist/pages/cart/index.html`.
async fn cart_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    html_page(&state, CART_PAGE, &headers).await
}

/// The delivery explorer's page: `dist/explore/index.html`.
async fn explore_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    html_page(&state, EXPLORER_PAGE, &headers).await
}

/// A partner embed (`/embed/listing/{id}`, `/embed/search?q=`): `dist/pages/embed/`, the
/// one page other sites may frame ([`embed_ancestors`]); the page reads its path.
async fn embed_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let mut response = html_page(&state, EMBED_PAGE, &headers).await;
    let csp = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .map(|csp| with_frame_ancestors(csp, &embed_ancestors()));
    if let Some(value) = csp.and_then(|csp| HeaderValue::from_str(&csp).ok()) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
        response.extensions_mut().insert(Framable);
    }
    response
}

/// The embed documentation (`/embed`): snippet, options and a live preview,
/// `dist/public/embed-docs.html` (copied from `public/`). Not framable, like every page.
async fn embed_docs_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    html_page(&state, EMBED_DOCS_PAGE, &headers).await
}

/// Marks a response that other sites may frame: [`frame_headers`] leaves it without
/// `X-Frame-Options`.
#[derive(Clone, Copy, Debug)]
struct Framable;

/// The sites that may frame the embeds: `CROSSDOCK_EMBED_ANCESTORS` (CSP sources separated
/// by spaces or commas, e.g. `https://blog.example https://*.partner.example`), or any
/// site (`*`) when it is not set. A value with nothing usable in it allows no site.
pub fn embed_ancestors() -> String {
    ancestors_from(std::env::var("CROSSDOCK_EMBED_ANCESTORS").ok().as_deref())
}

/// [`embed_ancestors`] for a given variable: each source must be a scheme (`https:`), a
/// host with an optional scheme, port and path (wildcards as CSP allows them), `*` or
/// `'self'`; anything else (quotes, `;`) is dropped, so the variable cannot add directives.
fn ancestors_from(var: Option<&str>) -> String {
    let Some(var) = var.map(str::trim).filter(|v| !v.is_empty()) else {
        return "*".to_owned();
    };
    let sources: Vec<&str> = var
        .split(|c: char| c.is_ascii_whitespace() || c == ',')
        .filter(|s| {
            *s == "'self'"
                || (!s.is_empty()
                    && s.bytes().all(|b| {
                        b.is_ascii_alphanumeric()
                            || matches!(b, b'.' | b'-' | b'*' | b':' | b'/' | b'_')
                    }))
        })
        .collect();
    if sources.is_empty() {
        "'none'".to_owned()
    } else {
        sources.join(" ")
    }
}

/// `csp` with its `frame-ancestors` directive set to `ancestors`.
fn with_frame_ancestors(csp: &str, ancestors: &str) -> String {
    let mut out: Vec<String> = csp
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty() && !d.starts_with("frame-ancestors"))
        .map(str::to_owned)
        .collect();
    out.push(format!("frame-ancestors {ancestors}"));
    out.join("; ")
}

/// `X-Frame-Options: DENY` on every response but the embeds (older browsers ignore CSP
/// `frame-ancestors`): with the CSP's `frame-ancestors 'none'`, no other site can frame the
/// storefront or the seller panel.
pub(crate) async fn frame_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if response.extensions().get::<Framable>().is_none() {
        response
            .headers_mut()
            .insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    response
}

/// The storefront's page, relative to `dist/`.
const STOREFRONT_PAGE: &str = "index.html";
/// The partner embed's page, relative to `dist/`.
const EMBED_PAGE: &str = "pages/embed/index.html";
/// The embed documentation, relative to `dist/`.
const EMBED_DOCS_PAGE: &str = "public/embed-docs.html";
/// The listing page, relative to `dist/` (scripts/build-app.sh builds every page).
const LISTING_PAGE: &str = "pages/listing/index.html";
/// The seller panel, relative to `dist/`.
const SELLER_PAGE: &str = "pages/seller/index.html";
/// The cart page, relative to `dist/`.
const CART_PAGE: &str = "pages/cart/index.html";
/// The delivery explorer's page, relative to `dist/`.
const EXPLORER_PAGE: &str = "explore/index.html";

/// A page of the built app (`page`, relative to `dist/`), read on each request (it is
/// small and changes with every build), with a CSP naming its own inline scripts and a
/// strong ETag. A plain text page when there is no build yet.
async fn html_page(state: &AppState, page: &str, headers: &HeaderMap) -> Response {
    let path = state.dist.join(page);
    let bytes = match tokio::fs::read(&path).await {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return not_built(state, page).into_response();
        }
        Err(e) => {
            return ApiError::Internal(format!("reading {}: {e}", path.display())).into_response();
        }
    };
    let etag = strong_etag(&hex(&Sha256::digest(&bytes)));
    let html = String::from_utf8_lossy(&bytes);
    let parts = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, "no-cache".to_owned()),
        (header::CONTENT_SECURITY_POLICY, page_csp(&html)),
    ];
    if etag_matches(headers, &etag) {
        return (StatusCode::NOT_MODIFIED, parts).into_response();
    }
    (
        StatusCode::OK,
        parts,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        bytes,
    )
        .into_response()
}

fn not_built(state: &AppState, page: &str) -> impl IntoResponse {
    let text = format!(
        "Crossdock: the app is not built: run make run\n\n\
         The server found no {}. The API is up: /api/health, /api/network.\n",
        state.dist.join(page).display()
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Sets `Cache-Control` on static responses that have none: a year, immutable, for a
/// hashed file found on disk; `no-cache` (revalidate) for everything else.
pub(crate) async fn cache_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if path == "/api"
        || path.starts_with("/api/")
        || response.headers().contains_key(header::CACHE_CONTROL)
    {
        return response;
    }
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let served_file = matches!(
        response.status(),
        StatusCode::OK | StatusCode::NOT_MODIFIED | StatusCode::PARTIAL_CONTENT
    );
    let name = path.rsplit('/').next().unwrap_or_default();
    let value = if served_file && !is_html && is_hashed_asset(name) {
        IMMUTABLE
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_asset_names() {
        let cases = [
            ("crossdock-3f9a1c0e5b7d2a64_bg.wasm", true),
            ("crossdock-3f9a1c0e5b7d2a64.js", true),
            ("main-9c1e2f3a4b5d6e7.css", true),
            ("3f9a1c0e5b7d2a64-loader.js", true),
            ("index.html", false),
            ("favicon.svg", false),
            ("crossdock.js", false),
            ("logo-20261124.png", false),
            ("crossdock-3F9A1C0E5B7D2A64.js", false),
            ("crossdock-3f9a1c0e5b7d2a64", false),
            ("crossdock-xyz1c0e5b7d2a64.js", false),
        ];
        for (name, expected) in cases {
            assert_eq!(is_hashed_asset(name), expected, "{name}");
        }
    }

    #[test]
    fn csp_hashes_inline_scripts_only() {
        let html = "<html><head><script src=\"/a.js\"></script>\
                    <SCRIPT type=\"module\">alert(1)</SCRIPT></head></html>";
        let hashes = inline_script_hashes(html);
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(hashes, ["bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI="]);
        let csp = page_csp(html);
        assert!(csp.contains("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn embeds_may_be_framed_by_any_site_or_the_configured_ones() {
        assert_eq!(ancestors_from(None), "*");
        assert_eq!(ancestors_from(Some("  ")), "*");
        assert_eq!(
            ancestors_from(Some("https://blog.example, https://*.partner.example:8443")),
            "https://blog.example https://*.partner.example:8443"
        );
        // No source can end the directive and start another.
        let injected = ancestors_from(Some("https://ok.example;script-src 'unsafe-inline'"));
        assert!(
            !injected.contains(';') && !injected.contains("unsafe"),
            "{injected}"
        );
        assert_eq!(ancestors_from(Some("'unsafe-inline' ;")), "'none'");
        assert_eq!(ancestors_from(Some("'self' https:")), "'self' https:");

        let csp = page_csp("<script>x()</script>");
        let framed = with_frame_ancestors(&csp, "https://blog.example");
        assert!(
            framed.ends_with("; frame-ancestors https://blog.example"),
            "{framed}"
        );
        assert!(!framed.contains("frame-ancestors 'none'"), "{framed}");
        assert!(framed.contains("'sha256-"), "{framed}");
        assert_eq!(framed.matches("frame-ancestors").count(), 1);
    }

    #[test]
    fn etag_lists_and_star() {
        let tag = strong_etag("abc");
        let check = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::IF_NONE_MATCH,
                HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("")),
            );
            etag_matches(&headers, &tag)
        };
        assert!(check("\"abc\""));
        assert!(check("\"x\", \"abc\""));
        assert!(check("W/\"abc\""));
        assert!(check("*"));
        assert!(!check("\"abcd\""));
        assert!(!check("abc"));
        assert!(!etag_matches(&HeaderMap::new(), &tag));
    }
}
