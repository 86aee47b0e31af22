use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::scope::{self, Intent};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use cnscd_domain::decision::DecisionDraft;
use cnscd_store::Decision;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
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
pub struct DecisionVersion {
    pub version: i64,
}

/// Decisions of a commune, newest first.
#[utoipa::path(get, path = "/api/v1/decisions", tag = "decisions", params(DecisionQuery),
    responses((status = 200, body = Vec<Decision>), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<DecisionQuery>,
) -> Result<Json<Vec<Decision>>, ApiError> {
    scope::commune(&state, &caller, &query.commune, Intent::Read).await?;
    Ok(Json(state.store.commune_decisions(&query.commune).await?))
}

/// Records a decision (number like `01/QĐ-UBND`, date, signer) and the teams it covers.
#[utoipa::path(post, path = "/api/v1/decisions", tag = "decisions", request_body = NewDecision,
    responses((status = 201, body = Decision), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NewDecision>,
) -> Result<(StatusCode, Json<Decision>), ApiError> {
    scope::commune(&state, &caller, &input.commune_code, Intent::Change).await?;
    let decision = input.decision.validate()?;
    let saved = state
        .store
        .create_decision(
            &input.commune_code,
            &decision,
            &input.team_ids,
            &caller.actor(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

#[utoipa::path(get, path = "/api/v1/decisions/{id}", tag = "decisions", params(("id" = i64, Path)),
    responses((status = 200, body = Decision), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Decision>, ApiError> {
    Ok(Json(
        scope::decision(&state, &caller, id, Intent::Read).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/decisions/{id}", tag = "decisions", params(("id" = i64, Path)),
    request_body = DecisionUpdate,
    responses((status = 200, body = Decision), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DecisionUpdate>,
) -> Result<Json<Decision>, ApiError> {
    scope::decision(&state, &caller, id, Intent::Change).await?;
    let decision = input.decision.validate()?;
    Ok(Json(
        state
            .store
            .update_decision(
                id,
                input.version,
                &decision,
                &input.team_ids,
                &caller.actor(),
            )
            .await?,
    ))
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
    scope::decision(&state, &caller, id, Intent::Change).await?;
    state
        .store
        .delete_decision(id, query.version, &caller.actor())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
