//! The library of guidance documents: what a document is (number, date, issuing body, kind, title, summary,
//! task areas, a file or a link), and the documents the Department's letter cites, listed from the start.

use crate::date::parse_date;
use crate::errors::{FieldError, ValidationErrors};
use crate::text::{clean_paragraphs, clean_text, is_web_address};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DocumentKind {
    CongVan,
    KeHoach,
    QuyetDinh,
    NghiQuyet,
    HuongDan,
    TaiLieuTapHuan,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 6] = [
        DocumentKind::CongVan,
        DocumentKind::KeHoach,
        DocumentKind::QuyetDinh,
        DocumentKind::NghiQuyet,
        DocumentKind::HuongDan,
        DocumentKind::TaiLieuTapHuan,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::CongVan => "cong_van",
            DocumentKind::KeHoach => "ke_hoach",
            DocumentKind::QuyetDinh => "quyet_dinh",
            DocumentKind::NghiQuyet => "nghi_quyet",
            DocumentKind::HuongDan => "huong_dan",
            DocumentKind::TaiLieuTapHuan => "tai_lieu_tap_huan",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::CongVan => "Công văn",
            DocumentKind::KeHoach => "Kế hoạch",
            DocumentKind::QuyetDinh => "Quyết định",
            DocumentKind::NghiQuyet => "Nghị quyết",
            DocumentKind::HuongDan => "Hướng dẫn",
            DocumentKind::TaiLieuTapHuan => "Tài liệu tập huấn",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The six task areas of the letter, by the codes of their indicators.
pub const TASK_AREA_CODES: [(&str, &str); 6] = [
    ("public_services", "Dịch vụ công trực tuyến"),
    ("online_shopping", "Mua sắm trực tuyến"),
    ("other_platforms", "Nền tảng số của địa phương"),
    (
        "business_support",
        "Chuyển đổi số cho hộ kinh doanh, doanh nghiệp",
    ),
    ("cashless_payments", "Thanh toán không dùng tiền mặt"),
    ("cyber_safety", "An toàn trên không gian mạng"),
];

pub fn task_area_label(code: &str) -> Option<&'static str> {
    TASK_AREA_CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, label)| *label)
}

/// A document's description as typed (the file, if any, comes separately).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentDraft {
    /// `557/STTTT-CNTT`; empty for a document without a number (training material).
    #[serde(default)]
    pub number: String,
    /// `dd/mm/yyyy` or `yyyy-mm-dd`; empty when not known.
    #[serde(default)]
    pub issued_on: String,
    /// `Sở Thông tin và Truyền thông`.
    pub issuer: String,
    /// `cong_van`, `ke_hoach`, `quyet_dinh`, `nghi_quyet`, `huong_dan` or `tai_lieu_tap_huan`.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// Codes of the task areas it concerns.
    #[serde(default)]
    pub areas: Vec<String>,
    /// Where it is published (`https://…`), when not uploaded.
    #[serde(default)]
    pub link: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDocument {
    pub number: String,
    pub issued_on: Option<NaiveDate>,
    pub issuer: String,
    pub kind: DocumentKind,
    pub title: String,
    pub summary: String,
    pub areas: Vec<String>,
    pub link: String,
}

const MAX_LINE_CHARS: usize = 300;
const MAX_SUMMARY_CHARS: usize = 3_000;

impl DocumentDraft {
    pub fn validate(&self) -> Result<ValidDocument, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut line = |field: &str, text: &str, required: Option<&str>| {
            let text = clean_text(text);
            if let (true, Some(hint)) = (text.is_empty(), required) {
                errors.push(FieldError::new(field, "required", hint));
            } else if text.chars().count() > MAX_LINE_CHARS {
                errors.push(FieldError::new(
                    field,
                    "too_long",
                    format!("Dài quá {MAX_LINE_CHARS} ký tự."),
                ));
            }
            text
        };
        let number = line("number", &self.number, None);
        let issuer = line(
            "issuer",
            &self.issuer,
            Some("Hãy ghi cơ quan ban hành, ví dụ «Sở Khoa học và Công nghệ»."),
        );
        let title = line(
            "title",
            &self.title,
            Some("Hãy ghi trích yếu (tên) văn bản."),
        );
        let link = line("link", &self.link, None);
        let issued_on = if self.issued_on.trim().is_empty() {
            None
        } else {
            errors.check(parse_date("issued_on", &self.issued_on))
        };
        let kind = DocumentKind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new(
                "kind",
                "kind_invalid",
                "Hãy chọn loại văn bản: công văn, kế hoạch, quyết định, nghị quyết, hướng dẫn hoặc tài liệu tập huấn.",
            ));
        }
        let summary = clean_paragraphs(&self.summary);
        if summary.chars().count() > MAX_SUMMARY_CHARS {
            errors.push(FieldError::new(
                "summary",
                "too_long",
                format!("Tóm tắt dài quá {MAX_SUMMARY_CHARS} ký tự."),
            ));
        }
        if !link.is_empty() && !is_web_address(&link) {
            errors.push(FieldError::new(
                "link",
                "link_invalid",
                "Đường dẫn phải bắt đầu bằng https:// (địa chỉ trang đăng văn bản).",
            ));
        }
        let mut areas: Vec<String> = Vec::new();
        for area in &self.areas {
            match task_area_label(area.trim()) {
                Some(_) if !areas.iter().any(|a| a == area.trim()) => {
                    areas.push(area.trim().into())
                }
                Some(_) => {}
                None => errors.push(FieldError::new(
                    "areas",
                    "area_invalid",
                    format!(
                        "Lĩnh vực «{}» không có: hãy chọn trong sáu lĩnh vực của Tổ.",
                        area.chars().take(40).collect::<String>()
                    ),
                )),
            }
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(ValidDocument {
                number,
                issued_on,
                issuer,
                kind,
                title,
                summary,
                areas,
                link,
            }),
            _ => Err(errors),
        }
    }
}

