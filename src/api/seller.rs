//! The seller panel's client: `/api/seller/...`. The session is the `crossdock_session`
//! cookie (HttpOnly: this code never sees it); every write carries the session's CSRF
//! token in `x-csrf-token`, which this client keeps in memory only (never in storage),
//! from signing in or from `GET /api/seller/session`. A 401 from any call but signing in
//! means the session has ended: the client forgets the token and tells the page (see
//! [`on_signed_out`]), which shows the sign-in form.
//!
//! Answers are read with `crossdock_core::json` (no serde in the wasm), leniently, as in
//! `api::catalog`. Shapes: `crates/server/src/seller/`.

use std::cell::RefCell;

use crossdock_core::json::{self, FromJson, JsonError, Path, Value};
use crossdock_core::json_struct;
use crossdock_core::pricing::PricingRequest;
use crossdock_core::{Instant, Mode, Money};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::ApiError;

pub mod import;

/// The header every write carries the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

thread_local! {
    /// The session's CSRF token, while signed in.
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
    /// Called when a call finds the session ended.
    static SIGNED_OUT: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Registers what to do when a call answers 401 (the page shows the sign-in form).
pub fn on_signed_out(f: impl Fn() + 'static) {
    SIGNED_OUT.with(|s| *s.borrow_mut() = Some(Box::new(f)));
}

fn remember_csrf(token: &str) {
    CSRF.with(|c| *c.borrow_mut() = token.to_string());
}

fn forget_csrf() {
    CSRF.with(|c| c.borrow_mut().clear());
}

fn csrf() -> String {
    CSRF.with(|c| c.borrow().clone())
}

/// The HTTP methods the client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// A server's answer: status, body and the `Retry-After` header.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Answer {
    status: u16,
    text: String,
    retry_after: Option<u64>,
}

impl Answer {
    fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// What a request carries.
enum Payload<'a> {
    /// JSON text.
    Json(&'a str),
    /// A file picked by the seller (a `File` or `Blob`), sent as its bytes with this
    /// content type.
    File(&'a JsValue, &'a str),
}

/// Sends one request: JSON `body` if any, the CSRF token on writes.
async fn send(method: Method, url: &str, body: Option<&str>) -> Result<Answer, ApiError> {
    send_payload(method, url, body.map(Payload::Json)).await
}

/// Sends one request with its payload, the CSRF token on writes.
async fn send_payload(
    method: Method,
    url: &str,
    body: Option<Payload<'_>>,
) -> Result<Answer, ApiError> {
    let window =
        web_sys::window().ok_or_else(|| ApiError::Unreachable("no browser window".into()))?;
    let init = web_sys::RequestInit::new();
    init.set_method(method.name());
    let headers = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        js_sys::Reflect::set(&headers, &JsValue::from_str(k), &JsValue::from_str(v))
            .map(|_| ())
            .map_err(|e| ApiError::Unreachable(super::http::js_message(&e)))
    };
    set("accept", "application/json")?;
    match body {
        Some(Payload::Json(b)) => {
            set("content-type", "application/json")?;
            init.set_body(&JsValue::from_str(b));
        }
        Some(Payload::File(file, content_type)) => {
            set("content-type", content_type)?;
            init.set_body(file);
        }
        None => {}
    }
    if method != Method::Get {
        let token = csrf();
        if !token.is_empty() {
            set(CSRF_HEADER, &token)?;
        }
    }
    init.set_headers(&headers);
    let fetched = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await;
    let response: web_sys::Response = fetched
        .map_err(|e| ApiError::Unreachable(super::http::js_message(&e)))?
        .dyn_into()
        .map_err(|e| ApiError::Body(super::http::js_message(&e)))?;
    let retry_after = response
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u64>().ok());
    let text = JsFuture::from(
        response
            .text()
            .map_err(|e| ApiError::Body(super::http::js_message(&e)))?,
    )
    .await
    .map_err(|e| ApiError::Unreachable(super::http::js_message(&e)))?
    .as_string()
    .unwrap_or_default();
    Ok(Answer {
        status: response.status(),
        text,
        retry_after,
    })
}

/// Sends a request of the signed-in seller: a 401 ends the session in the panel.
async fn call(method: Method, url: &str, body: Option<&str>) -> Result<Answer, ApiError> {
    call_payload(method, url, body.map(Payload::Json)).await
}

/// [`call`] with any payload.
async fn call_payload(
    method: Method,
    url: &str,
    body: Option<Payload<'_>>,
) -> Result<Answer, ApiError> {
    let answer = send_payload(method, url, body).await?;
    if answer.status == 401 {
        forget_csrf();
        SIGNED_OUT.with(|s| {
            if let Some(f) = s.borrow().as_ref() {
                f();
            }
        });
    }
    Ok(answer)
}

/// The body of a 2xx answer, else its error.
fn body(answer: Answer) -> Result<String, ApiError> {
    if answer.ok() {
        Ok(answer.text)
    } else {
        Err(error_of(&answer))
    }
}

/// The server's one error shape: `{"error": {"code", "message", "field"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorInner {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

