//! The web application (Vietnamese pages) and the JSON API of cnscd, over the registry's store.
//! Handlers are thin: they read the request, call the domain's validation and the store, and render.

mod api;
mod assets;
mod error;
mod pages;
mod scope;
mod state;

pub use api::openapi_document;
pub use state::AppState;

use axum::extract::DefaultBodyLimit;
use axum::Router;

/// Largest request body accepted: forms and JSON documents are small; anything larger is refused early.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The whole application: pages, API, API documentation and static assets.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .merge(api::routes())
        .merge(assets::routes())
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}
