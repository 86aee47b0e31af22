//! Province admins manage the accounts of their province: create, change role or commune, disable, reset the
//! password. Accounts are never deleted: the audit log names them.

use super::form::Submitted;
use super::history::{rows, HistoryRow};
use super::{render, render_with, see_other, FormView, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use cnscd_domain::account::{AccountDraft, AccountRole};
use cnscd_services::accounts::{self, AccountEdit};
use cnscd_services::communes;
use cnscd_store::{Commune, User};

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<User>,
    communes: Vec<Commune>,
    roles: [AccountRole; 3],
    form: FormView,
}

#[derive(Template)]
#[template(path = "user_edit.html")]
struct UserPage {
    layout: Layout,
    user: User,
    communes: Vec<Commune>,
    roles: [AccountRole; 3],
    form: FormView,
    password: FormView,
    /// The password was just reset.
    reset: bool,
    history: Vec<HistoryRow>,
}

async fn users_page(state: &AppState, caller: &Caller, form: FormView) -> Result<UsersPage, Error> {
    Ok(UsersPage {
        layout: Layout::new(caller, "Người dùng"),
        users: accounts::list(&state.store, caller).await?,
        communes: communes::readable(&state.store, caller).await?,
        roles: AccountRole::ALL,
        form,
    })
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    let form = FormView::with_values([("role", "commune_officer")]);
    render(&users_page(&state, &caller, form).await?)
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    form: Submitted,
) -> Result<Response, PageError> {
    let draft = AccountDraft {
        username: form.get("username"),
        full_name: form.get("full_name"),
        role: form.get("role"),
        commune_code: form.get("commune_code"),
        phone: form.get("phone"),
        email: form.get("email"),
        password: form.get("password"),
    };
    let error = match accounts::create(&state.store, &caller, &draft).await {
        Ok(user) => return see_other(format!("/admin/users/{}", user.id)),
        Err(error) => Error::from(error),
    };
    let Some(errors) = error.field_errors() else {
        return Err(error.into());
    };
    let kept: Vec<(String, String)> = form
        .0
        .into_iter()
        .filter(|(k, _)| k != "password")
        .collect();
    let view = FormView::submitted(&Submitted(kept), errors);
    let page = users_page(&state, &caller, view).await?;
    render_with(error.status(), &page)
}

fn user_values(user: &User) -> FormView {
    FormView::with_values([
        ("full_name", user.full_name.clone()),
        ("role", user.role.code().to_string()),
        (
            "commune_code",
            user.commune_code.clone().unwrap_or_default(),
        ),
        (
            "phone",
            user.phone.as_ref().map(|p| p.grouped()).unwrap_or_default(),
        ),
        ("email", user.email.clone().unwrap_or_default()),
        (
            "disabled",
            if user.disabled { "on" } else { "" }.to_string(),
        ),
        ("version", user.version.to_string()),
    ])
}

/// The account's page; `form` and `password` default to its current values and an empty password form.
async fn user_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    form: Option<FormView>,
    password: FormView,
) -> Result<UserPage, Error> {
    let (user, history) = accounts::detail(&state.store, caller, id).await?;
    Ok(UserPage {
        layout: Layout::new(caller, format!("Tài khoản {}", user.username)),
        communes: communes::readable(&state.store, caller).await?,
        roles: AccountRole::ALL,
        history: rows(&history),
        form: form.unwrap_or_else(|| user_values(&user)),
        user,
        password,
        reset: false,
    })
}

#[derive(serde::Deserialize)]
pub struct UserPageQuery {
    #[serde(default)]
    reset: Option<String>,
}

pub async fn edit_form(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    super::PageQuery(query): super::PageQuery<UserPageQuery>,
) -> Result<Response, PageError> {
    let mut page = user_page(&state, &caller, id, None, FormView::default()).await?;
    page.reset = query.reset.is_some();
    render(&page)
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let edit = AccountEdit {
        full_name: form.get("full_name"),
        role: form.get("role"),
        commune_code: form.get("commune_code"),
        phone: form.get("phone"),
        email: form.get("email"),
        disabled: !form.get("disabled").is_empty(),
    };
    let error = match accounts::update(&state.store, &caller, id, form.version(), &edit).await {
        Ok(user) => return see_other(format!("/admin/users/{}", user.id)),
        Err(error) => Error::from(error),
    };
    if let Some(errors) = error.field_errors() {
        let view = FormView::submitted(&form, errors);
        let page = user_page(&state, &caller, id, Some(view), FormView::default()).await?;
        return render_with(error.status(), &page);
    }
    if let Error::Conflict { current_version } = error {
        let mut page = user_page(&state, &caller, id, None, FormView::default()).await?;
        let user = &page.user;
        let theirs = [
            ("Họ tên", user.full_name.clone()),
            ("Vai trò", user.role.label().to_string()),
            ("Xã/phường", user.commune_name.clone().unwrap_or_default()),
            (
                "Số điện thoại",
                user.phone.as_ref().map(|p| p.grouped()).unwrap_or_default(),
            ),
            ("E-mail", user.email.clone().unwrap_or_default()),
        ];
        page.form = FormView::after_conflict(&form, current_version, &theirs);
        return render_with(StatusCode::CONFLICT, &page);
    }
    Err(error.into())
}

/// Sets a new password chosen by the admin (to be given to the user in person); the user's sessions end.
pub async fn reset_password(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let result = accounts::reset_password(&state.store, &caller, id, &form.get("password")).await;
    let error = match result {
        Ok(()) => return see_other(format!("/admin/users/{id}?reset=1")),
        Err(error) => Error::from(error),
    };
    let Some(errors) = error.field_errors() else {
        return Err(error.into());
    };
    let view = FormView::submitted(&Submitted(Vec::new()), errors);
    let page = user_page(&state, &caller, id, None, view).await?;
    render_with(error.status(), &page)
}
