//! The session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent with another site's forms),
//! Secure when the site is served over TLS.

use crate::state::AppState;
use axum::extract::Request;
use axum::http::{header, HeaderMap};
use cookie::{Cookie, SameSite};

pub const SESSION_COOKIE: &str = "cnscd_session";
/// Holds the sign-in form's CSRF token (the form has no session yet to keep it in).
pub const LOGIN_COOKIE: &str = "cnscd_login";

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_string())
}

pub fn session_token(request: &Request) -> Option<String> {
    cookie_value(request.headers(), SESSION_COOKIE)
}

/// The sign-in form's token, sent back only to `/login` and never from another site.
pub fn login_cookie(state: &AppState, headers: &HeaderMap, token: &str) -> String {
    Cookie::build((LOGIN_COOKIE, token.to_string()))
        .path("/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(over_tls(state, headers))
        .build()
        .to_string()
}

/// Over TLS directly (configured) or behind a proxy that says so.
pub(crate) fn over_tls(state: &AppState, headers: &HeaderMap) -> bool {
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
