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
    })
}
