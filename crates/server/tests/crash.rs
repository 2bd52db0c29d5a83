//! Crash safety of the real server process, on SQLite and on PostgreSQL: `kill -9` in the middle of a stream
//! of acknowledged price and stock writes, and in the middle of a 10,000-row CSV import
//! (while it is checking, and while it is applying). After a restart on the same database
//! every acknowledged write is there exactly once (values, versions, audit entries) and no
//! import is half applied.
//!
//! The server is the built binary, spawned as a child process; the client is a tiny
//! HTTP/1.0 client over `std::net::TcpStream` (one request per connection, no chunked
//! bodies); the database is read directly with sqlx. The backend is PostgreSQL when
//! `CROSSDOCK_TEST_DATABASE_URL` names a server (`scripts/with-postgres.sh`), else a
//! SQLite file.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "common/multiply.rs"]
mod multiply;
#[path = "common/process.rs"]
mod process;
#[path = "common/testdb.rs"]
mod testdb;

use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crossdock_server::DbTarget;
use process::{Seller, Server, export, import_outcome, runtime, stock_moved_csv};
use serde_json::{Value, json};
use sqlx::AnyPool;

/// The database the server runs on.
struct Backend {
    target: DbTarget,
}

impl Backend {
    fn from_env(dir: &Path) -> Backend {
        Backend {
            target: testdb::fresh(dir, "crash.sqlite"),
        }
    }

    fn pool(&self, rt: &tokio::runtime::Runtime) -> AnyPool {
        rt.block_on(crossdock_server::open(&self.target))
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

/// A pseudo-random number from the clock, for kill moments that differ between runs.
fn jitter(modulo: u64) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    u64::from(nanos) % modulo
}

/// A write as sent: the version it names and the values it sets.
#[derive(Clone, Copy, Debug)]
struct Sent {
    version: i64,
    price: i64,
    quantity: i64,
}

#[test]
fn kill_9_mid_stream_of_writes_keeps_every_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    let backend = Backend::from_env(dir.path());
    let rt = runtime();
    let server = Server::start(&backend.target, &dist);
    let seller = Seller::sign_in(&server.addr, "voltaic");

    let pool = backend.pool(&rt);
    let targets = process::plain_us_listings(&rt, &pool, "voltaic", 6);
    rt.block_on(pool.close());
    assert!(
        targets.len() >= 2,
        "too few listings to write: {}",
        targets.len()
    );

    // The stream: one writer, each write naming the version the last one answered.
    let mut versions: HashMap<i64, i64> = HashMap::new();
    let mut audit_before: HashMap<i64, (i64, i64)> = HashMap::new();
    {
        let pool = backend.pool(&rt);
        for t in &targets {
            let (status, detail) = seller.json(
                &server.addr,
                "GET",
                &format!("/api/seller/listings/{}", t.id),
                None,
            );
            assert_eq!(status, 200, "{detail}");
            versions.insert(t.id, detail["version"].as_i64().unwrap());
            audit_before.insert(t.id, audit_counts(&rt, &pool, t.id));
        }
        rt.block_on(pool.close());
    }
    let addr = server.addr.clone();
    let stream_targets = targets.clone();
    let (acked_tx, acked_rx) = mpsc::channel::<(i64, Sent, bool)>();
    let acked_count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = acked_count.clone();
    let writer = std::thread::spawn(move || {
        let mut versions = versions;
        for i in 0_i64.. {
            let t = &stream_targets[usize::try_from(i).unwrap() % stream_targets.len()];
            let write = Sent {
                version: versions[&t.id],
                price: 1_000 + i,
                quantity: 1 + i % 997,
            };
            let body = json!({
                "version": write.version,
                "prices": [{"market": "US", "price": {"minor": write.price, "currency": t.currency}}],
                "stock": [{"warehouse": t.warehouse, "on_hand": write.quantity}],
            });
            // Sent (maybe applied, not acknowledged) until the answer says otherwise.
            let _ = acked_tx.send((t.id, write, false));
            let answer = seller.send(
                &addr,
                "PUT",
                &format!("/api/seller/listings/{}", t.id),
                "application/json",
                body.to_string().as_bytes(),
            );
            match answer {
                Ok((200, bytes)) => {
                    let detail: Value = serde_json::from_slice(&bytes).unwrap();
                    let version = detail["version"].as_i64().unwrap();
                    assert_eq!(version, write.version + 1, "{detail}");
                    versions.insert(t.id, version);
                    let _ = acked_tx.send((t.id, write, true));
                    counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                Ok((status, bytes)) => panic!(
                    "write {i} answered {status}: {}",
                    String::from_utf8_lossy(&bytes)
                ),
                // The server was killed: the stream ends here.
                Err(_) => return i,
            }
        }
        unreachable!()
    });

    // At least 5 acknowledged writes (bounded), then a moment that differs between runs.
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked_count.load(std::sync::atomic::Ordering::SeqCst) < 5
        && Instant::now() < deadline
        && !writer.is_finished()
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(jitter(1_500)));
    server.kill9();
    let sent = writer.join().unwrap();

