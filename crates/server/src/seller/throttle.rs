//! Sign-in throttling per login and per client address, counted in the database.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use crossdock_core::time::Instant;
use sqlx::{AnyPool, Row};

use crate::ApiError;

/// Failures counted over this window (15 minutes).
pub const WINDOW_SECS: i64 = 15 * 60;
/// Failed sign-ins per login within the window before further attempts are refused.
pub const PER_LOGIN: i64 = 5;
/// Failed sign-ins per client address within the window before further attempts are
/// refused.
pub const PER_ADDRESS: i64 = 20;
/// The header naming the client's address in in-process tests (read only when the
/// request did not come through a socket).
pub const TEST_ADDRESS_HEADER: &str = "x-test-client-address";

/// Who is signing in, as far as throttling is concerned: the TCP peer's IP address (an
/// IPv6 client's /64 network, which one subscriber usually holds whole), or "unknown".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let ip = match parts.extensions.get::<ConnectInfo<SocketAddr>>() {
            Some(ConnectInfo(peer)) => Some(peer.ip()),
            // In-process (tests): no socket, so the test says who it is.
            None => parts
                .headers
                .get(TEST_ADDRESS_HEADER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<IpAddr>().ok()),
        };
        Ok(ClientAddress(
            ip.map_or_else(|| "unknown".into(), address_key),
        ))
    }
}

/// The throttling key of an IP address.
fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let [a, b, c, d, ..] = s;
                format!("{a:x}:{b:x}:{c:x}:{d:x}::/64")
            }
        },
    }
}

fn db_error(e: sqlx::Error) -> ApiError {
    ApiError::Internal(format!("sign-in throttling: {e}"))
}

fn window_start(now: Instant) -> Result<String, ApiError> {
    now.add_seconds(-WINDOW_SECS)
        .map(|t| t.to_string())
        .map_err(|e| ApiError::Internal(format!("throttling window: {e:?}")))
}

/// Refuses the attempt (429 with `Retry-After`) when `login` or `address` has too many
/// recent failures.
pub async fn check(db: &AnyPool, login: &str, address: &str, now: Instant) -> Result<(), ApiError> {
    let since = window_start(now)?;
    for (column, key, limit, whose) in [
        ("login", login, PER_LOGIN, "for this account"),
        ("address", address, PER_ADDRESS, "from your network address"),
    ] {
        // The failure whose leaving the window brings the count under the limit: the
        // `limit`-th most recent. None while there are fewer than `limit`.
        let sql = format!(
            "SELECT attempted_at FROM login_attempts WHERE {column} = $1 AND attempted_at > $2 \
             ORDER BY attempted_at DESC LIMIT 1 OFFSET $3"
        );
        let row = sqlx::query(&sql)
            .bind(key)
            .bind(&since)
            .bind(limit - 1)
            .fetch_optional(db)
            .await
            .map_err(db_error)?;
        if let Some(row) = row {
            let at: String = row.try_get("attempted_at").map_err(db_error)?;
            let at = Instant::parse(&at)
                .map_err(|e| ApiError::Internal(format!("bad instant {at:?}: {e:?}")))?;
            let wait = (at.unix() + WINDOW_SECS - now.unix()).max(1);
            let minutes = (wait + 59) / 60;
            let plural = if minutes == 1 { "" } else { "s" };
            return Err(ApiError::TooManyRequests {
                message: format!(
                    "too many failed sign-ins {whose}: wait {minutes} minute{plural} and try \
                     again (or reset the password with the platform)"
                ),
                retry_after_secs: u64::try_from(wait).unwrap_or(1),
            });
        }
    }
    Ok(())
}

/// Records a failed sign-in, and forgets failures older than the window.
pub async fn record_failure(
    db: &AnyPool,
    login: &str,
    address: &str,
    now: Instant,
) -> Result<(), ApiError> {
    let since = window_start(now)?;
    let mut tx = db.begin().await.map_err(db_error)?;
    sqlx::query("DELETE FROM login_attempts WHERE attempted_at <= $1")
        .bind(&since)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    sqlx::query("INSERT INTO login_attempts (login, address, attempted_at) VALUES ($1, $2, $3)")
        .bind(login)
        .bind(address)
        .bind(now.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
    tx.commit().await.map_err(db_error)
}

/// A successful sign-in: the login's failures no longer count.
pub async fn reset(db: &AnyPool, login: &str) -> Result<(), ApiError> {
    sqlx::query("DELETE FROM login_attempts WHERE login = $1")
        .bind(login)
        .execute(db)
        .await
        .map_err(db_error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_keyed_by_host_or_ipv6_network() {
        let key = |s: &str| address_key(s.parse().unwrap());
        assert_eq!(key("203.0.113.7"), "203.0.113.7");
        assert_eq!(key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(key("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:ffff::1"), "2001:db8:1:2::/64");
    }
}
