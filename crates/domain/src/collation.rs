//! Vietnamese alphabetical order as sortable ASCII keys, so that the database can ORDER BY and page in the
//! right order (a ă â b c d đ e ê … o ô ơ … u ư …, then tones: none, huyền, sắc, hỏi, ngã, nặng).
//!
//! A key is: the letters of every part as two-digit codes (parts separated by `00`, words inside a part by
//! `01`), then `00` and one tone digit per letter. Letters decide first, tones only break ties, as in a
//! dictionary. Keys compare byte-wise (SQLite's default, `COLLATE "C"` in PostgreSQL). Numbers sort by value
//! (`Thôn 2` before `Thôn 10`): a run of digits is its length, then its digits.

use crate::tone::split_tone;
use unicode_normalization::UnicodeNormalization;

const ALPHABET: [char; 33] = [
    'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z',
];
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}'];
const PART_SEPARATOR: &str = "00";
const WORD_SEPARATOR: &str = "01";

fn letter_code(letter: char) -> Option<u8> {
    ALPHABET
        .iter()
        .position(|&a| a == letter)
        .map(|i| 20 + i as u8)
}

fn tone_digit(tone: Option<char>) -> char {
    let index = tone
        .and_then(|t| TONES.iter().position(|&m| m == t))
        .map_or(0, |i| i + 1);
    char::from(b'0' + index as u8)
}

/// A number's codes: its length (11–19, below every letter), then each digit (10–19), so that shorter numbers
/// come first and equal lengths compare digit by digit. Leading zeros do not count (`03` is `3`).
fn push_number(letters: &mut String, digits: &str) {
    let significant = digits.trim_start_matches('0');
    let significant = if significant.is_empty() {
        "0"
    } else {
        significant
    };
    letters.push_str(&format!("{:02}", 10 + significant.len().min(9)));
    for digit in significant.chars() {
        letters.push_str(&format!("{:02}", 10 + digit.to_digit(10).unwrap_or(0)));
    }
}

/// Sort key of several parts compared in order (e.g. given name, family name, middle name).
pub fn sort_key_of_parts(parts: &[&str]) -> String {
    let mut letters = String::new();
    let mut tones = String::new();
    for (p, part) in parts.iter().enumerate() {
        if p > 0 {
            letters.push_str(PART_SEPARATOR);
        }
        let lower: String = part.nfc().flat_map(char::to_lowercase).collect();
        for (w, word) in lower.split_whitespace().enumerate() {
            if w > 0 {
                letters.push_str(WORD_SEPARATOR);
            }
            let mut chars = word.chars().peekable();
            while let Some(c) = chars.next() {
                if c.is_ascii_digit() {
                    let mut digits = String::from(c);
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        digits.push(d);
                    }
                    push_number(&mut letters, &digits);
                    continue;
                }
                let (base, tone) = split_tone(c);
                // Punctuation and other scripts do not take part in the order.
                if let Some(code) = letter_code(base) {
                    letters.push_str(&format!("{code:02}"));
                    tones.push(tone_digit(tone));
                }
            }
        }
    }
    format!("{letters}{PART_SEPARATOR}{tones}")
}

/// Sort key of a single text such as a team or commune name.
pub fn sort_key(text: &str) -> String {
    sort_key_of_parts(&[text])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(words: &[&str]) -> Vec<String> {
        let mut v: Vec<&str> = words.to_vec();
        v.sort_by_key(|w| sort_key(w));
        v.into_iter().map(String::from).collect()
    }

    #[test]
    fn follows_the_vietnamese_alphabet() {
        assert_eq!(
            sorted(&["đa", "da", "ăn", "an", "ân", "ơn", "ôn", "on"]),
            ["an", "ăn", "ân", "da", "đa", "on", "ôn", "ơn"]
        );
        assert_eq!(sorted(&["ư", "u", "v"]), ["u", "ư", "v"]);
    }

    #[test]
    fn letters_before_tones() {
        assert_eq!(
            sorted(&["ạ", "á", "a", "à", "ả", "ã"]),
            ["a", "à", "á", "ả", "ã", "ạ"]
        );
        assert_eq!(sorted(&["bá", "ba", "bac"]), ["ba", "bá", "bac"]);
    }

    #[test]
    fn shorter_word_first_and_words_in_order() {
        assert_eq!(sorted(&["anh", "an", "an bình"]), ["an", "an bình", "anh"]);
        assert_eq!(
            sorted(&["Thôn 10", "Thôn 2", "Thôn 1", "Thôn An", "Thôn 02A"]),
            ["Thôn 1", "Thôn 2", "Thôn 02A", "Thôn 10", "Thôn An"]
        );
        assert_eq!(
            sorted(&["TDP 12", "TDP 9", "TDP 100"]),
            ["TDP 9", "TDP 12", "TDP 100"]
        );
    }

    #[test]
    fn case_does_not_matter() {
        assert_eq!(sort_key("Bình"), sort_key("BÌNH"));
    }
}