    // Per listing: its acknowledged writes, and the one in flight when the server died.
    let mut acked: HashMap<i64, Vec<Sent>> = HashMap::new();
    let mut in_flight: Option<(i64, Sent)> = None;
    for (id, write, done) in acked_rx.try_iter() {
        if done {
            acked.entry(id).or_default().push(write);
            in_flight = None;
        } else {
            in_flight = Some((id, write));
        }
    }
    let n_acked: usize = acked.values().map(Vec::len).sum();
    assert!(
        n_acked >= 5,
        "only {n_acked} writes acknowledged before the kill"
    );

    let server = Server::start(&backend.target, &dist);
    let pool = backend.pool(&rt);
    let mut flight_applied = false;
    for t in &targets {
        let writes = acked.get(&t.id).cloned().unwrap_or_default();
        let (version, price, quantity): (i64, i64, i64) = rt
            .block_on(
                sqlx::query_as(
                    "SELECT l.version, p.price_minor, s.quantity FROM listings l \
                     JOIN listing_prices p ON p.listing_id = l.id AND p.market = 'US' \
                     JOIN listing_stock s ON s.listing_id = l.id AND s.warehouse = $1 \
                     WHERE l.id = $2",
                )
                .bind(&t.warehouse)
                .bind(t.id)
                .fetch_one(&pool),
            )
            .unwrap();
        // The write in flight may have committed before the kill; nothing else may differ.
        let flight = in_flight.filter(|(id, _)| *id == t.id).map(|(_, w)| w);
        let applied_flight = flight.filter(|w| version == w.version + 1);
        flight_applied |= applied_flight.is_some();
        let expected = applied_flight.or(writes.last().copied());
        if let Some(last) = expected {
            assert_eq!(version, last.version + 1, "listing {}: version", t.id);
            assert_eq!(price, last.price, "listing {}: price", t.id);
            assert_eq!(quantity, last.quantity, "listing {}: stock", t.id);
        }
        let (prices_before, stock_before) = audit_before[&t.id];
        let (prices_after, stock_after) = audit_counts(&rt, &pool, t.id);
        let count = i64::try_from(writes.len() + usize::from(applied_flight.is_some())).unwrap();
        assert_eq!(
            prices_after - prices_before,
            count,
            "listing {}: price audit entries",
            t.id
        );
        assert_eq!(
            stock_after - stock_before,
            count,
            "listing {}: stock audit entries",
            t.id
        );
        // The API answers the same values after the restart.
        let (status, detail) = seller_after(&server).json(
            &server.addr,
            "GET",
            &format!("/api/seller/listings/{}", t.id),
            None,
        );
        assert_eq!(status, 200, "{detail}");
        assert_eq!(detail["version"].as_i64(), Some(version), "{detail}");
    }
    rt.block_on(pool.close());
    println!(
        "SUMMARY: crash (SQLite): kill -9 after {n_acked} acknowledged writes of {sent} sent; \
         after the restart all {n_acked} are there, each audited once (the write in flight: {})",
        if flight_applied {
            "committed"
        } else {
            "not committed"
        }
    );
    server.kill9();
}

/// Signs in again after a restart (sessions live in the database; a new one is simplest).
fn seller_after(server: &Server) -> Seller {
    Seller::sign_in(&server.addr, "voltaic")
}

