//! `crossdock-server backup FILE` and `crossdock-server restore FILE`.
//!
//! SQLite (`--db PATH`):
//! - backup is online: `VACUUM INTO FILE` copies one consistent snapshot while the server
//!   keeps reading and writing (WAL mode), into a single self-contained file (rollback
//!   journal mode, no `-wal`). The copy is synced to disk, opened read-only, must pass
//!   `PRAGMA integrity_check`, and its rows per table (every table in `sqlite_master`) are
//!   reported. FILE is never overwritten.
//! - restore checks FILE first (a SQLite database, `integrity_check` ok, a Crossdock
//!   database: `_sqlx_migrations` with no migration this build does not know) and refuses
//!   while a process has the target open (an exclusive lock is refused then), then copies
//!   FILE to `<db>.restoring`, syncs it, removes `<db>-wal` and `<db>-shm` (a stale WAL
//!   must never be replayed onto the restored file), renames it over `<db>` and syncs the
//!   folder: a crash leaves the old database or the new one, never a mix.
//!
//! PostgreSQL (`--database-url postgres://…`, env `DATABASE_URL`): `pg_dump` and
//! `pg_restore` from the PostgreSQL client tools do the work (custom format, no owners,
//! restored in one transaction). A password in the URL reaches them through `PGPASSWORD`,
//! never on their command line (which `ps` shows to everyone), and messages print the URL
//! without it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteLockingMode};
use sqlx::{ConnectOptions, Connection};

/// The command line's subcommands (parsed in `config.rs`), re-exported here so that
/// `lib.rs` only names this module.
pub use crate::config::Command;
use crate::config::Config;

/// The database a backup is taken from or restored into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL database URL (it may hold a password: print it with [`redact`]).
    Postgres(String),
}

impl Target {
    /// The database `config` names: `database_url` when set (`postgres://`,
    /// `postgresql://`, or `sqlite:PATH`), else the SQLite file `db`.
    pub fn of(config: &Config) -> Result<Target, BackupError> {
        let Some(url) = config.database_url.as_deref().map(str::trim) else {
            return Ok(Target::Sqlite(config.db.clone()));
        };
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Target::Postgres(url.to_owned()));
        }
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            let path = path.split('?').next().unwrap_or_default();
            if !path.is_empty() {
                return Ok(Target::Sqlite(PathBuf::from(path)));
            }
        }
        Err(BackupError::Url(redact(url)))
    }
}

/// What a backup or restore did: a headline and the tables it holds, with their rows when
/// known (pg_dump archives are not counted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub headline: String,
    pub tables: Vec<(String, Option<i64>)>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.headline)?;
        let width = self.tables.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
        for (name, rows) in &self.tables {
            match rows {
                Some(rows) => write!(f, "\n  {name:<width$}  {rows:>9}")?,
                None => write!(f, "\n  {name}")?,
            }
        }
        Ok(())
    }
}

