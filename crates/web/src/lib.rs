//! The web application (Vietnamese pages) and the JSON API of cnscd, over the registry's store.
//! Handlers are thin: they read the request, call the domain's validation and the store, and render.

mod api;
mod assets;
mod auth;
mod cache;
mod charts;
mod documents;
mod error;
mod pages;
mod public_access;
mod qr;
mod serve;
mod state;

pub use api::openapi_document;

/// Every page route as (method, path), taken from the pages' router itself.
pub fn page_routes() -> Vec<(&'static str, &'static str)> {
    pages::routes().list
}
pub use serve::{serve, ServeLimits};
pub use state::{AppState, WebSettings};

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue};
use axum::{middleware, Router};
use tower_http::set_header::SetResponseHeaderLayer;

/// Largest request body accepted: forms and JSON documents are small; anything larger is refused early.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// No inline script or style, nothing from elsewhere, never inside another site's frame.
const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The whole application: pages, API, API documentation and static assets.
pub fn router(state: AppState) -> Router {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    Router::new()
        .merge(pages::routes().router)
        .merge(api::routes())
        .merge(assets::routes())
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            public_access::serve_publicly,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(header(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "same-origin"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .with_state(state)
}

/// An address the application does not have: its own 404 page (with the account's menu), or a JSON error
/// under `/api/`.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    let error = error::Error::NotFound("trang này (địa chỉ không có trong hệ thống)");
    if uri.path().starts_with("/api/") {
        error::ApiError(error).into_response()
    } else {
        error::PageError(error).into_response()
    }
}