json_struct!(lenient ErrorInner { #[default] code, #[default] message, #[default] field });

#[derive(Debug, Clone, PartialEq, Eq)]
struct ErrorBody {
    error: ErrorInner,
}

json_struct!(lenient ErrorBody { error });

fn error_of(answer: &Answer) -> ApiError {
    match json::from_str::<ErrorBody>(&answer.text) {
        Ok(b) => ApiError::Server {
            status: answer.status,
            code: b.error.code,
            message: b.error.message,
        },
        Err(_) => ApiError::Status(answer.status),
    }
}

fn field_of(answer: &Answer) -> Option<String> {
    json::from_str::<ErrorBody>(&answer.text)
        .ok()
        .and_then(|b| b.error.field)
}

/// Reads an answer of the server.
fn decode<T: FromJson>(text: &str) -> Result<T, ApiError> {
    json::from_str(text).map_err(|e| ApiError::Invalid(e.to_string()))
}

/// Whether an error means the seller is not (or no longer) signed in.
pub fn is_signed_out(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::Status(401) | ApiError::Server { status: 401, .. }
    )
}

// ── Session ────────────────────────────────────────────────────────────────────────────

/// The signed-in seller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSeller {
    /// Seller id ("voltaic").
    pub id: String,
    /// The shop's name.
    pub name: String,
}

json_struct!(lenient SessionSeller { id, name });

/// `GET`/`POST /api/seller/session`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub seller: SessionSeller,
    pub csrf_token: String,
}

json_struct!(lenient SessionInfo { seller, csrf_token });

/// Why signing in failed, in the seller's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInError {
    /// The login or the password is wrong (the server does not say which).
    Wrong,
    /// Too many failed attempts: wait this many seconds.
    Throttled { retry_after_secs: u64 },
    /// A field is empty or too long (`field` is `login` or `password`).
    Invalid { field: String, message: String },
    /// The account is disabled, or the request was refused; the server's words.
    Refused(String),
    /// Anything else: unreachable, a server error.
    Other(ApiError),
}

impl std::fmt::Display for SignInError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignInError::Wrong => f.write_str(
                "The login or the password is wrong. Check both: the login is the e-mail address of your seller account.",
            ),
            SignInError::Throttled { retry_after_secs } => write!(
                f,
                "Too many failed sign-ins. For your account's safety, try again in {}.",
                crate::model::seller::wait_text(*retry_after_secs)
            ),
            SignInError::Invalid { message, .. } => {
                f.write_str(&crate::model::format::capitalise(message))?;
                f.write_str(".")
            }
            SignInError::Refused(message) => {
                f.write_str(&crate::model::format::capitalise(message))?;
                f.write_str(".")
            }
            SignInError::Other(ApiError::Unreachable(_)) => f.write_str(
                "We could not reach Crossdock: check your connection, then try again.",
            ),
            SignInError::Other(e) => e.fmt(f),
        }
    }
}

/// The body of `POST /api/seller/session`.
pub fn sign_in_body(login: &str, password: &str) -> String {
    let mut out = String::from("{\"login\":");
    json::write_str(&mut out, login);
    out.push_str(",\"password\":");
    json::write_str(&mut out, password);
    out.push('}');
    out
}

fn sign_in_error(answer: &Answer) -> SignInError {
    match answer.status {
        401 => SignInError::Wrong,
        429 => SignInError::Throttled {
            retry_after_secs: answer.retry_after.unwrap_or(60),
        },
        422 => match (field_of(answer), error_of(answer)) {
            (Some(field), ApiError::Server { message, .. }) => {
                SignInError::Invalid { field, message }
            }
            (_, e) => SignInError::Other(e),
        },
        403 => match error_of(answer) {
            ApiError::Server { message, .. } => SignInError::Refused(message),
            e => SignInError::Other(e),
        },
        _ => SignInError::Other(error_of(answer)),
    }
}

/// Signs in; the session cookie is set by the answer, the CSRF token kept in memory.
pub async fn sign_in(login: &str, password: &str) -> Result<SessionSeller, SignInError> {
    let answer = send(
        Method::Post,
        "/api/seller/session",
        Some(&sign_in_body(login, password)),
    )
    .await
    .map_err(SignInError::Other)?;
    if !answer.ok() {
        return Err(sign_in_error(&answer));
    }
    let info: SessionInfo = decode(&answer.text).map_err(SignInError::Other)?;
    remember_csrf(&info.csrf_token);
    Ok(info.seller)
}

/// Who is signed in: `Ok(None)` when nobody is (or the session ended).
pub async fn session() -> Result<Option<SessionSeller>, ApiError> {
    let answer = send(Method::Get, "/api/seller/session", None).await?;
    if answer.status == 401 {
        forget_csrf();
        return Ok(None);
    }
    let info: SessionInfo = decode(&body(answer)?)?;
    remember_csrf(&info.csrf_token);
    Ok(Some(info.seller))
}

/// Signs out: the server ends the session and clears the cookie. The token is
/// forgotten whatever the answer.
pub async fn sign_out() -> Result<(), ApiError> {
    let answer = send(Method::Delete, "/api/seller/session", None).await;
    forget_csrf();
    let answer = answer?;
    if answer.ok() || answer.status == 401 {
        Ok(())
    } else {
        Err(error_of(&answer))
    }
}

// ── SKUs ───────────────────────────────────────────────────────────────────────────────

/// The promotion running in a market, as the table shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunningPromotion {
    pub id: i64,
    pub kind: String,
    pub label: String,
    /// What one unit costs the shopper while it runs.
    pub shopper_price: Money,
    pub ends_at: Instant,
}

