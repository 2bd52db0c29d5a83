//! `crossdock-server backup` and `restore` on the real binary.
//!
//! SQLite: a backup taken while the server runs and writes holds exactly the rows of that
//! moment (every table, every column, compared in full); after a later write, a stop and a
//! restore, the restarted server has those rows and not the later write. Restore refuses
//! a file that is not a database, a damaged one, another program's database, one from a
//! newer build and a database in use, and leaves the existing database as it was; backup
//! never overwrites.
//!
//! PostgreSQL (when `CROSSDOCK_TEST_DATABASE_URL` names a cluster, as
//! `scripts/with-postgres.sh` does): the server's database, after a seller's write, comes
//! back row for row through the same commands (pg_dump, pg_restore) without the write made
//! after the backup; a table's rows survive, a newer build's archive is refused, and
//! failures say what went wrong.
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

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use process::{Seller, Server, run};
use serde_json::json;
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteLockingMode};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// One connection (not a pool: `close` returns once SQLite has let go of the file, so a
/// command run next never finds it still open).
fn connect(rt: &tokio::runtime::Runtime, path: &Path) -> SqliteConnection {
    rt.block_on(SqliteConnection::connect_with(
        &SqliteConnectOptions::new().filename(path),
    ))
    .unwrap()
}

/// Every row of every table, as SQL literals (`quote()`), in a fixed order.
type Rows = BTreeMap<String, Vec<String>>;

