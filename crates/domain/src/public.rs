//! What the public team finder may show. A member's name and phone appear without sign-in only with her
//! recorded consent (Decree 13/2023, Law 91/2025); otherwise a citizen is pointed to the commune's own public
//! contact.

use crate::errors::{FieldError, ValidationErrors};
use crate::phone::Phone;
use crate::text::clean_text;
use serde::{Deserialize, Serialize};

/// How a member gave her consent to be contacted publicly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ConsentMethod {
    /// A signed paper form, kept by the commune.
    PaperForm,
    /// Said in person to the officer who records it.
    InPerson,
}

impl ConsentMethod {
    pub const ALL: [ConsentMethod; 2] = [ConsentMethod::PaperForm, ConsentMethod::InPerson];

    pub fn code(self) -> &'static str {
        match self {
            ConsentMethod::PaperForm => "paper_form",
            ConsentMethod::InPerson => "in_person",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ConsentMethod::PaperForm => "phiếu đồng ý có chữ ký",
            ConsentMethod::InPerson => "đồng ý trực tiếp với cán bộ",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn parse(code: &str) -> Result<Self, FieldError> {
        Self::from_code(code.trim()).ok_or_else(|| {
            FieldError::new(
                "method",
                "method_invalid",
                "Hãy chọn cách người này đồng ý: phiếu đồng ý có chữ ký hoặc trực tiếp với cán bộ.",
            )
        })
    }
}

/// The commune's public contact: who answers (a name or an office) and a phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommuneContact {
    pub label: String,
    pub phone: Phone,
}

const MAX_CONTACT_LABEL_CHARS: usize = 120;

/// Reads the contact as typed; both parts are required.
pub fn parse_commune_contact(label: &str, phone: &str) -> Result<CommuneContact, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let label = clean_text(label);
    if label.is_empty() {
        errors.push(FieldError::new(
            "label",
            "required",
            "Hãy ghi ai trả lời số này, ví dụ «Văn phòng UBND xã» hoặc «Bộ phận một cửa».",
        ));
    } else if label.chars().count() > MAX_CONTACT_LABEL_CHARS {
        errors.push(FieldError::new(
            "label",
            "too_long",
            format!("Tên nơi liên hệ dài quá {MAX_CONTACT_LABEL_CHARS} ký tự."),
        ));
    }
    let phone = if phone.trim().is_empty() {
        errors.push(FieldError::new(
            "phone",
            "required",
            "Hãy ghi số điện thoại người dân gọi được, ví dụ 0237 3861 234.",
        ));
        Err(())
    } else {
        Phone::parse(phone)
            .map_err(|e| errors.push(FieldError::new("phone", "phone_invalid", e.to_string())))
    };
    match phone {
        Ok(phone) if errors.is_empty() => Ok(CommuneContact { label, phone }),
        _ => Err(errors),
    }
}

/// The most villages and residential groups a commune is taken to have (the largest have a few hundred).
pub const MAX_VILLAGES: i64 = 1_000;

/// A commune's number of villages and residential groups, as typed.
pub fn parse_village_count(input: &str) -> Result<i64, FieldError> {
    input
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=MAX_VILLAGES).contains(n))
        .ok_or_else(|| {
            FieldError::new(
                "villages",
                "villages_invalid",
                format!("Số thôn, tổ dân phố phải là một số từ 1 đến {MAX_VILLAGES}, ví dụ 12."),
            )
        })
}

const CONSENT_MARK: &str = "[Đồng ý công khai SĐT:";

/// The mark an export adds to a consenting member's `Ghi chú` when the Department asks for it.
pub fn consent_note(method: ConsentMethod, on: chrono::NaiveDate) -> String {
    format!(
        "{CONSENT_MARK} {}, {}]",
        method.label(),
        crate::date::format_date(on)
    )
}

/// A note without the export's consent mark: the mark says what the registry holds, and importing the file
/// back must not turn it into a note typed by someone (consent is recorded only on the member's page).
pub fn without_consent_note(note: &str) -> String {
    match note.find(CONSENT_MARK) {
        Some(start) => {
            let end = note[start..]
                .find(']')
                .map_or(note.len(), |i| start + i + 1);
            format!("{} {}", &note[..start], &note[end..])
                .trim()
                .to_string()
        }
        None => note.to_string(),
    }
}

/// The six task areas of the Department's letter, as a poster lists what a team helps citizens with.
pub const TASK_AREAS: [&str; 6] = [
    "Dùng dịch vụ công trực tuyến, làm thủ tục hành chính trên mạng",
    "Mua sắm trực tuyến an toàn",
    "Dùng các nền tảng số của địa phương",
    "Chuyển đổi số, bán hàng trên mạng cho hộ kinh doanh, hộ sản xuất",
    "Thanh toán không dùng tiền mặt",
    "Tự bảo vệ mình trên không gian mạng",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_needs_who_and_a_valid_phone() {
        let contact = parse_commune_contact("  Văn phòng   UBND xã ", "0237.3861.234").unwrap();
        assert_eq!(contact.label, "Văn phòng UBND xã");
        assert_eq!(contact.phone.as_str(), "02373861234");
        let errors = parse_commune_contact("", "12").unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["label", "phone"]);
    }

    #[test]
    fn the_consent_mark_goes_out_and_comes_back_off() {
        let on = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let note = format!("Trưởng thôn {}", consent_note(ConsentMethod::PaperForm, on));
        assert_eq!(
            note,
            "Trưởng thôn [Đồng ý công khai SĐT: phiếu đồng ý có chữ ký, 01/12/2026]"
        );
        assert_eq!(without_consent_note(&note), "Trưởng thôn");
        assert_eq!(without_consent_note("Bí thư chi đoàn"), "Bí thư chi đoàn");
    }

    #[test]
    fn methods_read_back_from_their_codes() {
        for method in ConsentMethod::ALL {
            assert_eq!(ConsentMethod::parse(method.code()).unwrap(), method);
        }
        assert!(ConsentMethod::parse("email").is_err());
    }
}
