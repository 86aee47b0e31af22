use super::{render, see_other, Layout};
use crate::auth::Caller;
use crate::error::PageError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use cnscd_services::communes;
use cnscd_store::{CommuneSummary, ProvinceOverview};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct OverviewQuery {
    /// Show only communes with something to fix.
    #[serde(default)]
    problems: Option<String>,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    layout: Layout,
    overview: ProvinceOverview,
    rows: Vec<CommuneSummary>,
    only_problems: bool,
    min_members: i64,
}

pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<OverviewQuery>,
) -> Result<Response, PageError> {
    // A commune officer's home is her commune's page.
    if let Some(code) = caller.access().commune_code {
        return see_other(format!("/communes/{code}"));
    }
    let overview = communes::overview(&state.store, &caller).await?;
    let min_members = overview.min_members;
    let only_problems = query.problems.is_some_and(|p| !p.is_empty());
    let rows = overview
        .communes
        .iter()
        .filter(|c| !only_problems || c.has_problems())
        .cloned()
        .collect();
    render(&OverviewPage {
        layout: Layout::new(&caller, "Tổng quan"),
        overview,
        rows,
        only_problems,
        min_members,
    })
}
