//! The web application: server-rendered Vietnamese pages, plain HTML forms, a little script of our own.

mod account;
mod audit;
mod commune;
mod dashboard;
mod decision;
mod documents;
mod export;
mod form;
mod history;
mod import;
pub(crate) mod library;
mod login;
mod member;
mod onboarding;
mod overview;
pub(crate) mod public;
mod report;
mod rounds;
mod search;
mod settings;
mod team;
mod training;
mod upload;
mod users;

use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;

/// A page's query string: a value that does not read (`?page=abc`) gets the Vietnamese error page, not axum's
/// English text.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(PageError))]
pub struct PageQuery<T>(pub T);

pub use dashboard::ProvinceBoard;
pub use form::FormView;
/// The largest form with a file any page takes (each route bounds its own below this).
pub const MAX_UPLOAD_BYTES: usize = if import::MAX_UPLOAD_BYTES > library::MAX_UPLOAD_BYTES {
    import::MAX_UPLOAD_BYTES
} else {
    library::MAX_UPLOAD_BYTES
};
pub use library::file_response as library_file_response;

/// The pages' router and the list of its (method, path) pairs, built together so that the list is the
/// router's own (the scope-matrix test walks it: a new page cannot be missed).
pub struct PageRoutes {
    pub router: Router<AppState>,
    pub list: Vec<(&'static str, &'static str)>,
}

impl PageRoutes {
    fn new() -> Self {
        Self {
            router: Router::new(),
            list: Vec::new(),
        }
    }

    fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        route: MethodRouter<AppState>,
    ) -> Self {
        self.list.push((method, path));
        self.router = self.router.route(path, route);
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add("GET", path, get(handler))
    }

    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add("POST", path, post(handler))
    }
}

