//! Partner embeds: which pages other sites may frame, and the click counts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{Fixture, header, page_html};
use serde_json::json;
use sqlx::{Column, Row};

/// A fixture whose `dist/` also holds the embed's page and the embed docs.
async fn built() -> Fixture {
    let fx = Fixture::built().await;
    let dist = fx.dist();
    std::fs::create_dir_all(dist.join("pages/embed")).unwrap();
    std::fs::write(dist.join("pages/embed/index.html"), page_html("embed")).unwrap();
    std::fs::write(
        dist.join("public/embed-docs.html"),
        "<!doctype html><title>Embed</title><script>document.title = 'x';</script>",
    )
    .unwrap();
    std::fs::write(dist.join("public/embed.js"), "(function () {})();\n").unwrap();
    fx
}

#[tokio::test]
async fn only_the_embed_routes_may_be_framed_and_by_any_site() {
    let fx = built().await;
    for uri in [
        "/embed/listing/181",
        "/embed/listing/181?market=DE&theme=dark&partner=blog&frame=cd1-x",
        "/embed/search?q=desk+lamp&limit=6",
    ] {
        let (response, body) = fx.get(uri).await;
        assert_eq!(response.status(), 200, "{uri}");
        assert!(
            String::from_utf8(body)
                .unwrap()
                .contains("crossdock-embed-")
        );
        let csp = header(&response, "content-security-policy");
        assert!(csp.ends_with("; frame-ancestors *"), "{uri}: {csp}");
        assert_eq!(csp.matches("frame-ancestors").count(), 1, "{csp}");
        // Its loader may run; nothing else inline.
        assert_eq!(csp.matches("'sha256-").count(), 1, "{csp}");
        assert!(csp.contains("connect-src 'self'"), "{csp}");
        assert_eq!(header(&response, "x-frame-options"), "", "{uri}");
        assert_eq!(header(&response, "cache-control"), "no-cache");
        assert_eq!(header(&response, "set-cookie"), "", "{uri}");
    }
    // Revalidated: still framable.
    let (first, _) = fx.get("/embed/listing/181").await;
    let etag = header(&first, "etag").to_owned();
    let request = Request::get("/embed/listing/181")
        .header("if-none-match", &etag)
        .body(Body::empty())
        .unwrap();
    let (again, _) = fx.send(request).await;
    assert_eq!(again.status(), 304);
    assert!(header(&again, "content-security-policy").ends_with("frame-ancestors *"));
    assert_eq!(header(&again, "x-frame-options"), "");
}

#[tokio::test]
async fn every_other_page_and_file_refuses_to_be_framed() {
    let fx = built().await;
    for uri in [
        "/",
        "/seller",
        "/listing/181",
        "/cart",
        "/explore",
        "/embed",
        "/embed/",
        "/embed/listing",
        "/no-such-page",
        "/public/embed.js",
        "/public/favicon.svg",
        "/api/health",
        "/api/embed/clicks",
        "/api/nope",
    ] {
        let (response, _) = fx.get(uri).await;
        assert_eq!(header(&response, "x-frame-options"), "DENY", "{uri}");
        let csp = header(&response, "content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
    }
    // The docs page is a page of its own, with its inline script allowed.
    let (response, body) = fx.get("/embed").await;
    assert_eq!(response.status(), 200);
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("<title>Embed</title>")
    );
    assert!(header(&response, "content-security-policy").contains("'sha256-"));
    // The partner script itself loads from any page (revalidated, not immutable).
    let (response, _) = fx.get("/public/embed.js").await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "cache-control"), "no-cache");
}

#[tokio::test]
async fn an_embed_page_that_is_not_built_says_so() {
    let fx = Fixture::built().await;
    let (response, body) = fx.get("/embed/listing/181").await;
    assert_eq!(response.status(), 503);
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("pages/embed/index.html")
    );
}

/// POST `/api/embed/click` as the embed sends it (same origin).
async fn click(fx: &Fixture, body: serde_json::Value) -> (u16, serde_json::Value) {
    fx.request_json(
        "POST",
        "/api/embed/click",
        &[("sec-fetch-site", "same-origin")],
        Some(&body),
    )
    .await
}

#[tokio::test]
async fn clicks_are_counted_per_partner_and_listing() {
    let fx = Fixture::without_dist().await;
    let (status, summary) = fx.request_json("GET", "/api/embed/clicks", &[], None).await;
    assert_eq!((status, summary), (200, json!({"partners": []})));

    for (partner, listing) in [
        ("Gadget-Desk", 181),
        ("gadget-desk", 181),
        ("gadget-desk", 381),
        ("other.blog", 181),
    ] {
        let (status, body) = click(&fx, json!({"partner": partner, "listing_id": listing})).await;
        assert_eq!(status, 204, "{body}");
        assert_eq!(body, serde_json::Value::Null);
    }
    let (status, summary) = fx.request_json("GET", "/api/embed/clicks", &[], None).await;
    assert_eq!(status, 200);
    assert_eq!(
        summary,
        json!({"partners": [
            {"partner": "gadget-desk", "clicks": 3, "listings": [
                {"listing_id": 181, "clicks": 2},
                {"listing_id": 381, "clicks": 1},
            ]},
            {"partner": "other.blog", "clicks": 1, "listings": [{"listing_id": 181, "clicks": 1}]},
        ]})
    );
    let (status, one) = fx
        .request_json("GET", "/api/embed/clicks?partner=Other.Blog", &[], None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        one,
        json!({"partners": [{"partner": "other.blog", "clicks": 1, "listings": [{"listing_id": 181, "clicks": 1}]}]})
    );
}

