//! The catalogue of indicators a round can ask for: one per task area of the Department's letter plus two,
//! built in; a province adds its own.

use crate::errors::{FieldError, ValidationErrors};
use crate::text::clean_text;
use serde::{Deserialize, Serialize};

/// One figure a commune reports: a non-negative whole number of `unit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub unit: String,
}

/// The built-in catalogue (code, name, unit), in the order of the letter's task areas.
pub const DEFAULT_INDICATORS: [(&str, &str, &str); 8] = [
    (
        "public_services",
        "Người dân được hướng dẫn sử dụng dịch vụ công trực tuyến",
        "lượt",
    ),
    (
        "online_shopping",
        "Người dân được hướng dẫn mua sắm trực tuyến",
        "lượt",
    ),
    (
        "other_platforms",
        "Người dân được hướng dẫn sử dụng nền tảng số khác của địa phương",
        "lượt",
    ),
    (
        "business_support",
        "Doanh nghiệp, hộ kinh doanh, hộ sản xuất được tuyên truyền, hỗ trợ chuyển đổi số",
        "đơn vị",
    ),
    (
        "cashless_payments",
        "Người dân được hướng dẫn thanh toán không dùng tiền mặt",
        "lượt",
    ),
    (
        "cyber_safety",
        "Người dân được hướng dẫn tự bảo vệ trên không gian mạng",
        "lượt",
    ),
    (
        "vneid_activated",
        "Người được hỗ trợ kích hoạt định danh điện tử mức 2",
        "người",
    ),
    (
        "sessions_held",
        "Buổi tuyên truyền, hướng dẫn do Tổ tổ chức",
        "buổi",
    ),
];

/// Indicators the registry can answer itself: in the catalogue, not asked by default; a commune's report form
/// starts with the registry's figure, which the officer can correct.
pub const REGISTRY_INDICATORS: [(&str, &str, &str); 1] = [(
    "leaders_trained",
    "Tổ trưởng, tổ phó đã được tập huấn (theo điểm danh các lớp của Sở)",
    "người",
)];

impl Indicator {
    /// The built-in catalogue: the letter's task areas and two, then those the registry answers.
    pub fn defaults() -> Vec<Indicator> {
        DEFAULT_INDICATORS
            .iter()
            .chain(REGISTRY_INDICATORS.iter())
            .map(|(code, name, unit)| Indicator {
                code: (*code).into(),
                name: (*name).into(),
                unit: (*unit).into(),
            })
            .collect()
    }
}

const MAX_CODE_CHARS: usize = 40;
const MAX_NAME_CHARS: usize = 200;
const MAX_UNIT_CHARS: usize = 30;

/// A code as machines use it: lower-case ASCII letters, digits and `_`, starting with a letter.
pub fn parse_indicator_code(input: &str) -> Result<String, FieldError> {
    let code = input.trim();
    let valid = code.len() <= MAX_CODE_CHARS
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(code.to_string())
    } else {
        Err(FieldError::new(
            "code",
            "indicator_code_invalid",
            format!(
                "Mã chỉ tiêu «{}» không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu _, bắt đầu bằng chữ (ví dụ trained_leaders), tối đa {MAX_CODE_CHARS} ký tự.",
                code.chars().take(60).collect::<String>()
            ),
        ))
    }
}

/// A new indicator as typed by a province admin.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorDraft {
    /// `trained_leaders`.
    pub code: String,
    pub name: String,
    /// `lượt`, `người`, `buổi`…
    pub unit: String,
}

impl IndicatorDraft {
    pub fn validate(&self) -> Result<Indicator, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let code = errors.check(parse_indicator_code(&self.code));
        let mut text = |field: &str, value: &str, max: usize, what: &str| {
            let cleaned = clean_text(value);
            if cleaned.is_empty() || cleaned.chars().count() > max {
                errors.push(FieldError::new(
                    field,
                    "indicator_text",
                    format!("Hãy ghi {what} (tối đa {max} ký tự)."),
                ));
            }
            cleaned
        };
        let name = text("name", &self.name, MAX_NAME_CHARS, "tên chỉ tiêu");
        let unit = text("unit", &self.unit, MAX_UNIT_CHARS, "đơn vị tính");
        errors.into_result()?;
        Ok(Indicator {
            code: code.expect("checked"),
            name,
            unit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_codes_are_valid_and_unique() {
        let defaults = Indicator::defaults();
        assert_eq!(defaults.len(), 9, "the letter's eight and leaders trained");
        for indicator in &defaults {
            assert_eq!(
                parse_indicator_code(&indicator.code).unwrap(),
                indicator.code
            );
        }
        let mut codes: Vec<_> = defaults.iter().map(|i| i.code.clone()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 9);
    }

    #[test]
    fn a_new_indicator_needs_a_code_a_name_and_a_unit() {
        let errors = IndicatorDraft {
            code: "Số lượt".into(),
            name: " ".into(),
            unit: "".into(),
        }
        .validate()
        .unwrap_err();
        for field in ["code", "name", "unit"] {
            assert!(errors.for_field(field).is_some(), "{field}");
        }
        let ok = IndicatorDraft {
            code: "trained_leaders".into(),
            name: "Tổ trưởng, tổ phó được tập huấn".into(),
            unit: "người".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.code, "trained_leaders");
    }
}
