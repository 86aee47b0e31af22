//! Vietnamese typed with the old 8-bit font encodings, as spreadsheets still hold it: TCVN3/ABC (`.VnTime`,
//! `.VnArial`; `.VnTimeH` for capitals: one Latin-1 look-alike per letter, `Tæ tr\u{AD}ëng` for `Tổ trưởng`) and
//! VNI-Windows (`VNI-Times`: a base letter followed by mark characters, `Toå tröôûng`). Such text is
//! recognised by its font where the file keeps it, otherwise by the text itself, and turned into Unicode
//! before anything else reads it.
//!
//! The tables (`data/legacy/`) come from UniKey's conversion engine and were checked against GNU libiconv,
//! glibc and xvnkb; `data/legacy/SOURCES.md` says how.

use crate::tone::split_tone;
use std::collections::HashMap;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Legacy {
    Tcvn3,
    /// TCVN3 in a capitals font (`.VnTimeH`): the same codes drawn as capital letters.
    Tcvn3Capitals,
    Vni,
}

impl Legacy {
    /// How the preview names the encoding.
    pub fn label(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "TCVN3 (.VnTime)",
            Legacy::Tcvn3Capitals => "TCVN3 chữ hoa (.VnTimeH)",
            Legacy::Vni => "VNI (VNI-Times)",
        }
    }

    /// The encoding a font name stands for: `.VnTime`, `.VnArialH`, `VNI-Times`, …
    pub fn of_font(font: &str) -> Option<Self> {
        let font = font.trim();
        if font.starts_with(".Vn") || font.starts_with(".vn") {
            let capitals = font.ends_with('H') && font.len() > 4;
            Some(if capitals {
                Legacy::Tcvn3Capitals
            } else {
                Legacy::Tcvn3
            })
        } else if font.to_ascii_uppercase().starts_with("VNI-") {
            Some(Legacy::Vni)
        } else {
            None
        }
    }
}

fn code_point(field: &str) -> char {
    let hex = field.trim().trim_start_matches("U+");
    char::from_u32(u32::from_str_radix(hex, 16).expect("table: hex code point"))
        .expect("table: valid code point")
}

/// The TCVN3 character (after Windows-1252 decoding) → the letter it stands for.
static TCVN3: LazyLock<HashMap<char, char>> = LazyLock::new(|| {
    include_str!("../data/legacy/tcvn3.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut fields = line.split('\t');
            let from = code_point(fields.next().expect("table: code"));
            let to = fields
                .next()
                .expect("table: letter")
                .chars()
                .next()
                .expect("a letter");
            (from, to)
        })
        .collect()
});

/// VNI: one or two characters → the letter they stand for.
static VNI: LazyLock<HashMap<Vec<char>, char>> = LazyLock::new(|| {
    include_str!("../data/legacy/vni.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let (codes, letter) = line.split_once('\t').expect("table: two columns");
            let sequence: Vec<char> = codes.split_whitespace().map(code_point).collect();
            (sequence, letter.chars().next().expect("a letter"))
        })
        .collect()
});

/// Converts text written in a legacy encoding to Unicode (NFC).
pub fn decode(text: &str, encoding: Legacy) -> String {
    let decoded: String = match encoding {
        Legacy::Tcvn3 | Legacy::Tcvn3Capitals => text
            .chars()
            .map(|c| TCVN3.get(&c).copied().unwrap_or(c))
            .collect(),
        Legacy::Vni => {
            let chars: Vec<char> = text.chars().collect();
            let mut out = String::with_capacity(text.len());
            let mut i = 0;
            while i < chars.len() {
                // Longest match first: `ô` alone is ơ, `ôù` is ớ.
                let pair = chars.get(i..i + 2).and_then(|p| VNI.get(p));
                match (pair, VNI.get(&chars[i..i + 1])) {
                    (Some(letter), _) => {
                        out.push(*letter);
                        i += 2;
                    }
                    (None, Some(letter)) => {
                        out.push(*letter);
                        i += 1;
                    }
                    (None, None) => {
                        out.push(chars[i]);
                        i += 1;
                    }
                }
            }
            out
        }
    };
    let decoded = match encoding {
        Legacy::Tcvn3Capitals => decoded.to_uppercase(),
        _ => decoded,
    };
    decoded.nfc().collect()
}

/// The Latin-1 letters Vietnamese itself uses: text made only of these and ASCII may be plain Unicode.
fn is_vietnamese_latin1(c: char) -> bool {
    "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ".contains(c)
}

