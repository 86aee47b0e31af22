use super::form::Submitted;
use super::team::TeamPage;
use super::{render, render_with, see_other, FormView, Layout};
use crate::error::{Error, PageError};
use crate::scope;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use cnscd_domain::date::{format_date, parse_date};
use cnscd_domain::member::MemberDraft;
use cnscd_domain::role::Role;
use cnscd_store::Member;

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
    Path(team_id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    scope::team(&state, team_id).await?;
    let result: Result<_, Error> = async {
        let member = draft(&form).validate()?;
        Ok(state.store.add_member(team_id, &member).await?)
    }
    .await;
    match result {
        Ok(_) => see_other(format!("/teams/{team_id}")),
        Err(Error::Invalid(errors)) => {
            let page = TeamPage::load(&state, team_id, FormView::submitted(&form, errors)).await?;
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

fn edit_page(state: &AppState, member: Member, form: FormView) -> EditMemberPage {
    EditMemberPage {
        layout: Layout::new(state, format!("Sửa {}", member.full_name)),
        member,
        form,
        roles: Role::ALL,
        today: format_date(Utc::now().date_naive()),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let member = scope::member(&state, id).await?;
    let form = member_values(&member);
    render(&edit_page(&state, member, form))
}

/// Answers a failed member change: the form again, with the errors or, after a conflict, the newer version.
async fn member_form_failed(
    state: &AppState,
    id: i64,
    form: &Submitted,
    error: Error,
) -> Result<Response, PageError> {
    let member = scope::member(state, id).await?;
    match error {
        Error::Invalid(errors) => render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &edit_page(state, member, FormView::submitted(form, errors)),
        ),
        Error::Conflict { .. } => {
            let mut view = member_values(&member);
            view.notice = Some(format!(
                "{error} Dưới đây là thông tin mới nhất của thành viên."
            ));
            render_with(StatusCode::CONFLICT, &edit_page(state, member, view))
        }
        other => Err(other.into()),
    }
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let member = scope::member(&state, id).await?;
    let result: Result<_, Error> = async {
        let valid = draft(&form).validate()?;
        Ok(state
            .store
            .update_member(id, form.version(), &valid)
            .await?)
    }
    .await;
    match result {
        Ok(_) => see_other(format!("/teams/{}", member.team_id)),
        Err(error) => member_form_failed(&state, id, &form, error).await,
    }
}

pub async fn make_leader(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let member = scope::member(&state, id).await?;
    match state.store.make_leader(id, form.version()).await {
        Ok(_) => see_other(format!("/teams/{}", member.team_id)),
        Err(error) => member_form_failed(&state, id, &form, error.into()).await,
    }
}

pub async fn leave(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let member = scope::member(&state, id).await?;
    let result: Result<_, Error> = async {
        let on = parse_date("left_on", &form.get("left_on"))?;
        Ok(state.store.member_leaves(id, form.version(), on).await?)
    }
    .await;
    match result {
        Ok(_) => see_other(format!("/teams/{}", member.team_id)),
        Err(error) => member_form_failed(&state, id, &form, error).await,
    }
}
