//! The stylesheet, the small script of our own and the blank template, compiled into the binary.

use crate::state::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

const CACHE: &str = "public, max-age=3600";

/// (path, content type, bytes)
const ASSETS: [(&str, &str, &[u8]); 3] = [
    (
        "/static/app.css",
        "text/css; charset=utf-8",
        include_bytes!("../static/app.css"),
    ),
    (
        "/static/app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/app.js"),
    ),
    (
        // The Department's blank template, as communes receive it.
        "/static/mau-danh-sach-to-cnscd.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        include_bytes!("../static/mau-danh-sach-to-cnscd.xlsx"),
    ),
];

pub fn routes() -> Router<AppState> {
    ASSETS
        .iter()
        .fold(Router::new(), |router, &(path, content_type, bytes)| {
            router.route(
                path,
                get(move || async move {
                    (
                        [
                            (header::CONTENT_TYPE, content_type),
                            (header::CACHE_CONTROL, CACHE),
                        ],
                        bytes,
                    )
                        .into_response()
                }),
            )
        })
}
