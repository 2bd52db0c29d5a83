//! `fetch` for the typed client: GET and POST with JSON, the server's error shape read
//! into an [`ApiError`].

use crossdock_core::json_struct;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::ApiError;

/// The one error shape of the server: `{"error": {"code", "message", "field"}}`.
#[derive(Debug, PartialEq, Eq)]
struct ErrorBody {
    error: ErrorInner,
}

json_struct!(lenient ErrorBody { error });

#[derive(Debug, PartialEq, Eq)]
struct ErrorInner {
    code: String,
    message: String,
}

json_struct!(lenient ErrorInner { #[default] code, #[default] message });

/// GETs `url` and returns the body of a 2xx answer.
pub async fn get_text(url: &str) -> Result<String, ApiError> {
    let window =
        web_sys::window().ok_or_else(|| ApiError::Unreachable("no browser window".into()))?;
    answer(JsFuture::from(window.fetch_with_str(url)).await).await
}

/// GETs `url` and returns the body of a 2xx answer with its strong ETag's value (without
/// the quotes), when it has one.
pub async fn get_text_and_etag(url: &str) -> Result<(String, Option<String>), ApiError> {
    let window =
        web_sys::window().ok_or_else(|| ApiError::Unreachable("no browser window".into()))?;
    let response = JsFuture::from(window.fetch_with_str(url)).await;
    let etag = response
        .as_ref()
        .ok()
        .and_then(|r| r.dyn_ref::<web_sys::Response>())
        .and_then(|r| r.headers().get("etag").ok().flatten())
        .and_then(|tag| strong_etag_value(&tag));
    Ok((answer(response).await?, etag))
}

/// `"abc"` → `abc`; weak (`W/"…"`) or malformed tags → `None`.
fn strong_etag_value(tag: &str) -> Option<String> {
    let inner = tag.trim().strip_prefix('"')?.strip_suffix('"')?;
    (!inner.is_empty() && !inner.contains('"')).then(|| inner.to_string())
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
    Err(error_answer(response.status(), &text))
}

/// The error of a non-2xx answer with body `text`: the server's error shape, or just
/// the status when the body is something else (a proxy's HTML page).
fn error_answer(status: u16, text: &str) -> ApiError {
    match crossdock_core::json::from_str::<ErrorBody>(text) {
        Ok(b) => ApiError::Server {
            status,
            code: b.error.code,
            message: b.error.message,
        },
        Err(_) => ApiError::Status(status),
    }
}

/// The message of a thrown JavaScript value.
pub fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_error_shape_is_read() {
        let body = r#"{"error":{"code":"unprocessable","message":"\"XX\" is not a market we deliver to","field":"market"}}"#;
        assert_eq!(
            error_answer(422, body),
            ApiError::Server {
                status: 422,
                code: "unprocessable".into(),
                message: "\"XX\" is not a market we deliver to".into(),
            }
        );
        let body = r#"{"error":{"code":"not_found","message":"no such listing","field":null}}"#;
        assert!(error_answer(404, body).is_not_found());
    }

    #[test]
    fn any_other_error_body_gives_the_status() {
        for body in [
            "",
            "<html>Bad gateway</html>",
            r#"{"message":"x"}"#,
            "{\"error\": 5}",
        ] {
            assert_eq!(error_answer(502, body), ApiError::Status(502), "{body}");
        }
    }
}

#[cfg(test)]
mod etag_tests {
    use super::strong_etag_value;

    #[test]
    fn only_strong_etags_give_a_content_hash() {
        assert_eq!(strong_etag_value("\"ab12\"").as_deref(), Some("ab12"));
        assert_eq!(strong_etag_value(" \"ab12\" ").as_deref(), Some("ab12"));
        assert_eq!(strong_etag_value("W/\"ab12\""), None);
        assert_eq!(strong_etag_value("ab12"), None);
        assert_eq!(strong_etag_value("\"\""), None);
        assert_eq!(strong_etag_value("\"a\"b\""), None);
    }
}