json_struct!(lenient RunningPromotion { id, kind, #[default] label, shopper_price, ends_at });

/// A SKU in one market, as the table shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketSummary {
    pub market: String,
    /// What the shopper pays for one unit without promotion.
    pub price: Money,
    /// Fully managed: what the platform pays the seller.
    pub supply_price: Option<Money>,
    /// The seller's unit margin at the regular price; `None` when it cannot be priced.
    pub margin: Option<Money>,
    pub margin_bp: Option<i64>,
    pub margin_error: Option<String>,
    pub promotion: Option<RunningPromotion>,
}

json_struct!(lenient MarketSummary {
    market,
    price,
    #[default] supply_price,
    #[default] margin,
    #[default] margin_bp,
    #[default] margin_error,
    #[default] promotion,
});

/// One row of the SKU table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuSummary {
    pub id: i64,
    pub sku: String,
    pub title: String,
    pub category_name: String,
    pub mode: Mode,
    /// Sent back with a save.
    pub version: i64,
    pub updated_at: Instant,
    /// Units on hand in the warehouses the mode ships from.
    pub stock_total: i64,
    /// Units on their way there.
    pub inbound_total: i64,
    pub low_stock: bool,
    pub markets: Vec<MarketSummary>,
}

json_struct!(lenient SkuSummary {
    id,
    sku,
    title,
    #[default] category_name,
    mode,
    version,
    updated_at,
    #[default] stock_total,
    #[default] inbound_total,
    #[default] low_stock,
    #[default] markets,
});

impl SkuSummary {
    /// The SKU in `market`.
    pub fn in_market(&self, market: &str) -> Option<&MarketSummary> {
        self.markets.iter().find(|m| m.market == market)
    }
}

/// A page of the SKU table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuPage {
    pub items: Vec<SkuSummary>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

json_struct!(lenient SkuPage { items, total, page, per_page });

/// What the pricing engine knows about the SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuFactsOut {
    pub weight_g: u32,
    pub dims_mm: [u32; 3],
    pub category: String,
    /// Cost of goods per unit, in the seller's currency.
    pub cost_of_goods: Money,
    /// The consolidation warehouse in China the seller delivers to.
    pub origin: String,
}

json_struct!(lenient SkuFactsOut { weight_g, dims_mm, category, cost_of_goods, origin });

/// The SKU's price in one market.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketPrice {
    pub market: String,
    /// `retail_price` or `supply_price`: which the seller sets.
    pub seller_sets: String,
    /// What the shopper pays for one unit without promotion.
    pub price: Money,
    pub supply_price: Option<Money>,
    /// The highest price the market accepts.
    pub limit: Money,
    pub margin: Option<Money>,
    pub margin_bp: Option<i64>,
    pub margin_error: Option<String>,
}

json_struct!(lenient MarketPrice {
    market,
    #[default] seller_sets,
    price,
    #[default] supply_price,
    limit,
    #[default] margin,
    #[default] margin_bp,
    #[default] margin_error,
});

/// A sea shipment on its way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    pub id: i64,
    pub warehouse: String,
    pub quantity: i64,
    pub eta: Instant,
}

json_struct!(lenient Inbound { id, warehouse, quantity, eta });

/// Stock in one warehouse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarehouseStock {
    pub warehouse: String,
    pub name: String,
    /// cn_consolidation, seller_3pl or platform_local.
    pub kind: String,
    pub market: Option<String>,
    /// Whether the SKU's mode ships from it.
    pub usable: bool,
    pub on_hand: i64,
    /// Held for open orders.
    pub reserved: i64,
    pub available: i64,
    pub inbound: Vec<Inbound>,
}

json_struct!(lenient WarehouseStock {
    warehouse,
    #[default] name,
    #[default] kind,
    #[default] market,
    #[default] usable,
    on_hand,
    #[default] reserved,
    #[default] available,
    #[default] inbound,
});

/// A promotion of the SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerPromotion {
    pub id: i64,
    pub market: String,
    /// percent_off, voucher, platform_subsidy, free_shipping_over, or a demo kind with a
    /// fixed price (seasonal_sale, …).
    pub kind: String,
    pub label: String,
    pub percent_bp: Option<i64>,
    pub amount: Option<Money>,
    pub threshold: Option<Money>,
    /// What one unit costs the shopper while it runs.
    pub shopper_price: Money,
    /// seller or platform.
    pub funded_by: String,
    pub starts_at: Instant,
    pub ends_at: Instant,
    /// past, running or scheduled.
    pub status: String,
}

json_struct!(lenient SellerPromotion {
    id,
    market,
    kind,
    #[default] label,
    #[default] percent_bp,
    #[default] amount,
    #[default] threshold,
    shopper_price,
    #[default] funded_by,
    starts_at,
    ends_at,
    #[default] status,
});

/// Warehouse ids that may hold stock under each mode.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WarehouseChoices {
    pub fully_managed: Vec<String>,
    pub semi_managed: Vec<String>,
    pub platform_local: Vec<String>,
}

json_struct!(lenient WarehouseChoices {
    #[default] fully_managed,
    #[default] semi_managed,
    #[default] platform_local,
});

impl WarehouseChoices {
    /// The warehouses of `mode`.
    pub fn of(&self, mode: Mode) -> &[String] {
        match mode {
            Mode::FullyManaged => &self.fully_managed,
            Mode::SemiManaged => &self.semi_managed,
            Mode::PlatformLocal => &self.platform_local,
        }
    }
}

/// Why the server could not price a market.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricingFailure {
    pub code: String,
    pub message: String,
}

