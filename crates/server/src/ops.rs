//! Operating the server: liveness and readiness, a request id and a log line for every
//! request, and Prometheus metrics.
//!
//! - `GET /healthz`: the process is up and serving (no database call): for a supervisor's
//!   liveness probe, which restarts a process that stops answering.
//! - `GET /readyz`: the database answers and every migration this build knows is applied:
//!   for a load balancer's readiness probe, which sends no traffic to an instance that
//!   answers 503.
//! - Every answer carries `x-request-id`: the caller's (a proxy's) when it sent a sane one,
//!   else a new one. Every log line written while the request runs carries it (a
//!   `request` span), and one line per request says its route, status and time.
//! - `GET /metrics`: requests by method, route and status, latency histograms per route,
//!   running imports, the database pool and the catalog, in Prometheus' text format.
//!   Routes are the router's patterns (`/api/listings/{id}`), never raw paths, so the
//!   series stay few. Each instance counts its own requests (Prometheus adds them up);
//!   keep `/metrics` off the public proxy.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use tracing::Instrument as _;

use crate::AppState;

/// The header that carries a request's id.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Upper bounds of the latency histogram's buckets, in seconds.
pub const BUCKETS_SECS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// `/healthz`, `/readyz` and `/metrics`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

fn no_store() -> [(HeaderName, HeaderValue); 1] {
    [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))]
}

/// Alive: answers without touching the database.
async fn healthz() -> Response {
    (no_store(), "ok\n").into_response()
}

/// Ready: the database answers and its migrations are this build's.
async fn readyz(State(state): State<AppState>) -> Response {
    match readiness(&state.db).await {
        Ok(applied) => (
            StatusCode::OK,
            no_store(),
            axum::Json(json!({
                "status": "ready",
                "database": "ok",
                "backend": match crate::db::backend(&state.db) {
                    crate::db::Backend::Sqlite => "sqlite",
                    crate::db::Backend::Postgres => "postgres",
                },
                "migrations": applied,
            })),
        )
            .into_response(),
        Err(reason) => {
            tracing::warn!(%reason, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                no_store(),
                axum::Json(json!({ "status": "not_ready", "reason": reason })),
            )
                .into_response()
        }
    }
}

/// The number of migrations applied, when the database answers and has every migration
/// of this build; else why not.
pub async fn readiness(db: &sqlx::AnyPool) -> Result<usize, String> {
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(db)
            .await
            .map_err(|e| format!("the database does not answer: {e}"))?;
    let missing: Vec<String> = crate::db::migrator(crate::db::backend(db))
        .iter()
        .filter(|m| !applied.contains(&m.version))
        .map(|m| format!("{} {}", m.version, m.description))
        .collect();
    if missing.is_empty() {
        Ok(applied.len())
    } else {
        Err(format!(
            "migrations not applied yet: {}",
            missing.join(", ")
        ))
    }
}

/// A caller's request id, when it is one we can pass on: 1 to 64 characters of
/// letters, digits, `-`, `_`, `.` and `:`.
pub fn sane_request_id(headers: &HeaderMap) -> Option<HeaderValue> {
    let v = headers.get(REQUEST_ID)?;
    let s = v.to_str().ok()?;
    let ok = (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then(|| v.clone())
}

/// A new request id: 16 random hex digits (or, if the OS has no randomness to give, the
/// clock's nanoseconds).
pub fn new_request_id() -> HeaderValue {
    let mut bytes = [0_u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        bytes = (nanos as u64).to_be_bytes();
    }
    let text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("0"))
}

/// The route a request matched, as a metrics label: the router's pattern, or
/// `unmatched` (an unknown API path) and `static` (the app's files and pages).
fn route_label(request: &Request) -> String {
    match request.extensions().get::<MatchedPath>() {
        Some(p) => p.as_str().to_owned(),
        None if request.uri().path().starts_with("/api/") => "unmatched".into(),
        None => "static".into(),
    }
}

/// The middleware around every request: its id (taken or made, and answered in
/// `x-request-id`), its `request` span, its log line and its metrics.
pub async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = sane_request_id(request.headers()).unwrap_or_else(new_request_id);
    let method = request.method().clone();
    let route = route_label(&request);
    let span = tracing::info_span!(
        "request",
        id = id.to_str().unwrap_or(""),
        method = %method,
        route = %route,
    );
    let mut response = next.run(request).instrument(span.clone()).await;
    let took = started.elapsed();
    let status = response.status();
    response.headers_mut().insert(REQUEST_ID, id);
    state.metrics.record(&method, &route, status, took);
    span.in_scope(|| {
        // Milliseconds to the microsecond: `1.234`, not `1.2340000000000002`.
        let ms = (took.as_secs_f64() * 1_000_000.0).round() / 1000.0;
        if status.is_server_error() {
            tracing::error!(status = status.as_u16(), ms, "answered");
        } else {
            tracing::info!(status = status.as_u16(), ms, "answered");
        }
    });
    response
}

