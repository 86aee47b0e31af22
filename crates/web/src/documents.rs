//! Turning a prepared official document into a download: on a blocking thread, at most two at once.

use crate::error::Error;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use cnscd_documents::{Format, RenderError};
use cnscd_services::documents::Prepared;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Layout is CPU work (a 166-commune report takes about a second): two at a time leave the other workers
/// free on a two-core server; a request waits for its turn up to [`WAIT_FOR_TURN`], then is refused.
static RENDERING: Semaphore = Semaphore::const_new(2);
const WAIT_FOR_TURN: Duration = Duration::from_secs(30);

/// `?format=pdf|docx` (PDF when absent).
pub fn format(code: Option<&str>) -> Result<Format, Error> {
    Format::parse(code).ok_or_else(|| {
        Error::BadRequest(
            "Định dạng văn bản chỉ là pdf hoặc docx (format=pdf, format=docx).".into(),
        )
    })
}

pub async fn download(prepared: Prepared, format: Format) -> Result<Response, Error> {
    let _turn = tokio::time::timeout(WAIT_FOR_TURN, RENDERING.acquire())
        .await
        .map_err(|_| {
            Error::Busy("Máy chủ đang dựng nhiều văn bản cùng lúc: hãy thử lại sau ít phút.".into())
        })?
        .map_err(|e| Error::Internal(e.to_string()))?;
    let Prepared {
        document,
        file_stem,
        ..
    } = prepared;
    let bytes = tokio::task::spawn_blocking(move || cnscd_documents::render(&document, format))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(|error| match error {
            RenderError::TooLarge { rows, max } => Error::Unprocessable(format!(
                "Văn bản có {rows} dòng bảng, quá giới hạn {max} dòng của một văn bản: hãy tải danh sách \
                 dạng Excel (Xuất danh sách) thay cho văn bản."
            )),
            RenderError::Unprintable { character, text } => Error::Unprocessable(format!(
                "Ký tự «{character}» trong «{}» không in được bằng phông chữ của văn bản PDF: hãy sửa chỗ đó \
                 (trong ô của văn bản, thông tin ban hành hoặc danh sách tổ), hoặc tải bản Word.",
                text.chars().take(80).collect::<String>()
            )),
            RenderError::Layout(detail) => Error::Internal(detail),
        })?;
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{file_stem}.{}\"",
                    format.extension()
                ),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
