use super::form::Submitted;
use super::history::{rows, HistoryRow};
use super::team::TeamPage;
use super::{render, render_with, see_other, FormView, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use cnscd_domain::clock::vietnam_time;
use cnscd_domain::date::format_date;
use cnscd_domain::member::MemberDraft;
use cnscd_domain::public::ConsentMethod;
use cnscd_domain::role::Role;
use cnscd_services::{members, public};
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
    caller: Caller,
    Path(team_id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    match members::add(&state.store, &caller, team_id, &draft(&form)).await {
        Ok(_) => see_other(format!("/teams/{team_id}")),
        Err(error) => {
            let error = Error::from(error);
            let Some(errors) = error.field_errors() else {
                return Err(error.into());
            };
            let view = FormView::submitted(&form, errors);
            let page = TeamPage::load(&state, &caller, team_id, view, None).await?;
            render_with(error.status(), &page)
        }
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
    /// The consent in force to be named with her phone on the public pages, described.
    consent: Option<String>,
    /// The consent was for another phone: her number now is not public until she consents again.
    consent_stale: bool,
    consent_methods: [ConsentMethod; 2],
    /// Her training classes: (class id, topic, when, where she stands).
    trainings: Vec<(i64, String, String, String)>,
}

fn member_values(member: &Member, today: &str) -> FormView {
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
        ("left_on", today.to_string()),
    ])
}

/// The edit page of a member, with `form` (or, when `None`, the member's current values).
async fn edit_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    form: Option<FormView>,
) -> Result<EditMemberPage, Error> {
    let (member, history) = members::detail(&state.store, caller, id).await?;
    let today = format_date(state.store.clock().today());
    let consent = public::consent(&state.store, caller, id).await?;
    // A consent given for a number she no longer has does not cover her new one.
    let consent_stale = consent.as_ref().is_some_and(|c| c.phone != member.phone);
    let consent = consent.map(|c| {
        let phone = c
            .phone
            .map(|p| cnscd_domain::phone::Phone::from_stored(p).grouped())
            .unwrap_or_else(|| "không có số".into());
        format!(
            "{} (số {phone}), ghi nhận bởi {} lúc {}",
            c.method.label(),
            c.recorded_by,
            vietnam_time(&c.recorded_at)
        )
    });
    Ok(EditMemberPage {
        layout: Layout::new(caller, format!("Sửa {}", member.full_name)),
        form: form.unwrap_or_else(|| member_values(&member, &today)),
        member,
        roles: Role::ALL,
        today,
        history: rows(&history),
        consent,
        consent_stale,
        consent_methods: ConsentMethod::ALL,
        trainings: cnscd_services::training::of_member(&state.store, caller, id)
            .await?
            .into_iter()
            .map(|(r, class)| {
                let standing = match (class.is_cancelled(), r.attendance) {
                    (true, _) => "lớp đã huỷ".to_string(),
                    (false, Some(a)) => a.label().to_lowercase(),
                    (false, None) => r.seat.label().to_lowercase(),
                };
                let when = cnscd_domain::round::show_instant(class.starts_at);
                (class.id, class.topic, when, standing)
            })
            .collect(),
    })
}

pub async fn edit_form(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    render(&edit_page(&state, &caller, id, None).await?)
}

/// Answers a member change: back to the team, or the form again with the errors or, after a conflict, the
/// newer version.
async fn answer(
    state: &AppState,
    caller: &Caller,
    id: i64,
    form: &Submitted,
    result: Result<i64, cnscd_services::Error>,
) -> Result<Response, PageError> {
    let error = match result {
        Ok(team_id) => return see_other(format!("/teams/{team_id}")),
        Err(error) => Error::from(error),
    };
    if let Some(errors) = error.field_errors() {
        let view = FormView::submitted(form, errors);
        return render_with(
            error.status(),
            &edit_page(state, caller, id, Some(view)).await?,
        );
    }
    if let Error::Conflict { current_version } = error {
        let mut page = edit_page(state, caller, id, None).await?;
        let member = &page.member;
        let theirs = [
            ("Họ tên", member.full_name.clone()),
            ("Chức vụ", member.role.label().to_string()),
            ("Số điện thoại", member.phone_grouped().unwrap_or_default()),
            ("Ghi chú", member.note.clone()),
        ];
        page.form = FormView::after_conflict(form, current_version, &theirs);
        return render_with(StatusCode::CONFLICT, &page);
    }
    Err(error.into())
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let result = members::update(&state.store, &caller, id, form.version(), &draft(&form))
        .await
        .map(|saved| saved.member.team_id);
    answer(&state, &caller, id, &form, result).await
}

pub async fn make_leader(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let result = members::make_leader(&state.store, &caller, id, form.version())
        .await
        .map(|member| member.team_id);
    answer(&state, &caller, id, &form, result).await
}

pub async fn leave(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let on = form.get("left_on");
    let result = members::leave(&state.store, &caller, id, form.version(), Some(&on))
        .await
        .map(|member| member.team_id);
    answer(&state, &caller, id, &form, result).await
}

/// Records the member's consent to be named with her phone on the public pages.
pub async fn give_consent(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    public::give_consent(&state.store, &caller, id, &form.get("method"))
        .await
        .map_err(Error::from)?;
    see_other(format!("/members/{id}/edit#consent"))
}

pub async fn withdraw_consent(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    public::withdraw_consent(&state.store, &caller, id)
        .await
        .map_err(Error::from)?;
    see_other(format!("/members/{id}/edit#consent"))
}
