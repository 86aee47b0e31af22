//! Importing a commune's file from the browser: upload, see the errors or exactly what would change, apply.

use super::{render, render_with, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use cnscd_services::import::{self, ImportFile, ImportReport};

/// Largest file accepted for import (a whole province's list is a few MB).
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;
/// Problems listed on the page; the full list is a download.
const PROBLEMS_SHOWN: usize = 300;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    layout: Layout,
    file_name: String,
    report: Option<ImportReport>,
    /// Set when the file can be applied.
    token: Option<String>,
    applied: bool,
    message: Option<String>,
    shown: usize,
}

impl ImportPage {
    fn new(caller: &Caller) -> Self {
        Self {
            layout: Layout::new(caller, "Nhập danh sách từ tệp"),
            file_name: String::new(),
            report: None,
            token: None,
            applied: false,
            message: None,
            shown: PROBLEMS_SHOWN,
        }
    }
}

pub async fn form(caller: Caller) -> Result<Response, PageError> {
    cnscd_services::scope::writer(&caller)?;
    render(&ImportPage::new(&caller))
}

/// The uploaded file of a multipart form.
async fn uploaded(mut multipart: Multipart) -> Result<Option<ImportFile>, Error> {
    let mut upload = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| Error::BadRequest(format!("Tải tệp lên không thành công: {e}")))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("tep").to_string();
            let bytes = field.bytes().await.map_err(|_| Error::TooLarge)?;
            upload = Some(ImportFile {
                name,
                bytes: bytes.to_vec(),
            });
        }
    }
    Ok(upload.filter(|f| !f.name.is_empty() && !f.bytes.is_empty()))
}

/// Reads the uploaded file and shows its problems, or what applying it would change.
pub async fn preview(
    State(state): State<AppState>,
    caller: Caller,
    multipart: Multipart,
) -> Result<Response, PageError> {
    cnscd_services::scope::writer(&caller)?;
    let mut page = ImportPage::new(&caller);
    let Some(file) = uploaded(multipart).await? else {
        page.message = Some("Hãy chọn một tệp .xlsx, .xls, .ods hoặc .csv.".into());
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    page.file_name = file.name.clone();
    let preview = match import::preview(&state.store, &caller, file).await {
        Ok(preview) => preview,
        Err(cnscd_services::Error::Unreadable(message)) => {
            page.message = Some(message);
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(other) => return Err(Error::from(other).into()),
    };
    let status = if preview.report.has_errors() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page.token = preview.token;
    page.report = Some(preview.report);
    render_with(status, &page)
}

/// Applies a previewed file.
pub async fn apply(
    State(state): State<AppState>,
    caller: Caller,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let (file_name, report) = import::apply(&state.store, &caller, &token).await?;
    let mut page = ImportPage::new(&caller);
    page.file_name = file_name;
    page.applied = !report.has_errors();
    page.report = Some(report);
    render(&page)
}

/// Every problem of a previewed file (up to the import's bound) as CSV, for a file with more than the page
/// lists.
pub async fn problems(
    State(state): State<AppState>,
    caller: Caller,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let csv = import::problems_csv(&state.store, &caller, &token).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"loi-tep-nhap.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}