/// Why a backup or restore did not happen (or did not finish). `Display` is one line
/// saying what to do.
#[derive(Debug)]
pub enum BackupError {
    /// The backup file already exists.
    Exists(PathBuf),
    /// There is no database to back up.
    NoDatabase(PathBuf),
    /// The file to restore is not a SQLite database.
    NotSqlite(PathBuf),
    /// The file to restore (or a fresh backup) fails `integrity_check` or cannot be read.
    Damaged { file: PathBuf, problems: String },
    /// The file is a database, but not one written by crossdock-server.
    NotCrossdock(PathBuf),
    /// The file holds a migration this build does not know: a newer build wrote it.
    NewerMigration { file: PathBuf, version: i64 },
    /// The file holds a migration that failed half way.
    UnfinishedMigration { file: PathBuf, version: i64 },
    /// Another process has the target database open.
    InUse(PathBuf),
    /// `DATABASE_URL` names no database this command knows.
    Url(String),
    /// A file operation failed.
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// A SQLite operation failed.
    Sqlite {
        what: &'static str,
        path: PathBuf,
        source: sqlx::Error,
    },
    /// A PostgreSQL client tool is not installed.
    ToolMissing(&'static str),
    /// A PostgreSQL client tool failed: what it wrote on stderr.
    ToolFailed {
        tool: &'static str,
        status: String,
        stderr: String,
    },
    /// The file to restore into PostgreSQL is not a pg_dump custom-format archive.
    NotPgArchive { file: PathBuf, stderr: String },
}

impl std::fmt::Display for BackupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BackupError::Exists(file) => write!(
                f,
                "{} already exists and a backup never overwrites: choose a new name, or remove the old file first (rm {})",
                file.display(),
                file.display()
            ),
            BackupError::NoDatabase(path) => write!(
                f,
                "there is no database at {}: name it with --db PATH (or CROSSDOCK_DB)",
                path.display()
            ),
            BackupError::NotSqlite(file) => write!(
                f,
                "{} is not a SQLite database (a backup made with crossdock-server backup is); nothing was changed",
                file.display()
            ),
            BackupError::Damaged { file, problems } => write!(
                f,
                "{} is damaged ({problems}); nothing was changed — restore another backup",
                file.display()
            ),
            BackupError::NotCrossdock(file) => write!(
                f,
                "{} is not a Crossdock database (it has no _sqlx_migrations table); nothing was changed",
                file.display()
            ),
            BackupError::NewerMigration { file, version } => write!(
                f,
                "{} was written by a newer crossdock-server (migration {version} is unknown to this build); restore it with that version; nothing was changed",
                file.display()
            ),
            BackupError::UnfinishedMigration { file, version } => write!(
                f,
                "{} holds migration {version} failed half way; nothing was changed — restore another backup",
                file.display()
            ),
            BackupError::InUse(path) => write!(
                f,
                "the database {} is in use (is crossdock-server running?): stop the server, then restore; nothing was changed",
                path.display()
            ),
            BackupError::Url(url) => write!(
                f,
                "the database URL {url} is neither postgres://USER@HOST/NAME nor sqlite:PATH (for a SQLite file use --db PATH)"
            ),
            BackupError::Io { what, path, source } => {
                write!(f, "{what} {}: {source}", path.display())
            }
            BackupError::Sqlite { what, path, source } => {
                write!(f, "{what} {}: {source}", path.display())
            }
            BackupError::ToolMissing(tool) => write!(
                f,
                "{tool} is not installed (looked on PATH and in /usr/lib/postgresql/*/bin): install the PostgreSQL client tools (apt-get install postgresql-client), at least the server's version"
            ),
            BackupError::ToolFailed {
                tool,
                status,
                stderr,
            } => write!(f, "{tool} failed ({status}): {}", one_line(stderr)),
            BackupError::NotPgArchive { file, stderr } => write!(
                f,
                "{} is not a pg_dump archive in custom format ({}); nothing was changed",
                file.display(),
                one_line(stderr)
            ),
        }
    }
}

impl std::error::Error for BackupError {}

/// `crossdock-server backup FILE`: copies the database `target` to `file`.
pub async fn backup(target: &Target, file: &Path) -> Result<Report, BackupError> {
    refuse_existing(file)?;
    match target {
        Target::Sqlite(db) => backup_sqlite(db, file).await,
        Target::Postgres(url) => backup_postgres(url, file),
    }
}

/// `crossdock-server restore FILE`: replaces the database `target` with the copy in
/// `file`, once `file` has passed its checks.
pub async fn restore(target: &Target, file: &Path) -> Result<Report, BackupError> {
    // Opened here so a missing or unreadable FILE says so in the words of the OS.
    let mut head = Vec::with_capacity(16);
    std::fs::File::open(file)
        .and_then(|f| f.take(16).read_to_end(&mut head))
        .map_err(|source| BackupError::Io {
            what: "cannot read",
            path: file.to_path_buf(),
            source,
        })?;
    match target {
        Target::Sqlite(db) => {
            if head != SQLITE_HEADER {
                return Err(BackupError::NotSqlite(file.to_path_buf()));
            }
            restore_sqlite(db, file).await
        }
        Target::Postgres(url) => {
            if head == SQLITE_HEADER {
                return Err(BackupError::NotPgArchive {
                    file: file.to_path_buf(),
                    stderr: "it is a SQLite database: restore it with --db PATH".into(),
                });
            }
            restore_postgres(url, file)
        }
    }
}

