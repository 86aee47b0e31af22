//! Tone-mark placement. Vietnamese has two spellings for the open syllables `oa`, `oe`, `uy`: the tone on the
//! first vowel (`Hóa`, `Thủy`, `khỏe`, as in the official list of administrative units) or on the second
//! (`Hoá`, `Thuỷ`, `khoẻ`). We store the first so that the same name is always the same string.

use unicode_normalization::char::{compose, decompose_canonical};

const TONE_MARKS: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// Splits a letter into its letter without tone (keeping ă, â, ê, ô, ơ, ư) and its tone mark, if any.
pub fn split_tone(c: char) -> (char, Option<char>) {
    let mut parts = Vec::with_capacity(3);
    decompose_canonical(c, |p| parts.push(p));
    let tone = parts.iter().copied().find(|p| TONE_MARKS.contains(p));
    let mut base = parts[0];
    for mark in parts[1..].iter().filter(|p| !TONE_MARKS.contains(p)) {
        base = compose(base, *mark).unwrap_or(base);
    }
    (base, tone)
}

fn with_tone(base: char, tone: char) -> char {
    compose(base, tone).unwrap_or(base)
}

fn is_vowel(c: char) -> bool {
    "aăâeêioôơuưy".contains(c.to_lowercase().next().unwrap_or(c))
}

/// Moves the tone of a word ending in an open `oa`/`oe`/`uy` onto its first vowel (`hoà` → `hòa`).
pub fn canonical_word(word: &str) -> String {
    let letters: Vec<(char, Option<char>)> = word.chars().map(split_tone).collect();
    let n = letters.len();
    if n < 2 {
        return word.to_string();
    }
    let (first, first_tone) = letters[n - 2];
    let (second, second_tone) = letters[n - 1];
    let pair: String = [first, second]
        .iter()
        .flat_map(|c| c.to_lowercase())
        .collect();
    let before = n.checked_sub(3).map(|i| letters[i].0.to_ascii_lowercase());
    let open_pair = matches!(pair.as_str(), "oa" | "oe" | "uy");
    // In `quý` the `u` belongs to the consonant `qu`; a third vowel (`khuya`, `ngoài`) is another syllable shape.
    let nucleus_is_pair = before.is_none_or(|b| !is_vowel(b) && b != 'q');
    match (open_pair && nucleus_is_pair, first_tone, second_tone) {
        (true, None, Some(tone)) => {
            let mut out: String = word.chars().take(n - 2).collect();
            out.push(with_tone(first, tone));
            out.push(second);
            out
        }
        _ => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_tone_to_first_vowel_of_open_pairs() {
        assert_eq!(canonical_word("Hoà"), "Hòa");
        assert_eq!(canonical_word("hoá"), "hóa");
        assert_eq!(canonical_word("Thuỷ"), "Thủy");
        assert_eq!(canonical_word("thuý"), "thúy");
        assert_eq!(canonical_word("khoẻ"), "khỏe");
        assert_eq!(canonical_word("HOÀ"), "HÒA");
    }

    #[test]
    fn leaves_other_syllables_alone() {
        for word in [
            "Hòa", "quý", "Quỳnh", "hoàng", "ngoài", "Nguyễn", "an", "à", "khuya",
        ] {
            assert_eq!(canonical_word(word), word);
        }
    }

    #[test]
    fn splits_tone_from_shape() {
        assert_eq!(split_tone('ệ'), ('ê', Some('\u{323}')));
        assert_eq!(split_tone('ơ'), ('ơ', None));
        assert_eq!(split_tone('Ấ'), ('Â', Some('\u{301}')));
    }
}
