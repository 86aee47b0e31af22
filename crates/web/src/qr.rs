//! QR codes on the posters, drawn as SVG by the `qrcode` crate, and the site's address they point to.

use crate::state::AppState;
use axum::http::{header, HeaderMap};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An inline SVG QR code of `address` (medium error correction: a poster on a notice board gets dirty).
pub fn svg(address: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(address.as_bytes(), EcLevel::M) else {
        // An address of this site always fits (a QR code holds over 2,000 bytes at this level).
        return String::new();
    };
    let drawn = code
        .render::<svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    // Inline in HTML: no XML declaration; named for screen readers.
    let body = drawn
        .find("<svg")
        .map_or(drawn.as_str(), |start| &drawn[start..]);
    body.replacen(
        "<svg ",
        "<svg role=\"img\" aria-label=\"Mã QR tới trang của tổ\" ",
        1,
    )
}

/// `https://cnscd.example.gov.vn`: the configured public address, or the one this request came to.
pub fn site_address(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(configured) = &state.settings.public_url {
        return configured.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    // A proxy's word is taken only from a proxy the installation trusts.
    let secure = state.settings.secure_cookies
        || (state.settings.trust_forwarded_for
            && headers
                .get("x-forwarded-proto")
                .and_then(|h| h.to_str().ok())
                .is_some_and(|p| p.eq_ignore_ascii_case("https")));
    format!("{}://{host}", if secure { "https" } else { "http" })
}
