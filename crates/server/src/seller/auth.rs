//! `/api/seller/session`: sign in (`POST`), who am I (`GET`), sign out (`DELETE`).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use crossdock_core::time::Instant;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use utoipa::ToSchema;

use super::accounts::{Verdict, check_off_runtime};
use super::session::{self, ABSOLUTE_SECS, SellerSession, check_same_origin};
use super::throttle::{self, ClientAddress};
use crate::api::server_now;
use crate::extract::ApiJson;
use crate::{ApiError, AppState};

/// The longest login (an e-mail address) and password taken.
const MAX_LOGIN: usize = 254;
const MAX_PASSWORD: usize = 1024;

/// A seller's sign-in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    /// The e-mail address the account signs in with (case does not matter).
    #[schema(example = "voltaic@demo.crossdock")]
    pub login: String,
    #[schema(example = "crossdock-demo-voltaic")]
    pub password: String,
}

/// The signed-in seller.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionSeller {
    /// Seller id, e.g. `voltaic`.
    pub id: String,
    /// The shop's name.
    pub name: String,
}

/// A live seller session. The session itself is the `crossdock_session` cookie
/// (HttpOnly), which this body never contains.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    pub seller: SessionSeller,
    /// Send it as the `x-csrf-token` header with every write under `/api/seller/`.
    pub csrf_token: String,
    /// When the session ends unless used again (each use moves it to 12 hours later).
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: Instant,
    /// When the session ends however much it is used (7 days after signing in).
    #[schema(value_type = String, format = DateTime)]
    pub absolute_expires_at: Instant,
}

impl SessionResponse {
    fn of(session: &SellerSession) -> SessionResponse {
        SessionResponse {
            seller: SessionSeller {
                id: session.seller_id.clone(),
                name: session.seller_name.clone(),
            },
            csrf_token: session.csrf.clone(),
            expires_at: session.expires_at,
            absolute_expires_at: session.absolute_expires_at,
        }
    }
}

/// Session answers are private to the browser that asked, and never cached.
const NO_STORE: (header::HeaderName, HeaderValue) =
    (header::CACHE_CONTROL, HeaderValue::from_static("no-store"));

fn wrong() -> ApiError {
    ApiError::Unauthenticated(
        "the login or the password is wrong: check both (the login is your e-mail address)".into(),
    )
}

