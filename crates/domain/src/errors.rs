//! Validation errors that name the field at fault and say, in Vietnamese, what to fix.

use serde::Serialize;

/// One problem with one field of an input. `code` is stable for machines; `message` is for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_string(),
            code,
            message: message.into(),
        }
    }
}

/// All problems found in one input, reported together so the user fixes them in one pass.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("dữ liệu không hợp lệ: {}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(" "))]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for one field, if it has one (forms show it next to that field).
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// Keeps the value when valid, records the error under `field` otherwise.
    pub fn check<T, E: Into<FieldError>>(&mut self, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.push(error.into());
                None
            }
        }
    }

    /// Keeps the value when valid, records every error of a part validated on its own otherwise.
    pub fn check_all<T>(&mut self, result: Result<T, ValidationErrors>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(errors) => {
                self.0.extend(errors.0);
                None
            }
        }
    }

    pub fn into_result(self) -> Result<(), Self> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    pub fn single(error: FieldError) -> Self {
        Self(vec![error])
    }
}
