//! Establishment and reorganisation decisions (Quyết định), numbered like `01/QĐ-UBND`.

use crate::errors::{FieldError, ValidationErrors};
use crate::text::clean_text;
use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

pub const MAX_SIGNER_CHARS: usize = 100;

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,6})(/\d{4})?/QĐ-([A-ZĐ0-9&.]+(?:-[A-ZĐ0-9&.]+)*)$").expect("valid regex")
});

/// A decision number in its canonical writing: `01/QĐ-UBND`, `125/2025/QĐ-UBND`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct DecisionNumber(String);

impl DecisionNumber {
    /// Accepts `01/QĐ-UBND`, `01/QD-UBND`, `Số: 01 / QĐ - UBND`, `số 01/qđ-ubnd`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let cleaned = clean_text(input).to_uppercase();
        let without_label = cleaned
            .strip_prefix("SỐ")
            .map(|rest| rest.trim_start_matches([':', ' ']))
            .unwrap_or(&cleaned);
        let compact: String = without_label
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .replace("/QD-", "/QĐ-");
        if NUMBER.is_match(&compact) {
            Ok(Self(compact))
        } else {
            Err(FieldError::new(
                "number",
                "decision_invalid",
                format!(
                    "Số quyết định «{}» không đúng dạng: hãy ghi như 01/QĐ-UBND.",
                    input.trim().chars().take(60).collect::<String>()
                ),
            ))
        }
    }

    pub fn from_stored(number: String) -> Self {
        Self(number)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether a decision establishes teams or reorganises (kiện toàn) existing ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DecisionKind {
    Establish,
    Reorganise,
}

impl DecisionKind {
    pub fn code(self) -> &'static str {
        match self {
            DecisionKind::Establish => "establish",
            DecisionKind::Reorganise => "reorganise",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DecisionKind::Establish => "Thành lập",
            DecisionKind::Reorganise => "Kiện toàn",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [DecisionKind::Establish, DecisionKind::Reorganise]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// What a person typed for a decision, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionDraft {
    pub number: String,
    pub signed_on: String,
    #[serde(default)]
    pub signer: String,
    /// `establish` (the default) or `reorganise`.
    #[serde(default)]
    pub kind: String,
}

/// A decision whose every field is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDecision {
    pub number: DecisionNumber,
    pub signed_on: NaiveDate,
    pub signer: String,
    pub kind: DecisionKind,
}

impl DecisionDraft {
    pub fn validate(&self) -> Result<ValidDecision, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let number = errors.check(DecisionNumber::parse(&self.number));
        let signed_on = errors.check(crate::date::parse_date("signed_on", &self.signed_on));
        let signer = clean_text(&self.signer);
        if signer.chars().count() > MAX_SIGNER_CHARS {
            errors.push(FieldError::new(
                "signer",
                "signer_too_long",
                format!("Người ký dài quá {MAX_SIGNER_CHARS} ký tự."),
            ));
        }
        let kind = match self.kind.trim() {
            "" => Some(DecisionKind::Establish),
            code => DecisionKind::from_code(code).or_else(|| {
                errors.push(FieldError::new(
                    "kind",
                    "kind_invalid",
                    "Loại quyết định phải là «establish» (thành lập) hoặc «reorganise» (kiện toàn).",
                ));
                None
            }),
        };
        errors.into_result()?;
        Ok(ValidDecision {
            number: number.expect("checked"),
            signed_on: signed_on.expect("checked"),
            signer,
            kind: kind.expect("checked"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonicalises_numbers() {
        for written in [
            "01/QĐ-UBND",
            "01/QD-UBND",
            "Số: 01 / QĐ - UBND",
            "số 01/qđ-ubnd",
            "01/Qđ-UBND",
        ] {
            assert_eq!(
                DecisionNumber::parse(written).unwrap().as_str(),
                "01/QĐ-UBND",
                "{written}"
            );
        }
        assert_eq!(
            DecisionNumber::parse("125/2025/QĐ-UBND").unwrap().as_str(),
            "125/2025/QĐ-UBND"
        );
        assert_eq!(
            DecisionNumber::parse("15/QĐ-CT.UBND").unwrap().as_str(),
            "15/QĐ-CT.UBND"
        );
    }

    #[test]
    fn refuses_other_writings() {
        for bad in ["", "QĐ-UBND", "01/UBND", "abc", "01/QĐ-"] {
            assert_eq!(
                DecisionNumber::parse(bad).unwrap_err().code,
                "decision_invalid",
                "{bad}"
            );
        }
    }

    #[test]
    fn a_decision_needs_number_and_date() {
        let draft = DecisionDraft {
            number: "x".into(),
            signed_on: "".into(),
            ..Default::default()
        };
        let errors = draft.validate().unwrap_err();
        assert!(errors.for_field("number").is_some());
        assert!(errors.for_field("signed_on").is_some());
        let good = DecisionDraft {
            number: "01/QĐ-UBND".into(),
            signed_on: "10/7/2025".into(),
            ..Default::default()
        };
        assert_eq!(good.validate().unwrap().kind, DecisionKind::Establish);
    }
}