/// One route's requests: counts by status and the latency histogram.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    pub by_status: BTreeMap<u16, u64>,
    /// Requests at or under each of [`BUCKETS_SECS`] (not cumulative).
    pub buckets: [u64; BUCKETS_SECS.len()],
    pub count: u64,
    pub sum_secs: f64,
}

/// What this process has answered, per (method, route).
#[derive(Debug, Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<(String, String), Series>>,
}

impl Metrics {
    /// Counts one answered request.
    pub fn record(&self, method: &Method, route: &str, status: StatusCode, took: Duration) {
        let secs = took.as_secs_f64();
        let Ok(mut all) = self.series.lock() else {
            return;
        };
        // Only the standard methods are labels of their own: any other is `OTHER`, so a
        // client cannot make new series.
        let method = match *method {
            Method::GET
            | Method::HEAD
            | Method::POST
            | Method::PUT
            | Method::DELETE
            | Method::PATCH
            | Method::OPTIONS => method.as_str(),
            _ => "OTHER",
        };
        let s = all
            .entry((method.to_owned(), route.to_owned()))
            .or_default();
        *s.by_status.entry(status.as_u16()).or_default() += 1;
        if let Some(i) = BUCKETS_SECS.iter().position(|le| secs <= *le)
            && let Some(b) = s.buckets.get_mut(i)
        {
            *b += 1;
        }
        s.count += 1;
        s.sum_secs += secs;
    }

    /// A copy of every series.
    pub fn snapshot(&self) -> BTreeMap<(String, String), Series> {
        self.series.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// The gauges read at scrape time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gauges {
    pub imports_running: i64,
    pub pool_size: u32,
    pub pool_idle: u32,
    pub listings: usize,
    pub uptime_secs: u64,
    pub network_version: String,
}

/// A Prometheus label value, escaped.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The metrics in Prometheus' text exposition format (version 0.0.4).
pub fn render(series: &BTreeMap<(String, String), Series>, g: &Gauges) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP crossdock_http_requests_total HTTP requests answered, by method, route and status.\n# TYPE crossdock_http_requests_total counter"
    );
    for ((method, route), s) in series {
        for (status, n) in &s.by_status {
            let _ = writeln!(
                out,
                "crossdock_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                label(method),
                label(route)
            );
        }
    }
    let _ = writeln!(
        out,
        "# HELP crossdock_http_request_duration_seconds Time from a request's arrival to its answer's headers, by method and route.\n# TYPE crossdock_http_request_duration_seconds histogram"
    );
    for ((method, route), s) in series {
        let labels = format!("method=\"{}\",route=\"{}\"", label(method), label(route));
        let mut cumulative = 0;
        for (le, n) in BUCKETS_SECS.iter().zip(s.buckets) {
            cumulative += n;
            let _ = writeln!(
                out,
                "crossdock_http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "crossdock_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}\ncrossdock_http_request_duration_seconds_sum{{{labels}}} {}\ncrossdock_http_request_duration_seconds_count{{{labels}}} {}",
            s.count, s.sum_secs, s.count
        );
    }
    let _ = writeln!(
        out,
        "# HELP crossdock_imports_running CSV imports checking or applying, on every instance.\n# TYPE crossdock_imports_running gauge\ncrossdock_imports_running {}",
        g.imports_running
    );
    let _ = writeln!(
        out,
        "# HELP crossdock_db_pool_connections This instance's database connections, by state.\n# TYPE crossdock_db_pool_connections gauge\ncrossdock_db_pool_connections{{state=\"idle\"}} {}\ncrossdock_db_pool_connections{{state=\"in_use\"}} {}",
        g.pool_idle,
        g.pool_size.saturating_sub(g.pool_idle)
    );
    let _ = writeln!(
        out,
        "# HELP crossdock_catalog_listings Listings in this instance's catalog read model.\n# TYPE crossdock_catalog_listings gauge\ncrossdock_catalog_listings {}",
        g.listings
    );
    let _ = writeln!(
        out,
        "# HELP crossdock_uptime_seconds Seconds since this instance started.\n# TYPE crossdock_uptime_seconds gauge\ncrossdock_uptime_seconds {}",
        g.uptime_secs
    );
    let _ = writeln!(
        out,
        "# HELP crossdock_build_info The server's version and the network file it loaded.\n# TYPE crossdock_build_info gauge\ncrossdock_build_info{{version=\"{}\",network_version=\"{}\"}} 1",
        env!("CARGO_PKG_VERSION"),
        label(&g.network_version)
    );
    out
}

/// When this process started (for the uptime gauge).
static STARTED: std::sync::LazyLock<Instant> = std::sync::LazyLock::new(Instant::now);

/// Notes the process's start (call it first thing in `main`).
pub fn mark_start() {
    std::sync::LazyLock::force(&STARTED);
}

