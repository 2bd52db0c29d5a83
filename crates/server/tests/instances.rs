//! Two server processes on one database behave as one: a session made through one works
//! through the other, concurrent writes to the same SKUs through both lose nothing (a
//! stale version gets 409), the audit log has every accepted change exactly once, the
//! final state is the last accepted write, and each storefront shows what the other
//! instance wrote. On PostgreSQL when `CROSSDOCK_TEST_DATABASE_URL` names a server
//! (`scripts/with-postgres.sh`, as `make test` runs it), else on one SQLite file shared by
//! the two processes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "common/process.rs"]
mod process;
#[path = "common/testdb.rs"]
mod testdb;

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use process::{Seller, Server, Target, runtime};
use serde_json::{Value, json};

/// A write the server accepted: the version it named and the values it set.
#[derive(Debug, Clone, Copy)]
struct Accepted {
    from_version: i64,
    price: i64,
    on_hand: i64,
}

#[test]
fn two_instances_on_one_database_behave_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    let target = testdb::fresh(dir.path(), "shared.sqlite");
    let a = Server::start(&target, &dist);
    let b = Server::start(&target, &dist);

    // Signed in through A, known through B; signed out through B, gone through A.
    let seller = Seller::sign_in(&a.addr, "voltaic");
    let (status, me) = seller.json(&b.addr, "GET", "/api/seller/session", None);
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["seller"]["id"], "voltaic");
    let other = Seller::sign_in(&b.addr, "voltaic");
    let (status, _) = other.json(&b.addr, "DELETE", "/api/seller/session", None);
    assert!(status == 200 || status == 204, "{status}");
    let (status, _) = other.json(&a.addr, "GET", "/api/seller/session", None);
    assert_eq!(status, 401);

    let rt = runtime();
    let pool = rt
        .block_on(crossdock_server::open(&target))
        .unwrap_or_else(|e| panic!("{e}"));
    let skus = process::plain_us_listings(&rt, &pool, "voltaic", 3);
    assert_eq!(skus.len(), 3, "{skus:?}");
    let audit_from: i64 = rt
        .block_on(
            sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM audit_log")
                .fetch_one(&pool),
        )
        .unwrap();
    let first_version: HashMap<i64, i64> = skus
        .iter()
        .map(|t| {
            let (status, detail) = seller.json(
                &a.addr,
                "GET",
                &format!("/api/seller/listings/{}", t.id),
                None,
            );
            assert_eq!(status, 200, "{detail}");
            (t.id, detail["version"].as_i64().unwrap())
        })
        .collect();

    // Four writers, two through each instance, all on the same three SKUs; every value
    // written is unique, so each one in the database says which write put it there.
    let writers: Vec<_> = (0..4_i64)
        .map(|w| {
            let addr = if w % 2 == 0 { a.addr.clone() } else { b.addr.clone() };
            let seller = Seller {
                cookie: seller.cookie.clone(),
                csrf: seller.csrf.clone(),
            };
            let skus = skus.clone();
            let mut known = first_version.clone();
            std::thread::spawn(move || {
                let mut accepted: Vec<(i64, Accepted)> = Vec::new();
                let mut conflicts = 0;
                for i in 0..8_i64 {
                    let t: &Target = &skus[usize::try_from((w + i) % 3).unwrap()];
                    let write = Accepted {
                        from_version: known[&t.id],
                        price: 50_000 + w * 1_000 + i,
                        on_hand: 1 + w * 100 + i,
                    };
                    let body = json!({
                        "version": write.from_version,
                        "prices": [{"market": "US", "price": {"minor": write.price, "currency": t.currency}}],
                        "stock": [{"warehouse": t.warehouse, "on_hand": write.on_hand}],
                    });
                    let (status, answer) = seller.json(
                        &addr,
                        "PUT",
                        &format!("/api/seller/listings/{}", t.id),
                        Some(&body),
                    );
                    match status {
                        200 => {
                            // The answer is the listing as it is after the write, which
                            // may include another writer's write that came just after.
                            let version = answer["version"].as_i64().unwrap();
                            assert!(version > write.from_version, "{answer}");
                            known.insert(t.id, version);
                            accepted.push((t.id, write));
                        }
                        // Someone else's write came first: the answer has the listing
                        // as it is now, the next write starts from it.
                        409 => {
                            conflicts += 1;
                            let current = answer["current"]["version"].as_i64().unwrap_or_else(
                                || panic!("409 without the current version: {answer}"),
                            );
                            assert!(current > write.from_version, "{answer}");
                            known.insert(t.id, current);
                        }
                        _ => panic!("writer {w} write {i}: {status} {answer}"),
                    }
                }
                (accepted, conflicts)
            })
        })
        .collect();
    let mut accepted: BTreeMap<i64, Vec<Accepted>> = BTreeMap::new();
    let mut conflicts = 0;
    for writer in writers {
        let (mine, refused) = writer.join().unwrap();
        conflicts += refused;
        for (id, write) in mine {
            accepted.entry(id).or_default().push(write);
        }
    }
    let n_accepted: usize = accepted.values().map(Vec::len).sum();
    assert_eq!(n_accepted + conflicts, 4 * 8);
    assert!(n_accepted >= 3, "{n_accepted} accepted");
    eprintln!(
        "{} backend: {n_accepted} writes accepted, {conflicts} refused as stale (409)",
        testdb::backend_name()
    );

    for t in &skus {
        let mut writes = accepted.get(&t.id).cloned().unwrap_or_default();
        writes.sort_by_key(|w| w.from_version);
        // No two accepted writes started from the same version: none was lost.
        for (k, w) in writes.iter().enumerate() {
            assert_eq!(
                w.from_version,
                first_version[&t.id] + i64::try_from(k).unwrap(),
                "listing {}: {writes:?}",
                t.id
            );
        }
        let (version, price, on_hand): (i64, i64, i64) = rt
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
        assert_eq!(
            version,
            first_version[&t.id] + i64::try_from(writes.len()).unwrap()
        );
        if let Some(last) = writes.last() {
            assert_eq!(
                (price, on_hand),
                (last.price, last.on_hand),
                "listing {}",
                t.id
            );
        }

        // The audit log: each accepted change once, and nothing else.
        let entries: Vec<(String, Option<String>)> = rt
            .block_on(
                sqlx::query_as(
                    "SELECT kind, after FROM audit_log WHERE listing_id = $1 AND id > $2 \
                     ORDER BY id",
                )
                .bind(t.id)
                .bind(audit_from)
                .fetch_all(&pool),
            )
            .unwrap();
        let after = |kind: &str, field: &dyn Fn(&Value) -> Option<i64>| -> Vec<i64> {
            entries
                .iter()
                .filter(|(k, _)| k == kind)
                .map(|(_, a)| {
                    let value: Value = serde_json::from_str(a.as_deref().unwrap()).unwrap();
                    field(&value).unwrap_or_else(|| panic!("{kind}: {value}"))
                })
                .collect()
        };
        assert_eq!(
            after("price", &|v| v["price"]["minor"].as_i64()),
            writes.iter().map(|w| w.price).collect::<Vec<_>>(),
            "listing {}",
            t.id
        );
        assert_eq!(
            after("stock", &|v| v["on_hand"].as_i64()),
            writes.iter().map(|w| w.on_hand).collect::<Vec<_>>(),
            "listing {}",
            t.id
        );
        assert_eq!(entries.len(), 2 * writes.len(), "{entries:?}");
    }

    // Both storefronts show the final prices: each instance's own writes at once, the
    // other's within its catalog check (every second).
    let deadline = Instant::now() + Duration::from_secs(10);
    for server in [&a, &b] {
        for t in &skus {
            let Some(last) = accepted
                .get(&t.id)
                .and_then(|w| w.iter().max_by_key(|w| w.from_version))
            else {
                continue;
            };
            loop {
                let (status, listing) = seller.json(
                    &server.addr,
                    "GET",
                    &format!("/api/listings/{}?market=US", t.id),
                    None,
                );
                assert_eq!(status, 200, "{listing}");
                if listing
                    .to_string()
                    .contains(&format!("\"minor\":{}", last.price))
                {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "{} still shows an old price for listing {}: {listing}",
                    server.addr,
                    t.id
                );
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
    rt.block_on(pool.close());
}
