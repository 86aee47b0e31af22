use cnscd_domain::{FieldError, ValidationErrors};

/// What can go wrong when reading or writing the registry.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("không tìm thấy {0}")]
    NotFound(&'static str),
    /// Someone else saved the record since it was read; `current_version` is what they saved.
    #[error("bản ghi đã được người khác thay đổi (phiên bản hiện tại {current_version})")]
    Conflict { current_version: i64 },
    /// A value that must be unique is already taken, found by the database at the moment of writing (two
    /// people saving at once): the field at fault and what to do.
    #[error("{}", .0.message)]
    Duplicate(FieldError),
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// The record's state does not allow this now (a submitted report edited, a closed round answered): what
    /// stands in the way and what to do.
    #[error("{}", .0.message)]
    NotNow(FieldError),
    /// Too many password checks at once: try again shortly.
    #[error(transparent)]
    Busy(#[from] crate::secrets::HashingBusy),
    /// Every database connection stayed taken for the pool's whole wait (a long change, such as a province's
    /// import or undo, holds what the others wait for): try again shortly.
    #[error(
        "mọi kết nối tới cơ sở dữ liệu đang bận (có thể một lần nhập hay hoàn tác cả tỉnh đang chạy); hãy thử \
         lại sau ít phút"
    )]
    Saturated,
    /// A change without an audit entry: a programming error, refused rather than committed.
    #[error("thay đổi không ghi nhật ký")]
    Unaudited,
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Database(sqlx::Error),
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

/// The unique keys a simultaneous write can collide on, by the name PostgreSQL gives them and the words
/// SQLite's message uses, with the field error to show.
fn duplicate_of(constraint: &str) -> Option<FieldError> {
    let has = |names: &[&str]| names.iter().any(|n| constraint.contains(n));
    if has(&["members_one_leader", "members.team_id"]) {
        Some(FieldError::new(
            "role",
            "leader_multiple",
            "Tổ đã có tổ trưởng (vừa được người khác lưu). Mỗi tổ chỉ có một tổ trưởng: hãy tải lại trang.",
        ))
    } else if has(&["decisions_commune_code_number", "decisions.commune_code"]) {
        Some(FieldError::new(
            "number",
            "decision_duplicate",
            "Quyết định cùng số và ngày đã được ghi nhận cho xã/phường này.",
        ))
    } else if has(&["users_username", "users.username"]) {
        Some(FieldError::new(
            "username",
            "username_taken",
            "Tên đăng nhập này đã có người dùng; chọn tên khác.",
        ))
    } else {
        None
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        if matches!(error, sqlx::Error::PoolTimedOut) {
            return StoreError::Saturated;
        }
        if let sqlx::Error::Database(database) = &error {
            // PostgreSQL broke a cycle of changes waiting for each other by cancelling this one.
            if matches!(database.code().as_deref(), Some("40P01" | "40001")) {
                return StoreError::NotNow(FieldError::new(
                    "record",
                    "write_contended",
                    "Một thay đổi khác trên cùng dữ liệu được lưu đúng lúc này nên thay đổi của bạn chưa được ghi. \
                     Hãy tải lại trang và thử lại.",
                ));
            }
            if database.kind() == sqlx::error::ErrorKind::UniqueViolation {
                let name = database
                    .constraint()
                    .map_or_else(|| database.message().to_string(), str::to_string);
                if let Some(field) = duplicate_of(&name) {
                    return StoreError::Duplicate(field);
                }
            }
        }
        StoreError::Database(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_databases_name_the_leader_key() {
        for name in [
            "members_one_leader",
            "UNIQUE constraint failed: members.team_id",
        ] {
            assert_eq!(duplicate_of(name).unwrap().code, "leader_multiple");
        }
        assert!(duplicate_of("search_terms_pkey").is_none());
    }

    #[test]
    fn a_pool_with_no_free_connection_is_a_busy_server_not_a_fault() {
        assert!(matches!(
            StoreError::from(sqlx::Error::PoolTimedOut),
            StoreError::Saturated
        ));
    }
}
