//! The HTTP behaviour of `app()`, driven in-process with `oneshot`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{EXPLORE_LOADER, EXPLORE_WASM, Fixture, LOADER, NETWORK, WASM, header};
use sha2::{Digest, Sha256};

#[tokio::test]
async fn network_is_served_byte_for_byte_with_a_strong_etag() {
    let fx = Fixture::built().await;
    let (response, body) = fx.get("/api/network").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body, std::fs::read(NETWORK).unwrap());
    assert_eq!(header(&response, "content-type"), "application/json");
    assert_eq!(header(&response, "cache-control"), "no-cache");
    let hash = fx.state.network.content_hash();
    assert_eq!(hash.len(), 64);
    assert_eq!(header(&response, "etag"), format!("\"{hash}\""));
}

#[tokio::test]
async fn network_revalidation_answers_304_without_a_body() {
    let fx = Fixture::built().await;
    let etag = format!("\"{}\"", fx.state.network.content_hash());
    for if_none_match in [
        etag.clone(),
        format!("\"older\", {etag}"),
        format!("W/{etag}"),
        "*".to_owned(),
    ] {
        let request = Request::get("/api/network")
            .header("if-none-match", &if_none_match)
            .body(Body::empty())
            .unwrap();
        let (response, body) = fx.send(request).await;
        assert_eq!(
            response.status(),
            StatusCode::NOT_MODIFIED,
            "{if_none_match}"
        );
        assert!(body.is_empty());
        assert_eq!(header(&response, "etag"), etag);
    }
    let request = Request::get("/api/network")
        .header("if-none-match", "\"something-else\"")
        .body(Body::empty())
        .unwrap();
    let (response, body) = fx.send(request).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(!body.is_empty());
}

