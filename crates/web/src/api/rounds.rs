use super::extract::{ApiJson, ApiJsonOrNothing, ApiPath};
use super::round_views::{BoardLineView, FiguresView, IndicatorView, ReportView, RoundView};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use cnscd_domain::round::{Completeness, FigureInput, IndicatorDraft, NarrativeDraft, RoundDraft};
use cnscd_services::rounds;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RoundUpdate {
    #[serde(flatten)]
    pub round: RoundDraft,
    pub version: i64,
}

/// The version read, to detect a simultaneous change (optional: without it the change applies to the
/// current version).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct VersionOnly {
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Extension {
    /// The new deadline, later than the current one (RFC 3339 with offset, or `20/07/2025 17:00`).
    pub deadline: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReportInput {
    /// Indicator code → a non-negative whole number; an indicator left out is not given yet.
    #[serde(default)]
    pub figures: BTreeMap<String, FigureInput>,
    #[serde(default)]
    pub narrative: NarrativeDraft,
    /// The report's `version` once it exists.
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReturnInput {
    /// What the commune must correct.
    pub reason: String,
    #[serde(default)]
    pub version: Option<i64>,
}

/// The indicators rounds can ask for: the built-in catalogue and the province's additions.
#[utoipa::path(get, path = "/api/v1/indicators", tag = "rounds",
    responses((status = 200, body = Vec<IndicatorView>)))]
