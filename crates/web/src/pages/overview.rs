use super::{render, Layout};
use crate::error::PageError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
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
    Query(query): Query<OverviewQuery>,
) -> Result<Response, PageError> {
    let overview = state.store.province_overview(&state.province.code).await?;
    let rules = state.store.team_rules(&state.province.code).await?;
    let only_problems = query.problems.is_some_and(|p| !p.is_empty());
    let rows = overview
        .communes
        .iter()
        .filter(|c| !only_problems || c.has_problems())
        .cloned()
        .collect();
    render(&OverviewPage {
        layout: Layout::new(&state, "Tổng quan"),
        overview,
        rows,
        only_problems,
        min_members: rules.min_members,
    })
}
