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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct DecisionNumber(String);

/// Read back from JSON (a frozen team list) through the same check as typed input.
impl TryFrom<String> for DecisionNumber {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        Self::parse(&text).map_err(|e| e.message)
    }
}

impl From<DecisionNumber> for String {
    fn from(number: DecisionNumber) -> String {
        number.0
    }
}

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

static NUMBER_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d{1,6}(?:\s*/\s*\d{4})?\s*/\s*Q[ĐD]\s*-\s*[A-ZĐ][A-ZĐ0-9&.]*(?:\s*-\s*[A-ZĐ][A-ZĐ0-9&.]*)*)")
        .expect("valid regex")
});

/// A decision as written in a spreadsheet cell: `01/QĐ-UBND ngày 10/7/2025`, `Số 01/QĐ-UBND, ngày 10 tháng 7
/// năm 2025`, `QĐ số 01/QĐ-UBND` with the date on the next line, `01/QĐ-UBND - 10.7.2025`. `separate_date` is
/// a date written in a cell of its own, if the sheet has one.
pub fn parse_decision_text(
    text: &str,
    separate_date: &str,
) -> Result<(DecisionNumber, NaiveDate), FieldError> {
    let error = || {
        FieldError::new(
            "decision",
            "decision_invalid",
            format!(
                "Quyết định «{}» chưa đúng: hãy ghi số và ngày, ví dụ 01/QĐ-UBND ngày 10/7/2025.",
                clean_text(text).chars().take(80).collect::<String>()
            ),
        )
    };
    let cleaned = clean_text(text);
    let found = NUMBER_IN_TEXT.find(&cleaned).ok_or_else(error)?;
    let number = DecisionNumber::parse(found.as_str()).map_err(|_| error())?;
    let rest = format!("{} {}", &cleaned[found.end()..], &cleaned[..found.start()]);
    let date_text = if separate_date.trim().is_empty() {
        rest
    } else {
        separate_date.to_string()
    };
    let date = find_date(&date_text).ok_or_else(error)?;
    Ok((number, date))
}

/// The first date written in a text (`ngày 10/7/2025`, `10.07.2025`, `ngày 10 tháng 7 năm 2025`).
fn find_date(text: &str) -> Option<NaiveDate> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})")
            .expect("valid regex")
    });
    let found = DATE.find(text)?;
    crate::date::parse_date(
        "decision",
        &found.as_str().replace("tháng", " ").replace("năm", " "),
    )
    .ok()
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
    fn reads_decisions_as_communes_write_them() {
        let expected = (
            DecisionNumber::parse("01/QĐ-UBND").unwrap(),
            NaiveDate::from_ymd_opt(2025, 7, 10).unwrap(),
        );
        for written in [
            "01/QĐ-UBND ngày 10/7/2025",
            "01/QĐ-UBND\nngày 10/7/2025",
            "Số 01/QĐ-UBND, ngày 10 tháng 7 năm 2025",
            "01/QĐ-UBND ngày 10/07/2025",
            "QĐ số 01/QĐ-UBND\nngày 10/07/2025",
            "01/QĐ-UBND - 10.7.2025",
            "01/QD-UBND ngay 10/7/2025",
        ] {
            assert_eq!(
                parse_decision_text(written, "").unwrap(),
                expected,
                "{written}"
            );
        }
        assert_eq!(
            parse_decision_text("01/QĐ-UBND", "10/7/2025").unwrap(),
            expected,
            "date in its own cell"
        );
    }

    #[test]
    fn a_decision_without_number_or_date_is_invalid() {
        for bad in [
            "",
            "ngày 10/7/2025",
            "01/QĐ-UBND",
            "Quyết định thành lập tổ",
        ] {
            assert_eq!(
                parse_decision_text(bad, "").unwrap_err().code,
                "decision_invalid",
                "{bad}"
            );
        }
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