pub fn routes() -> PageRoutes {
    PageRoutes::new()
        .get("/", overview::page)
        .get("/search", search::page)
        .get("/dashboard", dashboard::page)
        .get("/communes/{code}", commune::page)
        .get("/communes/{code}/teams/new", team::new_form)
        .post("/communes/{code}/teams/new", team::create)
        .get("/communes/{code}/decisions/new", decision::new_form)
        .post("/communes/{code}/decisions/new", decision::create)
        .get("/teams/{id}", team::page)
        .get("/teams/{id}/edit", team::edit_form)
        .post("/teams/{id}/edit", team::update)
        .post("/teams/{id}/move", team::move_team)
        .post("/teams/{id}/dissolve", team::dissolve)
        .post("/teams/{id}/members", member::create)
        .get("/members/{id}/edit", member::edit_form)
        .post("/members/{id}/edit", member::update)
        .post("/members/{id}/make-leader", member::make_leader)
        .post("/members/{id}/leave", member::leave)
        .post("/members/{id}/consent", member::give_consent)
        .post("/members/{id}/consent/withdraw", member::withdraw_consent)
        .post("/communes/{code}/contact", commune::set_contact)
        .post("/communes/{code}/villages", commune::set_villages)
        .get("/decisions/{id}/edit", decision::edit_form)
        .post("/decisions/{id}/edit", decision::update)
        .post("/decisions/{id}/delete", decision::delete)
        .get("/import", import::form)
        .add(
            "POST",
            "/import",
            post(import::preview).layer(DefaultBodyLimit::max(import::MAX_UPLOAD_BYTES)),
        )
        .post("/import/{token}/apply", import::apply)
        .get("/import/{token}/report.csv", import::report)
        .post("/imports/{id}/undo", import::undo)
        .get("/export", export::download)
        .get("/login", login::form)
        .post("/login", login::sign_in)
        .post("/logout", login::sign_out)
        .get("/account", account::page)
        .post("/account/password", account::change_password)
        .post("/account/tokens", account::create_token)
        .post("/account/tokens/{id}/revoke", account::revoke_token)
        .get("/admin/users", users::list)
        .post("/admin/users", users::create)
        .get("/admin/users/onboard", onboarding::form)
        .add(
            "POST",
            "/admin/users/onboard",
            post(onboarding::create).layer(DefaultBodyLimit::max(onboarding::MAX_UPLOAD_BYTES)),
        )
        .get(
            "/admin/users/onboard/mau-tai-khoan-can-bo.xlsx",
            onboarding::template,
        )
        .get("/admin/users/{id}", users::edit_form)
        .post("/admin/users/{id}", users::update)
        .post("/admin/users/{id}/password", users::reset_password)
        .post("/admin/users/{id}/slip", onboarding::reset_with_slip)
        .get("/admin/audit", audit::page)
        .get("/admin/audit.csv", audit::download)
        .get("/rounds", rounds::list)
        .get("/rounds/new", rounds::new_form)
        .get("/rounds/compare", rounds::compare)
        .post("/rounds/new", rounds::create)
        .post("/rounds/indicators", rounds::add_indicator)
        .get("/rounds/{id}", rounds::board)
        .get("/rounds/{id}/edit", rounds::edit_form)
        .post("/rounds/{id}/edit", rounds::update)
        .post("/rounds/{id}/extend", rounds::extend)
        .post("/rounds/{id}/close", rounds::close)
        .post("/rounds/{id}/remind", rounds::remind)
        .post("/rounds/{id}/documents", rounds::link_document)
        .get("/rounds/{id}/figures", rounds::figures)
        .get("/rounds/{id}/changes", rounds::changes)
        .get("/rounds/{id}/roster.xlsx", rounds::roster_download)
        .get("/rounds/{id}/figures.xlsx", rounds::figures_download)
        .get("/rounds/{id}/reports/{code}", report::page)
        .post("/rounds/{id}/reports/{code}", report::save)
        .post("/rounds/{id}/reports/{code}/return", report::return_report)
        .post("/rounds/{id}/reports/{code}/accept", report::accept)
        .get("/public", public::finder)
        .get("/public/communes/{code}", public::commune)
        .get("/public/communes/{code}/poster", public::commune_poster)
        .get("/public/teams/{id}", public::team)
        .get("/public/teams/{id}/poster", public::team_poster)
        .get("/training", training::list)
        .get("/training/new", training::new_form)
        .post("/training/new", training::create)
        .get("/training/{id}", training::page)
        .get("/training/{id}/edit", training::edit_form)
        .post("/training/{id}/edit", training::update)
        .post("/training/{id}/cancel", training::cancel)
        .post("/training/{id}/register", training::register)
        .post("/training/{id}/attendance", training::attendance)
        .post("/training/{id}/documents", training::link_document)
        .get("/training/{id}/roster.xlsx", training::roster_download)
        .get("/training/{id}/sign-in.xlsx", training::sign_in_download)
        .post("/training/registrations/{id}/withdraw", training::withdraw)
        .get("/library", library::list)
        .get("/library/new", library::new_form)
        .add(
            "POST",
            "/library/new",
            post(library::create).layer(DefaultBodyLimit::max(library::MAX_UPLOAD_BYTES)),
        )
        .get("/library/{id}", library::page)
        .add(
            "POST",
            "/library/{id}",
            post(library::update).layer(DefaultBodyLimit::max(library::MAX_UPLOAD_BYTES)),
        )
        .post("/library/{id}/delete", library::delete)
        .get("/library/{id}/file", library::download)
        .get("/rounds/{id}/documents/{kind}", documents::round_document)
        .get(
            "/rounds/{id}/reports/{code}/document",
            documents::report_document,
        )
        .get(
            "/communes/{code}/documents/{kind}",
            documents::commune_document,
        )
        .get("/documents/team-list", documents::province_team_list)
        .get("/training/{id}/sign-in-sheet", documents::training_sign_in)
        .get("/admin/letterhead", documents::department_letterhead)
        .post("/admin/letterhead", documents::set_department_letterhead)
        .get("/communes/{code}/letterhead", documents::commune_letterhead)
        .post(
            "/communes/{code}/letterhead",
            documents::set_commune_letterhead,
        )
        .get("/admin/settings", settings::page)
        .post("/admin/settings", settings::update)
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
    /// A commune officer's commune.
    pub commune_code: Option<String>,
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
                commune_code: user.commune_code.clone(),
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

    /// Whether to show what only province admins may do.
    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.is_admin)
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

/// Numbers on pages as Vietnamese write them (`12.000`, `66,7`): `{{ total.vn() }}` in a template.
pub trait Vietnamese {
    fn vn(&self) -> String;
}

impl Vietnamese for i64 {
    fn vn(&self) -> String {
        cnscd_domain::text::group_thousands(*self)
    }
}

impl Vietnamese for f64 {
    fn vn(&self) -> String {
        cnscd_domain::text::one_decimal(*self)
    }
}

/// `10/07/2025`, or empty.
pub fn show_date(date: &Option<chrono::NaiveDate>) -> String {
    date.map(cnscd_domain::date::format_date)
        .unwrap_or_default()
}

/// A workbook download.
pub fn workbook((name, bytes): (String, Vec<u8>)) -> Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