/// Whether text could be in a legacy encoding: only ASCII and Latin-1, with at least one character
/// Vietnamese in Unicode would not use. (Unicode Vietnamese nearly always has letters past Latin-1: ă, đ, ơ,
/// ư and most toned vowels.)
pub fn may_be_legacy(text: &str) -> bool {
    text.chars().all(|c| (c as u32) <= 0xFF)
        && text
            .chars()
            .any(|c| (c as u32) >= 0xA0 && !is_vietnamese_latin1(c))
}

/// How unlikely a decoding is as Vietnamese: characters left that are not Vietnamese letters, and words with
/// more than one tone mark (a syllable carries at most one).
fn implausibility(decoded: &str) -> usize {
    let leftovers = decoded
        .chars()
        .filter(|c| (*c as u32) >= 0xA0 && (*c as u32) <= 0xFF && !is_vietnamese_latin1(*c))
        .count();
    let many_tones = decoded
        .split(|c: char| !c.is_alphabetic())
        .filter(|word| word.chars().filter(|c| split_tone(*c).1.is_some()).count() > 1)
        .count();
    leftovers * 10 + many_tones
}

/// The encoding most of these texts (a sheet's cells) are written in, if they look legacy at all: the
/// decoding that reads most like Vietnamese over all of them (one file keeps one encoding).
pub fn detect<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<Legacy> {
    let candidates: Vec<&str> = texts.into_iter().filter(|t| may_be_legacy(t)).collect();
    if candidates.is_empty() {
        return None;
    }
    let score = |encoding| {
        candidates
            .iter()
            .map(|t| implausibility(&decode(t, encoding)))
            .sum::<usize>()
    };
    let (tcvn3, vni) = (score(Legacy::Tcvn3), score(Legacy::Vni));
    let as_typed: usize = candidates.iter().map(|t| implausibility(t)).sum();
    let (best, best_score) = if vni < tcvn3 {
        (Legacy::Vni, vni)
    } else {
        (Legacy::Tcvn3, tcvn3)
    };
    (best_score < as_typed).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<(&'static str, &'static str, &'static str)> {
        include_str!("../data/legacy/samples.tsv")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let mut f = line.split('\t');
                (f.next().unwrap(), f.next().unwrap(), f.next().unwrap())
            })
            .collect()
    }

    #[test]
    fn whole_phrases_decode_exactly() {
        for (unicode, tcvn3, vni) in samples() {
            assert_eq!(decode(tcvn3, Legacy::Tcvn3), unicode, "TCVN3 {tcvn3}");
            assert_eq!(decode(vni, Legacy::Vni), unicode, "VNI {vni}");
        }
        assert_eq!(decode("Tæ tr\u{AD}ëng", Legacy::Tcvn3), "Tổ trưởng");
        assert_eq!(
            decode("NGUYÔN V¡N AN", Legacy::Tcvn3Capitals),
            "NGUYỄN VĂN AN"
        );
    }

    #[test]
    fn a_sheet_is_recognised_as_it_was_typed_and_unicode_is_left_alone() {
        let tcvn3: Vec<&str> = samples().iter().map(|s| s.1).collect();
        let vni: Vec<&str> = samples().iter().map(|s| s.2).collect();
        let unicode: Vec<&str> = samples().iter().map(|s| s.0).collect();
        assert_eq!(detect(tcvn3), Some(Legacy::Tcvn3));
        assert_eq!(detect(vni), Some(Legacy::Vni));
        assert_eq!(detect(unicode), None);
        assert_eq!(
            detect(["Hà Nội", "Thôn 1", "0914994123", "Lê Thị Hòa"]),
            None
        );
        assert_eq!(detect(["Tæ tr\u{AD}ëng"]), Some(Legacy::Tcvn3));
        assert_eq!(detect(["Toå tröôûng"]), Some(Legacy::Vni));
    }

    #[test]
    fn fonts_name_their_encoding() {
        assert_eq!(Legacy::of_font(".VnTime"), Some(Legacy::Tcvn3));
        assert_eq!(Legacy::of_font(".VnArialH"), Some(Legacy::Tcvn3Capitals));
        assert_eq!(Legacy::of_font("VNI-Times"), Some(Legacy::Vni));
        assert_eq!(Legacy::of_font("Times New Roman"), None);
    }
}