#[tokio::test]
async fn unknown_api_paths_get_the_json_error_shape() {
    let fx = Fixture::built().await;
    for path in ["/api/nope", "/api/network/extra", "/api", "/api/"] {
        let (response, body) = fx.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(header(&response, "content-type").starts_with("application/json"));
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {
                "code": "not_found",
                "message": format!("no API endpoint at {path}"),
                "field": null,
            }}),
        );
    }
    let request = Request::post("/api/network").body(Body::empty()).unwrap();
    let (response, body) = fx.send(request).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn health_names_the_loaded_network() {
    let fx = Fixture::built().await;
    let (response, body) = fx.get("/api/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["network_version"], fx.state.network.version());
    assert_eq!(json["network_hash"], fx.state.network.content_hash());
}

#[tokio::test]
async fn every_page_serves_its_own_document_and_other_paths_get_the_404_page() {
    let fx = Fixture::built().await;
    let index = common::index_html();
    let cases = [
        ("/", StatusCode::OK, index.clone()),
        ("/index.html", StatusCode::OK, index.clone()),
        ("/?q=lamp&page=2", StatusCode::OK, index.clone()),
        ("/cart", StatusCode::OK, common::page_html("cart")),
        ("/seller", StatusCode::OK, common::page_html("seller")),
        (
            "/seller?q=lamp",
            StatusCode::OK,
            common::page_html("seller"),
        ),
        (
            "/listing/42?q=1",
            StatusCode::OK,
            common::page_html("listing"),
        ),
        // The listing page itself shows "not found" for ids that are not numbers.
        ("/listing/abc", StatusCode::OK, common::page_html("listing")),
        ("/explore/deep?q=1", StatusCode::NOT_FOUND, index.clone()),
        ("/public/", StatusCode::NOT_FOUND, index.clone()),
        ("/no/such/page", StatusCode::NOT_FOUND, index.clone()),
    ];
    for (path, status, document) in cases {
        let (response, body) = fx.get(path).await;
        assert_eq!(response.status(), status, "{path}");
        assert_eq!(String::from_utf8(body).unwrap(), document, "{path}");
        assert_eq!(
            header(&response, "content-type"),
            "text/html; charset=utf-8"
        );
        assert_eq!(header(&response, "cache-control"), "no-cache", "{path}");
        assert!(header(&response, "etag").starts_with('"'));
        assert!(
            header(&response, "content-security-policy").contains("frame-ancestors 'none'"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_page_csp_allows_exactly_its_inline_loader() {
    let fx = Fixture::built().await;
    let (response, _) = fx.get("/?q=lamp").await;
    let csp = header(&response, "content-security-policy");
    let digest = Sha256::digest(LOADER.as_bytes());
    use base64::Engine as _;
    let hash = base64::engine::general_purpose::STANDARD.encode(digest);
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(csp.contains("style-src 'self' 'unsafe-inline'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-eval'") || csp.contains("'wasm-unsafe-eval'"));
}

#[tokio::test]
async fn explore_is_the_explorers_own_page_with_its_own_csp() {
    use base64::Engine as _;
    let fx = Fixture::built().await;
    let sha = |text: &str| {
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
    };
    for path in [
        "/explore",
        "/explore?preset=sofa&market=GB",
        "/explore/",
        "/explore/index.html",
    ] {
        let (response, body) = fx.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            String::from_utf8(body).unwrap(),
            common::explore_html(),
            "{path}"
        );
        assert_eq!(
            header(&response, "content-type"),
            "text/html; charset=utf-8"
        );
        assert_eq!(header(&response, "cache-control"), "no-cache", "{path}");
        let csp = header(&response, "content-security-policy");
        assert!(
            csp.contains(&format!("'sha256-{}'", sha(EXPLORE_LOADER))),
            "{csp}"
        );
        assert!(!csp.contains(&format!("'sha256-{}'", sha(LOADER))), "{csp}");
    }
    let (response, body) = fx.get(&format!("/explore/{EXPLORE_WASM}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "application/wasm");
    assert_eq!(
        header(&response, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        body,
        std::fs::read(fx.dist().join("explore").join(EXPLORE_WASM)).unwrap()
    );
}

#[tokio::test]
async fn the_page_revalidates_with_304() {
    let fx = Fixture::built().await;
    let (first, _) = fx.get("/").await;
    let etag = header(&first, "etag").to_owned();
    let request = Request::get("/?page=2")
        .header("if-none-match", &etag)
        .body(Body::empty())
        .unwrap();
    let (response, body) = fx.send(request).await;
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_other_files_revalidate() {
    let fx = Fixture::built().await;
    let (response, body) = fx.get(&format!("/{WASM}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "application/wasm");
    assert_eq!(
        header(&response, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(body, std::fs::read(fx.dist().join(WASM)).unwrap());

    let (response, _) = fx.get("/public/favicon.svg").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), "no-cache");

    // A hashed name that is not on disk (an old build) must not be cached as immutable.
    let (response, _) = fx.get("/crossdock-0123456789abcdef_bg.wasm").await;
    assert_eq!(header(&response, "cache-control"), "no-cache");
    assert!(header(&response, "content-type").starts_with("text/html"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let fx = Fixture::built().await;
    for path in ["/", "/api/network", "/api/nope", &format!("/{WASM}")] {
        let (response, _) = fx.get(path).await;
        assert_eq!(
            header(&response, "x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            header(&response, "referrer-policy"),
            "strict-origin-when-cross-origin",
            "{path}"
        );
        assert!(
            header(&response, "content-security-policy").contains("frame-ancestors 'none'"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn responses_are_compressed_with_brotli_or_gzip() {
    let fx = Fixture::built().await;
    for (accept, expected) in [("br", "br"), ("gzip", "gzip"), ("gzip, br", "br")] {
        let request = Request::get("/crossdock-3f9a1c0e5b7d2a64.js")
            .header("accept-encoding", accept)
            .body(Body::empty())
            .unwrap();
        let (response, _) = fx.send(request).await;
        assert_eq!(header(&response, "content-encoding"), expected, "{accept}");
    }
    let request = Request::get("/api/network")
        .header("accept-encoding", "gzip")
        .body(Body::empty())
        .unwrap();
    let (response, body) = fx.send(request).await;
    assert_eq!(header(&response, "content-encoding"), "gzip");
    assert!(body.len() < std::fs::read(NETWORK).unwrap().len());
}

#[tokio::test]
async fn without_a_build_the_page_says_how_to_build() {
    let fx = Fixture::without_dist().await;
    for path in ["/", "/explore"] {
        let (response, body) = fx.get(path).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(header(&response, "content-type").starts_with("text/plain"));
        let text = String::from_utf8(body).unwrap();
        assert!(
            text.contains("the app is not built: run make run"),
            "{text}"
        );
    }
    // The API works regardless.
    let (response, _) = fx.get("/api/network").await;
    assert_eq!(response.status(), StatusCode::OK);
}
