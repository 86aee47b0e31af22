use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::views::{warning_views, MemberView, PageView, PhoneWarningView, TeamView};
use super::Paging;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use cnscd_domain::member::MemberDraft;
use cnscd_domain::team::{TeamDraft, TeamStatus};
use cnscd_services::{members, teams};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TeamQuery {
    /// Only teams of this commune (5-digit code).
    pub commune: Option<String>,
    /// `active` or `dissolved`.
    pub status: Option<TeamStatus>,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Rows per page (1–500, default 50).
    pub per_page: Option<i64>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewTeam {
    pub commune_code: String,
    pub name: String,
    #[serde(default)]
    pub note: String,
    /// An active team always has a leader: give the leader with the team.
    pub leader: MemberDraft,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TeamCreated {
    pub team: TeamView,
    /// The leader's phone is also held by other members (a warning, not an error).
    pub warnings: Vec<PhoneWarningView>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TeamUpdate {
    pub name: String,
    #[serde(default)]
    pub note: String,
    /// The `version` of the team as you read it.
    pub version: i64,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TeamMove {
    pub commune_code: String,
    pub version: i64,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Dissolution {
    /// The team's `version` as you read it.
    pub version: i64,
    /// Day of dissolution, `dd/mm/yyyy` or `yyyy-mm-dd`; today when absent.
    pub on: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncludeLeft {
    /// Also list members who have left (with their `left_on` date).
    #[serde(default)]
    pub include_left: bool,
}

/// Teams of the working province, by commune then name in Vietnamese order.
#[utoipa::path(get, path = "/api/v1/teams", tag = "teams", params(TeamQuery),
    responses((status = 200, body = PageView<TeamView>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<TeamQuery>,
) -> Result<Json<PageView<TeamView>>, ApiError> {
    let paging = Paging::new(query.page, query.per_page);
    let page = teams::list(&state.store, &caller, query.commune, query.status, paging).await?;
    Ok(Json(PageView::of(page, TeamView::from)))
}

/// Creates an active team with its leader.
#[utoipa::path(post, path = "/api/v1/teams", tag = "teams", request_body = NewTeam,
    responses((status = 201, body = TeamCreated), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NewTeam>,
) -> Result<(StatusCode, Json<TeamCreated>), ApiError> {
    let draft = TeamDraft {
        name: input.name,
        note: input.note,
    };
    let (team, warnings) = teams::create(
        &state.store,
        &caller,
        &input.commune_code,
        &draft,
        &input.leader,
    )
    .await?;
    let created = TeamCreated {
        team: team.into(),
        warnings: warning_views(warnings),
    };
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(get, path = "/api/v1/teams/{id}", tag = "teams", params(("id" = i64, Path)),
    responses((status = 200, body = TeamView), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TeamView>, ApiError> {
    Ok(Json(teams::get(&state.store, &caller, id).await?.into()))
}

/// Renames a team or changes its note. Answers 409 with the current version if someone saved it meanwhile.
#[utoipa::path(put, path = "/api/v1/teams/{id}", tag = "teams", params(("id" = i64, Path)), request_body = TeamUpdate,
    responses((status = 200, body = TeamView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<TeamUpdate>,
) -> Result<Json<TeamView>, ApiError> {
    let draft = TeamDraft {
        name: input.name,
        note: input.note,
    };
    let team = teams::update(&state.store, &caller, id, input.version, &draft).await?;
    Ok(Json(team.into()))
}

/// Moves a team to another commune of the province.
#[utoipa::path(post, path = "/api/v1/teams/{id}/move", tag = "teams", params(("id" = i64, Path)), request_body = TeamMove,
    responses((status = 200, body = TeamView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn move_team(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<TeamMove>,
) -> Result<Json<TeamView>, ApiError> {
    let team = teams::move_to(
        &state.store,
        &caller,
        id,
        input.version,
        &input.commune_code,
    )
    .await?;
    Ok(Json(team.into()))
}

/// Dissolves a team: it and its members stay in the history, marked with the date.
#[utoipa::path(delete, path = "/api/v1/teams/{id}", tag = "teams", params(("id" = i64, Path), Dissolution),
    responses((status = 200, body = TeamView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn dissolve(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<Dissolution>,
) -> Result<Json<TeamView>, ApiError> {
    let on = query.on.as_deref();
    let team = teams::dissolve(&state.store, &caller, id, query.version, on).await?;
    Ok(Json(team.into()))
}

/// Members of a team in Vietnamese order (given name, family name, middle name).
#[utoipa::path(get, path = "/api/v1/teams/{id}/members", tag = "teams", params(("id" = i64, Path), IncludeLeft),
    responses((status = 200, body = Vec<MemberView>), (status = 404, body = ErrorBody)))]
pub async fn members_of_team(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<IncludeLeft>,
) -> Result<Json<Vec<MemberView>>, ApiError> {
    let members = members::of_team(&state.store, &caller, id, query.include_left).await?;
    Ok(Json(members.into_iter().map(Into::into).collect()))
}
