-- Seller sign-in: accounts, sessions and failed sign-ins. Everything the seller panel's
-- security needs lives here, not in a server's memory, so several server instances on one
-- database behave as one (a session made by one is valid on every other; throttling
-- counts failures made through any of them). Portable SQL, same conventions as the
-- catalog: instants are TEXT in RFC 3339 UTC ("2026-11-24T15:30:00Z", whole seconds) so
-- they compare as text on SQLite and PostgreSQL; on PostgreSQL `login_attempts.id` is
-- `BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY`.
--
-- SECRET columns never leave the server in any response, public or seller.

-- One sign-in per seller.
CREATE TABLE seller_accounts (
    seller_id TEXT PRIMARY KEY REFERENCES sellers (id),
    -- The e-mail address the seller signs in with, trimmed and lower-case.
    login TEXT NOT NULL UNIQUE CHECK (login <> '' AND login = LOWER(login)),
    -- SECRET: an argon2id PHC string ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash"), which
    -- records its own parameters.
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at TEXT NOT NULL,
    -- A disabled account cannot sign in, and its open sessions stop working.
    disabled BOOLEAN NOT NULL DEFAULT FALSE
);

-- A signed-in browser. The cookie holds a random 256-bit token; only its SHA-256 is
-- stored, so reading this table does not let anyone act as a seller. The CSRF token is
-- not stored either: it is an HMAC of the cookie's token (see src/seller/session.rs).
CREATE TABLE seller_sessions (
    -- SECRET: lower-case hex SHA-256 of the cookie's token.
    id TEXT PRIMARY KEY CHECK (LENGTH(id) = 64),
    seller_id TEXT NOT NULL REFERENCES sellers (id),
    created_at TEXT NOT NULL,
    -- Idle expiry: moved forward while the session is used, never past
    -- `absolute_expires_at`.
    expires_at TEXT NOT NULL,
    -- Absolute expiry: the session ends then however much it is used.
    absolute_expires_at TEXT NOT NULL,
    -- Set by signing out; a revoked session never works again.
    revoked_at TEXT,
    CHECK (created_at < expires_at AND expires_at <= absolute_expires_at)
);
CREATE INDEX seller_sessions_seller ON seller_sessions (seller_id);
CREATE INDEX seller_sessions_expires ON seller_sessions (expires_at);

-- Failed sign-ins, one row each, for throttling per account and per client address.
-- Rows older than the throttling window are deleted as new failures come in; a
-- successful sign-in deletes its login's rows.
CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    -- The login as typed (trimmed, lower-case), whether or not an account has it, so
    -- throttling behaves the same for unknown logins.
    login TEXT NOT NULL,
    -- The client's IP address (an IPv6 client's /64 network), or "unknown".
    address TEXT NOT NULL,
    attempted_at TEXT NOT NULL
);
CREATE INDEX login_attempts_login ON login_attempts (login, attempted_at);
CREATE INDEX login_attempts_address ON login_attempts (address, attempted_at);
CREATE INDEX login_attempts_at ON login_attempts (attempted_at);
