//! Official documents (Decree 30/2020/NĐ-CP) as PDF or DOCX, and the letterheads they are issued under.

use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::auth::Caller;
use crate::documents;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use cnscd_domain::official::{DocumentRequest, Letterhead, LetterheadDraft};
use cnscd_services::documents::{self as service, Subject};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DocumentFormat {
    Pdf,
    Docx,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatQuery {
    /// `pdf` (the default) or `docx`.
    #[param(inline)]
    format: Option<DocumentFormat>,
}

async fn download(
    state: &AppState,
    caller: &Caller,
    subject: Subject,
    format: &FormatQuery,
    request: &DocumentRequest,
) -> Result<Response, ApiError> {
    let prepared = service::prepare(&state.store, caller, &subject, request).await?;
    let format = match format.format.unwrap_or(DocumentFormat::Pdf) {
        DocumentFormat::Pdf => cnscd_documents::Format::Pdf,
        DocumentFormat::Docx => cnscd_documents::Format::Docx,
    };
    Ok(documents::download(prepared, format).await?)
}

/// The Department's letter (Công văn) that opens the round: what is asked, the deadline, where to submit.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/letter", tag = "documents",
    params(("id" = i64, Path), FormatQuery, DocumentRequest),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn round_letter(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath(round_id): ApiPath<i64>,
    ApiQuery(format): ApiQuery<FormatQuery>,
    ApiQuery(request): ApiQuery<DocumentRequest>,
) -> Result<Response, ApiError> {
    let subject = Subject::RoundLetter {
        round_id,
        site_address: crate::qr::site_address(&state, &headers),
    };
    download(&state, &caller, subject, &format, &request).await
}

/// The Department's consolidated report of the round: completeness naming the communes that did not report,
/// indicator totals, the province's teams; annexes with each commune's figures and the team summary.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/consolidated-report", tag = "documents",
    params(("id" = i64, Path), FormatQuery, DocumentRequest),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn consolidated_report(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(round_id): ApiPath<i64>,
    ApiQuery(format): ApiQuery<FormatQuery>,
    ApiQuery(request): ApiQuery<DocumentRequest>,
) -> Result<Response, ApiError> {
    let subject = Subject::Consolidated { round_id };
    download(&state, &caller, subject, &format, &request).await
}

/// A commune's report in the round (as submitted, or its draft), with its team list as the annex.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/reports/{code}/document", tag = "documents",
    params(("id" = i64, Path), ("code" = String, Path), FormatQuery, DocumentRequest),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report_document(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((round_id, commune_code)): ApiPath<(i64, String)>,
    ApiQuery(format): ApiQuery<FormatQuery>,
    ApiQuery(request): ApiQuery<DocumentRequest>,
) -> Result<Response, ApiError> {
    let subject = Subject::CommuneReport {
        round_id,
        commune_code,
    };
    download(&state, &caller, subject, &format, &request).await
}

/// The commune's team list as a document under its letterhead.
#[utoipa::path(get, path = "/api/v1/communes/{code}/team-list-document", tag = "documents",
    params(("code" = String, Path), FormatQuery, DocumentRequest),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn team_list_document(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiQuery(format): ApiQuery<FormatQuery>,
    ApiQuery(request): ApiQuery<DocumentRequest>,
) -> Result<Response, ApiError> {
    let subject = Subject::TeamList {
        commune_code: Some(code),
    };
    download(&state, &caller, subject, &format, &request).await
}

/// The commune's decision establishing or reorganising its teams, with the list as the annex.
#[utoipa::path(get, path = "/api/v1/communes/{code}/decision-document", tag = "documents",
    params(("code" = String, Path), FormatQuery, DocumentRequest),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decision_document(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiQuery(format): ApiQuery<FormatQuery>,
    ApiQuery(request): ApiQuery<DocumentRequest>,
) -> Result<Response, ApiError> {
    let subject = Subject::Decision { commune_code: code };
    download(&state, &caller, subject, &format, &request).await
}

/// The province's teams by commune, under the Department's letterhead (province accounts).
#[utoipa::path(get, path = "/api/v1/team-list-document", tag = "documents",
    params(FormatQuery, DocumentRequest),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn province_team_list_document(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(format): ApiQuery<FormatQuery>,
    ApiQuery(request): ApiQuery<DocumentRequest>,
) -> Result<Response, ApiError> {
    let subject = Subject::TeamList { commune_code: None };
    download(&state, &caller, subject, &format, &request).await
}

/// A training class's sign-in sheet (everyone seated, a column to sign), under the Department's letterhead.
#[utoipa::path(get, path = "/api/v1/training/classes/{id}/sign-in-sheet", tag = "documents",
    params(("id" = i64, Path), FormatQuery, DocumentRequest),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn training_sign_in_sheet(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(class_id): ApiPath<i64>,
    ApiQuery(format): ApiQuery<FormatQuery>,
    ApiQuery(request): ApiQuery<DocumentRequest>,
) -> Result<Response, ApiError> {
    let subject = Subject::TrainingSignIn { class_id };
    download(&state, &caller, subject, &format, &request).await
}

/// The Department's letterhead (saved, or the default built from the province's name).
#[utoipa::path(get, path = "/api/v1/letterhead", tag = "documents",
    responses((status = 200, body = Letterhead), (status = 403, body = ErrorBody)))]
pub async fn department_letterhead(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Letterhead>, ApiError> {
    Ok(Json(
        service::letterhead(&state.store, &caller, None).await?,
    ))
}

/// Changes the Department's letterhead (province admins); fields left out keep their value.
#[utoipa::path(put, path = "/api/v1/letterhead", tag = "documents", request_body = LetterheadDraft,
    responses((status = 200, body = Letterhead), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_department_letterhead(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(draft): ApiJson<LetterheadDraft>,
) -> Result<Json<Letterhead>, ApiError> {
    Ok(Json(
        service::set_letterhead(&state.store, &caller, None, &draft).await?,
    ))
}

/// A commune's letterhead (saved, or the default built from its name).
#[utoipa::path(get, path = "/api/v1/communes/{code}/letterhead", tag = "documents",
    params(("code" = String, Path)),
    responses((status = 200, body = Letterhead), (status = 404, body = ErrorBody)))]
pub async fn commune_letterhead(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Letterhead>, ApiError> {
    Ok(Json(
        service::letterhead(&state.store, &caller, Some(&code)).await?,
    ))
}

/// Changes a commune's letterhead (its officers, province admins); fields left out keep their value.
#[utoipa::path(put, path = "/api/v1/communes/{code}/letterhead", tag = "documents",
    params(("code" = String, Path)), request_body = LetterheadDraft,
    responses((status = 200, body = Letterhead), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn set_commune_letterhead(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(draft): ApiJson<LetterheadDraft>,
) -> Result<Json<Letterhead>, ApiError> {
    Ok(Json(
        service::set_letterhead(&state.store, &caller, Some(&code), &draft).await?,
    ))
}
