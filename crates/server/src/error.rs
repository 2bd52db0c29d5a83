//! The API's one error type: a single status mapping and a single JSON shape.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Every way an API request can fail. Internal details are logged, never sent.
#[derive(Debug)]
pub enum ApiError {
    /// No such resource (`/api/nope`).
    NotFound(String),
    /// The path exists but not for this method.
    MethodNotAllowed,
    /// The request is malformed (bad query parameter, malformed JSON); `field` names the
    /// offending input when there is one.
    BadRequest {
        message: String,
        field: Option<String>,
    },
    /// Well-formed, but the values cannot be used (unknown listing in a quote, zero
    /// quantity); `field` is a JSON path such as `lines[2].quantity`.
    Unprocessable {
        message: String,
        field: Option<String>,
    },
    /// The body is not in a format the endpoint reads (not `application/json`).
    UnsupportedMediaType(String),
    /// The body is larger than the endpoint accepts.
    PayloadTooLarge(String),
    /// No valid seller session: not signed in, signed out, expired, or a wrong login or
    /// password at sign-in.
    Unauthenticated(String),
    /// Signed in (or the password was right), but not allowed: a disabled account.
    Forbidden(String),
    /// A write without the session's CSRF token, with a wrong one, or sent from another
    /// site.
    Csrf(String),
    /// Too many attempts (failed sign-ins); `retry_after_secs` is sent as `Retry-After`.
    TooManyRequests {
        message: String,
        retry_after_secs: u64,
    },
    /// The write was based on an older version of the record (`field` "version"), or
    /// clashes with its current state. `current` is the record as it is now (sent beside
    /// the error as `"current"`), so a client can show both and let the person choose.
    Conflict {
        message: String,
        field: Option<String>,
        current: Option<Box<serde_json::Value>>,
    },
    /// A dependency (the database) is not answering.
    Unavailable(String),
    /// A bug or an unexpected failure; the text goes to the log only.
    Internal(String),
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<&'a serde_json::Value>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
    field: Option<&'a str>,
}

impl ApiError {
    /// A bad query parameter or path segment, named by `field`.
    pub fn bad(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            message: message.into(),
            field: Some(field.to_string()),
        }
    }

    /// A body value that cannot be used, at the JSON path `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::Unprocessable {
            message: message.into(),
            field: Some(field.into()),
        }
    }

    /// The HTTP status and the stable `code` of this error.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::BadRequest { .. } => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::Unprocessable { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable_entity")
            }
            ApiError::UnsupportedMediaType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            ApiError::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::Csrf(_) => (StatusCode::FORBIDDEN, "csrf"),
            ApiError::TooManyRequests { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "too_many_requests")
            }
            ApiError::Conflict { .. } => (StatusCode::CONFLICT, "conflict"),
            ApiError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let (message, field) = match &self {
            ApiError::NotFound(m) => (m.as_str(), None),
            ApiError::MethodNotAllowed => ("this method is not allowed here", None),
            ApiError::BadRequest { message, field }
            | ApiError::Unprocessable { message, field }
            | ApiError::Conflict { message, field, .. } => (message.as_str(), field.as_deref()),
            ApiError::UnsupportedMediaType(m)
            | ApiError::PayloadTooLarge(m)
            | ApiError::Unauthenticated(m)
            | ApiError::Forbidden(m)
            | ApiError::Csrf(m)
            | ApiError::TooManyRequests { message: m, .. } => (m.as_str(), None),
            ApiError::Unavailable(detail) => {
                tracing::error!(%detail, "unavailable");
                (
                    "a service the server depends on is not answering; try again",
                    None,
                )
            }
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                ("something went wrong on the server", None)
            }
        };
        let current = match &self {
            ApiError::Conflict { current, .. } => current.as_deref(),
            _ => None,
        };
        let body = Body {
            error: Inner {
                code,
                message,
                field,
            },
            current,
        };
        let mut response = (status, Json(body)).into_response();
        if let ApiError::TooManyRequests {
            retry_after_secs, ..
        } = &self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
        }
        response
    }
}
