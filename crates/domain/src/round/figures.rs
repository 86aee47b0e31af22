//! What a commune reports in a round: whole, non-negative figures for the round's indicators, and three
//! paragraphs of narrative (results, difficulties, proposals).

use super::Indicator;
use crate::errors::{FieldError, ValidationErrors};
use crate::text::clean_paragraphs;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// No commune counts a billion of anything in a round: a larger figure is a typing slip.
pub const MAX_FIGURE: i64 = 999_999_999;
pub const MAX_NARRATIVE_CHARS: usize = 20_000;

/// A figure as sent: a JSON number, or text typed in a form (`1.250`, `1 250`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FigureInput {
    Whole(i64),
    Fraction(f64),
    Text(String),
    /// `true`/`false`: not a number.
    Flag(bool),
    /// `null`: not given.
    Empty(()),
}

/// Digits with thousands grouped by `.` or a space, as Vietnamese people write them (`,` is their decimal mark).
static GROUPED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,3}(?:[. ]\d{3})+$").expect("valid regex"));

fn figure(indicator: &Indicator, input: &FigureInput) -> Result<Option<i64>, FieldError> {
    let field = format!("figures.{}", indicator.code);
    let wrong = |why: &str| {
        FieldError::new(
            &field,
            "figure_invalid",
            format!("«{}»: {why}", indicator.name),
        )
    };
    let value = match input {
        FigureInput::Whole(n) => *n,
        FigureInput::Fraction(_) => {
            return Err(wrong(
                "Số liệu phải là số nguyên (không có phần thập phân).",
            ))
        }
        FigureInput::Flag(_) => return Err(wrong("Số liệu phải là một số nguyên không âm.")),
        FigureInput::Empty(()) => return Ok(None),
        FigureInput::Text(text) => {
            // Spaces pasted from Word or Excel are often non-breaking: a space all the same.
            let text = text
                .replace(['\u{a0}', '\u{202f}', '\u{2007}'], " ")
                .trim()
                .to_string();
            if text.is_empty() {
                return Ok(None);
            }
            let digits = if GROUPED.is_match(&text) {
                text.replace(['.', ' '], "")
            } else {
                text.clone()
            };
            match digits.parse::<i64>() {
                Ok(n) => n,
                Err(_) if text.starts_with('-') => i64::MIN,
                Err(_) if digits.chars().all(|c| c.is_ascii_digit()) => i64::MAX,
                Err(_) => {
                    return Err(wrong(
                        "Số liệu phải là số nguyên không âm, ví dụ 120 (ghi 0 nếu không có).",
                    ))
                }
            }
        }
    };
    if value < 0 {
        return Err(wrong("Số liệu không được âm."));
    }
    if value > MAX_FIGURE {
        return Err(wrong("Số liệu lớn bất thường: hãy kiểm tra lại."));
    }
    Ok(Some(value))
}

/// The figures given for the indicators `asked`; an indicator left empty is simply not given yet (a draft).
/// A code the round does not ask for is an error naming it.
pub fn parse_figures(
    asked: &[Indicator],
    given: &BTreeMap<String, FigureInput>,
) -> Result<BTreeMap<String, i64>, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let mut figures = BTreeMap::new();
    for (code, input) in given {
        let Some(indicator) = asked.iter().find(|i| &i.code == code) else {
            errors.push(FieldError::new(
                &format!("figures.{code}"),
                "indicator_not_asked",
                format!("Đợt báo cáo này không hỏi chỉ tiêu «{code}»."),
            ));
            continue;
        };
        if let Some(Some(value)) = errors.check(figure(indicator, input)) {
            figures.insert(code.clone(), value);
        }
    }
    errors.into_result()?;
    Ok(figures)
}

/// A report can be submitted when every indicator asked has a figure (0 is an answer) and the results are
/// written (difficulties and proposals may be empty).
pub fn check_complete(
    asked: &[Indicator],
    figures: &BTreeMap<String, i64>,
    narrative: &Narrative,
) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    if narrative.results.trim().is_empty() {
        errors.push(FieldError::new(
            "narrative.results",
            "results_missing",
            "Hãy viết phần «Kết quả đạt được» trước khi nộp.",
        ));
    }
    for indicator in asked {
        if !figures.contains_key(&indicator.code) {
            errors.push(FieldError::new(
                &format!("figures.{}", indicator.code),
                "figure_missing",
                format!("Chưa có số liệu «{}» (ghi 0 nếu không có).", indicator.name),
            ));
        }
    }
    errors.into_result()
}

