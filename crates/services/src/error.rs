//! Why a use case refused or failed, independent of how the caller is answered (HTTP status, CLI exit code).

use cnscd_domain::{FieldError, ValidationErrors};
use cnscd_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Không tìm thấy {0}.")]
    NotFound(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("Bản ghi đã được người khác thay đổi sau khi bạn mở nó (phiên bản hiện tại: {current_version}). Hãy tải lại, xem bản mới và lưu lại nếu cần.")]
    Conflict { current_version: i64 },
    #[error("{}", .0.0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(" "))]
    Invalid(ValidationErrors),
    /// A unique value taken at the moment of saving (someone saved the same at once).
    #[error("{}", .0.message)]
    Duplicate(FieldError),
    /// The record's state does not allow this now (a submitted report edited, a closed round answered).
    #[error("{}", .0.message)]
    NotNow(FieldError),
    /// The server is at its bound for this kind of work; try again shortly.
    #[error("{0}")]
    Busy(String),
    /// Input that cannot be read at all (a file that is not a spreadsheet, a limit exceeded).
    #[error("{0}")]
    Unreadable(String),
    #[error("Lỗi hệ thống; hãy thử lại sau hoặc báo quản trị viên.")]
    Internal(String),
}

impl From<StoreError> for Error {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(what) => Error::NotFound(what),
            StoreError::Conflict { current_version } => Error::Conflict { current_version },
            StoreError::Invalid(errors) => Error::Invalid(errors),
            StoreError::Duplicate(field) => Error::Duplicate(field),
            StoreError::NotNow(field) => Error::NotNow(field),
            StoreError::Busy(busy) => Error::Busy(format!("Máy chủ đang bận: {busy}.")),
            StoreError::Saturated => Error::Busy(format!("Máy chủ đang bận: {error}.")),
            other => Error::Internal(other.to_string()),
        }
    }
}

impl From<ValidationErrors> for Error {
    fn from(errors: ValidationErrors) -> Self {
        Error::Invalid(errors)
    }
}

impl From<FieldError> for Error {
    fn from(error: FieldError) -> Self {
        Error::Invalid(ValidationErrors::single(error))
    }
}

impl Error {
    /// The field errors to show next to a form's fields, if this is about the input.
    pub fn field_errors(&self) -> Option<ValidationErrors> {
        match self {
            Error::Invalid(errors) => Some(errors.clone()),
            Error::Duplicate(field) | Error::NotNow(field) => {
                Some(ValidationErrors::single(field.clone()))
            }
            _ => None,
        }
    }
}
