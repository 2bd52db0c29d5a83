//! The embed's two calls to the server: GET a listing or a search, POST a click. Only the
//! public catalog and `/api/embed/click`: an embed never calls `/api/seller/*`, and the
//! seller session's cookie (`SameSite=Strict`) is not sent to a page framed by another
//! site anyway.

use crossdock_core::json::{self, FromJson};
use crossdock_core::json_struct;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api::ApiError;

/// GETs `url` (same origin) and reads a 2xx answer as `T`.
pub async fn get<T: FromJson>(url: &str) -> Result<T, ApiError> {
    let window =
        web_sys::window().ok_or_else(|| ApiError::Unreachable("no browser window".into()))?;
    let text = answer(JsFuture::from(window.fetch_with_str(url)).await).await?;
    json::from_str(&text).map_err(|e| ApiError::Invalid(e.to_string()))
}

/// POSTs `body` (JSON) to `url`; the answer does not matter to the reader.
pub async fn post(url: &str, body: &str) -> Result<(), ApiError> {
    let window =
        web_sys::window().ok_or_else(|| ApiError::Unreachable("no browser window".into()))?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    let headers = js_sys::Object::new();
    js_sys::Reflect::set(&headers, &"content-type".into(), &"application/json".into())
        .map_err(|e| ApiError::Unreachable(message(&e)))?;
    init.set_headers(&headers);
    answer(JsFuture::from(window.fetch_with_str_and_init(url, &init)).await)
        .await
        .map(|_| ())
}

async fn answer(fetched: Result<JsValue, JsValue>) -> Result<String, ApiError> {
    let response: web_sys::Response = fetched
        .map_err(|e| ApiError::Unreachable(message(&e)))?
        .dyn_into()
        .map_err(|e| ApiError::Body(message(&e)))?;
    let status = response.status();
    let text = JsFuture::from(response.text().map_err(|e| ApiError::Body(message(&e)))?)
        .await
        .map_err(|e| ApiError::Unreachable(message(&e)))?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        return Ok(text);
    }
    Err(match json::from_str::<ErrorBody>(&text) {
        Ok(b) => ApiError::Server {
            status,
            code: b.error.code,
            message: b.error.message,
        },
        Err(_) => ApiError::Status(status),
    })
}

/// The server's one error shape: `{"error": {"code", "message", "field"}}`.
struct ErrorBody {
    error: ErrorInner,
}

json_struct!(lenient ErrorBody { error });

struct ErrorInner {
    code: String,
    message: String,
}

json_struct!(lenient ErrorInner { #[default] code, #[default] message });

fn message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}
