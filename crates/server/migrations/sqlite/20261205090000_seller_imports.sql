-- CSV imports of prices and stock (src/seller/imports.rs). An import is a row here from
-- the moment the file is uploaded: its progress and its report live in the database, not
-- in a server's memory, so any instance answers "how far is my import" and a restart
-- leaves a record of what happened. Portable SQL, same conventions as the catalog
-- (instants TEXT in RFC 3339 UTC; on PostgreSQL `id` is
-- `BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY`).
--
-- An import is all or nothing: its changes and its `state = 'applied'` are written in one
-- transaction, so a row still 'checking' or 'applying' whose heartbeat has stopped was
-- interrupted before anything was applied.
CREATE TABLE seller_imports (
    id INTEGER PRIMARY KEY,
    seller_id TEXT NOT NULL REFERENCES sellers (id),
    -- The file's name as the seller's browser gave it (for the seller's own list).
    file_name TEXT NOT NULL,
    -- Lower-case hex SHA-256 of the file's bytes.
    file_sha256 TEXT NOT NULL CHECK (LENGTH(file_sha256) = 64),
    file_bytes BIGINT NOT NULL CHECK (file_bytes >= 0),
    -- Check every row and report, but apply nothing.
    check_only BOOLEAN NOT NULL DEFAULT FALSE,
    -- checking → applying → applied; or rejected (rows with problems, nothing applied),
    -- checked (check_only, every row fine), failed (nothing applied; `report` says why).
    state TEXT NOT NULL CHECK (state IN ('checking', 'applying', 'applied', 'checked', 'rejected', 'failed')),
    rows_total BIGINT NOT NULL CHECK (rows_total >= 0),
    rows_checked BIGINT NOT NULL DEFAULT 0 CHECK (rows_checked >= 0),
    created_at TEXT NOT NULL,
    -- Moved on while the import works; a running import whose heartbeat is old was cut
    -- off (the server stopped) and is reported as failed.
    heartbeat_at TEXT NOT NULL,
    finished_at TEXT,
    -- JSON: the problems found (line, column, sku, message), the summary of changes, and
    -- a message for failures.
    report TEXT
);
CREATE INDEX seller_imports_seller ON seller_imports (seller_id, id);
