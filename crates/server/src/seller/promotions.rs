//! Promotions: `POST /api/seller/listings/{id}/promotions` schedules one,
//! `DELETE …/promotions/{promotion}` ends or cancels one. Each answer carries what the
//! promotion does to the margin, from crates/core, and warnings (a negative margin).
//!
//! The four kinds are crates/core's `PromotionKind`s: `percent_off` (1 to 9000 basis
//! points, at most 90 %), `voucher` (a fixed amount off per order), `platform_subsidy`
//! (the platform pays part of the price per item), `free_shipping_over` (no delivery fee
//! on orders of at least a threshold). One promotion at a time per market: a new one may
//! not overlap another in the same market. The storefront shows a promotion while it
//! runs (`GET /api/listings/{id}`: `price`, `list_price` and `promotion` for the kinds
//! that lower the price; `promotions` lists every current and scheduled one).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use crossdock_core::Money;
use crossdock_core::engine::Mode;
use crossdock_core::pricing::{Warning, price_mode};
use crossdock_core::time::Instant;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::Row;
use utoipa::ToSchema;

use super::audit::{self, Entry, Kind};
use super::listings::{
    SellerListingDetail, SellerPromotion, detail_of, error_code, no_store_json, promotion_out,
};
use super::pricing::{core_promotion, request};
use super::save::{
    MoneyIn, begin_write, expect_version, listing_path, money_in, reload_listing, sold_market,
    whole_number,
};
use super::session::SellerSession;
use super::store::{self, PrivateListing, PromotionRow};
use crate::api::server_now;
use crate::catalog::promotions::{
    FREE_SHIPPING_OVER, PERCENT_OFF, PLATFORM_SUBSIDY, SELLER_KINDS, VOUCHER, shopper_price,
};
use crate::extract::ApiJson;
#[allow(unused_imports)] // named in `#[schema(value_type = …)]`
use crate::openapi::MoneyDoc;
use crate::{ApiError, AppState};

/// The longest a promotion may run.
pub const MAX_DAYS: i64 = 366;
/// A start this little in the past counts as now (clocks differ).
pub const START_SLACK_SECS: i64 = 300;
/// The longest label.
pub const MAX_LABEL: usize = 60;

/// A promotion to schedule.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPromotion {
    /// A market the listing is sold in.
    #[schema(example = "US")]
    pub market: String,
    /// percent_off, voucher, platform_subsidy or free_shipping_over.
    #[schema(example = "percent_off")]
    pub kind: String,
    /// percent_off: basis points off, 1 to 9000 (2000 = 20 %; at most 90 %).
    #[schema(value_type = Option<i64>, example = 2000)]
    pub percent_bp: Option<serde_json::Number>,
    /// voucher (per order) and platform_subsidy (per item): the amount off, in the
    /// market's currency, less than the price.
    pub amount: Option<MoneyIn>,
    /// free_shipping_over: orders of at least this ship free.
    pub threshold: Option<MoneyIn>,
    /// When it starts (RFC 3339); default now. Not in the past.
    #[schema(example = "2026-12-01T00:00:00Z")]
    pub starts_at: Option<String>,
    /// When it ends (RFC 3339, exclusive); after the start, at most 366 days later.
    #[schema(example = "2026-12-08T00:00:00Z")]
    pub ends_at: String,
    /// What shoppers see, at most 60 characters; default from the kind ("20 % off").
    pub label: Option<String>,
    /// The listing's version you last saw; when given and stale the answer is 409.
    pub version: Option<i64>,
}

/// What a promotion does to the margin of one unit under the listing's mode, from
/// crates/core, priced at the promotion's start (or now, once it runs).
#[derive(Debug, Serialize, ToSchema)]
pub struct MarginImpact {
    /// The instant it is priced at.
    #[schema(value_type = String, format = DateTime)]
    pub as_of: Instant,
    /// Your unit margin without the promotion.
    #[schema(value_type = MoneyDoc)]
    pub margin_before: Money,
    pub margin_bp_before: Option<i64>,
    /// Your unit margin while it runs.
    #[schema(value_type = MoneyDoc)]
    pub margin_with: Money,
    pub margin_bp_with: Option<i64>,
    /// `margin_with − margin_before`: never above zero.
    #[schema(value_type = MoneyDoc)]
    pub margin_impact: Money,
    /// What it costs you per unit.
    #[schema(value_type = MoneyDoc)]
    pub seller_cost: Money,
    /// What it costs the platform per unit.
    #[schema(value_type = MoneyDoc)]
    pub platform_cost: Money,
    /// What the shopper pays for one unit while it runs.
    #[schema(value_type = MoneyDoc)]
    pub shopper_pays: Money,
}

