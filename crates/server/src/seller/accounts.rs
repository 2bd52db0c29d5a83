//! Seller accounts: argon2id password hashes, the demo accounts and their documented
//! credentials.

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use sqlx::{AnyPool, Row};
use tokio::sync::Semaphore;

use crate::api::server_now;
use crate::catalog::generate::GENERATOR;

/// The domain of every demo seller's login: `<seller id>@demo.crossdock`.
pub const DEMO_LOGIN_DOMAIN: &str = "demo.crossdock";

/// The login of a demo seller's account.
pub fn demo_login(seller_id: &str) -> String {
    format!("{seller_id}@{DEMO_LOGIN_DOMAIN}")
}

/// The documented password of a demo seller's account (public: demo accounts guard
/// nothing but demo data).
pub fn demo_password(seller_id: &str) -> String {
    format!("crossdock-demo-{seller_id}")
}

/// One demo account's sign-in, as `crossdock-server` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub seller_id: String,
    /// The shop's name.
    pub name: String,
    pub login: String,
    pub password: String,
}

/// Why the demo accounts could not be created.
#[derive(Debug)]
pub enum SeedError {
    Database(sqlx::Error),
    Hash(String),
}

impl std::fmt::Display for SeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SeedError::Database(e) => write!(f, "{e}"),
            SeedError::Hash(e) => write!(f, "hashing a password: {e}"),
        }
    }
}

impl std::error::Error for SeedError {}

impl From<sqlx::Error> for SeedError {
    fn from(e: sqlx::Error) -> SeedError {
        SeedError::Database(e)
    }
}

/// Creates the demo accounts, when the catalog is the demo catalog, for each seller that
/// has none; returns how many it created. Idempotent (and safe when two servers start at
/// once: a login already there is left alone).
pub async fn seed_demo_accounts(pool: &AnyPool) -> Result<usize, SeedError> {
    let demo: Option<String> = sqlx::query("SELECT generator FROM catalog_meta WHERE id = 1")
        .fetch_optional(pool)
        .await?
        .map(|row| row.try_get("generator"))
        .transpose()?;
    if demo.as_deref() != Some(GENERATOR) {
        return Ok(0);
    }
    let missing: Vec<String> = sqlx::query(
        "SELECT s.id FROM sellers s \
         WHERE NOT EXISTS (SELECT 1 FROM seller_accounts a WHERE a.seller_id = s.id) \
         ORDER BY s.id",
    )
    .fetch_all(pool)
    .await?
    .iter()
    .map(|row| row.try_get("id"))
    .collect::<Result<_, _>>()?;
    if missing.is_empty() {
        return Ok(0);
    }
    let now = server_now()
        .map_err(|e| SeedError::Hash(format!("reading the clock: {e:?}")))?
        .to_string();
    // Hashed side by side (at most CONCURRENT_HASHES at once), off the async workers.
    let tasks: Vec<_> = missing
        .iter()
        .map(|id| tokio::spawn(hash_off_runtime(demo_password(id))))
        .collect();
    let mut hashes = Vec::with_capacity(tasks.len());
    for task in tasks {
        hashes.push(
            task.await
                .map_err(|e| SeedError::Hash(e.to_string()))?
                .map_err(SeedError::Hash)?,
        );
    }
    let mut tx = pool.begin().await?;
    let mut created = 0;
    for (id, hash) in missing.iter().zip(&hashes) {
        let done = sqlx::query(
            "INSERT INTO seller_accounts (seller_id, login, password_hash, created_at, disabled) \
             VALUES ($1, $2, $3, $4, FALSE) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(demo_login(id))
        .bind(hash)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        created += usize::try_from(done.rows_affected()).unwrap_or(0);
    }
    tx.commit().await?;
    Ok(created)
}

/// The demo accounts that can sign in (enabled, with their demo login), by seller id.
pub async fn demo_seller_logins(pool: &AnyPool) -> Result<Vec<DemoLogin>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.seller_id, a.login, s.name FROM seller_accounts a \
         JOIN sellers s ON s.id = a.seller_id \
         WHERE a.disabled = FALSE ORDER BY a.seller_id",
    )
    .fetch_all(pool)
    .await?;
    let mut out = Vec::new();
    for row in rows {
        let seller_id: String = row.try_get("seller_id")?;
        let login: String = row.try_get("login")?;
        if login == demo_login(&seller_id) {
            out.push(DemoLogin {
                password: demo_password(&seller_id),
                name: row.try_get("name")?,
                seller_id,
                login,
            });
        }
    }
    Ok(out)
}

