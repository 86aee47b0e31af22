//! Teams: one per village or residential group, plus sometimes one for the whole commune.

use crate::errors::{FieldError, ValidationErrors};
use crate::member::{MemberDraft, ValidMember};
use crate::role::Role;
use crate::text::{clean_text, fold};
use serde::{Deserialize, Serialize};

pub const MAX_TEAM_NAME_CHARS: usize = 200;
pub const MAX_NOTE_CHARS: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TeamStatus {
    Active,
    Dissolved,
}

impl TeamStatus {
    pub fn code(self) -> &'static str {
        match self {
            TeamStatus::Active => "active",
            TeamStatus::Dissolved => "dissolved",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TeamStatus::Active => "Đang hoạt động",
            TeamStatus::Dissolved => "Đã giải thể",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [TeamStatus::Active, TeamStatus::Dissolved]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// The key two writings of one team share: the folded name without the words that only say it is a team
/// (`Tổ CNSCĐ thôn Đồng Mới`, `Tổ Công nghệ số cộng đồng thôn Đồng Mới` and `Thôn Đồng Mới` are all `thon dong
/// moi`), with residential groups written alike (`TDP 3`, `Tổ dân phố số 3` → `to dan pho 3`).
pub fn team_match_key(name: &str) -> String {
    let mut key = fold(name);
    for prefix in [
        "to cong nghe so cong dong ",
        "to cong nghe so ",
        "to cnscd ",
        "to cnsc ",
        "cnscd ",
    ] {
        if let Some(rest) = key.strip_prefix(prefix) {
            key = rest.to_string();
            break;
        }
    }
    let words: Vec<&str> = key.split(' ').collect();
    let mut out: Vec<&str> = Vec::with_capacity(words.len() + 2);
    let mut i = 0;
    while i < words.len() {
        match words[i] {
            "tdp" => out.extend(["to", "dan", "pho"]),
            // `số 3`, `so 3`: the word only introduces the number.
            "so" if words
                .get(i + 1)
                .is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit())) => {}
            word => out.push(word),
        }
        i += 1;
    }
    // `thôn 03` and `thôn 3` are one village.
    out.iter()
        .map(|w| match w.trim_start_matches('0') {
            "" if w.starts_with('0') => "0",
            digits if w.bytes().all(|b| b.is_ascii_digit()) => digits,
            _ => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a person typed for a team, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamDraft {
    pub name: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTeam {
    pub name: String,
    pub note: String,
}

impl TeamDraft {
    pub fn validate(&self) -> Result<ValidTeam, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = clean_text(&self.name);
        if name.is_empty() {
            errors.push(FieldError::new(
                "name",
                "team_name_missing",
                "Chưa nhập tên tổ (ví dụ: Tổ thôn 1).",
            ));
        } else if name.chars().count() > MAX_TEAM_NAME_CHARS {
            errors.push(FieldError::new(
                "name",
                "team_name_too_long",
                format!("Tên tổ dài quá {MAX_TEAM_NAME_CHARS} ký tự."),
            ));
        }
        let note = errors.check(clean_note(&self.note)).unwrap_or_default();
        errors.into_result()?;
        Ok(ValidTeam { name, note })
    }
}

/// Checks a new team and its leader together (an active team always has a leader). The leader's problems are
/// reported under `leader.<field>`.
pub fn validate_new_team(
    team: &TeamDraft,
    leader: &MemberDraft,
) -> Result<(ValidTeam, ValidMember), ValidationErrors> {
    let team = team.validate();
    let leader = MemberDraft {
        role: Role::Leader.code().to_string(),
        ..leader.clone()
    }
    .validate();
    match (team, leader) {
        (Ok(team), Ok(leader)) => Ok((team, leader)),
        (team, leader) => {
            let mut errors = team.err().unwrap_or_default();
            for mut error in leader.err().unwrap_or_default().0 {
                error.field = format!("leader.{}", error.field);
                errors.push(error);
            }
            Err(errors)
        }
    }
}

/// A free-text note: cleaned like any text, bounded in length.
pub fn clean_note(input: &str) -> Result<String, FieldError> {
    let note = clean_text(input);
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(FieldError::new(
            "note",
            "note_too_long",
            format!("Ghi chú dài quá {MAX_NOTE_CHARS} ký tự."),
        ));
    }
    Ok(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_team_written_many_ways_has_one_key() {
        let key = team_match_key("Thôn Đồng Mới");
        assert_eq!(key, "thon dong moi");
        for written in [
            "Tổ CNSCĐ thôn Đồng Mới",
            "Tổ Công nghệ số cộng đồng thôn Đồng Mới",
            "tổ công nghệ số Thôn Đồng  Mới",
            "THÔN ĐỒNG MỚI",
        ] {
            assert_eq!(team_match_key(written), key, "{written}");
        }
        assert_eq!(team_match_key("TDP 3"), team_match_key("Tổ dân phố số 3"));
        assert_eq!(team_match_key("Thôn 03"), team_match_key("thôn 3"));
        assert_ne!(team_match_key("Thôn 3"), team_match_key("Thôn 13"));
        assert_ne!(
            team_match_key("Thôn Đồng Mới"),
            team_match_key("Thôn Đông Mới 2")
        );
    }

    #[test]
    fn cleans_and_requires_a_name() {
        let team = TeamDraft {
            name: "  Tổ  thôn 1 ".into(),
            note: String::new(),
        }
        .validate()
        .unwrap();
        assert_eq!(team.name, "Tổ thôn 1");
        let errors = TeamDraft {
            name: " ".into(),
            note: "x".repeat(1001),
        }
        .validate()
        .unwrap_err();
        assert_eq!(errors.0.len(), 2);
        assert!(errors.for_field("name").is_some() && errors.for_field("note").is_some());
    }

    #[test]
    fn a_new_team_needs_a_valid_leader() {
        let team = TeamDraft {
            name: "Tổ thôn 1".into(),
            note: String::new(),
        };
        let leader = MemberDraft {
            full_name: "".into(),
            phone: "123".into(),
            ..Default::default()
        };
        let errors = validate_new_team(&team, &leader).unwrap_err();
        assert!(
            errors.for_field("leader.full_name").is_some()
                && errors.for_field("leader.phone").is_some()
        );
        let leader = MemberDraft {
            full_name: "Lê Văn Tám".into(),
            role: "Thành viên".into(),
            ..Default::default()
        };
        assert_eq!(
            validate_new_team(&team, &leader).unwrap().1.role,
            Role::Leader
        );
    }
}
