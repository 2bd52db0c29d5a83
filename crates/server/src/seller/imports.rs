//! CSV export and import of prices and stock.
//!
//! - `GET /api/seller/catalog.csv`: every SKU's prices per market and stock per warehouse
//!   (the format is in [`super::csv_sheet`]).
//! - `POST /api/seller/imports`: upload an edited file (the CSV bytes as the body). The
//!   answer (202) is the import's status; the import goes on in the background.
//! - `GET /api/seller/imports/{id}`: its progress, then its report; `GET
//!   /api/seller/imports`: the seller's recent imports.
//!
//! # All or nothing
//! Every row is checked — the file's syntax, the SKU, the market or warehouse, the
//! amount against the market's currency and limits, and the whole SKU after the change
//! with the same rules and the same crates/core pricing as saving it in the panel
//! ([`super::save::plan`]) — and every problem is reported with its line and column.
//! **While any row has a problem nothing is applied**; the seller fixes the file and
//! imports it again. A file without problems is applied in one database transaction,
//! together with the import's `applied` state: a crash mid-way leaves nothing half
//! applied. `check_only=true` checks and reports without applying.
//!
//! # Idempotent, and nothing lost silently
//! A row whose value is what the SKU has now changes nothing (no version bump, no audit
//! entry), so importing the same file twice changes nothing the second time. A row that
//! would change a SKU which changed after the file was exported (its `version` column is
//! older than the SKU's) is a problem, not an overwrite: export again, or empty the
//! version cell to overwrite on purpose. Every applied change is in the audit log with
//! the action `import`.
//!
//! # Progress in the database
//! The import's row (`seller_imports`) holds its state, the rows checked so far and a
//! heartbeat, updated about four times a second while it runs, so the panel's progress
//! bar works through any server instance. A running import whose heartbeat is older than
//! [`STALE_AFTER_SECS`] was cut off by a restart and is reported as failed (nothing of it
//! was applied). One seller runs one import at a time.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use crossdock_core::engine::Mode;
use crossdock_core::network::Network;
use crossdock_core::time::Instant;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sqlx::Row as _;
use sqlx::any::AnyRow;
use tracing::Instrument as _;
use utoipa::ToSchema;

use super::csv_sheet::{self, Decimal, ExportRow, Problem, Sheet, Target};
use super::listings::{allowed_warehouses, no_store_json};
use super::pricing::margin_basis;
use super::save::{
    self, AmountIn, At, Edit, Plan, PriceCol, PriceEdit, StockCol, StockEdit, listing_path,
    reload_catalog,
};
use super::session::SellerSession;
use super::store::{self, PrivateListing};
use crate::api::server_now;
use crate::catalog::generate::mode_id;
use crate::extract::Params;
use crate::{ApiError, AppState};

/// The CSV imports this process is running, so that a shutdown can let them finish
/// (`crossdock-server` waits for them after its last request, within its deadline)
/// instead of cutting them off to be reported failed after the restart.
#[derive(Clone, Debug, Default)]
pub struct ImportJobs(std::sync::Arc<JobsInner>);

#[derive(Debug, Default)]
struct JobsInner {
    running: std::sync::atomic::AtomicUsize,
    idle: tokio::sync::Notify,
}

/// One running import: counted until dropped (also when its task fails or panics).
#[derive(Debug)]
pub struct ImportJob(ImportJobs);

impl ImportJobs {
    /// Counts an import as running until the returned job is dropped.
    pub fn start(&self) -> ImportJob {
        self.0
            .running
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        ImportJob(self.clone())
    }

    /// Imports running now.
    pub fn running(&self) -> usize {
        self.0.running.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Returns once no import is running.
    pub async fn idle(&self) {
        loop {
            let notified = self.0.idle.notified();
            tokio::pin!(notified);
            // Registered before the check, so a finish in between is not missed.
            notified.as_mut().enable();
            if self.running() == 0 {
                return;
            }
            notified.await;
        }
    }
}

impl Drop for ImportJob {
    fn drop(&mut self) {
        let inner = &(self.0).0;
        if inner
            .running
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst)
            == 1
        {
            inner.idle.notify_waiters();
        }
    }
}

/// The largest file an import takes.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// A running import whose heartbeat is older than this was cut off.
pub const STALE_AFTER_SECS: i64 = 120;
/// Most problems an import's report lists (it counts them all).
pub const MAX_PROBLEMS: usize = 1_000;
/// How many of a seller's imports `GET /api/seller/imports` lists.
pub const RECENT_IMPORTS: i64 = 20;

/// What became of the rows of an import (when it got as far as checking them all).
#[derive(Debug, Clone, Default, Serialize, ToSchema, PartialEq, Eq)]
pub struct ImportSummary {
    /// SKUs with at least one change.
    pub skus_changed: i64,
    /// Prices (or supply prices) changed.
    pub prices_changed: i64,
    /// Stock counts changed.
    pub stock_changed: i64,
    /// Rows whose value the SKU already had.
    pub rows_unchanged: i64,
}

