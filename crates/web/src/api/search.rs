use super::extract::ApiQuery;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::scope;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use cnscd_store::SearchResults;
use serde::Deserialize;

pub const RESULTS_PER_KIND: i64 = 20;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SearchQuery {
    /// Words to find, with or without diacritics (`xuan binh`, `Xuân Bình`).
    pub q: String,
}

/// Communes, teams and members whose name has a word starting with the query, ignoring diacritics, case and
/// old tone placement.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 400, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json<SearchResults>, ApiError> {
    Ok(Json(
        scope::search(&state, &caller, &query.q, RESULTS_PER_KIND).await?,
    ))
}
