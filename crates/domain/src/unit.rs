//! Administrative units after the 1 July 2025 reform: provinces (2-digit codes) and communes (5-digit codes).

use crate::text::fold;

/// Whether a text is a well-formed code of `digits` digits.
pub fn is_unit_code(code: &str, digits: usize) -> bool {
    code.len() == digits && code.bytes().all(|b| b.is_ascii_digit())
}

pub fn is_province_code(code: &str) -> bool {
    is_unit_code(code, 2)
}

pub fn is_commune_code(code: &str) -> bool {
    is_unit_code(code, 5)
}

/// The folded name of a commune without its kind (`Xã Xuân Bình` → `xuan binh`), so that a name written with
/// or without `Xã`/`Phường`/`Đặc khu` matches.
pub fn commune_match_key(name: &str) -> String {
    let folded = fold(name);
    for prefix in ["xa ", "phuong ", "dac khu "] {
        if let Some(rest) = folded.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_fixed_digits() {
        assert!(is_province_code("38"));
        assert!(!is_province_code("3"));
        assert!(is_commune_code("15853"));
        assert!(!is_commune_code("1585a"));
    }

    #[test]
    fn commune_names_match_without_prefix() {
        assert_eq!(commune_match_key("Xã Xuân Bình"), "xuan binh");
        assert_eq!(commune_match_key("xuân bình"), "xuan binh");
        assert_eq!(commune_match_key("PHƯỜNG HẠC THÀNH"), "hac thanh");
        assert_eq!(commune_match_key("Đặc khu Côn Đảo"), "con dao");
    }
}