/// The first 16 bytes of every SQLite database file.
const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";

fn refuse_existing(file: &Path) -> Result<(), BackupError> {
    if std::fs::symlink_metadata(file).is_ok() {
        return Err(BackupError::Exists(file.to_path_buf()));
    }
    if let Some(dir) = parent(file)
        && !dir.is_dir()
    {
        return Err(BackupError::Io {
            what: "cannot write the backup into",
            path: dir.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such folder"),
        });
    }
    Ok(())
}

/// The folder `path` is in (`None` for a bare file name: the current folder).
fn parent(path: &Path) -> Option<&Path> {
    path.parent().filter(|d| !d.as_os_str().is_empty())
}

fn sync_file(path: &Path) -> Result<(), BackupError> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|source| BackupError::Io {
            what: "cannot sync",
            path: path.to_path_buf(),
            source,
        })
}

/// Makes a rename or a new file in `path`'s folder durable.
fn sync_folder_of(path: &Path) -> Result<(), BackupError> {
    let dir = parent(path).unwrap_or(Path::new("."));
    std::fs::File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(|source| BackupError::Io {
            what: "cannot sync the folder",
            path: dir.to_path_buf(),
            source,
        })
}

fn sqlite_options(path: &Path) -> SqliteConnectOptions {
    // `SqliteConnectOptions::new()` cannot fail; `from_str` keeps clippy's `expect` ban.
    SqliteConnectOptions::from_str("sqlite:")
        .unwrap_or_else(|_| SqliteConnectOptions::new())
        .filename(path)
        .create_if_missing(false)
}

/// `path` opened read-only as one unchanging file: no locks, no WAL (nothing else may
/// write it meanwhile — a backup file).
async fn open_file_read_only(path: &Path) -> Result<SqliteConnection, BackupError> {
    sqlite_options(path)
        .read_only(true)
        .immutable(true)
        .connect()
        .await
        .map_err(|e| damaged_or(path, "cannot open", e))
}

/// A corrupt or non-database file reads as [`BackupError::Damaged`]; anything else as
/// what was being done.
fn damaged_or(path: &Path, what: &'static str, source: sqlx::Error) -> BackupError {
    let code = source
        .as_database_error()
        .and_then(|e| e.code())
        .and_then(|c| c.parse::<i64>().ok());
    // SQLITE_CORRUPT (11) and SQLITE_NOTADB (26), with their extended codes.
    match code.map(|c| c & 0xff) {
        Some(11 | 26) => BackupError::Damaged {
            file: path.to_path_buf(),
            problems: source.to_string(),
        },
        _ => BackupError::Sqlite {
            what,
            path: path.to_path_buf(),
            source,
        },
    }
}

/// `PRAGMA integrity_check` answers `ok`, else the first problems it lists.
async fn check_integrity(conn: &mut SqliteConnection, path: &Path) -> Result<(), BackupError> {
    let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check(5)")
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| damaged_or(path, "cannot check", e))?;
    match rows.as_slice() {
        [(ok,)] if ok == "ok" => Ok(()),
        problems => Err(BackupError::Damaged {
            file: path.to_path_buf(),
            problems: format!(
                "integrity_check: {}",
                problems
                    .iter()
                    .map(|(p,)| p.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }),
    }
}

/// Every table (from `sqlite_master`, so new ones are included) with its rows.
async fn count_rows(
    conn: &mut SqliteConnection,
    path: &Path,
) -> Result<Vec<(String, Option<i64>)>, BackupError> {
    let fail = |e| damaged_or(path, "cannot count the rows of", e);
    let names: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(fail)?;
    let mut tables = Vec::with_capacity(names.len());
    for (name,) in names {
        let (rows,): (i64,) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM \"{}\"",
            name.replace('"', "\"\"")
        ))
        .fetch_one(&mut *conn)
        .await
        .map_err(fail)?;
        tables.push((name, Some(rows)));
    }
    Ok(tables)
}

