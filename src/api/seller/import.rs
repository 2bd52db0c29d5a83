//! CSV export and import of prices and stock: `GET /api/seller/catalog.csv` gives the
//! seller's file; `POST /api/seller/imports` uploads an edited one (its bytes as the
//! body, never read into the wasm), which the server checks and applies all or nothing
//! in the background; `GET /api/seller/imports/{id}` gives its progress, then its report.
//! Shapes: `crates/server/src/seller/imports.rs`.

use wasm_bindgen::JsValue;

use super::{Method, Payload, body, call, call_payload, decode};
use crate::api::ApiError;
use crate::model::seller::import::{ImportList, ImportStatus, upload_url};

/// Where the seller's prices and stock download as a CSV file.
pub const EXPORT_URL: &str = "/api/seller/catalog.csv";

/// Uploads `file` (the `File` the seller picked) to be checked and, unless `check_only`,
/// applied. Answers the import as it starts; follow it with [`fetch_import`].
pub async fn start_import(
    file: &JsValue,
    file_name: &str,
    check_only: bool,
) -> Result<ImportStatus, ApiError> {
    let answer = call_payload(
        Method::Post,
        &upload_url(file_name, check_only),
        Some(Payload::File(file, "text/csv")),
    )
    .await?;
    decode(&body(answer)?)
}

/// An import's progress, then its report.
pub async fn fetch_import(id: i64) -> Result<ImportStatus, ApiError> {
    let answer = call(Method::Get, &format!("/api/seller/imports/{id}"), None).await?;
    decode(&body(answer)?)
}

/// The seller's recent imports, newest first.
pub async fn fetch_imports() -> Result<ImportList, ApiError> {
    let answer = call(Method::Get, "/api/seller/imports", None).await?;
    decode(&body(answer)?)
}