json_struct!(lenient PricingFailure { #[default] code, #[default] message });

/// What the server asked crates/core for one market (the what-if starts from it), and
/// whether it could be priced. The server's own figures are not read: the browser works
/// them out again with the same engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketPricing {
    pub market: String,
    pub request: PricingRequest,
    pub error: Option<PricingFailure>,
}

json_struct!(lenient MarketPricing { market, request, #[default] error });

/// Everything about one SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuDetail {
    pub id: i64,
    pub sku: String,
    pub title: String,
    pub brand: String,
    pub category_name: String,
    pub mode: Mode,
    /// Sent back with a save; every change moves it on.
    pub version: i64,
    pub updated_at: Instant,
    pub facts: SkuFactsOut,
    pub prices: Vec<MarketPrice>,
    pub stock: Vec<WarehouseStock>,
    pub stock_total: i64,
    pub inbound_total: i64,
    pub low_stock: bool,
    pub promotions: Vec<SellerPromotion>,
    pub warehouse_choices: WarehouseChoices,
    pub pricing: Vec<MarketPricing>,
    /// The instant the server's figures are as of.
    pub now: Instant,
}

json_struct!(lenient SkuDetail {
    id,
    sku,
    title,
    #[default] brand,
    #[default] category_name,
    mode,
    version,
    updated_at,
    facts,
    #[default] prices,
    #[default] stock,
    #[default] stock_total,
    #[default] inbound_total,
    #[default] low_stock,
    #[default] promotions,
    #[default] warehouse_choices,
    #[default] pricing,
    now,
});

impl SkuDetail {
    pub fn price(&self, market: &str) -> Option<&MarketPrice> {
        self.prices.iter().find(|p| p.market == market)
    }

    pub fn pricing(&self, market: &str) -> Option<&MarketPricing> {
        self.pricing.iter().find(|p| p.market == market)
    }
}

/// A page of the SKU table; `query` from [`crate::model::seller::query::PanelQuery::api_query`].
pub async fn fetch_skus(query: &str) -> Result<SkuPage, ApiError> {
    let answer = call(Method::Get, &format!("/api/seller/listings?{query}"), None).await?;
    decode(&body(answer)?)
}

/// One SKU.
pub async fn fetch_sku(id: i64) -> Result<SkuDetail, ApiError> {
    let answer = call(Method::Get, &format!("/api/seller/listings/{id}"), None).await?;
    decode(&body(answer)?)
}

/// The pricing rules file, as text (read it with `PricingRules::read` and the network).
pub async fn fetch_pricing_rules() -> Result<String, ApiError> {
    let answer = call(Method::Get, "/api/seller/pricing-rules", None).await?;
    body(answer)
}

// ── Saving ─────────────────────────────────────────────────────────────────────────────

/// A price to save in one market: the shown price, or the supply price under fully
/// managed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriceAsk {
    Price(Money),
    SupplyPrice(Money),
}

/// What a save changes, from the version it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuUpdate {
    pub version: i64,
    pub mode: Option<Mode>,
    /// (market, price).
    pub prices: Vec<(String, PriceAsk)>,
    /// (warehouse, units on hand).
    pub stock: Vec<(String, u32)>,
}

fn write_money(out: &mut String, m: &Money) {
    out.push_str(&format!("{{\"minor\":{},\"currency\":", m.minor()));
    json::write_str(out, m.currency().code.as_str());
    out.push_str(&format!(",\"exponent\":{}}}", m.currency().exponent));
}

impl SkuUpdate {
    /// The body of `PUT /api/seller/listings/{id}`.
    pub fn to_json(&self) -> String {
        let mut out = format!("{{\"version\":{}", self.version);
        if let Some(m) = self.mode {
            out.push_str(",\"mode\":");
            json::write_str(&mut out, crate::model::query::mode_id(m));
        }
        if !self.prices.is_empty() {
            out.push_str(",\"prices\":[");
            for (i, (market, ask)) in self.prices.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str("{\"market\":");
                json::write_str(&mut out, market);
                let (key, m) = match ask {
                    PriceAsk::Price(m) => ("price", m),
                    PriceAsk::SupplyPrice(m) => ("supply_price", m),
                };
                out.push_str(&format!(",\"{key}\":"));
                write_money(&mut out, m);
                out.push('}');
            }
            out.push(']');
        }
        if !self.stock.is_empty() {
            out.push_str(",\"stock\":[");
            for (i, (warehouse, on_hand)) in self.stock.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str("{\"warehouse\":");
                json::write_str(&mut out, warehouse);
                out.push_str(&format!(",\"on_hand\":{on_hand}}}"));
            }
            out.push(']');
        }
        out.push('}');
        out
    }
}

/// Why a save did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveError {
    /// The SKU changed since it was read: nothing was saved; the SKU as it is now.
    Conflict(Box<SkuDetail>),
    /// A value cannot be used; `field` is the server's path (`prices[0].price`,
    /// `stock[1].on_hand`, `mode`).
    Invalid {
        field: String,
        message: String,
    },
    Other(ApiError),
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SaveError::Conflict(_) => f.write_str(
                "Someone changed this SKU after you opened it, so nothing was saved. Compare the values and choose.",
            ),
            SaveError::Invalid { message, .. } => {
                f.write_str(&crate::model::format::capitalise(message))?;
                f.write_str(".")
            }
            SaveError::Other(e) => e.fmt(f),
        }
    }
}

/// The 409 body: the error and the SKU as it is now.
struct ConflictBody {
    current: SkuDetail,
}

