//! The one conversion from internal errors to HTTP responses. Users get a Vietnamese message that says what
//! to fix; internal details go to the log only.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use cnscd_domain::{FieldError, ValidationErrors};
use serde::Serialize;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Không tìm thấy {0}.")]
    NotFound(&'static str),
    #[error("Bản ghi đã được người khác thay đổi sau khi bạn mở nó (phiên bản hiện tại: {current_version}). Hãy tải lại, xem bản mới và lưu lại nếu cần.")]
    Conflict { current_version: i64 },
    /// Each message says what to fix and where: shown as they are, without a heading of their own.
    #[error("{}", .0.0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(" "))]
    Invalid(ValidationErrors),
    /// A unique value taken at the moment of saving: 409 naming the field.
    #[error("{}", .0.message)]
    Duplicate(FieldError),
    /// The record's state does not allow this now (a submitted report edited, a closed round answered): 409.
    #[error("{}", .0.message)]
    NotNow(FieldError),
    #[error("{0}")]
    BadRequest(String),
    /// The input cannot be used as it is (a file that is not a team list, a limit exceeded): 422.
    #[error("{0}")]
    Unprocessable(String),
    /// At the bound for this kind of work: 429, try again shortly.
    #[error("{0}")]
    Busy(String),
    #[error("Dữ liệu gửi lên quá lớn: biểu mẫu tối đa 1 MB, tệp tối đa như ghi bên ô chọn tệp (thư viện 20 MB).")]
    TooLarge,
    #[error("Bạn cần đăng nhập (hoặc gửi khoá API hợp lệ) để dùng chức năng này.")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error(
        "Biểu mẫu đã hết hạn hoặc không gửi từ trang của hệ thống. Hãy tải lại trang rồi gửi lại."
    )]
    CsrfRejected,
    #[error("Lỗi hệ thống; hãy thử lại sau hoặc báo quản trị viên.")]
    Internal(String),
}

/// The one conversion from a use case's error.
impl From<cnscd_services::Error> for Error {
    fn from(error: cnscd_services::Error) -> Self {
        use cnscd_services::Error as E;
        match error {
            E::NotFound(what) => Error::NotFound(what),
            E::Forbidden(message) => Error::Forbidden(message),
            E::Conflict { current_version } => Error::Conflict { current_version },
            E::Invalid(errors) => Error::Invalid(errors),
            E::Duplicate(field) => Error::Duplicate(field),
            E::NotNow(field) => Error::NotNow(field),
            E::Busy(message) => Error::Busy(message),
            E::Unreadable(message) => Error::Unprocessable(message),
            E::Internal(detail) => Error::Internal(detail),
        }
    }
}

/// The sign-in layer reads sessions and tokens from the store directly: through the same conversion.
impl From<cnscd_store::StoreError> for Error {
    fn from(error: cnscd_store::StoreError) -> Self {
        cnscd_services::Error::from(error).into()
    }
}

impl From<axum::extract::rejection::JsonRejection> for Error {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        rejected_input(rejection.status(), "JSON", rejection.body_text())
    }
}

impl From<axum::extract::rejection::FormRejection> for Error {
    fn from(rejection: axum::extract::rejection::FormRejection) -> Self {
        rejected_input(rejection.status(), "biểu mẫu", rejection.body_text())
    }
}

impl From<axum::extract::rejection::QueryRejection> for Error {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> Self {
        rejected_input(
            rejection.status(),
            "tham số truy vấn",
            rejection.body_text(),
        )
    }
}

impl From<axum::extract::rejection::PathRejection> for Error {
    fn from(rejection: axum::extract::rejection::PathRejection) -> Self {
        rejected_input(rejection.status(), "đường dẫn", rejection.body_text())
    }
}

/// Input that could not even be read: too large, or not of the expected shape.
fn rejected_input(status: StatusCode, what: &str, detail: String) -> Error {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        Error::TooLarge
    } else {
        Error::BadRequest(format!(
            "Dữ liệu {what} không đọc được: {}",
            explain_unreadable(&detail, None)
        ))
    }
}

