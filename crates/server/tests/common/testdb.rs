//! The database the tests run on: SQLite files in temporary folders, or PostgreSQL when
//! `CROSSDOCK_TEST_DATABASE_URL` names a server (`scripts/with-postgres.sh` starts a
//! throwaway one, and `make test` runs the server's tests both ways). On PostgreSQL every
//! test gets a database of its own, so tests run side by side as they do on SQLite.
//! Shared by `common` and the tests that start the real binary (which include this file
//! alone).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use crossdock_server::DbTarget;
use sqlx::{Connection, Executor};

/// The PostgreSQL server the tests run on, when one is named.
pub fn postgres_url() -> Option<String> {
    std::env::var("CROSSDOCK_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// Which backend this run tests, for messages and figures.
pub fn backend_name() -> &'static str {
    if postgres_url().is_some() {
        "postgres"
    } else {
        "sqlite"
    }
}

/// A new, empty database: the file `name` in `dir`, or a new database on the PostgreSQL
/// server.
pub fn fresh(dir: &Path, name: &str) -> DbTarget {
    match postgres_url() {
        None => DbTarget::Sqlite(dir.join(name)),
        Some(base) => DbTarget::Postgres(create_database(&base, None)),
    }
}

/// Creates a database on the PostgreSQL server at `base` (a copy of `template` when
/// given: PostgreSQL copies it file by file, as the SQLite fixtures copy their file) under
/// a name no other test uses; its URL.
pub fn create_database(base: &str, template: Option<&str>) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let sql = match template {
        Some(t) => format!("CREATE DATABASE {name} TEMPLATE {t}"),
        None => format!("CREATE DATABASE {name}"),
    };
    // PostgreSQL copies a template only while no one else uses it, and a copy in
    // progress counts as using it: one copy at a time in this process.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    admin(base, &sql);
    with_database(base, &name)
}

/// Runs `sql` on the server's `postgres` database, on a thread and runtime of its own (the
/// caller may be inside a runtime, or not).
pub fn admin(base: &str, sql: &str) {
    let (base, sql) = (base.to_owned(), sql.to_owned());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut conn = sqlx::postgres::PgConnection::connect(&base)
                .await
                .unwrap_or_else(|e| panic!("CROSSDOCK_TEST_DATABASE_URL {base}: {e}"));
            conn.execute(sql.as_str())
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            conn.close().await.unwrap();
        });
    })
    .join()
    .unwrap();
}

/// `base` with its database name replaced by `name`.
pub fn with_database(base: &str, name: &str) -> String {
    let mut url = url::Url::parse(base).unwrap();
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// The database's name in a PostgreSQL URL.
pub fn database_name(url: &str) -> String {
    url::Url::parse(url)
        .unwrap()
        .path()
        .trim_start_matches('/')
        .to_owned()
}

/// The arguments and environment that make the real binary use `target`.
pub fn server_args(target: &DbTarget) -> (Vec<String>, Vec<(String, String)>) {
    match target {
        DbTarget::Sqlite(path) => (
            vec!["--db".into(), path.display().to_string()],
            vec![("DATABASE_URL".into(), String::new())],
        ),
        DbTarget::Postgres(url) => (Vec::new(), vec![("DATABASE_URL".into(), url.clone())]),
    }
}
