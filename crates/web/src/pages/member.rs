use super::form::Submitted;
use super::history::{rows, HistoryRow};
use super::team::TeamPage;
use super::{render, render_with, see_other, FormView, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::scope::{self, Intent};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use cnscd_domain::date::{format_date, parse_date};
use cnscd_domain::member::MemberDraft;
use cnscd_domain::role::Role;
use cnscd_store::{Member, ObjectKind};

fn draft(form: &Submitted) -> MemberDraft {
    MemberDraft {
        full_name: form.get("full_name"),
        role: form.get("role"),
        phone: form.get("phone"),
        note: form.get("note"),
        joined_on: form.get("joined_on"),
    }
}

/// Adds a member from the form on the team page; on a problem, the team page again with the form as typed.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(team_id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    scope::team(&state, &caller, team_id, Intent::Change).await?;
    let result: Result<_, Error> = async {
        let member = draft(&form).validate()?;
        Ok(state
            .store
            .add_member(team_id, &member, &caller.actor())
            .await?)
    }
    .await;
    match result {
        Ok(_) => see_other(format!("/teams/{team_id}")),
        Err(Error::Invalid(errors)) => {
            let page = TeamPage::load(&state, &caller, team_id, FormView::submitted(&form, errors))
                .await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "member_edit.html")]
struct EditMemberPage {
    layout: Layout,
    member: Member,
    form: FormView,
    roles: [Role; 3],
    today: String,
    history: Vec<HistoryRow>,
}

fn member_values(member: &Member) -> FormView {
    FormView::with_values([
        ("full_name", member.full_name.clone()),
        ("role", member.role.code().to_string()),
        ("phone", member.phone_grouped().unwrap_or_default()),
        ("note", member.note.clone()),
        (
            "joined_on",
            member.joined_on.map(format_date).unwrap_or_default(),
        ),
        ("version", member.version.to_string()),
        ("left_on", format_date(Utc::now().date_naive())),
    ])
}

async fn edit_page(
    state: &AppState,
    caller: &Caller,
    member: Member,
    form: FormView,
) -> Result<EditMemberPage, Error> {
    let history = state
        .store
        .object_history(ObjectKind::Member, &member.id.to_string(), 30)
        .await?;
    Ok(EditMemberPage {
        layout: Layout::new(caller, format!("Sửa {}", member.full_name)),
        member,
        form,
        roles: Role::ALL,
        today: format_date(Utc::now().date_naive()),
        history: rows(&history),
    })
}

pub async fn edit_form(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let member = scope::member(&state, &caller, id, Intent::Read).await?;
    let form = member_values(&member);
    render(&edit_page(&state, &caller, member, form).await?)
}

/// Answers a failed member change: the form again, with the errors or, after a conflict, the newer version.
async fn member_form_failed(
    state: &AppState,
    caller: &Caller,
    id: i64,
    form: &Submitted,
    error: Error,
) -> Result<Response, PageError> {
    let member = scope::member(state, caller, id, Intent::Read).await?;
    match error {
        Error::Invalid(errors) => render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &edit_page(state, caller, member, FormView::submitted(form, errors)).await?,
        ),
        Error::Conflict { .. } => {
            let mut view = member_values(&member);
            view.notice = Some(format!(
                "{error} Dưới đây là thông tin mới nhất của thành viên."
            ));
            render_with(
                StatusCode::CONFLICT,
                &edit_page(state, caller, member, view).await?,
            )
        }
        other => Err(other.into()),
    }
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let member = scope::member(&state, &caller, id, Intent::Change).await?;
    let result: Result<_, Error> = async {
        let valid = draft(&form).validate()?;
        Ok(state
            .store
            .update_member(id, form.version(), &valid, &caller.actor())
            .await?)
    }
    .await;
    match result {
        Ok(_) => see_other(format!("/teams/{}", member.team_id)),
        Err(error) => member_form_failed(&state, &caller, id, &form, error).await,
    }
}

pub async fn make_leader(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let member = scope::member(&state, &caller, id, Intent::Change).await?;
    match state
        .store
        .make_leader(id, form.version(), &caller.actor())
        .await
    {
        Ok(_) => see_other(format!("/teams/{}", member.team_id)),
        Err(error) => member_form_failed(&state, &caller, id, &form, error.into()).await,
    }
}

pub async fn leave(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let member = scope::member(&state, &caller, id, Intent::Change).await?;
    let result: Result<_, Error> = async {
        let on = parse_date("left_on", &form.get("left_on"))?;
        Ok(state
            .store
            .member_leaves(id, form.version(), on, &caller.actor())
            .await?)
    }
    .await;
    match result {
        Ok(_) => see_other(format!("/teams/{}", member.team_id)),
        Err(error) => member_form_failed(&state, &caller, id, &form, error).await,
    }
}
