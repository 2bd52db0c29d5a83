//! The audit log: every change to a listing's prices, stock, mode, promotions and
//! inbound shipments — who, when, before, after — written in the same transaction as
//! the change, and `GET /api/seller/audit` to read one's own.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use crossdock_core::time::Instant;
use serde::Serialize;
use serde_json::Value;
use sqlx::{Any, Row, Transaction};
use utoipa::{IntoParams, ToSchema};

use super::session::SellerSession;
use crate::api::server_now;
use crate::extract::Params;
use crate::listings::parse_id;
use crate::{ApiError, AppState};

/// What an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Price,
    Stock,
    Mode,
    Promotion,
    Inbound,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Price,
        Kind::Stock,
        Kind::Mode,
        Kind::Promotion,
        Kind::Inbound,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Kind::Price => "price",
            Kind::Stock => "stock",
            Kind::Mode => "mode",
            Kind::Promotion => "promotion",
            Kind::Inbound => "inbound",
        }
    }
}

/// Who made a change the system made (a shipment arriving).
pub const SYSTEM: &str = "system";

/// One change, as written.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub at: Instant,
    /// The listing's seller.
    pub seller_id: &'a str,
    /// The seller's id, or [`SYSTEM`].
    pub actor: &'a str,
    pub listing_id: i64,
    pub kind: Kind,
    /// update, create, delete, received.
    pub action: &'a str,
    pub market: Option<&'a str>,
    pub warehouse: Option<&'a str>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Writes `entry` in the transaction of the change it records.
pub async fn record(tx: &mut Transaction<'_, Any>, entry: Entry<'_>) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO audit_log (at, seller_id, actor, listing_id, kind, action, market, \
         warehouse, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(entry.at.to_string())
    .bind(entry.seller_id)
    .bind(entry.actor)
    .bind(entry.listing_id)
    .bind(entry.kind.id())
    .bind(entry.action)
    .bind(entry.market)
    .bind(entry.warehouse)
    .bind(entry.before.map(|v| v.to_string()))
    .bind(entry.after.map(|v| v.to_string()))
    .execute(&mut **tx)
    .await
    .map_err(|e| ApiError::Internal(format!("writing the audit log: {e}")))?;
    Ok(())
}

/// A page of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// Newest first.
    pub items: Vec<AuditEntry>,
    /// Entries matching the filters in all pages.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// One change.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    #[schema(value_type = String, format = DateTime)]
    pub at: Instant,
    /// Who made it: the seller's id, or "system" (a shipment arriving).
    pub actor: String,
    pub listing_id: i64,
    /// The listing's SKU.
    pub sku: String,
    /// price, stock, mode, promotion or inbound.
    pub kind: String,
    /// update, create, delete or received (a shipment arrived and became stock).
    pub action: String,
    pub market: Option<String>,
    pub warehouse: Option<String>,
    /// The values before the change (`null` when there were none, as for a new
    /// promotion): `{"price": Money, "supply_price": Money|null}`,
    /// `{"on_hand": 40}`, `{"mode": "semi_managed"}`, a promotion, a shipment.
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    /// The values after it (`null` when nothing is left, as for a deleted promotion).
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
}

/// Query parameters of `GET /api/seller/audit`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct AuditParams {
    /// Only entries about this listing (an id of yours).
    pub listing: Option<i64>,
    /// Only entries of these kinds, comma-separated: price, stock, mode, promotion, inbound.
    pub kind: Option<String>,
    /// Page number from 1. Default 1.
    pub page: Option<u32>,
    /// Entries per page, 1 to 200. Default 50.
    pub per_page: Option<u32>,
}

const PARAMS: &[&str] = &["listing", "kind", "page", "per_page"];

/// A query with the audit filters bound in order: seller, listing (if any), kinds.
fn filtered<'q>(
    sql: &'q str,
    seller_id: &'q str,
    listing: Option<i64>,
    kinds: &[&'static str],
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    let mut q = sqlx::query(sql).bind(seller_id);
    if let Some(id) = listing {
        q = q.bind(id);
    }
    for k in kinds {
        q = q.bind(*k);
    }
    q
}

