//! Reading requests so that every failure is an [`ApiError`] in the one JSON shape, with a
//! message that says what is wrong and how to fix it: query strings (unknown and repeated
//! parameters refused, each value checked by the handler with its name as `field`) and JSON
//! bodies (wrong content type → 415, malformed JSON → 400, a value of the wrong type or
//! an unknown field → 422 with the JSON path as `field`).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use crate::ApiError;

/// A query string as name/value pairs, each name at most once and from a known list.
#[derive(Debug, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parses `raw` (the part after `?`), accepting only the names in `allowed`.
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Params, ApiError> {
        let raw = raw.unwrap_or("");
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(raw).map_err(|e| ApiError::BadRequest {
                message: format!("the query string cannot be read ({e}): percent-encode values"),
                field: None,
            })?;
        let mut seen: Vec<&str> = Vec::new();
        for (name, _) in &pairs {
            if !allowed.contains(&name.as_str()) {
                return Err(ApiError::bad(
                    name,
                    format!(
                        "unknown parameter \"{name}\": this endpoint takes {}",
                        allowed.join(", ")
                    ),
                ));
            }
            if seen.contains(&name.as_str()) {
                return Err(ApiError::bad(
                    name,
                    format!(
                        "\"{name}\" is given more than once: give it once (lists are comma-separated, e.g. category=toys,apparel)"
                    ),
                ));
            }
            seen.push(name);
        }
        Ok(Params { pairs })
    }

    /// The trimmed value of `name`; an empty value counts as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// A whole number in `min..=max`, or `default` when absent.
    pub fn number(&self, name: &str, default: u32, min: u32, max: u32) -> Result<u32, ApiError> {
        let Some(text) = self.get(name) else {
            return Ok(default);
        };
        match text.parse::<u64>() {
            Ok(n) if n >= u64::from(min) && n <= u64::from(max) => {
                Ok(u32::try_from(n).unwrap_or(max))
            }
            _ => Err(ApiError::bad(
                name,
                format!("{name} must be a whole number from {min} to {max} (got \"{text}\")"),
            )),
        }
    }
}

/// A JSON body, read with the API's errors.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let is_json = essence == "application/json"
            || (essence.starts_with("application/") && essence.ends_with("+json"));
        if !is_json {
            let got = if content_type.is_empty() {
                "no Content-Type".to_string()
            } else {
                format!("Content-Type \"{content_type}\"")
            };
            return Err(ApiError::UnsupportedMediaType(format!(
                "send the body as JSON with the header Content-Type: application/json (got {got})"
            )));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge(
                    "the body is too large for this endpoint: send fewer lines".into(),
                )
            } else {
                ApiError::BadRequest {
                    message: format!("the body could not be read: {}", e.body_text()),
                    field: None,
                }
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses `bytes` as one JSON value of type `T`, with the API's errors.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::BadRequest {
            message: "the body is empty: send a JSON object".into(),
            field: None,
        });
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = match serde_path_to_error::deserialize(&mut de) {
        Ok(v) => v,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            return Err(if inner.is_data() {
                ApiError::Unprocessable {
                    message: data_message(&inner, &path),
                    field: (path != ".").then_some(path),
                }
            } else {
                ApiError::BadRequest {
                    message: format!(
                        "the body is not valid JSON ({inner}): check quotes, commas and brackets"
                    ),
                    field: None,
                }
            });
        }
    };
    de.end().map_err(|e| ApiError::BadRequest {
        message: format!("the body has more after the JSON value ({e}): send exactly one object"),
        field: None,
    })?;
    Ok(value)
}

/// serde's message without its "at line 1 column 20" tail, which the field path replaces.
fn data_message(e: &serde_json::Error, path: &str) -> String {
    let text = e.to_string();
    let text = match text.rfind(" at line ") {
        Some(i) => text.get(..i).unwrap_or(&text).to_string(),
        None => text,
    };
    if path == "." {
        format!("the body does not have the expected shape: {text}")
    } else {
        format!("{path}: {text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        lines: Vec<Line>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Line {
        quantity: i64,
    }

    fn field(e: &ApiError) -> Option<String> {
        match e {
            ApiError::BadRequest { field, .. } | ApiError::Unprocessable { field, .. } => {
                field.clone()
            }
            _ => None,
        }
    }

    #[test]
    fn json_errors_name_the_path() {
        let e = parse_json::<Body>(br#"{"lines":[{"quantity":1},{"quantity":"two"}]}"#);
        let Err(e) = e else { unreachable!() };
        assert!(matches!(e, ApiError::Unprocessable { .. }));
        assert_eq!(field(&e).as_deref(), Some("lines[1].quantity"));

        let Err(e) = parse_json::<Body>(br#"{"lines":[}"#) else {
            unreachable!()
        };
        assert!(matches!(e, ApiError::BadRequest { .. }));

        let Err(e) = parse_json::<Body>(br#"{"lines":[],"extra":1}"#) else {
            unreachable!()
        };
        assert!(matches!(e, ApiError::Unprocessable { .. }));

        let Err(e) = parse_json::<Body>(br#"{"lines":[]} {}"#) else {
            unreachable!()
        };
        assert!(matches!(e, ApiError::BadRequest { .. }));

        let Err(e) = parse_json::<Body>(b"  ") else {
            unreachable!()
        };
        assert!(matches!(e, ApiError::BadRequest { .. }));
    }

    #[test]
    fn params_refuse_unknown_and_repeated_names() {
        assert!(Params::parse(Some("a=1&b=2"), &["a", "b"]).is_ok());
        assert!(Params::parse(Some("a=1&c=2"), &["a", "b"]).is_err());
        assert!(Params::parse(Some("a=1&a=2"), &["a", "b"]).is_err());
        let p = Params::parse(Some("a=%20x%20&b="), &["a", "b"]).unwrap_or_default();
        assert_eq!(p.get("a"), Some("x"));
        assert_eq!(p.get("b"), None);
        assert!(p.number("a", 1, 1, 5).is_err());
    }
}
