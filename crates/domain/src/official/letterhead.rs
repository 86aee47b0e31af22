//! Who issues a unit's documents and who signs them: set once per province (the Department) and per commune
//! (its People's Committee), and changeable on each document before it is downloaded.

use super::wording::{place_name, unit_upper};
use crate::errors::{FieldError, ValidationErrors};
use crate::text::clean_text;
use serde::{Deserialize, Serialize};

/// The longest line of any letterhead field: a body's name in capitals fits on one line of the left block.
pub const MAX_LINE_CHARS: usize = 120;
/// A place name on the date line (`Thanh Hóa`, `Hoằng Hóa`): longer would push the date line over two lines.
const MAX_PLACE_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Letterhead {
    /// The parent body's line (`UBND TỈNH THANH HÓA`); empty for none.
    pub parent_body: String,
    /// The issuing body, one or two lines (`SỞ KHOA HỌC VÀ CÔNG NGHỆ`).
    pub body: String,
    /// What follows the kind in a number: `UBND` in `05/BC-UBND`; a letter's whole suffix (`SKHCN-CĐS`).
    pub number_suffix: String,
    /// The place on the date line (`Thanh Hóa`).
    pub place: String,
    /// The lines above the signer's title, one per line (`TM. ỦY BAN NHÂN DÂN`, `KT. CHỦ TỊCH`).
    pub signer_capacity: String,
    /// `PHÓ CHỦ TỊCH`.
    pub signer_title: String,
    /// Empty leaves the line blank for the signer.
    pub signer_name: String,
    /// What the archive line keeps after `Lưu:` (`VT, VHXH`).
    pub archive: String,
}

/// A letterhead as typed: any field left out keeps the saved value.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterheadDraft {
    pub parent_body: Option<String>,
    pub body: Option<String>,
    pub number_suffix: Option<String>,
    pub place: Option<String>,
    pub signer_capacity: Option<String>,
    pub signer_title: Option<String>,
    pub signer_name: Option<String>,
    pub archive: Option<String>,
}

impl Letterhead {
    /// The Department of Science and Technology of a province (`Tỉnh Thanh Hóa`), until its admins set theirs.
    pub fn department(province_name: &str) -> Self {
        Self {
            parent_body: format!("UBND {}", unit_upper(province_name)),
            body: "SỞ KHOA HỌC VÀ CÔNG NGHỆ".into(),
            number_suffix: "SKHCN".into(),
            place: place_name(province_name).into(),
            signer_capacity: "KT. GIÁM ĐỐC".into(),
            signer_title: "PHÓ GIÁM ĐỐC".into(),
            signer_name: String::new(),
            archive: "VT, CĐS".into(),
        }
    }

    /// A commune's People's Committee (`Xã Hoằng Hóa`), until the commune sets its own.
    pub fn commune(commune_name: &str) -> Self {
        Self {
            parent_body: String::new(),
            // Decree 30 writes the issuing body in full; only a parent body may be abbreviated.
            body: format!("ỦY BAN NHÂN DÂN\n{}", unit_upper(commune_name)),
            number_suffix: "UBND".into(),
            place: place_name(commune_name).into(),
            signer_capacity: "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH".into(),
            signer_title: "PHÓ CHỦ TỊCH".into(),
            signer_name: String::new(),
            archive: "VT, VHXH".into(),
        }
    }

    /// The capacity lines, for the signature block.
    pub fn capacity_lines(&self) -> Vec<String> {
        self.signer_capacity.lines().map(str::to_string).collect()
    }

    /// This letterhead with what was typed over it, every field checked.
    pub fn amended(&self, draft: &LetterheadDraft) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        // (lines, characters per line): what fits its place in the heading and the signature block.
        let mut field = |name: &str, typed: &Option<String>, saved: &str, (lines, chars)| {
            let Some(typed) = typed else {
                return saved.to_string();
            };
            errors
                .check(clean_lines(name, typed, lines, chars))
                .unwrap_or_default()
        };
        let amended = Self {
            parent_body: field(
                "parent_body",
                &draft.parent_body,
                &self.parent_body,
                (1, 60),
            ),
            body: field("body", &draft.body, &self.body, (2, 60)),
            number_suffix: field(
                "number_suffix",
                &draft.number_suffix,
                &self.number_suffix,
                (1, 20),
            ),
            place: field("place", &draft.place, &self.place, (1, MAX_PLACE_CHARS)),
            signer_capacity: field(
                "signer_capacity",
                &draft.signer_capacity,
                &self.signer_capacity,
                (3, 40),
            ),
            signer_title: field(
                "signer_title",
                &draft.signer_title,
                &self.signer_title,
                (1, 40),
            ),
            signer_name: field(
                "signer_name",
                &draft.signer_name,
                &self.signer_name,
                (1, 50),
            ),
            archive: field("archive", &draft.archive, &self.archive, (1, 40)),
        };
        for (name, value, what) in [
            ("body", &amended.body, "Tên cơ quan ban hành"),
            ("number_suffix", &amended.number_suffix, "Ký hiệu sau số"),
            ("place", &amended.place, "Địa danh"),
            ("signer_title", &amended.signer_title, "Chức vụ người ký"),
        ] {
            if value.is_empty() && errors.for_field(name).is_none() {
                errors.push(FieldError::new(
                    name,
                    "required",
                    format!("{what} không được để trống."),
                ));
            }
        }
        let suffix = &amended.number_suffix;
        if ["BC-", "QĐ-", "DS-", "CV-"]
            .iter()
            .any(|kind| suffix.starts_with(kind))
        {
            errors.push(FieldError::new(
                "number_suffix",
                "suffix_has_kind",
                "Ký hiệu sau số không ghi loại văn bản (BC, QĐ): hệ thống tự thêm theo văn bản; ghi như UBND.",
            ));
        }
        if !amended.archive.is_empty() && !amended.archive.chars().any(char::is_alphabetic) {
            errors.push(FieldError::new(
                "archive",
                "archive_invalid",
                "Ghi nơi lưu như VT hoặc VT, VHXH.",
            ));
        }
        if !amended
            .number_suffix
            .chars()
            .all(|c| (c.is_alphanumeric() && !c.is_lowercase()) || matches!(c, '-' | '&' | '.'))
        {
            errors.push(FieldError::new(
                "number_suffix",
                "suffix_invalid",
                "Ký hiệu sau số chỉ gồm chữ in hoa, chữ số và dấu gạch nối, như UBND hoặc SKHCN-CĐS.",
            ));
        }
        errors.into_result()?;
        Ok(amended)
    }
}

