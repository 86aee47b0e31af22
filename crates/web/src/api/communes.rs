use super::extract::{ApiPath, ApiQuery};
use super::views::{CommuneView, OverviewView, PageView};
use super::Paging;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use cnscd_services::communes;
use cnscd_store::ProvinceOverview;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommuneQuery {
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Rows per page (1–500, default 50).
    pub per_page: Option<i64>,
}

/// The working province: every commune with its numbers of teams and members and what is missing.
#[utoipa::path(get, path = "/api/v1/overview", tag = "communes",
    responses((status = 200, body = OverviewView), (status = 403, body = ErrorBody)))]
pub async fn overview(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<OverviewView>, ApiError> {
    let overview = state.overview(&caller).await?;
    Ok(Json(ProvinceOverview::clone(&overview).into()))
}

/// Communes of the working province (an officer's own), in Vietnamese alphabetical order.
#[utoipa::path(get, path = "/api/v1/communes", tag = "communes", params(CommuneQuery),
    responses((status = 200, body = PageView<CommuneView>), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<CommuneQuery>,
) -> Result<Json<PageView<CommuneView>>, ApiError> {
    let all = communes::readable(&state.store, &caller).await?;
    let request = Paging::new(query.page, query.per_page);
    let total = all.len() as i64;
    let items = all
        .into_iter()
        .skip(request.offset() as usize)
        .take(request.per_page as usize)
        .map(Into::into)
        .collect();
    Ok(Json(PageView {
        items,
        total,
        page: request.page,
        per_page: request.per_page,
    }))
}

#[utoipa::path(get, path = "/api/v1/communes/{code}", tag = "communes",
    params(("code" = String, Path, description = "Mã xã/phường, 5 chữ số")),
    responses((status = 200, body = CommuneView), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<CommuneView>, ApiError> {
    Ok(Json(
        communes::get(&state.store, &caller, &code).await?.into(),
    ))
}
