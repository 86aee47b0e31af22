//! Importing a commune's file from the browser: upload, see the errors or exactly what would change, apply.

use super::form::Submitted;
use super::see_other;
use super::upload::{chosen, field, read_form};
use super::{render, render_with, Layout};
use crate::auth::Caller;
use crate::error::{Error, PageError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use cnscd_services::import::{self, ImportFile, ImportMode, ImportReport};

/// Largest file accepted for import (a whole province's list is a few MB).
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;
/// Problems listed on the page; the full list is a download.
const PROBLEMS_SHOWN: usize = 300;
/// Names listed per kind of change and commune; the full list is the same download.
const CHANGES_LISTED: usize = 100;

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
    /// What the last action did (an undo), said once after the redirect.
    notice: Option<&'static str>,
    /// The communes whose removal boxes were ticked when applying was refused (they stay ticked).
    ticked: Vec<String>,
    shown: usize,
    /// Names listed per kind of change before the rest is left to the CSV.
    listed: usize,
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
            notice: None,
            ticked: Vec::new(),
            shown: PROBLEMS_SHOWN,
            listed: CHANGES_LISTED,
        }
    }

    fn listed(&self) -> usize {
        self.listed
    }

    fn is_ticked(&self, code: &str) -> bool {
        self.ticked.iter().any(|t| t == code)
    }

    fn mode_label(&self, mode: &str) -> &'static str {
        match ImportMode::from_code(mode) {
            Some(ImportMode::AddAndUpdate) => {
                "chỉ thêm và cập nhật (không bỏ tổ hay thành viên nào)"
            }
            _ => "thay danh sách của mỗi xã/phường có trong tệp",
        }
    }
}

#[derive(serde::Deserialize)]
pub struct FormQuery {
    /// `undone`: an import of several communes was just undone.
    done: Option<String>,
}

pub async fn form(
    caller: Caller,
    super::PageQuery(query): super::PageQuery<FormQuery>,
) -> Result<Response, PageError> {
    cnscd_services::scope::writer(&caller)?;
    let mut page = ImportPage::new(&caller);
    if query.done.as_deref() == Some("undone") {
        page.notice = Some(
            "Đã hoàn tác lần nhập: danh sách tổ của các xã/phường trong tệp đã trở lại như trước lần nhập đó.",
        );
    }
    render(&page)
}

/// Reads the uploaded file and shows its problems, or what applying it would change.
pub async fn preview(
    State(state): State<AppState>,
    caller: Caller,
    multipart: Multipart,
) -> Result<Response, PageError> {
    cnscd_services::scope::writer(&caller)?;
    let mut page = ImportPage::new(&caller);
    let (upload, fields) = read_form(multipart).await?;
    let mode = ImportMode::from_code(field(&fields, "mode")).unwrap_or_default();
    let file = match chosen(upload, ".xlsx, .xls, .ods hoặc .csv") {
        Ok(file) => ImportFile {
            name: file.name,
            bytes: file.bytes,
        },
        Err(message) => {
            page.message = Some(message);
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    page.file_name = file.name.clone();
    let preview = match import::preview(&state.store, &caller, file, mode).await {
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

/// Applies a previewed file (a large removal only with its box ticked).
pub async fn apply(
    State(state): State<AppState>,
    caller: Caller,
    Path(token): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    // One box per commune that loses more than a fifth, each ticked on its own.
    let confirmed = form.all("confirm_removals");
    let ticked = confirmed.clone();
    let seen = Some(form.get("plan")).filter(|plan| !plan.is_empty());
    let (file_name, report) = import::apply(&state.store, &caller, &token, confirmed, seen).await?;
    let mut page = ImportPage::new(&caller);
    page.file_name = file_name;
    page.applied = report.import_id.is_some();
    let status = if page.applied {
        StatusCode::OK
    } else {
        page.token = Some(token);
        StatusCode::UNPROCESSABLE_ENTITY
    };
    if report.stale_preview {
        page.message = Some(
            "Chưa áp dụng: sổ đã thay đổi từ lúc bạn xem trước (có người vừa sửa hoặc nhập một tệp khác), nên \
             tệp này giờ thay đổi khác đi. Dưới đây là những thay đổi theo sổ hiện nay: hãy xem lại rồi áp dụng."
                .into(),
        );
    } else if report.removals_refused {
        let unconfirmed: Vec<&str> = report
            .large_removals()
            .into_iter()
            .filter(|c| !ticked.contains(&c.code))
            .map(|c| c.name.as_str())
            .collect();
        page.message = Some(format!(
            "Chưa áp dụng: tệp sẽ bỏ hơn một phần năm số tổ hoặc thành viên của {}, chưa được xác nhận. Hãy \
             xem kỹ danh sách dưới đây và đánh dấu ô xác nhận của từng xã/phường nếu đúng là như vậy.",
            unconfirmed.join(", ")
        ));
        page.ticked = ticked;
    }
    page.report = Some(report);
    render_with(status, &page)
}

/// Undoes an applied import, then shows the commune's page (or the import page for several communes).
pub async fn undo(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let record = import::undo(&state.store, &caller, id).await?;
    match record.communes.as_slice() {
        [one] => see_other(format!("/communes/{}?done=undone", one.code)),
        _ => see_other("/import?done=undone".into()),
    }
}

/// Every problem and every change of a previewed file (up to the import's bound) as CSV, for a file with more
/// than the page lists.
pub async fn report(
    State(state): State<AppState>,
    caller: Caller,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let csv = import::report_csv(&state.store, &caller, &token).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"kiem-tra-tep-nhap.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}
