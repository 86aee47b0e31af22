//! What a form shows: the values as typed, and an error next to each field at fault.

use crate::error::PageError;
use axum::extract::{FromRequest, Request};
use axum::Form;
use cnscd_domain::ValidationErrors;

/// A submitted form as name/value pairs (repeated names kept, as checkboxes send them).
pub struct Submitted(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for Submitted {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        // A script may send a form's action without a body (nothing to say): that is an empty form.
        if !request
            .headers()
            .contains_key(axum::http::header::CONTENT_TYPE)
        {
            return Ok(Self(Vec::new()));
        }
        let Form(pairs) = Form::<Vec<(String, String)>>::from_request(request, state).await?;
        Ok(Self(pairs))
    }
}

impl Submitted {
    /// Reads the form from a request a handler also needs whole (for its headers or peer address).
    pub async fn from_body(request: Request) -> Result<Self, PageError> {
        Self::from_request(request, &()).await
    }

    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The `version` field that every edit form carries.
    pub fn version(&self) -> i64 {
        self.get("version").trim().parse().unwrap_or(-1)
    }
}

#[derive(Debug, Default)]
pub struct FormView {
    values: Vec<(String, String)>,
    errors: ValidationErrors,
    /// A message above the form (e.g. the record changed meanwhile).
    pub notice: Option<String>,
    /// What the list of errors is headed with, when not "not saved" (a draft saved but not submitted).
    pub errors_heading: Option<String>,
}

impl FormView {
    pub fn with_values<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            values: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            ..Default::default()
        }
    }

    pub fn submitted(form: &Submitted, errors: ValidationErrors) -> Self {
        Self {
            values: form.0.clone(),
            errors,
            notice: None,
            errors_heading: None,
        }
    }

    /// The form again after someone else saved the record first: what the person typed is kept, the
    /// `version` becomes the one now saved (saving again is then a deliberate overwrite), and the notice
    /// says, in plain words, what the other person saved.
    pub fn after_conflict(
        form: &Submitted,
        current_version: i64,
        theirs: &[(&str, String)],
    ) -> Self {
        let mut values: Vec<(String, String)> = form
            .0
            .iter()
            .filter(|(k, _)| k != "version" && k != "csrf")
            .cloned()
            .collect();
        values.push(("version".into(), current_version.to_string()));
        let saved = theirs
            .iter()
            .map(|(label, value)| format!("{label}: «{value}»"))
            .collect::<Vec<_>>()
            .join("; ");
        Self {
            values,
            errors: ValidationErrors::default(),
            notice: Some(format!(
                "Người khác đã lưu bản ghi này trong lúc bạn đang sửa. Họ đã lưu — {saved}. Những gì bạn gõ vẫn \
                 còn trong ô dưới đây: xem lại, rồi bấm lưu nếu vẫn muốn thay bằng của bạn."
            )),
            errors_heading: None,
        }
    }

    /// Replaces a value (the `version` after a change that was saved before the form was refused).
    pub fn set(&mut self, name: &str, value: String) {
        self.values.retain(|(k, _)| k != name);
        self.values.push((name.to_string(), value));
    }

    pub fn value(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn has_value(&self, name: &str, value: &str) -> bool {
        self.values.iter().any(|(k, v)| k == name && v == value)
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors.for_field(name)
    }

    pub fn heading(&self) -> &str {
        self.errors_heading
            .as_deref()
            .unwrap_or("Chưa lưu được, hãy sửa:")
    }

    pub fn messages(&self) -> Vec<&str> {
        self.errors.0.iter().map(|e| e.message.as_str()).collect()
    }
}
