//! Vietnamese text rules shared by every entry path: clean storage form and diacritic-free search keys.

use crate::tone::canonical_word;
use std::borrow::Cow;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// The stored form of any human-typed text: NFC, no control characters, no invisible direction or zero-width
/// marks (they can make a name read differently from what is stored), single spaces, trimmed, and the
/// canonical tone placement (`Hoà` → `Hòa`). Letter case is kept as typed.
pub fn clean_text(input: &str) -> String {
    let nfc: String = input
        .nfc()
        .filter(|c| !is_invisible_mark(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    nfc.split_whitespace()
        .map(canonical_word)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text written in paragraphs (a report's narrative): each line cleaned as [`clean_text`], blank lines kept
/// between paragraphs (one at most), none at either end.
pub fn clean_paragraphs(input: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut blank = false;
    for line in input.lines().map(clean_text) {
        if line.is_empty() {
            blank = !paragraphs.is_empty();
        } else {
            if blank {
                paragraphs.push(String::new());
                blank = false;
            }
            paragraphs.push(line);
        }
    }
    paragraphs.join("\n")
}

/// Direction overrides and isolates, zero-width spaces and joiners, the byte-order mark, soft hyphens.
fn is_invisible_mark(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{AD}')
}

/// The search key of a text: lower case ASCII letters and digits, words separated by one space, with every
/// diacritic removed and `đ` folded to `d` (`Xã Xuân Bình` → `xa xuan binh`).
pub fn fold(input: &str) -> String {
    // Stored text is already NFC (`clean_text`): the quick check spares composing it again.
    let nfc: Cow<str> = match is_nfc_quick(input.chars()) {
        IsNormalized::Yes => Cow::Borrowed(input),
        _ => Cow::Owned(input.nfc().collect()),
    };
    let ascii = deunicode::deunicode(&nfc).to_ascii_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A name as a lower-case ASCII word list joined by dashes (`Xã Xuân Bình` → `xa-xuan-binh`): safe in file
/// names and usernames on every system.
pub fn slug(name: &str) -> String {
    fold(name).replace(' ', "-")
}

/// Every tail of a folded key that starts at a word (`xa xuan binh`, `xuan binh`, `binh`): stored in an index
/// so that a query matches the start of any word of a name with one index range scan.
pub fn word_tails(folded: &str) -> Vec<String> {
    let mut tails = Vec::new();
    let mut rest = folded;
    while !rest.is_empty() {
        tails.push(rest.to_string());
        rest = rest.split_once(' ').map_or("", |(_, tail)| tail);
    }
    tails
}

/// A whole number as Vietnamese write it: thousands grouped by `.` (`12.345`).
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// A number with one decimal as Vietnamese write it: `,` as the decimal mark (`66,7`, `100`).
pub fn one_decimal(x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        group_thousands(rounded as i64)
    } else {
        format!("{rounded:.1}").replace('.', ",")
    }
}

/// Capitalises each word (`nguyễn văn an` → `Nguyễn Văn An`), for names typed all in one case.
pub fn title_case(input: &str) -> String {
    input
        .split(' ')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A name as written inside a sentence, after `UBND`: `Xã Xuân Bình` → `xã Xuân Bình`.
pub fn lowercase_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// An address a browser opens: `https://…` or `http://…` (never `javascript:` or a bare word).
pub fn is_web_address(text: &str) -> bool {
    text.starts_with("https://") || text.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_the_vietnamese_way() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(12000), "12.000");
        assert_eq!(group_thousands(1234567), "1.234.567");
        assert_eq!(group_thousands(-4500), "-4.500");
        assert_eq!(one_decimal(66.66), "66,7");
        assert_eq!(one_decimal(100.0), "100");
        assert_eq!(one_decimal(0.6), "0,6");
    }

    #[test]
    fn paragraphs_keep_their_breaks_and_lose_the_rest() {
        assert_eq!(
            clean_paragraphs("\n  Kết quả:  tốt \r\n\n\n- 3 buổi\n- 120 lượt\n\n"),
            "Kết quả: tốt\n\n- 3 buổi\n- 120 lượt"
        );
    }

    #[test]
    fn slugs_are_ascii_words_joined_by_dashes() {
        assert_eq!(slug("Xã Xuân Bình"), "xa-xuan-binh");
        assert_eq!(slug("Phường Đồng Hới (mới)"), "phuong-dong-hoi-moi");
    }

    #[test]
    fn cleans_decomposed_spaced_text() {
        let nfd = "  Xa\u{303}   Xua\u{302}n\tBi\u{300}nh ";
        assert_eq!(clean_text(nfd), "Xã Xuân Bình");
        assert_eq!(clean_text("Thôn  Hoà\u{0}Bình"), "Thôn Hòa Bình");
        assert_eq!(clean_text("Tổ \u{202E}1 nôhT\u{202C}"), "Tổ 1 nôhT");
        assert_eq!(clean_text("Thôn\u{200B} Đông\u{FEFF}"), "Thôn Đông");
    }

    #[test]
    fn folds_diacritics_case_and_d() {
        assert_eq!(fold("Xã Xuân Bình"), "xa xuan binh");
        assert_eq!(fold("XUÂN BÌNH"), "xuan binh");
        assert_eq!(fold("Đức Hòa"), "duc hoa");
        assert_eq!(fold("Hoà"), fold("Hòa"));
        assert_eq!(fold("Thuý"), fold("Thúy"));
        assert_eq!(fold("01/QĐ-UBND"), "01 qd ubnd");
        assert_eq!(fold("Xa\u{303}"), "xa");
    }

    #[test]
    fn tails_start_at_each_word() {
        assert_eq!(
            word_tails("xa xuan binh"),
            ["xa xuan binh", "xuan binh", "binh"]
        );
        assert!(word_tails("").is_empty());
    }

    #[test]
    fn title_cases_words() {
        assert_eq!(title_case("NGUYỄN VĂN AN"), "Nguyễn Văn An");
        assert_eq!(title_case("đặng thị ánh"), "Đặng Thị Ánh");
    }
}
