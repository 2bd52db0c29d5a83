//! Seller accounts and sessions (`/api/seller/session`): demo sign-in, the cookie, CSRF,
//! throttling, expiry, sign-out, and that all of it lives in the database.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use axum::body::Body;
use axum::http::{Request, Response};
use common::{Fixture, NETWORK, SignedIn, header};
use crossdock_server::{
    ApiError, AppState, demo_login, demo_password, demo_seller_logins, load_network,
    require_owned_listing, seed_demo_accounts,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const SESSION: &str = "/api/seller/session";

/// POST a sign-in from `address` (the in-process stand-in for the socket's peer).
async fn sign_in_from(
    fx: &Fixture,
    address: &str,
    login: &str,
    password: &str,
) -> (Response<Body>, Value) {
    let request = Request::post(SESSION)
        .header("content-type", "application/json")
        .header("x-test-client-address", address)
        .body(Body::from(
            json!({"login": login, "password": password}).to_string(),
        ))
        .unwrap();
    let (response, bytes) = fx.send(request).await;
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (response, body)
}

async fn attempt(fx: &Fixture, address: &str, login: &str, password: &str) -> u16 {
    sign_in_from(fx, address, login, password)
        .await
        .0
        .status()
        .as_u16()
}

/// GET the session with `cookie` (or none).
async fn who_am_i(fx: &Fixture, cookie: Option<&str>) -> (Response<Body>, Value) {
    let mut request = Request::get(SESSION);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let (response, bytes) = fx.send(request.body(Body::empty()).unwrap()).await;
    (
        response,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// DELETE the session with these headers.
async fn sign_out(fx: &Fixture, headers: &[(&str, &str)]) -> (Response<Body>, Value) {
    let mut request = Request::delete(SESSION);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let (response, bytes) = fx.send(request.body(Body::empty()).unwrap()).await;
    (
        response,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn unix(text: &Value) -> i64 {
    crossdock_core::Instant::parse(text.as_str().unwrap())
        .unwrap()
        .unix()
}

fn token(who: &SignedIn) -> &str {
    who.cookie.strip_prefix("crossdock_session=").unwrap()
}

fn session_row_id(who: &SignedIn) -> String {
    Sha256::digest(token(who).as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn assert_error(body: &Value, code: &str) {
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        !body["error"]["message"].as_str().unwrap().is_empty(),
        "{body}"
    );
    assert!(body["error"].as_object().unwrap().contains_key("field"));
}

#[tokio::test]
async fn every_demo_seller_signs_in_with_the_documented_credentials() {
    let fx = Fixture::with_sellers().await;
    let demo = demo_seller_logins(&fx.state.db).await.unwrap();
    assert_eq!(demo.len(), 12);
    let voltaic = demo.iter().find(|d| d.seller_id == "voltaic").unwrap();
    assert_eq!(voltaic.login, "voltaic@demo.crossdock");
    assert_eq!(voltaic.password, "crossdock-demo-voltaic");
    for d in &demo {
        let (response, body) = sign_in_from(&fx, "192.0.2.1", &d.login, &d.password).await;
        assert_eq!(response.status(), 200, "{} {body}", d.login);
        assert_eq!(header(&response, "cache-control"), "no-store");
        assert_eq!(body["seller"], json!({"id": d.seller_id, "name": d.name}));
        let csrf = body["csrf_token"].as_str().unwrap();
        assert!(csrf.len() >= 40, "{csrf}");
        let now = now_unix();
        let idle = unix(&body["expires_at"]) - now;
        let absolute = unix(&body["absolute_expires_at"]) - now;
        assert!((12 * 3600 - 60..=12 * 3600).contains(&idle), "{idle}");
        assert!(
            (7 * 86400 - 60..=7 * 86400).contains(&absolute),
            "{absolute}"
        );
        // The body has the seller, the CSRF token and the expiries: no hash, no token.
        let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["absolute_expires_at", "csrf_token", "expires_at", "seller"]
        );
        let text = body.to_string();
        let cookie = header(&response, "set-cookie");
        let token = cookie
            .strip_prefix("crossdock_session=")
            .unwrap()
            .split(';')
            .next()
            .unwrap();
        assert!(!text.contains(token), "{text}");
        assert!(!text.contains("argon2"), "{text}");
    }
    // Case and surrounding spaces in the login do not matter.
    let status = attempt(
        &fx,
        "192.0.2.1",
        "  Voltaic@DEMO.Crossdock ",
        "crossdock-demo-voltaic",
    )
    .await;
    assert_eq!(status, 200);
    // Seeding again creates nothing.
    assert_eq!(seed_demo_accounts(&fx.state.db).await.unwrap(), 0);
    // The public seller page says nothing about the account.
    let (_, page) = fx.get("/api/sellers/voltaic").await;
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("\"id\":\"voltaic\""), "{page}");
    assert!(!page.contains("demo.crossdock") && !page.contains("argon2"));
}

#[tokio::test]
async fn the_database_holds_only_a_hash_of_the_token_and_of_the_password() {
    let fx = Fixture::with_sellers().await;
    let who = fx.sign_in("lumora").await;
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, seller_id FROM seller_sessions")
        .fetch_all(&fx.state.db)
        .await
        .unwrap();
    assert_eq!(rows, vec![(session_row_id(&who), "lumora".to_owned())]);
    let dump: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, created_at || expires_at || absolute_expires_at, seller_id \
         FROM seller_sessions",
    )
    .fetch_all(&fx.state.db)
    .await
    .unwrap();
    let dump = format!("{dump:?}");
    assert!(!dump.contains(token(&who)), "{dump}");
    assert!(!dump.contains(&who.csrf), "{dump}");
    let (hash,): (String,) =
        sqlx::query_as("SELECT password_hash FROM seller_accounts WHERE seller_id = 'lumora'")
            .fetch_one(&fx.state.db)
            .await
            .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
    assert!(!hash.contains("crossdock-demo-lumora"));
}

#[tokio::test]
async fn the_session_cookie_is_httponly_samesite_strict_and_secure_behind_tls() {
    let fx = Fixture::with_sellers().await;
    let body = json!({"login": demo_login("oakline"), "password": demo_password("oakline")});
    let post = |proto: Option<&str>| {
        let mut request = Request::post(SESSION).header("content-type", "application/json");
        if let Some(proto) = proto {
            request = request.header("x-forwarded-proto", proto);
        }
        request.body(Body::from(body.to_string())).unwrap()
    };
    let (plain, _) = fx.send(post(None)).await;
    let cookie = header(&plain, "set-cookie");
    let attributes: Vec<&str> = cookie.split("; ").collect();
    assert!(attributes[0].starts_with("crossdock_session="), "{cookie}");
    // 256 random bits, base64url.
    assert_eq!(
        attributes[0].len() - "crossdock_session=".len(),
        43,
        "{cookie}"
    );
    assert_eq!(
        attributes[1..],
        ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=604800"]
    );
    let (tls, _) = fx.send(post(Some("https"))).await;
    let cookie = header(&tls, "set-cookie");
    assert!(cookie.ends_with("; Max-Age=604800; Secure"), "{cookie}");
    assert!(
        cookie.contains("; HttpOnly; SameSite=Strict; Path=/;"),
        "{cookie}"
    );
    // Every sign-in gets its own token.
    assert_ne!(
        header(&plain, "set-cookie").split(';').next(),
        cookie.split(';').next()
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_login_get_the_same_answer() {
    let fx = Fixture::with_sellers().await;
    let (wrong, wrong_body) = sign_in_from(
        &fx,
        "192.0.2.2",
        "voltaic@demo.crossdock",
        "crossdock-demo-x",
    )
    .await;
    let (unknown, unknown_body) = sign_in_from(
        &fx,
        "192.0.2.2",
        "nobody@demo.crossdock",
        "crossdock-demo-x",
    )
    .await;
    // Another seller's password is just as wrong.
    let (other, other_body) = sign_in_from(
        &fx,
        "192.0.2.2",
        "voltaic@demo.crossdock",
        "crossdock-demo-lumora",
    )
    .await;
    for (response, body) in [
        (&wrong, &wrong_body),
        (&unknown, &unknown_body),
        (&other, &other_body),
    ] {
        assert_eq!(response.status(), 401, "{body}");
        assert_error(body, "unauthenticated");
        assert_eq!(header(response, "set-cookie"), "");
    }
    assert_eq!(wrong_body, unknown_body);
    assert_eq!(wrong_body, other_body);
    assert!(
        wrong_body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("the login or the password is wrong")
    );
}

#[tokio::test]
async fn who_am_i_answers_with_a_live_cookie_and_401_without() {
    let fx = Fixture::with_sellers().await;
    let (response, body) = who_am_i(&fx, None).await;
    assert_eq!(response.status(), 401);
    assert_error(&body, "unauthenticated");
    assert_eq!(header(&response, "set-cookie"), "");

    // A cookie no session has: 401, and the browser is told to drop it.
    let forged = format!("crossdock_session={}", "A".repeat(43));
    let (response, body) = who_am_i(&fx, Some(&forged)).await;
    assert_eq!(response.status(), 401);
    assert_error(&body, "unauthenticated");
    assert!(
        header(&response, "set-cookie").contains("Max-Age=0"),
        "{:?}",
        response.headers()
    );

    let who = fx.sign_in("voltaic").await;
    let (response, body) = who_am_i(&fx, Some(&format!("theme=dark; {}", who.cookie))).await;
    assert_eq!(response.status(), 200, "{body}");
    assert_eq!(header(&response, "cache-control"), "no-store");
    assert_eq!(body["seller"]["id"], "voltaic");
    assert_eq!(body["seller"]["name"], who.body["seller"]["name"]);
    assert_eq!(body["csrf_token"], who.csrf.as_str());
    assert_eq!(body["absolute_expires_at"], who.body["absolute_expires_at"]);
}

#[tokio::test]
async fn signing_out_revokes_the_session_and_clears_the_cookie() {
    let fx = Fixture::with_sellers().await;
    let who = fx.sign_in("kitchenwell").await;
    let (response, body) =
        sign_out(&fx, &[("cookie", &who.cookie), ("x-csrf-token", &who.csrf)]).await;
    assert_eq!(response.status(), 204, "{body}");
    let cleared = header(&response, "set-cookie");
    assert!(cleared.starts_with("crossdock_session=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    // The old cookie no longer works, for reading or for signing out again.
    let (response, body) = who_am_i(&fx, Some(&who.cookie)).await;
    assert_eq!(response.status(), 401);
    assert_error(&body, "unauthenticated");
    let (response, _) =
        sign_out(&fx, &[("cookie", &who.cookie), ("x-csrf-token", &who.csrf)]).await;
    assert_eq!(response.status(), 401);
    let (revoked,): (Option<String>,) =
        sqlx::query_as("SELECT revoked_at FROM seller_sessions WHERE id = $1")
            .bind(session_row_id(&who))
            .fetch_one(&fx.state.db)
            .await
            .unwrap();
    assert!(revoked.is_some());
}

#[tokio::test]
async fn an_expired_session_gets_401() {
    let fx = Fixture::with_sellers().await;
    // Idle for too long.
    let idle = fx.sign_in("voltaic").await;
    sqlx::query(
        "UPDATE seller_sessions SET created_at = '2026-01-01T00:00:00Z', \
         expires_at = '2026-01-01T12:00:00Z' WHERE id = $1",
    )
    .bind(session_row_id(&idle))
    .execute(&fx.state.db)
    .await
    .unwrap();
    let (response, body) = who_am_i(&fx, Some(&idle.cookie)).await;
    assert_eq!(response.status(), 401, "{body}");
    assert_error(&body, "unauthenticated");

    // Used until the end, but 7 days are over (the idle expiry never passes the
    // absolute one: the table's CHECK holds it).
    let old = fx.sign_in("voltaic").await;
    sqlx::query(
        "UPDATE seller_sessions SET created_at = '2026-01-01T00:00:00Z', \
         expires_at = '2026-01-08T00:00:00Z', absolute_expires_at = '2026-01-08T00:00:00Z' \
         WHERE id = $1",
    )
    .bind(session_row_id(&old))
    .execute(&fx.state.db)
    .await
    .unwrap();
    let (response, _) = who_am_i(&fx, Some(&old.cookie)).await;
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn a_session_in_use_is_extended_but_never_past_its_absolute_expiry() {
    let fx = Fixture::with_sellers().await;
    let who = fx.sign_in("voltaic").await;
    let id = session_row_id(&who);
    let at = |secs: i64| {
        crossdock_core::Instant::from_unix(now_unix() + secs)
            .unwrap()
            .to_string()
    };
    // Last used 11 hours ago: one hour left, and this use gives it 12 again.
    sqlx::query("UPDATE seller_sessions SET expires_at = $1 WHERE id = $2")
        .bind(at(3600))
        .bind(&id)
        .execute(&fx.state.db)
        .await
        .unwrap();
    let (_, body) = who_am_i(&fx, Some(&who.cookie)).await;
    let left = unix(&body["expires_at"]) - now_unix();
    assert!((12 * 3600 - 60..=12 * 3600).contains(&left), "{left}");
    let (stored,): (String,) =
        sqlx::query_as("SELECT expires_at FROM seller_sessions WHERE id = $1")
            .bind(&id)
            .fetch_one(&fx.state.db)
            .await
            .unwrap();
    assert_eq!(Value::String(stored), body["expires_at"]);

    // Two hours before the absolute expiry, a use extends it to that and no further.
    sqlx::query(
        "UPDATE seller_sessions SET expires_at = $1, absolute_expires_at = $2 WHERE id = $3",
    )
    .bind(at(600))
    .bind(at(7200))
    .bind(&id)
    .execute(&fx.state.db)
    .await
    .unwrap();
    let (_, body) = who_am_i(&fx, Some(&who.cookie)).await;
    assert_eq!(body["expires_at"], body["absolute_expires_at"]);
}

#[tokio::test]
async fn writes_need_the_csrf_token_and_must_come_from_the_same_site() {
    let fx = Fixture::with_sellers().await;
    let who = fx.sign_in("voltaic").await;
    let other = fx.sign_in("voltaic").await;

    // Anonymous: 401 before anything else.
    let (response, body) = sign_out(&fx, &[("x-csrf-token", &who.csrf)]).await;
    assert_eq!(response.status(), 401);
    assert_error(&body, "unauthenticated");

    let cookie = ("cookie", who.cookie.as_str());
    let token = ("x-csrf-token", who.csrf.as_str());
    let refused: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("no token", vec![cookie]),
        ("a wrong token", vec![cookie, ("x-csrf-token", "nope")]),
        ("an empty token", vec![cookie, ("x-csrf-token", "")]),
        (
            "another session's token",
            vec![cookie, ("x-csrf-token", other.csrf.as_str())],
        ),
        (
            "a cross-site Origin",
            vec![
                cookie,
                token,
                ("host", "shop.example"),
                ("origin", "https://evil.example"),
            ],
        ),
        (
            "Origin null",
            vec![cookie, token, ("host", "shop.example"), ("origin", "null")],
        ),
        (
            "Sec-Fetch-Site cross-site",
            vec![cookie, token, ("sec-fetch-site", "cross-site")],
        ),
        (
            "Sec-Fetch-Site same-site",
            vec![cookie, token, ("sec-fetch-site", "same-site")],
        ),
    ];
    for (case, headers) in &refused {
        let (response, body) = sign_out(&fx, headers).await;
        assert_eq!(response.status(), 403, "{case}: {body}");
        assert_error(&body, "csrf");
        assert_eq!(header(&response, "set-cookie"), "", "{case}");
    }
    // None of that signed the seller out.
    let (response, _) = who_am_i(&fx, Some(&who.cookie)).await;
    assert_eq!(response.status(), 200);

    // From the same origin, with the token: done.
    let (response, body) = sign_out(
        &fx,
        &[
            cookie,
            token,
            ("host", "shop.example"),
            ("origin", "https://shop.example"),
            ("sec-fetch-site", "same-origin"),
        ],
    )
    .await;
    assert_eq!(response.status(), 204, "{body}");
}

#[tokio::test]
async fn signing_in_from_another_site_is_refused() {
    let fx = Fixture::with_sellers().await;
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let request = Request::post(SESSION)
            .header("content-type", "application/json")
            .header("host", "shop.example")
            .header(name, value)
            .body(Body::from(
                json!({"login": demo_login("voltaic"), "password": demo_password("voltaic")})
                    .to_string(),
            ))
            .unwrap();
        let (response, bytes) = fx.send(request).await;
        assert_eq!(response.status(), 403);
        assert_eq!(header(&response, "set-cookie"), "");
        assert_error(&serde_json::from_slice(&bytes).unwrap(), "csrf");
    }
}

#[tokio::test]
async fn the_sixth_failure_for_an_account_within_15_minutes_gets_429() {
    let fx = Fixture::with_sellers().await;
    let login = demo_login("voltaic");
    for i in 1..=5 {
        let status = attempt(&fx, &format!("192.0.2.{i}"), &login, "guess").await;
        assert_eq!(status, 401, "failure {i}");
    }
    let (response, body) = sign_in_from(&fx, "192.0.2.9", &login, "guess").await;
    assert_eq!(response.status(), 429, "{body}");
    assert_error(&body, "too_many_requests");
    let wait: u64 = header(&response, "retry-after").parse().unwrap();
    assert!((840..=900).contains(&wait), "{wait}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("too many failed sign-ins for this account"),
        "{message}"
    );
    assert!(message.contains("15 minutes"), "{message}");
    // Locked: even the right password waits (from anywhere), and nothing is checked.
    let status = attempt(&fx, "198.51.100.1", &login, &demo_password("voltaic")).await;
    assert_eq!(status, 429);
    // Other accounts are not affected.
    assert_eq!(
        attempt(
            &fx,
            "192.0.2.9",
            &demo_login("lumora"),
            &demo_password("lumora")
        )
        .await,
        200
    );
    // An unknown login is throttled the same way, so throttling tells nothing either.
    for _ in 0..5 {
        assert_eq!(
            attempt(&fx, "192.0.2.10", "nobody@demo.crossdock", "x").await,
            401
        );
    }
    assert_eq!(
        attempt(&fx, "192.0.2.10", "nobody@demo.crossdock", "x").await,
        429
    );
}

#[tokio::test]
async fn failures_older_than_the_window_no_longer_count() {
    let fx = Fixture::with_sellers().await;
    let login = demo_login("voltaic");
    for _ in 0..5 {
        assert_eq!(attempt(&fx, "192.0.2.1", &login, "guess").await, 401);
    }
    assert_eq!(attempt(&fx, "192.0.2.1", &login, "guess").await, 429);
    let sixteen_minutes_ago = crossdock_core::Instant::from_unix(now_unix() - 16 * 60)
        .unwrap()
        .to_string();
    sqlx::query("UPDATE login_attempts SET attempted_at = $1")
        .bind(sixteen_minutes_ago)
        .execute(&fx.state.db)
        .await
        .unwrap();
    assert_eq!(
        attempt(&fx, "192.0.2.1", &login, &demo_password("voltaic")).await,
        200
    );
}

#[tokio::test]
async fn the_21st_failure_from_one_address_gets_429() {
    let fx = Fixture::with_sellers().await;
    let address = "203.0.113.7";
    // 16 failures on 4 accounts and 4 on unknown logins: no account is locked, the
    // address is.
    for seller in ["voltaic", "lumora", "oakline", "kitchenwell"] {
        for _ in 0..4 {
            assert_eq!(
                attempt(&fx, address, &demo_login(seller), "guess").await,
                401
            );
        }
    }
    for i in 0..4 {
        assert_eq!(
            attempt(&fx, address, &format!("nobody{i}@demo.crossdock"), "guess").await,
            401
        );
    }
    let (response, body) = sign_in_from(
        &fx,
        address,
        &demo_login("northpeak"),
        &demo_password("northpeak"),
    )
    .await;
    assert_eq!(response.status(), 429, "{body}");
    assert_error(&body, "too_many_requests");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("from your network address"),
        "{body}"
    );
    assert!(header(&response, "retry-after").parse::<u64>().unwrap() > 0);
    // Another address signs in to the same account; an IPv6 neighbour in the same /64
    // counts as the same client.
    assert_eq!(
        attempt(
            &fx,
            "198.51.100.1",
            &demo_login("northpeak"),
            &demo_password("northpeak")
        )
        .await,
        200
    );
    for i in 0..20 {
        let address = format!("2001:db8:7:7::{i:x}");
        assert_eq!(
            attempt(&fx, &address, &format!("v6-{i}@x"), "guess").await,
            401
        );
    }
    assert_eq!(
        attempt(
            &fx,
            "2001:db8:7:7:ffff::1",
            &demo_login("lumora"),
            &demo_password("lumora")
        )
        .await,
        429
    );
}

/// Behind a reverse proxy named with `--trusted-proxies` (main.rs adds it as this layer),
/// each client is counted by the address the proxy forwarded for, and a client's own
/// `X-Forwarded-For` is believed from no one else.
#[tokio::test]
async fn behind_a_trusted_proxy_each_client_counts_by_its_forwarded_address() {
    use tower::ServiceExt;
    let fx = Fixture::with_sellers().await;
    let trusted = crossdock_server::TrustedProxies::parse("127.0.0.1").unwrap();
    let through = |peer: &str, forwarded: &str, login: &str, password: &str| {
        let request = Request::post(SESSION)
            .header("content-type", "application/json")
            .header("x-test-client-address", peer)
            .header("x-forwarded-for", forwarded)
            .body(Body::from(
                json!({"login": login, "password": password}).to_string(),
            ))
            .unwrap();
        let app = crossdock_server::app(fx.state.clone()).layer(axum::Extension(trusted.clone()));
        async move { app.oneshot(request).await.unwrap().status().as_u16() }
    };
    // 20 failures from one client through the proxy lock that client out…
    for i in 0..20 {
        let login = format!("nobody{i}@demo.crossdock");
        assert_eq!(
            through("127.0.0.1", "203.0.113.7", &login, "guess").await,
            401
        );
    }
    let (northpeak, password) = (demo_login("northpeak"), demo_password("northpeak"));
    assert_eq!(
        through("127.0.0.1", "203.0.113.7", &northpeak, &password).await,
        429
    );
    // …not the proxy's other clients, nor the proxy's own address.
    assert_eq!(
        through("127.0.0.1", "198.51.100.1", &northpeak, &password).await,
        200
    );
    // A client that names another address before the proxy's entry is still itself.
    assert_eq!(
        through(
            "127.0.0.1",
            "198.51.100.1, 203.0.113.7",
            &northpeak,
            &password
        )
        .await,
        429
    );
    // Not through the proxy: the header is the client's word, and the peer is counted.
    for i in 0..20 {
        let login = format!("direct{i}@demo.crossdock");
        assert_eq!(
            through("192.0.2.50", "198.51.100.99", &login, "guess").await,
            401
        );
    }
    assert_eq!(
        through("192.0.2.50", "198.51.100.2", &northpeak, &password).await,
        429
    );
    assert_eq!(
        through("127.0.0.1", "198.51.100.99", &northpeak, &password).await,
        200
    );
}

#[tokio::test]
async fn a_successful_sign_in_resets_the_accounts_failures() {
    let fx = Fixture::with_sellers().await;
    let login = demo_login("oakline");
    let password = demo_password("oakline");
    for round in 0..3 {
        for i in 0..4 {
            assert_eq!(
                attempt(&fx, "192.0.2.1", &login, "guess").await,
                401,
                "round {round}, failure {i}"
            );
        }
        // Without the reset the second round's failures would reach the limit.
        assert_eq!(attempt(&fx, "192.0.2.1", &login, &password).await, 200);
        let (left,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM login_attempts WHERE login = $1")
                .bind(&login)
                .fetch_one(&fx.state.db)
                .await
                .unwrap();
        assert_eq!(left, 0);
    }
}

#[tokio::test]
async fn two_sessions_of_one_seller_are_independent() {
    let fx = Fixture::with_sellers().await;
    let phone = fx.sign_in("jadeleaf").await;
    let laptop = fx.sign_in("jadeleaf").await;
    assert_ne!(phone.cookie, laptop.cookie);
    assert_ne!(phone.csrf, laptop.csrf);
    // One session's token does not sign the other out.
    let (status, body) = fx
        .as_seller(
            &SignedIn {
                cookie: laptop.cookie.clone(),
                csrf: phone.csrf.clone(),
                body: Value::Null,
            },
            "DELETE",
            SESSION,
            None,
        )
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, _) = fx.as_seller(&phone, "DELETE", SESSION, None).await;
    assert_eq!(status, 204);
    assert_eq!(who_am_i(&fx, Some(&phone.cookie)).await.0.status(), 401);
    let (response, body) = who_am_i(&fx, Some(&laptop.cookie)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(body["seller"]["id"], "jadeleaf");
    assert_eq!(body["csrf_token"], laptop.csrf.as_str());
}

#[tokio::test]
async fn the_session_lives_in_the_database_not_in_the_process() {
    let fx = Fixture::with_sellers().await;
    let who = fx.sign_in("bloomskin").await;
    // A second server on the same database: a fresh state, a fresh pool.
    let network = load_network(Path::new(NETWORK)).unwrap();
    let db = fx.reopen().await;
    let state = AppState::new(network, fx.dir.path().join("dist"), db)
        .await
        .unwrap();
    let second = Fixture {
        dir: tempfile::tempdir().unwrap(),
        state,
        target: fx.target.clone(),
    };
    let (response, body) = who_am_i(&second, Some(&who.cookie)).await;
    assert_eq!(response.status(), 200, "{body}");
    assert_eq!(body["seller"]["id"], "bloomskin");
    assert_eq!(body["csrf_token"], who.csrf.as_str());
    // Signing out through the second is signing out everywhere.
    let (status, _) = second.as_seller(&who, "DELETE", SESSION, None).await;
    assert_eq!(status, 204);
    assert_eq!(who_am_i(&fx, Some(&who.cookie)).await.0.status(), 401);
    // Failures through one count on the other.
    for _ in 0..5 {
        assert_eq!(
            attempt(&fx, "192.0.2.1", &demo_login("bloomskin"), "x").await,
            401
        );
    }
    assert_eq!(
        attempt(&second, "192.0.2.1", &demo_login("bloomskin"), "x").await,
        429
    );
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_and_its_sessions_end() {
    let fx = Fixture::with_sellers().await;
    let who = fx.sign_in("happystar").await;
    sqlx::query("UPDATE seller_accounts SET disabled = TRUE WHERE seller_id = 'happystar'")
        .execute(&fx.state.db)
        .await
        .unwrap();
    assert_eq!(who_am_i(&fx, Some(&who.cookie)).await.0.status(), 401);
    let (response, body) = sign_in_from(
        &fx,
        "192.0.2.1",
        &demo_login("happystar"),
        &demo_password("happystar"),
    )
    .await;
    assert_eq!(response.status(), 403, "{body}");
    assert_error(&body, "forbidden");
    // A wrong password still gets the ordinary answer: being disabled is only told to
    // whoever knows the password.
    assert_eq!(
        attempt(&fx, "192.0.2.1", &demo_login("happystar"), "guess").await,
        401
    );
    let demo = demo_seller_logins(&fx.state.db).await.unwrap();
    assert!(demo.iter().all(|d| d.seller_id != "happystar"));
}

#[tokio::test]
async fn bad_sign_in_requests_get_the_standard_error_shape() {
    let fx = Fixture::with_sellers().await;
    // Content type, body, status, code, field.
    type Case = (
        &'static str,
        &'static [u8],
        u16,
        &'static str,
        Option<&'static str>,
    );
    let cases: Vec<Case> = vec![
        (
            "application/json",
            b"{\"login\": ",
            400,
            "bad_request",
            None,
        ),
        ("application/json", b"", 400, "bad_request", None),
        (
            "application/json",
            b"{\"login\": \"voltaic@demo.crossdock\"}",
            422,
            "unprocessable_entity",
            None,
        ),
        (
            "application/json",
            b"{\"login\": 7, \"password\": \"x\"}",
            422,
            "unprocessable_entity",
            Some("login"),
        ),
        (
            "application/json",
            b"{\"login\": \"a@b\", \"password\": \"x\", \"remember\": true}",
            422,
            "unprocessable_entity",
            None,
        ),
        (
            "application/json",
            b"{\"login\": \"  \", \"password\": \"x\"}",
            422,
            "unprocessable_entity",
            Some("login"),
        ),
        (
            "application/json",
            b"{\"login\": \"a@b\", \"password\": \"\"}",
            422,
            "unprocessable_entity",
            Some("password"),
        ),
        (
            "text/plain",
            b"login=a&password=b",
            415,
            "unsupported_media_type",
            None,
        ),
    ];
    for (content_type, body, status, code, field) in cases {
        let (got, answer) = fx.post_raw(SESSION, content_type, body.to_vec()).await;
        let text = String::from_utf8_lossy(body);
        assert_eq!(got, status, "{text}: {answer}");
        assert_error(&answer, code);
        if let Some(field) = field {
            assert_eq!(answer["error"]["field"], field, "{text}");
        }
    }
    let long = json!({"login": format!("{}@x", "a".repeat(300)), "password": "x"});
    let (status, answer) = fx.post_json(SESSION, &long).await;
    assert_eq!(status, 422);
    assert_eq!(answer["error"]["field"], "login");
    let huge = json!({"login": "a@b", "password": "x".repeat(20_000)});
    let (status, answer) = fx.post_json(SESSION, &huge).await;
    assert_eq!(status, 413);
    assert_error(&answer, "payload_too_large");
    // Bad requests are not failed sign-ins.
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM login_attempts")
        .fetch_one(&fx.state.db)
        .await
        .unwrap();
    assert_eq!(count, 0);
    // Another method: 405 in the same shape.
    let (response, bytes) = fx
        .send(Request::put(SESSION).body(Body::empty()).unwrap())
        .await;
    assert_eq!(response.status(), 405);
    assert_error(
        &serde_json::from_slice(&bytes).unwrap(),
        "method_not_allowed",
    );
}

#[tokio::test]
async fn another_sellers_listing_answers_404_like_a_missing_one() {
    let fx = Fixture::with_sellers().await;
    let (own, other): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT MIN(id) FROM listings WHERE seller_id = 'voltaic'), \
                (SELECT MIN(id) FROM listings WHERE seller_id <> 'voltaic')",
    )
    .fetch_one(&fx.state.db)
    .await
    .unwrap();
    assert!(
        require_owned_listing(&fx.state.db, "voltaic", own)
            .await
            .is_ok()
    );
    let message = |e: ApiError| match e {
        ApiError::NotFound(m) => m.replace(&other.to_string(), "N").replace("999999", "N"),
        e => panic!("{e:?}"),
    };
    let theirs = require_owned_listing(&fx.state.db, "voltaic", other)
        .await
        .unwrap_err();
    let missing = require_owned_listing(&fx.state.db, "voltaic", 999_999)
        .await
        .unwrap_err();
    assert_eq!(message(theirs), message(missing));
}

#[tokio::test]
async fn the_openapi_document_describes_the_session_endpoints() {
    let fx = Fixture::with_sellers().await;
    let doc = fx.json("/api/openapi.json", 200).await;
    let path = &doc["paths"][SESSION];
    let schema_ref = |v: &Value| v["content"]["application/json"]["schema"]["$ref"].clone();
    assert_eq!(
        schema_ref(&path["post"]["requestBody"]),
        "#/components/schemas/SignInRequest"
    );
    for (method, statuses) in [
        (
            "post",
            &["200", "400", "401", "403", "415", "422", "429"][..],
        ),
        ("get", &["200", "401"][..]),
        ("delete", &["204", "401", "403"][..]),
    ] {
        let responses = &path[method]["responses"];
        for status in statuses {
            assert!(responses[status].is_object(), "{method} {status}");
            let expected = match *status {
                "200" => Value::from("#/components/schemas/SessionResponse"),
                "204" => Value::Null,
                _ => Value::from("#/components/schemas/ErrorResponse"),
            };
            assert_eq!(
                schema_ref(&responses[status]),
                expected,
                "{method} {status}"
            );
        }
    }
    assert!(path["post"]["responses"]["429"]["headers"]["retry-after"].is_object());
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["seller_session"]["in"], "cookie");
    assert_eq!(schemes["seller_session"]["name"], "crossdock_session");
    assert_eq!(schemes["csrf_token"]["in"], "header");
    assert_eq!(schemes["csrf_token"]["name"], "x-csrf-token");

    // A real answer has exactly the documented properties, all of them required.
    let who = fx.sign_in("voltaic").await;
    let schemas = &doc["components"]["schemas"];
    for (name, value) in [
        ("SessionResponse", &who.body),
        ("SessionSeller", &who.body["seller"]),
    ] {
        let mut documented: Vec<&str> = schemas[name]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut required: Vec<&str> = schemas[name]["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let mut sent: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        documented.sort_unstable();
        required.sort_unstable();
        sent.sort_unstable();
        assert_eq!(documented, sent, "{name}");
        assert_eq!(required, sent, "{name}");
    }
    let mut login_fields: Vec<&str> = schemas["SignInRequest"]["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    login_fields.sort_unstable();
    assert_eq!(login_fields, ["login", "password"]);
}

/// The real binary: it prints the demo sign-in, serves it over a socket, and counts
/// failures by the socket's peer address (a test header cannot pretend otherwise).
#[test]
fn the_binary_prints_demo_credentials_that_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_crossdock-server"))
        .current_dir(dir.path())
        .env_remove("PORT")
        .env_remove("CROSSDOCK_ADDR")
        .env_remove("CROSSDOCK_NETWORK")
        .env_remove("CROSSDOCK_DB")
        .env_remove("DATABASE_URL")
        .env_remove("CROSSDOCK_SECURE_COOKIES")
        .args(["--db", "var/test.sqlite", "--dist", "dist"])
        .args(["--network", NETWORK, "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Lines through a channel, so a missing line fails the test instead of hanging it.
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (lines, printed) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let next_line = || {
        printed
            .recv_timeout(std::time::Duration::from_secs(120))
            .unwrap_or_default()
    };
    let first = next_line();
    let second = next_line();
    let stop = |mut child: std::process::Child| {
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        child.wait().unwrap()
    };
    let Some(address) = first
        .strip_prefix("Crossdock is running at http://")
        .and_then(|rest| rest.split('/').next())
        .map(str::to_owned)
    else {
        stop(child);
        panic!("unexpected first line: {first:?}");
    };
    let expected = format!(
        "Seller panel: http://{address}/seller — demo sign-in: bloomskin@demo.crossdock / crossdock-demo-bloomskin"
    );
    if !second.starts_with(&expected) {
        stop(child);
        panic!("unexpected second line: {second:?}");
    }

    let post = |body: &Value| {
        let body = body.to_string();
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        write!(
            stream,
            "POST /api/seller/session HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
             X-Test-Client-Address: 203.0.113.9\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    };
    let right =
        post(&json!({"login": "bloomskin@demo.crossdock", "password": "crossdock-demo-bloomskin"}));
    let wrong = post(&json!({"login": "bloomskin@demo.crossdock", "password": "nope"}));
    let status = stop(child);
    assert!(status.success(), "{status:?}");
    assert!(right.starts_with("HTTP/1.1 200 OK"), "{right}");
    assert!(
        right
            .to_ascii_lowercase()
            .contains("set-cookie: crossdock_session="),
        "{right}"
    );
    assert!(wrong.starts_with("HTTP/1.1 401"), "{wrong}");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let addresses: Vec<(String,)> = runtime.block_on(async {
        let db = crossdock_server::open_db(&dir.path().join("var/test.sqlite"))
            .await
            .unwrap();
        let rows = sqlx::query_as("SELECT address FROM login_attempts")
            .fetch_all(&db)
            .await
            .unwrap();
        db.close().await;
        rows
    });
    assert_eq!(addresses, vec![("127.0.0.1".to_owned(),)]);
}