impl FromJson for ConflictBody {
    fn from_json(v: &Value, path: &Path<'_>) -> Result<ConflictBody, JsonError> {
        let o = v.as_object(path, &["error", "current"], false)?;
        Ok(ConflictBody {
            current: o.req(path, "current")?,
        })
    }
}

fn save_error(answer: &Answer) -> SaveError {
    match answer.status {
        // A 409 without the SKU is not a stale version but a state the server names
        // (a shipment that has arrived meanwhile): its words.
        409 => match json::from_str::<ConflictBody>(&answer.text) {
            Ok(b) => SaveError::Conflict(Box::new(b.current)),
            Err(_) => SaveError::Other(error_of(answer)),
        },
        422 => match (field_of(answer), error_of(answer)) {
            (Some(field), ApiError::Server { message, .. }) => {
                SaveError::Invalid { field, message }
            }
            (_, e) => SaveError::Other(e),
        },
        _ => SaveError::Other(error_of(answer)),
    }
}

/// Saves a SKU; the answer is the SKU as it is now (new version, margins recomputed by
/// the server with the same engine).
pub async fn save_sku(id: i64, update: &SkuUpdate) -> Result<SkuDetail, SaveError> {
    let answer = call(
        Method::Put,
        &format!("/api/seller/listings/{id}"),
        Some(&update.to_json()),
    )
    .await
    .map_err(SaveError::Other)?;
    if !answer.ok() {
        return Err(save_error(&answer));
    }
    decode(&answer.text).map_err(SaveError::Other)
}

// ── Audit log ──────────────────────────────────────────────────────────────────────────

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Instant,
    /// The seller's id, or "system" (a shipment arriving).
    pub actor: String,
    /// price, stock, mode, promotion or inbound.
    pub kind: String,
    /// update, create, delete or received.
    pub action: String,
    pub market: Option<String>,
    pub warehouse: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

json_struct!(lenient AuditEntry {
    id,
    at,
    #[default] actor,
    kind,
    #[default] action,
    #[default] market,
    #[default] warehouse,
    #[default] before,
    #[default] after,
});

/// A page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub total: u64,
}

json_struct!(lenient AuditPage { items, total });

/// The audit log of one SKU, newest first.
pub async fn fetch_audit(listing: i64, page: u32) -> Result<AuditPage, ApiError> {
    let answer = call(
        Method::Get,
        &format!("/api/seller/audit?listing={listing}&page={page}&per_page=20"),
        None,
    )
    .await?;
    decode(&body(answer)?)
}

// ── Promotions ─────────────────────────────────────────────────────────────────────────

/// A promotion to schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPromotion {
    pub market: String,
    pub kind: crossdock_core::pricing::PromotionKind,
    /// `None`: now.
    pub starts_at: Option<Instant>,
    pub ends_at: Instant,
    /// The listing's version the seller saw.
    pub version: i64,
}

impl NewPromotion {
    /// The body of `POST /api/seller/listings/{id}/promotions`.
    pub fn to_json(&self) -> String {
        use crossdock_core::pricing::PromotionKind as K;
        let mut out = String::from("{\"market\":");
        json::write_str(&mut out, &self.market);
        out.push_str(",\"kind\":");
        let (kind, field) = match &self.kind {
            K::PercentOff { percent_bp } => ("percent_off", format!("\"percent_bp\":{percent_bp}")),
            K::Voucher { amount } => ("voucher", money_field("amount", amount)),
            K::PlatformSubsidy { amount } => ("platform_subsidy", money_field("amount", amount)),
            K::FreeShippingOver { threshold } => {
                ("free_shipping_over", money_field("threshold", threshold))
            }
        };
        json::write_str(&mut out, kind);
        out.push(',');
        out.push_str(&field);
        if let Some(s) = self.starts_at {
            out.push_str(",\"starts_at\":");
            json::write_str(&mut out, &s.to_string());
        }
        out.push_str(",\"ends_at\":");
        json::write_str(&mut out, &self.ends_at.to_string());
        out.push_str(&format!(",\"version\":{}}}", self.version));
        out
    }
}

fn money_field(key: &str, m: &Money) -> String {
    let mut out = format!("\"{key}\":");
    write_money(&mut out, m);
    out
}

/// A warning about a promotion (a negative margin).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionWarning {
    pub code: String,
    pub message: String,
}

json_struct!(lenient PromotionWarning { #[default] code, #[default] message });

/// The answer to scheduling or ending a promotion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionAnswer {
    pub warnings: Vec<PromotionWarning>,
    /// The SKU as it is now.
    pub listing: SkuDetail,
}

json_struct!(lenient PromotionAnswer { #[default] warnings, listing });

/// Schedules a promotion.
pub async fn create_promotion(id: i64, p: &NewPromotion) -> Result<PromotionAnswer, SaveError> {
    let answer = call(
        Method::Post,
        &format!("/api/seller/listings/{id}/promotions"),
        Some(&p.to_json()),
    )
    .await
    .map_err(SaveError::Other)?;
    if !answer.ok() {
        return Err(save_error(&answer));
    }
    decode(&answer.text).map_err(SaveError::Other)
}

/// Ends (or cancels, before it starts) a promotion.
pub async fn delete_promotion(id: i64, promotion: i64) -> Result<PromotionAnswer, ApiError> {
    let answer = call(
        Method::Delete,
        &format!("/api/seller/listings/{id}/promotions/{promotion}"),
        None,
    )
    .await?;
    decode(&body(answer)?)
}

// ── Inbound sea shipments ──────────────────────────────────────────────────────────────

/// A sea shipment to announce (`crate::model::seller::inbound::check` makes one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInbound {
    /// One of the seller's overseas warehouses, or a platform local warehouse in a
    /// market the SKU is sold in.
    pub warehouse: String,
    pub quantity: u32,
    /// When it becomes stock on hand.
    pub eta: Instant,
    /// The listing's version the seller saw (a stale one gets 409 with the SKU now).
    pub version: i64,
}

impl NewInbound {
    /// The body of `POST /api/seller/listings/{id}/inbound`.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"warehouse\":");
        json::write_str(&mut out, &self.warehouse);
        out.push_str(&format!(",\"quantity\":{},\"eta\":", self.quantity));
        json::write_str(&mut out, &self.eta.to_string());
        out.push_str(&format!(",\"version\":{}}}", self.version));
        out
    }
}

/// The answer to announcing or withdrawing a shipment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundAnswer {
    pub shipment: Inbound,
    /// The SKU as it is now (with its new version).
    pub listing: SkuDetail,
}

