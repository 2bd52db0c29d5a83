//! The database: the embedded SQLite file (WAL mode) by default, or PostgreSQL when
//! `DATABASE_URL` names one; migrated at start.
//!
//! Both go through sqlx's `Any` driver, so every query is written once: the unchecked
//! `sqlx::query` functions (a clean clone builds without a database), portable SQL with
//! `$n` parameters, integers as `BIGINT`/`i64`, instants as RFC 3339 text. The few places
//! where the two differ ask [`backend`]. The schema lives twice, `migrations/sqlite` and
//! `migrations/postgres`, kept in step (PostgreSQL has identity columns where SQLite has
//! `INTEGER PRIMARY KEY` row ids).

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, ConnectOptions, Executor};

use crate::{LoadedNetwork, StartError};

/// The SQLite migrations of this build (`migrations/sqlite`), applied at start.
pub static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");
/// The PostgreSQL migrations of this build (`migrations/postgres`), applied at start.
pub static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database a server uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbTarget {
    /// The embedded SQLite file (created with its folder on first start).
    Sqlite(PathBuf),
    /// A PostgreSQL database: a `postgres://` URL.
    Postgres(String),
}

impl DbTarget {
    /// `DATABASE_URL` when it is set (a `postgres://` or `sqlite:` URL), else the SQLite
    /// file at `path`. The error says what was wrong with the URL.
    pub fn choose(path: PathBuf, url: Option<&str>) -> Result<DbTarget, String> {
        let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) else {
            return Ok(DbTarget::Sqlite(path));
        };
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return url::Url::parse(url)
                .map(|_| DbTarget::Postgres(url.to_owned()))
                .map_err(|e| {
                    format!(
                        "DATABASE_URL is not a valid URL ({e}): write postgres://USER:PASSWORD@HOST:PORT/DATABASE"
                    )
                });
        }
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let file = rest.strip_prefix("//").unwrap_or(rest);
            let file = file.split('?').next().unwrap_or_default();
            if file.is_empty() {
                return Err("DATABASE_URL sqlite: names no file: write sqlite:PATH, or leave DATABASE_URL unset and use --db PATH".into());
            }
            return Ok(DbTarget::Sqlite(PathBuf::from(file)));
        }
        Err(format!(
            "DATABASE_URL {:?} is neither postgres://… nor sqlite:…: unset it to use the SQLite file (--db), or give a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL",
            redact(url)
        ))
    }

    /// What to call it in messages: the file's path, or the URL without its password.
    pub fn describe(&self) -> String {
        match self {
            DbTarget::Sqlite(path) => path.display().to_string(),
            DbTarget::Postgres(url) => redact(url),
        }
    }
}