fn snapshot(rt: &tokio::runtime::Runtime, path: &Path) -> Rows {
    let mut conn = connect(rt, path);
    let rows = rt.block_on(async {
        let tables: Vec<(String,)> = sqlx::query_as(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        let mut all = Rows::new();
        for (table,) in tables {
            let columns: Vec<(String,)> =
                sqlx::query_as(&format!("SELECT name FROM pragma_table_info('{table}')"))
                    .fetch_all(&mut conn)
                    .await
                    .unwrap();
            let row = columns
                .iter()
                .map(|(c,)| format!("quote(\"{c}\")"))
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            let rows: Vec<(String,)> =
                sqlx::query_as(&format!("SELECT {row} FROM \"{table}\" ORDER BY 1"))
                    .fetch_all(&mut conn)
                    .await
                    .unwrap();
            all.insert(table, rows.into_iter().map(|(r,)| r).collect());
        }
        all
    });
    rt.block_on(conn.close()).unwrap();
    rows
}

/// The tables whose rows differ, for a readable failure.
fn differing(a: &Rows, b: &Rows) -> Vec<String> {
    a.keys()
        .chain(b.keys())
        .filter(|t| a.get(*t) != b.get(*t))
        .cloned()
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A failed command: exit status 1, one line on stderr starting with `start`, no panic.
fn assert_refused(output: &Output, start: &str) {
    let message = stderr(output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.starts_with(&format!("crossdock-server: error: {start}")),
        "{message}"
    );
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");
}

/// One SKU of voltaic sold in the US with a plain price and stock in one warehouse: its
/// id, US currency and the warehouse.
fn writable_listing(rt: &tokio::runtime::Runtime, db: &Path) -> (i64, String, String) {
    let mut conn = connect(rt, db);
    let row = rt
        .block_on(
            sqlx::query_as(
                "SELECT l.id, p.currency, s.warehouse FROM listings l \
                 JOIN listing_prices p ON p.listing_id = l.id AND p.market = 'US' \
                 JOIN listing_stock s ON s.listing_id = l.id \
                 WHERE l.seller_id = 'voltaic' AND l.mode = 'platform_local' \
                   AND NOT EXISTS (SELECT 1 FROM promotions pr WHERE pr.listing_id = l.id) \
                 ORDER BY l.id, s.warehouse LIMIT 1",
            )
            .fetch_one(&mut conn),
        )
        .unwrap();
    rt.block_on(conn.close()).unwrap();
    row
}

/// Sets the listing's US price and its stock in the warehouse; the new version.
fn write(
    addr: &str,
    seller: &Seller,
    (id, currency, warehouse): &(i64, String, String),
    price: i64,
    on_hand: i64,
) -> i64 {
    let path = format!("/api/seller/listings/{id}");
    let (status, detail) = seller.json(addr, "GET", &path, None);
    assert_eq!(status, 200, "{detail}");
    let body = json!({
        "version": detail["version"],
        "prices": [{"market": "US", "price": {"minor": price, "currency": currency}}],
        "stock": [{"warehouse": warehouse, "on_hand": on_hand}],
    });
    let (status, detail) = seller.json(addr, "PUT", &path, Some(&body));
    assert_eq!(status, 200, "{detail}");
    detail["version"].as_i64().unwrap()
}

/// The margins the server computes in the background right after its first start: done
/// when no price lacks one (so the database holds still between two writes).
fn wait_for_margins(rt: &tokio::runtime::Runtime, db: &Path) {
    let mut conn = connect(rt, db);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (missing,): (i64,) = rt
            .block_on(
                sqlx::query_as("SELECT COUNT(*) FROM listing_prices WHERE margin_basis IS NULL")
                    .fetch_one(&mut conn),
            )
            .unwrap();
        if missing == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{missing} margins still missing after 120 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    rt.block_on(conn.close()).unwrap();
}

#[test]
fn a_backup_taken_while_the_server_writes_restores_exactly_those_rows() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    let db = dir.path().join("live.sqlite");
    let rt = runtime();

    let server = Server::start(&crossdock_server::DbTarget::Sqlite(db.clone()), &dist);
    wait_for_margins(&rt, &db);
    let seller = Seller::sign_in(&server.addr, "voltaic");
    let listing = writable_listing(&rt, &db);
    let backed_up_version = write(&server.addr, &seller, &listing, 1_234, 42);

    // The backup while the server runs (its pool open, WAL mode). The server may write on
    // its own (every minute); the rows of the backup moment are known when the database
    // reads the same just before and just after it.
    let backup = dir.path().join("backup.sqlite");
    let mut at_backup = None;
    for _ in 0..5 {
        let before = snapshot(&rt, &db);
        let output = run(&[
            "backup",
            backup.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        let report = stdout(&output);
        assert!(report.contains("integrity_check ok"), "{report}");
        for (table, rows) in &before {
            let line = format!("  {table} ");
            let counted = report
                .lines()
                .find(|l| l.starts_with(&line))
                .unwrap_or_else(|| panic!("no row count for {table}: {report}"));
            assert!(
                counted.trim_end().ends_with(&format!(" {}", rows.len())),
                "{counted} ≠ {} rows",
                rows.len()
            );
        }
        if snapshot(&rt, &db) == before {
            at_backup = Some(before);
            break;
        }
        std::fs::remove_file(&backup).unwrap();
    }
    let at_backup = at_backup.expect("the database never held still around a backup");
    let in_backup = snapshot(&rt, &backup);
    assert_eq!(
        in_backup,
        at_backup,
        "tables differ: {:?}",
        differing(&in_backup, &at_backup)
    );
    assert!(at_backup["audit_log"].len() >= 2, "the write was audited");

    // A write after the backup, then the server stops.
    write(&server.addr, &seller, &listing, 1_111, 7);
    assert!(server.stop().success());
    assert_ne!(snapshot(&rt, &db), at_backup);

    let output = run(&[
        "restore",
        backup.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(report.starts_with("restored "), "{report}");
    assert!(report.contains("  listings "), "{report}");
    let restored = snapshot(&rt, &db);
    assert_eq!(
        restored,
        at_backup,
        "tables differ: {:?}",
        differing(&restored, &at_backup)
    );

    // The server starts on the restored database: every row is the backup's, plus the
    // record of this start.
    let server = Server::start(&crossdock_server::DbTarget::Sqlite(db.clone()), &dist);
    let mut running = snapshot(&rt, &db);
    let loads = running.remove("network_loads").unwrap();
    let mut expected = at_backup.clone();
    let loads_then = expected.remove("network_loads").unwrap();
    assert_eq!(loads.len(), loads_then.len() + 1);
    assert_eq!(loads[..loads_then.len()], loads_then[..]);
    assert_eq!(
        running,
        expected,
        "tables differ: {:?}",
        differing(&running, &expected)
    );
    // The write after the backup is gone, in the API too.
    let seller = Seller::sign_in(&server.addr, "voltaic");
    let (status, detail) = seller.json(
        &server.addr,
        "GET",
        &format!("/api/seller/listings/{}", listing.0),
        None,
    );
    assert_eq!(status, 200, "{detail}");
    assert_eq!(
        detail["version"].as_i64(),
        Some(backed_up_version),
        "{detail}"
    );
    let us = detail["prices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["market"] == "US")
        .unwrap_or_else(|| panic!("no US price: {detail}"));
    assert_eq!(us["price"]["minor"], 1_234, "{detail}");
    assert!(server.stop().success());
}

/// A small Crossdock database (migrations and one network load, no catalog): quick to make.
fn small_database(rt: &tokio::runtime::Runtime, path: &Path) {
    rt.block_on(async {
        let network = crossdock_server::load_network(Path::new(process::NETWORK)).unwrap();
        let db = crossdock_server::open_db(path).await.unwrap();
        crossdock_server::record_network_load(&db, &network)
            .await
            .unwrap();
        db.close().await;
    });
    settle(rt, path);
}

/// Waits, driving `rt`, until this process has `path` open no more: a pool's `close()`
/// may return while its last connection is still closing, and that close would later
/// checkpoint the WAL under a test that compares the files.
fn settle(rt: &tokio::runtime::Runtime, path: &Path) {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .locking_mode(SqliteLockingMode::Exclusive)
        .busy_timeout(Duration::ZERO);
    rt.block_on(async {
        for _ in 0..500 {
            if let Ok(mut conn) = SqliteConnection::connect_with(&options).await {
                let alone = sqlx::query("BEGIN EXCLUSIVE")
                    .execute(&mut conn)
                    .await
                    .is_ok();
                if alone {
                    sqlx::query("COMMIT").execute(&mut conn).await.unwrap();
                }
                conn.close().await.unwrap();
                if alone {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("{} is still open after 5 s", path.display());
    });
}

/// The database file and its WAL, byte for byte.
fn files_of(db: &Path) -> Vec<Option<Vec<u8>>> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            std::fs::read(PathBuf::from(name)).ok()
        })
        .collect()
}

#[test]
fn restore_refuses_what_it_cannot_use_and_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let rt = runtime();
    let db = dir.path().join("live.sqlite");
    small_database(&rt, &db);
    let good = dir.path().join("good.sqlite");
    let output = run(&[
        "backup",
        good.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let before = files_of(&db);
    let restore = |file: &Path| {
        run(&[
            "restore",
            file.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
    };

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database\n").unwrap();
    assert_refused(
        &restore(&text),
        &format!("{} is not a SQLite database", text.display()),
    );

    // The header is intact, a page in the middle is overwritten.
    let damaged = dir.path().join("damaged.sqlite");
    let mut bytes = std::fs::read(&good).unwrap();
    let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    assert!(bytes.len() >= 4 * page, "{} bytes", bytes.len());
    bytes[2 * page..3 * page].fill(0xa5);
    std::fs::write(&damaged, &bytes).unwrap();
    assert_refused(
        &restore(&damaged),
        &format!("{} is damaged", damaged.display()),
    );

    let truncated = dir.path().join("truncated.sqlite");
    std::fs::write(&truncated, &std::fs::read(&good).unwrap()[..page + 100]).unwrap();
    assert_refused(
        &restore(&truncated),
        &format!("{} is damaged", truncated.display()),
    );

    let foreign = dir.path().join("foreign.sqlite");
    let mut other = rt
        .block_on(SqliteConnection::connect_with(
            &SqliteConnectOptions::new()
                .filename(&foreign)
                .create_if_missing(true),
        ))
        .unwrap();
    rt.block_on(sqlx::query("CREATE TABLE t (x)").execute(&mut other))
        .unwrap();
    rt.block_on(other.close()).unwrap();
    assert_refused(
        &restore(&foreign),
        &format!("{} is not a Crossdock database", foreign.display()),
    );

    let newer = dir.path().join("newer.sqlite");
    std::fs::copy(&good, &newer).unwrap();
    let mut future = connect(&rt, &newer);
    rt.block_on(
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (99991231000000, 'from the future', 1, x'00', 0)",
        )
        .execute(&mut future),
    )
    .unwrap();
    rt.block_on(future.close()).unwrap();
    assert_refused(
        &restore(&newer),
        &format!(
            "{} was written by a newer crossdock-server (migration 99991231000000",
            newer.display()
        ),
    );

    assert_refused(
        &restore(&dir.path().join("missing.sqlite")),
        &format!(
            "cannot read {}",
            dir.path().join("missing.sqlite").display()
        ),
    );
    assert_eq!(
        files_of(&db),
        before,
        "a refused restore changed the database"
    );

    // In use: another process (here this one) holds the database open, as a server does.
    let mut holder = connect(&rt, &db);
    rt.block_on(sqlx::query("SELECT COUNT(*) FROM network_loads").execute(&mut holder))
        .unwrap();
    assert_refused(
        &restore(&good),
        &format!("the database {} is in use", db.display()),
    );
    rt.block_on(holder.close()).unwrap();

    // And once it is free, the good file restores.
    let output = restore(&good);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(snapshot(&rt, &db), snapshot(&rt, &good));
    assert!(!dir.path().join("live.sqlite.restoring").exists());
}

#[test]
fn backup_never_overwrites_and_needs_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let rt = runtime();
    let db = dir.path().join("live.sqlite");
    small_database(&rt, &db);
    let existing = dir.path().join("existing.sqlite");
    std::fs::write(&existing, "keep me").unwrap();
    let output = run(&[
        "backup",
        existing.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_refused(
        &output,
        &format!(
            "{} already exists and a backup never overwrites",
            existing.display()
        ),
    );
    assert!(stderr(&output).contains("rm "), "{}", stderr(&output));
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");

    let missing = dir.path().join("missing.sqlite");
    let output = run(&[
        "backup",
        dir.path().join("b.sqlite").to_str().unwrap(),
        "--db",
        missing.to_str().unwrap(),
    ]);
    assert_refused(
        &output,
        &format!("there is no database at {}", missing.display()),
    );
    assert!(!missing.exists(), "backup created the database");
    assert!(!dir.path().join("b.sqlite").exists());
}

#[test]
fn a_bad_backup_command_line_is_one_line_and_exit_status_2() {
    for args in [
        &["backup"][..],
        &["restore", "a.sqlite", "b.sqlite"],
        &["backup", "a.sqlite", "--port", "80"],
        &["restore", "a.sqlite", "--db"],
    ] {
        let output = run(args);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
        assert_eq!(message.trim_end().lines().count(), 1, "{message}");
        assert!(message.contains("(usage: crossdock-server "), "{message}");
        assert!(!message.contains("panicked"), "{message}");
    }
}

/// A PostgreSQL client tool, found as `crossdock-server` finds them.
fn pg_tool(name: &str) -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    let debian = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path().join("bin"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain(debian)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} not found"))
}

/// Runs SQL with psql (stops at the first error); its unaligned output.
fn psql(url: &str, sql: &str) -> String {
    let output = std::process::Command::new(pg_tool("psql"))
        .args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            sql,
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "psql: {sql}: {}", stderr(&output));
    stdout(&output)
}

#[test]
fn postgresql_backup_and_restore_go_through_pg_dump_and_pg_restore() {
    let Ok(base) = std::env::var("CROSSDOCK_TEST_DATABASE_URL") else {
        println!(
            "skipped: CROSSDOCK_TEST_DATABASE_URL is not set (scripts/with-postgres.sh cargo test -p crossdock-server --test backup sets it)"
        );
        return;
    };
    let name = format!(
        "crossdock_backup_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    psql(&base, &format!("CREATE DATABASE {name}"));
    let (server, _) = base.rsplit_once('/').unwrap();
    let url = format!("{server}/{name}");

    let versions: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .map(|n| n.split('_').next().unwrap().to_owned())
            .collect();
    psql(
        &url,
        &format!(
            "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, \
               installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, \
               checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL); \
             INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
               SELECT v, 'migration', true, '\\x00', 0 FROM unnest(ARRAY[{}]::bigint[]) v; \
             CREATE TABLE listings (id BIGINT PRIMARY KEY, sku TEXT NOT NULL, price_minor BIGINT, note TEXT); \
             INSERT INTO listings SELECT i, 'SKU-' || i, i * 100, CASE WHEN i % 7 = 0 THEN NULL ELSE 'Größe ' || i END \
               FROM generate_series(1, 500) i;",
            versions.join(", ")
        ),
    );
    let contents = |url: &str| {
        psql(
            url,
            "SELECT * FROM listings ORDER BY id; SELECT version, success FROM _sqlx_migrations ORDER BY version",
        )
    };
    let at_backup = contents(&url);
    assert_eq!(at_backup.lines().count(), 500 + versions.len());

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("crossdock.pgdump");
    let file_arg = file.to_str().unwrap();
    let output = run(&["backup", file_arg, "--database-url", &url]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("public.listings"),
        "{}",
        stdout(&output)
    );
    assert_refused(
        &run(&["backup", file_arg, "--database-url", &url]),
        &format!("{} already exists", file.display()),
    );

    psql(
        &url,
        "UPDATE listings SET price_minor = 1 WHERE id <= 10; DELETE FROM listings WHERE id > 400; \
         INSERT INTO listings VALUES (9999, 'after', 1, 'after the backup')",
    );
    assert_ne!(contents(&url), at_backup);
    let output = run(&["restore", file_arg, "--database-url", &url]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("restored "),
        "{}",
        stdout(&output)
    );
    assert_eq!(contents(&url), at_backup);

    // Failures: pg_dump's own words, no file left behind; not an archive; a SQLite file.
    let elsewhere = dir.path().join("missing.pgdump");
    let output = run(&[
        "backup",
        elsewhere.to_str().unwrap(),
        "--database-url",
        &format!("{server}/{name}_missing"),
    ]);
    assert_refused(&output, "pg_dump failed");
    assert!(
        stderr(&output).contains("does not exist"),
        "{}",
        stderr(&output)
    );
    assert!(!elsewhere.exists());
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not an archive\n").unwrap();
    assert_refused(
        &run(&["restore", text.to_str().unwrap(), "--database-url", &url]),
        &format!("{} is not a pg_dump archive", text.display()),
    );
    assert_eq!(contents(&url), at_backup);

    // An archive from a newer build (a migration this one does not know) is refused.
    psql(
        &url,
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99991231000000, 'from the future', true, '\\x00', 0)",
    );
    let newer = dir.path().join("newer.pgdump");
    let output = run(&["backup", newer.to_str().unwrap(), "--database-url", &url]);
    assert!(output.status.success(), "{}", stderr(&output));
    psql(
        &url,
        "DELETE FROM _sqlx_migrations WHERE version = 99991231000000",
    );
    assert_refused(
        &run(&["restore", newer.to_str().unwrap(), "--database-url", &url]),
        &format!(
            "{} was written by a newer crossdock-server (migration 99991231000000",
            newer.display()
        ),
    );
    assert_eq!(contents(&url), at_backup);

    psql(&base, &format!("DROP DATABASE {name} WITH (FORCE)"));
}

/// Every table of a PostgreSQL database, every row in full, in a fixed order.
fn pg_contents(url: &str) -> String {
    let tables = psql(
        url,
        "SELECT table_name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
    );
    tables
        .lines()
        .filter(|t| !t.is_empty())
        .map(|t| {
            format!(
                "== {t}\n{}",
                psql(url, &format!("SELECT * FROM {t} ORDER BY {t}::text"))
            )
        })
        .collect()
}

#[test]
fn a_postgresql_backup_of_the_server_restores_every_row_and_drops_later_writes() {
    let Some(base) = testdb::postgres_url() else {
        println!(
            "skipped: CROSSDOCK_TEST_DATABASE_URL is not set (scripts/with-postgres.sh cargo test -p crossdock-server --test backup sets it)"
        );
        return;
    };
    let url = testdb::create_database(&base, None);
    let target = crossdock_server::DbTarget::Postgres(url.clone());
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    let rt = process::runtime();

    // A first start (the demo catalog, accounts, margins) and a seller's write.
    let server = Server::start(&target, &dist);
    let seller = Seller::sign_in(&server.addr, "voltaic");
    let pool = rt
        .block_on(crossdock_server::open(&target))
        .unwrap_or_else(|e| panic!("{e}"));
    let sku = process::plain_us_listings(&rt, &pool, "voltaic", 1)
        .pop()
        .unwrap();
    rt.block_on(pool.close());
    let sku = (sku.id, sku.currency, sku.warehouse);
    write(&server.addr, &seller, &sku, 4_321, 17);
    assert!(server.stop().success());

    let at_backup = pg_contents(&url);
    assert!(at_backup.contains("== audit_log"), "{at_backup}");
    let file = dir.path().join("crossdock.pgdump");
    let file_arg = file.to_str().unwrap();
    let output = run(&["backup", file_arg, "--database-url", &url]);
    assert!(output.status.success(), "{}", stderr(&output));

    // A write after the backup; restore brings back the rows of the backup, and only them.
    let server = Server::start(&target, &dist);
    let seller = Seller::sign_in(&server.addr, "voltaic");
    write(&server.addr, &seller, &sku, 9_876, 3);
    assert!(server.stop().success());
    assert_ne!(pg_contents(&url), at_backup);
    let output = run(&["restore", file_arg, "--database-url", &url]);
    assert!(output.status.success(), "{}", stderr(&output));
    let restored = pg_contents(&url);
    assert!(
        restored == at_backup,
        "the restored rows differ from the backup's"
    );
    assert!(!restored.contains("9876"));

    // The server starts on the restored database and shows the backed-up price.
    let server = Server::start(&target, &dist);
    let seller = Seller::sign_in(&server.addr, "voltaic");
    let (status, detail) = seller.json(
        &server.addr,
        "GET",
        &format!("/api/seller/listings/{}", sku.0),
        None,
    );
    assert_eq!(status, 200, "{detail}");
    let us = detail["prices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["market"] == "US")
        .unwrap();
    assert_eq!(us["price"]["minor"], 4_321);
    assert!(server.stop().success());
}
