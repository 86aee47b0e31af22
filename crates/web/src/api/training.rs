//! Training classes and registrations as JSON.

use super::extract::{ApiJson, ApiPath};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use cnscd_domain::role::Role;
use cnscd_domain::training::{Attendance, Audience, ClassDraft, Seat};
use cnscd_services::training;
use cnscd_store::{Registration, TrainingClass};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ClassView {
    pub id: i64,
    pub topic: String,
    pub content: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: String,
    pub online_link: String,
    pub capacity: i64,
    pub audience: Audience,
    pub registration_deadline: DateTime<Utc>,
    pub trainer: String,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub seated: i64,
    pub waiting: i64,
    pub present: i64,
    pub version: i64,
}

impl From<TrainingClass> for ClassView {
    fn from(c: TrainingClass) -> Self {
        Self {
            id: c.id,
            topic: c.topic,
            content: c.content,
            starts_at: c.starts_at,
            ends_at: c.ends_at,
            venue: c.venue,
            online_link: c.online_link,
            capacity: c.capacity,
            audience: c.audience,
            registration_deadline: c.registration_deadline,
            trainer: c.trainer,
            cancelled_at: c.cancelled_at,
            cancel_reason: c.cancel_reason,
            seated: c.seated,
            waiting: c.waiting,
            present: c.present,
            version: c.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationView {
    pub id: i64,
    pub class_id: i64,
    pub member_id: i64,
    pub full_name: String,
    pub role: Role,
    pub phone: Option<String>,
    pub team_id: i64,
    pub team_name: String,
    pub commune_code: String,
    pub commune_name: String,
    pub seat: Seat,
    pub attendance: Option<Attendance>,
    pub registered_by: String,
    pub registered_at: String,
    /// She left her team after registering.
    pub member_left: bool,
    /// Her team was dissolved after she registered.
    pub team_dissolved: bool,
}

impl From<Registration> for RegistrationView {
    fn from(r: Registration) -> Self {
        Self {
            id: r.id,
            class_id: r.class_id,
            member_id: r.member_id,
            full_name: r.full_name,
            role: r.role,
            phone: r.phone,
            team_id: r.team_id,
            team_name: r.team_name,
            commune_code: r.commune_code,
            commune_name: r.commune_name,
            seat: r.seat,
            attendance: r.attendance,
            registered_by: r.registered_by,
            registered_at: r.registered_at,
            member_left: r.member_left,
            team_dissolved: r.team_dissolved,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ClassUpdate {
    #[serde(flatten)]
    pub class: ClassDraft,
    pub version: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Cancellation {
    pub version: i64,
    /// Shown to everyone registered.
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegistrationInput {
    pub member_id: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AttendanceInput {
    /// `present`, `absent` or `excused`.
    pub attendance: String,
}

/// The province's classes, latest first.
#[utoipa::path(get, path = "/api/v1/training/classes", tag = "training",
    responses((status = 200, body = Vec<ClassView>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<ClassView>>, ApiError> {
    let classes = training::classes(&state.store, &caller).await?;
    Ok(Json(classes.into_iter().map(Into::into).collect()))
}

/// Opens a class (province admins).
#[utoipa::path(post, path = "/api/v1/training/classes", tag = "training", request_body = ClassDraft,
    responses((status = 201, body = ClassView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ClassDraft>,
) -> Result<(StatusCode, Json<ClassView>), ApiError> {
    let class = training::create(&state.store, &caller, &input).await?;
    Ok((StatusCode::CREATED, Json(class.into())))
}

#[utoipa::path(get, path = "/api/v1/training/classes/{id}", tag = "training", params(("id" = i64, Path)),
    responses((status = 200, body = ClassView), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ClassView>, ApiError> {
    Ok(Json(
        training::class(&state.store, &caller, id).await?.into(),
    ))
}

/// Edits a class; a larger capacity seats the waiting list, a smaller one than the seats taken is refused.
#[utoipa::path(put, path = "/api/v1/training/classes/{id}", tag = "training", params(("id" = i64, Path)),
    request_body = ClassUpdate,
    responses((status = 200, body = ClassView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ClassUpdate>,
) -> Result<Json<ClassView>, ApiError> {
    let class = training::update(&state.store, &caller, id, input.version, &input.class).await?;
    Ok(Json(class.into()))
}

/// Cancels a class; everyone registered sees it cancelled, with the reason.
#[utoipa::path(post, path = "/api/v1/training/classes/{id}/cancel", tag = "training",
    params(("id" = i64, Path)), request_body = Cancellation,
    responses((status = 200, body = ClassView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<Cancellation>,
) -> Result<Json<ClassView>, ApiError> {
    let class = training::cancel(&state.store, &caller, id, input.version, &input.reason).await?;
    Ok(Json(class.into()))
}

/// The class's registrations: an officer's commune's, or every commune's for province accounts.
#[utoipa::path(get, path = "/api/v1/training/classes/{id}/registrations", tag = "training",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<RegistrationView>), (status = 404, body = ErrorBody)))]
pub async fn registrations(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<RegistrationView>>, ApiError> {
    let found = training::registrations(&state.store, &caller, id).await?;
    Ok(Json(found.into_iter().map(Into::into).collect()))
}

/// Registers a member: a seat while seats are free, else the waiting list (`seat` says which).
#[utoipa::path(post, path = "/api/v1/training/classes/{id}/registrations", tag = "training",
    params(("id" = i64, Path)), request_body = RegistrationInput,
    responses((status = 201, body = RegistrationView), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RegistrationInput>,
) -> Result<(StatusCode, Json<RegistrationView>), ApiError> {
    let registration = training::register(&state.store, &caller, id, input.member_id).await?;
    Ok((StatusCode::CREATED, Json(registration.into())))
}

/// Withdraws a registration before the registration deadline; its seat goes to the first waiting.
#[utoipa::path(delete, path = "/api/v1/training/registrations/{id}", tag = "training",
    params(("id" = i64, Path)),
    responses((status = 200, body = RegistrationView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RegistrationView>, ApiError> {
    Ok(Json(
        training::withdraw(&state.store, &caller, id).await?.into(),
    ))
}

/// Marks attendance (province admins), from the class's first day.
#[utoipa::path(put, path = "/api/v1/training/registrations/{id}/attendance", tag = "training",
    params(("id" = i64, Path)), request_body = AttendanceInput,
    responses((status = 200, body = RegistrationView), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn attendance(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AttendanceInput>,
) -> Result<Json<RegistrationView>, ApiError> {
    let marked = training::mark_attendance(&state.store, &caller, id, &input.attendance).await?;
    Ok(Json(marked.into()))
}