/// Signs a seller in: sets the session cookie and returns the CSRF token.
#[utoipa::path(
    post,
    path = "/api/seller/session",
    tag = "seller",
    request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in. `Set-Cookie: crossdock_session=…; HttpOnly; SameSite=Strict; Path=/; Max-Age=604800` (+ `Secure` behind TLS) carries the session", body = SessionResponse,
            headers(("set-cookie" = String, description = "The session cookie"))),
        (status = 400, description = "The body is not valid JSON", body = crate::openapi::ErrorResponse),
        (status = 401, description = "The login or the password is wrong (the same answer for both)", body = crate::openapi::ErrorResponse),
        (status = 403, description = "`csrf`: sent from another site; `forbidden`: the account is disabled", body = crate::openapi::ErrorResponse),
        (status = 413, description = "The body is larger than 16 KiB", body = crate::openapi::ErrorResponse),
        (status = 415, description = "The body is not sent as application/json", body = crate::openapi::ErrorResponse),
        (status = 422, description = "A field is missing, empty or too long; `field` names it", body = crate::openapi::ErrorResponse),
        (status = 429, description = "Too many failed sign-ins for this account (5 in 15 minutes) or from this address (20); `Retry-After` says how many seconds to wait", body = crate::openapi::ErrorResponse,
            headers(("retry-after" = u64, description = "Seconds until another attempt is taken"))),
    )
)]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    uri: Uri,
    body: Result<ApiJson<SignInRequest>, ApiError>,
) -> Result<Response, ApiError> {
    check_same_origin(&headers, &uri)?;
    let ApiJson(body) = body?;
    let login = body.login.trim().to_lowercase();
    if login.is_empty() {
        return Err(ApiError::invalid(
            "login",
            "enter the e-mail address you sign in with",
        ));
    }
    if login.chars().count() > MAX_LOGIN {
        return Err(ApiError::invalid(
            "login",
            format!("a login has at most {MAX_LOGIN} characters"),
        ));
    }
    if body.password.is_empty() {
        return Err(ApiError::invalid("password", "enter your password"));
    }
    if body.password.len() > MAX_PASSWORD {
        return Err(ApiError::invalid(
            "password",
            format!("a password has at most {MAX_PASSWORD} bytes"),
        ));
    }
    let now = server_now()?;
    throttle::check(&state.db, &login, &address, now).await?;

    let account = sqlx::query(
        "SELECT a.seller_id, a.password_hash, \
         CASE WHEN a.disabled THEN 1 ELSE 0 END AS disabled, s.name FROM seller_accounts a \
         JOIN sellers s ON s.id = a.seller_id WHERE a.login = $1",
    )
    .bind(&login)
    .fetch_optional(&state.db)
    .await
    .map_err(|e| ApiError::Internal(format!("reading a seller account: {e}")))?;
    let account = account
        .map(
            |row| -> Result<(String, String, bool, String), sqlx::Error> {
                Ok((
                    row.try_get("seller_id")?,
                    row.try_get("password_hash")?,
                    row.try_get::<i64, _>("disabled")? != 0,
                    row.try_get("name")?,
                ))
            },
        )
        .transpose()
        .map_err(|e| ApiError::Internal(format!("reading a seller account: {e}")))?;

    // argon2 takes tens of milliseconds of CPU by design: off the async workers.
    let password = body.password;
    let stored = account.as_ref().map(|(_, hash, _, _)| hash.clone());
    let verdict = check_off_runtime(password, stored)
        .await
        .map_err(|e| ApiError::Internal(format!("checking a password: {e}")))?;

    let (seller_id, name, rehash) = match (verdict, account) {
        (Verdict::Right { rehash }, Some((seller_id, _, disabled, name))) => {
            if disabled {
                return Err(ApiError::Forbidden(
                    "this seller account is disabled: contact the platform's seller support".into(),
                ));
            }
            (seller_id, name, rehash)
        }
        _ => {
            throttle::record_failure(&state.db, &login, &address, now).await?;
            return Err(wrong());
        }
    };
    throttle::reset(&state.db, &login).await?;
    if let Some(hash) = rehash {
        sqlx::query("UPDATE seller_accounts SET password_hash = $1 WHERE seller_id = $2")
            .bind(hash)
            .bind(&seller_id)
            .execute(&state.db)
            .await
            .map_err(|e| ApiError::Internal(format!("upgrading a password hash: {e}")))?;
    }
    let (token, session) = session::create(&state.db, &seller_id, &name, now).await?;
    Ok((
        [
            (
                header::SET_COOKIE,
                session::set_cookie(&headers, &token, ABSOLUTE_SECS),
            ),
            NO_STORE,
        ],
        Json(SessionResponse::of(&session)),
    )
        .into_response())
}

/// Who is signed in: the seller and the session's CSRF token.
#[utoipa::path(
    get,
    path = "/api/seller/session",
    tag = "seller",
    security(("seller_session" = [])),
    responses(
        (status = 200, description = "The signed-in seller", body = SessionResponse),
        (status = 401, description = "Not signed in, signed out or expired (`unauthenticated`); a stale cookie is cleared", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn who_am_i(headers: HeaderMap, session: Result<SellerSession, ApiError>) -> Response {
    match session {
        Ok(session) => ([NO_STORE], Json(SessionResponse::of(&session))).into_response(),
        Err(e) => {
            let mut response = e.into_response();
            if session::cookie_token(&headers).is_some() {
                response
                    .headers_mut()
                    .insert(header::SET_COOKIE, session::clear_cookie(&headers));
            }
            response
        }
    }
}

/// Signs out: the session is revoked in the database and the cookie cleared.
#[utoipa::path(
    delete,
    path = "/api/seller/session",
    tag = "seller",
    security(("seller_session" = [], "csrf_token" = [])),
    responses(
        (status = 204, description = "Signed out; the cookie is cleared (`Max-Age=0`)"),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = crate::openapi::ErrorResponse),
        (status = 403, description = "`csrf`: no `x-csrf-token`, a wrong one, or sent from another site", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: SellerSession,
) -> Result<Response, ApiError> {
    session::revoke(&state.db, &session).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [
            (header::SET_COOKIE, session::clear_cookie(&headers)),
            NO_STORE,
        ],
    )
        .into_response())
}

/// Adds the seller session's two credentials to the OpenAPI document: the
/// `crossdock_session` cookie and the `x-csrf-token` header.
pub struct SessionSecurity;

impl utoipa::Modify for SessionSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "seller_session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                session::COOKIE,
                "The session cookie set by POST /api/seller/session (HttpOnly, SameSite=Strict).",
            ))),
        );
        components.add_security_scheme(
            "csrf_token",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                session::CSRF_HEADER,
                "The session's csrf_token; every write under /api/seller/ needs it.",
            ))),
        );
    }
}
