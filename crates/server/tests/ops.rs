//! Operating the server in-process: liveness and readiness, request ids, metrics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Fixture, header};

#[tokio::test]
async fn healthz_answers_without_the_database_and_readyz_needs_it() {
    let fx = Fixture::without_dist().await;
    let (response, body) = fx.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body, b"ok\n");
    assert_eq!(header(&response, "cache-control"), "no-store");

    let ready = fx.json("/readyz", 200).await;
    assert_eq!(ready["status"], "ready");
    let folder = match fx.target {
        crossdock_server::DbTarget::Sqlite(_) => "sqlite",
        crossdock_server::DbTarget::Postgres(_) => "postgres",
    };
    assert_eq!(ready["backend"], folder);
    let migrations = std::fs::read_dir(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(folder),
    )
    .unwrap()
    .filter(|e| {
        e.as_ref()
            .unwrap()
            .path()
            .extension()
            .is_some_and(|x| x == "sql")
    })
    .count();
    assert_eq!(ready["migrations"], migrations);

    // A migration of this build missing from the database: not ready, and why.
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&fx.state.db)
    .await
    .unwrap();
    let not_ready = fx.json("/readyz", 503).await;
    assert_eq!(not_ready["status"], "not_ready");
    assert!(
        not_ready["reason"]
            .as_str()
            .unwrap()
            .contains("migrations not applied"),
        "{not_ready}"
    );

    // The database gone: alive, not ready.
    fx.state.db.close().await;
    let not_ready = fx.json("/readyz", 503).await;
    assert!(
        not_ready["reason"]
            .as_str()
            .unwrap()
            .contains("does not answer"),
        "{not_ready}"
    );
    let (response, _) = fx.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn every_answer_carries_a_request_id_and_a_proxys_sane_one_is_kept() {
    let fx = Fixture::without_dist().await;
    let (a, _) = fx.get("/api/health").await;
    let (b, _) = fx.get("/api/no-such-endpoint").await;
    let id_a = header(&a, "x-request-id").to_owned();
    let id_b = header(&b, "x-request-id").to_owned();
    assert_eq!(id_a.len(), 16, "{id_a}");
    assert_ne!(id_a, id_b);

    let send = |id: &'static str| {
        Request::get("/api/health")
            .header("x-request-id", id)
            .body(Body::empty())
            .unwrap()
    };
    let (kept, _) = fx.send(send("proxy-7f3a.1")).await;
    assert_eq!(header(&kept, "x-request-id"), "proxy-7f3a.1");
    let (replaced, _) = fx.send(send("<script>")).await;
    let fresh = header(&replaced, "x-request-id");
    assert_ne!(fresh, "<script>");
    assert_eq!(fresh.len(), 16);
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_never_by_raw_path() {
    let fx = Fixture::without_dist().await;
    fx.json("/api/listings?market=US", 200).await;
    fx.json("/api/listings?market=US&page=2", 200).await;
    fx.get("/api/listings/1?market=US").await;
    fx.get("/api/listings/2?market=US").await;
    fx.get("/api/no-such-endpoint/123").await;

    let (response, body) = fx.get("/metrics").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, "content-type").starts_with("text/plain; version=0.0.4"));
    let text = String::from_utf8(body).unwrap();
    let has = |line: &str| text.lines().any(|l| l == line);
    assert!(
        has(r#"crossdock_http_requests_total{method="GET",route="/api/listings",status="200"} 2"#),
        "{text}"
    );
    assert!(
        has(
            r#"crossdock_http_requests_total{method="GET",route="/api/listings/{id}",status="200"} 2"#
        ),
        "{text}"
    );
    assert!(
        has(r#"crossdock_http_requests_total{method="GET",route="/api/{*rest}",status="404"} 1"#),
        "{text}"
    );
    assert!(
        has(
            r#"crossdock_http_request_duration_seconds_count{method="GET",route="/api/listings"} 2"#
        ),
        "{text}"
    );
    assert!(
        !text.contains("/api/listings/1\""),
        "a raw path became a label:\n{text}"
    );
    assert!(has("crossdock_imports_running 0"), "{text}");
    assert!(text.contains("crossdock_catalog_listings 3000"), "{text}");
    assert!(
        text.contains("crossdock_db_pool_connections{state=\"idle\"}"),
        "{text}"
    );
}