/// The argon2id parameters new hashes get: argon2's defaults (19 MiB, t = 2, p = 1) in
/// release builds; 1 MiB, t = 1 in debug builds, so tests run fast.
pub fn hash_params() -> Params {
    if cfg!(debug_assertions) {
        Params::new(1024, 1, 1, None).unwrap_or(Params::DEFAULT)
    } else {
        Params::DEFAULT
    }
}

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, hash_params())
}

/// A new PHC string for `password`, with a random salt. CPU-heavy: call it off the async
/// runtime (`spawn_blocking`).
pub fn hash_password(password: &str) -> Result<String, String> {
    hasher()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// At most this many argon2 computations run at once in one server process (each holds
/// 19 MiB in release builds): a burst of sign-ins queues rather than exhausting memory.
/// A per-process limit on local resources, not shared state: nothing about any seller
/// or session is in it.
pub const CONCURRENT_HASHES: usize = 4;
static HASHING: Semaphore = Semaphore::const_new(CONCURRENT_HASHES);

/// [`hash_password`] on the blocking pool, within [`CONCURRENT_HASHES`].
pub async fn hash_off_runtime(password: String) -> Result<String, String> {
    let _permit = HASHING.acquire().await.map_err(|e| e.to_string())?;
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| e.to_string())?
}

/// [`check_password`] on the blocking pool, within [`CONCURRENT_HASHES`].
pub async fn check_off_runtime(
    password: String,
    stored: Option<String>,
) -> Result<Verdict, String> {
    let _permit = HASHING.acquire().await.map_err(|e| e.to_string())?;
    tokio::task::spawn_blocking(move || check_password(&password, stored.as_deref()))
        .await
        .map_err(|e| e.to_string())
}

/// What checking a password found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Wrong password, unknown login or unreadable hash.
    Wrong,
    /// Right; `rehash` is a new hash when the stored one is weaker than this build's.
    Right { rehash: Option<String> },
}

/// Checks `password` against `stored` (a PHC string), or, when there is no account, does
/// the same work against nothing so the answer takes as long. CPU-heavy: call it off the
/// async runtime. The comparison inside argon2 is constant-time.
pub fn check_password(password: &str, stored: Option<&str>) -> Verdict {
    let Some(stored) = stored else {
        // The same argon2 computation a verification does, with a fixed salt; the result
        // is thrown away.
        let _ = hasher().hash_password_with_salt(password.as_bytes(), b"crossdock-no-such-login");
        return Verdict::Wrong;
    };
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Verdict::Wrong;
    };
    if hasher()
        .verify_password(password.as_bytes(), &parsed)
        .is_err()
    {
        return Verdict::Wrong;
    }
    let current = hash_params();
    let weaker = Params::try_from(&parsed).map_or(true, |p| {
        p.m_cost() < current.m_cost() || p.t_cost() < current.t_cost()
    });
    let rehash = if weaker {
        hash_password(password).ok()
    } else {
        None
    };
    Verdict::Right { rehash }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert_eq!(
            check_password("correct horse", Some(&hash)),
            Verdict::Right { rehash: None }
        );
        assert_eq!(check_password("correct hors", Some(&hash)), Verdict::Wrong);
        assert_eq!(check_password("correct horse", None), Verdict::Wrong);
        assert_eq!(
            check_password("correct horse", Some("not a hash")),
            Verdict::Wrong
        );
    }

    #[test]
    fn a_weaker_hash_is_upgraded_on_sign_in() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(64, 1, 1, None).unwrap(),
        )
        .hash_password(b"pw")
        .unwrap()
        .to_string();
        let Verdict::Right {
            rehash: Some(rehash),
        } = check_password("pw", Some(&weak))
        else {
            unreachable!("a weak hash is re-hashed")
        };
        let m = format!("m={}", hash_params().m_cost());
        assert!(rehash.contains(&m), "{rehash}");
        assert_eq!(
            check_password("pw", Some(&rehash)),
            Verdict::Right { rehash: None }
        );
    }

    #[test]
    fn a_stronger_hash_is_never_downgraded() {
        let strong = Argon2::default().hash_password(b"pw").unwrap().to_string();
        assert_eq!(
            check_password("pw", Some(&strong)),
            Verdict::Right { rehash: None }
        );
    }

    #[test]
    fn demo_credentials_are_documented_and_deterministic() {
        assert_eq!(demo_login("voltaic"), "voltaic@demo.crossdock");
        assert_eq!(demo_password("voltaic"), "crossdock-demo-voltaic");
    }
}
