//! Seller sessions: tokens, the cookie, CSRF, and the [`SellerSession`] extractor.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use crossdock_core::time::Instant;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sqlx::{AnyPool, Row};
use subtle::ConstantTimeEq;

use crate::api::server_now;
use crate::{ApiError, AppState};

/// The session cookie's name.
pub const COOKIE: &str = "crossdock_session";
/// The header every write carries the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// A session ends this long after its last use (12 hours).
pub const IDLE_SECS: i64 = 12 * 3600;
/// A session ends this long after sign-in however much it is used (7 days); also the
/// cookie's `Max-Age`.
pub const ABSOLUTE_SECS: i64 = 7 * 24 * 3600;
/// The idle expiry is moved forward at most this often (a write per request otherwise).
const SLIDE_EVERY_SECS: i64 = 300;
/// A token is 32 random bytes, base64url without padding: 43 characters.
const TOKEN_LEN: usize = 43;
/// What the CSRF token's HMAC signs.
const CSRF_LABEL: &[u8] = b"crossdock seller csrf v1";

/// A signed-in seller, for handlers of `/api/seller/...`. Extracting it answers 401
/// `unauthenticated` without a live session and, for a write (any method but GET, HEAD
/// and OPTIONS), 403 `csrf` without the session's `x-csrf-token` or from another site.
#[derive(Debug, Clone)]
pub struct SellerSession {
    pub seller_id: String,
    /// The shop's name.
    pub seller_name: String,
    /// The session's CSRF token (what writes send as `x-csrf-token`).
    pub csrf: String,
    /// When the session ends unless used (moves forward with use).
    pub expires_at: Instant,
    /// When the session ends whatever happens.
    pub absolute_expires_at: Instant,
    /// SHA-256 of the cookie's token: the row in `seller_sessions`.
    pub(crate) id: String,
}

impl FromRequestParts<AppState> for SellerSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(token) = cookie_token(&parts.headers) else {
            return Err(ApiError::Unauthenticated(
                "sign in first: this needs a seller session (POST /api/seller/session)".into(),
            ));
        };
        let now = server_now()?;
        let Some(session) = load(&state.db, &token, now).await? else {
            return Err(ApiError::Unauthenticated(
                "your session has ended (signed out or expired): sign in again".into(),
            ));
        };
        if !is_read(&parts.method) {
            check_same_origin(&parts.headers, &parts.uri)?;
            check_csrf(&parts.headers, &session.csrf)?;
        }
        touch(&state.db, session, now).await
    }
}

fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A new session token: 256 bits from the operating system, base64url.
pub fn new_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ApiError::Internal(format!("no random bytes from the system: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The row id of a token: lower-case hex SHA-256 (only this is stored).
pub fn session_id(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .fold(String::with_capacity(64), |s, b| s + &format!("{b:02x}"))
}

/// The CSRF token of a session: HMAC-SHA256 keyed with the cookie's token, base64url.
/// Whoever holds the cookie's token can compute it; the database (which holds only the
/// token's SHA-256) cannot, and a page on another site can read neither.
pub fn csrf_token(token: &str) -> String {
    match <Hmac<Sha256> as Mac>::new_from_slice(token.as_bytes()) {
        Ok(mut mac) => {
            mac.update(CSRF_LABEL);
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        }
        // HMAC takes keys of any length; unreachable, and an empty token never matches.
        Err(_) => String::new(),
    }
}

/// The session token from the `Cookie` header(s), when it has a token's shape.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().trim_matches('"'))
        .filter(|value| {
            value.len() == TOKEN_LEN
                && value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_owned)
}

/// Whether cookies get `Secure`: behind a TLS-terminating proxy that says so
/// (`X-Forwarded-Proto: https`), or always with `CROSSDOCK_SECURE_COOKIES=1`.
fn secure(headers: &HeaderMap) -> bool {
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    forwarded_https || std::env::var("CROSSDOCK_SECURE_COOKIES").is_ok_and(|v| v.trim() == "1")
}

/// The `Set-Cookie` value that stores `token` for `max_age_secs` (0 clears it).
pub fn set_cookie(headers: &HeaderMap, token: &str, max_age_secs: i64) -> HeaderValue {
    let secure = if secure(headers) { "; Secure" } else { "" };
    let text = format!(
        "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_secs}{secure}"
    );
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(headers: &HeaderMap) -> HeaderValue {
    set_cookie(headers, "", 0)
}

/// Refuses a request a browser marks as sent by another site: `Sec-Fetch-Site` other than
/// `same-origin`; without `Sec-Fetch-Site` (older browsers), an `Origin` whose host is
/// neither `Host` nor `X-Forwarded-Host`. Clients that send neither (scripts, curl) pass:
/// cross-site requests come from browsers, and browsers send one or the other.
pub fn check_same_origin(headers: &HeaderMap, uri: &axum::http::Uri) -> Result<(), ApiError> {
    let refuse = || {
        ApiError::Csrf(
            "this request comes from another site: seller data can only be changed from the \
             seller panel itself"
                .into(),
        )
    };
    if let Some(site) = headers.get("sec-fetch-site") {
        return if site.as_bytes().eq_ignore_ascii_case(b"same-origin") {
            Ok(())
        } else {
            Err(refuse())
        };
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().map_err(|_| refuse())?.trim();
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or_else(refuse)?;
    let candidates = [
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
        headers
            .get("x-forwarded-host")
            .and_then(|v| v.to_str().ok()),
        uri.authority().map(|a| a.as_str()),
    ];
    let same = candidates
        .iter()
        .flatten()
        .flat_map(|v| v.split(','))
        .any(|host| host.trim().eq_ignore_ascii_case(origin_host));
    if same { Ok(()) } else { Err(refuse()) }
}

/// Checks `x-csrf-token` against the session's token, in constant time.
fn check_csrf(headers: &HeaderMap, expected: &str) -> Result<(), ApiError> {
    let Some(sent) = headers.get(CSRF_HEADER) else {
        return Err(ApiError::Csrf(format!(
            "this change needs the header {CSRF_HEADER} with your session's token (signing in \
             and GET /api/seller/session return it as csrf_token)"
        )));
    };
    let matches: bool = sent.as_bytes().ct_eq(expected.as_bytes()).into();
    if matches && !expected.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Csrf(format!(
            "the {CSRF_HEADER} header does not belong to this session: reload the seller \
             panel (GET /api/seller/session returns the current token)"
        )))
    }
}

fn db_error(what: &str) -> impl Fn(sqlx::Error) -> ApiError + '_ {
    move |e| ApiError::Internal(format!("{what}: {e}"))
}

fn instant(text: &str) -> Result<Instant, ApiError> {
    Instant::parse(text)
        .map_err(|e| ApiError::Internal(format!("bad instant {text:?} in seller_sessions: {e:?}")))
}

/// The live session of `token` at `now`: not revoked, not expired, account enabled.
async fn load(db: &AnyPool, token: &str, now: Instant) -> Result<Option<SellerSession>, ApiError> {
    let id = session_id(token);
    let now_text = now.to_string();
    let row = sqlx::query(
        "SELECT s.seller_id, s.expires_at, s.absolute_expires_at, sel.name \
         FROM seller_sessions s \
         JOIN seller_accounts a ON a.seller_id = s.seller_id \
         JOIN sellers sel ON sel.id = s.seller_id \
         WHERE s.id = $1 AND s.revoked_at IS NULL AND a.disabled = FALSE \
           AND s.expires_at > $2 AND s.absolute_expires_at > $2",
    )
    .bind(&id)
    .bind(&now_text)
    .fetch_optional(db)
    .await
    .map_err(db_error("reading a seller session"))?;
    let Some(row) = row else {
        return Ok(None);
    };
    let get = |name: &str| -> Result<String, ApiError> {
        row.try_get::<String, _>(name)
            .map_err(db_error("reading a seller session"))
    };
    Ok(Some(SellerSession {
        seller_id: get("seller_id")?,
        seller_name: get("name")?,
        csrf: csrf_token(token),
        expires_at: instant(&get("expires_at")?)?,
        absolute_expires_at: instant(&get("absolute_expires_at")?)?,
        id,
    }))
}

/// Moves the idle expiry of a session in use forward (at most every few minutes).
async fn touch(
    db: &AnyPool,
    mut session: SellerSession,
    now: Instant,
) -> Result<SellerSession, ApiError> {
    let next = now
        .add_seconds(IDLE_SECS)
        .map_err(|e| ApiError::Internal(format!("session expiry: {e:?}")))?
        .min(session.absolute_expires_at);
    if next.unix() - session.expires_at.unix() < SLIDE_EVERY_SECS {
        return Ok(session);
    }
    sqlx::query("UPDATE seller_sessions SET expires_at = $1 WHERE id = $2 AND expires_at < $1")
        .bind(next.to_string())
        .bind(&session.id)
        .execute(db)
        .await
        .map_err(db_error("extending a seller session"))?;
    session.expires_at = next;
    Ok(session)
}

/// A new session for `seller_id`: stores its row, returns the token (the cookie's value)
/// and the session.
pub async fn create(
    db: &AnyPool,
    seller_id: &str,
    seller_name: &str,
    now: Instant,
) -> Result<(String, SellerSession), ApiError> {
    let token = new_token()?;
    let id = session_id(&token);
    let later = |secs| {
        now.add_seconds(secs)
            .map_err(|e| ApiError::Internal(format!("session expiry: {e:?}")))
    };
    let expires_at = later(IDLE_SECS)?;
    let absolute_expires_at = later(ABSOLUTE_SECS)?;
    let mut tx = db.begin().await.map_err(db_error("starting a session"))?;
    // Sessions past their expiry are of no use to anyone: clear them out on the way.
    sqlx::query("DELETE FROM seller_sessions WHERE expires_at < $1")
        .bind(now.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_error("deleting ended sessions"))?;
    sqlx::query(
        "INSERT INTO seller_sessions (id, seller_id, created_at, expires_at, absolute_expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(seller_id)
    .bind(now.to_string())
    .bind(expires_at.to_string())
    .bind(absolute_expires_at.to_string())
    .execute(&mut *tx)
    .await
    .map_err(db_error("storing a session"))?;
    tx.commit().await.map_err(db_error("storing a session"))?;
    let session = SellerSession {
        seller_id: seller_id.to_owned(),
        seller_name: seller_name.to_owned(),
        csrf: csrf_token(&token),
        expires_at,
        absolute_expires_at,
        id,
    };
    Ok((token, session))
}

/// Ends a session for good.
pub async fn revoke(db: &AnyPool, session: &SellerSession) -> Result<(), ApiError> {
    sqlx::query("UPDATE seller_sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(server_now()?.to_string())
        .bind(&session.id)
        .execute(db)
        .await
        .map_err(db_error("signing out"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_hash_is_an_id() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), TOKEN_LEN);
        let id = session_id(&a);
        assert_eq!(id.len(), 64);
        assert!(!id.contains(&a));
        assert_ne!(csrf_token(&a), csrf_token(&b));
        assert_ne!(csrf_token(&a), a);
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let token = new_token().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("theme=dark; {COOKIE}={token}; lang=de")).unwrap(),
        );
        assert_eq!(cookie_token(&headers), Some(token));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("crossdock_session=short"),
        );
        assert_eq!(cookie_token(&headers), None);
    }

    #[test]
    fn cross_site_requests_are_refused() {
        let uri: axum::http::Uri = "/api/seller/session".parse().unwrap();
        let check = |pairs: &[(&'static str, &'static str)]| {
            let mut headers = HeaderMap::new();
            for (name, value) in pairs {
                headers.insert(*name, HeaderValue::from_static(value));
            }
            check_same_origin(&headers, &uri).is_ok()
        };
        assert!(check(&[]));
        assert!(check(&[("sec-fetch-site", "same-origin")]));
        assert!(!check(&[("sec-fetch-site", "cross-site")]));
        assert!(!check(&[("sec-fetch-site", "same-site")]));
        assert!(check(&[
            ("host", "shop.example"),
            ("origin", "https://shop.example")
        ]));
        assert!(!check(&[
            ("host", "shop.example"),
            ("origin", "https://evil.example")
        ]));
        assert!(!check(&[("host", "shop.example"), ("origin", "null")]));
        assert!(check(&[
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-host", "shop.example"),
            ("origin", "https://shop.example"),
        ]));
    }
}
