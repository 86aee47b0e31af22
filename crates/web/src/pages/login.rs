//! Signing in and out. The form never says whether a username exists: a wrong username and a wrong password
//! get the same answer, in the same time.

use super::form::Submitted;
use super::{render_with, Layout};
use crate::auth::{clear_session_cookie, client_address, session_cookie, Caller, SESSION_COOKIE};
use crate::error::PageError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use cnscd_domain::account::THROTTLE_WINDOW_MINUTES;
use cnscd_store::LoginOutcome;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    message: Option<String>,
}

/// Only a path of this site, so that the sign-in form cannot send people elsewhere afterwards.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next.to_string()
    } else {
        "/".into()
    }
}

pub async fn form(Query(query): Query<LoginQuery>) -> Result<Response, PageError> {
    render_with(
        StatusCode::OK,
        &LoginPage {
            layout: Layout::anonymous("Đăng nhập"),
            username: String::new(),
            next: safe_next(&query.next),
            message: None,
        },
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
    render_with(
        status,
        &LoginPage {
            layout: Layout::anonymous("Đăng nhập"),
            username,
            next,
            message: Some(message),
        },
    )
}

pub async fn sign_out(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_string());
    if let Some(token) = token {
        state.store.end_session(&token).await?;
    }
    tracing::info!(user = %caller.user.username, "signed out");
    let cookie = clear_session_cookie(&state, &headers);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}