json_struct!(lenient InboundAnswer { shipment, listing });

/// Announces a sea shipment; it becomes stock on hand at its ETA. A 422 names the field
/// at fault (`warehouse`, `quantity`, `eta`); a stale version is a conflict.
pub async fn create_inbound(id: i64, s: &NewInbound) -> Result<InboundAnswer, SaveError> {
    let answer = call(
        Method::Post,
        &format!("/api/seller/listings/{id}/inbound"),
        Some(&s.to_json()),
    )
    .await
    .map_err(SaveError::Other)?;
    if !answer.ok() {
        return Err(save_error(&answer));
    }
    decode(&answer.text).map_err(SaveError::Other)
}

/// Withdraws a shipment that has not arrived. One that arrived meanwhile answers 409 in
/// words (`SaveError::Other`); the SKU changing under the write, 409 with the SKU now.
pub async fn delete_inbound(id: i64, shipment: i64) -> Result<InboundAnswer, SaveError> {
    let answer = call(
        Method::Delete,
        &format!("/api/seller/listings/{id}/inbound/{shipment}"),
        None,
    )
    .await
    .map_err(SaveError::Other)?;
    if !answer.ok() {
        return Err(save_error(&answer));
    }
    decode(&answer.text).map_err(SaveError::Other)
}

#[cfg(test)]
mod tests {
    use crossdock_core::pricing::{PromotionKind, Sku};
    use crossdock_core::{Currency, CurrencyCode};
    use serde_json::json;

    use super::*;

    fn usd(minor: i64) -> Money {
        Money::from_minor(
            minor,
            Currency {
                code: CurrencyCode::new("USD").unwrap(),
                exponent: 2,
            },
        )
    }

    fn money_json(minor: i64, code: &str) -> serde_json::Value {
        json!({"minor": minor, "currency": code, "exponent": 2})
    }

    fn answer(status: u16, body: serde_json::Value, retry_after: Option<u64>) -> Answer {
        Answer {
            status,
            text: body.to_string(),
            retry_after,
        }
    }

    fn error_json(code: &str, message: &str, field: Option<&str>) -> serde_json::Value {
        json!({"error": {"code": code, "message": message, "field": field}})
    }

    /// A detail as `crates/server/src/seller/listings.rs` writes it, every field included.
    fn detail_json(version: i64, price: i64) -> serde_json::Value {
        let req = PricingRequest {
            sku: Sku {
                weight_g: 900,
                dims_mm: [300, 200, 150],
                category: "lighting".into(),
                origin: "cn-gz".into(),
                cost_of_goods: Money::from_minor(
                    4500,
                    Currency {
                        code: CurrencyCode::new("CNY").unwrap(),
                        exponent: 2,
                    },
                ),
            },
            market: "US".into(),
            price: Some(usd(price)),
            supply_price: Some(usd(price / 2)),
            inventory_age_days: 30,
            promotion: None,
            target_margin_bp: 2000,
            now: Instant::parse("2026-11-25T10:00:00Z").unwrap(),
            destination: None,
            warehouses: vec!["us-3pl-ca".into()],
        };
        json!({
            "id": 42, "sku": "LUMO-DL-1", "title": "Desk lamp", "brand": "Lumo",
            "category": "lighting", "category_name": "Lighting", "mode": "semi_managed",
            "version": version, "updated_at": "2026-11-25T09:00:00Z",
            "facts": {"weight_g": 900, "dims_mm": [300, 200, 150], "category": "lighting",
                      "cost_of_goods": money_json(4500, "CNY"), "origin": "cn-gz"},
            "prices": [{"market": "US", "currency": "USD", "seller_sets": "retail_price",
                        "price": money_json(price, "USD"), "supply_price": null,
                        "limit": money_json(1_000_000, "USD"), "margin": money_json(512, "USD"),
                        "margin_bp": 2150, "margin_as_of": "2026-11-25T09:00:00Z", "margin_error": null}],
            "stock": [{"warehouse": "us-3pl-ca", "name": "LA 3PL", "kind": "seller_3pl", "market": "US",
                       "usable": true, "on_hand": 40, "reserved": 2, "available": 38,
                       "inbound": [{"id": 7, "warehouse": "us-3pl-ca", "quantity": 500,
                                    "eta": "2026-12-20T00:00:00Z", "created_at": "2026-11-20T00:00:00Z"}]}],
            "stock_total": 40, "inbound_total": 500, "low_stock": false,
            "promotions": [{"id": 3, "market": "US", "kind": "percent_off", "label": "20 % off",
                            "percent_bp": 2000, "amount": null, "threshold": null,
                            "shopper_price": money_json(price * 8 / 10, "USD"), "funded_by": "seller",
                            "starts_at": "2026-11-20T00:00:00Z", "ends_at": "2026-12-01T00:00:00Z",
                            "status": "running"}],
            "warehouse_choices": {"fully_managed": ["cn-gz", "cn-yw"], "semi_managed": ["us-3pl-ca"],
                                  "platform_local": ["us-west", "us-central", "us-east"]},
            "pricing": [{"market": "US", "request": serde_json::to_value(&req).unwrap(),
                         "result": {"market": "US", "columns": []}, "error": null}],
            "now": "2026-11-25T10:00:00Z"
        })
    }

