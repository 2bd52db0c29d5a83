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

/// Who is signing in, as far as throttling is concerned: the client's IP address (an
/// IPv6 client's /64 network, which one subscriber usually holds whole), or "unknown".
/// The client is the TCP peer, unless the peer is one of the [`TrustedProxies`] the
/// request carries as an extension: then it is the address that proxy (and any trusted
/// proxy before it) says it forwarded for in `X-Forwarded-For` ([`client_ip`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let peer = match parts.extensions.get::<ConnectInfo<SocketAddr>>() {
            Some(ConnectInfo(peer)) => Some(peer.ip()),
            // In-process (tests): no socket, so the test says who it is.
            None => parts
                .headers
                .get(TEST_ADDRESS_HEADER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<IpAddr>().ok()),
        };
        let ip = peer.map(|peer| match parts.extensions.get::<TrustedProxies>() {
            Some(trusted) => client_ip(peer, &parts.headers, trusted),
            None => peer,
        });
        Ok(ClientAddress(
            ip.map_or_else(|| "unknown".into(), address_key),
        ))
    }
}

/// The reverse proxies whose `X-Forwarded-For` is believed (`--trusted-proxies`, env
/// `CROSSDOCK_TRUSTED_PROXIES`): addresses and networks such as `127.0.0.1`,
/// `10.0.0.0/8` or `fd00::/8`. Empty (the default): no one's, so a client cannot name
/// another address to dodge the per-address limit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// Reads a list separated by commas or spaces; the message names the entry that is
    /// neither an address nor a network.
    pub fn parse(text: &str) -> Result<TrustedProxies, String> {
        let mut nets = Vec::new();
        for entry in text
            .split([',', ' '])
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            let (addr, bits) = match entry.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (entry, None),
            };
            let ip: IpAddr = addr.parse().map_err(|_| {
                format!("\"{entry}\" is not an IP address or network (e.g. 10.0.0.5, 10.0.0.0/8, fd00::/8)")
            })?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let bits =
                match bits {
                    None => max,
                    Some(b) => b.parse::<u8>().ok().filter(|b| *b <= max).ok_or_else(|| {
                        format!("\"{entry}\": the prefix length must be 0 to {max}")
                    })?,
                };
            nets.push((ip, bits));
        }
        Ok(TrustedProxies(nets))
    }

    /// Whether `ip` is one of the proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0
            .iter()
            .any(|(net, bits)| match (canonical(*net), ip) {
                (IpAddr::V4(n), IpAddr::V4(a)) => prefix_eq(&n.octets(), &a.octets(), *bits),
                (IpAddr::V6(n), IpAddr::V6(a)) => prefix_eq(&n.octets(), &a.octets(), *bits),
                _ => false,
            })
    }
}

/// An IPv4 address written as IPv6 (`::ffff:10.0.0.5`, how a dual-stack socket reports
/// IPv4 peers) as plain IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Whether the first `bits` bits of `a` and `b` are equal.
fn prefix_eq(a: &[u8], b: &[u8], bits: u8) -> bool {
    let bits = usize::from(bits);
    let (whole, rest) = (bits / 8, bits % 8);
    if a.get(..whole) != b.get(..whole) {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    match (a.get(whole), b.get(whole)) {
        (Some(x), Some(y)) => x & mask == y & mask,
        _ => false,
    }
}

/// The client behind `peer`: `peer` itself unless it is a trusted proxy; then, reading
/// `X-Forwarded-For` from the right (each proxy appends the address it received the
/// request from), the first address that is not a trusted proxy. Entries left of that
/// one are the client's own word and are never believed. A malformed entry stops the walk
/// at the last address a trusted proxy vouched for.
pub fn client_ip(
    peer: IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &TrustedProxies,
) -> IpAddr {
    if !trusted.contains(peer) {
        return peer;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for entry in forwarded.iter().rev() {
        let Ok(ip) = entry.parse::<IpAddr>() else {
            break;
        };
        client = ip;
        if !trusted.contains(ip) {
            break;
        }
    }
    client
}

/// The throttling key of an IP address.
fn address_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let [a, b, c, d, ..] = v6.segments();
            format!("{a:x}:{b:x}:{c:x}:{d:x}::/64")
        }
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

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn forwarded(values: &[&str]) -> axum::http::HeaderMap {
        let mut headers = axum::http::HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", v.parse().unwrap());
        }
        headers
    }

    #[test]
    fn trusted_proxies_are_addresses_and_networks() {
        let t = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8 fd00::/8").unwrap();
        assert!(t.contains(ip("127.0.0.1")));
        assert!(!t.contains(ip("127.0.0.2")));
        assert!(t.contains(ip("10.200.3.4")));
        assert!(t.contains(ip("::ffff:10.1.1.1")));
        assert!(!t.contains(ip("11.0.0.1")));
        assert!(t.contains(ip("fd12::1")));
        assert!(!t.contains(ip("fe80::1")));
        let odd = TrustedProxies::parse("192.168.1.0/25").unwrap();
        assert!(odd.contains(ip("192.168.1.127")));
        assert!(!odd.contains(ip("192.168.1.128")));
        assert_eq!(TrustedProxies::parse(""), Ok(TrustedProxies::default()));
        assert_eq!(TrustedProxies::parse(" , "), Ok(TrustedProxies::default()));
        assert!(
            TrustedProxies::parse("0.0.0.0/0")
                .unwrap()
                .contains(ip("8.8.8.8"))
        );
        for (bad, says) in [
            ("proxy.internal", "\"proxy.internal\" is not an IP address"),
            ("10.0.0.0/33", "prefix length must be 0 to 32"),
            ("fd00::/129", "prefix length must be 0 to 128"),
            ("10.0.0.0/x", "prefix length"),
        ] {
            let message = TrustedProxies::parse(bad).unwrap_err();
            assert!(message.contains(says), "{bad}: {message}");
        }
    }

    #[test]
    fn the_client_is_the_first_untrusted_address_from_the_right() {
        let t = TrustedProxies::parse("127.0.0.1,10.0.0.0/8").unwrap();
        let client = |peer: &str, xff: &[&str]| client_ip(ip(peer), &forwarded(xff), &t);
        // Straight from a client: its own header is not believed.
        assert_eq!(client("203.0.113.7", &["198.51.100.1"]), ip("203.0.113.7"));
        // Through the proxy: the address it received the request from.
        assert_eq!(client("127.0.0.1", &["203.0.113.7"]), ip("203.0.113.7"));
        // A client naming someone else first: the proxy's entry, on the right, counts.
        assert_eq!(
            client("127.0.0.1", &["198.51.100.1, 203.0.113.7"]),
            ip("203.0.113.7")
        );
        // Two trusted proxies, headers split over lines.
        assert_eq!(
            client("127.0.0.1", &["198.51.100.1, 203.0.113.7", "10.0.0.9"]),
            ip("203.0.113.7")
        );
        // No header, or a malformed entry from the proxy: the last address vouched for.
        assert_eq!(client("127.0.0.1", &[]), ip("127.0.0.1"));
        assert_eq!(client("127.0.0.1", &["203.0.113.7, junk"]), ip("127.0.0.1"));
        assert_eq!(client("127.0.0.1", &["junk, 10.0.0.9"]), ip("10.0.0.9"));
    }
}
