//! Inbound sea shipments: `POST /api/seller/listings/{id}/inbound` announces one,
//! `DELETE …/inbound/{shipment}` withdraws one that has not arrived, and
//! [`receive_arrivals`] turns those whose ETA has come into stock on hand.
//!
//! A shipment goes to an overseas warehouse — one of the seller's own (`seller_3pl`) or
//! one of the platform's local warehouses — whatever the listing's mode now: a seller
//! moving a SKU from fully managed to semi-managed ships the stock before switching.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use crossdock_core::network::Network;
use crossdock_core::schema::WarehouseKind;
use crossdock_core::time::Instant;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{AnyPool, Row};
use utoipa::ToSchema;

use super::audit::{self, Entry, Kind, SYSTEM};
use super::listings::{MAX_STOCK, SellerListingDetail, detail_of, no_store_json};
use super::save::{begin_write, expect_version, listing_path, whole_number};
use super::session::SellerSession;
use super::store::{self, PrivateListing};
use crate::api::server_now;
use crate::extract::ApiJson;
use crate::{ApiError, AppState};

/// The furthest ahead an ETA may be (a year: sea freight takes weeks, not years).
pub const MAX_ETA_DAYS: i64 = 366;

/// A shipment to announce.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInbound {
    /// The overseas warehouse it goes to: one of yours (`seller_3pl`) or a platform local
    /// warehouse in a market the listing is sold in.
    #[schema(example = "us-3pl-ca")]
    pub warehouse: String,
    /// Whole units, 1 to 1,000,000.
    #[schema(value_type = i64, example = 500)]
    pub quantity: serde_json::Number,
    /// When it arrives and becomes stock on hand (RFC 3339), after now and at most a
    /// year ahead.
    #[schema(example = "2026-12-20T00:00:00Z")]
    pub eta: String,
    /// The listing's version you last saw; when given and stale the answer is 409.
    pub version: Option<i64>,
}

/// A shipment on its way.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InboundOut {
    pub id: i64,
    pub warehouse: String,
    pub quantity: i64,
    #[schema(value_type = String, format = DateTime)]
    pub eta: Instant,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Instant,
}

/// The answer to announcing or withdrawing a shipment.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboundResponse {
    pub shipment: InboundOut,
    /// The listing as it is now (with its new version).
    pub listing: SellerListingDetail,
}

fn shipment_json(s: &InboundOut) -> serde_json::Value {
    json!({
        "id": s.id,
        "warehouse": s.warehouse,
        "quantity": s.quantity,
        "eta": s.eta.to_string(),
    })
}

/// Whether `warehouse` can receive sea freight for `listing`: one of the seller's own
/// overseas warehouses, or a platform local warehouse in a market the listing is sold in.
fn check_warehouse(
    net: &Network,
    listing: &PrivateListing,
    warehouse: &str,
) -> Result<(), ApiError> {
    let field = "warehouse";
    let Some(w) = net.file.warehouses.iter().find(|w| w.id == warehouse) else {
        return Err(ApiError::invalid(
            field,
            format!("\"{warehouse}\" is not a warehouse of the network"),
        ));
    };
    let own: Vec<&str> = listing
        .seller_warehouses
        .iter()
        .map(String::as_str)
        .collect();
    match w.kind {
        WarehouseKind::Seller3pl if own.contains(&warehouse) => Ok(()),
        WarehouseKind::Seller3pl => Err(ApiError::invalid(
            field,
            format!(
                "{} is not one of your warehouses: ship to your own ({}) or to a platform local warehouse",
                w.name,
                if own.is_empty() {
                    "you have none".to_string()
                } else {
                    own.join(", ")
                }
            ),
        )),
        WarehouseKind::PlatformLocal => {
            let market = w.market.as_deref().unwrap_or("");
            if listing.price(market).is_some() {
                Ok(())
            } else {
                Err(ApiError::invalid(
                    field,
                    format!(
                        "{} is in {market}, where this listing is not sold: stock there could not be sold",
                        w.name
                    ),
                ))
            }
        }
        WarehouseKind::CnConsolidation => Err(ApiError::invalid(
            field,
            format!(
                "{} is a consolidation warehouse in China: sea shipments go to overseas warehouses; set fully managed stock directly",
                w.name
            ),
        )),
    }
}

