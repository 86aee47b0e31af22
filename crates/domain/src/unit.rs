//! Administrative units after the 1 July 2025 reform: provinces (2-digit codes) and communes (5-digit codes).

use crate::text::{clean_text, fold};

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

/// Keys to match a written commune name, from the most exact to the loosest: the full name, the name without its
/// kind (with diacritics), the folded name without its kind. Loose keys can collide: `Xã Đồng Tiến` and
/// `Phường Đông Tiến` share the last one.
pub fn commune_name_keys(name: &str) -> [String; 3] {
    let exact = clean_text(name).to_lowercase();
    let without_kind = ["xã ", "phường ", "đặc khu "]
        .iter()
        .find_map(|kind| exact.strip_prefix(kind))
        .unwrap_or(&exact)
        .to_string();
    [exact.clone(), without_kind, commune_match_key(name)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commune_names_match_without_prefix() {
        assert_eq!(commune_match_key("Xã Xuân Bình"), "xuan binh");
        assert_eq!(commune_match_key("xuân bình"), "xuan binh");
        assert_eq!(commune_match_key("PHƯỜNG HẠC THÀNH"), "hac thanh");
        assert_eq!(commune_match_key("Đặc khu Côn Đảo"), "con dao");
    }

    #[test]
    fn close_names_differ_in_their_exact_keys() {
        let dong = commune_name_keys("Xã Đồng Tiến");
        let dong_phuong = commune_name_keys("Phường Đông Tiến");
        assert_ne!(dong[0], dong_phuong[0]);
        assert_ne!(dong[1], dong_phuong[1]);
        assert_eq!(dong[2], dong_phuong[2], "only the loosest key collides");
        assert_eq!(commune_name_keys("xã  xuân bình")[0], "xã xuân bình");
        assert_eq!(commune_name_keys("Xuân Bình")[1], "xuân bình");
    }
}
