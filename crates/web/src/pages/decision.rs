use super::form::Submitted;
use super::{render, render_with, see_other, FormView, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use cnscd_domain::date::format_date;
use cnscd_domain::decision::DecisionDraft;
use cnscd_services::decisions;
use cnscd_store::{Commune, Decision, Team};

#[derive(Template)]
#[template(path = "decision_form.html")]
struct DecisionPage {
    layout: Layout,
    commune: Commune,
    /// The decision being edited; none for a new one.
    decision_id: Option<i64>,
    teams: Vec<Team>,
    form: FormView,
    /// The decision already recorded under the number typed, when that was the problem.
    existing: Option<i64>,
}

impl DecisionPage {
    fn action(&self) -> String {
        match self.decision_id {
            Some(id) => format!("/decisions/{id}/edit"),
            None => format!("/communes/{}/decisions/new", self.commune.code),
        }
    }
}

async fn decision_page(
    state: &AppState,
    caller: &Caller,
    commune_code: &str,
    decision_id: Option<i64>,
    form: FormView,
) -> Result<DecisionPage, Error> {
    let (commune, teams) = decisions::form_teams(&state.store, caller, commune_code).await?;
    let title = if decision_id.is_some() {
        "Sửa quyết định"
    } else {
        "Ghi quyết định"
    };
    Ok(DecisionPage {
        layout: Layout::new(caller, title),
        commune,
        decision_id,
        teams,
        form,
        existing: None,
    })
}

fn draft(form: &Submitted) -> DecisionDraft {
    DecisionDraft {
        number: form.get("number"),
        signed_on: form.get("signed_on"),
        signer: form.get("signer"),
        kind: form.get("kind"),
    }
}

fn team_ids(form: &Submitted) -> Vec<i64> {
    form.all("team_ids")
        .iter()
        .filter_map(|id| id.parse().ok())
        .collect()
}

#[derive(serde::Deserialize)]
pub struct NewDecisionQuery {
    /// The team the form was opened from: ticked already.
    team: Option<i64>,
}

pub async fn new_form(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    super::PageQuery(query): super::PageQuery<NewDecisionQuery>,
) -> Result<Response, PageError> {
    let mut values = vec![("kind".to_string(), "establish".to_string())];
    if let Some(team) = query.team {
        values.push(("team_ids".to_string(), team.to_string()));
    }
    let form = FormView::with_values(values);
    render(&decision_page(&state, &caller, &code, None, form).await?)
}

fn decision_values(decision: &Decision) -> FormView {
    let mut pairs = vec![
        ("number".to_string(), decision.number.clone()),
        ("signed_on".to_string(), format_date(decision.signed_on)),
        ("signer".to_string(), decision.signer.clone()),
        ("kind".to_string(), decision.kind.code().to_string()),
        ("version".to_string(), decision.version.to_string()),
    ];
    pairs.extend(
        decision
            .team_ids
            .iter()
            .map(|id| ("team_ids".to_string(), id.to_string())),
    );
    FormView::with_values(pairs)
}

/// Answers a saved decision: back to its commune, or the form again with the errors or, after a conflict,
/// the newer version.
async fn answer(
    state: &AppState,
    caller: &Caller,
    commune_code: &str,
    decision_id: Option<i64>,
    form: &Submitted,
    result: Result<Decision, cnscd_services::Error>,
) -> Result<Response, PageError> {
    let error = match result {
        Ok(decision) => return see_other(format!("/communes/{}", decision.commune_code)),
        Err(error) => Error::from(error),
    };
    if let Some(errors) = error.field_errors() {
        let duplicate = errors.0.iter().any(|e| e.code == "decision_duplicate");
        let view = FormView::submitted(form, errors);
        let mut page = decision_page(state, caller, commune_code, decision_id, view).await?;
        if duplicate {
            page.existing =
                decisions::recorded(&state.store, caller, commune_code, &draft(form)).await?;
        }
        return render_with(error.status(), &page);
    }
    if let (Error::Conflict { current_version }, Some(id)) = (&error, decision_id) {
        let current = decisions::get(&state.store, caller, id).await?;
        let theirs = [
            ("Số", current.number.clone()),
            ("Ngày ký", format_date(current.signed_on)),
            ("Người ký", current.signer.clone()),
            ("Số tổ", current.team_ids.len().to_string()),
        ];
        let view = FormView::after_conflict(form, *current_version, &theirs);
        let page = decision_page(state, caller, commune_code, decision_id, view).await?;
        return render_with(StatusCode::CONFLICT, &page);
    }
    Err(error.into())
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let result = decisions::create(
        &state.store,
        &caller,
        &code,
        &draft(&form),
        &team_ids(&form),
    )
    .await;
    answer(&state, &caller, &code, None, &form, result).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let decision = decisions::get(&state.store, &caller, id).await?;
    let form = decision_values(&decision);
    render(&decision_page(&state, &caller, &decision.commune_code, Some(id), form).await?)
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let decision = decisions::get(&state.store, &caller, id).await?;
    let result = decisions::update(
        &state.store,
        &caller,
        id,
        form.version(),
        &draft(&form),
        &team_ids(&form),
    )
    .await;
    answer(
        &state,
        &caller,
        &decision.commune_code,
        Some(id),
        &form,
        result,
    )
    .await
}

pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let commune = decisions::delete(&state.store, &caller, id, form.version()).await?;
    see_other(format!("/communes/{commune}"))
}
