use super::{render, see_other, Layout};
use crate::auth::Caller;
use crate::error::PageError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use cnscd_services::communes::{OverviewFilter, OverviewSort};
use cnscd_store::{CommuneSummary, ProvinceOverview};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct OverviewQuery {
    /// Which communes to list (`blocking`, `no_team`, `no_phone`, …).
    #[serde(default)]
    filter: String,
    /// The column to order by (`teams`, `members`, `no_leader`, …); by name otherwise.
    #[serde(default)]
    sort: String,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    layout: Layout,
    overview: std::sync::Arc<ProvinceOverview>,
    rows: Vec<CommuneSummary>,
    filter: OverviewFilter,
    sort: OverviewSort,
    filters: [OverviewFilter; 7],
    min_members: i64,
}

impl OverviewPage {
    /// A column header's link: sorts by it, keeping the filter.
    fn sort_link(&self, sort: &str) -> String {
        format!("/?filter={}&sort={sort}", self.filter.code())
    }

    fn sorted_by(&self, sort: &str) -> bool {
        self.sort.code() == sort
    }
}

pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    super::PageQuery(query): super::PageQuery<OverviewQuery>,
) -> Result<Response, PageError> {
    // A commune officer's home is her commune's page.
    if let Some(code) = caller.access().commune_code {
        return see_other(format!("/communes/{code}"));
    }
    let overview = state.overview(&caller).await?;
    let min_members = overview.min_members;
    let filter = OverviewFilter::from_code(&query.filter);
    let sort = OverviewSort::from_code(&query.sort);
    let mut rows: Vec<CommuneSummary> = overview
        .communes
        .iter()
        .filter(|c| filter.keeps(c))
        .cloned()
        .collect();
    sort.apply(&mut rows);
    render(&OverviewPage {
        layout: Layout::new(&caller, "Tổng quan"),
        overview,
        rows,
        filter,
        sort,
        filters: OverviewFilter::ALL,
        min_members,
    })
}