/// An import: its state, progress and report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportStatus {
    pub id: i64,
    pub file_name: String,
    /// `checking`, `applying`, `applied`, `checked` (check only: every row fine),
    /// `rejected` (rows with problems: nothing applied) or `failed` (nothing applied;
    /// `message` says why).
    pub state: String,
    /// Whether the import only checks the file.
    pub check_only: bool,
    /// Data rows in the file.
    pub rows_total: i64,
    /// Rows checked so far.
    pub rows_checked: i64,
    /// What the state means for the seller, in a sentence.
    pub message: String,
    /// Problems found, by line (at most 1,000; `problem_count` counts them all).
    pub problems: Vec<Problem>,
    pub problem_count: i64,
    pub summary: Option<ImportSummary>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Instant,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub finished_at: Option<Instant>,
}

/// A seller's recent imports, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportList {
    pub imports: Vec<ImportStatus>,
}

fn db_err(what: &'static str) -> impl Fn(sqlx::Error) -> ApiError {
    move |e| ApiError::Internal(format!("{what}: {e}"))
}

fn is_running(state: &str) -> bool {
    matches!(state, "checking" | "applying")
}

// ---------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------

/// The export's rows for `listings`: each market's price, then each warehouse's stock
/// (every warehouse that may hold the SKU under its mode, with 0 where it has none).
pub fn export_rows<'a>(net: &'a Network, listings: &'a [PrivateListing]) -> Vec<ExportRow<'a>> {
    let mut rows = Vec::new();
    for l in listings {
        let base = ExportRow {
            sku: &l.sku,
            title: &l.title,
            mode: mode_id(l.mode),
            version: l.version,
            ..ExportRow::default()
        };
        for p in &l.prices {
            rows.push(ExportRow {
                market: &p.market,
                currency: net
                    .file
                    .markets
                    .iter()
                    .find(|m| m.id == p.market)
                    .map_or("", |m| m.currency.as_str()),
                price: Some(p.price),
                supply_price: if l.mode == Mode::FullyManaged {
                    p.supply_price
                } else {
                    None
                },
                ..base.clone()
            });
        }
        let mut warehouses: Vec<String> = l.stock.iter().map(|s| s.warehouse.clone()).collect();
        for w in allowed_warehouses(net, l, l.mode) {
            if !warehouses.contains(&w) {
                warehouses.push(w);
            }
        }
        warehouses.sort();
        for w in warehouses {
            // Borrowed from the network, which outlives the rows.
            let Some(def) = net.file.warehouses.iter().find(|d| d.id == w) else {
                continue;
            };
            let s = l.stock_at(&w);
            rows.push(ExportRow {
                warehouse: def.id.as_str(),
                on_hand: Some(s.map_or(0, |s| s.on_hand)),
                reserved: Some(s.map_or(0, |s| s.reserved)),
                ..base.clone()
            });
        }
    }
    rows
}

