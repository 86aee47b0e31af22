//! The signed-in user's own account: change the password, create and revoke personal API tokens.

use super::form::Submitted;
use super::{render, render_with, see_other, FormView, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use cnscd_domain::FieldError;
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
    must_change: Option<&'static str>,
}

impl AccountPage {
    fn time(&self, at: &str) -> String {
        super::history::vietnam_time(at)
    }

    fn maybe_time(&self, at: &Option<String>) -> String {
        at.as_deref()
            .map(super::history::vietnam_time)
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
        tokens: state.store.api_tokens(user.id).await?,
        new_secret,
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

/// Changes the caller's password after checking the current one; every session ends, this one too.
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    form: Submitted,
) -> Result<Response, PageError> {
    let result: Result<(), Error> = async {
        if !state
            .store
            .password_matches(caller.user.id, &form.get("current"))
            .await?
        {
            return Err(FieldError::new(
                "current",
                "password_wrong",
                "Mật khẩu hiện tại không đúng.",
            )
            .into());
        }
        if form.get("password") != form.get("confirm") {
            return Err(FieldError::new(
                "confirm",
                "password_mismatch",
                "Hai lần nhập mật khẩu mới không giống nhau.",
            )
            .into());
        }
        let actor = caller.actor();
        Ok(state
            .store
            .set_password(caller.user.id, &form.get("password"), &actor)
            .await?)
    }
    .await;
    match result {
        Ok(()) => see_other("/login".into()),
        Err(Error::Invalid(errors)) => {
            let view = FormView::submitted(&Submitted(Vec::new()), errors);
            let page = account_page(&state, &caller, view, FormView::default(), None).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    form: Submitted,
) -> Result<Response, PageError> {
    let created = state
        .store
        .create_api_token(&caller.user, &form.get("name"), &caller.actor())
        .await;
    match created {
        Ok((_, secret)) => {
            let page = account_page(
                &state,
                &caller,
                FormView::default(),
                FormView::default(),
                Some(secret),
            );
            render(&page.await?)
        }
        Err(error) => match Error::from(error) {
            Error::Invalid(errors) => {
                let view = FormView::submitted(&form, errors);
                let page = account_page(&state, &caller, FormView::default(), view, None).await?;
                render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
            }
            other => Err(other.into()),
        },
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    state
        .store
        .revoke_api_token(&caller.user, id, &caller.actor())
        .await?;
    see_other("/account".into())
}
