//! Who is calling: a browser with a session cookie or a script with a personal API token. One middleware
//! identifies the caller for every route but the sign-in page, the static files and the API description;
//! handlers receive the [`Caller`] and hand it to [`crate::scope`].

pub(crate) mod cookies;
pub(crate) mod csrf;

pub use cookies::{
    clear_session_cookie, cookie_value, login_cookie, session_cookie, LOGIN_COOKIE, SESSION_COOKIE,
};

use crate::error::{ApiError, Error, PageError};
use crate::pages::{error_page, ErrorMessage};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use cnscd_store::User;
use std::net::SocketAddr;

/// The signed-in account behind a request: who calls (what the use cases need) and, for a browser, the token
/// its forms carry.
#[derive(Debug, Clone)]
pub struct Caller {
    pub who: cnscd_services::Caller,
    /// The token the forms of this browser session carry; none for API tokens (no cookie, no CSRF risk).
    pub csrf_token: Option<String>,
}

impl std::ops::Deref for Caller {
    type Target = cnscd_services::Caller;

    fn deref(&self) -> &cnscd_services::Caller {
        &self.who
    }
}

impl Caller {
    fn new(user: User, address: &str, csrf_token: Option<String>) -> Self {
        Self {
            who: cnscd_services::Caller {
                user,
                address: address.to_string(),
            },
            csrf_token,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = (StatusCode, &'static str);

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or((StatusCode::UNAUTHORIZED, "Chưa đăng nhập."))
    }
}

/// Routes anyone may open: signing in, the public team finder, the style sheet and script, the API's description (and the icon
/// browsers ask for on their own, which would otherwise be sent to the sign-in form).
fn is_public(path: &str) -> bool {
    path == "/login"
        || crate::public_access::is_public(path)
        || path.starts_with("/static/")
        || path == "/api/openapi.json"
        || path == "/api/docs"
        || path == "/favicon.ico"
}

/// The client's address: the connection's peer, or behind a trusted reverse proxy the address it saw.
pub fn client_address(state: &AppState, request: &Request) -> String {
    if state.settings.trust_forwarded_for {
        let forwarded = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty());
        if let Some(address) = forwarded {
            return address.to_string();
        }
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip().to_string())
        .unwrap_or_else(|| "không rõ".into())
}

fn bearer_token(request: &Request) -> Option<&str> {
    request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Identifies the caller, checks the CSRF token of a browser's changing request, and lets it through.
pub async fn authenticate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if is_public(&path) {
        return next.run(request).await;
    }
    let api = path.starts_with("/api/");
    let address = client_address(&state, &request);
    let identified = match bearer_token(&request) {
        Some(secret) => state
            .store
            .token_user(secret)
            .await
            .map(|user| user.map(|user| Caller::new(user, &address, None))),
        None => match cookies::session_token(&request) {
            Some(token) => state
                .store
                .session(&token, state.settings.session_lifetime)
                .await
                .map(|session| session.map(|s| Caller::new(s.user, &address, Some(s.csrf_token)))),
            None => Ok(None),
        },
    };
    let caller = match identified {
        Ok(Some(caller)) => caller,
        Ok(None) => return not_signed_in(api, &request),
        Err(error) => return failure(api, Error::Internal(error.to_string())),
    };
    if caller.user.must_change_password
        && caller.csrf_token.is_some()
        && !may_change_password(&path)
    {
        return must_change_password(api, &request);
    }
    let mut request = match &caller.csrf_token {
        Some(expected) if !request.method().is_safe() => {
            match csrf::verify(request, expected).await {
                Ok(request) => request,
                Err(error) => return failure(api, error),
            }
        }
        _ => request,
    };
    request.extensions_mut().insert(caller.clone());
    let mut response = next.run(request).await;
    // Error pages are rendered where the caller is unknown; give them the account's menu here.
    if let Some(ErrorMessage(message)) = response.extensions().get::<ErrorMessage>().cloned() {
        *response.body_mut() = Body::from(error_page(&message, Some(&caller)));
        response.headers_mut().remove(header::CONTENT_LENGTH);
    }
    // What a signed-in account sees (names, phones, exports) is not kept by the browser or a proxy: after
    // signing out on a shared office computer, Back shows nothing.
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store, private"),
        );
    }
    response
}

/// What a browser may open while its password, set by someone else, is still to be changed.
fn may_change_password(path: &str) -> bool {
    matches!(path, "/account" | "/account/password" | "/logout")
}

fn must_change_password(api: bool, request: &Request) -> Response {
    if api || !request.method().is_safe() {
        return failure(api, Error::Forbidden(MUST_CHANGE_PASSWORD));
    }
    Redirect::to("/account").into_response()
}

pub const MUST_CHANGE_PASSWORD: &str =
    "Mật khẩu của bạn do người khác đặt: hãy đổi mật khẩu trước khi làm việc.";

fn failure(api: bool, error: Error) -> Response {
    if api {
        ApiError(error).into_response()
    } else {
        PageError(error).into_response()
    }
}

/// Pages send the browser to the sign-in form (and back afterwards); the API answers 401.
fn not_signed_in(api: bool, request: &Request) -> Response {
    if api || !request.method().is_safe() {
        return failure(api, Error::Unauthorized);
    }
    let back = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let query = serde_urlencoded::to_string([("next", back)]).unwrap_or_default();
    Redirect::to(&format!("/login?{query}")).into_response()
}
