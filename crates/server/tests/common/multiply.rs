//! Test data at scale: copies of a seller's listings. Shared by the in-process import
//! tests (through `common`) and the crash tests (which include this file alone).
#![allow(dead_code, clippy::unwrap_used)]

use sqlx::{AnyPool, Column, Row};

/// Copies every listing of `seller` `times` times (new ids and SKUs, same prices and
/// stock), so its export has enough rows. The server must not be writing meanwhile.
pub async fn multiply_listings(pool: &AnyPool, seller: &str, times: i64) {
    // The columns as a row of each table names them (SQLite and PostgreSQL alike).
    let columns = |table: &'static str| async move {
        let row = sqlx::query(&format!("SELECT * FROM {table} LIMIT 1"))
            .fetch_one(pool)
            .await
            .unwrap();
        row.columns()
            .iter()
            .map(|c| c.name().to_owned())
            .collect::<Vec<_>>()
    };
    let listing_cols = columns("listings").await;
    for k in 1..=times {
        let offset = k * 10_000_000;
        let select: Vec<String> = listing_cols
            .iter()
            .map(|c| match c.as_str() {
                "id" => format!("id + {offset}"),
                "sku" => format!("sku || '-{k}'"),
                other => other.to_string(),
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO listings ({}) SELECT {} FROM listings WHERE seller_id = '{seller}' AND id < 10000000",
            listing_cols.join(", "),
            select.join(", ")
        ))
        .execute(pool)
        .await
        .unwrap();
        for table in ["listing_prices", "listing_stock"] {
            let cols = columns(table).await;
            let select: Vec<String> = cols
                .iter()
                .map(|c| {
                    if c == "listing_id" {
                        format!("listing_id + {offset}")
                    } else {
                        c.clone()
                    }
                })
                .collect();
            sqlx::query(&format!(
                "INSERT INTO {table} ({}) SELECT {} FROM {table} WHERE listing_id IN \
                 (SELECT id FROM listings WHERE seller_id = '{seller}' AND id < 10000000)",
                cols.join(", "),
                select.join(", ")
            ))
            .execute(pool)
            .await
            .unwrap();
        }
    }
}
