-- The catalog: sellers, their listings, prices per market, stock per warehouse and
-- promotions. Portable SQL: the same statements run on PostgreSQL (BIGINT, TEXT,
-- INTEGER, CHECK, REFERENCES). Instants are TEXT in RFC 3339 UTC
-- ("2026-11-24T15:30:00Z") and dates TEXT "YYYY-MM-DD", so they sort as text on both.
-- Money is integer minor units with the currency beside it.
--
-- Columns marked PRIVATE belong to the seller (and the platform) and never appear in a
-- public API response; the storefront's read model does not even load them.

-- What made the catalog: one row, written with the demo catalog at first start.
CREATE TABLE catalog_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generator TEXT NOT NULL,
    seed BIGINT NOT NULL,
    network_version TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE sellers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    legal_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    city TEXT NOT NULL,
    province TEXT NOT NULL,
    country TEXT NOT NULL,
    founded_year INTEGER NOT NULL,
    joined_on TEXT NOT NULL,
    about TEXT NOT NULL,
    rating_tenths INTEGER NOT NULL CHECK (rating_tenths BETWEEN 10 AND 50),
    review_count BIGINT NOT NULL CHECK (review_count >= 0),
    contact_email TEXT NOT NULL -- PRIVATE
);

-- Overseas warehouses a seller runs or contracts (network `seller_3pl` ids).
CREATE TABLE seller_warehouses (
    seller_id TEXT NOT NULL REFERENCES sellers (id),
    warehouse TEXT NOT NULL,
    PRIMARY KEY (seller_id, warehouse)
);

CREATE TABLE listings (
    id BIGINT PRIMARY KEY,
    seller_id TEXT NOT NULL REFERENCES sellers (id),
    sku TEXT NOT NULL,
    brand TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('fully_managed', 'semi_managed', 'platform_local')),
    weight_g INTEGER NOT NULL CHECK (weight_g > 0),
    length_mm INTEGER NOT NULL CHECK (length_mm > 0),
    width_mm INTEGER NOT NULL CHECK (width_mm > 0),
    height_mm INTEGER NOT NULL CHECK (height_mm > 0),
    -- Picture recipe: "motif #primary #accent".
    art TEXT NOT NULL,
    rating_tenths INTEGER NOT NULL CHECK (rating_tenths BETWEEN 10 AND 50),
    review_count BIGINT NOT NULL CHECK (review_count >= 0),
    listed_at TEXT NOT NULL,
    unit_cost_minor BIGINT NOT NULL, -- PRIVATE: cost of goods per unit
    cost_currency TEXT NOT NULL, -- PRIVATE
    UNIQUE (seller_id, sku)
);
CREATE INDEX listings_seller ON listings (seller_id);

CREATE TABLE listing_attributes (
    listing_id BIGINT NOT NULL REFERENCES listings (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (listing_id, position)
);

-- A listing is sold in a market when it has a price there.
CREATE TABLE listing_prices (
    listing_id BIGINT NOT NULL REFERENCES listings (id),
    market TEXT NOT NULL,
    currency TEXT NOT NULL,
    -- What the shopper pays for one unit, VAT included where the market shows prices
    -- with VAT.
    price_minor BIGINT NOT NULL CHECK (price_minor > 0),
    supply_price_minor BIGINT, -- PRIVATE: what the platform pays (fully managed)
    margin_bp INTEGER NOT NULL, -- PRIVATE: the seller's margin at this price
    PRIMARY KEY (listing_id, market)
);
CREATE INDEX listing_prices_market ON listing_prices (market);

CREATE TABLE listing_stock (
    listing_id BIGINT NOT NULL REFERENCES listings (id),
    warehouse TEXT NOT NULL,
    -- PRIVATE as an exact figure: public responses cap it (see the API docs).
    quantity BIGINT NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (listing_id, warehouse)
);

CREATE TABLE promotions (
    id BIGINT PRIMARY KEY,
    listing_id BIGINT NOT NULL REFERENCES listings (id),
    market TEXT NOT NULL,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    -- The promotional price of one unit, in the market's currency.
    price_minor BIGINT NOT NULL CHECK (price_minor > 0),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    funded_by TEXT NOT NULL, -- PRIVATE: who pays for the discount
    CHECK (starts_at < ends_at)
);
CREATE INDEX promotions_listing ON promotions (listing_id);