/// Something the seller should know.
#[derive(Debug, Serialize, ToSchema)]
pub struct PromotionWarning {
    /// crates/core's warning code: negative_margin, promotion_makes_margin_negative,
    /// platform_margin_negative, …; `not_priced` when the margin cannot be worked out.
    pub code: String,
    pub message: String,
}

/// The answer to scheduling or ending a promotion.
#[derive(Debug, Serialize, ToSchema)]
pub struct PromotionResponse {
    pub promotion: SellerPromotion,
    /// `null` when crates/core cannot price the listing in the market (see `warnings`).
    pub impact: Option<MarginImpact>,
    pub warnings: Vec<PromotionWarning>,
    /// The listing as it is now (with its new version).
    pub listing: SellerListingDetail,
}

/// The margin impact and warnings of `promo` on `listing` in its market.
fn impact(
    state: &AppState,
    listing: &PrivateListing,
    promo: &PromotionRow,
    now: Instant,
) -> (Option<MarginImpact>, Vec<PromotionWarning>) {
    let net = state.network.network();
    let rules = state.pricing.rules();
    let not_priced = |message: String| {
        (
            None,
            vec![PromotionWarning {
                code: "not_priced".into(),
                message,
            }],
        )
    };
    let Some(row) = listing.price(&promo.market) else {
        return not_priced(format!("the listing is not sold in {}", promo.market));
    };
    let Some(core) = core_promotion(&promo.stored(), row.price, listing.mode) else {
        return not_priced("this promotion does not lower the price".into());
    };
    let at = now.max(promo.starts_at);
    let (price, supply) = match listing.mode {
        Mode::FullyManaged => (None, row.supply_price),
        _ => (Some(row.price), None),
    };
    let req = request(
        &listing.facts,
        &promo.market,
        price,
        supply,
        listing.pricing_warehouses(net),
        Some(core),
        at,
    );
    match price_mode(net, rules, &req, listing.mode) {
        Ok(p) => {
            let Some(effect) = p.promotion else {
                return not_priced("the promotion was not priced".into());
            };
            let before_bp = if effect.margin_before.minor() == p.seller.margin.minor() {
                p.seller.margin_bp
            } else {
                // The margin without the promotion, from a second pricing.
                let plain = request(
                    &listing.facts,
                    &promo.market,
                    price,
                    supply,
                    listing.pricing_warehouses(net),
                    None,
                    at,
                );
                price_mode(net, rules, &plain, listing.mode)
                    .ok()
                    .and_then(|q| q.seller.margin_bp)
            };
            let warnings = p
                .warnings
                .iter()
                .filter(|w| {
                    matches!(
                        w,
                        Warning::NegativeMargin
                            | Warning::PromotionMakesMarginNegative
                            | Warning::PlatformMarginNegative
                    )
                })
                .map(|w| PromotionWarning {
                    code: serde_json::to_value(w)
                        .ok()
                        .and_then(|v| v.get("code").and_then(Value::as_str).map(str::to_owned))
                        .unwrap_or_default(),
                    message: w.message(),
                })
                .collect();
            (
                Some(MarginImpact {
                    as_of: at,
                    margin_before: effect.margin_before,
                    margin_bp_before: before_bp,
                    margin_with: p.seller.margin,
                    margin_bp_with: p.seller.margin_bp,
                    margin_impact: effect.margin_impact,
                    seller_cost: effect.seller_cost,
                    platform_cost: effect.platform_cost,
                    shopper_pays: p.shopper_pays,
                }),
                warnings,
            )
        }
        Err(e) => not_priced(format!("{} ({})", e, error_code(&e))),
    }
}

fn promotion_json(
    net: &crossdock_core::Network,
    listing: &PrivateListing,
    p: &PromotionRow,
    now: Instant,
) -> Value {
    let out = promotion_out(net, listing, p, now);
    json!({
        "id": out.id,
        "kind": out.kind,
        "label": out.label,
        "percent_bp": out.percent_bp,
        "amount": out.amount,
        "threshold": out.threshold,
        "funded_by": out.funded_by,
        "starts_at": out.starts_at.to_string(),
        "ends_at": out.ends_at.to_string(),
    })
}

