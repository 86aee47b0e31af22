//! Reporting rounds (đợt báo cáo): the Department asks every commune of the province for its figures, its
//! narrative and its confirmed team list by a deadline, then accepts or returns each report.

mod deadline;
mod figures;
mod indicator;
mod progress;
mod state;

pub use deadline::{check_deadline_ahead, deadline_note, parse_deadline, show_instant};
pub use figures::{
    check_complete, parse_figures, FigureInput, Narrative, NarrativeDraft, MAX_FIGURE,
};
pub use indicator::{
    parse_indicator_code, Indicator, IndicatorDraft, DEFAULT_INDICATORS, REGISTRY_INDICATORS,
};
pub use progress::{on_time, Completeness, ReportLine};
pub use state::ReportState;

use crate::errors::{FieldError, ValidationErrors};
use crate::text::clean_text;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_TITLE_CHARS: usize = 300;
pub const MAX_BASIS_CHARS: usize = 300;
/// A round asks for at most this many indicators (a form of 40 numbers is already long).
pub const MAX_ROUND_INDICATORS: usize = 40;

/// What kind of report a round asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RoundKind {
    /// Kiện toàn danh sách: the commune confirms its teams.
    Roster,
    Monthly,
    Quarterly,
    HalfYear,
    Yearly,
    /// Đột xuất.
    AdHoc,
}

impl RoundKind {
    pub const ALL: [RoundKind; 6] = [
        RoundKind::Roster,
        RoundKind::Monthly,
        RoundKind::Quarterly,
        RoundKind::HalfYear,
        RoundKind::Yearly,
        RoundKind::AdHoc,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RoundKind::Roster => "roster",
            RoundKind::Monthly => "monthly",
            RoundKind::Quarterly => "quarterly",
            RoundKind::HalfYear => "half_year",
            RoundKind::Yearly => "yearly",
            RoundKind::AdHoc => "ad_hoc",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RoundKind::Roster => "Kiện toàn danh sách",
            RoundKind::Monthly => "Báo cáo tháng",
            RoundKind::Quarterly => "Báo cáo quý",
            RoundKind::HalfYear => "Báo cáo 6 tháng",
            RoundKind::Yearly => "Báo cáo năm",
            RoundKind::AdHoc => "Báo cáo đột xuất",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A round as typed in the form or sent to the API, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundDraft {
    /// `Báo cáo kết quả hoạt động Tổ CNSCĐ quý III/2025`.
    pub title: String,
    /// RFC 3339 with its offset (`2025-07-15T17:00:00+07:00`), or `15/07/2025 17:00` in Vietnam time; a date
    /// alone means the end of that day in Vietnam.
    pub deadline: String,
    /// The legal basis: `Công văn số 1234/SKHCN-CĐS ngày 10/7/2025`.
    #[serde(default)]
    pub basis: String,
    /// `roster`, `monthly`, `quarterly`, `half_year`, `yearly` or `ad_hoc` (default `ad_hoc`).
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub period_start: String,
    #[serde(default)]
    pub period_end: String,
    /// Indicator codes asked for; the province's default set when absent.
    #[serde(default)]
    pub indicators: Option<Vec<String>>,
}

/// A round whose every field is valid (indicator codes are checked against the catalogue by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRound {
    pub title: String,
    pub basis: String,
    pub kind: RoundKind,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub deadline: DateTime<Utc>,
    pub indicators: Option<Vec<String>>,
}

fn bounded(
    errors: &mut ValidationErrors,
    field: &str,
    text: &str,
    max: usize,
    what: &str,
) -> String {
    let cleaned = clean_text(text);
    if cleaned.chars().count() > max {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("{what} dài quá {max} ký tự."),
        ));
    }
    cleaned
}

fn optional_date(errors: &mut ValidationErrors, field: &str, text: &str) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        return None;
    }
    errors.check(crate::date::parse_date(field, text))
}

impl RoundDraft {
    pub fn validate(&self) -> Result<ValidRound, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = bounded(
            &mut errors,
            "title",
            &self.title,
            MAX_TITLE_CHARS,
            "Tên đợt",
        );
        if title.is_empty() {
            errors.push(FieldError::new(
                "title",
                "required",
                "Hãy ghi tên đợt báo cáo, ví dụ «Báo cáo kết quả hoạt động quý III/2025».",
            ));
        }
        let basis = bounded(&mut errors, "basis", &self.basis, MAX_BASIS_CHARS, "Căn cứ");
        let kind = match self.kind.trim() {
            "" => Some(RoundKind::AdHoc),
            code => RoundKind::from_code(code).or_else(|| {
                errors.push(FieldError::new(
                    "kind",
                    "kind_invalid",
                    "Loại đợt phải là một trong: roster, monthly, quarterly, half_year, yearly, ad_hoc.",
                ));
                None
            }),
        };
        let period_start = optional_date(&mut errors, "period_start", &self.period_start);
        let period_end = optional_date(&mut errors, "period_end", &self.period_end);
        if let (Some(start), Some(end)) = (period_start, period_end) {
            if end < start {
                errors.push(FieldError::new(
                    "period_end",
                    "period_reversed",
                    "Kỳ báo cáo kết thúc trước khi bắt đầu: hãy kiểm tra hai ngày.",
                ));
            }
        }
        let deadline = errors.check(parse_deadline("deadline", &self.deadline));
        let indicators = self.indicators.as_ref().map(|codes| {
            let mut unique: Vec<String> = Vec::new();
            for code in codes {
                let code = code.trim().to_string();
                if !code.is_empty() && !unique.contains(&code) {
                    unique.push(code);
                }
            }
            unique
        });
        if let Some(codes) = &indicators {
            if codes.is_empty() || codes.len() > MAX_ROUND_INDICATORS {
                errors.push(FieldError::new(
                    "indicators",
                    "indicators_count",
                    format!("Hãy chọn từ 1 đến {MAX_ROUND_INDICATORS} chỉ tiêu."),
                ));
            }
        }
        errors.into_result()?;
        Ok(ValidRound {
            title,
            basis,
            kind: kind.expect("checked"),
            period_start,
            period_end,
            deadline: deadline.expect("checked"),
            indicators,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> RoundDraft {
        RoundDraft {
            title: "  Báo cáo   quý III/2025 ".into(),
            deadline: "2025-07-15T17:00:00+07:00".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_plain_round_is_ad_hoc_with_the_default_indicators() {
        let round = draft().validate().unwrap();
        assert_eq!(round.title, "Báo cáo quý III/2025");
        assert_eq!(round.kind, RoundKind::AdHoc);
        assert_eq!(round.indicators, None);
        assert_eq!(round.deadline.to_rfc3339(), "2025-07-15T10:00:00+00:00");
    }

    #[test]
    fn every_fault_is_named_by_its_field() {
        let errors = RoundDraft {
            title: " ".into(),
            deadline: "mai".into(),
            kind: "weekly".into(),
            period_start: "01/10/2025".into(),
            period_end: "30/09/2025".into(),
            indicators: Some(vec![]),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        for field in ["title", "deadline", "kind", "period_end", "indicators"] {
            assert!(errors.for_field(field).is_some(), "{field}: {errors:?}");
        }
    }

    #[test]
    fn indicator_codes_are_kept_once_in_their_order() {
        let round = RoundDraft {
            indicators: Some(vec!["b".into(), " a ".into(), "b".into()]),
            ..draft()
        }
        .validate()
        .unwrap();
        assert_eq!(round.indicators, Some(vec!["b".into(), "a".into()]));
    }
}
