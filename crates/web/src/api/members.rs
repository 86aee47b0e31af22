use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::views::{MemberSavedView, MemberView, PageView};
use super::Paging;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use cnscd_domain::member::MemberDraft;
use cnscd_domain::role::Role;
use cnscd_services::members::{self, MemberQuery};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberListQuery {
    /// Only members of this commune (5-digit code).
    pub commune: Option<String>,
    /// Only members of this team.
    pub team: Option<i64>,
    /// `leader`, `deputy` or `member`.
    pub role: Option<Role>,
    /// Members active on this day (`yyyy-mm-dd` or `dd/mm/yyyy`): who to pay allowances for.
    pub active_on: Option<String>,
    /// Also list members who have left.
    #[serde(default)]
    pub include_left: bool,
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Rows per page (1–500, default 50).
    pub per_page: Option<i64>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MemberUpdate {
    #[serde(flatten)]
    pub member: MemberDraft,
    pub version: i64,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct VersionOnly {
    pub version: i64,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Leaving {
    /// The member's `version` as you read it.
    pub version: i64,
    /// Day the member left, `dd/mm/yyyy` or `yyyy-mm-dd`; today when absent.
    pub left_on: Option<String>,
}

/// Members of the working province, in Vietnamese order.
#[utoipa::path(get, path = "/api/v1/members", tag = "members", params(MemberListQuery),
    responses((status = 200, body = PageView<MemberView>), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<MemberListQuery>,
) -> Result<Json<PageView<MemberView>>, ApiError> {
    let paging = Paging::new(query.page, query.per_page);
    let asked = MemberQuery {
        commune: query.commune,
        team: query.team,
        role: query.role,
        active_on: query.active_on,
        include_left: query.include_left,
    };
    let page = members::list(&state.store, &caller, asked, paging).await?;
    Ok(Json(PageView::of(page, MemberView::from)))
}

/// Adds a member to a team. A second leader, a full team or an impossible phone is refused (422); a phone
/// already used in another team is accepted with a warning.
#[utoipa::path(post, path = "/api/v1/teams/{id}/members", tag = "members", params(("id" = i64, Path)),
    request_body = MemberDraft,
    responses((status = 201, body = MemberSavedView), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(team_id): ApiPath<i64>,
    ApiJson(draft): ApiJson<MemberDraft>,
) -> Result<(StatusCode, Json<MemberSavedView>), ApiError> {
    let saved = members::add(&state.store, &caller, team_id, &draft).await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

#[utoipa::path(get, path = "/api/v1/members/{id}", tag = "members", params(("id" = i64, Path)),
    responses((status = 200, body = MemberView), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MemberView>, ApiError> {
    Ok(Json(members::get(&state.store, &caller, id).await?.into()))
}

/// Edits a member. Answers 409 with the current version if someone saved it meanwhile.
#[utoipa::path(put, path = "/api/v1/members/{id}", tag = "members", params(("id" = i64, Path)), request_body = MemberUpdate,
    responses((status = 200, body = MemberSavedView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<MemberUpdate>,
) -> Result<Json<MemberSavedView>, ApiError> {
    let saved = members::update(&state.store, &caller, id, input.version, &input.member).await?;
    Ok(Json(saved.into()))
}

/// Makes this member the leader; the previous leader becomes an ordinary member.
#[utoipa::path(post, path = "/api/v1/members/{id}/make-leader", tag = "members", params(("id" = i64, Path)),
    request_body = VersionOnly,
    responses((status = 200, body = MemberView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn make_leader(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<VersionOnly>,
) -> Result<Json<MemberView>, ApiError> {
    let member = members::make_leader(&state.store, &caller, id, input.version).await?;
    Ok(Json(member.into()))
}

/// Records that a member left the team (kept in history, not erased).
#[utoipa::path(delete, path = "/api/v1/members/{id}", tag = "members", params(("id" = i64, Path), Leaving),
    responses((status = 200, body = MemberView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn leave(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<Leaving>,
) -> Result<Json<MemberView>, ApiError> {
    let on = query.left_on.as_deref();
    let member = members::leave(&state.store, &caller, id, query.version, on).await?;
    Ok(Json(member.into()))
}
