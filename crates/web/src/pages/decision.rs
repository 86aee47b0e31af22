use super::form::Submitted;
use super::{render, render_with, see_other, FormView, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::scope::{self, Intent};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use cnscd_domain::date::format_date;
use cnscd_domain::decision::DecisionDraft;
use cnscd_domain::team::TeamStatus;
use cnscd_store::{Commune, Decision, PageRequest, Team, TeamFilter};

/// A commune's teams all fit on the decision form (a commune has at most a few hundred).
const TEAMS_ON_FORM: i64 = 500;

#[derive(Template)]
#[template(path = "decision_form.html")]
struct DecisionPage {
    layout: Layout,
    commune: Commune,
    /// The decision being edited; none for a new one.
    decision_id: Option<i64>,
    teams: Vec<Team>,
    form: FormView,
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
    commune: Commune,
    decision_id: Option<i64>,
    form: FormView,
) -> Result<DecisionPage, Error> {
    let filter = TeamFilter {
        province_code: None,
        commune_code: Some(commune.code.clone()),
        status: Some(TeamStatus::Active),
    };
    let teams = state
        .store
        .teams(&filter, PageRequest::new(Some(1), Some(TEAMS_ON_FORM)))
        .await?
        .items;
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

pub async fn new_form(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let commune = scope::commune(&state, &caller, &code, Intent::Read).await?;
    let form = FormView::with_values([("kind", "establish")]);
    render(&decision_page(&state, &caller, commune, None, form).await?)
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let commune = scope::commune(&state, &caller, &code, Intent::Change).await?;
    let result: Result<_, Error> = async {
        let decision = draft(&form).validate()?;
        Ok(state
            .store
            .create_decision(&code, &decision, &team_ids(&form), &caller.actor())
            .await?)
    }
    .await;
    match result {
        Ok(_) => see_other(format!("/communes/{code}")),
        Err(Error::Invalid(errors)) => {
            let page = decision_page(
                &state,
                &caller,
                commune,
                None,
                FormView::submitted(&form, errors),
            )
            .await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(other) => Err(other.into()),
    }
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

pub async fn edit_form(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let decision = scope::decision(&state, &caller, id, Intent::Read).await?;
    let commune = scope::commune(&state, &caller, &decision.commune_code, Intent::Read).await?;
    render(
        &decision_page(
            &state,
            &caller,
            commune,
            Some(id),
            decision_values(&decision),
        )
        .await?,
    )
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let decision = scope::decision(&state, &caller, id, Intent::Change).await?;
    let commune = scope::commune(&state, &caller, &decision.commune_code, Intent::Change).await?;
    let result: Result<_, Error> = async {
        let valid = draft(&form).validate()?;
        Ok(state
            .store
            .update_decision(
                id,
                form.version(),
                &valid,
                &team_ids(&form),
                &caller.actor(),
            )
            .await?)
    }
    .await;
    match result {
        Ok(_) => see_other(format!("/communes/{}", commune.code)),
        Err(Error::Invalid(errors)) => {
            let page = decision_page(
                &state,
                &caller,
                commune,
                Some(id),
                FormView::submitted(&form, errors),
            )
            .await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(error @ Error::Conflict { .. }) => {
            let current = scope::decision(&state, &caller, id, Intent::Change).await?;
            let mut view = decision_values(&current);
            view.notice = Some(format!(
                "{error} Dưới đây là thông tin mới nhất của quyết định."
            ));
            render_with(
                StatusCode::CONFLICT,
                &decision_page(&state, &caller, commune, Some(id), view).await?,
            )
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Submitted,
) -> Result<Response, PageError> {
    let decision = scope::decision(&state, &caller, id, Intent::Change).await?;
    state
        .store
        .delete_decision(id, form.version(), &caller.actor())
        .await?;
    see_other(format!("/communes/{}", decision.commune_code))
}
