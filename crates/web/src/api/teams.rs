use super::communes::Paging;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::auth::Caller;
use crate::error::{ApiError, Error, ErrorBody};
use crate::scope::{self, Intent};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{NaiveDate, Utc};
use cnscd_domain::date::parse_date;
use cnscd_domain::member::MemberDraft;
use cnscd_domain::team::{validate_new_team, TeamDraft, TeamStatus};
use cnscd_store::{Member, Page, PhoneElsewhere, Team, TeamFilter};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct TeamQuery {
    /// Only teams of this commune (5-digit code).
    pub commune: Option<String>,
    /// `active` or `dissolved`.
    pub status: Option<TeamStatus>,
    pub page: Option<i64>,
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
    pub team: Team,
    /// The leader's phone is also held by these members (a warning, not an error).
    pub warnings: Vec<PhoneElsewhere>,
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
pub struct Dissolution {
    /// The team's `version` as you read it.
    pub version: i64,
    /// Day of dissolution, `dd/mm/yyyy` or `yyyy-mm-dd`; today when absent.
    pub on: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct IncludeLeft {
    /// Also list members who have left (with their `left_on` date).
    #[serde(default)]
    pub include_left: bool,
}

/// Teams of the working province, by commune then name in Vietnamese order.
#[utoipa::path(get, path = "/api/v1/teams", tag = "teams", params(TeamQuery),
    responses((status = 200, body = Page<Team>), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<TeamQuery>,
) -> Result<Json<Page<Team>>, ApiError> {
    let filter = TeamFilter {
        province_code: Some(caller.user.province_code.clone()),
        commune_code: scope::list_commune(&state, &caller, query.commune).await?,
        status: query.status,
    };
    let paging = Paging {
        page: query.page,
        per_page: query.per_page,
    };
    Ok(Json(state.store.teams(&filter, paging.request()).await?))
}

/// Creates an active team with its leader.
#[utoipa::path(post, path = "/api/v1/teams", tag = "teams", request_body = NewTeam,
    responses((status = 201, body = TeamCreated), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NewTeam>,
) -> Result<(StatusCode, Json<TeamCreated>), ApiError> {
    scope::commune(&state, &caller, &input.commune_code, Intent::Change).await?;
    let (team, leader) = validate_new_team(
        &TeamDraft {
            name: input.name,
            note: input.note,
        },
        &input.leader,
    )?;
    let (team, warnings) = state
        .store
        .create_team(&input.commune_code, &team, &leader, &caller.actor())
        .await?;
    Ok((StatusCode::CREATED, Json(TeamCreated { team, warnings })))
}

#[utoipa::path(get, path = "/api/v1/teams/{id}", tag = "teams", params(("id" = i64, Path)),
    responses((status = 200, body = Team), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Team>, ApiError> {
    Ok(Json(scope::team(&state, &caller, id, Intent::Read).await?))
}

/// Renames a team or changes its note. Answers 409 with the current version if someone saved it meanwhile.
#[utoipa::path(put, path = "/api/v1/teams/{id}", tag = "teams", params(("id" = i64, Path)), request_body = TeamUpdate,
    responses((status = 200, body = Team), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<TeamUpdate>,
) -> Result<Json<Team>, ApiError> {
    scope::team(&state, &caller, id, Intent::Change).await?;
    let team = TeamDraft {
        name: input.name,
        note: input.note,
    }
    .validate()?;
    Ok(Json(
        state
            .store
            .update_team(id, input.version, &team, &caller.actor())
            .await?,
    ))
}

/// Moves a team to another commune of the province.
#[utoipa::path(post, path = "/api/v1/teams/{id}/move", tag = "teams", params(("id" = i64, Path)), request_body = TeamMove,
    responses((status = 200, body = Team), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn move_team(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<TeamMove>,
) -> Result<Json<Team>, ApiError> {
    scope::team(&state, &caller, id, Intent::Change).await?;
    scope::commune(&state, &caller, &input.commune_code, Intent::Change).await?;
    Ok(Json(
        state
            .store
            .move_team(id, input.version, &input.commune_code, &caller.actor())
            .await?,
    ))
}

/// Dissolves a team: it and its members stay in the history, marked with the date.
#[utoipa::path(delete, path = "/api/v1/teams/{id}", tag = "teams", params(("id" = i64, Path), Dissolution),
    responses((status = 200, body = Team), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn dissolve(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<Dissolution>,
) -> Result<Json<Team>, ApiError> {
    scope::team(&state, &caller, id, Intent::Change).await?;
    let on = date_or_today("on", query.on.as_deref())?;
    Ok(Json(
        state
            .store
            .dissolve_team(id, query.version, on, &caller.actor())
            .await?,
    ))
}

/// Members of a team in Vietnamese order (given name, family name, middle name).
#[utoipa::path(get, path = "/api/v1/teams/{id}/members", tag = "teams", params(("id" = i64, Path), IncludeLeft),
    responses((status = 200, body = Vec<Member>), (status = 404, body = ErrorBody)))]
pub async fn members_of_team(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<IncludeLeft>,
) -> Result<Json<Vec<Member>>, ApiError> {
    scope::team(&state, &caller, id, Intent::Read).await?;
    Ok(Json(
        state.store.team_members(id, query.include_left).await?,
    ))
}

/// A typed date, or today when nothing was typed.
pub fn date_or_today(field: &str, typed: Option<&str>) -> Result<NaiveDate, Error> {
    match typed.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => Ok(parse_date(field, text)?),
        None => Ok(Utc::now().date_naive()),
    }
}