/// Downloads every SKU's prices and stock as CSV, to edit and import back.
#[utoipa::path(
    get,
    path = "/api/seller/catalog.csv",
    tag = "seller",
    security(("seller_session" = [])),
    responses(
        (status = 200, description = "The prices-and-stock sheet (UTF-8 with a byte order mark; columns sku, title, mode, version, market, currency, price, supply_price, warehouse, on_hand, reserved; a row per price and per stock count)", content_type = "text/csv"),
        (status = 401, description = "Not signed in", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn export_csv(
    session: SellerSession,
    State(state): State<AppState>,
) -> Result<Response, ApiError> {
    let now = server_now()?;
    super::prepare(&state, now).await?;
    let net = state.network.network();
    let listings = store::load_seller(&state.db, net, &session.seller_id).await?;
    let rows = export_rows(net, &listings);
    let bytes =
        csv_sheet::write(&rows).map_err(|e| ApiError::Internal(format!("writing the CSV: {e}")))?;
    let stamp = now.to_string();
    let date = stamp.get(..10).unwrap_or("export");
    let name = format!("crossdock-prices-stock-{}-{date}.csv", session.seller_id);
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------
// Checking rows against the seller's listings
// ---------------------------------------------------------------------------------------

/// One SKU's changes from the file, with the line of each.
struct Pending<'a> {
    listing: &'a PrivateListing,
    edit: Edit,
    /// The line of `edit.prices[i]`.
    price_lines: Vec<u64>,
    /// The line of `edit.stock[i]`.
    stock_lines: Vec<u64>,
    /// The SKU's rows in the file.
    rows: i64,
    first_line: u64,
}

/// Where a plan's refusal is in the file: the line of the price or stock edit it names
/// (`price_lines[i]`, `stock_lines[i]`), or the SKU's first line.
fn locate(
    first_line: u64,
    price_lines: &[u64],
    stock_lines: &[u64],
    at: At,
) -> (u64, Option<&'static str>) {
    let line = |lines: &[u64], i: usize| lines.get(i).copied().unwrap_or(first_line);
    match at {
        At::Mode | At::Prices => (first_line, None),
        At::PriceEntry(i) => (line(price_lines, i), Some("price")),
        At::Price(i, col) => (
            line(price_lines, i),
            Some(match col {
                PriceCol::Market => "market",
                PriceCol::Price => "price",
                PriceCol::SupplyPrice => "supply_price",
            }),
        ),
        At::Stock(i, col) => (
            line(stock_lines, i),
            Some(match col {
                StockCol::Warehouse => "warehouse",
                StockCol::OnHand => "on_hand",
            }),
        ),
    }
}

/// The outcome of checking a file: the plans to apply, the problems, what it comes to.
#[derive(Debug, Default)]
pub struct Checked {
    pub plans: Vec<Plan>,
    pub problems: Vec<Problem>,
    pub summary: ImportSummary,
}

/// Checks `sheet` against `listings` (the seller's, as they are now) and plans each SKU's
/// change with [`save::plan`]. `progress` is called after each SKU with the rows checked
/// so far. Pure apart from `progress`: nothing is read or written.
pub fn check(
    net: &Network,
    rules: &crossdock_core::pricing::PricingRules,
    listings: &[PrivateListing],
    sheet: &Sheet,
    now: Instant,
    mut progress: impl FnMut(i64),
) -> Checked {
    let mut out = Checked {
        problems: sheet.problems.clone(),
        ..Checked::default()
    };
    let by_sku: HashMap<&str, &PrivateListing> =
        listings.iter().map(|l| (l.sku.as_str(), l)).collect();
    let mut order: Vec<i64> = Vec::new();
    let mut pending: HashMap<i64, Pending<'_>> = HashMap::new();
    // (sku, "m:US" | "w:us-3pl-ca") → first line.
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    let mut checked: i64 = 0;
    // Rows with sheet problems were never rows: count them as checked at the start.
    let bad_rows = i64::try_from(sheet.row_count.saturating_sub(sheet.rows.len())).unwrap_or(0);
    checked += bad_rows;

    for row in &sheet.rows {
        let problem = |column: Option<&str>, message: String| Problem {
            line: row.line,
            column: column.map(str::to_string),
            sku: Some(row.sku.clone()),
            message,
        };
        let Some(listing) = by_sku.get(row.sku.as_str()).copied() else {
            let hint = listings
                .iter()
                .find(|l| l.sku.eq_ignore_ascii_case(&row.sku))
                .map(|l| format!(" — did you mean {}? SKUs are case-sensitive", l.sku))
                .unwrap_or_else(|| ": check it against your SKU table or a fresh export".into());
            out.problems.push(problem(
                Some("sku"),
                format!("you have no SKU \"{}\"{hint}", row.sku),
            ));
            checked += 1;
            continue;
        };
        let p = pending.entry(listing.id).or_insert_with(|| {
            order.push(listing.id);
            Pending {
                listing,
                edit: Edit::default(),
                price_lines: Vec::new(),
                stock_lines: Vec::new(),
                rows: 0,
                first_line: row.line,
            }
        });
        p.rows += 1;
        // Whether the row changes the SKU: a stale version is a problem only then.
        let stale = row.version.filter(|v| *v != listing.version);
        let stale_problem = |v: i64| {
            problem(
                Some("version"),
                format!(
                    "{} changed after this file was exported (version {v} in the file, {} now): export a fresh file, or empty the version cell to overwrite the change",
                    listing.sku, listing.version
                ),
            )
        };
        match &row.target {
            Target::Price {
                market,
                currency,
                price,
                supply_price,
            } => {
                let m = match save::market_sold(net, listing, market) {
                    Ok(m) => m,
                    Err(message) => {
                        out.problems.push(problem(Some("market"), message));
                        continue;
                    }
                };
                let key = (listing.sku.clone(), format!("m:{}", m.id));
                if let Some(first) = seen.get(&key) {
                    out.problems.push(problem(
                        Some("market"),
                        format!(
                            "line {first} already gives {}'s price in {}: give each SKU and market once",
                            listing.sku, m.id
                        ),
                    ));
                    continue;
                }
                seen.insert(key, row.line);
                if let Some(c) = currency
                    && !c.eq_ignore_ascii_case(&m.currency)
                {
                    out.problems.push(problem(
                        Some("currency"),
                        format!(
                            "{} prices are in {}, not {c}: write the amount in {} (or leave the currency empty)",
                            m.name, m.currency, m.currency
                        ),
                    ));
                    continue;
                }
                let Some(current) = listing.price(&m.id) else {
                    continue;
                };
                let exponent = current.price.currency().exponent;
                let minor = |d: Decimal, column: &str| -> Result<i64, Problem> {
                    d.to_minor(exponent).ok_or_else(|| {
                        problem(
                            Some(column),
                            if exponent == 0 {
                                format!(
                                    "{} amounts are whole numbers: leave out the decimals",
                                    m.currency
                                )
                            } else {
                                format!(
                                    "{} amounts have at most {exponent} decimal digits",
                                    m.currency
                                )
                            },
                        )
                    })
                };
                let price = match price.map(|d| minor(d, "price")).transpose() {
                    Ok(v) => v,
                    Err(e) => {
                        out.problems.push(e);
                        continue;
                    }
                };
                let supply = match supply_price.map(|d| minor(d, "supply_price")).transpose() {
                    Ok(v) => v,
                    Err(e) => {
                        out.problems.push(e);
                        continue;
                    }
                };
                let amount = |minor: i64| AmountIn {
                    minor,
                    currency: m.currency.clone(),
                    exponent: None,
                };
                let mut edit = PriceEdit {
                    market: m.id.clone(),
                    price: None,
                    supply_price: None,
                };
                if listing.mode == Mode::FullyManaged {
                    // The retail price follows the supply price: with a supply price
                    // given, the price cell is only there to read.
                    if let Some(p) = price
                        && supply.is_none()
                        && p != current.price.minor()
                    {
                        out.problems.push(problem(
                            Some("price"),
                            format!(
                                "{} is fully managed: the platform sets its retail price ({} now) from your supply price; change supply_price instead and leave price as exported",
                                listing.sku, current.price
                            ),
                        ));
                        continue;
                    }
                    match supply {
                        Some(s) if Some(s) != current.supply_price.map(|m| m.minor()) => {
                            edit.supply_price = Some(amount(s));
                        }
                        Some(_) => {}
                        None if price.is_some() => {}
                        None => {
                            out.problems.push(problem(
                                Some("supply_price"),
                                format!(
                                    "{} is fully managed: give its supply price for {}",
                                    listing.sku, m.id
                                ),
                            ));
                            continue;
                        }
                    }
                } else {
                    if let Some(s) = supply {
                        edit.supply_price = Some(amount(s));
                    }
                    if let Some(p) = price
                        && (p != current.price.minor() || edit.supply_price.is_some())
                    {
                        edit.price = Some(amount(p));
                    }
                }
                if edit.price.is_none() && edit.supply_price.is_none() {
                    out.summary.rows_unchanged += 1;
                    continue;
                }
                if let Some(v) = stale {
                    out.problems.push(stale_problem(v));
                    continue;
                }
                p.edit.prices.push(edit);
                p.price_lines.push(row.line);
            }
            Target::Stock { warehouse, on_hand } => {
                let id = net
                    .file
                    .warehouses
                    .iter()
                    .find(|w| w.id.eq_ignore_ascii_case(warehouse.trim()))
                    .map_or(warehouse.trim().to_string(), |w| w.id.clone());
                let key = (listing.sku.clone(), format!("w:{id}"));
                if let Some(first) = seen.get(&key) {
                    out.problems.push(problem(
                        Some("warehouse"),
                        format!(
                            "line {first} already gives {}'s stock in {id}: give each SKU and warehouse once",
                            listing.sku
                        ),
                    ));
                    continue;
                }
                seen.insert(key, row.line);
                if listing.stock_at(&id).map_or(0, |s| s.on_hand) == *on_hand {
                    out.summary.rows_unchanged += 1;
                    continue;
                }
                if let Some(v) = stale {
                    out.problems.push(stale_problem(v));
                    continue;
                }
                p.edit.stock.push(StockEdit {
                    warehouse: id,
                    on_hand: *on_hand,
                });
                p.stock_lines.push(row.line);
            }
        }
    }

    // Unknown SKUs and the like were checked as they were read.
    progress(checked);
    for id in order {
        let Some(p) = pending.get(&id) else { continue };
        checked += p.rows;
        if p.edit.prices.is_empty() && p.edit.stock.is_empty() {
            progress(checked);
            continue;
        }
        // Every value a plan refuses is reported: drop it and plan again, until the rest
        // is fine or a refusal is about the SKU as a whole.
        let mut edit = p.edit.clone();
        let mut price_lines = p.price_lines.clone();
        let mut stock_lines = p.stock_lines.clone();
        let mut refused = false;
        loop {
            let at = match save::plan(net, rules, p.listing, &edit, now) {
                Ok(plan) if refused || plan.is_empty() => break,
                Ok(plan) => {
                    out.summary.skus_changed += 1;
                    out.summary.prices_changed +=
                        i64::try_from(plan.price_changes.len()).unwrap_or(0);
                    out.summary.stock_changed +=
                        i64::try_from(plan.stock_changes.len()).unwrap_or(0);
                    out.plans.push(plan);
                    break;
                }
                Err(refusal) => {
                    refused = true;
                    let (line, column) =
                        locate(p.first_line, &price_lines, &stock_lines, refusal.at);
                    out.problems.push(Problem {
                        line,
                        column: column.map(str::to_string),
                        sku: Some(p.listing.sku.clone()),
                        message: refusal.message,
                    });
                    refusal.at
                }
            };
            match at {
                At::Price(i, _) | At::PriceEntry(i) if i < edit.prices.len() => {
                    edit.prices.remove(i);
                    price_lines.remove(i);
                }
                At::Stock(i, _) if i < edit.stock.len() => {
                    edit.stock.remove(i);
                    stock_lines.remove(i);
                }
                _ => break,
            }
        }
        progress(checked);
    }
    out.problems.sort_by_key(|p| p.line);
    out
}

// ---------------------------------------------------------------------------------------
// The import's row
// ---------------------------------------------------------------------------------------

fn report_json(problems: &[Problem], summary: Option<&ImportSummary>, message: &str) -> String {
    json!({
        "problems": problems.iter().take(MAX_PROBLEMS).collect::<Vec<_>>(),
        "problem_count": problems.len(),
        "summary": summary,
        "message": message,
    })
    .to_string()
}

fn status_of(row: &AnyRow, now: Instant) -> Result<ImportStatus, ApiError> {
    let read = |r: &AnyRow| -> Result<_, sqlx::Error> {
        Ok((
            r.try_get::<i64, _>("id")?,
            r.try_get::<String, _>("file_name")?,
            r.try_get::<String, _>("state")?,
            r.try_get::<i64, _>("check_only")? != 0,
            r.try_get::<i64, _>("rows_total")?,
            r.try_get::<i64, _>("rows_checked")?,
            r.try_get::<String, _>("created_at")?,
            r.try_get::<String, _>("heartbeat_at")?,
            r.try_get::<Option<String>, _>("finished_at")?,
            r.try_get::<Option<String>, _>("report")?,
        ))
    };
    let (id, file_name, mut state, check_only, total, checked, created, beat, finished, report) =
        read(row).map_err(db_err("reading an import"))?;
    let instant = |t: &str| {
        Instant::parse(t).map_err(|e| ApiError::Internal(format!("bad instant {t:?}: {e:?}")))
    };
    let beat = instant(&beat)?;
    let report: Value = report
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or(Value::Null);
    let field = |name: &str| report.get(name).cloned().unwrap_or(Value::Null);
    let problems: Vec<Problem> = field("problems")
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    Some(Problem {
                        line: p["line"].as_u64()?,
                        column: p["column"].as_str().map(str::to_string),
                        sku: p["sku"].as_str().map(str::to_string),
                        message: p["message"].as_str()?.to_string(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let summary = serde_json::from_value::<Option<SummaryIn>>(field("summary"))
        .ok()
        .flatten()
        .map(|s| ImportSummary {
            skus_changed: s.skus_changed,
            prices_changed: s.prices_changed,
            stock_changed: s.stock_changed,
            rows_unchanged: s.rows_unchanged,
        });
    let mut message = field("message").as_str().unwrap_or("").to_string();
    let stale = now.unix() - beat.unix() > STALE_AFTER_SECS;
    if is_running(&state) && stale {
        state = "failed".into();
        message = "the server stopped while this import ran, so nothing of it was applied: import the file again".into();
    }
    if state == "applied" && finished.is_none() && !stale {
        // Committed, but the storefront does not show it yet.
        state = "applying".into();
        message.clear();
    }
    if message.is_empty() {
        message = match state.as_str() {
            "checking" => format!("Checking rows: {checked} of {total}."),
            "applying" => "Every row is fine: applying the changes.".into(),
            _ => String::new(),
        };
    }
    Ok(ImportStatus {
        id,
        file_name,
        state,
        check_only,
        rows_total: total,
        rows_checked: checked,
        message,
        problem_count: field("problem_count")
            .as_i64()
            .unwrap_or(i64::try_from(problems.len()).unwrap_or(0)),
        problems,
        summary,
        created_at: instant(&created)?,
        finished_at: finished.as_deref().map(instant).transpose()?,
    })
}

#[derive(serde::Deserialize)]
struct SummaryIn {
    skus_changed: i64,
    prices_changed: i64,
    stock_changed: i64,
    rows_unchanged: i64,
}

// BOOLEAN columns are read as 0/1: sqlx's Any driver reads no SQLite BOOLEAN column.
const SELECT: &str = "SELECT id, file_name, state, \
                      CASE WHEN check_only THEN 1 ELSE 0 END AS check_only, rows_total, rows_checked, \
                      created_at, heartbeat_at, finished_at, report FROM seller_imports";

async fn load_status(
    state: &AppState,
    seller_id: &str,
    id: i64,
    now: Instant,
) -> Result<ImportStatus, ApiError> {
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1 AND seller_id = $2"))
        .bind(id)
        .bind(seller_id)
        .fetch_optional(&state.db)
        .await
        .map_err(db_err("reading an import"))?
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "you have no import {id}: your imports are listed at /api/seller/imports"
            ))
        })?;
    status_of(&row, now)
}

async fn finish(
    state: &AppState,
    id: i64,
    to: &str,
    report: String,
    now: Instant,
) -> Result<(), ApiError> {
    sqlx::query(
        "UPDATE seller_imports SET state = $1, report = $2, finished_at = $3, heartbeat_at = $3 \
         WHERE id = $4",
    )
    .bind(to)
    .bind(report)
    .bind(now.to_string())
    .bind(id)
    .execute(&state.db)
    .await
    .map_err(db_err("recording an import"))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The import
// ---------------------------------------------------------------------------------------

/// Reads the body of an upload as text, or says why it cannot be a CSV file.
fn file_text(bytes: &[u8]) -> Result<&str, ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::invalid(
            "file",
            "the file is empty: choose the CSV file you exported and edited",
        ));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ApiError::invalid(
            "file",
            "the file is UTF-16 (\"Unicode text\"): save it as \"CSV UTF-8 (comma delimited)\" and import that",
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ApiError::invalid(
            "file",
            "this is a spreadsheet workbook (.xlsx or .xls), not a CSV file: in your spreadsheet program choose Save as → \"CSV UTF-8 (comma delimited)\" and import that",
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes
            .iter()
            .take(e.valid_up_to())
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        ApiError::invalid(
            "file",
            format!(
                "the file is not UTF-8 text (line {line} is not): save it as \"CSV UTF-8 (comma delimited)\" in your spreadsheet program and import that"
            ),
        )
    })
}

