use super::rounds::{round_row, RoundRow};
use super::{render, show_date, Layout};
use crate::auth::Caller;
use crate::error::PageError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use cnscd_domain::rules::TeamRules;
use cnscd_domain::team::TeamStatus;
use cnscd_services::communes::{self, CommuneDetail};
use cnscd_store::{Commune, Decision, ImportRecord, Page, PageRequest, Team};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct CommuneQuery {
    page: Option<i64>,
    /// `dissolved` to list dissolved teams instead of active ones.
    status: Option<String>,
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
    Query(query): Query<CommuneQuery>,
) -> Result<Response, PageError> {
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
    } = communes::detail(&state.store, &caller, &code, status, page).await?;
    let now = state.store.clock().now();
    let rounds = cnscd_services::rounds::of_commune(&state.store, &caller, &code)
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
    render(&CommunePage {
        layout: Layout::new(&caller, commune.name.clone()),
        commune,
        teams,
        dissolved,
        decisions,
        rules,
        imports,
        user_id: caller.user.id,
        is_admin: caller.access().is_admin(),
        rounds,
    })
}
