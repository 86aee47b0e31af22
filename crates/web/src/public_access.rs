//! How the public pages are served: rate-limited per address (a citizen browses a few pages; a crawler that
//! asks for thousands is refused with 429), no cookies, and cached by validation: `ETag` with `no-cache`, so a
//! phone on slow 3G gets `304 Not Modified` for a page it has, and a withdrawn consent leaves every copy at the
//! next look.

use crate::auth::client_address;
use crate::error::Error;
use crate::pages::ErrorMessage;
use crate::state::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sha2::{Digest, Sha256};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// The largest public page or answer kept to compute its validator; larger ones are sent as they are.
const MAX_CACHED_BYTES: usize = 512 * 1024;

/// Requests per address, shared by every public page and the public API.
pub type PublicLimiter = Arc<DefaultKeyedRateLimiter<String>>;

/// A limiter allowing `per_minute` requests a minute to each address, all of them at once at most.
pub fn limiter(per_minute: NonZeroU32) -> PublicLimiter {
    let limiter: PublicLimiter = Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute)));
    // Addresses that have not asked for a while are forgotten, so the table stays as small as the traffic.
    let weak = Arc::downgrade(&limiter);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            let Some(limiter) = weak.upgrade() else { break };
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    });
    limiter
}

pub fn is_public(path: &str) -> bool {
    path == "/public" || path.starts_with("/public/") || path.starts_with("/api/public/")
}

pub async fn serve_publicly(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    if !is_public(&path) {
        return next.run(request).await;
    }
    let address = client_address(&state, &request);
    if state.public_limiter.check_key(&address).is_err() {
        let mut response = Error::Busy(
            "Bạn mở quá nhiều trang trong một phút: hãy đợi một phút rồi thử lại.".into(),
        )
        .into_page_or_api(&path);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return in_public_layout(&state, response).await;
    }
    let asked_for = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let response = next.run(request).await;
    let (mut parts, body) = response.into_parts();
    parts.headers.remove(header::SET_COOKIE);
    if parts.status != StatusCode::OK {
        parts
            .headers
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return in_public_layout(&state, Response::from_parts(parts, body)).await;
    }
    let Ok(bytes) = to_bytes(body, MAX_CACHED_BYTES).await else {
        return Error::Internal(format!(
            "public answer of {path} over {MAX_CACHED_BYTES} bytes"
        ))
        .into_page_or_api(&path);
    };
    let tag = format!("\"{}\"", hex(&Sha256::digest(&bytes)[..12]));
    parts.headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, no-cache"),
    );
    if let Ok(value) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, value);
    }
    if asked_for.is_some_and(|asked| asked.split(',').any(|t| t.trim() == tag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An error page of the public pages, rendered again in their own layout (the message is the same).
async fn in_public_layout(state: &AppState, mut response: Response) -> Response {
    let Some(ErrorMessage(message)) = response.extensions().get::<ErrorMessage>().cloned() else {
        return response;
    };
    *response.body_mut() = Body::from(crate::pages::public::error_page(state, &message).await);
    response.headers_mut().remove(header::CONTENT_LENGTH);
    response
}