#[tokio::test]
async fn a_click_stores_nothing_about_the_reader() {
    let fx = Fixture::without_dist().await;
    let (status, _) = fx
        .request_json(
            "POST",
            "/api/embed/click",
            &[
                ("sec-fetch-site", "same-origin"),
                ("user-agent", "Reader's browser"),
                ("cookie", "crossdock_session=abc"),
                ("x-forwarded-for", "203.0.113.9"),
            ],
            Some(&json!({"partner": "blog", "listing_id": 181})),
        )
        .await;
    assert_eq!(status, 204);
    let row = sqlx::query("SELECT * FROM embed_clicks LIMIT 1")
        .fetch_one(&fx.state.db)
        .await
        .unwrap();
    let columns: Vec<&str> = row.columns().iter().map(|c| c.name()).collect();
    assert_eq!(columns, ["partner", "listing_id", "day", "clicks"]);
    let rows: Vec<(String, i64, String, i64)> =
        sqlx::query_as("SELECT partner, listing_id, day, clicks FROM embed_clicks")
            .fetch_all(&fx.state.db)
            .await
            .unwrap();
    assert_eq!(rows.len(), 1);
    let (partner, listing, day, clicks) = &rows[0];
    assert_eq!((partner.as_str(), *listing, *clicks), ("blog", 181, 1));
    assert_eq!(day.len(), 10, "a UTC day, no time: {day}");
}

#[tokio::test]
async fn bad_clicks_are_refused_with_the_api_error_shape() {
    let fx = Fixture::without_dist().await;
    let cases = [
        (json!({"partner": "", "listing_id": 181}), 422, "partner"),
        (json!({"partner": "a b", "listing_id": 181}), 422, "partner"),
        (
            json!({"partner": "x".repeat(65), "listing_id": 181}),
            422,
            "partner",
        ),
        (
            json!({"partner": "blog", "listing_id": 99_999_999}),
            422,
            "listing_id",
        ),
        (json!({"partner": "blog"}), 422, ""),
        (
            json!({"partner": "blog", "listing_id": 181, "email": "a@b.c"}),
            422,
            "",
        ),
    ];
    for (body, status, field) in cases {
        let (got, answer) = click(&fx, body.clone()).await;
        assert_eq!(got, status, "{body}: {answer}");
        assert!(answer["error"]["message"].is_string(), "{answer}");
        if !field.is_empty() {
            assert_eq!(answer["error"]["field"], field, "{answer}");
        }
    }
    // Another site's page cannot count clicks (the embed is same-origin).
    let (status, answer) = fx
        .request_json(
            "POST",
            "/api/embed/click",
            &[("sec-fetch-site", "cross-site")],
            Some(&json!({"partner": "blog", "listing_id": 181})),
        )
        .await;
    assert_eq!(status, 403, "{answer}");
    // A plain form post (no JSON).
    let (status, answer) = fx
        .post_raw(
            "/api/embed/click",
            "text/plain",
            br#"{"partner":"blog","listing_id":181}"#.to_vec(),
        )
        .await;
    assert_eq!(status, 415, "{answer}");
    let (status, answer) = fx
        .request_json("GET", "/api/embed/clicks?partner=a%20b", &[], None)
        .await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (400, Some("partner"))
    );
    let (status, _) = fx
        .request_json("GET", "/api/embed/clicks?who=me", &[], None)
        .await;
    assert_eq!(status, 400);
    // Nothing was counted.
    let (_, summary) = fx.request_json("GET", "/api/embed/clicks", &[], None).await;
    assert_eq!(summary, json!({"partners": []}));
}

#[tokio::test]
async fn the_openapi_document_describes_the_click_endpoints() {
    let fx = Fixture::without_dist().await;
    let (response, body) = fx.get("/api/openapi.json").await;
    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let click = &doc["paths"]["/api/embed/click"]["post"];
    assert!(click["requestBody"].is_object(), "{click}");
    assert!(click["responses"]["204"].is_object(), "{click}");
    assert!(click["responses"]["422"].is_object(), "{click}");
    let clicks = &doc["paths"]["/api/embed/clicks"]["get"];
    assert!(clicks["responses"]["200"].is_object(), "{clicks}");
    assert!(doc["components"]["schemas"]["ClickSummary"].is_object());
}
