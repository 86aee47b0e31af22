//! Members of a team: name, role, phone, and the dates they joined and left.

use crate::date::parse_date;
use crate::errors::ValidationErrors;
use crate::person_name::PersonName;
use crate::phone::Phone;
use crate::role::Role;
use crate::team::clean_note;
use chrono::NaiveDate;
use serde::Deserialize;

/// What a person typed for a member, before validation. Every field is text, as forms and files send it.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberDraft {
    pub full_name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub joined_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMember {
    pub name: PersonName,
    pub role: Role,
    pub phone: Option<Phone>,
    pub note: String,
    pub joined_on: Option<NaiveDate>,
}

impl MemberDraft {
    /// Checks every field and reports all problems at once. An empty role means an ordinary member; an empty
    /// phone is allowed (and shown as missing on the overview).
    pub fn validate(&self) -> Result<ValidMember, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = errors.check(PersonName::parse("full_name", &self.full_name));
        let role = match self.role.trim() {
            "" => Some(Role::Member),
            written => errors.check(Role::parse(written)),
        };
        let phone = match self.phone.trim() {
            "" => None,
            written => errors.check(Phone::parse(written)),
        };
        let note = errors.check(clean_note(&self.note)).unwrap_or_default();
        let joined_on = match self.joined_on.trim() {
            "" => None,
            written => errors.check(parse_date("joined_on", written)),
        };
        errors.into_result()?;
        Ok(ValidMember {
            name: name.expect("checked"),
            role: role.expect("checked"),
            phone,
            note,
            joined_on,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_member_is_normalised() {
        let draft = MemberDraft {
            full_name: "NGUYỄN VĂN AN".into(),
            role: "Tổ Trưởng".into(),
            phone: "+84 914.994.123".into(),
            ..Default::default()
        };
        let member = draft.validate().unwrap();
        assert_eq!(member.name.as_str(), "Nguyễn Văn An");
        assert_eq!(member.role, Role::Leader);
        assert_eq!(member.phone.unwrap().as_str(), "0914994123");
    }

    #[test]
    fn reports_every_bad_field() {
        let draft = MemberDraft {
            full_name: "".into(),
            role: "boss".into(),
            phone: "123".into(),
            joined_on: "32/1/2025".into(),
            ..Default::default()
        };
        let errors = draft.validate().unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["full_name", "role", "phone", "joined_on"]);
    }
}
