-- The seller panel's writes: a version per listing for optimistic concurrency, margins
-- as crates/core computes them, promotion kinds with parameters, reserved stock, inbound
-- sea shipments and the audit log. Portable SQL, same conventions as the catalog:
-- instants are TEXT in RFC 3339 UTC ("2026-11-24T15:30:00Z"), money is integer minor
-- units beside its currency; on PostgreSQL the `INTEGER PRIMARY KEY` ids are
-- `BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY`. `ALTER TABLE … ADD COLUMN` with a
-- constant default runs unchanged on both.
--
-- PRIVATE columns never appear in a public API response (the storefront's read model
-- does not load them).

-- Bumped by every change to the listing (mode, prices, stock, promotions, inbound
-- shipments, arrivals): a save that names an older version is refused with 409.
ALTER TABLE listings ADD COLUMN version BIGINT NOT NULL DEFAULT 1 CHECK (version >= 1);
-- When the listing was last changed; NULL: not since the catalog was written.
ALTER TABLE listings ADD COLUMN updated_at TEXT;

-- The seller's unit margin at the regular price under the listing's mode, worked out by
-- crates/core (`price_mode`, no promotion) when the listing is saved, or for the first
-- time when the seller's listings are read. `margin_bp` (from the catalog migration)
-- holds the basis points beside it.
ALTER TABLE listing_prices ADD COLUMN margin_minor BIGINT; -- PRIVATE
-- What the margin was computed with: "<pricing version> <network content hash>"; NULL
-- until crates/core has computed it (the demo generator's `margin_bp` is a placeholder).
ALTER TABLE listing_prices ADD COLUMN margin_basis TEXT; -- PRIVATE
ALTER TABLE listing_prices ADD COLUMN margin_as_of TEXT; -- PRIVATE
-- Why crates/core could not price the market (then `margin_minor` is NULL).
ALTER TABLE listing_prices ADD COLUMN margin_error TEXT; -- PRIVATE

-- Units held for open orders: the storefront offers `quantity - reserved`.
ALTER TABLE listing_stock ADD COLUMN reserved BIGINT NOT NULL DEFAULT 0 CHECK (reserved >= 0);

-- The seller panel's promotion kinds carry their parameters; the demo catalog's kinds
-- (seasonal_sale, lightning_deal, super_deal, clearance, launch_offer) have none and a
-- fixed `price_minor`.
--   percent_off         percent_bp                the shopper pays the price less that share
--   voucher             amount_minor              per order, off the price
--   platform_subsidy    amount_minor              per item, paid by the platform
--   free_shipping_over  threshold_minor           no delivery fee on orders of at least it
-- For these kinds `price_minor` records the shopper's price of one unit when the promotion
-- was created; the storefront works the current one out from the current price.
ALTER TABLE promotions ADD COLUMN percent_bp INTEGER CHECK (percent_bp IS NULL OR percent_bp BETWEEN 1 AND 9000);
ALTER TABLE promotions ADD COLUMN amount_minor BIGINT CHECK (amount_minor IS NULL OR amount_minor > 0);
ALTER TABLE promotions ADD COLUMN threshold_minor BIGINT CHECK (threshold_minor IS NULL OR threshold_minor > 0);
-- When the seller created it; NULL for the demo catalog's promotions.
ALTER TABLE promotions ADD COLUMN created_at TEXT;
CREATE INDEX promotions_listing_market ON promotions (listing_id, market, starts_at);

-- Sea freight on its way to an overseas warehouse. At its ETA the quantity is added to
-- the warehouse's `listing_stock.quantity` and `received_at` is set (src/seller/inbound.rs,
-- `receive_arrivals`).
CREATE TABLE inbound_shipments (
    id INTEGER PRIMARY KEY,
    listing_id BIGINT NOT NULL REFERENCES listings (id),
    warehouse TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    eta TEXT NOT NULL,
    created_at TEXT NOT NULL,
    received_at TEXT
);
CREATE INDEX inbound_shipments_listing ON inbound_shipments (listing_id);
CREATE INDEX inbound_shipments_due ON inbound_shipments (received_at, eta);

-- Every change to a listing's prices, stock, mode, promotions and inbound shipments,
-- written in the same transaction as the change. `before` and `after` are JSON objects
-- (NULL when there was nothing before, or is nothing after).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    -- The listing's seller: whose log the entry is in.
    seller_id TEXT NOT NULL REFERENCES sellers (id),
    -- Who made the change: the seller's id, or "system" (a shipment arriving).
    actor TEXT NOT NULL,
    listing_id BIGINT NOT NULL REFERENCES listings (id),
    kind TEXT NOT NULL CHECK (kind IN ('price', 'stock', 'mode', 'promotion', 'inbound')),
    -- update, create, delete, received.
    action TEXT NOT NULL,
    market TEXT,
    warehouse TEXT,
    before TEXT,
    after TEXT
);
CREATE INDEX audit_log_seller ON audit_log (seller_id, id);
CREATE INDEX audit_log_listing ON audit_log (listing_id, id);
