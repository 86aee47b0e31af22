//! The web application: server-rendered Vietnamese pages, plain HTML forms, a little script of our own.

mod account;
mod audit;
mod commune;
mod decision;
mod export;
mod form;
mod history;
mod import;
mod login;
mod member;
mod overview;
mod search;
mod settings;
mod team;
mod users;

use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

pub use form::FormView;
pub use import::MAX_UPLOAD_BYTES;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(overview::page))
        .route("/search", get(search::page))
        .route("/communes/{code}", get(commune::page))
        .route(
            "/communes/{code}/teams/new",
            get(team::new_form).post(team::create),
        )
        .route(
            "/communes/{code}/decisions/new",
            get(decision::new_form).post(decision::create),
        )
        .route("/teams/{id}", get(team::page))
        .route("/teams/{id}/edit", get(team::edit_form).post(team::update))
        .route("/teams/{id}/move", post(team::move_team))
        .route("/teams/{id}/dissolve", post(team::dissolve))
        .route("/teams/{id}/members", post(member::create))
        .route(
            "/members/{id}/edit",
            get(member::edit_form).post(member::update),
        )
        .route("/members/{id}/make-leader", post(member::make_leader))
        .route("/members/{id}/leave", post(member::leave))
        .route(
            "/decisions/{id}/edit",
            get(decision::edit_form).post(decision::update),
        )
        .route("/decisions/{id}/delete", post(decision::delete))
        .route(
            "/import",
            get(import::form)
                .post(import::preview)
                .layer(DefaultBodyLimit::max(import::MAX_UPLOAD_BYTES)),
        )
        .route("/import/{token}/apply", post(import::apply))
        .route("/export", get(export::download))
        .route("/login", get(login::form).post(login::sign_in))
        .route("/logout", post(login::sign_out))
        .route("/account", get(account::page))
        .route("/account/password", post(account::change_password))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/admin/users", get(users::list).post(users::create))
        .route(
            "/admin/users/{id}",
            get(users::edit_form).post(users::update),
        )
        .route("/admin/users/{id}/password", post(users::reset_password))
        .route("/admin/audit", get(audit::page))
        .route(
            "/admin/settings",
            get(settings::page).post(settings::update),
        )
        .route("/admin/audit.csv", get(audit::download))
}

/// Common parts of every page: the title, the signed-in account and what its menu offers.
pub struct Layout {
    pub title: String,
    pub province_name: String,
    pub query: String,
    pub user: Option<LayoutUser>,
}

pub struct LayoutUser {
    pub full_name: String,
    pub role_label: &'static str,
    pub csrf: String,
    pub is_admin: bool,
    pub read_only: bool,
    /// The overview for province accounts, her commune for a commune officer.
    pub home: String,
}

impl Layout {
    pub fn new(caller: &Caller, title: impl Into<String>) -> Self {
        let user = &caller.user;
        let access = caller.access();
        Self {
            title: title.into(),
            province_name: user.province_name.clone(),
            query: String::new(),
            user: Some(LayoutUser {
                full_name: user.full_name.clone(),
                role_label: user.role.label(),
                csrf: caller.csrf_token.clone().unwrap_or_default(),
                is_admin: access.is_admin(),
                read_only: access.read_only(),
                home: match &user.commune_code {
                    Some(code) => format!("/communes/{code}"),
                    None => "/".into(),
                },
            }),
        }
    }

    /// Pages shown before signing in.
    pub fn anonymous(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            province_name: String::new(),
            query: String::new(),
            user: None,
        }
    }

    /// The value of every form's hidden `csrf` field.
    pub fn csrf(&self) -> &str {
        self.user.as_ref().map_or("", |u| u.csrf.as_str())
    }

    /// Whether to show buttons and forms that change data.
    pub fn can_write(&self) -> bool {
        self.user.as_ref().is_some_and(|u| !u.read_only)
    }
}

/// Renders a page with a status code.
pub fn render_with(status: StatusCode, page: &impl Template) -> Result<Response, PageError> {
    let html = page.render().map_err(|e| Error::Internal(e.to_string()))?;
    Ok((status, Html(html)).into_response())
}

pub fn render(page: &impl Template) -> Result<Response, PageError> {
    render_with(StatusCode::OK, page)
}

/// After a successful form: back to a page with GET, so that reloading does not send the form again.
pub fn see_other(path: String) -> Result<Response, PageError> {
    Ok(Redirect::to(&path).into_response())
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    message: String,
}

/// The page shown when a request fails outside a form: with the account's menu when someone is signed in.
pub fn error_page(message: &str, caller: Option<&Caller>) -> String {
    let page = ErrorPage {
        layout: match caller {
            Some(caller) => Layout::new(caller, "Có lỗi"),
            None => Layout::anonymous("Có lỗi"),
        },
        message: message.to_string(),
    };
    page.render().unwrap_or_else(|_| message.to_string())
}

/// Marks an error page's response, so that the sign-in middleware can render it again with the caller's menu.
#[derive(Clone)]
pub struct ErrorMessage(pub String);

/// `10/07/2025`, or empty.
pub fn show_date(date: &Option<chrono::NaiveDate>) -> String {
    date.map(cnscd_domain::date::format_date)
        .unwrap_or_default()
}