/// The reader's English explanation (serde, axum) in Vietnamese: which field is missing, unknown or of the
/// wrong kind (`field`: its path, when known), and where.
pub(crate) fn explain_unreadable(detail: &str, field: Option<&str>) -> String {
    if detail.contains("Content-Type") {
        return "hãy gửi kèm tiêu đề Content-Type phù hợp (application/json cho API).".into();
    }
    let quoted = |after: &str| -> Option<String> {
        let rest = &detail[detail.find(after)? + after.len()..];
        Some(rest.split('`').next()?.to_string())
    };
    let place = detail
        .rfind(" at line ")
        .map(|i| {
            let numbers: Vec<&str> = detail[i..]
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
                .collect();
            match numbers.as_slice() {
                [line, column, ..] => format!(" (dòng {line}, cột {column})"),
                _ => String::new(),
            }
        })
        .unwrap_or_default();
    let what = if let Some(field) = quoted("missing field `") {
        format!("thiếu trường «{field}»")
    } else if let Some(field) = quoted("unknown field `") {
        format!("không có trường «{field}»")
    } else if detail.contains("invalid type") || detail.contains("invalid value") {
        // `…target type: leader.phone: invalid type: …` names the field by its path.
        let field = field
            .map(str::to_string)
            .or_else(|| {
                detail
                    .split_once("target type: ")
                    .and_then(|(_, rest)| rest.split_once(": invalid"))
                    .map(|(path, _)| path.to_string())
            })
            .map(|path| format!(" «{path}»"))
            .unwrap_or_default();
        format!("trường{field} có kiểu giá trị sai (ví dụ số thay cho chữ, hay chữ thay cho số)")
    } else if let Some((name, _)) = detail
        .split_once("query string: ")
        .and_then(|(_, rest)| rest.split_once(": "))
    {
        // `Failed to deserialize query string: page: invalid digit found in string`.
        format!("giá trị của «{name}» không đúng kiểu (ví dụ chữ thay cho số) hoặc không có trong danh sách cho phép")
    } else if detail.contains("EOF while parsing") {
        "dữ liệu bị cắt ngang, chưa đóng đủ ngoặc".to_string()
    } else {
        "sai cú pháp".to_string()
    };
    format!("{what}{place}.")
}

impl From<FieldError> for Error {
    fn from(error: FieldError) -> Self {
        Error::Invalid(ValidationErrors::single(error))
    }
}

impl From<ValidationErrors> for Error {
    fn from(errors: ValidationErrors) -> Self {
        Error::Invalid(errors)
    }
}

impl Error {
    /// The field errors a form shows next to its fields, when the error is about the input.
    pub fn field_errors(&self) -> Option<ValidationErrors> {
        match self {
            Error::Invalid(errors) => Some(errors.clone()),
            Error::Duplicate(field) | Error::NotNow(field) => {
                Some(ValidationErrors::single(field.clone()))
            }
            _ => None,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Conflict { .. } | Error::Duplicate(_) | Error::NotNow(_) => StatusCode::CONFLICT,
            Error::Invalid(_) | Error::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::Busy(_) => StatusCode::TOO_MANY_REQUESTS,
            Error::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Error::Unauthorized => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_) | Error::CsrfRejected => StatusCode::FORBIDDEN,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Error::NotFound(_) => "not_found",
            Error::Conflict { .. } => "conflict",
            Error::Duplicate(_) => "duplicate",
            Error::NotNow(_) => "not_now",
            Error::Invalid(_) => "invalid",
            Error::BadRequest(_) => "bad_request",
            Error::Unprocessable(_) => "unprocessable",
            Error::Busy(_) => "busy",
            Error::TooLarge => "too_large",
            Error::Unauthorized => "unauthorized",
            Error::Forbidden(_) => "forbidden",
            Error::CsrfRejected => "csrf_rejected",
            Error::Internal(_) => "internal",
        }
    }

    fn log(&self) {
        if let Error::Internal(detail) = self {
            tracing::error!(%detail, "request failed");
        }
    }

    /// The body of an API error.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.to_string(),
                fields: match self {
                    Error::Invalid(errors) => errors.0.clone(),
                    Error::Duplicate(field) | Error::NotNow(field) => vec![field.clone()],
                    _ => Vec::new(),
                },
                current_version: match self {
                    Error::Conflict { current_version } => Some(*current_version),
                    _ => None,
                },
            },
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// `not_found`, `conflict`, `duplicate`, `invalid`, `bad_request`, `unprocessable`, `busy`, `too_large`,
    /// `unauthorized`, `forbidden`, `csrf_rejected` or `internal`.
    pub code: &'static str,
    /// What went wrong and what to do, in Vietnamese.
    pub message: String,
    /// One entry per field at fault, when the input was invalid.
    pub fields: Vec<FieldError>,
    /// On a conflict: the version saved by someone else.
    pub current_version: Option<i64>,
}

/// An error answered as JSON (the API).
pub struct ApiError(pub Error);

impl<E: Into<Error>> From<E> for ApiError {
    fn from(error: E) -> Self {
        ApiError(error.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        (self.0.status(), Json(self.0.body())).into_response()
    }
}

/// An error answered as a page (the web application).
pub struct PageError(pub Error);

impl<E: Into<Error>> From<E> for PageError {
    fn from(error: E) -> Self {
        PageError(error.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0.log();
        let message = self.0.to_string();
        let page = crate::pages::error_page(&message, None);
        let mut response = (self.0.status(), Html(page)).into_response();
        response
            .extensions_mut()
            .insert(crate::pages::ErrorMessage(message));
        response
    }
}

impl Error {
    /// The answer for a route of either kind: JSON under `/api/`, a page elsewhere.
    pub(crate) fn into_page_or_api(self, path: &str) -> Response {
        if path.starts_with("/api/") {
            ApiError(self).into_response()
        } else {
            PageError(self).into_response()
        }
    }
}
