//! A person's full name: family, middle and given name (`Nguyễn Văn An`).

use crate::collation::sort_key_of_parts;
use crate::errors::FieldError;
use crate::text::{clean_text, title_case};

pub const MAX_NAME_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct PersonName(String);

/// Read back from JSON (a frozen team list) through the same check as typed input.
impl TryFrom<String> for PersonName {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        Self::parse("full_name", &text).map_err(|e| e.message)
    }
}

impl From<PersonName> for String {
    fn from(name: PersonName) -> String {
        name.0
    }
}

impl PersonName {
    /// Cleans and checks a typed name. A name typed all in capitals or all in lower case is capitalised
    /// word by word; a name in mixed case keeps its capitalisation.
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let cleaned = clean_text(input);
        if cleaned.is_empty() {
            return Err(FieldError::new(field, "name_missing", "Chưa nhập họ tên."));
        }
        if cleaned.chars().count() > MAX_NAME_CHARS {
            return Err(FieldError::new(
                field,
                "name_too_long",
                format!("Họ tên dài quá {MAX_NAME_CHARS} ký tự."),
            ));
        }
        if let Some(bad) = cleaned
            .chars()
            .find(|c| !(c.is_alphabetic() || matches!(c, ' ' | '.' | '-' | '\'')))
        {
            return Err(FieldError::new(
                field,
                "name_invalid",
                format!("Họ tên chỉ gồm chữ cái; hãy bỏ ký tự «{bad}»."),
            ));
        }
        let one_case = cleaned == cleaned.to_uppercase() || cleaned == cleaned.to_lowercase();
        Ok(Self(if one_case {
            title_case(&cleaned)
        } else {
            cleaned
        }))
    }

    /// Restores a name already stored (trusted, from the database).
    pub fn from_stored(name: String) -> Self {
        Self(name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Key that sorts by given name, then family name, then middle name.
    pub fn sort_key(&self) -> String {
        person_sort_key(&self.0)
    }
}

/// Vietnamese order of full names: given name, then family name, then middle name.
pub fn person_sort_key(full_name: &str) -> String {
    let words: Vec<&str> = full_name.split_whitespace().collect();
    match words.as_slice() {
        [] => sort_key_of_parts(&[]),
        [only] => sort_key_of_parts(&[only]),
        [family, middle @ .., given] => sort_key_of_parts(&[given, family, &middle.join(" ")]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_and_capitalises() {
        assert_eq!(
            PersonName::parse("name", "  nguyễn   văn an ")
                .unwrap()
                .as_str(),
            "Nguyễn Văn An"
        );
        assert_eq!(
            PersonName::parse("name", "LÊ THỊ HOÀ").unwrap().as_str(),
            "Lê Thị Hòa"
        );
        assert_eq!(
            PersonName::parse("name", "Đỗ McLean").unwrap().as_str(),
            "Đỗ McLean"
        );
    }

    #[test]
    fn refuses_empty_long_and_odd_names() {
        assert_eq!(
            PersonName::parse("name", "   ").unwrap_err().code,
            "name_missing"
        );
        assert_eq!(
            PersonName::parse("name", &"a".repeat(101))
                .unwrap_err()
                .code,
            "name_too_long"
        );
        assert_eq!(
            PersonName::parse("name", "An <script>").unwrap_err().code,
            "name_invalid"
        );
        assert_eq!(
            PersonName::parse("name", "Nguyễn Văn 2").unwrap_err().code,
            "name_invalid"
        );
    }

    #[test]
    fn sorts_by_given_then_family_then_middle() {
        let mut names = vec![
            "Trần Văn Bình",
            "Nguyễn Văn An",
            "Lê Thị Bình",
            "Nguyễn Thị Bình",
            "An",
        ];
        names.sort_by_key(|n| person_sort_key(n));
        assert_eq!(
            names,
            [
                "An",
                "Nguyễn Văn An",
                "Lê Thị Bình",
                "Nguyễn Thị Bình",
                "Trần Văn Bình"
            ]
        );
    }
}
