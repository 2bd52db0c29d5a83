//! Crossdock's server: it publishes the network file at `GET /api/network`, answers the
//! API, and hosts the built app (`dist/`, Trunk's output) with the headers a single-page
//! WebAssembly app needs.
//!
//! The API (described by the OpenAPI 3.1 document at `GET /api/openapi.json`, browsable at
//! `/api/docs`):
//! - `GET /api/listings` search and browse a market's listings, each with what the
//!   browser's engine needs to estimate delivery; `zone` + `arrives_by`/`sort=fastest`
//!   run the same engine here;
//! - `GET /api/listings/{id}`, `GET /api/listings/{id}/images/{n}.svg`,
//!   `GET /api/sellers/{id}`;
//! - `POST /api/quote` the cart, re-priced and routed by the same engine on the same
//!   (public, capped) data as the browser, so both agree exactly.
//! - `POST`/`GET`/`DELETE /api/seller/session` a seller signs in, sees who is signed in,
//!   signs out: sessions, CSRF tokens and sign-in throttling live in the database
//!   (`src/seller/mod.rs` explains the design), so several servers behave as one.
//! - `/api/seller/listings[/{id}]` the seller's SKUs: the table, the private detail with
//!   every fulfilment mode priced side by side by crates/core, saving mode, prices and
//!   stock with a version (409 on a stale one), promotions and inbound sea shipments
//!   under them; `/api/seller/pricing-rules` the rules the panel prices with;
//!   `/api/seller/audit` the log of every change. Shipments become stock at their ETA
//!   ([`receive_arrivals`], every minute and before every seller read).
//!
//! The demo catalog (3,000 listings, 12 sellers) is written to the database at first
//! start from a fixed seed ([`catalog::generate`]); requests read an in-memory snapshot
//! of it that holds no seller-private data ([`catalog`]).
//!
//! Design:
//! - [`app`] builds the whole [`Router`] from an [`AppState`], so tests drive it in-process
//!   with `tower::ServiceExt::oneshot` and `main.rs` only parses arguments, loads, binds and
//!   serves.
//! - Every API failure is an [`ApiError`], one enum with one status mapping and one JSON
//!   shape: `{"error":{"code":"not_found","message":"…","field":null}}`.
//! - Static files: names carrying Trunk's content hash (`crossdock-1a2b…_bg.wasm`) are
//!   cached for a year as immutable; `index.html` is revalidated on every load (`no-cache`
//!   with a strong ETag); any other GET path outside `/api` answers `index.html`, so the
//!   app's own router handles `/explore` on a reload.
//! - The CSP allows scripts only from this origin plus the exact SHA-256 of each inline
//!   script in `index.html` (Trunk's loader), and `'wasm-unsafe-eval'` to compile the wasm.
//! - Startup failures are a [`StartError`] whose `Display` is the message a person reads:
//!   which file or port, each problem, and what to do next.

mod api;
pub mod backup;
pub mod catalog;
mod config;
pub mod db;
mod dto;
mod embed;
mod error;
mod extract;
pub mod fuzzing;
mod listings;
mod network;
mod openapi;
pub mod ops;
mod quote;
mod seller;
mod sellers;
mod web;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

pub use catalog::{Catalog, CatalogStore, seed_demo_catalog};
pub use config::{Config, ConfigError, USAGE};
pub use db::{DbTarget, open, open_db, record_network_load};
pub use error::ApiError;
pub use network::{LoadedNetwork, load_network};
pub use seller::background as seller_background;
pub use seller::pricing::DEFAULT_PRICING_JSON;
pub use seller::{
    DemoLogin, ImportJobs, LoadedPricing, SeedError, SellerSession, TrustedProxies, demo_login,
    demo_password, demo_seller_logins, load_pricing, receive_arrivals, require_owned_listing,
    seed_demo_accounts,
};
pub use web::{BASE_CSP, is_hashed_asset, page_csp};

/// Everything a request handler may read. Cheap to clone (shared pointers and a pool).
#[derive(Clone)]
pub struct AppState {
    /// The network file as loaded at start: exact bytes, parsed network, version, hash.
    pub network: Arc<LoadedNetwork>,
    /// Trunk's output folder (`dist/`): `index.html` and the hashed assets.
    pub dist: Arc<PathBuf>,
    /// The database: the embedded SQLite file, or PostgreSQL ([`db`]).
    pub db: sqlx::AnyPool,
    /// Seller saves' turns at the database's write lock ([`db::WriteTurns`]).
    pub writes: db::WriteTurns,
    /// CSV imports running in this process, which a shutdown lets finish.
    pub imports: ImportJobs,
    /// The storefront's read model of the catalog (see [`catalog`]).
    pub catalog: Arc<CatalogStore>,
    /// The pricing rules file as loaded at start (checked against the network): what
    /// the seller panel's margins are computed with.
    pub pricing: Arc<LoadedPricing>,
    /// What this instance has answered, for `GET /metrics` ([`ops`]).
    pub metrics: Arc<ops::Metrics>,
}

impl AppState {
    /// The state for `network`, `dist` and an opened database, with the pricing rules
    /// the server was built with ([`DEFAULT_PRICING_JSON`]); see [`AppState::with_pricing`].
    pub async fn new(
        network: LoadedNetwork,
        dist: PathBuf,
        db: sqlx::AnyPool,
    ) -> Result<AppState, StartError> {
        let pricing = LoadedPricing::from_text(DEFAULT_PRICING_JSON.to_string(), network.network())
            .map_err(|error| StartError::PricingInvalid {
                path: PathBuf::from("data/pricing.json (built in)"),
                error,
            })?;
        AppState::with_pricing(network, pricing, dist, db).await
    }

