-- Every server start records the network file it loaded, so the database can tell which
-- network any later record (orders, promises, catalog edits) was computed against.
-- Portable SQL only: the same statements run on PostgreSQL, except that there `id` is
-- `BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY`.
CREATE TABLE network_loads (
    id INTEGER PRIMARY KEY,
    version TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);
