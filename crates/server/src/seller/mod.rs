//! The seller panel's accounts and sessions: `/api/seller/session` to sign in, see who is
//! signed in and sign out, the [`SellerSession`] extractor every other `/api/seller/...`
//! endpoint takes, and [`require_owned_listing`] for their ownership checks.
//!
//! # Nothing in process memory
//! Accounts, sessions and failed sign-ins are rows in the database
//! (`migrations/20261125030000_seller_accounts.sql`), and the CSRF token is derived from
//! the session's cookie, so two server instances on one database behave as one: a seller
//! signs in through one and writes through the other, and throttling counts failures made
//! through either.
//!
//! # Accounts ([`accounts`])
//! Passwords are argon2id PHC strings. Release builds hash with argon2's defaults
//! (19 MiB, 2 passes, 1 lane: OWASP's minimum); debug builds, which the tests run, with
//! 1 MiB and 1 pass so a test signs in in milliseconds. A hash records its parameters and
//! is verified with them; a successful sign-in re-hashes a password whose hash is weaker
//! than the build's, so a database first seeded by a debug build is upgraded by the first
//! sign-in under a release build. At most 4 argon2 computations run at once per process
//! (each holds 19 MiB), so a burst of sign-ins queues instead of exhausting memory.
//!
//! The demo catalog's sellers get demo accounts at first start ([`seed_demo_accounts`]):
//! login `<seller id>@demo.crossdock`, password `crossdock-demo-<seller id>` (for example
//! `voltaic@demo.crossdock` / `crossdock-demo-voltaic`); `crossdock-server` prints them.
//!
//! # Sessions and cookies ([`session`])
//! Signing in makes a random 256-bit token (from the operating system) and stores only
//! its SHA-256. The cookie is `crossdock_session=<token>; HttpOnly; SameSite=Strict;
//! Path=/; Max-Age=604800`, plus `Secure` when the request came through a TLS-terminating
//! proxy (`X-Forwarded-Proto: https`) or the server runs with `CROSSDOCK_SECURE_COOKIES=1`.
//! A session ends 12 hours after its last use (idle expiry, moved forward at most every
//! 5 minutes) and 7 days after sign-in whatever happens (absolute expiry), when the seller
//! signs out, or when the account is disabled.
//!
//! # CSRF
//! Every write (any method but GET, HEAD and OPTIONS) under `/api/seller/` needs the header
//! `x-csrf-token` equal to the session's token: HMAC-SHA256 keyed with the cookie's token,
//! returned by signing in and by `GET /api/seller/session`. A page on another site cannot
//! read it, so it cannot send it. Besides, a request a browser marks as coming from
//! elsewhere is refused: `Sec-Fetch-Site` other than `same-origin`, or, from a browser
//! that does not send `Sec-Fetch-Site`, an `Origin` whose host is not the request's `Host`
//! (or `X-Forwarded-Host`). Signing in checks the same (no signing a browser into someone
//! else's account from another site). Failures answer 403 with code `csrf`; requests
//! without a session answer 401 `unauthenticated` first.
//!
//! # Throttling ([`throttle`])
//! Failed sign-ins are rows in `login_attempts`. With 5 failures for one login, or 20
//! from one client address, within 15 minutes, further attempts answer 429
//! `too_many_requests` with `Retry-After` (seconds until the oldest counted failure leaves
//! the window) without checking the password; a successful sign-in deletes its login's
//! failures. Unknown logins are counted like known ones and cost the same argon2
//! computation, and both answer the same 401 message, so nothing tells whether a login
//! exists. The client address is the TCP peer (`ConnectInfo`, which `crossdock-server`
//! serves with); an IPv6 client counts as its /64 network. In-process tests have no
//! socket: there, and only there, the `x-test-client-address` header names the address
//! (absent: "unknown"). Behind a reverse proxy every client would have the proxy's
//! address: name the proxies with `--trusted-proxies` ([`throttle::TrustedProxies`]) and,
//! for requests from them, the client is the address they put in `X-Forwarded-For`.
//!
//! # Ownership
//! [`require_owned_listing`] answers 404 for a listing of another seller exactly as for
//! one that does not exist, so nothing hints that it exists. Every endpoint below checks
//! it before it reads the body, and a promotion or shipment of another listing answers
//! 404 too.
//!
//! # SKUs, prices, stock, promotions, shipments, the audit log
//! - [`listings`]: the SKU table (`GET /api/seller/listings`), one SKU's private detail
//!   with every fulfilment mode priced side by side by crates/core
//!   (`GET /api/seller/listings/{id}`), and the pricing rules the panel prices what-ifs
//!   with (`GET /api/seller/pricing-rules`).
//! - [`save`]: saving mode, prices and stock all or nothing with optimistic concurrency
//!   (`PUT /api/seller/listings/{id}`, 409 with the current values on a stale version).
//! - [`promotions`]: schedule (`POST …/promotions`) and end (`DELETE …/promotions/{id}`)
//!   a promotion, with its margin impact from crates/core and warnings.
//! - [`inbound`]: announce and withdraw sea shipments (`POST`/`DELETE …/inbound`), and
//!   [`receive_arrivals`], which turns due ones into stock on hand.
//! - [`imports`]: the prices-and-stock CSV: export (`GET /api/seller/catalog.csv`) and
//!   import, checked row by row and applied all or nothing, with its progress in the
//!   database (`POST /api/seller/imports`, `GET /api/seller/imports/{id}`); the file
//!   format is in [`csv_sheet`].
//! - [`audit`]: every change written in its own transaction; `GET /api/seller/audit`.
//! - [`margins`]: margins stored per market, computed by crates/core on save and in the
//!   background; [`pricing`]: the pricing rules file and the requests the server gives
//!   the pricing engine; [`store`]: a seller's listings with their private columns.
//!
//! Every write bumps the listing's `version` as the first statement of its transaction
//! (so it holds SQLite's write lock from the start and two writers queue instead of
//! interleaving), writes its audit entries in that transaction, and reloads the
//! storefront's catalog before it answers, so the public listing shows the change.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod csv_sheet;
pub mod imports;
pub mod inbound;
pub mod listings;
pub mod margins;
pub mod pricing;
pub mod promotions;
pub mod save;
pub mod session;
pub mod store;
pub mod throttle;

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{DefaultBodyLimit, Path};
use axum::routing::{delete, get, post};
use crossdock_core::time::Instant;
use sqlx::AnyPool;

