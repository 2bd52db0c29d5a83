//! `fetch` for the typed client: GET and POST with JSON, the server's error shape read
//! into an [`ApiError`].

use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::ApiError;

/// The one error shape of the server: `{"error": {"code", "message", "field"}}`.
#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorInner,
}

#[derive(Deserialize)]
struct ErrorInner {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

/// GETs `url` and returns the body of a 2xx answer.
pub async fn get_text(url: &str) -> Result<String, ApiError> {
    let window =
        web_sys::window().ok_or_else(|| ApiError::Unreachable("no browser window".into()))?;
    answer(JsFuture::from(window.fetch_with_str(url)).await).await
}

/// POSTs `body` (JSON) to `url` and returns the body of a 2xx answer.
pub async fn post_json(url: &str, body: &str) -> Result<String, ApiError> {
    let window =
        web_sys::window().ok_or_else(|| ApiError::Unreachable("no browser window".into()))?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    let headers = js_sys::Object::new();
    js_sys::Reflect::set(&headers, &"content-type".into(), &"application/json".into())
        .map_err(|e| ApiError::Unreachable(js_message(&e)))?;
    init.set_headers(&headers);
    answer(JsFuture::from(window.fetch_with_str_and_init(url, &init)).await).await
}

async fn answer(fetched: Result<JsValue, JsValue>) -> Result<String, ApiError> {
    let response: web_sys::Response = fetched
        .map_err(|e| ApiError::Unreachable(js_message(&e)))?
        .dyn_into()
        .map_err(|e| ApiError::Body(js_message(&e)))?;
    let text = JsFuture::from(
        response
            .text()
            .map_err(|e| ApiError::Body(js_message(&e)))?,
    )
    .await
    .map_err(|e| ApiError::Unreachable(js_message(&e)))?
    .as_string()
    .ok_or_else(|| ApiError::Body("not text".into()))?;
    if response.ok() {
        return Ok(text);
    }
    let status = response.status();
    match serde_json::from_str::<ErrorBody>(&text) {
        Ok(b) => Err(ApiError::Server {
            status,
            code: b.error.code,
            message: b.error.message,
        }),
        Err(_) => Err(ApiError::Status(status)),
    }
}

/// The message of a thrown JavaScript value.
pub fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}
