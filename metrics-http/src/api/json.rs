//! JSON answers and JSON errors.

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A JSON body that is already serialized.
pub(crate) fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// `{"error": "..."}` with `status`.
pub(crate) fn json_error(status: StatusCode, error: String) -> Response {
    #[derive(Serialize)]
    struct Error {
        error: String,
    }
    let body = serde_json::to_string(&Error { error })
        .unwrap_or_else(|_| r#"{"error":"unprintable error"}"#.to_owned());
    json_response(status, body)
}