use crate::listings::parse_id;
use crate::{ApiError, AppState};

pub use accounts::seed_demo_accounts;
pub use accounts::{DemoLogin, SeedError, demo_login, demo_password, demo_seller_logins};
pub use imports::ImportJobs;
pub use inbound::receive_arrivals;
pub use pricing::{LoadedPricing, load_pricing};
pub use session::SellerSession;
pub use throttle::TrustedProxies;

/// `/api/seller/...`: the session (sign in, who am I, sign out), the SKU table and
/// detail, saving mode, prices and stock, promotions, inbound shipments, the pricing rules
/// and the audit log.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/seller/session",
            get(auth::who_am_i)
                .post(auth::sign_in)
                .delete(auth::sign_out)
                .layer(DefaultBodyLimit::max(16 * 1024)),
        )
        .route("/api/seller/listings", get(listings::list_listings))
        .route(
            "/api/seller/listings/{id}",
            get(listings::get_listing)
                .put(save::update_listing)
                .layer(DefaultBodyLimit::max(64 * 1024)),
        )
        .route(
            "/api/seller/listings/{id}/promotions",
            post(promotions::create_promotion).layer(DefaultBodyLimit::max(16 * 1024)),
        )
        .route(
            "/api/seller/listings/{id}/promotions/{promotion}",
            delete(promotions::delete_promotion),
        )
        .route(
            "/api/seller/listings/{id}/inbound",
            post(inbound::create_inbound).layer(DefaultBodyLimit::max(16 * 1024)),
        )
        .route(
            "/api/seller/listings/{id}/inbound/{shipment}",
            delete(inbound::delete_inbound),
        )
        .route("/api/seller/catalog.csv", get(imports::export_csv))
        .route(
            "/api/seller/imports",
            get(imports::list_imports)
                .post(imports::create_import)
                .layer(DefaultBodyLimit::max(imports::MAX_FILE_BYTES)),
        )
        .route("/api/seller/imports/{id}", get(imports::get_import))
        .route("/api/seller/pricing-rules", get(listings::pricing_rules))
        .route("/api/seller/audit", get(audit::list_audit))
        .method_not_allowed_fallback(method_not_allowed)
}

/// What every seller endpoint does before it reads: shipments whose ETA has come become
/// stock on hand (and the storefront's catalog is reloaded when any did).
pub async fn prepare(state: &AppState, now: Instant) -> Result<(), ApiError> {
    let received = receive_arrivals(&state.db, now)
        .await
        .map_err(|e| ApiError::Internal(format!("receiving shipments: {e}")))?;
    if received > 0 {
        save::reload_catalog(state).await?;
    }
    Ok(())
}

/// The seller panel's background work, every minute (the first run at once) until the
/// task is dropped: shipments whose ETA has come become stock on hand (and the catalog is
/// reloaded when any did), and margins not yet computed with the loaded rules are
/// computed.
/// Failures are logged and tried again at the next tick.
pub async fn background(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Ok(now) = crate::api::server_now() else {
            continue;
        };
        if let Err(e) = prepare(&state, now).await {
            tracing::error!(error = ?e, "receiving inbound shipments failed");
        }
        if let Err(e) = margins::refresh_all(&state.db, &state.network, &state.pricing, now).await {
            tracing::error!(error = ?e, "computing margins failed");
        }
    }
}

/// The 404 of a listing the seller does not have (missing or another seller's: the same).
pub fn not_yours(listing_id: i64) -> ApiError {
    ApiError::NotFound(format!(
        "you have no listing {listing_id}: check the id in your SKU table"
    ))
}

/// A listing id and the id of something of it (`/listings/{id}/promotions/{promotion}`).
pub fn listing_and_child(
    path: Result<Path<(String, String)>, PathRejection>,
    child: &str,
) -> Result<(i64, i64), ApiError> {
    let Path((id, other)) = path.map_err(|e| ApiError::bad("id", e.body_text()))?;
    let id = parse_id(&id)?;
    let other = other
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            ApiError::bad(
                child,
                format!("\"{other}\" is not a {child} id: ids are positive whole numbers"),
            )
        })?;
    Ok((id, other))
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// `Ok` when listing `listing_id` belongs to `seller_id`. Another seller's listing answers
/// the same 404 as a listing that does not exist.
pub async fn require_owned_listing(
    db: &AnyPool,
    seller_id: &str,
    listing_id: i64,
) -> Result<(), ApiError> {
    let found = sqlx::query("SELECT 1 FROM listings WHERE id = $1 AND seller_id = $2")
        .bind(listing_id)
        .bind(seller_id)
        .fetch_optional(db)
        .await
        .map_err(|e| ApiError::Internal(format!("looking up listing {listing_id}: {e}")))?;
    match found {
        Some(_) => Ok(()),
        None => Err(not_yours(listing_id)),
    }
}
