use super::extract::ApiQuery;
use super::views::SearchView;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;

pub const RESULTS_PER_KIND: i64 = 20;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to find, with or without diacritics (`xuan binh`, `Xuân Bình`), or a phone in any writing.
    pub q: String,
}

/// Communes, teams and members whose name has a word starting with the query, ignoring diacritics, case and
/// old tone placement.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchQuery),
    responses((status = 200, body = SearchView), (status = 400, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json<SearchView>, ApiError> {
    let results =
        cnscd_services::search::search(&state.store, &caller, &query.q, RESULTS_PER_KIND).await?;
    Ok(Json(results.into()))
}
