//! Signing in and out. The form never says whether a username exists: a wrong username and a wrong password
//! get the same answer, in the same time.

use super::form::Submitted;
use super::{render_with, Layout};
use crate::auth::{
    clear_session_cookie, client_address, cookie_value, csrf, login_cookie, session_cookie, Caller,
    LOGIN_COOKIE, SESSION_COOKIE,
};
use crate::error::PageError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use cnscd_domain::account::THROTTLE_WINDOW_MINUTES;
use cnscd_store::secrets::random_token;
use cnscd_store::LoginOutcome;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
    /// Set after a password change, to say that it worked.
    #[serde(default)]
    changed: Option<String>,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    message: Option<String>,
    /// The password was just changed: say so.
    changed: bool,
    /// The form's CSRF token, also in the `cnscd_login` cookie.
    token: String,
}

/// Only a path of this site, so that the sign-in form cannot send people elsewhere afterwards: it must parse as
/// a URI without scheme or host, start with one `/`, and hold no control character or backslash (which
/// browsers read as `/`, or which cannot go into a `Location` header at all).
fn safe_next(next: &str) -> String {
    let is_local_path = next.starts_with('/')
        && !next.starts_with("//")
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && next
            .parse::<axum::http::Uri>()
            .is_ok_and(|uri| uri.scheme().is_none() && uri.authority().is_none());
    if is_local_path {
        next.to_string()
    } else {
        "/".into()
    }
}

/// The sign-in form with its CSRF token in a cookie and in a hidden field. The browser's token is kept while it
/// has one: a second tab, or a request the browser makes on its own (an icon), must not invalidate the first.
fn login_page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    username: String,
    next: String,
    message: Option<String>,
    changed: bool,
) -> Result<Response, PageError> {
    let token = cookie_value(headers, LOGIN_COOKIE)
        .filter(|t| t.len() == 43)
        .unwrap_or_else(random_token);
    let page = LoginPage {
        layout: Layout::anonymous("Đăng nhập"),
        username,
        next,
        message,
        changed,
        token: token.clone(),
    };
    let cookie = login_cookie(state, headers, &token);
    Ok(([(header::SET_COOKIE, cookie)], render_with(status, &page)?).into_response())
}

pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    super::PageQuery(query): super::PageQuery<LoginQuery>,
) -> Result<Response, PageError> {
    let next = safe_next(&query.next);
    let changed = query.changed.is_some();
    login_page(
        &state,
        &headers,
        StatusCode::OK,
        String::new(),
        next,
        None,
        changed,
    )
}

pub async fn sign_in(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, PageError> {
    let address = client_address(&state, &request);
    let headers = request.headers().clone();
    let form = Submitted::from_body(request).await?;
    let username = form.get("username");
    let next = safe_next(&form.get("next"));
    let expected = cookie_value(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !csrf::matches(&form.get("csrf"), &expected) {
        let message = "Trang đăng nhập đã hết hạn hoặc không mở từ hệ thống. Hãy nhập lại tên đăng nhập và mật khẩu.";
        return login_page(
            &state,
            &headers,
            StatusCode::FORBIDDEN,
            username,
            next,
            Some(message.into()),
            false,
        );
    }
    let outcome = state
        .store
        .login(
            &username,
            &form.get("password"),
            &address,
            state.settings.session_lifetime,
        )
        .await?;
    let (status, message) = match outcome {
        LoginOutcome::SignedIn { user, session } => {
            tracing::info!(user = %user.username, %address, "signed in");
            let cookie = session_cookie(&state, &headers, &session.token);
            return Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response());
        }
        LoginOutcome::Refused => (
            StatusCode::UNAUTHORIZED,
            "Tên đăng nhập hoặc mật khẩu không đúng. Kiểm tra lại (chú ý chữ hoa, bộ gõ tiếng Việt) rồi thử lại."
                .to_string(),
        ),
        LoginOutcome::Throttled => (
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Đăng nhập sai quá nhiều lần. Vì an toàn, hãy đợi {THROTTLE_WINDOW_MINUTES} phút rồi thử lại, \
                 hoặc nhờ quản trị tỉnh đặt lại mật khẩu."
            ),
        ),
    };
    tracing::info!(%address, "sign-in refused");
    login_page(
        &state,
        &headers,
        status,
        username,
        next,
        Some(message),
        false,
    )
}

pub async fn sign_out(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    if let Some(token) = cookie_value(&headers, SESSION_COOKIE) {
        state.store.end_session(&token).await?;
    }
    tracing::info!(user = %caller.user.username, "signed out");
    let cookie = clear_session_cookie(&state, &headers);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}
