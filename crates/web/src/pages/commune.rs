use super::form::Submitted;
use super::rounds::{round_row, RoundRow};
use super::{render, render_with, see_other, show_date, FormView, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use cnscd_domain::rules::TeamRules;
use cnscd_domain::team::TeamStatus;
use cnscd_services::communes::{self, CommuneDetail};
use cnscd_services::public;
use cnscd_store::{Commune, Decision, ImportRecord, Page, PageRequest, Team};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct CommuneQuery {
    page: Option<i64>,
    /// `dissolved` to list dissolved teams instead of active ones.
    status: Option<String>,
    /// What the last action did, said once after the redirect (`undone`: an import was undone).
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "commune.html")]
struct CommunePage {
    layout: Layout,
    commune: Commune,
    teams: Page<Team>,
    dissolved: bool,
    decisions: Vec<Decision>,
    rules: TeamRules,
    imports: Vec<ImportRecord>,
    /// The signed-in account, to offer undo on the imports it may undo.
    user_id: i64,
    is_admin: bool,
    /// Open reporting rounds with this commune's report: deadline, what is left, the state.
    /// The last says it needs her now: returned, or past the deadline and not submitted.
    rounds: Vec<(RoundRow, &'static str, Option<String>, bool)>,
    /// The public contact shown for teams whose leader has not consented, as saved or as typed.
    contact_form: FormView,
    /// The number of villages and residential groups, as saved or as typed.
    villages_form: FormView,
    contact_saved: bool,
    /// An import of this commune was just undone.
    undone: bool,
}

impl CommunePage {
    fn date(&self, date: &Option<chrono::NaiveDate>) -> String {
        show_date(date)
    }

    fn pager_base(&self) -> String {
        let status = if self.dissolved {
            "status=dissolved&"
        } else {
            ""
        };
        format!("/communes/{}?{status}", self.commune.code)
    }

    fn day(&self, date: &chrono::NaiveDate) -> String {
        show_date(&Some(*date))
    }

    fn time(&self, stamp: &str) -> String {
        cnscd_domain::clock::vietnam_time(stamp)
    }

    /// Whoever applied an import may undo it, and the province's admins.
    fn may_undo(&self, import: &ImportRecord) -> bool {
        import.undone_at.is_none()
            && self.layout.can_write()
            && (self.is_admin || import.user_id == Some(self.user_id))
    }
}

pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    super::PageQuery(query): super::PageQuery<CommuneQuery>,
) -> Result<Response, PageError> {
    render(&load(&state, &caller, &code, &query, None, None).await?)
}

/// The commune's page, with the public contact form as typed when `contact_form` is given.
async fn load(
    state: &AppState,
    caller: &Caller,
    code: &str,
    query: &CommuneQuery,
    contact_form: Option<FormView>,
    villages_form: Option<FormView>,
) -> Result<CommunePage, Error> {
    let dissolved = query.status.as_deref() == Some("dissolved");
    let status = if dissolved {
        TeamStatus::Dissolved
    } else {
        TeamStatus::Active
    };
    let page = PageRequest::new(query.page, None);
    let CommuneDetail {
        commune,
        teams,
        decisions,
        rules,
        imports,
    } = communes::detail(&state.store, caller, code, status, page).await?;
    let now = state.store.clock().now();
    let rounds = cnscd_services::rounds::of_commune(&state.store, caller, code)
        .await?
        .into_iter()
        .filter(|(round, report)| cnscd_services::rounds::needs_action(round, report))
        .map(|(round, report)| {
            let label = report.state.label(report.submissions);
            let reason = report
                .return_reason
                .filter(|_| report.state == cnscd_domain::round::ReportState::Returned);
            let urgent =
                reason.is_some() || (report.first_submitted_at.is_none() && round.deadline < now);
            (round_row(round, now), label, reason, urgent)
        })
        .collect();
    let contact = public::commune_contact(&state.store, caller, code).await?;
    let villages = public::villages(&state.store, caller, code).await?;
    let contact_saved = contact.is_some();
    let contact_form = contact_form.unwrap_or_else(|| match contact {
        Some(c) => {
            FormView::with_values([("label", c.label.clone()), ("phone", c.phone_grouped())])
        }
        None => FormView::default(),
    });
    let villages_form = villages_form.unwrap_or_else(|| {
        FormView::with_values([(
            "villages",
            villages.map(|v| v.to_string()).unwrap_or_default(),
        )])
    });
    Ok(CommunePage {
        villages_form,
        layout: Layout::new(caller, commune.name.clone()),
        commune,
        teams,
        dissolved,
        decisions,
        rules,
        imports,
        user_id: caller.user.id,
        is_admin: caller.access().is_admin(),
        rounds,
        contact_form,
        contact_saved,
        undone: query.done.as_deref() == Some("undone"),
    })
}

/// Saves the commune's public contact; on a problem, the page again with the form as typed.
pub async fn set_contact(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let saved = public::set_commune_contact(
        &state.store,
        &caller,
        &code,
        &form.get("label"),
        &form.get("phone"),
    )
    .await;
    let error = match saved {
        Ok(_) => return see_other(format!("/communes/{code}#contact")),
        Err(error) => Error::from(error),
    };
    let Some(errors) = error.field_errors() else {
        return Err(error.into());
    };
    let query = CommuneQuery::default();
    let view = FormView::submitted(&form, errors);
    render_with(
        error.status(),
        &load(&state, &caller, &code, &query, Some(view), None).await?,
    )
}

/// Saves the commune's number of villages; on a problem, the page again with the number as typed.
pub async fn set_villages(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let error =
        match public::set_villages(&state.store, &caller, &code, &form.get("villages")).await {
            Ok(_) => return see_other(format!("/communes/{code}#villages")),
            Err(error) => Error::from(error),
        };
    let Some(errors) = error.field_errors() else {
        return Err(error.into());
    };
    let query = CommuneQuery::default();
    let view = FormView::submitted(&form, errors);
    render_with(
        error.status(),
        &load(&state, &caller, &code, &query, None, Some(view)).await?,
    )
}
