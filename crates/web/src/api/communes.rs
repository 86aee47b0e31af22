use super::extract::{ApiPath, ApiQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::scope::{self, Intent};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use cnscd_store::{Commune, Page, PageRequest, ProvinceOverview};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct Paging {
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Rows per page (1–500, default 50).
    pub per_page: Option<i64>,
}

impl Paging {
    pub fn request(&self) -> PageRequest {
        PageRequest::new(self.page, self.per_page)
    }
}

/// The working province: every commune with its numbers of teams and members and what is missing.
#[utoipa::path(get, path = "/api/v1/overview", tag = "communes",
    responses((status = 200, body = ProvinceOverview)))]
pub async fn overview(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<ProvinceOverview>, ApiError> {
    scope::whole_province(&caller)?;
    Ok(Json(
        state
            .store
            .province_overview(&caller.user.province_code)
            .await?,
    ))
}

/// Communes of the working province, in Vietnamese alphabetical order.
#[utoipa::path(get, path = "/api/v1/communes", tag = "communes", params(Paging),
    responses((status = 200, body = Page<Commune>), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<Page<Commune>>, ApiError> {
    let access = caller.access();
    let all: Vec<Commune> = state
        .store
        .communes(&access.province_code)
        .await?
        .into_iter()
        .filter(|c| access.can_read(&c.province_code, &c.code))
        .collect();
    let request = paging.request();
    let items = all
        .iter()
        .skip(request.offset() as usize)
        .take(request.per_page as usize)
        .cloned()
        .collect();
    Ok(Json(Page {
        items,
        total: all.len() as i64,
        page: request.page,
        per_page: request.per_page,
    }))
}

#[utoipa::path(get, path = "/api/v1/communes/{code}", tag = "communes",
    params(("code" = String, Path, description = "Mã xã/phường, 5 chữ số")),
    responses((status = 200, body = Commune), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Commune>, ApiError> {
    Ok(Json(
        scope::commune(&state, &caller, &code, Intent::Read).await?,
    ))
}