pub async fn indicators(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<IndicatorView>>, ApiError> {
    let catalogue = rounds::catalogue(&state.store, &caller).await?;
    Ok(Json(catalogue.into_iter().map(Into::into).collect()))
}

/// Adds an indicator to the province's catalogue (province admins).
#[utoipa::path(post, path = "/api/v1/indicators", tag = "rounds", request_body = IndicatorDraft,
    responses((status = 201, body = IndicatorView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_indicator(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<IndicatorDraft>,
) -> Result<(StatusCode, Json<IndicatorView>), ApiError> {
    let added = rounds::add_indicator(&state.store, &caller, &input).await?;
    Ok((StatusCode::CREATED, Json(added.into())))
}

/// The rounds of the province, newest first (a commune officer's: those her commune reports in).
#[utoipa::path(get, path = "/api/v1/rounds", tag = "rounds",
    responses((status = 200, body = Vec<RoundView>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<RoundView>>, ApiError> {
    let found = rounds::list(&state.store, &caller).await?;
    Ok(Json(found.into_iter().map(Into::into).collect()))
}

/// Opens a round (province admins): every commune of the province now is expected to report.
#[utoipa::path(post, path = "/api/v1/rounds", tag = "rounds", request_body = RoundDraft,
    responses((status = 201, body = RoundView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<RoundDraft>,
) -> Result<(StatusCode, Json<RoundView>), ApiError> {
    let round = rounds::create(&state.store, &caller, &input).await?;
    Ok((StatusCode::CREATED, Json(round.into())))
}

#[utoipa::path(get, path = "/api/v1/rounds/{id}", tag = "rounds", params(("id" = i64, Path)),
    responses((status = 200, body = RoundView), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RoundView>, ApiError> {
    Ok(Json(rounds::get(&state.store, &caller, id).await?.into()))
}

/// Changes what a round asks, until the first report is submitted (then 409).
#[utoipa::path(put, path = "/api/v1/rounds/{id}", tag = "rounds", params(("id" = i64, Path)),
    request_body = RoundUpdate,
    responses((status = 200, body = RoundView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RoundUpdate>,
) -> Result<Json<RoundView>, ApiError> {
    let round = rounds::update(&state.store, &caller, id, input.version, &input.round).await?;
    Ok(Json(round.into()))
}

/// Moves the deadline later; every deadline is kept in the round's history.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/extend", tag = "rounds", params(("id" = i64, Path)),
    request_body = Extension,
    responses((status = 200, body = RoundView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn extend(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<Extension>,
) -> Result<Json<RoundView>, ApiError> {
    let round = rounds::extend(
        &state.store,
        &caller,
        id,
        input.version,
        &input.deadline,
        &input.reason,
    )
    .await?;
    Ok(Json(round.into()))
}

/// Closes a round: no more submissions.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/close", tag = "rounds", params(("id" = i64, Path)),
    request_body(content = VersionOnly, description = "Optional `{version}`."),
    responses((status = 200, body = RoundView), (status = 409, body = ErrorBody)))]
pub async fn close(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJsonOrNothing(input): ApiJsonOrNothing<VersionOnly>,
) -> Result<Json<RoundView>, ApiError> {
    Ok(Json(
        rounds::close(&state.store, &caller, id, input.version)
            .await?
            .into(),
    ))
}

/// Completeness: expected, submitted, on time, late, missing, returned, accepted and the rates.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/status", tag = "rounds", params(("id" = i64, Path)),
    responses((status = 200, body = Completeness), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn status(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Completeness>, ApiError> {
    Ok(Json(rounds::status(&state.store, &caller, id).await?))
}

/// Every expected commune with its report's state, first submission and officer.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/board", tag = "rounds", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<BoardLineView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn board(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<BoardLineView>>, ApiError> {
    let board = rounds::board(&state.store, &caller, id).await?;
    let deadline = board.round.deadline;
    Ok(Json(
        board
            .lines
            .into_iter()
            .map(|line| BoardLineView::of(line, deadline))
            .collect(),
    ))
}

/// Per indicator the province total (reports submitted, resubmitted or accepted) and every commune's figures.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/figures", tag = "rounds", params(("id" = i64, Path)),
    responses((status = 200, body = FiguresView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn figures(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<FiguresView>, ApiError> {
    Ok(Json(
        rounds::figures(&state.store, &caller, id).await?.into(),
    ))
}

/// A commune's report in a round (`not_started` when nothing was saved).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/reports/{commune_code}", tag = "rounds", params(("id" = i64, Path), ("commune_code" = String, Path, description = "The commune's 5-digit code")),
    responses((status = 200, body = ReportView), (status = 404, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, commune)): ApiPath<(i64, String)>,
) -> Result<Json<ReportView>, ApiError> {
    let view = rounds::report(&state.store, &caller, id, &commune).await?;
    Ok(Json(ReportView::of(view.report, view.round.deadline)))
}

/// Saves the commune's figures and narrative as a draft (409 once submitted, until returned).
#[utoipa::path(put, path = "/api/v1/rounds/{id}/reports/{commune_code}", tag = "rounds", params(("id" = i64, Path), ("commune_code" = String, Path, description = "The commune's 5-digit code")),
    request_body = ReportInput,
    responses((status = 200, body = ReportView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, commune)): ApiPath<(i64, String)>,
    ApiJson(input): ApiJson<ReportInput>,
) -> Result<Json<ReportView>, ApiError> {
    let report = rounds::save(
        &state.store,
        &caller,
        id,
        &commune,
        input.version,
        &input.figures,
        &input.narrative,
    )
    .await?;
    answer(&state, &caller, id, report).await
}

async fn answer(
    state: &AppState,
    caller: &Caller,
    round_id: i64,
    report: cnscd_store::Report,
) -> Result<Json<ReportView>, ApiError> {
    let round = rounds::get(&state.store, caller, round_id).await?;
    Ok(Json(ReportView::of(report, round.deadline)))
}

/// Submits the saved report (every indicator answered); the commune's team list is frozen with it.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/reports/{commune_code}/submit", tag = "rounds", params(("id" = i64, Path), ("commune_code" = String, Path, description = "The commune's 5-digit code")),
    request_body(content = VersionOnly, description = "Optional `{version}`."),
    responses((status = 200, body = ReportView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, commune)): ApiPath<(i64, String)>,
    ApiJsonOrNothing(input): ApiJsonOrNothing<VersionOnly>,
) -> Result<Json<ReportView>, ApiError> {
    let report = rounds::submit(&state.store, &caller, id, &commune, input.version).await?;
    answer(&state, &caller, id, report).await
}

/// Returns a submitted report to its commune with the reason (province admins).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/reports/{commune_code}/return", tag = "rounds", params(("id" = i64, Path), ("commune_code" = String, Path, description = "The commune's 5-digit code")),
    request_body = ReturnInput,
    responses((status = 200, body = ReportView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn return_report(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, commune)): ApiPath<(i64, String)>,
    ApiJson(input): ApiJson<ReturnInput>,
) -> Result<Json<ReportView>, ApiError> {
    let report = rounds::return_report(
        &state.store,
        &caller,
        id,
        &commune,
        input.version,
        &input.reason,
    )
    .await?;
    answer(&state, &caller, id, report).await
}

/// Accepts a submitted report (province admins).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/reports/{commune_code}/accept", tag = "rounds", params(("id" = i64, Path), ("commune_code" = String, Path, description = "The commune's 5-digit code")),
    request_body(content = VersionOnly, description = "Optional `{version}`."),
    responses((status = 200, body = ReportView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn accept(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, commune)): ApiPath<(i64, String)>,
    ApiJsonOrNothing(input): ApiJsonOrNothing<VersionOnly>,
) -> Result<Json<ReportView>, ApiError> {
    let report = rounds::accept(&state.store, &caller, id, &commune, input.version).await?;
    answer(&state, &caller, id, report).await
}