/// Each line cleaned, blank lines dropped, at most `max_lines` of at most `max_chars`, every letter printable.
fn clean_lines(
    field: &str,
    input: &str,
    max_lines: usize,
    max_chars: usize,
) -> Result<String, FieldError> {
    let lines: Vec<String> = input
        .lines()
        .map(clean_text)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() > max_lines {
        let message = if max_lines == 1 {
            "Chỉ ghi một dòng.".to_string()
        } else {
            format!("Ghi nhiều nhất {max_lines} dòng.")
        };
        return Err(FieldError::new(field, "too_many_lines", message));
    }
    if lines.iter().any(|l| l.chars().count() > max_chars) {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("Mỗi dòng dài nhiều nhất {max_chars} ký tự."),
        ));
    }
    let joined = lines.join("\n");
    check_printable(field, &joined)?;
    Ok(joined)
}

/// Latin letters with every Vietnamese one, combining marks, general punctuation: what the documents' fonts
/// print. Anything else (Chinese, emoji, the replacement character of broken input) would print as nothing.
fn printable(c: char) -> bool {
    matches!(c as u32, 0x20..=0x7E | 0xA0..=0x24F | 0x300..=0x36F | 0x1E00..=0x1EFF | 0x2000..=0x206F)
        || c == '\n'
}

/// A typed text for an official document: refused, naming the letter, if the documents cannot print it.
pub fn check_printable(field: &str, text: &str) -> Result<(), FieldError> {
    match text.chars().find(|c| !printable(*c)) {
        Some(c) => Err(FieldError::new(
            field,
            "unprintable",
            format!("Ký tự «{c}» không in được trên văn bản: hãy bỏ hoặc thay bằng chữ Việt."),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_name_the_unit() {
        let department = Letterhead::department("Tỉnh Thanh Hóa");
        assert_eq!(department.parent_body, "UBND TỈNH THANH HÓA");
        assert_eq!(department.place, "Thanh Hóa");
        let commune = Letterhead::commune("Xã Hoằng Hóa");
        assert_eq!(commune.body, "ỦY BAN NHÂN DÂN\nXÃ HOẰNG HÓA");
        assert_eq!(
            commune.capacity_lines(),
            ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
        );
    }

    #[test]
    fn typed_fields_are_cleaned_and_checked() {
        let saved = Letterhead::commune("Xã Hoằng Hóa");
        let draft = LetterheadDraft {
            signer_name: Some("  Lê   Văn  Hoà ".into()),
            signer_capacity: Some("TM. ỦY BAN NHÂN DÂN\n\nCHỦ TỊCH".into()),
            ..Default::default()
        };
        let amended = saved.amended(&draft).unwrap();
        assert_eq!(amended.signer_name, "Lê Văn Hòa");
        assert_eq!(amended.signer_capacity, "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH");
        assert_eq!(amended.body, saved.body);

        let bad = LetterheadDraft {
            place: Some(" ".into()),
            parent_body: Some("a\nb".into()),
            number_suffix: Some("UB/ND".into()),
            ..Default::default()
        };
        let errors = saved.amended(&bad).unwrap_err();
        assert!(errors.for_field("place").is_some());
        for (field, value) in [
            ("signer_name", "Nguyễn Văn 😀"),
            ("place", "广州"),
            ("number_suffix", "ubnd"),
            ("number_suffix", "BC-UBND"),
            ("archive", ";,."),
            ("body", "\u{FFFD}abc"),
        ] {
            let mut draft = LetterheadDraft::default();
            match field {
                "signer_name" => draft.signer_name = Some(value.into()),
                "place" => draft.place = Some(value.into()),
                "number_suffix" => draft.number_suffix = Some(value.into()),
                "archive" => draft.archive = Some(value.into()),
                _ => draft.body = Some(value.into()),
            }
            let errors = saved.amended(&draft).unwrap_err();
            assert!(errors.for_field(field).is_some(), "{field} = {value}");
        }
        assert!(errors.for_field("parent_body").is_some());
        assert!(errors.for_field("number_suffix").is_some());
    }
}