    #[test]
    fn a_sku_reads_as_the_server_writes_it() {
        let d: SkuDetail = decode(&detail_json(5, 2999).to_string()).unwrap();
        assert_eq!((d.id, d.version, d.mode), (42, 5, Mode::SemiManaged));
        assert_eq!(d.price("US").map(|p| p.price), Some(usd(2999)));
        assert_eq!(d.stock[0].inbound[0].quantity, 500);
        assert_eq!(d.promotions[0].percent_bp, Some(2000));
        assert_eq!(
            d.warehouse_choices.of(Mode::SemiManaged),
            ["us-3pl-ca".to_string()]
        );
        let req = &d.pricing("US").unwrap().request;
        assert_eq!(req.supply_price, Some(usd(1499)));
        assert_eq!(req.warehouses, ["us-3pl-ca".to_string()]);
    }

    #[test]
    fn a_page_of_skus_reads_as_the_server_writes_it() {
        let text = json!({
            "items": [{
                "id": 42, "sku": "LUMO-DL-1", "title": "Desk lamp", "category": "lighting",
                "category_name": "Lighting", "mode": "fully_managed", "version": 3,
                "updated_at": "2026-11-25T09:00:00Z", "stock_total": 4, "inbound_total": 0,
                "low_stock": true,
                "markets": [{"market": "US", "currency": "USD", "price": money_json(2999, "USD"),
                             "supply_price": money_json(1200, "USD"), "margin": money_json(-20, "USD"),
                             "margin_bp": -166, "margin_error": null,
                             "promotion": {"id": 1, "kind": "seasonal_sale", "label": "Winter sale",
                                           "shopper_price": money_json(2499, "USD"),
                                           "ends_at": "2026-12-01T00:00:00Z"}}]
            }],
            "total": 1, "page": 1, "per_page": 25
        });
        let p: SkuPage = decode(&text.to_string()).unwrap();
        let s = &p.items[0];
        assert!(s.low_stock);
        let us = s.in_market("US").unwrap();
        assert_eq!(us.margin.map(|m| m.minor()), Some(-20));
        assert_eq!(
            us.promotion.as_ref().map(|p| p.label.as_str()),
            Some("Winter sale")
        );
    }

    #[test]
    fn a_stale_save_carries_the_sku_as_it_is_now() {
        let body = json!({
            "error": {"code": "conflict", "message": "this listing was changed", "field": "version"},
            "current": detail_json(6, 3199)
        });
        match save_error(&answer(409, body, None)) {
            SaveError::Conflict(d) => {
                assert_eq!(d.version, 6);
                assert_eq!(d.price("US").map(|p| p.price), Some(usd(3199)));
            }
            other => panic!("{other:?}"),
        }
        let e = save_error(&answer(
            422,
            error_json(
                "unprocessable_entity",
                "stock cannot be below zero (got -1)",
                Some("stock[0].on_hand"),
            ),
            None,
        ));
        assert_eq!(
            e,
            SaveError::Invalid {
                field: "stock[0].on_hand".into(),
                message: "stock cannot be below zero (got -1)".into()
            }
        );
        assert_eq!(e.to_string(), "Stock cannot be below zero (got -1).");
        assert!(matches!(
            save_error(&answer(500, error_json("internal", "boom", None), None)),
            SaveError::Other(ApiError::Server { status: 500, .. })
        ));
    }

    #[test]
    fn sign_in_failures_read_in_plain_words() {
        let wrong = sign_in_error(&answer(401, error_json("unauthenticated", "x", None), None));
        assert_eq!(wrong, SignInError::Wrong);
        assert!(
            wrong
                .to_string()
                .starts_with("The login or the password is wrong.")
        );
        let slow = sign_in_error(&answer(
            429,
            error_json("too_many_requests", "x", None),
            Some(600),
        ));
        assert_eq!(
            slow,
            SignInError::Throttled {
                retry_after_secs: 600
            }
        );
        assert_eq!(
            slow.to_string(),
            "Too many failed sign-ins. For your account's safety, try again in 10 minutes."
        );
        let empty = sign_in_error(&answer(
            422,
            error_json(
                "unprocessable_entity",
                "enter your password",
                Some("password"),
            ),
            None,
        ));
        assert_eq!(empty.to_string(), "Enter your password.");
        assert!(matches!(
            sign_in_error(&answer(
                403,
                error_json("forbidden", "this seller account is disabled", None),
                None
            )),
            SignInError::Refused(_)
        ));
        let down = SignInError::Other(ApiError::Unreachable("Failed to fetch".into()));
        assert!(down.to_string().contains("could not reach Crossdock"));
        let v: serde_json::Value = serde_json::from_str(&sign_in_body("a\"b@x", "p\\w\n")).unwrap();
        assert_eq!(v, json!({"login": "a\"b@x", "password": "p\\w\n"}));
    }

