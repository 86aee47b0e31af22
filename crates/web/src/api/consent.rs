//! What feeds the public team finder, for signed-in accounts: a member's consent to be named publicly and a
//! commune's public contact.

use super::extract::{ApiJson, ApiPath};
use super::public::CommuneContactView;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use cnscd_domain::public::ConsentMethod;
use cnscd_services::public;
use cnscd_store::Consent;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Whether the member's name and phone may appear on the public pages.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentView {
    pub member_id: i64,
    pub in_force: bool,
    pub method: Option<ConsentMethod>,
    /// The account that recorded it.
    pub recorded_by: Option<String>,
    /// RFC 3339.
    pub recorded_at: Option<String>,
    /// The phone she agreed to show (national form); a number changed since is not public until she consents
    /// again.
    pub phone: Option<String>,
}

impl ConsentView {
    fn of(member_id: i64, consent: Option<Consent>) -> Self {
        Self {
            member_id,
            in_force: consent.is_some(),
            method: consent.as_ref().map(|c| c.method),
            recorded_at: consent.as_ref().map(|c| c.recorded_at.clone()),
            phone: consent.as_ref().and_then(|c| c.phone.clone()),
            recorded_by: consent.map(|c| c.recorded_by),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ConsentInput {
    /// `paper_form` (a signed form the commune keeps) or `in_person`.
    pub method: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VillagesView {
    /// Villages and residential groups of the commune; `null` when not recorded.
    pub villages: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VillagesInput {
    pub villages: serde_json::Value,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ContactInput {
    /// Who answers: `Văn phòng UBND xã`.
    pub label: String,
    pub phone: String,
}

#[utoipa::path(get, path = "/api/v1/members/{id}/consent", tag = "members", params(("id" = i64, Path)),
    responses((status = 200, body = ConsentView), (status = 404, body = ErrorBody)))]
pub async fn consent(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ConsentView>, ApiError> {
    let consent = public::consent(&state.store, &caller, id).await?;
    Ok(Json(ConsentView::of(id, consent)))
}

/// Records that the member (a leader or deputy, usually) agreed to be named with her phone on the public team
/// finder and posters, and how. Recording it again changes nothing.
#[utoipa::path(put, path = "/api/v1/members/{id}/consent", tag = "members", params(("id" = i64, Path)),
    request_body = ConsentInput,
    responses((status = 200, body = ConsentView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn give(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ConsentInput>,
) -> Result<Json<ConsentView>, ApiError> {
    let consent = public::give_consent(&state.store, &caller, id, &input.method).await?;
    Ok(Json(ConsentView::of(id, Some(consent))))
}

/// Withdraws the member's consent: her name and phone leave the public pages at once.
#[utoipa::path(delete, path = "/api/v1/members/{id}/consent", tag = "members", params(("id" = i64, Path)),
    responses((status = 200, body = ConsentView), (status = 404, body = ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ConsentView>, ApiError> {
    public::withdraw_consent(&state.store, &caller, id).await?;
    Ok(Json(ConsentView::of(id, None)))
}

/// The commune's public contact, shown for teams whose leader has not consented (`null` when not set).
#[utoipa::path(get, path = "/api/v1/communes/{code}/contact", tag = "communes",
    params(("code" = String, Path, description = "Mã xã/phường, 5 chữ số")),
    responses((status = 200, body = Option<CommuneContactView>), (status = 404, body = ErrorBody)))]
pub async fn contact(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Option<CommuneContactView>>, ApiError> {
    let contact = public::commune_contact(&state.store, &caller, &code).await?;
    Ok(Json(contact.map(Into::into)))
}

#[utoipa::path(put, path = "/api/v1/communes/{code}/contact", tag = "communes",
    params(("code" = String, Path, description = "Mã xã/phường, 5 chữ số")), request_body = ContactInput,
    responses((status = 200, body = CommuneContactView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_contact(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<ContactInput>,
) -> Result<Json<CommuneContactView>, ApiError> {
    let saved =
        public::set_commune_contact(&state.store, &caller, &code, &input.label, &input.phone)
            .await?;
    Ok(Json(saved.into()))
}

#[utoipa::path(get, path = "/api/v1/communes/{code}/villages", tag = "communes",
    params(("code" = String, Path, description = "Mã xã/phường, 5 chữ số")),
    responses((status = 200, body = VillagesView), (status = 404, body = ErrorBody)))]
pub async fn villages(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<VillagesView>, ApiError> {
    let villages = public::villages(&state.store, &caller, &code).await?;
    Ok(Json(VillagesView { villages }))
}

/// Records how many villages and residential groups the commune has (the dashboard's coverage).
#[utoipa::path(put, path = "/api/v1/communes/{code}/villages", tag = "communes",
    params(("code" = String, Path, description = "Mã xã/phường, 5 chữ số")), request_body = VillagesInput,
    responses((status = 200, body = VillagesView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_villages(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<VillagesInput>,
) -> Result<Json<VillagesView>, ApiError> {
    let typed = match input.villages {
        serde_json::Value::String(text) => text,
        other => other.to_string(),
    };
    let villages = public::set_villages(&state.store, &caller, &code, &typed).await?;
    Ok(Json(VillagesView {
        villages: Some(villages),
    }))
}