/// Uploads a prices-and-stock CSV file to check and apply (all or nothing).
#[utoipa::path(
    post,
    path = "/api/seller/imports",
    tag = "seller",
    security(("seller_session" = [], "csrf_token" = [])),
    params(
        ("file_name" = Option<String>, Query, description = "The file's name, for your list of imports"),
        ("check_only" = Option<bool>, Query, description = "true: check every row and report, apply nothing"),
    ),
    request_body(content = String, content_type = "text/csv", description = "The CSV file's bytes (UTF-8; the format of GET /api/seller/catalog.csv)"),
    responses(
        (status = 202, description = "Accepted: the import runs in the background; poll `Location` (GET /api/seller/imports/{id}) for progress and the report", body = ImportStatus),
        (status = 401, description = "Not signed in", body = crate::openapi::ErrorResponse),
        (status = 403, description = "`csrf`: no or a wrong `x-csrf-token`, or sent from another site", body = crate::openapi::ErrorResponse),
        (status = 409, description = "Another import of yours is still running", body = crate::openapi::ErrorResponse),
        (status = 413, description = "The file is larger than 16 MiB", body = crate::openapi::ErrorResponse),
        (status = 415, description = "Sent as JSON or a form instead of the file's bytes", body = crate::openapi::ErrorResponse),
        (status = 422, description = "The body is not a CSV file (empty, a workbook, not UTF-8), or a parameter is wrong", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn create_import(
    session: SellerSession,
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let now = server_now()?;
    let params = Params::parse(query.as_deref(), &["file_name", "check_only"])?;
    let file_name: String = params
        .get("file_name")
        .unwrap_or("import.csv")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let check_only = match params.get("check_only") {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::bad(
                "check_only",
                format!("check_only is true or false (got \"{other}\")"),
            ));
        }
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.contains("json") || content_type.starts_with("multipart/") {
        return Err(ApiError::UnsupportedMediaType(
            "send the CSV file's bytes as the body, with Content-Type: text/csv".into(),
        ));
    }
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(format!(
                "the file is larger than {} MiB: split it into smaller files",
                MAX_FILE_BYTES / (1024 * 1024)
            ))
        } else {
            ApiError::BadRequest {
                message: format!("the file could not be read: {}", e.body_text()),
                field: None,
            }
        }
    })?;
    let text = file_text(&bytes)?;

    // One import at a time per seller.
    let running = sqlx::query(&format!(
        "{SELECT} WHERE seller_id = $1 AND state IN ('checking', 'applying') ORDER BY id DESC"
    ))
    .bind(&session.seller_id)
    .fetch_all(&state.db)
    .await
    .map_err(db_err("reading imports"))?;
    for row in &running {
        let s = status_of(row, now)?;
        if is_running(&s.state) {
            return Err(ApiError::Conflict {
                message: format!(
                    "your import of {} is still running ({} of {} rows checked): wait for it to finish, then import again",
                    s.file_name, s.rows_checked, s.rows_total
                ),
                field: None,
                current: None,
            });
        }
        sqlx::query(
            "UPDATE seller_imports SET state = 'failed', report = $1, finished_at = $2 \
             WHERE id = $3 AND state IN ('checking', 'applying')",
        )
        .bind(report_json(&[], None, &s.message))
        .bind(now.to_string())
        .bind(s.id)
        .execute(&state.db)
        .await
        .map_err(db_err("recording an import"))?;
    }

    let sheet = csv_sheet::read(text);
    let sha = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let id: i64 = sqlx::query(
        "INSERT INTO seller_imports (seller_id, file_name, file_sha256, file_bytes, check_only, \
         state, rows_total, rows_checked, created_at, heartbeat_at) \
         VALUES ($1, $2, $3, $4, $5, 'checking', $6, 0, $7, $7) RETURNING id",
    )
    .bind(&session.seller_id)
    .bind(&file_name)
    .bind(&sha)
    .bind(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
    .bind(check_only)
    .bind(i64::try_from(sheet.row_count).unwrap_or(i64::MAX))
    .bind(now.to_string())
    .fetch_one(&state.db)
    .await
    .map_err(db_err("recording an import"))?
    .try_get("id")
    .map_err(db_err("recording an import"))?;

    let job_state = state.clone();
    let seller = session.seller_id.clone();
    let job = state.imports.start();
    tokio::spawn(
        async move {
            let _job = job;
            if let Err(e) = run(&job_state, id, &seller, sheet, check_only).await {
                tracing::error!(import = id, error = ?e, "import failed");
                let message = match &e {
                    ApiError::Conflict { message, .. } => message.clone(),
                    _ => "the import failed on the server, so nothing of it was applied: try again"
                        .into(),
                };
                let at = server_now().unwrap_or(now);
                let _ = finish(
                    &job_state,
                    id,
                    "failed",
                    report_json(&[], None, &message),
                    at,
                )
                .await;
            }
        }
        // The import's log lines carry the request id of its upload.
        .instrument(tracing::Span::current()),
    );

    let status = load_status(&state, &session.seller_id, id, now).await?;
    let mut response = no_store_json(StatusCode::ACCEPTED, &status);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/seller/imports/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Checks the rows and, when every one is fine and the import is not check-only, applies
/// them in one transaction with the import's `applied` state.
async fn run(
    state: &AppState,
    id: i64,
    seller_id: &str,
    sheet: Sheet,
    check_only: bool,
) -> Result<(), ApiError> {
    let now = server_now()?;
    super::prepare(state, now).await?;
    let net = state.network.network();
    let listings = store::load_seller(&state.db, net, seller_id).await?;
    let total = i64::try_from(sheet.row_count).unwrap_or(i64::MAX);

    // Check, reporting progress about four times a second. Pricing is CPU work: it runs
    // on a blocking thread, and the progress goes to the database from here.
    let (tx, mut rx) = tokio::sync::watch::channel(0i64);
    let checking = {
        let net = state.network.clone();
        let pricing = state.pricing.clone();
        tokio::task::spawn_blocking(move || {
            check(
                net.network(),
                pricing.rules(),
                &listings,
                &sheet,
                now,
                |n| {
                    let _ = tx.send(n);
                },
            )
        })
    };
    tokio::pin!(checking);
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(250));
    let checked = loop {
        tokio::select! {
            done = &mut checking => {
                break done.map_err(|e| ApiError::Internal(format!("checking rows: {e}")))?;
            }
            _ = tick.tick() => {
                let n = *rx.borrow_and_update();
                let at = server_now()?;
                sqlx::query("UPDATE seller_imports SET rows_checked = $1, heartbeat_at = $2 WHERE id = $3")
                    .bind(n)
                    .bind(at.to_string())
                    .bind(id)
                    .execute(&state.db)
                    .await
                    .map_err(db_err("recording progress"))?;
            }
        }
    };
    sqlx::query("UPDATE seller_imports SET rows_checked = rows_total WHERE id = $1")
        .bind(id)
        .execute(&state.db)
        .await
        .map_err(db_err("recording progress"))?;

    let now = server_now()?;
    if !checked.problems.is_empty() {
        let n = checked.problems.len();
        let message = format!(
            "{n} problem{} in the file, so nothing was applied: fix {} and import the file again",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        );
        return finish(
            state,
            id,
            "rejected",
            report_json(&checked.problems, Some(&checked.summary), &message),
            now,
        )
        .await;
    }
    let s = &checked.summary;
    let changes = describe(s, total);
    if check_only {
        let message = format!("Every row is fine. Importing it would change {changes}.");
        return finish(
            state,
            id,
            "checked",
            report_json(&[], Some(s), &message),
            now,
        )
        .await;
    }

    sqlx::query("UPDATE seller_imports SET state = 'applying', heartbeat_at = $1 WHERE id = $2")
        .bind(now.to_string())
        .bind(id)
        .execute(&state.db)
        .await
        .map_err(db_err("recording an import"))?;
    let basis = margin_basis(net, &state.pricing);
    let db = db_err("applying an import");
    // In turn with the seller saves ([`crate::db::WriteTurns`]).
    let turn = state.writes.take().await;
    let mut tx = state.db.begin().await.map_err(&db)?;
    for plan in &checked.plans {
        if !save::move_version_on(&mut tx, &plan.current, now)
            .await
            .map_err(&db)?
        {
            tx.rollback().await.map_err(&db)?;
            return Err(ApiError::Conflict {
                message: format!(
                    "{} changed while the import ran (in another tab, or a shipment arrived), so nothing was applied: import the file again",
                    plan.current.sku
                ),
                field: None,
                current: None,
            });
        }
        save::write_plan(&mut tx, plan, &basis, seller_id, "import", now).await?;
    }
    let message = if s.skus_changed == 0 {
        format!("Nothing to change: all {total} rows already match your listings.")
    } else {
        format!("Imported: changed {changes}.")
    };
    // `applied` commits with the changes; `finished_at` follows once the storefront's
    // catalog shows them, and until then the import reads as still applying.
    sqlx::query(
        "UPDATE seller_imports SET state = 'applied', report = $1, heartbeat_at = $2 \
         WHERE id = $3",
    )
    .bind(report_json(&[], Some(s), &message))
    .bind(now.to_string())
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(&db)?;
    tx.commit().await.map_err(&db)?;
    drop(turn);
    if s.skus_changed > 0 {
        reload_catalog(state).await?;
    }
    sqlx::query("UPDATE seller_imports SET finished_at = $1 WHERE id = $2")
        .bind(server_now()?.to_string())
        .bind(id)
        .execute(&state.db)
        .await
        .map_err(&db)?;
    Ok(())
}