async fn backup_sqlite(db: &Path, file: &Path) -> Result<Report, BackupError> {
    if !db.is_file() {
        return Err(BackupError::NoDatabase(db.to_path_buf()));
    }
    let into = file.to_str().ok_or_else(|| BackupError::Io {
        what: "cannot write the backup to",
        path: file.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the path is not UTF-8 text",
        ),
    })?;
    let mut source = sqlite_options(db)
        .busy_timeout(Duration::from_secs(10))
        .connect()
        .await
        .map_err(|e| damaged_or(db, "cannot open the database", e))?;
    let copied = sqlx::query("VACUUM INTO $1")
        .bind(into)
        .execute(&mut source)
        .await;
    let _ = source.close().await;
    if let Err(e) = copied {
        // Never leave half a backup behind that looks like one.
        let _ = std::fs::remove_file(file);
        return Err(damaged_or(db, "cannot back up the database", e));
    }
    sync_file(file)?;
    sync_folder_of(file)?;

    let checked = async {
        let mut copy = open_file_read_only(file).await?;
        check_integrity(&mut copy, file).await?;
        let tables = count_rows(&mut copy, file).await;
        let _ = copy.close().await;
        tables
    }
    .await;
    let tables = match checked {
        Ok(tables) => tables,
        Err(e) => {
            let _ = std::fs::remove_file(file);
            return Err(e);
        }
    };
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    Ok(Report {
        headline: format!(
            "backed up {} to {} ({bytes} bytes, integrity_check ok); rows per table:",
            db.display(),
            file.display()
        ),
        tables,
    })
}

/// The checks on a file to restore: a sound Crossdock database this build can run.
async fn check_sqlite_backup(file: &Path) -> Result<(), BackupError> {
    let mut conn = open_file_read_only(file).await?;
    let checked = async {
        check_integrity(&mut conn, file).await?;
        let (has_migrations,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&mut conn)
        .await
        .map_err(|e| damaged_or(file, "cannot read", e))?;
        if has_migrations == 0 {
            return Err(BackupError::NotCrossdock(file.to_path_buf()));
        }
        let applied: Vec<(i64, bool)> =
            sqlx::query_as("SELECT version, success FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&mut conn)
                .await
                .map_err(|e| damaged_or(file, "cannot read the migrations of", e))?;
        check_migrations(file, &applied)
    }
    .await;
    let _ = conn.close().await;
    checked
}

/// Every applied migration is one this build knows, and none failed half way.
fn check_migrations(file: &Path, applied: &[(i64, bool)]) -> Result<(), BackupError> {
    let known: Vec<i64> = crate::db::SQLITE_MIGRATOR
        .iter()
        .map(|m| m.version)
        .collect();
    if let Some((version, _)) = applied.iter().rev().find(|(v, _)| !known.contains(v)) {
        return Err(BackupError::NewerMigration {
            file: file.to_path_buf(),
            version: *version,
        });
    }
    if let Some((version, _)) = applied.iter().find(|(_, success)| !success) {
        return Err(BackupError::UnfinishedMigration {
            file: file.to_path_buf(),
            version: *version,
        });
    }
    Ok(())
}

/// Refuses when another process has `db` open: with `locking_mode=EXCLUSIVE` a write
/// transaction needs every other connection gone, WAL mode or not. Cheap, and it catches
/// an idle server too (its pool keeps connections open).
async fn refuse_in_use(db: &Path) -> Result<(), BackupError> {
    let conn = sqlite_options(db)
        .locking_mode(SqliteLockingMode::Exclusive)
        .busy_timeout(Duration::ZERO)
        .connect()
        .await;
    let mut conn = match conn {
        Ok(conn) => conn,
        Err(e) if is_busy(&e) => return Err(BackupError::InUse(db.to_path_buf())),
        // A damaged database is what a restore is for.
        Err(_) => return Ok(()),
    };
    let locked = sqlx::query("BEGIN EXCLUSIVE").execute(&mut conn).await;
    let result = match locked {
        Ok(_) => {
            let _ = sqlx::query("COMMIT").execute(&mut conn).await;
            Ok(())
        }
        Err(e) if is_busy(&e) => Err(BackupError::InUse(db.to_path_buf())),
        Err(_) => Ok(()),
    };
    let _ = conn.close().await;
    result
}

/// SQLITE_BUSY (5) or SQLITE_LOCKED (6), with their extended codes.
fn is_busy(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .and_then(|e| e.code())
        .and_then(|c| c.parse::<i64>().ok())
        .is_some_and(|c| matches!(c & 0xff, 5 | 6))
}

/// `path` with `suffix` appended to its file name (`x.sqlite` → `x.sqlite-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

async fn restore_sqlite(db: &Path, file: &Path) -> Result<Report, BackupError> {
    let same = std::fs::canonicalize(db)
        .ok()
        .zip(std::fs::canonicalize(file).ok())
        .is_some_and(|(a, b)| a == b);
    if same {
        return Err(BackupError::Io {
            what: "cannot restore a database from itself:",
            path: file.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "the same file"),
        });
    }
    check_sqlite_backup(file).await?;
    if db.exists() {
        refuse_in_use(db).await?;
    } else if let Some(dir) = parent(db) {
        std::fs::create_dir_all(dir).map_err(|source| BackupError::Io {
            what: "cannot create the folder",
            path: dir.to_path_buf(),
            source,
        })?;
    }

    let staged = with_suffix(db, ".restoring");
    let io = |what: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| BackupError::Io { what, path, source }
    };
    std::fs::copy(file, &staged).map_err(io("cannot copy the backup to", &staged))?;
    sync_file(&staged)?;
    // The old database's WAL must not be replayed onto the restored file.
    for suffix in ["-wal", "-shm"] {
        let path = with_suffix(db, suffix);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io("cannot remove", &path)(e)),
        }
    }
    std::fs::rename(&staged, db).map_err(io("cannot rename the restored copy to", db))?;
    sync_folder_of(db)?;

    let mut restored = open_file_read_only(db).await?;
    let tables = count_rows(&mut restored, db).await;
    let _ = restored.close().await;
    Ok(Report {
        headline: format!(
            "restored {} from {} (integrity_check ok); rows per table:",
            db.display(),
            file.display()
        ),
        tables: tables?,
    })
}

