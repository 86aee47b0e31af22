//! Vietnamese phone numbers: one stored form (`0914994123`), read from any common writing, shown grouped.

use crate::errors::FieldError;
use phonenumber::country::Id;
use phonenumber::metadata::DATABASE;
use phonenumber::Type;
use serde::Serialize;
use std::fmt;

const MOBILE_DIGITS: usize = 10;
/// Mobile prefixes allocated to Vietnamese carriers (Viettel, VinaPhone, MobiFone, Vietnamobile, Gmobile, Reddi,
/// iTel) since the 2018 conversion to 10 digits.
const MOBILE_PREFIXES: [&str; 36] = [
    "032", "033", "034", "035", "036", "037", "038", "039", "052", "055", "056", "058", "059",
    "070", "076", "077", "078", "079", "081", "082", "083", "084", "085", "086", "087", "088",
    "089", "090", "091", "092", "093", "094", "096", "097", "098", "099",
];
const LANDLINE_DIGITS: usize = 11;

/// A valid Vietnamese mobile (10 digits, 03/05/07/08/09) or landline (11 digits, 02) number, national form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Phone(String);

/// Read back from JSON (a frozen team list) through the same check as typed input.
impl TryFrom<String> for Phone {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        Self::parse(&text).map_err(|e| e.to_string())
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> String {
        phone.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.explain())]
pub struct PhoneError {
    pub typed: String,
    pub fault: PhoneFault,
}

/// What is wrong with a typed number, so that the message says what to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneFault {
    /// Letters or signs other than spaces, dots, dashes, parentheses and `+`.
    NotDigits,
    /// A mobile or landline shape, but not its count of digits.
    Length,
    /// Ten digits whose prefix no carrier holds (`095…`, `031…`), or an unknown landline area.
    Prefix,
}

impl PhoneError {
    fn explain(&self) -> String {
        let typed = &self.typed;
        let rule =
            "di động có 10 chữ số (ví dụ 0914 994 123), máy bàn có 11 chữ số bắt đầu bằng 02";
        match self.fault {
            PhoneFault::NotDigits => {
                format!("Số điện thoại «{typed}» chỉ được gồm chữ số (có thể có dấu cách, chấm, gạch, +84): {rule}.")
            }
            PhoneFault::Length => {
                format!("Số điện thoại «{typed}» không đủ hoặc thừa chữ số: {rule}.")
            }
            PhoneFault::Prefix => {
                let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
                let prefix: String = digits.chars().take(3).collect();
                format!(
                    "Số điện thoại «{typed}» có đầu số «{prefix}» không thuộc nhà mạng hay vùng nào ở Việt Nam \
                     ({rule}): hãy kiểm tra lại từng chữ số."
                )
            }
        }
    }
}

impl Phone {
    /// Reads a phone from how people write it: spaces, dots, dashes, parentheses, `+84`/`84` for the leading
    /// zero, or the leading zero lost (numbers typed into a spreadsheet cell).
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let typed: String = input.chars().take(40).collect();
        let error = |fault| PhoneError {
            typed: typed.trim().to_string(),
            fault,
        };
        let compact: String = input
            .chars()
            .filter(|c| !(c.is_whitespace() || matches!(c, '.' | '-' | '(' | ')' | '/')))
            .collect();
        let digits = compact.strip_prefix('+').unwrap_or(&compact);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(error(PhoneFault::NotDigits));
        }
        let national = national_form(digits).ok_or_else(|| {
            // Ten or eleven digits have the count of a number; then its beginning is what is wrong.
            error(match digits.len() {
                MOBILE_DIGITS | LANDLINE_DIGITS => PhoneFault::Prefix,
                _ => PhoneFault::Length,
            })
        })?;
        if national.len() == MOBILE_DIGITS {
            // Mobiles by their carriers' prefixes: libphonenumber's finer number blocks lag behind the carriers
            // (it refuses 0890–0895, which the Department's own sample file uses).
            return MOBILE_PREFIXES
                .contains(&&national[..3])
                .then_some(Self(national))
                .ok_or_else(|| error(PhoneFault::Prefix));
        }
        let parsed =
            phonenumber::parse(Some(Id::VN), &national).map_err(|_| error(PhoneFault::Prefix))?;
        let landline = matches!(
            parsed.number_type(&DATABASE),
            Type::FixedLine | Type::FixedLineOrMobile
        );
        if phonenumber::is_valid(&parsed) && landline {
            Ok(Self(national))
        } else {
            Err(error(PhoneFault::Prefix))
        }
    }

    /// Restores a phone already stored in national form (trusted, from the database).
    pub fn from_stored(national: String) -> Self {
        Self(national)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Grouped for reading: `0914 994 123` for mobiles, `0237 3852 123` for landlines.
    pub fn grouped(&self) -> String {
        let s = &self.0;
        if s.len() == MOBILE_DIGITS {
            format!("{} {} {}", &s[..4], &s[4..7], &s[7..])
        } else {
            format!("{} {} {}", &s[..4], &s[4..8], &s[8..])
        }
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.grouped())
    }
}