    /// The state for `network`, the pricing rules, `dist` and an opened database: writes
    /// the demo catalog on first start and loads the catalog's read model.
    pub async fn with_pricing(
        network: LoadedNetwork,
        pricing: LoadedPricing,
        dist: PathBuf,
        db: sqlx::AnyPool,
    ) -> Result<AppState, StartError> {
        let fail = |what: &str, e: &dyn std::fmt::Display| StartError::Database {
            database: db::describe(&db),
            message: format!("{what}: {e}"),
        };
        seed_demo_catalog(&db, network.network())
            .await
            .map_err(|e| fail("writing the demo catalog", &e))?;
        seed_demo_accounts(&db)
            .await
            .map_err(|e| fail("creating the demo seller accounts", &e))?;
        let mark = catalog::ChangeMark::read(&db)
            .await
            .map_err(|e| fail("loading the catalog", &e))?;
        let catalog = Catalog::load(&db, network.network())
            .await
            .map_err(|e| fail("loading the catalog", &e))?;
        Ok(AppState {
            network: Arc::new(network),
            dist: Arc::new(dist),
            writes: db::WriteTurns::for_pool(&db),
            imports: ImportJobs::default(),
            db,
            catalog: Arc::new(CatalogStore::loaded_at(catalog, mark)),
            pricing: Arc::new(pricing),
            metrics: Arc::default(),
        })
    }
}

/// Every second, until the task is dropped: reloads the catalog when the database says
/// it changed ([`catalog::ChangeMark`]), which is how writes made through other server
/// instances on the same database reach this one's storefront (its own writes reload at
/// once). Failures are logged and tried again at the next tick.
pub async fn follow_catalog(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match state
            .catalog
            .reload_if_changed(&state.db, state.network.network())
            .await
        {
            Ok(true) => tracing::info!("catalog reloaded: changed in the database"),
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "checking the catalog for changes failed"),
        }
    }
}

/// The whole HTTP application: API routes, static files with SPA fallback, cache and
/// security headers, gzip/brotli compression.
pub fn app(state: AppState) -> Router {
    let static_files = web::static_service(&state);
    let observe = axum::middleware::from_fn_with_state(state.clone(), ops::observe);
    Router::new()
        .merge(ops::router())
        .merge(api::router())
        .merge(seller::router())
        .merge(embed::router())
        .merge(web::page_router())
        .fallback_service(static_files)
        .layer(axum::middleware::from_fn(web::cache_headers))
        .layer(axum::middleware::from_fn(web::frame_headers))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(BASE_CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(CompressionLayer::new().gzip(true).br(true))
        .layer(observe)
        .with_state(state)
}

/// Why the server could not start. `Display` is the whole message shown to a person.
#[derive(Debug)]
pub enum StartError {
    /// Bad command line or environment.
    Config(ConfigError),
    /// The network file could not be read at all.
    NetworkUnreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The network file was read but refused: each problem, by place in the file.
    NetworkInvalid {
        path: PathBuf,
        error: crossdock_core::network::NetworkError,
    },
    /// The pricing rules file could not be read at all.
    PricingUnreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The pricing rules file was read but refused: each problem, by place in the file.
    PricingInvalid {
        path: PathBuf,
        error: crossdock_core::pricing::PricingRulesError,
    },
    /// The address and port are taken by another process.
    PortInUse { addr: std::net::IpAddr, port: u16 },
    /// Any other failure to listen.
    Listen {
        addr: std::net::IpAddr,
        port: u16,
        source: std::io::Error,
    },
    /// The database could not be opened, migrated or written.
    Database { database: String, message: String },
    /// The server stopped with an I/O error.
    Serve(std::io::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Config(e) => write!(f, "{e}\n\n{USAGE}"),
            StartError::NetworkUnreadable { path, source } => write!(
                f,
                "cannot read the network file {}: {source}\n\
                 Point the server at a network file with --network PATH (or CROSSDOCK_NETWORK=PATH).",
                path.display()
            ),
            StartError::NetworkInvalid { path, error } => {
                writeln!(f, "the network file {} cannot be used:", path.display())?;
                for line in error.to_string().lines() {
                    writeln!(f, "  {line}")?;
                }
                write!(
                    f,
                    "Fix the file and start again (or use another file: --network PATH)."
                )
            }
            StartError::PricingUnreadable { path, source } => write!(
                f,
                "cannot read the pricing rules file {}: {source}\n\
                 Point the server at one with --pricing PATH (or CROSSDOCK_PRICING=PATH); by default it is pricing.json beside the network file.",
                path.display()
            ),
            StartError::PricingInvalid { path, error } => {
                writeln!(
                    f,
                    "the pricing rules file {} cannot be used:",
                    path.display()
                )?;
                match error {
                    crossdock_core::pricing::PricingRulesError::Syntax(message) => {
                        writeln!(f, "  {message}")?;
                    }
                    crossdock_core::pricing::PricingRulesError::Invalid(problems) => {
                        for p in problems {
                            writeln!(f, "  {p}")?;
                        }
                    }
                }
                write!(
                    f,
                    "Fix the file and start again (or use another file: --pricing PATH)."
                )
            }
            StartError::PortInUse { addr, port } => write!(
                f,
                "port {port} on {addr} is already in use — stop the other process or choose another: make run PORT={}",
                port.checked_add(1).unwrap_or(8081)
            ),
            StartError::Listen { addr, port, source } => {
                write!(f, "cannot listen on {addr} port {port}: {source}")
            }
            StartError::Database { database, message } => {
                write!(f, "cannot use the database {database}: {message}")
            }
            StartError::Serve(e) => write!(f, "the server stopped: {e}"),
        }
    }
}

impl std::error::Error for StartError {}