/// "3 prices and 2 stock counts on 4 SKUs (95 rows unchanged)".
fn describe(s: &ImportSummary, total: i64) -> String {
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if s.skus_changed == 0 {
        return format!("nothing (all {total} rows already match)");
    }
    format!(
        "{} and {} on {} ({} unchanged)",
        plural(s.prices_changed, "price", "prices"),
        plural(s.stock_changed, "stock count", "stock counts"),
        plural(s.skus_changed, "SKU", "SKUs"),
        plural(s.rows_unchanged, "row", "rows"),
    )
}

/// An import's progress, then its report.
#[utoipa::path(
    get,
    path = "/api/seller/imports/{id}",
    tag = "seller",
    security(("seller_session" = [])),
    params(("id" = i64, Path, description = "Import id")),
    responses(
        (status = 200, description = "The import: state, rows checked, problems by line and column, summary", body = ImportStatus),
        (status = 401, description = "Not signed in", body = crate::openapi::ErrorResponse),
        (status = 404, description = "You have no such import (another seller's answers the same)", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn get_import(
    session: SellerSession,
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let now = server_now()?;
    let id = listing_path(path)?;
    let status = load_status(&state, &session.seller_id, id, now).await?;
    Ok(no_store_json(StatusCode::OK, &status))
}

/// The seller's recent imports, newest first (without their problem lists).
#[utoipa::path(
    get,
    path = "/api/seller/imports",
    tag = "seller",
    security(("seller_session" = [])),
    responses(
        (status = 200, description = "Your 20 most recent imports", body = ImportList),
        (status = 401, description = "Not signed in", body = crate::openapi::ErrorResponse),
    )
)]
pub async fn list_imports(
    session: SellerSession,
    State(state): State<AppState>,
) -> Result<Response, ApiError> {
    let now = server_now()?;
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE seller_id = $1 ORDER BY id DESC LIMIT $2"
    ))
    .bind(&session.seller_id)
    .bind(RECENT_IMPORTS)
    .fetch_all(&state.db)
    .await
    .map_err(db_err("reading imports"))?;
    let mut imports = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut s = status_of(row, now)?;
        s.problems.clear();
        imports.push(s);
    }
    Ok(no_store_json(StatusCode::OK, &ImportList { imports }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_reads_as_a_sentence() {
        let s = ImportSummary {
            skus_changed: 1,
            prices_changed: 3,
            stock_changed: 1,
            rows_unchanged: 95,
        };
        assert_eq!(
            describe(&s, 99),
            "3 prices and 1 stock count on 1 SKU (95 rows unchanged)"
        );
        assert_eq!(
            describe(&ImportSummary::default(), 12),
            "nothing (all 12 rows already match)"
        );
    }

    #[test]
    fn workbooks_and_other_encodings_are_named() {
        assert!(format!("{:?}", file_text(b"PK\x03\x04rest").unwrap_err()).contains("workbook"));
        assert!(format!("{:?}", file_text(&[0xFF, 0xFE, b's', 0]).unwrap_err()).contains("UTF-16"));
        let gbk = b"sku,title\nA,\xc4\xe3\xba\xc3\n";
        let e = format!("{:?}", file_text(gbk).unwrap_err());
        assert!(e.contains("line 2"), "{e}");
        assert!(file_text(b"").is_err());
        assert_eq!(file_text(b"sku\n").unwrap(), "sku\n");
    }
}
