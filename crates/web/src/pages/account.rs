//! The signed-in user's own account: change the password, create and revoke personal API tokens.

use super::form::Submitted;
use super::{render, render_with, see_other, FormView, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use cnscd_services::accounts;
use cnscd_store::ApiToken;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
    caller_name: String,
    username: String,
    role: &'static str,
    place: String,
    password: FormView,
    token_form: FormView,
    tokens: Vec<ApiToken>,
    /// A token just created: shown once, never again.
    new_secret: Option<String>,
    /// Province admins script against the API; the tokens section is theirs.
    scripts: bool,
    must_change: Option<&'static str>,
}

impl AccountPage {
    fn time(&self, at: &str) -> String {
        cnscd_domain::clock::vietnam_time(at)
    }

    fn maybe_time(&self, at: &Option<String>) -> String {
        at.as_deref()
            .map(cnscd_domain::clock::vietnam_time)
            .unwrap_or_default()
    }
}

async fn account_page(
    state: &AppState,
    caller: &Caller,
    password: FormView,
    token_form: FormView,
    new_secret: Option<String>,
) -> Result<AccountPage, Error> {
    let user = &caller.user;
    Ok(AccountPage {
        layout: Layout::new(caller, "Tài khoản của tôi"),
        caller_name: user.full_name.clone(),
        username: user.username.clone(),
        role: user.role.label(),
        place: user
            .commune_name
            .clone()
            .unwrap_or_else(|| user.province_name.clone()),
        password,
        token_form,
        tokens: accounts::own_tokens(&state.store, caller).await?,
        new_secret,
        scripts: caller.access().is_admin(),
        must_change: user
            .must_change_password
            .then_some(crate::auth::MUST_CHANGE_PASSWORD),
    })
}

pub async fn page(State(state): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    let page = account_page(
        &state,
        &caller,
        FormView::default(),
        FormView::default(),
        None,
    );
    render(&page.await?)
}

/// Shows the account page again with the errors of one of its forms.
async fn failed(
    state: &AppState,
    caller: &Caller,
    error: cnscd_services::Error,
    password_form: Option<&Submitted>,
    token_form: Option<&Submitted>,
) -> Result<Response, PageError> {
    let error = Error::from(error);
    let Some(errors) = error.field_errors() else {
        return Err(error.into());
    };
    let view = |form: Option<&Submitted>| match form {
        Some(form) => FormView::submitted(form, errors.clone()),
        None => FormView::default(),
    };
    let page = account_page(state, caller, view(password_form), view(token_form), None).await?;
    render_with(error.status(), &page)
}

/// Changes the caller's password after checking the current one; every session ends, this one too.
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    form: Submitted,
) -> Result<Response, PageError> {
    let (current, password, confirm) = (
        form.get("current"),
        form.get("password"),
        form.get("confirm"),
    );
    match accounts::change_own_password(&state.store, &caller, &current, &password, &confirm).await
    {
        Ok(()) => see_other("/login?changed=1".into()),
        // Passwords are never shown back in the form.
        Err(error) => failed(&state, &caller, error, Some(&Submitted(Vec::new())), None).await,
    }
}

pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    form: Submitted,
) -> Result<Response, PageError> {
    match accounts::create_token(&state.store, &caller, &form.get("name")).await {
        Ok(secret) => {
            let page = account_page(
                &state,
                &caller,
                FormView::default(),
                FormView::default(),
                Some(secret),
            );
            render(&page.await?)
        }
        Err(error) => failed(&state, &caller, error, None, Some(&form)).await,
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    accounts::revoke_token(&state.store, &caller, id).await?;
    see_other("/account".into())
}