fn default_label(
    kind: &str,
    percent_bp: Option<i64>,
    amount: Option<Money>,
    threshold: Option<Money>,
) -> String {
    match kind {
        PERCENT_OFF => {
            let bp = percent_bp.unwrap_or(0);
            if bp % 100 == 0 {
                format!("{} % off", bp / 100)
            } else {
                format!("{}.{:02} % off", bp / 100, bp % 100)
            }
        }
        VOUCHER => format!("{} off", amount.map(|m| m.to_string()).unwrap_or_default()),
        PLATFORM_SUBSIDY => format!(
            "{} off, on the platform",
            amount.map(|m| m.to_string()).unwrap_or_default()
        ),
        _ => format!(
            "Free shipping over {}",
            threshold.map(|m| m.to_string()).unwrap_or_default()
        ),
    }
}

/// Schedules a promotion of the listing in one market.
#[utoipa::path(
    post,
    path = "/api/seller/listings/{id}/promotions",
    tag = "seller",
    security(("seller_session" = [], "csrf_token" = [])),
    params(("id" = i64, Path, description = "Listing id")),
    request_body = NewPromotion,
    responses(
        (status = 201, description = "Scheduled, with its margin impact and warnings", body = PromotionResponse),
        (status = 400, description = "Malformed JSON or id", body = crate::openapi::ErrorResponse),
        (status = 401, description = "Not signed in", body = crate::openapi::ErrorResponse),
        (status = 403, description = "`csrf`: no or a wrong `x-csrf-token`, or sent from another site", body = crate::openapi::ErrorResponse),
        (status = 404, description = "You have no such listing (another seller's answers the same)", body = crate::openapi::ErrorResponse),
        (status = 409, description = "`version` is stale; `current` is the listing now", body = crate::openapi::ConflictResponse),
        (status = 413, description = "The body is larger than 16 KiB", body = crate::openapi::ErrorResponse),
        (status = 415, description = "Not sent as application/json", body = crate::openapi::ErrorResponse),
        (status = 422, description = "A value cannot be used; `field` names it (market, kind, percent_bp, amount, threshold, starts_at, ends_at, label)", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn create_promotion(
    session: SellerSession,
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Result<ApiJson<NewPromotion>, ApiError>,
) -> Result<Response, ApiError> {
    let now = server_now()?;
    let id = listing_path(path)?;
    super::require_owned_listing(&state.db, &session.seller_id, id).await?;
    let ApiJson(body) = body?;
    super::prepare(&state, now).await?;
    let net = state.network.network();
    let listing = store::load_owned(&state.db, net, &session.seller_id, id).await?;
    expect_version(&state, &listing, body.version, now).await?;

    let market = sold_market(net, &listing, &body.market, "market")?;
    let kind = body.kind.trim();
    if !SELLER_KINDS.contains(&kind) {
        return Err(ApiError::invalid(
            "kind",
            format!(
                "unknown kind \"{}\": use {}",
                body.kind,
                SELLER_KINDS.join(", ")
            ),
        ));
    }
    let needs = |name: &str, given: bool, wanted: bool| -> Result<(), ApiError> {
        match (given, wanted) {
            (false, true) => Err(ApiError::invalid(
                name,
                format!("a {kind} promotion needs {name}"),
            )),
            (true, false) => Err(ApiError::invalid(
                name,
                format!("{name} is not part of a {kind} promotion: leave it out"),
            )),
            _ => Ok(()),
        }
    };
    needs("percent_bp", body.percent_bp.is_some(), kind == PERCENT_OFF)?;
    needs(
        "amount",
        body.amount.is_some(),
        kind == VOUCHER || kind == PLATFORM_SUBSIDY,
    )?;
    needs(
        "threshold",
        body.threshold.is_some(),
        kind == FREE_SHIPPING_OVER,
    )?;
    let regular = listing
        .price(&market.id)
        .map(|p| p.price)
        .ok_or_else(|| ApiError::Internal(format!("no price in {}", market.id)))?;
    let percent_bp = match &body.percent_bp {
        Some(n) => {
            let bp = whole_number(n, "percent_bp", "percent_bp")?;
            if !(1..=9_000).contains(&bp) {
                return Err(ApiError::invalid(
                    "percent_bp",
                    format!(
                        "a discount is more than 0 and at most 90 % (percent_bp 1 to 9000; got {bp})"
                    ),
                ));
            }
            Some(bp)
        }
        None => None,
    };
    let amount = match &body.amount {
        Some(m) => {
            let amount = money_in(net, &state, m, market, "amount", "the amount")?;
            if amount.minor() >= regular.minor() {
                return Err(ApiError::invalid(
                    "amount",
                    format!(
                        "{amount} off would leave the shopper nothing to pay: the price in {} is {regular}",
                        market.name
                    ),
                ));
            }
            Some(amount)
        }
        None => None,
    };
    let threshold = match &body.threshold {
        Some(m) => Some(money_in(
            net,
            &state,
            m,
            market,
            "threshold",
            "the threshold",
        )?),
        None => None,
    };
    let parse = |text: &str, field: &str| {
        Instant::parse(text.trim()).map_err(|_| {
            ApiError::invalid(
                field,
                format!("\"{text}\" is not a date and time: write it as 2026-12-01T00:00:00Z"),
            )
        })
    };
    let starts_at = match &body.starts_at {
        Some(text) => {
            let at = parse(text, "starts_at")?;
            if at.unix() < now.unix() - START_SLACK_SECS {
                return Err(ApiError::invalid(
                    "starts_at",
                    format!(
                        "a promotion cannot start in the past (now is {now}): start it now or later"
                    ),
                ));
            }
            at.max(now)
        }
        None => now,
    };
    let ends_at = parse(&body.ends_at, "ends_at")?;
    if ends_at <= starts_at {
        return Err(ApiError::invalid(
            "ends_at",
            format!("the promotion must end after it starts ({starts_at})"),
        ));
    }
    if ends_at.unix() - starts_at.unix() > MAX_DAYS * 86_400 {
        return Err(ApiError::invalid(
            "ends_at",
            format!("a promotion runs at most {MAX_DAYS} days"),
        ));
    }
    if let Some(other) = listing
        .promotions
        .iter()
        .find(|p| p.market == market.id && p.starts_at < ends_at && starts_at < p.ends_at)
    {
        return Err(ApiError::invalid(
            "starts_at",
            format!(
                "it overlaps promotion {} (\"{}\", {} to {}) in {}: one promotion runs at a time in a market — end that one first or choose other dates",
                other.id, other.label, other.starts_at, other.ends_at, market.id
            ),
        ));
    }
    let label = match body.label.as_deref().map(str::trim) {
        Some("") | None => default_label(kind, percent_bp, amount, threshold),
        Some(text) if text.chars().count() > MAX_LABEL => {
            return Err(ApiError::invalid(
                "label",
                format!("a label has at most {MAX_LABEL} characters"),
            ));
        }
        Some(text) => text.to_string(),
    };
    let funded_by = match (kind, listing.mode) {
        (PLATFORM_SUBSIDY, _) => "platform",
        (VOUCHER | FREE_SHIPPING_OVER, Mode::FullyManaged) => "platform",
        _ => "seller",
    };
    let price_now = shopper_price(
        regular,
        kind,
        percent_bp,
        amount.map(|m| m.minor()),
        regular.minor(),
    );

    let db = |e: sqlx::Error| ApiError::Internal(format!("saving a promotion: {e}"));
    let (turn, mut tx) = begin_write(&state, &listing, now).await?;
    // Promotion ids continue the demo catalog's (which were written with explicit ids).
    // SQLite runs one write at a time; on PostgreSQL two sellers could read the same
    // MAX(id) at once, so promotion inserts take turns (the lock lasts until commit, and
    // every write takes its listing's row first, so no two wait on each other).
    if crate::db::backend(&state.db) == crate::db::Backend::Postgres {
        sqlx::query("LOCK TABLE promotions IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await
            .map_err(db)?;
    }
    let promo_id: i64 = sqlx::query(
        "INSERT INTO promotions (id, listing_id, market, kind, label, price_minor, starts_at, \
         ends_at, funded_by, percent_bp, amount_minor, threshold_minor, created_at) \
         VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM promotions), $1, $2, $3, $4, $5, $6, \
         $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(id)
    .bind(&market.id)
    .bind(kind)
    .bind(&label)
    .bind(price_now.minor())
    .bind(starts_at.to_string())
    .bind(ends_at.to_string())
    .bind(funded_by)
    .bind(percent_bp)
    .bind(amount.map(|m| m.minor()))
    .bind(threshold.map(|m| m.minor()))
    .bind(now.to_string())
    .fetch_one(&mut *tx)
    .await
    .map_err(db)?
    .try_get("id")
    .map_err(db)?;
    let row = PromotionRow {
        id: promo_id,
        market: market.id.clone(),
        kind: kind.to_string(),
        label,
        price_minor: price_now.minor(),
        percent_bp,
        amount_minor: amount.map(|m| m.minor()),
        threshold_minor: threshold.map(|m| m.minor()),
        starts_at,
        ends_at,
        funded_by: funded_by.to_string(),
        created_at: Some(now),
    };
    audit::record(
        &mut tx,
        Entry {
            at: now,
            seller_id: &session.seller_id,
            actor: &session.seller_id,
            listing_id: id,
            kind: Kind::Promotion,
            action: "create",
            market: Some(&market.id),
            warehouse: None,
            before: None,
            after: Some(promotion_json(net, &listing, &row, now)),
        },
    )
    .await?;
    tx.commit().await.map_err(db)?;
    drop(turn);
    reload_listing(&state, id).await?;
    let (impact, warnings) = impact(&state, &listing, &row, now);
    let promotion = promotion_out(net, &listing, &row, now);
    let listing = detail_of(&state, &session.seller_id, id, now).await?;
    Ok(no_store_json(
        StatusCode::CREATED,
        &PromotionResponse {
            promotion,
            impact,
            warnings,
            listing,
        },
    ))
}

/// Ends a running promotion, or cancels a scheduled one. A promotion that has ended
/// stays on record.
#[utoipa::path(
    delete,
    path = "/api/seller/listings/{id}/promotions/{promotion}",
    tag = "seller",
    security(("seller_session" = [], "csrf_token" = [])),
    params(
        ("id" = i64, Path, description = "Listing id"),
        ("promotion" = i64, Path, description = "Promotion id"),
    ),
    responses(
        (status = 200, description = "Removed: `impact` is what it did to the margin, `warnings` what remains true without it", body = PromotionResponse),
        (status = 400, description = "A malformed id", body = crate::openapi::ErrorResponse),
        (status = 401, description = "Not signed in", body = crate::openapi::ErrorResponse),
        (status = 403, description = "`csrf`: no or a wrong `x-csrf-token`, or sent from another site", body = crate::openapi::ErrorResponse),
        (status = 404, description = "No such listing of yours, or no such promotion of it", body = crate::openapi::ErrorResponse),
        (status = 409, description = "The promotion has ended: it stays on record", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn delete_promotion(
    session: SellerSession,
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, ApiError> {
    let now = server_now()?;
    let (id, promo_id) = super::listing_and_child(path, "promotion")?;
    super::require_owned_listing(&state.db, &session.seller_id, id).await?;
    super::prepare(&state, now).await?;
    let net = state.network.network();
    let listing = store::load_owned(&state.db, net, &session.seller_id, id).await?;
    let Some(row) = listing
        .promotions
        .iter()
        .find(|p| p.id == promo_id)
        .cloned()
    else {
        return Err(ApiError::NotFound(format!(
            "listing {id} has no promotion {promo_id}: check the id in its promotions"
        )));
    };
    if row.ends_at <= now {
        return Err(ApiError::Conflict {
            message: format!(
                "promotion {promo_id} ended at {}: ended promotions stay on record",
                row.ends_at
            ),
            field: None,
            current: None,
        });
    }
    let (impact, _) = impact(&state, &listing, &row, now);
    let db = |e: sqlx::Error| ApiError::Internal(format!("removing a promotion: {e}"));
    let (turn, mut tx) = begin_write(&state, &listing, now).await?;
    sqlx::query("DELETE FROM promotions WHERE id = $1 AND listing_id = $2")
        .bind(promo_id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    audit::record(
        &mut tx,
        Entry {
            at: now,
            seller_id: &session.seller_id,
            actor: &session.seller_id,
            listing_id: id,
            kind: Kind::Promotion,
            action: "delete",
            market: Some(&row.market),
            warehouse: None,
            before: Some(promotion_json(net, &listing, &row, now)),
            after: None,
        },
    )
    .await?;
    tx.commit().await.map_err(db)?;
    drop(turn);
    reload_listing(&state, id).await?;
    let promotion = promotion_out(net, &listing, &row, now);
    let detail = detail_of(&state, &session.seller_id, id, now).await?;
    // What remains true without it: the regular price's warnings in this market.
    let warnings = detail
        .pricing
        .iter()
        .filter(|p| p.market == row.market)
        .filter_map(|p| p.result.as_ref())
        .filter_map(|r| r.get("columns").and_then(Value::as_array))
        .flatten()
        .filter(|c| {
            c.get("mode").and_then(Value::as_str)
                == Some(crate::catalog::generate::mode_id(detail.mode))
        })
        .filter_map(|c| {
            c.get("pricing")
                .and_then(|p| p.get("warnings"))
                .and_then(Value::as_array)
        })
        .flatten()
        .filter(|w| {
            matches!(
                w.get("code").and_then(Value::as_str),
                Some("negative_margin" | "platform_margin_negative")
            )
        })
        .map(|w| PromotionWarning {
            code: w
                .get("code")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            message: w
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        })
        .collect();
    Ok(no_store_json(
        StatusCode::OK,
        &PromotionResponse {
            promotion,
            impact,
            warnings,
            listing: detail,
        },
    ))
}
