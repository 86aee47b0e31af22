//! The fixed wordings of Decree 30/2020/NĐ-CP: the number line, the place-and-date line, names in capitals.

use super::DocumentKind;
use chrono::{Datelike, NaiveDate};

/// `Số: 05/BC-UBND`; with no number yet, blank space for the clerk to write it in when the paper is registered.
pub fn document_number(number: &str, kind: DocumentKind, suffix: &str) -> String {
    let number = number_of(number);
    let number = if number.is_empty() {
        "\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}".to_string()
    } else {
        number
    };
    match kind.abbreviation() {
        Some(abbreviation) => format!("Số: {number}/{abbreviation}-{suffix}"),
        None => format!("Số: {number}/{suffix}"),
    }
}

/// A document's number as Decree 30 writes it: Arabic digits, a leading zero below 10 (`5` → `05`, `0012` →
/// `12`); empty stays empty.
pub fn number_of(typed: &str) -> String {
    let digits = typed.trim_start_matches('0');
    match digits.len() {
        0 if typed.is_empty() => String::new(),
        0 => "00".into(),
        1 => format!("0{digits}"),
        _ => digits.to_string(),
    }
}

/// `Thanh Hóa, ngày 05 tháng 02 năm 2026`: a day below 10 and the months 1 and 2 take a leading zero.
pub fn place_and_date(place: &str, date: NaiveDate) -> String {
    let month = if date.month() <= 2 {
        format!("{:02}", date.month())
    } else {
        date.month().to_string()
    };
    format!(
        "{place}, ngày {:02} tháng {month} năm {}",
        date.day(),
        date.year()
    )
}

const UNIT_KINDS: [&str; 5] = ["Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu "];

/// A unit's name without its kind, as a place name: `Xã Hoằng Hóa` → `Hoằng Hóa`.
pub fn place_name(unit_name: &str) -> &str {
    UNIT_KINDS
        .iter()
        .find_map(|kind| unit_name.strip_prefix(kind))
        .unwrap_or(unit_name)
}

/// A province with its kind, as documents name it: (`Thanh Hóa`, `tỉnh`) → `Tỉnh Thanh Hóa`;
/// (`Hà Nội`, `thành phố trung ương`) → `Thành phố Hà Nội`. A name that already carries its kind is kept.
pub fn province_full_name(name: &str, kind: &str) -> String {
    if UNIT_KINDS.iter().any(|k| name.starts_with(k)) {
        return name.to_string();
    }
    let kind = if kind.starts_with("thành phố") {
        "Thành phố"
    } else {
        "Tỉnh"
    };
    format!("{kind} {name}")
}

/// A unit's name in capitals for a letterhead: `Xã Hoằng Hóa` → `XÃ HOẰNG HÓA`.
pub fn unit_upper(unit_name: &str) -> String {
    unit_name.to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_take_the_decree_s_leading_zeros() {
        assert_eq!(
            place_and_date("Thanh Hóa", d(2026, 2, 5)),
            "Thanh Hóa, ngày 05 tháng 02 năm 2026"
        );
        assert_eq!(
            place_and_date("Hà Nội", d(2026, 12, 15)),
            "Hà Nội, ngày 15 tháng 12 năm 2026"
        );
        assert_eq!(
            place_and_date("Huế", d(2026, 3, 1)),
            "Huế, ngày 01 tháng 3 năm 2026"
        );
    }

    #[test]
    fn numbers_by_kind() {
        assert_eq!(
            document_number("05", DocumentKind::Report, "UBND"),
            "Số: 05/BC-UBND"
        );
        assert_eq!(
            document_number("12", DocumentKind::Decision, "UBND"),
            "Số: 12/QĐ-UBND"
        );
        assert_eq!(
            document_number("7", DocumentKind::Letter, "SKHCN-CĐS"),
            "Số: 07/SKHCN-CĐS"
        );
        assert!(document_number("", DocumentKind::Report, "UBND").ends_with("/BC-UBND"));
        assert_eq!(
            document_number("5", DocumentKind::Report, "UBND"),
            "Số: 05/BC-UBND"
        );
        assert_eq!(number_of("0012"), "12");
    }

    #[test]
    fn place_names_drop_the_unit_kind() {
        assert_eq!(place_name("Xã Hoằng Hóa"), "Hoằng Hóa");
        assert_eq!(place_name("Thành phố Hà Nội"), "Hà Nội");
        assert_eq!(place_name("Đặc khu Phú Quốc"), "Phú Quốc");
        assert_eq!(unit_upper("Xã Hoằng Hóa"), "XÃ HOẰNG HÓA");
        assert_eq!(province_full_name("Thanh Hóa", "tỉnh"), "Tỉnh Thanh Hóa");
        assert_eq!(
            province_full_name("Hà Nội", "thành phố trung ương"),
            "Thành phố Hà Nội"
        );
        assert_eq!(province_full_name("Tỉnh Huế", "tỉnh"), "Tỉnh Huế");
    }
}