/// Audit entries of one listing: (price, stock).
fn audit_counts(rt: &tokio::runtime::Runtime, pool: &AnyPool, id: i64) -> (i64, i64) {
    rt.block_on(
        sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN kind = 'price' THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN kind = 'stock' THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM audit_log WHERE listing_id = $1",
        )
        .bind(id)
        .fetch_one(pool),
    )
    .unwrap()
}

/// Kills the server while a 10,000-row import is in `at` (checking or applying), restarts
/// it, and checks that the import's changes are all there or none, and that it reads as
/// applied only when all are.
fn import_killed_while(at: &str) {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    let backend = Backend::from_env(dir.path());
    let rt = runtime();
    let seller_id = "voltaic";

    // A fresh database with the demo catalog, then enough copies for 10,000 rows.
    let server = Server::start(&backend.target, &dist);
    let who = Seller::sign_in(&server.addr, seller_id);
    let base = export(&server.addr, &who).1.len();
    server.kill9();
    let pool = backend.pool(&rt);
    rt.block_on(multiply::multiply_listings(
        &pool,
        seller_id,
        i64::try_from(10_000 / base).unwrap(),
    ));
    rt.block_on(pool.close());

    let server = Server::start(&backend.target, &dist);
    let who = Seller::sign_in(&server.addr, seller_id);
    let (header, rows) = export(&server.addr, &who);
    assert!(rows.len() >= 10_000, "{} rows", rows.len());
    // Every stock row moves by 3.
    let (file, changes) = stock_moved_csv(&header, rows.clone(), 3);

    let (status, bytes) = who
        .send(
            &server.addr,
            "POST",
            "/api/seller/imports?file_name=crash.csv",
            "text/csv",
            &file,
        )
        .unwrap();
    assert_eq!(status, 202, "{}", String::from_utf8_lossy(&bytes));
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    let import = body["id"].as_i64().unwrap();
    let mut seen = body["state"].as_str().unwrap_or_default().to_owned();
    let deadline = Instant::now() + Duration::from_secs(60);
    if at == "checking" {
        // A little into the check, at a moment that differs between runs.
        std::thread::sleep(Duration::from_millis(jitter(200)));
    } else {
        while seen != at && seen != "applied" && Instant::now() < deadline {
            let (status, body) = who.json(
                &server.addr,
                "GET",
                &format!("/api/seller/imports/{import}"),
                None,
            );
            assert_eq!(status, 200, "{body}");
            seen = body["state"].as_str().unwrap_or_default().to_owned();
            assert!(
                ["checking", "applying", "applied"].contains(&seen.as_str()),
                "{body}"
            );
        }
    }
    server.kill9();

    let server = Server::start(&backend.target, &dist);
    let pool = backend.pool(&rt);
    let (state, there) = import_outcome(&rt, &pool, import, seller_id, &changes);
    let (audited,): (i64,) = rt
        .block_on(
            sqlx::query_as(
                "SELECT COUNT(*) FROM audit_log WHERE seller_id = $1 AND action = 'import'",
            )
            .bind(seller_id)
            .fetch_one(&pool),
        )
        .unwrap();
    rt.block_on(pool.close());
    let audited = usize::try_from(audited).unwrap();
    assert!(
        there == 0 || there == changes.len(),
        "half applied: {there} of {} changes there (import {state})",
        changes.len()
    );
    assert_eq!(
        state == "applied",
        there == changes.len(),
        "import reads {state} with {there} of {} changes there",
        changes.len()
    );
    assert_eq!(audited, there, "audit entries of the import");
    println!(
        "SUMMARY: crash (SQLite): kill -9 with a {}-row import {seen} (aimed at {at}): after the \
         restart it reads {state}, {there} of {} stock changes there",
        rows.len(),
        changes.len()
    );
    server.kill9();
}

#[test]
fn kill_9_while_an_import_is_checking_applies_none_of_it() {
    import_killed_while("checking");
}

#[test]
fn kill_9_while_an_import_is_applying_applies_all_or_none_of_it() {
    import_killed_while("applying");
}
