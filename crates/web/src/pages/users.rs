//! Province admins manage the accounts of their province: create, change role or commune, disable, reset the
//! password. Accounts are never deleted: the audit log names them.

use super::form::Submitted;
use super::history::{rows, HistoryRow};
use super::{render, render_with, see_other, FormView, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::scope;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use cnscd_domain::account::{parse_full_name, parse_scope, AccountDraft, AccountRole};
use cnscd_domain::{FieldError, ValidationErrors};
use cnscd_store::{AccountChange, Commune, ObjectKind, User};

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
    history: Vec<HistoryRow>,
}

/// An account of the admin's province, or "not found".
async fn user_in_scope(state: &AppState, caller: &Caller, id: i64) -> Result<User, Error> {
    scope::admin(caller)?;
    let user = state.store.user(id).await?;
    if user.province_code != caller.user.province_code {
        return Err(Error::NotFound("tài khoản"));
    }
    Ok(user)
}

async fn users_page(state: &AppState, caller: &Caller, form: FormView) -> Result<UsersPage, Error> {
    let province = &caller.user.province_code;
    Ok(UsersPage {
        layout: Layout::new(caller, "Người dùng"),
        users: state.store.users(province).await?,
        communes: state.store.communes(province).await?,
        roles: AccountRole::ALL,
        form,
    })
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    scope::admin(&caller)?;
    let form = FormView::with_values([("role", "commune_officer")]);
    render(&users_page(&state, &caller, form).await?)
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    form: Submitted,
) -> Result<Response, PageError> {
    scope::admin(&caller)?;
    let draft = AccountDraft {
        username: form.get("username"),
        full_name: form.get("full_name"),
        role: form.get("role"),
        commune_code: form.get("commune_code"),
        password: form.get("password"),
    };
    let result: Result<User, Error> = async {
        let account = draft.validate()?;
        let province = &caller.user.province_code;
        Ok(state
            .store
            .create_user(province, &account, &caller.actor())
            .await?)
    }
    .await;
    match result {
        Ok(user) => see_other(format!("/admin/users/{}", user.id)),
        Err(Error::Invalid(errors)) => {
            let kept: Vec<(String, String)> = form
                .0
                .into_iter()
                .filter(|(k, _)| k != "password")
                .collect();
            let view = FormView::submitted(&Submitted(kept), errors);
            let page = users_page(&state, &caller, view).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(other) => Err(other.into()),
    }
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
            "disabled",
            if user.disabled { "on" } else { "" }.to_string(),
        ),
        ("version", user.version.to_string()),
    ])
}

async fn user_page(
    state: &AppState,
    caller: &Caller,
    user: User,
    form: FormView,
    password: FormView,
) -> Result<UserPage, Error> {
    let history = state
        .store
        .object_history(ObjectKind::User, &user.id.to_string(), 50)
        .await?;
    Ok(UserPage {
        layout: Layout::new(caller, format!("Tài khoản {}", user.username)),
        communes: state.store.communes(&user.province_code).await?,
        roles: AccountRole::ALL,
        history: rows(&history),
        user,
        form,
        password,
    })
}

pub async fn edit_form(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let user = user_in_scope(&state, &caller, id).await?;
    let form = user_values(&user);
    render(&user_page(&state, &caller, user, form, FormView::default()).await?)
}

/// The change an admin asked for, checked: she cannot lock herself out.
fn account_change(caller: &Caller, id: i64, form: &Submitted) -> Result<AccountChange, Error> {
    let mut errors = ValidationErrors::default();
    let full_name = errors.check(parse_full_name(&form.get("full_name")));
    let scope = errors.check(parse_scope(&form.get("role"), &form.get("commune_code")));
    let disabled = !form.get("disabled").is_empty();
    let demoted = scope
        .as_ref()
        .is_some_and(|(role, _)| *role != AccountRole::ProvinceAdmin);
    if id == caller.user.id && (disabled || demoted) {
        errors.push(FieldError::new(
            "role",
            "self_lockout",
            "Không thể tự khoá hay bỏ quyền quản trị của chính mình; nhờ một quản trị tỉnh khác làm việc này.",
        ));
    }
    errors.into_result()?;
    let (role, commune_code) = scope.expect("checked");
    Ok(AccountChange {
        full_name: full_name.expect("checked"),
        role,
        commune_code,
        disabled,
    })
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    user_in_scope(&state, &caller, id).await?;
    let result: Result<User, Error> = async {
        let change = account_change(&caller, id, &form)?;
        Ok(state
            .store
            .update_user(id, form.version(), &change, &caller.actor())
            .await?)
    }
    .await;
    match result {
        Ok(user) => see_other(format!("/admin/users/{}", user.id)),
        Err(Error::Invalid(errors)) => {
            let user = user_in_scope(&state, &caller, id).await?;
            let view = FormView::submitted(&form, errors);
            let page = user_page(&state, &caller, user, view, FormView::default()).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(Error::Conflict { current_version }) => {
            let user = user_in_scope(&state, &caller, id).await?;
            let mut view = user_values(&user);
            view.notice = Some(format!(
                "{} Dưới đây là thông tin mới nhất.",
                Error::Conflict { current_version }
            ));
            let page = user_page(&state, &caller, user, view, FormView::default()).await?;
            render_with(StatusCode::CONFLICT, &page)
        }
        Err(other) => Err(other.into()),
    }
}

/// Sets a new password chosen by the admin (to be given to the user in person); the user's sessions end.
pub async fn reset_password(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let user = user_in_scope(&state, &caller, id).await?;
    let result = state
        .store
        .set_password(id, &form.get("password"), &caller.actor())
        .await;
    match result.map_err(Error::from) {
        Ok(()) => see_other(format!("/admin/users/{id}")),
        Err(Error::Invalid(errors)) => {
            let view = FormView::submitted(&Submitted(Vec::new()), errors);
            let form = user_values(&user);
            let page = user_page(&state, &caller, user, form, view).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(other) => Err(other.into()),
    }
}
