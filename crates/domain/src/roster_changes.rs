//! What changed in a commune's team list between two frozen copies (two rounds' submissions): teams added and
//! gone, people in and out. Teams are matched however their names were written (`Thôn Đồng Mới`, `Tổ CNSCĐ
//! thôn Đồng Mới`), people by their name within their team, ignoring diacritics and case.

use crate::roster::RosterCommune;
use crate::team::team_match_key;
use crate::text::fold;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterChanges {
    pub teams_added: Vec<String>,
    pub teams_removed: Vec<String>,
    /// (team, person) who appear only in the later list.
    pub members_joined: Vec<TeamPerson>,
    /// (team, person) who appear only in the earlier list.
    pub members_left: Vec<TeamPerson>,
}

impl RosterChanges {
    pub fn is_empty(&self) -> bool {
        self.teams_added.is_empty()
            && self.teams_removed.is_empty()
            && self.members_joined.is_empty()
            && self.members_left.is_empty()
    }
}

/// A team and a person: as compared (folded keys) or as written (names).
type TeamPerson = (String, String);

/// Every (team key, person key) of a list, with the names as written.
fn people(commune: &RosterCommune) -> Vec<(TeamPerson, TeamPerson)> {
    commune
        .teams
        .iter()
        .flat_map(|team| {
            team.members.iter().map(move |m| {
                (
                    (team_match_key(&team.name), fold(m.name.as_str())),
                    (team.name.clone(), m.name.as_str().to_string()),
                )
            })
        })
        .collect()
}

pub fn roster_changes(before: &RosterCommune, after: &RosterCommune) -> RosterChanges {
    let keys = |c: &RosterCommune| -> BTreeSet<String> {
        c.teams.iter().map(|t| team_match_key(&t.name)).collect()
    };
    let (teams_before, teams_after) = (keys(before), keys(after));
    let only = |teams: &RosterCommune, other: &BTreeSet<String>| -> Vec<String> {
        teams
            .teams
            .iter()
            .filter(|t| !other.contains(&team_match_key(&t.name)))
            .map(|t| t.name.clone())
            .collect()
    };
    let (people_before, people_after) = (people(before), people(after));
    let present = |list: &[(TeamPerson, TeamPerson)]| -> BTreeSet<TeamPerson> {
        list.iter().map(|(key, _)| key.clone()).collect()
    };
    let (keys_before, keys_after) = (present(&people_before), present(&people_after));
    RosterChanges {
        teams_added: only(after, &teams_before),
        teams_removed: only(before, &teams_after),
        members_joined: people_after
            .into_iter()
            .filter(|(key, _)| !keys_before.contains(key))
            .map(|(_, names)| names)
            .collect(),
        members_left: people_before
            .into_iter()
            .filter(|(key, _)| !keys_after.contains(key))
            .map(|(_, names)| names)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person_name::PersonName;
    use crate::role::Role;
    use crate::roster::{RosterMember, RosterTeam};

    fn team(name: &str, members: &[&str]) -> RosterTeam {
        RosterTeam {
            name: name.into(),
            decision: None,
            members: members
                .iter()
                .map(|m| RosterMember {
                    name: PersonName::parse("name", m).unwrap(),
                    role: Role::Member,
                    phone: None,
                    note: String::new(),
                    joined_on: None,
                })
                .collect(),
        }
    }

    fn commune(teams: Vec<RosterTeam>) -> RosterCommune {
        RosterCommune {
            code: "16177".into(),
            name: "Xã Xuân Bình".into(),
            teams,
        }
    }

    #[test]
    fn names_what_came_and_went_however_it_was_written() {
        let before = commune(vec![
            team("Thôn Đồng Mới", &["Nguyễn Văn An", "Lê Thị Hoa"]),
            team("Thôn 3", &["Trần Văn Bình"]),
        ]);
        let after = commune(vec![
            team("Tổ CNSCĐ thôn Đồng Mới", &["NGUYỄN VĂN AN", "Phạm Thị Lan"]),
            team("Thôn 5", &["Đỗ Văn Cường"]),
        ]);
        let changes = roster_changes(&before, &after);
        assert_eq!(changes.teams_added, vec!["Thôn 5".to_string()]);
        assert_eq!(changes.teams_removed, vec!["Thôn 3".to_string()]);
        assert_eq!(
            changes.members_joined,
            vec![
                (
                    "Tổ CNSCĐ thôn Đồng Mới".to_string(),
                    "Phạm Thị Lan".to_string()
                ),
                ("Thôn 5".to_string(), "Đỗ Văn Cường".to_string())
            ]
        );
        assert_eq!(
            changes.members_left,
            vec![
                ("Thôn Đồng Mới".to_string(), "Lê Thị Hoa".to_string()),
                ("Thôn 3".to_string(), "Trần Văn Bình".to_string())
            ]
        );
        assert!(roster_changes(&after, &after).is_empty());
    }
}
