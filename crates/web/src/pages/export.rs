//! Downloading the team list in the template.

use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::scope;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use cnscd_services::export::{export, ExportError, ExportFormat};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ExportQuery {
    /// `xlsx` (default), `csv` or `json`.
    #[serde(default)]
    format: Option<String>,
    /// One commune; the whole province when absent.
    #[serde(default)]
    commune: Option<String>,
}

impl From<ExportError> for Error {
    fn from(error: ExportError) -> Self {
        match error {
            ExportError::UnknownCommune(_) => Error::NotFound("xã/phường"),
            ExportError::Store(e) => e.into(),
            ExportError::Write(detail) => Error::Internal(detail),
        }
    }
}

pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<ExportQuery>,
) -> Result<Response, PageError> {
    let format = match query.format.as_deref() {
        None | Some("xlsx") => ExportFormat::Xlsx,
        Some("csv") => ExportFormat::Csv,
        Some("json") => ExportFormat::Json,
        Some(other) => {
            return Err(Error::BadRequest(format!(
                "Không có định dạng «{other}»: hãy chọn xlsx, csv hoặc json."
            ))
            .into())
        }
    };
    let requested = query.commune.filter(|c| !c.is_empty());
    if requested.is_none() {
        scope::whole_province(&caller)?;
    }
    let communes: Vec<String> = scope::list_commune(&state, &caller, requested)
        .await?
        .into_iter()
        .collect();
    let province = &caller.user.province_code;
    let exported = export(&state.store, province, &communes, format)
        .await
        .map_err(Error::from)?;
    let name = match communes.first() {
        Some(code) => format!("danh-sach-to-cnscd-{code}.{}", format.extension()),
        None => format!("danh-sach-to-cnscd-{province}.{}", format.extension()),
    };
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        exported.bytes,
    )
        .into_response())
}
