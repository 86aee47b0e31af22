use cnscd_domain::{FieldError, ValidationErrors};

/// What can go wrong when reading or writing the registry.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("không tìm thấy {0}")]
    NotFound(&'static str),
    /// Someone else saved the record since it was read; `current_version` is what they saved.
    #[error("bản ghi đã được người khác thay đổi (phiên bản hiện tại {current_version})")]
    Conflict { current_version: i64 },
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Database(#[from] sqlx::Error),
    #[error("lỗi di chuyển lược đồ: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("không tạo được thư mục dữ liệu {path}: {source}")]
    DataDirectory {
        path: String,
        source: std::io::Error,
    },
}

impl From<FieldError> for StoreError {
    fn from(error: FieldError) -> Self {
        StoreError::Invalid(ValidationErrors::single(error))
    }
}
