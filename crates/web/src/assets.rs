//! The stylesheet and the small script of our own, compiled into the binary, and the blank template.

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
        "/static/public.css",
        "text/css; charset=utf-8",
        include_bytes!("../static/public.css"),
    ),
    (
        "/static/app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/app.js"),
    ),
];

/// The template with no data (the Department's own copy carries example rows that would be imported).
const BLANK_TEMPLATE: &str = "/static/mau-danh-sach-to-cnscd.xlsx";

pub fn routes() -> Router<AppState> {
    let blank = get(|| async {
        (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                (header::CACHE_CONTROL, CACHE),
            ],
            cnscd_services::export::blank_template(),
        )
            .into_response()
    });
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
        .route(BLANK_TEMPLATE, blank)
}