/// The backend behind a pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Which backend `pool` talks to.
pub fn backend(pool: &AnyPool) -> Backend {
    match pool.connect_options().database_url.scheme() {
        "postgres" | "postgresql" => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

/// Turns at a seller write's transaction, for one process.
///
/// SQLite lets one transaction write at a time, and one waiting for the write lock polls
/// it with growing sleeps: under many concurrent saves, a save that is unlucky keeps
/// sleeping while later ones take the lock, and waits seconds. Taking a turn here first
/// queues this process's saves in arrival order, so each waits only for those ahead of
/// it. PostgreSQL locks rows and queues waiters fairly itself: no turns are taken there.
#[derive(Clone, Debug)]
pub struct WriteTurns(Option<std::sync::Arc<tokio::sync::Mutex<()>>>);

/// A turn taken with [`WriteTurns::take`]: the next save waits until it is dropped.
#[derive(Debug)]
pub struct WriteTurn(#[allow(dead_code)] Option<tokio::sync::OwnedMutexGuard<()>>);

impl WriteTurns {
    /// Turns for `pool`'s backend.
    pub fn for_pool(pool: &AnyPool) -> WriteTurns {
        WriteTurns(match backend(pool) {
            Backend::Sqlite => Some(std::sync::Arc::default()),
            Backend::Postgres => None,
        })
    }

    /// Waits for this process's saves ahead to finish (none on PostgreSQL).
    pub async fn take(&self) -> WriteTurn {
        match &self.0 {
            Some(gate) => WriteTurn(Some(gate.clone().lock_owned().await)),
            None => WriteTurn(None),
        }
    }
}

/// The migrations of `backend`.
pub fn migrator(backend: Backend) -> &'static Migrator {
    match backend {
        Backend::Sqlite => &SQLITE_MIGRATOR,
        Backend::Postgres => &POSTGRES_MIGRATOR,
    }
}

/// What to call `pool`'s database in messages: the SQLite file, or the URL without its
/// password.
pub fn describe(pool: &AnyPool) -> String {
    let url = &pool.connect_options().database_url;
    match backend(pool) {
        Backend::Postgres => redact(url.as_str()),
        Backend::Sqlite => percent_encoding::percent_decode_str(url.path())
            .decode_utf8_lossy()
            .into_owned(),
    }
}

/// `url` without the password (`postgres://user:***@host/db`).
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Opens (creating the SQLite file and its folder on first start) and migrates the
/// SQLite database at `path`.
pub async fn open_db(path: &Path) -> Result<AnyPool, StartError> {
    open(&DbTarget::Sqlite(path.to_path_buf())).await
}

/// Opens and migrates `target`.
pub async fn open(target: &DbTarget) -> Result<AnyPool, StartError> {
    sqlx::any::install_default_drivers();
    let fail = |message: String| StartError::Database {
        database: target.describe(),
        message,
    };
    let (options, pool) = match target {
        DbTarget::Sqlite(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    fail(format!("cannot create the folder {}: {e}", dir.display()))
                })?;
            }
            let url = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .to_url_lossy();
            let options = AnyConnectOptions::from_url(&url).map_err(|e| fail(e.to_string()))?;
            // Set on every connection: WAL (readers never wait for the writer), NORMAL
            // sync (durable at every checkpoint, and no acknowledged write is lost to a
            // killed process), foreign keys, and waiting for the write lock, not failing.
            let pool = AnyPoolOptions::new()
                .max_connections(4)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .await?;
                        Ok(())
                    })
                });
            (options, pool)
        }
        DbTarget::Postgres(url) => {
            let options = AnyConnectOptions::from_url(
                &url::Url::parse(url).map_err(|e| fail(format!("not a valid URL: {e}")))?,
            )
            .map_err(|e| fail(e.to_string()))?;
            let pool = AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10));
            (options, pool)
        }
    };
    let pool = pool
        .connect_with(options)
        .await
        .map_err(|e| fail(e.to_string()))?;
    migrator(backend(&pool))
        .run(&pool)
        .await
        .map_err(|e| fail(format!("migration failed: {e}")))?;
    Ok(pool)
}

/// Records that this start loaded `network`.
pub async fn record_network_load(
    pool: &AnyPool,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_picks_the_backend() {
        let file = PathBuf::from("var/crossdock.sqlite");
        assert_eq!(
            DbTarget::choose(file.clone(), None),
            Ok(DbTarget::Sqlite(file.clone()))
        );
        assert_eq!(
            DbTarget::choose(file.clone(), Some("  ")),
            Ok(DbTarget::Sqlite(file.clone()))
        );
        assert_eq!(
            DbTarget::choose(
                file.clone(),
                Some("postgres://app:secret@db:5432/crossdock")
            ),
            Ok(DbTarget::Postgres(
                "postgres://app:secret@db:5432/crossdock".into()
            ))
        );
        assert_eq!(
            DbTarget::choose(file.clone(), Some("sqlite:///srv/x.sqlite?mode=rwc")),
            Ok(DbTarget::Sqlite("/srv/x.sqlite".into()))
        );
        let wrong = DbTarget::choose(file, Some("mysql://root:pw@db/x"));
        let Err(message) = wrong else {
            unreachable!("{wrong:?}")
        };
        assert!(message.contains("postgres://"), "{message}");
        assert!(
            !message.contains("pw@"),
            "the password is not repeated: {message}"
        );
    }

    #[test]
    fn messages_never_show_the_password() {
        let target = DbTarget::Postgres("postgres://app:secret@db:5432/crossdock".into());
        assert_eq!(target.describe(), "postgres://app:***@db:5432/crossdock");
    }
}