    #[test]
    fn a_save_sends_only_what_changed_as_the_server_reads_it() {
        let u = SkuUpdate {
            version: 7,
            mode: Some(Mode::FullyManaged),
            prices: vec![
                ("US".into(), PriceAsk::SupplyPrice(usd(999))),
                ("GB".into(), PriceAsk::Price(usd(1299))),
            ],
            stock: vec![("cn-gz".into(), 120)],
        };
        let v: serde_json::Value = serde_json::from_str(&u.to_json()).unwrap();
        assert_eq!(
            v,
            json!({
                "version": 7,
                "mode": "fully_managed",
                "prices": [
                    {"market": "US", "supply_price": money_json(999, "USD")},
                    {"market": "GB", "price": money_json(1299, "USD")}
                ],
                "stock": [{"warehouse": "cn-gz", "on_hand": 120}]
            })
        );
        let bare = SkuUpdate {
            version: 1,
            mode: None,
            prices: vec![],
            stock: vec![],
        };
        assert_eq!(bare.to_json(), "{\"version\":1}");
    }

    #[test]
    fn a_promotion_is_asked_for_as_the_server_reads_it() {
        let at = |s: &str| Instant::parse(s).unwrap();
        let p = NewPromotion {
            market: "US".into(),
            kind: PromotionKind::PercentOff { percent_bp: 2500 },
            starts_at: None,
            ends_at: at("2026-12-08T00:00:00Z"),
            version: 4,
        };
        let v: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
        assert_eq!(
            v,
            json!({"market": "US", "kind": "percent_off", "percent_bp": 2500,
                   "ends_at": "2026-12-08T00:00:00Z", "version": 4})
        );
        let p = NewPromotion {
            kind: PromotionKind::FreeShippingOver {
                threshold: usd(4900),
            },
            starts_at: Some(at("2026-12-01T00:00:00Z")),
            ..p
        };
        let v: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
        assert_eq!(v["kind"], "free_shipping_over");
        assert_eq!(v["threshold"], money_json(4900, "USD"));
        assert_eq!(v["starts_at"], "2026-12-01T00:00:00Z");
    }

    #[test]
    fn a_shipment_is_announced_as_the_server_reads_it() {
        let s = NewInbound {
            warehouse: "us-3pl-\"nj".into(),
            quantity: 500,
            eta: Instant::parse("2026-12-15T05:00:00Z").unwrap(),
            version: 9,
        };
        let v: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
        assert_eq!(
            v,
            json!({"warehouse": "us-3pl-\"nj", "quantity": 500,
                   "eta": "2026-12-15T05:00:00Z", "version": 9})
        );
    }

    #[test]
    fn a_shipment_answer_carries_the_sku_as_it_is_now() {
        let body = json!({
            "shipment": {"id": 12, "warehouse": "us-3pl-ca", "quantity": 500,
                         "eta": "2026-12-20T00:00:00Z", "created_at": "2026-11-25T10:00:00Z"},
            "listing": detail_json(6, 2999)
        });
        let a: InboundAnswer = decode(&body.to_string()).unwrap();
        assert_eq!((a.shipment.id, a.shipment.quantity), (12, 500));
        assert_eq!(a.listing.version, 6);
    }

    #[test]
    fn a_shipment_that_arrived_meanwhile_reads_in_the_servers_words() {
        let e = save_error(&answer(
            409,
            error_json(
                "conflict",
                "shipment 12 arrived meanwhile and is part of the stock on hand: change the stock instead",
                None,
            ),
            None,
        ));
        match &e {
            SaveError::Other(ApiError::Server {
                status: 409,
                message,
                ..
            }) => {
                assert!(message.starts_with("shipment 12 arrived meanwhile"));
            }
            other => panic!("{other:?}"),
        }
        let bad = save_error(&answer(
            422,
            error_json(
                "unprocessable_entity",
                "the ETA has passed: a shipment that has arrived is stock on hand — set the stock instead",
                Some("eta"),
            ),
            None,
        ));
        assert!(matches!(&bad, SaveError::Invalid { field, .. } if field == "eta"));
    }

    #[test]
    fn the_audit_log_reads_its_free_form_values() {
        let text = json!({
            "items": [{"id": 9, "at": "2026-11-25T09:00:00Z", "actor": "voltaic", "listing_id": 42,
                       "sku": "LUMO-DL-1", "kind": "price", "action": "update", "market": "US",
                       "warehouse": null,
                       "before": {"price": money_json(2999, "USD"), "supply_price": null},
                       "after": {"price": money_json(3299, "USD"), "supply_price": null}},
                      {"id": 8, "at": "2026-11-25T08:00:00Z", "actor": "voltaic", "listing_id": 42,
                       "sku": "LUMO-DL-1", "kind": "promotion", "action": "create", "market": "US",
                       "warehouse": null, "before": null, "after": {"id": 3, "kind": "voucher"}}],
            "total": 2, "page": 1, "per_page": 20
        });
        let p: AuditPage = decode(&text.to_string()).unwrap();
        assert_eq!(p.total, 2);
        assert!(p.items[0].before.is_some());
        assert!(p.items[1].before.is_none());
    }
}