/// `url` with its password replaced by `***`, for messages.
pub fn redact(url: &str) -> String {
    match split_password(url) {
        (rest, Some(_)) => match rest.split_once("://") {
            Some((scheme, tail)) => match tail.split_once('@') {
                Some((user, host)) => format!("{scheme}://{user}:***@{host}"),
                None => rest,
            },
            None => rest,
        },
        (rest, None) => rest,
    }
}

/// `url` without the password of its user part, and the password (percent-decoded).
fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_owned(), None);
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return (url.to_owned(), None);
    };
    let Some((user, password)) = userinfo.split_once(':') else {
        return (url.to_owned(), None);
    };
    (
        format!("{scheme}://{user}@{host}{path}"),
        Some(percent_decode(password)),
    )
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A PostgreSQL client tool: on `PATH`, else in the newest `/usr/lib/postgresql/*/bin`
/// (Debian's layout, where `postgresql` installs without the `/usr/bin` links).
fn find_pg_tool(name: &'static str) -> Result<PathBuf, BackupError> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter_map(|e| {
                    let version = e.file_name().to_str()?.parse::<u32>().ok()?;
                    Some((version, e.path().join("bin")))
                })
                .collect()
        })
        .unwrap_or_default();
    debian.sort_by_key(|(version, _)| std::cmp::Reverse(*version));
    on_path
        .into_iter()
        .chain(debian.into_iter().map(|(_, dir)| dir))
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
        .ok_or(BackupError::ToolMissing(name))
}