/// The documents the Department's letter cites (metadata only; the Department adds files or links).
pub fn cited_documents() -> Vec<ValidDocument> {
    let all_areas: Vec<String> = TASK_AREA_CODES.iter().map(|(c, _)| c.to_string()).collect();
    let document = |number: &str, day: Option<(i32, u32, u32)>, issuer: &str, kind, title: &str| {
        ValidDocument {
            number: number.into(),
            issued_on: day.map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).expect("a real day")),
            issuer: issuer.into(),
            kind,
            title: title.into(),
            summary: String::new(),
            areas: all_areas.clone(),
            link: String::new(),
        }
    };
    let mut documents = vec![
        document(
            "557/STTTT-CNTT",
            Some((2022, 3, 28)),
            "Sở Thông tin và Truyền thông",
            DocumentKind::HuongDan,
            "Hướng dẫn tổ chức, hoạt động của Tổ Công nghệ số cộng đồng",
        ),
        document(
            "10832/UBND-HCKSTTHC",
            Some((2025, 7, 8)),
            "UBND tỉnh",
            DocumentKind::CongVan,
            "Về việc triển khai một số nhiệm vụ cấp bách trong thực hiện Kế hoạch số 02-KH/BCĐTW của Ban Chỉ đạo Trung ương",
        ),
        document(
            "10882/UBND-HCKSTTHC",
            Some((2025, 7, 8)),
            "UBND tỉnh",
            DocumentKind::CongVan,
            "Về việc triển khai Kế hoạch thúc đẩy chuyển đổi số liên thông, đồng bộ, nhanh, hiệu quả đáp ứng yêu cầu sắp xếp tổ chức bộ máy của hệ thống chính trị",
        ),
        document(
            "06-NQ/TU",
            Some((2021, 11, 10)),
            "Ban Thường vụ Tỉnh ủy",
            DocumentKind::NghiQuyet,
            "Nghị quyết số 06-NQ/TU của Ban Thường vụ Tỉnh ủy",
        ),
        document(
            "266-KH/TU",
            Some((2024, 4, 26)),
            "Ban Thường vụ Tỉnh ủy",
            DocumentKind::KeHoach,
            "Kế hoạch thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị",
        ),
        document(
            "101/KH-UBND",
            Some((2025, 5, 25)),
            "UBND tỉnh",
            DocumentKind::KeHoach,
            "Kế hoạch về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
        ),
        document(
            "265-KH/TU",
            Some((2025, 4, 24)),
            "Ban Thường vụ Tỉnh ủy",
            DocumentKind::KeHoach,
            "Kế hoạch triển khai phong trào «Bình dân học vụ số» trên địa bàn tỉnh",
        ),
        document(
            "02-KH/BCĐTW",
            // The letter cites it without its date: the Department adds it.
            None,
            "Ban Chỉ đạo Trung ương",
            DocumentKind::KeHoach,
            "Kế hoạch số 02-KH/BCĐTW của Ban Chỉ đạo Trung ương",
        ),
    ];
    for document in &mut documents {
        if document.number == "266-KH/TU" {
            document.summary = "Ngày ban hành ghi theo công văn của Sở (26/4/2024), nhưng Nghị quyết 57-NQ/TW \
                                ban hành ngày 22/12/2024: hãy đối chiếu văn bản gốc và sửa ngày nếu cần."
                .into();
        }
    }
    documents
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_needs_a_date_an_issuer_a_title_and_a_kind() {
        let draft = DocumentDraft {
            number: " 557/STTTT-CNTT ".into(),
            issued_on: "28/3/2022".into(),
            issuer: "Sở Thông tin và Truyền thông".into(),
            kind: "huong_dan".into(),
            title: "Hướng dẫn  hoạt động".into(),
            areas: vec!["public_services".into(), "public_services".into()],
            ..Default::default()
        };
        let valid = draft.validate().unwrap();
        assert_eq!(valid.number, "557/STTTT-CNTT");
        assert_eq!(valid.title, "Hướng dẫn hoạt động");
        assert_eq!(valid.areas, ["public_services"]);
        let errors = DocumentDraft {
            link: "chuyendoiso.gov.vn".into(),
            areas: vec!["weather".into()],
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["issuer", "title", "kind", "link", "areas"]);
    }

    #[test]
    fn the_letters_documents_are_valid_and_eight() {
        assert_eq!(cited_documents().len(), 8);
    }
}