async fn metrics(State(state): State<AppState>) -> Response {
    let imports_running = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM seller_imports WHERE state IN ('checking', 'applying')",
    )
    .fetch_one(&state.db)
    .await
    .unwrap_or(-1);
    let gauges = Gauges {
        imports_running,
        pool_size: state.db.size(),
        pool_idle: u32::try_from(state.db.num_idle()).unwrap_or(u32::MAX),
        listings: state.catalog.snapshot().listings.len(),
        uptime_secs: STARTED.elapsed().as_secs(),
        network_version: state.network.version().to_owned(),
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        render(&state.metrics.snapshot(), &gauges),
    )
        .into_response()
}

/// Starts the log: to stderr (stdout keeps the start-up lines), filtered by `CROSSDOCK_LOG`
/// (default `info`; e.g. `warn`, or `crossdock_server=debug`), as text or, with
/// `CROSSDOCK_LOG_FORMAT=json`, one JSON object per line.
pub fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("CROSSDOCK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    let json = std::env::var("CROSSDOCK_LOG_FORMAT").is_ok_and(|v| v == "json");
    let _ = if json {
        builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    } else {
        builder.with_ansi(false).try_init()
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sane_request_id_is_passed_on_and_anything_else_replaced() {
        let mut h = HeaderMap::new();
        assert_eq!(sane_request_id(&h), None);
        for ok in ["abc-123", "0f3a9c2b7d1e4f60", "req_1.2:3"] {
            h.insert(REQUEST_ID, HeaderValue::from_static(ok));
            assert_eq!(
                sane_request_id(&h).as_ref().and_then(|v| v.to_str().ok()),
                Some(ok)
            );
        }
        for bad in ["", "has space", "semi;colon", "ünï"] {
            if let Ok(v) = HeaderValue::from_str(bad) {
                h.insert(REQUEST_ID, v);
                assert_eq!(sane_request_id(&h), None, "{bad:?}");
            }
        }
        h.insert(
            REQUEST_ID,
            HeaderValue::from_str(&"a".repeat(65)).unwrap_or(HeaderValue::from_static("x")),
        );
        assert_eq!(sane_request_id(&h), None);
    }

    #[test]
    fn new_request_ids_are_16_hex_digits_and_differ() {
        let a = new_request_id();
        let b = new_request_id();
        assert_eq!(a.len(), 16);
        assert!(
            a.to_str()
                .is_ok_and(|s| s.bytes().all(|c| c.is_ascii_hexdigit()))
        );
        assert_ne!(a, b);
    }

    #[test]
    fn the_histogram_is_cumulative_and_counts_every_request() {
        let m = Metrics::default();
        let ms = Duration::from_millis;
        m.record(&Method::GET, "/api/listings", StatusCode::OK, ms(0));
        m.record(&Method::GET, "/api/listings", StatusCode::OK, ms(3));
        m.record(
            &Method::GET,
            "/api/listings",
            StatusCode::BAD_REQUEST,
            ms(30),
        );
        m.record(&Method::GET, "/api/listings", StatusCode::OK, ms(60_000));
        let odd = Method::from_bytes(b"BREW").unwrap_or(Method::TRACE);
        m.record(&odd, "/api/listings", StatusCode::METHOD_NOT_ALLOWED, ms(1));
        let text = render(&m.snapshot(), &Gauges::default());
        for line in [
            "crossdock_http_requests_total{method=\"GET\",route=\"/api/listings\",status=\"200\"} 3",
            "crossdock_http_requests_total{method=\"GET\",route=\"/api/listings\",status=\"400\"} 1",
            "crossdock_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/listings\",le=\"0.001\"} 1",
            "crossdock_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/listings\",le=\"0.005\"} 2",
            "crossdock_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/listings\",le=\"0.05\"} 3",
            "crossdock_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/listings\",le=\"10\"} 3",
            "crossdock_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/listings\",le=\"+Inf\"} 4",
            "crossdock_http_request_duration_seconds_count{method=\"GET\",route=\"/api/listings\"} 4",
            "crossdock_http_requests_total{method=\"OTHER\",route=\"/api/listings\",status=\"405\"} 1",
        ] {
            assert!(text.lines().any(|l| l == line), "missing {line}\n{text}");
        }
    }

    #[test]
    fn every_line_is_a_comment_or_a_sample_with_a_number() {
        let m = Metrics::default();
        m.record(
            &Method::PUT,
            "/api/seller/listings/{id}",
            StatusCode::CONFLICT,
            Duration::from_micros(1500),
        );
        let g = Gauges {
            imports_running: 1,
            pool_size: 4,
            pool_idle: 3,
            listings: 3000,
            uptime_secs: 12,
            network_version: "2026.11.2 \"x\"".into(),
        };
        let text = render(&m.snapshot(), &g);
        for line in text.lines() {
            if line.starts_with("# HELP ") || line.starts_with("# TYPE ") {
                continue;
            }
            let (_, value) = line.rsplit_once(' ').unwrap_or(("", ""));
            assert!(value.parse::<f64>().is_ok(), "not a sample: {line}");
        }
        assert!(text.contains("crossdock_db_pool_connections{state=\"in_use\"} 1"));
        assert!(text.contains("network_version=\"2026.11.2 \\\"x\\\"\""));
    }
}