impl From<PhoneError> for FieldError {
    fn from(error: PhoneError) -> Self {
        FieldError::new("phone", "phone_invalid", error.to_string())
    }
}

/// The national form with its leading zero, from digits written with 84 or without the zero.
fn national_form(digits: &str) -> Option<String> {
    let with_zero = |rest: &str| format!("0{rest}");
    let is_landline_body = |rest: &str| rest.starts_with('2');
    let national = match digits.len() {
        n if digits.starts_with("84") && (n == MOBILE_DIGITS + 1 || n == LANDLINE_DIGITS + 1) => {
            let rest = &digits[2..];
            if (rest.len() == LANDLINE_DIGITS - 1) == is_landline_body(rest) {
                with_zero(rest)
            } else {
                return None;
            }
        }
        n if n == MOBILE_DIGITS - 1 && !is_landline_body(digits) => with_zero(digits),
        n if n == LANDLINE_DIGITS - 1 && is_landline_body(digits) => with_zero(digits),
        _ => digits.to_string(),
    };
    let valid_shape = match national.len() {
        MOBILE_DIGITS => national.starts_with('0') && "35789".contains(&national[1..2]),
        LANDLINE_DIGITS => national.starts_with("02"),
        _ => false,
    };
    valid_shape.then_some(national)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_says_what_is_wrong() {
        let message = |typed: &str| Phone::parse(typed).unwrap_err().to_string();
        assert!(message("0955555555").contains("đầu số «095» không thuộc nhà mạng"));
        assert!(message("0312345678").contains("đầu số «031»"));
        assert!(message("09123").contains("không đủ hoặc thừa chữ số"));
        assert!(message("0912 abc 678").contains("chỉ được gồm chữ số"));
    }

    fn norm(s: &str) -> String {
        Phone::parse(s).unwrap().as_str().to_string()
    }

    #[test]
    fn reads_every_common_writing() {
        for written in [
            "0914994123",
            "0914 994 123",
            "0914.994.123",
            "0914-994-123",
            "(0914) 994 123",
            "+84 914 994 123",
            "+84914994123",
            "84914994123",
            "914994123",
        ] {
            assert_eq!(norm(written), "0914994123", "{written}");
        }
        assert_eq!(norm("0386 123 456"), "0386123456");
        assert_eq!(
            norm("0895020146"),
            "0895020146",
            "an 089 number of the Department's sample"
        );
        assert_eq!(norm("0237 3852 123"), "02373852123");
        assert_eq!(norm("+84 237 3852 123"), "02373852123");
        assert_eq!(norm("2373852123"), "02373852123");
    }

    #[test]
    fn refuses_impossible_numbers() {
        for bad in [
            "",
            "abc",
            "12345",
            "0914 994 12",
            "09149941234",
            "0114994123",
            "0614994123",
            "0914994***",
        ] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn error_message_is_vietnamese_and_quotes_input() {
        let message = Phone::parse("12345").unwrap_err().to_string();
        assert!(
            message.contains("«12345»") && message.contains("10 chữ số"),
            "{message}"
        );
    }

    #[test]
    fn groups_for_display() {
        assert_eq!(
            Phone::parse("0914994123").unwrap().grouped(),
            "0914 994 123"
        );
        assert_eq!(
            Phone::parse("02373852123").unwrap().grouped(),
            "0237 3852 123"
        );
    }
}
