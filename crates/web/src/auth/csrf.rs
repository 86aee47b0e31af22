//! Every changing request of a browser session carries the session's CSRF token: forms in a hidden `csrf`
//! field (urlencoded or multipart), scripts in the `X-CSRF-Token` header. Another site cannot read the token,
//! so it cannot forge the request.

use crate::error::Error;
use crate::pages::MAX_UPLOAD_BYTES;
use crate::MAX_BODY_BYTES;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::Request;
use axum::http::header;

pub const FIELD: &str = "csrf";
const HEADER: &str = "x-csrf-token";

/// Lets the request through, body intact, when it carries the expected token.
pub async fn verify(request: Request, expected: &str) -> Result<Request, Error> {
    let from_header = request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(token) = from_header {
        return matches(&token, expected)
            .then_some(request)
            .ok_or(Error::CsrfRejected);
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let (parts, body) = request.into_parts();
    let limit = if content_type.starts_with("multipart/form-data") {
        MAX_UPLOAD_BYTES
    } else {
        MAX_BODY_BYTES
    };
    let bytes = to_bytes(body, limit).await.map_err(|_| Error::TooLarge)?;
    let token = if content_type.starts_with("application/x-www-form-urlencoded") {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .ok()
            .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v))
    } else if let Ok(boundary) = multer::parse_boundary(&content_type) {
        multipart_field(bytes.clone(), boundary).await
    } else {
        None
    };
    match token {
        Some(token) if matches(&token, expected) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(Error::CsrfRejected),
    }
}

async fn multipart_field(bytes: Bytes, boundary: String) -> Option<String> {
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(FIELD) {
            return field.text().await.ok();
        }
    }
    None
}

/// Compares in time independent of where the strings differ.
pub fn matches(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}
