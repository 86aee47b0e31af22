//! Reading stored codes and dates back. A value the application never writes (an unknown role, a date that
//! does not parse) means the database was changed behind its back: the read fails loudly instead of showing a
//! default in its place.

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;

fn unreadable(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: format!("giá trị lưu «{value}» không hợp lệ").into(),
    }
}

/// A stored code read by `parse` (`Role::from_code`, …).
pub(crate) fn parse_stored<T>(
    row: &AnyRow,
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, sqlx::Error> {
    let text: String = row.try_get(column)?;
    parse_text(column, &text, parse)
}

/// A stored code read by `parse` from text already taken from its row (gathered rows).
pub(crate) fn parse_text<T>(
    column: &str,
    text: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, sqlx::Error> {
    parse(text).ok_or_else(|| unreadable(column, text))
}

/// A stored code, or `None` when NULL.
pub(crate) fn parse_optional<T>(
    row: &AnyRow,
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, sqlx::Error> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|t| parse_text(column, &t, &parse)).transpose()
}

pub(crate) fn date_from_text(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// A date column (`YYYY-MM-DD`) that may be NULL.
pub(crate) fn optional_date(row: &AnyRow, column: &str) -> Result<Option<NaiveDate>, sqlx::Error> {
    parse_optional(row, column, date_from_text)
}

/// A date column that is never NULL.
pub(crate) fn required_date(row: &AnyRow, column: &str) -> Result<NaiveDate, sqlx::Error> {
    parse_stored(row, column, date_from_text)
}

/// A JSON text column that may be NULL.
pub(crate) fn optional_json(
    row: &AnyRow,
    column: &str,
) -> Result<Option<serde_json::Value>, sqlx::Error> {
    parse_optional(row, column, |t| serde_json::from_str(t).ok())
}
