//! The library of guidance documents as JSON; files up and down as raw bytes.

use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::pages::library_file_response;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use chrono::NaiveDate;
use cnscd_domain::library::{DocumentDraft, DocumentKind};
use cnscd_services::library::{self, LibraryQuery};
use cnscd_store::{DocumentOwner, LibraryDocument};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct FileView {
    pub name: String,
    /// Read from the content, not the name.
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    pub id: i64,
    pub number: String,
    pub issued_on: Option<NaiveDate>,
    pub issuer: String,
    pub kind: DocumentKind,
    pub title: String,
    pub summary: String,
    pub areas: Vec<String>,
    pub link: String,
    pub file: Option<FileView>,
    pub version: i64,
}

impl From<LibraryDocument> for DocumentView {
    fn from(d: LibraryDocument) -> Self {
        Self {
            id: d.id,
            number: d.number,
            issued_on: d.issued_on,
            issuer: d.issuer,
            kind: d.kind,
            title: d.title,
            summary: d.summary,
            areas: d.areas,
            link: d.link,
            file: d.file.map(|f| FileView {
                name: f.name,
                content_type: f.content_type,
                size: f.size,
                sha256: f.sha256,
            }),
            version: d.version,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentQuery {
    /// Words of the number, title, issuer or summary, with or without diacritics.
    pub q: Option<String>,
    pub kind: Option<String>,
    /// A task area's code.
    pub area: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DocumentUpdate {
    #[serde(flatten)]
    pub document: DocumentDraft,
    pub version: i64,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileName {
    /// The file's name, with its extension (`huong-dan.pdf`).
    pub name: String,
    /// The document's `version` as you read it.
    pub version: i64,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    pub version: i64,
}

/// The province's library, newest first; the documents the Department's letter cites are listed from the start.
#[utoipa::path(get, path = "/api/v1/documents", tag = "library", params(DocumentQuery),
    responses((status = 200, body = Vec<DocumentView>), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<DocumentQuery>,
) -> Result<Json<Vec<DocumentView>>, ApiError> {
    let asked = LibraryQuery {
        query: query.q.unwrap_or_default(),
        kind: query.kind,
        area: query.area,
    };
    let found = library::list(&state.store, &caller, &asked).await?;
    Ok(Json(found.into_iter().map(Into::into).collect()))
}

/// Adds a document (province admins): a link, or a file sent next with `PUT …/file`.
#[utoipa::path(post, path = "/api/v1/documents", tag = "library", request_body = DocumentDraft,
    responses((status = 201, body = DocumentView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<DocumentDraft>,
) -> Result<(StatusCode, Json<DocumentView>), ApiError> {
    let document = library::create(&state.store, &caller, &input, None).await?;
    Ok((StatusCode::CREATED, Json(document.into())))
}

#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "library", params(("id" = i64, Path)),
    responses((status = 200, body = DocumentView), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DocumentView>, ApiError> {
    Ok(Json(library::get(&state.store, &caller, id).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/documents/{id}", tag = "library", params(("id" = i64, Path)),
    request_body = DocumentUpdate,
    responses((status = 200, body = DocumentView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DocumentUpdate>,
) -> Result<Json<DocumentView>, ApiError> {
    let document = library::update(
        &state.store,
        &caller,
        id,
        input.version,
        &input.document,
        None,
    )
    .await?;
    Ok(Json(document.into()))
}

/// Deletes a document: its file goes; its record and audit entries stay.
#[utoipa::path(delete, path = "/api/v1/documents/{id}", tag = "library", params(("id" = i64, Path), VersionQuery),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<VersionQuery>,
) -> Result<StatusCode, ApiError> {
    library::delete(&state.store, &caller, id, query.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The document's file, as a download.
#[utoipa::path(get, path = "/api/v1/documents/{id}/file", tag = "library", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn file(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let (document, bytes) = library::file(&state.store, &caller, id).await?;
    Ok(library_file_response(&document, bytes))
}

/// Uploads (or replaces) the document's file: the request's body is the file (at most 20 MB); its type is
/// read from its content (PDF, DOCX, XLSX, PPTX, JPG, PNG) and must match the name's extension.
#[utoipa::path(put, path = "/api/v1/documents/{id}/file", tag = "library", params(("id" = i64, Path), FileName),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = DocumentView), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<FileName>,
    body: Bytes,
) -> Result<Json<DocumentView>, ApiError> {
    cnscd_services::scope::admin(&caller)?;
    let current = library::get(&state.store, &caller, id).await?;
    let file = library::check_file(&query.name, body.to_vec())?;
    let draft = DocumentDraft {
        number: current.number,
        issued_on: current
            .issued_on
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        issuer: current.issuer,
        kind: current.kind.code().into(),
        title: current.title,
        summary: current.summary,
        areas: current.areas,
        link: current.link,
    };
    let document =
        library::update(&state.store, &caller, id, query.version, &draft, Some(file)).await?;
    Ok(Json(document.into()))
}

async fn link(
    state: &AppState,
    caller: &Caller,
    owner: DocumentOwner,
    document: i64,
    linked: bool,
) -> Result<StatusCode, ApiError> {
    library::link(&state.store, caller, owner, document, linked).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Points the class's trainees to a document of the library (province admins).
#[utoipa::path(put, path = "/api/v1/training/classes/{id}/documents/{document_id}", tag = "training",
    params(("id" = i64, Path), ("document_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn link_to_class(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, document)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    link(&state, &caller, DocumentOwner::Class(id), document, true).await
}

#[utoipa::path(delete, path = "/api/v1/training/classes/{id}/documents/{document_id}", tag = "training",
    params(("id" = i64, Path), ("document_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unlink_from_class(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, document)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    link(&state, &caller, DocumentOwner::Class(id), document, false).await
}

/// Points a round's communes to a document of the library (the letter that asks, a report template).
#[utoipa::path(put, path = "/api/v1/rounds/{id}/documents/{document_id}", tag = "rounds",
    params(("id" = i64, Path), ("document_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn link_to_round(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, document)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    link(&state, &caller, DocumentOwner::Round(id), document, true).await
}

#[utoipa::path(delete, path = "/api/v1/rounds/{id}/documents/{document_id}", tag = "rounds",
    params(("id" = i64, Path), ("document_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unlink_from_round(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, document)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    link(&state, &caller, DocumentOwner::Round(id), document, false).await
}
