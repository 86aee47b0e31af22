//! Importing a commune's file from the browser: upload, see the errors or exactly what would change, apply.

use super::{render, render_with, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::scope;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use cnscd_services::import::{import_files, ImportError, ImportFile, ImportReport, ImportScope};
use cnscd_store::Actor;

/// Largest file accepted for import (a whole province's list is a few MB).
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

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
        }
    }
}

pub async fn form(caller: Caller) -> Result<Response, PageError> {
    scope::writer(&caller)?;
    render(&ImportPage::new(&caller))
}

impl From<ImportError> for Error {
    fn from(error: ImportError) -> Self {
        match error {
            ImportError::Unreadable(e) => Error::BadRequest(e.to_string()),
            ImportError::Store(e) => e.into(),
        }
    }
}

/// Reads the uploaded file and shows its problems, or what applying it would change.
pub async fn preview(
    State(state): State<AppState>,
    caller: Caller,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let mut upload: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| Error::BadRequest(format!("Tải tệp lên không thành công: {e}")))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("tep").to_string();
            let bytes = field.bytes().await.map_err(|_| Error::TooLarge)?;
            upload = Some((name, bytes.to_vec()));
        }
    }
    let actor = caller.actor();
    let mut page = ImportPage::new(&caller);
    let Some((name, bytes)) = upload.filter(|(name, bytes)| !name.is_empty() && !bytes.is_empty())
    else {
        page.message = Some("Hãy chọn một tệp .xlsx, .xls, .ods hoặc .csv.".into());
        return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    page.file_name = name.clone();
    scope::writer(&caller)?;
    let report = match import_files(
        &state.store,
        &import_scope(&caller, &actor),
        &[ImportFile {
            name: &name,
            bytes: &bytes,
        }],
        true,
    )
    .await
    {
        Ok(report) => report,
        Err(ImportError::Unreadable(error)) => {
            page.message = Some(error.to_string());
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(other) => return Err(Error::from(other).into()),
    };
    if !report.has_errors() {
        page.token = Some(
            state
                .store
                .save_pending_import(&caller.user.province_code, &name, &bytes)
                .await?,
        );
    }
    let status = if report.has_errors() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page.report = Some(report);
    render_with(status, &page)
}

/// Applies a previewed file.
pub async fn apply(
    State(state): State<AppState>,
    caller: Caller,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    scope::writer(&caller)?;
    let pending = state
        .store
        .pending_import(&caller.user.province_code, &token)
        .await?;
    let file = ImportFile {
        name: &pending.file_name,
        bytes: &pending.content,
    };
    let actor = caller.actor();
    let report = import_files(&state.store, &import_scope(&caller, &actor), &[file], false).await?;
    if !report.has_errors() {
        state.store.delete_pending_import(&token).await?;
    }
    let mut page = ImportPage::new(&caller);
    page.file_name = pending.file_name;
    page.applied = !report.has_errors();
    page.report = Some(report);
    render(&page)
}

/// What an import from this account may touch: its province, or an officer's commune.
fn import_scope<'a>(caller: &'a Caller, actor: &'a Actor) -> ImportScope<'a> {
    ImportScope {
        province_code: &caller.user.province_code,
        commune_code: caller.user.commune_code.as_deref(),
        actor,
    }
}