/// The signed-in seller's audit log, newest first.
#[utoipa::path(
    get,
    path = "/api/seller/audit",
    tag = "seller",
    security(("seller_session" = [])),
    params(AuditParams),
    responses(
        (status = 200, description = "A page of the seller's own audit log, newest first", body = AuditPage),
        (status = 400, description = "A query parameter is wrong; `field` names it", body = crate::openapi::ErrorResponse),
        (status = 401, description = "Not signed in (`unauthenticated`)", body = crate::openapi::ErrorResponse),
        (status = 404, description = "`listing` is not one of yours (the same answer as for a listing that does not exist)", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn list_audit(
    session: SellerSession,
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    super::prepare(&state, server_now()?).await?;
    let p = Params::parse(raw.as_deref(), PARAMS)?;
    let listing = p.get("listing").map(parse_id).transpose().map_err(|_| {
        ApiError::bad(
            "listing",
            "listing must be the id of one of your listings, a positive whole number",
        )
    })?;
    if let Some(id) = listing {
        super::require_owned_listing(&state.db, &session.seller_id, id).await?;
    }
    let mut kinds: Vec<&'static str> = Vec::new();
    if let Some(text) = p.get("kind") {
        for k in text.split(',').map(str::trim).filter(|k| !k.is_empty()) {
            let kind = Kind::ALL.iter().find(|x| x.id() == k).ok_or_else(|| {
                ApiError::bad(
                    "kind",
                    format!(
                        "unknown kind \"{k}\": use one or more of price, stock, mode, promotion, inbound (comma-separated)"
                    ),
                )
            })?;
            kinds.push(kind.id());
        }
    }
    let page = p.number("page", 1, 1, 10_000)?;
    let per_page = p.number("per_page", 50, 1, 200)?;

    let mut filter = String::from("a.seller_id = $1");
    let mut next = 2;
    if listing.is_some() {
        filter.push_str(&format!(" AND a.listing_id = ${next}"));
        next += 1;
    }
    if !kinds.is_empty() {
        let slots: Vec<String> = (0..kinds.len()).map(|i| format!("${}", next + i)).collect();
        filter.push_str(&format!(" AND a.kind IN ({})", slots.join(", ")));
        next += kinds.len();
    }
    let count_sql = format!("SELECT COUNT(*) AS n FROM audit_log a WHERE {filter}");
    let page_sql = format!(
        "SELECT a.id, a.at, a.actor, a.listing_id, l.sku, a.kind, a.action, a.market, \
         a.warehouse, a.before, a.after FROM audit_log a JOIN listings l ON l.id = a.listing_id \
         WHERE {filter} ORDER BY a.id DESC LIMIT ${next} OFFSET ${}",
        next + 1
    );
    let bind = |sql| filtered(sql, &session.seller_id, listing, &kinds);
    let db = |e: sqlx::Error| ApiError::Internal(format!("reading the audit log: {e}"));
    let total: i64 = bind(&count_sql)
        .fetch_one(&state.db)
        .await
        .map_err(db)?
        .try_get("n")
        .map_err(db)?;
    let rows = bind(&page_sql)
        .bind(i64::from(per_page))
        .bind(i64::from(page - 1) * i64::from(per_page))
        .fetch_all(&state.db)
        .await
        .map_err(db)?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let json = |name: &str| -> Result<Option<Value>, ApiError> {
            let text: Option<String> = row.try_get(name).map_err(db)?;
            text.map(|t| {
                serde_json::from_str(&t)
                    .map_err(|e| ApiError::Internal(format!("audit_log.{name}: {e}")))
            })
            .transpose()
        };
        let at: String = row.try_get("at").map_err(db)?;
        items.push(AuditEntry {
            id: row.try_get("id").map_err(db)?,
            at: Instant::parse(&at)
                .map_err(|e| ApiError::Internal(format!("audit_log.at {at:?}: {e:?}")))?,
            actor: row.try_get("actor").map_err(db)?,
            listing_id: row.try_get("listing_id").map_err(db)?,
            sku: row.try_get("sku").map_err(db)?,
            kind: row.try_get("kind").map_err(db)?,
            action: row.try_get("action").map_err(db)?,
            market: row.try_get("market").map_err(db)?,
            warehouse: row.try_get("warehouse").map_err(db)?,
            before: json("before")?,
            after: json("after")?,
        });
    }
    let body = AuditPage {
        items,
        total: u64::try_from(total).unwrap_or(0),
        page,
        per_page,
    };
    Ok((
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(body),
    )
        .into_response())
}