/// Announces a sea shipment of the listing to an overseas warehouse.
#[utoipa::path(
    post,
    path = "/api/seller/listings/{id}/inbound",
    tag = "seller",
    security(("seller_session" = [], "csrf_token" = [])),
    params(("id" = i64, Path, description = "Listing id")),
    request_body = NewInbound,
    responses(
        (status = 201, description = "Announced; it becomes stock on hand at its ETA", body = InboundResponse),
        (status = 400, description = "Malformed JSON or id", body = crate::openapi::ErrorResponse),
        (status = 401, description = "Not signed in", body = crate::openapi::ErrorResponse),
        (status = 403, description = "`csrf`: no or a wrong `x-csrf-token`, or sent from another site", body = crate::openapi::ErrorResponse),
        (status = 404, description = "You have no such listing (another seller's answers the same)", body = crate::openapi::ErrorResponse),
        (status = 409, description = "`version` is stale; `current` is the listing now", body = crate::openapi::ConflictResponse),
        (status = 413, description = "The body is larger than 16 KiB", body = crate::openapi::ErrorResponse),
        (status = 415, description = "Not sent as application/json", body = crate::openapi::ErrorResponse),
        (status = 422, description = "A value cannot be used; `field` names it (warehouse, quantity, eta)", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn create_inbound(
    session: SellerSession,
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Result<ApiJson<NewInbound>, ApiError>,
) -> Result<Response, ApiError> {
    let now = server_now()?;
    let id = listing_path(path)?;
    super::require_owned_listing(&state.db, &session.seller_id, id).await?;
    let ApiJson(body) = body?;
    super::prepare(&state, now).await?;
    let net = state.network.network();
    let listing = store::load_owned(&state.db, net, &session.seller_id, id).await?;
    expect_version(&state, &listing, body.version, now).await?;
    check_warehouse(net, &listing, body.warehouse.trim())?;
    let warehouse = body.warehouse.trim().to_string();
    let quantity = whole_number(&body.quantity, "quantity", "a shipment's quantity")?;
    if !(1..=MAX_STOCK).contains(&quantity) {
        return Err(ApiError::invalid(
            "quantity",
            format!("a shipment holds 1 to {MAX_STOCK} units (got {quantity})"),
        ));
    }
    let eta = Instant::parse(body.eta.trim()).map_err(|_| {
        ApiError::invalid(
            "eta",
            format!(
                "\"{}\" is not a date and time: write the arrival as 2026-12-20T00:00:00Z",
                body.eta
            ),
        )
    })?;
    if eta <= now {
        return Err(ApiError::invalid(
            "eta",
            "the ETA has passed: a shipment that has arrived is stock on hand — set the stock instead",
        ));
    }
    if eta.unix() - now.unix() > MAX_ETA_DAYS * 86_400 {
        return Err(ApiError::invalid(
            "eta",
            format!(
                "the ETA is more than {MAX_ETA_DAYS} days away: announce the shipment when it sails"
            ),
        ));
    }

    let (turn, mut tx) = begin_write(&state, &listing, now).await?;
    let shipment_id: i64 = sqlx::query(
        "INSERT INTO inbound_shipments (listing_id, warehouse, quantity, eta, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(id)
    .bind(&warehouse)
    .bind(quantity)
    .bind(eta.to_string())
    .bind(now.to_string())
    .fetch_one(&mut *tx)
    .await
    .map_err(db("saving a shipment"))?
    .try_get("id")
    .map_err(db("saving a shipment"))?;
    let shipment = InboundOut {
        id: shipment_id,
        warehouse: warehouse.clone(),
        quantity,
        eta,
        created_at: now,
    };
    audit::record(
        &mut tx,
        Entry {
            at: now,
            seller_id: &session.seller_id,
            actor: &session.seller_id,
            listing_id: id,
            kind: Kind::Inbound,
            action: "create",
            market: None,
            warehouse: Some(&warehouse),
            before: None,
            after: Some(shipment_json(&shipment)),
        },
    )
    .await?;
    tx.commit().await.map_err(db("saving a shipment"))?;
    drop(turn);
    let listing = detail_of(&state, &session.seller_id, id, now).await?;
    Ok(no_store_json(
        StatusCode::CREATED,
        &InboundResponse { shipment, listing },
    ))
}

/// Withdraws a shipment that has not arrived.
#[utoipa::path(
    delete,
    path = "/api/seller/listings/{id}/inbound/{shipment}",
    tag = "seller",
    security(("seller_session" = [], "csrf_token" = [])),
    params(
        ("id" = i64, Path, description = "Listing id"),
        ("shipment" = i64, Path, description = "Shipment id"),
    ),
    responses(
        (status = 200, description = "Withdrawn", body = InboundResponse),
        (status = 400, description = "A malformed id", body = crate::openapi::ErrorResponse),
        (status = 401, description = "Not signed in", body = crate::openapi::ErrorResponse),
        (status = 403, description = "`csrf`: no or a wrong `x-csrf-token`, or sent from another site", body = crate::openapi::ErrorResponse),
        (status = 404, description = "No such listing of yours, or no such shipment of it", body = crate::openapi::ErrorResponse),
        (status = 409, description = "The shipment has arrived: it is stock on hand now", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn delete_inbound(
    session: SellerSession,
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, ApiError> {
    let now = server_now()?;
    let (id, shipment_id) = super::listing_and_child(path, "shipment")?;
    super::require_owned_listing(&state.db, &session.seller_id, id).await?;
    super::prepare(&state, now).await?;
    let net = state.network.network();
    let listing = store::load_owned(&state.db, net, &session.seller_id, id).await?;
    let row = sqlx::query(
        "SELECT warehouse, quantity, eta, created_at, received_at FROM inbound_shipments \
         WHERE id = $1 AND listing_id = $2",
    )
    .bind(shipment_id)
    .bind(id)
    .fetch_optional(&state.db)
    .await
    .map_err(db("reading a shipment"))?
    .ok_or_else(|| {
        ApiError::NotFound(format!(
            "listing {id} has no inbound shipment {shipment_id}: check the id in its stock view"
        ))
    })?;
    let get = |name: &str| -> Result<String, ApiError> {
        row.try_get::<String, _>(name)
            .map_err(db("reading a shipment"))
    };
    let received: Option<String> = row
        .try_get("received_at")
        .map_err(db("reading a shipment"))?;
    if let Some(at) = received {
        return Err(ApiError::Conflict {
            message: format!(
                "shipment {shipment_id} arrived at {at} and is part of the stock on hand: change the stock instead"
            ),
            field: None,
            current: None,
        });
    }
    let parse = |t: String| {
        Instant::parse(&t).map_err(|e| ApiError::Internal(format!("bad instant {t:?}: {e:?}")))
    };
    let shipment = InboundOut {
        id: shipment_id,
        warehouse: get("warehouse")?,
        quantity: row.try_get("quantity").map_err(db("reading a shipment"))?,
        eta: parse(get("eta")?)?,
        created_at: parse(get("created_at")?)?,
    };
    let (turn, mut tx) = begin_write(&state, &listing, now).await?;
    let deleted = sqlx::query(
        "DELETE FROM inbound_shipments WHERE id = $1 AND listing_id = $2 AND received_at IS NULL",
    )
    .bind(shipment_id)
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(db("withdrawing a shipment"))?
    .rows_affected();
    if deleted != 1 {
        return Err(ApiError::Conflict {
            message: format!(
                "shipment {shipment_id} arrived meanwhile and is part of the stock on hand: change the stock instead"
            ),
            field: None,
            current: None,
        });
    }
    audit::record(
        &mut tx,
        Entry {
            at: now,
            seller_id: &session.seller_id,
            actor: &session.seller_id,
            listing_id: id,
            kind: Kind::Inbound,
            action: "delete",
            market: None,
            warehouse: Some(&shipment.warehouse),
            before: Some(shipment_json(&shipment)),
            after: None,
        },
    )
    .await?;
    tx.commit().await.map_err(db("withdrawing a shipment"))?;
    drop(turn);
    let listing = detail_of(&state, &session.seller_id, id, now).await?;
    Ok(no_store_json(
        StatusCode::OK,
        &InboundResponse { shipment, listing },
    ))
}

fn db(what: &'static str) -> impl Fn(sqlx::Error) -> ApiError {
    move |e| ApiError::Internal(format!("{what}: {e}"))
}

/// Moves every shipment whose ETA is at or before `now` into its warehouse's stock on
/// hand, in one transaction: the stock grows by the shipment's quantity, the shipment is
/// marked received, the listing's version is bumped (a form opened before the arrival
/// then gets 409 instead of overwriting it), its stored margins are marked for
/// recomputing (the warehouse priced may change), and an audit entry (kind `inbound`,
/// action `received`, actor `system`) records the stock before and after. Returns the
/// shipments received; the caller reloads the storefront's catalog when there were any.
///
/// `crossdock-server` calls it every minute, and every seller endpoint calls it before
/// it reads, so a seller never sees a shipment pending past its ETA.
pub async fn receive_arrivals(db: &AnyPool, now: Instant) -> Result<u64, sqlx::Error> {
    let now_text = now.to_string();
    let due = sqlx::query(
        "SELECT 1 FROM inbound_shipments WHERE received_at IS NULL AND eta <= $1 LIMIT 1",
    )
    .bind(&now_text)
    .fetch_optional(db)
    .await?;
    if due.is_none() {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    // The write comes first, so the transaction holds the write lock from its start.
    let arrived = sqlx::query(
        "UPDATE inbound_shipments SET received_at = $1 \
         WHERE received_at IS NULL AND eta <= $1 \
         RETURNING id, listing_id, warehouse, quantity, eta",
    )
    .bind(&now_text)
    .fetch_all(&mut *tx)
    .await?;
    let mut shipments: Vec<(i64, i64, String, i64, String)> = Vec::with_capacity(arrived.len());
    for row in &arrived {
        shipments.push((
            row.try_get("id")?,
            row.try_get("listing_id")?,
            row.try_get("warehouse")?,
            row.try_get("quantity")?,
            row.try_get("eta")?,
        ));
    }
    shipments.sort_by(|a, b| a.4.cmp(&b.4).then(a.0.cmp(&b.0)));
    for (shipment_id, listing_id, warehouse, quantity, eta) in &shipments {
        let before: i64 = sqlx::query(
            "SELECT quantity FROM listing_stock WHERE listing_id = $1 AND warehouse = $2",
        )
        .bind(listing_id)
        .bind(warehouse)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.try_get("quantity"))
        .transpose()?
        .unwrap_or(0);
        let after = before.saturating_add(*quantity);
        sqlx::query(
            "INSERT INTO listing_stock (listing_id, warehouse, quantity) VALUES ($1, $2, $3) \
             ON CONFLICT (listing_id, warehouse) DO UPDATE SET quantity = excluded.quantity",
        )
        .bind(listing_id)
        .bind(warehouse)
        .bind(after)
        .execute(&mut *tx)
        .await?;
        let seller: String = sqlx::query(
            "UPDATE listings SET version = version + 1, updated_at = $1 WHERE id = $2 \
             RETURNING seller_id",
        )
        .bind(&now_text)
        .bind(listing_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("seller_id")?;
        sqlx::query("UPDATE listing_prices SET margin_basis = NULL WHERE listing_id = $1")
            .bind(listing_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO audit_log (at, seller_id, actor, listing_id, kind, action, market, \
             warehouse, before, after) VALUES ($1, $2, $3, $4, $5, 'received', NULL, $6, $7, $8)",
        )
        .bind(&now_text)
        .bind(&seller)
        .bind(SYSTEM)
        .bind(listing_id)
        .bind(Kind::Inbound.id())
        .bind(warehouse)
        .bind(
            json!({"on_hand": before, "shipment": {"id": shipment_id, "quantity": quantity, "eta": eta}})
                .to_string(),
        )
        .bind(json!({"on_hand": after, "shipment": {"id": shipment_id, "received_at": now_text}}).to_string())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(u64::try_from(shipments.len()).unwrap_or(u64::MAX))
}
