use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::views::DecisionView;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use cnscd_domain::decision::DecisionDraft;
use cnscd_services::decisions;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DecisionQuery {
    /// The commune whose decisions to list (5-digit code).
    pub commune: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewDecision {
    pub commune_code: String,
    #[serde(flatten)]
    pub decision: DecisionDraft,
    /// The teams this decision establishes or reorganises.
    #[serde(default)]
    pub team_ids: Vec<i64>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DecisionUpdate {
    #[serde(flatten)]
    pub decision: DecisionDraft,
    #[serde(default)]
    pub team_ids: Vec<i64>,
    pub version: i64,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DecisionVersion {
    /// The decision's `version` as you read it.
    pub version: i64,
}

/// Decisions of a commune, newest first.
#[utoipa::path(get, path = "/api/v1/decisions", tag = "decisions", params(DecisionQuery),
    responses((status = 200, body = Vec<DecisionView>), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<DecisionQuery>,
) -> Result<Json<Vec<DecisionView>>, ApiError> {
    let found = decisions::of_commune(&state.store, &caller, &query.commune).await?;
    Ok(Json(found.into_iter().map(Into::into).collect()))
}

/// Records a decision (number like `01/QĐ-UBND`, date, signer) and the teams it covers.
#[utoipa::path(post, path = "/api/v1/decisions", tag = "decisions", request_body = NewDecision,
    responses((status = 201, body = DecisionView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NewDecision>,
) -> Result<(StatusCode, Json<DecisionView>), ApiError> {
    let saved = decisions::create(
        &state.store,
        &caller,
        &input.commune_code,
        &input.decision,
        &input.team_ids,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

#[utoipa::path(get, path = "/api/v1/decisions/{id}", tag = "decisions", params(("id" = i64, Path)),
    responses((status = 200, body = DecisionView), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DecisionView>, ApiError> {
    Ok(Json(
        decisions::get(&state.store, &caller, id).await?.into(),
    ))
}

#[utoipa::path(put, path = "/api/v1/decisions/{id}", tag = "decisions", params(("id" = i64, Path)),
    request_body = DecisionUpdate,
    responses((status = 200, body = DecisionView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DecisionUpdate>,
) -> Result<Json<DecisionView>, ApiError> {
    let saved = decisions::update(
        &state.store,
        &caller,
        id,
        input.version,
        &input.decision,
        &input.team_ids,
    )
    .await?;
    Ok(Json(saved.into()))
}

/// Removes a decision recorded by mistake; its teams stay.
#[utoipa::path(delete, path = "/api/v1/decisions/{id}", tag = "decisions", params(("id" = i64, Path), DecisionVersion),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<DecisionVersion>,
) -> Result<StatusCode, ApiError> {
    decisions::delete(&state.store, &caller, id, query.version).await?;
    Ok(StatusCode::NO_CONTENT)
}
