//! Downloading the team list in the template.

use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use cnscd_services::export::{export_for, ExportFormat};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ExportQuery {
    /// `xlsx` (default), `csv` or `json`.
    #[serde(default)]
    format: Option<String>,
    /// One commune; the whole province when absent.
    #[serde(default)]
    commune: Option<String>,
    /// `1`: members' consents to public contact marked in `Ghi chú` (province accounts).
    #[serde(default)]
    consent: Option<String>,
}

pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    super::PageQuery(query): super::PageQuery<ExportQuery>,
) -> Result<Response, PageError> {
    let format = ExportFormat::parse(query.format.as_deref()).map_err(Error::BadRequest)?;
    let consent = query.consent.as_deref() == Some("1");
    let exported = export_for(&state.store, &caller, query.commune, format, consent).await?;
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", exported.file_name),
            ),
        ],
        exported.bytes,
    )
        .into_response())
}