/// Runs a PostgreSQL client tool with `args`, then `url` (without its password) when
/// given; its output, or its stderr as the error.
fn run_pg_tool(
    name: &'static str,
    url: Option<&str>,
    args: &[&std::ffi::OsStr],
) -> Result<Output, BackupError> {
    let tool = find_pg_tool(name)?;
    let mut command = std::process::Command::new(&tool);
    command.args(args).stdin(std::process::Stdio::null());
    if let Some(url) = url {
        let (url, password) = split_password(url);
        if let Some(password) = password {
            command.env("PGPASSWORD", password);
        }
        command.arg(url);
    }
    let output = command.output().map_err(|source| BackupError::Io {
        what: "cannot run",
        path: tool.clone(),
        source,
    })?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(BackupError::ToolFailed {
            tool: name,
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    }
}

/// The tables whose rows a pg_dump archive holds (`pg_restore --list`), which also proves
/// the archive readable.
fn archive_tables(file: &Path) -> Result<Vec<(String, Option<i64>)>, BackupError> {
    let output = run_pg_tool("pg_restore", None, &["--list".as_ref(), file.as_os_str()]).map_err(
        |e| match e {
            BackupError::ToolFailed { stderr, .. } => BackupError::NotPgArchive {
                file: file.to_path_buf(),
                stderr,
            },
            other => other,
        },
    )?;
    let text = String::from_utf8_lossy(&output.stdout);
    // `3350; 0 16386 TABLE DATA public listings crossdock`
    let mut tables: Vec<(String, Option<i64>)> = text
        .lines()
        .filter(|l| !l.starts_with(';'))
        .filter_map(|l| {
            let (_, rest) = l.split_once(" TABLE DATA ")?;
            let mut words = rest.split_whitespace();
            let (schema, table) = (words.next()?, words.next()?);
            Some((format!("{schema}.{table}"), None))
        })
        .collect();
    tables.sort();
    Ok(tables)
}

/// The `_sqlx_migrations` rows of a pg_dump archive: `(version, success)`, or `None` when
/// it has no such table.
fn archive_migrations(file: &Path) -> Result<Option<Vec<(i64, bool)>>, BackupError> {
    let output = run_pg_tool(
        "pg_restore",
        None,
        &[
            "--data-only".as_ref(),
            "--table=_sqlx_migrations".as_ref(),
            "--file=-".as_ref(),
            file.as_os_str(),
        ],
    )?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = text.lines();
    // `COPY public._sqlx_migrations (version, description, …) FROM stdin;`
    let Some(columns) = lines.by_ref().find_map(|l| {
        let rest = l.strip_prefix("COPY ")?;
        let (_, columns) = rest.split_once(" (")?;
        let (columns, _) = columns.split_once(") FROM stdin")?;
        Some(columns.split(", ").map(str::to_owned).collect::<Vec<_>>())
    }) else {
        return Ok(None);
    };
    let at = |name: &str| columns.iter().position(|c| c == name);
    let (Some(version_at), success_at) = (at("version"), at("success")) else {
        return Ok(None);
    };
    let rows = lines
        .take_while(|l| *l != "\\.")
        .filter_map(|l| {
            let fields: Vec<&str> = l.split('\t').collect();
            let version = fields.get(version_at)?.parse().ok()?;
            let success = success_at
                .and_then(|i| fields.get(i))
                .is_none_or(|s| *s == "t");
            Some((version, success))
        })
        .collect();
    Ok(Some(rows))
}

fn backup_postgres(url: &str, file: &Path) -> Result<Report, BackupError> {
    let dumped = run_pg_tool(
        "pg_dump",
        Some(url),
        &[
            "--format=custom".as_ref(),
            "--no-owner".as_ref(),
            "--file".as_ref(),
            file.as_os_str(),
        ],
    );
    let tables = dumped.and_then(|_| {
        sync_file(file)?;
        sync_folder_of(file)?;
        archive_tables(file)
    });
    let tables = match tables {
        Ok(tables) => tables,
        Err(e) => {
            // FILE did not exist before: whatever is there is a failed dump's.
            let _ = std::fs::remove_file(file);
            return Err(e);
        }
    };
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    Ok(Report {
        headline: format!(
            "backed up {} to {} ({bytes} bytes, pg_dump custom format); tables with rows:",
            redact(url),
            file.display()
        ),
        tables,
    })
}

fn restore_postgres(url: &str, file: &Path) -> Result<Report, BackupError> {
    let tables = archive_tables(file)?;
    match archive_migrations(file)? {
        None => return Err(BackupError::NotCrossdock(file.to_path_buf())),
        Some(applied) => check_migrations(file, &applied)?,
    }
    run_pg_tool(
        "pg_restore",
        Some(url),
        &[
            "--clean".as_ref(),
            "--if-exists".as_ref(),
            "--no-owner".as_ref(),
            "--single-transaction".as_ref(),
            "--exit-on-error".as_ref(),
            file.as_os_str(),
            // The URL comes last: `-d URL`.
            "-d".as_ref(),
        ],
    )?;
    Ok(Report {
        headline: format!(
            "restored {} from {} (pg_restore, one transaction); tables with rows:",
            redact(url),
            file.display()
        ),
        tables,
    })
}

/// A tool's stderr on one line: its lines joined with ` | `, without blank ones.
fn one_line(text: &str) -> String {
    let joined = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" | ");
    if joined.is_empty() {
        "it printed nothing".into()
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_leave_the_url_for_pgpassword_and_messages_hide_them() {
        let cases = [
            (
                "postgres://crossdock:s%40cret@db:5432/shop?sslmode=require",
                "postgres://crossdock@db:5432/shop?sslmode=require",
                Some("s@cret"),
                "postgres://crossdock:***@db:5432/shop?sslmode=require",
            ),
            (
                "postgres://crossdock@127.0.0.1:5433/postgres",
                "postgres://crossdock@127.0.0.1:5433/postgres",
                None,
                "postgres://crossdock@127.0.0.1:5433/postgres",
            ),
            (
                "postgresql://u:p:q@h/d",
                "postgresql://u@h/d",
                Some("p:q"),
                "postgresql://u:***@h/d",
            ),
            (
                "postgres:///shop",
                "postgres:///shop",
                None,
                "postgres:///shop",
            ),
        ];
        for (url, bare, password, shown) in cases {
            assert_eq!(
                split_password(url),
                (bare.to_owned(), password.map(str::to_owned)),
                "{url}"
            );
            assert_eq!(redact(url), shown, "{url}");
        }
    }

    #[test]
    fn the_target_is_the_url_when_one_is_given() {
        let config = |url: Option<&str>| Config {
            addr: std::net::Ipv4Addr::LOCALHOST.into(),
            port: 0,
            network: "n.json".into(),
            pricing: "p.json".into(),
            dist: "dist".into(),
            db: "var/c.sqlite".into(),
            database_url: url.map(str::to_owned),
            trusted_proxies: Default::default(),
        };
        assert_eq!(
            Target::of(&config(None)).ok(),
            Some(Target::Sqlite("var/c.sqlite".into()))
        );
        assert_eq!(
            Target::of(&config(Some("postgres://u@h/d"))).ok(),
            Some(Target::Postgres("postgres://u@h/d".into()))
        );
        assert_eq!(
            Target::of(&config(Some("sqlite:///srv/c.sqlite?mode=rwc"))).ok(),
            Some(Target::Sqlite("/srv/c.sqlite".into()))
        );
        let message = Target::of(&config(Some("mysql://u:hunter2@h/d")))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("mysql://u:***@h/d"), "{message}");
    }

    #[test]
    fn a_migration_this_build_does_not_know_is_refused() {
        let known: Vec<(i64, bool)> = crate::db::SQLITE_MIGRATOR
            .iter()
            .map(|m| (m.version, true))
            .collect();
        let file = Path::new("b.sqlite");
        assert!(check_migrations(file, &known).is_ok());
        assert!(check_migrations(file, known.get(..1).unwrap_or_default()).is_ok());
        let mut newer = known.clone();
        newer.push((99_991_231_000_000, true));
        assert!(matches!(
            check_migrations(file, &newer),
            Err(BackupError::NewerMigration {
                version: 99_991_231_000_000,
                ..
            })
        ));
        let mut failed = known;
        if let Some(last) = failed.last_mut() {
            last.1 = false;
        }
        assert!(matches!(
            check_migrations(file, &failed),
            Err(BackupError::UnfinishedMigration { .. })
        ));
    }
}
