//! The session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent with another site's forms),
//! Secure when the site is served over TLS.

use crate::state::AppState;
use axum::extract::Request;
use axum::http::{header, HeaderMap};
use cookie::{Cookie, SameSite};

pub const SESSION_COOKIE: &str = "cnscd_session";

pub fn session_token(request: &Request) -> Option<String> {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == SESSION_COOKIE)
        .map(|cookie| cookie.value().to_string())
}

/// Over TLS directly (configured) or behind a proxy that says so.
fn over_tls(state: &AppState, headers: &HeaderMap) -> bool {
    state.settings.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

fn build(state: &AppState, headers: &HeaderMap, value: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(over_tls(state, headers))
        .build()
}

/// The `Set-Cookie` value that opens a session in the browser (it lives as long as the browser is open; the
/// server ends the session itself after inactivity).
pub fn session_cookie(state: &AppState, headers: &HeaderMap, token: &str) -> String {
    build(state, headers, token.to_string()).to_string()
}

pub fn clear_session_cookie(state: &AppState, headers: &HeaderMap) -> String {
    let mut cookie = build(state, headers, String::new());
    cookie.make_removal();
    cookie.to_string()
}
