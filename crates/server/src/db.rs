//! The embedded database: SQLite in WAL mode, migrated at start.
//!
//! Queries use the unchecked `sqlx::query` functions (a clean clone builds without a
//! database) and portable SQL with `$n` parameters, so PostgreSQL can follow.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::{LoadedNetwork, StartError};

/// The migrations of this build (`migrations/`), applied at start.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Opens (creating it and its folder on first start) and migrates the database at `path`.
pub async fn open_db(path: &Path) -> Result<SqlitePool, StartError> {
    let fail = |message: String| StartError::Database {
        path: path.to_path_buf(),
        message,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| fail(format!("cannot create the folder {}: {e}", dir.display())))?;
    }
    let options = SqliteConnectOptions::from_str("sqlite:")
        .map_err(|e| fail(e.to_string()))?
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .map_err(|e| fail(e.to_string()))?;
    MIGRATOR
        .run(&pool)
        .await
        .map_err(|e| fail(format!("migration failed: {e}")))?;
    Ok(pool)
}

/// Records that this start loaded `network`.
pub async fn record_network_load(
    pool: &SqlitePool,
    network: &LoadedNetwork,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO network_loads (version, content_hash, loaded_at) \
         VALUES ($1, $2, CURRENT_TIMESTAMP)",
    )
    .bind(network.version())
    .bind(network.content_hash())
    .execute(pool)
    .await?;
    Ok(())
}
