-- Clicks on "View on Crossdock" in partner embeds (public/embed.js), counted per partner,
-- listing and UTC day ("YYYY-MM-DD"). No personal data: no address, no user agent, no
-- cookie, no time finer than the day. Portable SQL (the upsert runs on PostgreSQL too).
CREATE TABLE embed_clicks (
    partner TEXT NOT NULL,
    listing_id BIGINT NOT NULL,
    day TEXT NOT NULL,
    clicks BIGINT NOT NULL CHECK (clicks > 0),
    PRIMARY KEY (partner, listing_id, day)
);