/// The narrative as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NarrativeDraft {
    /// Kết quả đạt được.
    #[serde(default)]
    pub results: String,
    /// Khó khăn, vướng mắc.
    #[serde(default)]
    pub difficulties: String,
    /// Đề xuất, kiến nghị.
    #[serde(default)]
    pub proposals: String,
}

/// The narrative, cleaned and within bounds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Narrative {
    pub results: String,
    pub difficulties: String,
    pub proposals: String,
}

impl NarrativeDraft {
    pub fn validate(&self) -> Result<Narrative, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut part = |field: &str, text: &str| {
            let cleaned = clean_paragraphs(text);
            if cleaned.chars().count() > MAX_NARRATIVE_CHARS {
                errors.push(FieldError::new(
                    &format!("narrative.{field}"),
                    "too_long",
                    format!("Phần này dài quá {MAX_NARRATIVE_CHARS} ký tự: hãy rút gọn."),
                ));
            }
            cleaned
        };
        let narrative = Narrative {
            results: part("results", &self.results),
            difficulties: part("difficulties", &self.difficulties),
            proposals: part("proposals", &self.proposals),
        };
        errors.into_result()?;
        Ok(narrative)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked() -> Vec<Indicator> {
        Indicator::defaults()
            .into_iter()
            .filter(|i| i.code == "public_services" || i.code == "sessions_held")
            .collect()
    }

    #[test]
    fn figures_are_whole_and_not_negative() {
        let given = BTreeMap::from([
            (
                "public_services".to_string(),
                FigureInput::Text("1.250".into()),
            ),
            ("sessions_held".to_string(), FigureInput::Whole(3)),
        ]);
        let figures = parse_figures(&asked(), &given).unwrap();
        assert_eq!(figures["public_services"], 1250);
        let pasted = BTreeMap::from([(
            "public_services".to_string(),
            FigureInput::Text("1\u{a0}250".into()),
        )]);
        assert_eq!(
            parse_figures(&asked(), &pasted).unwrap()["public_services"],
            1250
        );
        let huge = BTreeMap::from([(
            "sessions_held".to_string(),
            FigureInput::Text("99999999999999999999".into()),
        )]);
        let message = parse_figures(&asked(), &huge).unwrap_err().0[0]
            .message
            .clone();
        assert!(message.starts_with("«Buổi tuyên truyền"), "{message}");
        assert!(message.contains("lớn bất thường"), "{message}");
        assert_eq!(figures["sessions_held"], 3);

        for wrong in [
            FigureInput::Whole(-1),
            FigureInput::Fraction(1.5),
            FigureInput::Text("-4".into()),
            FigureInput::Text("mười".into()),
            FigureInput::Text("12,5".into()),
            FigureInput::Whole(MAX_FIGURE + 1),
            FigureInput::Text("99999999999999999999".into()),
        ] {
            let given = BTreeMap::from([("sessions_held".to_string(), wrong.clone())]);
            let errors = parse_figures(&asked(), &given).unwrap_err();
            assert!(
                errors.for_field("figures.sessions_held").is_some(),
                "{wrong:?}"
            );
        }
        let unknown = BTreeMap::from([("weather".to_string(), FigureInput::Whole(1))]);
        assert!(parse_figures(&asked(), &unknown)
            .unwrap_err()
            .for_field("figures.weather")
            .is_some());
    }

    #[test]
    fn an_empty_figure_is_not_given_and_blocks_only_the_submission() {
        let given = BTreeMap::from([("sessions_held".to_string(), FigureInput::Text(" ".into()))]);
        let figures = parse_figures(&asked(), &given).unwrap();
        assert!(figures.is_empty());
        let named: Vec<Indicator> = asked()
            .into_iter()
            .filter(|i| i.code == "sessions_held")
            .collect();
        let written = Narrative {
            results: "Tổ chức 2 buổi.".into(),
            ..Default::default()
        };
        assert!(check_complete(&named, &figures, &written).is_err());
        let zero = BTreeMap::from([("sessions_held".to_string(), 0)]);
        assert!(check_complete(&named, &zero, &written).is_ok());
        let unwritten = check_complete(&named, &zero, &Narrative::default()).unwrap_err();
        assert!(unwritten.for_field("narrative.results").is_some());
    }
}
