use super::communes::Paging;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::teams::date_or_today;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::scope::{self, Intent};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use cnscd_domain::date::parse_date;
use cnscd_domain::member::MemberDraft;
use cnscd_domain::role::Role;
use cnscd_store::{Member, MemberFilter, MemberSaved, Page};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct MemberQuery {
    pub commune: Option<String>,
    pub team: Option<i64>,
    /// `leader`, `deputy` or `member`.
    pub role: Option<Role>,
    /// Members active on this day (`yyyy-mm-dd` or `dd/mm/yyyy`): who to pay allowances for.
    pub active_on: Option<String>,
    /// Also list members who have left.
    #[serde(default)]
    pub include_left: bool,
    pub page: Option<i64>,
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
pub struct Leaving {
    /// The member's `version` as you read it.
    pub version: i64,
    /// Day the member left, `dd/mm/yyyy` or `yyyy-mm-dd`; today when absent.
    pub left_on: Option<String>,
}

/// Members of the working province, in Vietnamese order.
#[utoipa::path(get, path = "/api/v1/members", tag = "members", params(MemberQuery),
    responses((status = 200, body = Page<Member>), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<MemberQuery>,
) -> Result<Json<Page<Member>>, ApiError> {
    if let Some(team) = query.team {
        scope::team(&state, &caller, team, Intent::Read).await?;
    }
    let active_on = match query.active_on.as_deref() {
        Some(text) => Some(parse_date("active_on", text)?),
        None => None,
    };
    let filter = MemberFilter {
        province_code: Some(caller.user.province_code.clone()),
        commune_code: scope::list_commune(&state, &caller, query.commune).await?,
        team_id: query.team,
        role: query.role,
        active_on,
        include_left: query.include_left,
    };
    let paging = Paging {
        page: query.page,
        per_page: query.per_page,
    };
    Ok(Json(state.store.members(&filter, paging.request()).await?))
}

/// Adds a member to a team. A second leader, a full team or an impossible phone is refused (422); a phone
/// already used in another team is accepted with a warning.
#[utoipa::path(post, path = "/api/v1/teams/{id}/members", tag = "members", params(("id" = i64, Path)),
    request_body = MemberDraft,
    responses((status = 201, body = MemberSaved), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(team_id): ApiPath<i64>,
    ApiJson(draft): ApiJson<MemberDraft>,
) -> Result<(StatusCode, Json<MemberSaved>), ApiError> {
    scope::team(&state, &caller, team_id, Intent::Change).await?;
    let member = draft.validate()?;
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .store
                .add_member(team_id, &member, &caller.actor())
                .await?,
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/members/{id}", tag = "members", params(("id" = i64, Path)),
    responses((status = 200, body = Member), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Member>, ApiError> {
    Ok(Json(
        scope::member(&state, &caller, id, Intent::Read).await?,
    ))
}

/// Edits a member. Answers 409 with the current version if someone saved it meanwhile.
#[utoipa::path(put, path = "/api/v1/members/{id}", tag = "members", params(("id" = i64, Path)), request_body = MemberUpdate,
    responses((status = 200, body = MemberSaved), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<MemberUpdate>,
) -> Result<Json<MemberSaved>, ApiError> {
    scope::member(&state, &caller, id, Intent::Change).await?;
    let member = input.member.validate()?;
    Ok(Json(
        state
            .store
            .update_member(id, input.version, &member, &caller.actor())
            .await?,
    ))
}

/// Makes this member the leader; the previous leader becomes an ordinary member.
#[utoipa::path(post, path = "/api/v1/members/{id}/make-leader", tag = "members", params(("id" = i64, Path)),
    request_body = VersionOnly,
    responses((status = 200, body = Member), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn make_leader(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<VersionOnly>,
) -> Result<Json<Member>, ApiError> {
    scope::member(&state, &caller, id, Intent::Change).await?;
    Ok(Json(
        state
            .store
            .make_leader(id, input.version, &caller.actor())
            .await?,
    ))
}

/// Records that a member left the team (kept in history, not erased).
#[utoipa::path(delete, path = "/api/v1/members/{id}", tag = "members", params(("id" = i64, Path), Leaving),
    responses((status = 200, body = Member), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn leave(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<Leaving>,
) -> Result<Json<Member>, ApiError> {
    scope::member(&state, &caller, id, Intent::Change).await?;
    let on = date_or_today("left_on", query.left_on.as_deref())?;
    Ok(Json(
        state
            .store
            .member_leaves(id, query.version, on, &caller.actor())
            .await?,
    ))
}
