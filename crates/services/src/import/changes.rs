//! What an import changes in each commune, by name, as the preview and the CLI show it: teams added, back
//! and dissolved; members joining, back, leaving; and for each changed member, her values before and after.

use cnscd_domain::date::format_date;
use cnscd_domain::import_plan::{FieldChange, MemberStep, TeamTarget};
use cnscd_domain::phone::Phone;
use cnscd_store::CommuneImport;
use serde::Serialize;

/// A member in a team, and those of her values that the import changes (a member coming back may come
/// with a new phone).
#[derive(Debug, Clone, Serialize)]
pub struct MemberLine {
    pub team: String,
    pub name: String,
    pub changes: Vec<ValueChange>,
}

/// One value of a member that changes.
#[derive(Debug, Clone, Serialize)]
pub struct ValueChange {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

/// Everything an import changes in one commune, and whether it removes more than a fifth of it.
#[derive(Debug, Clone, Serialize)]
pub struct CommuneChanges {
    pub code: String,
    pub name: String,
    pub teams_before: usize,
    pub members_before: usize,
    pub large_removal: bool,
    pub teams_added: Vec<String>,
    pub teams_revived: Vec<String>,
    pub teams_dissolved: Vec<String>,
    /// Registered teams put under a decision of the file: «Thôn Bắc: 251/QĐ-UBND ngày 10/07/2025».
    pub decisions_added: Vec<String>,
    pub members_joining: Vec<MemberLine>,
    pub members_rejoining: Vec<MemberLine>,
    pub members_leaving: Vec<MemberLine>,
    pub members_changed: Vec<MemberLine>,
}

impl CommuneChanges {
    pub fn teams_removed(&self) -> usize {
        self.teams_dissolved.len()
    }

    pub fn members_removed(&self) -> usize {
        self.members_leaving.len()
    }

    /// What the commune loses, out of what it has, naming only what is lost: «giải thể 2/5 tổ và cho 7/30
    /// thành viên rời tổ», or «cho 7/30 thành viên rời tổ» when no team goes.
    pub fn removal(&self) -> String {
        let mut parts = Vec::new();
        if self.teams_removed() > 0 {
            parts.push(format!(
                "giải thể {}/{} tổ",
                self.teams_removed(),
                self.teams_before
            ));
        }
        if self.members_removed() > 0 {
            parts.push(format!(
                "cho {}/{} thành viên rời tổ",
                self.members_removed(),
                self.members_before
            ));
        }
        parts.join(" và ")
    }

    /// The team lists with their titles, in the order the preview shows them; once `applied`, the titles say
    /// what was done rather than what would be.
    pub fn team_lists(&self, applied: bool) -> Vec<(&'static str, &[String])> {
        vec![
            ("Tổ mới", self.teams_added.as_slice()),
            ("Tổ hoạt động trở lại", self.teams_revived.as_slice()),
            (
                if applied {
                    "Tổ đã giải thể"
                } else {
                    "Tổ sẽ giải thể"
                },
                self.teams_dissolved.as_slice(),
            ),
            (
                if applied {
                    "Tổ đã được ghi thêm quyết định"
                } else {
                    "Tổ được ghi thêm quyết định"
                },
                self.decisions_added.as_slice(),
            ),
        ]
    }

    /// The member lists with their titles (as [`Self::team_lists`]).
    pub fn member_lists(&self, applied: bool) -> Vec<(&'static str, &[MemberLine])> {
        vec![
            ("Thành viên mới", self.members_joining.as_slice()),
            ("Thành viên trở lại", self.members_rejoining.as_slice()),
            (
                if applied {
                    "Thành viên đã rời tổ"
                } else {
                    "Thành viên sẽ rời tổ"
                },
                self.members_leaving.as_slice(),
            ),
        ]
    }

    pub fn is_empty(&self) -> bool {
        self.teams_added.is_empty()
            && self.teams_revived.is_empty()
            && self.teams_dissolved.is_empty()
            && self.decisions_added.is_empty()
            && self.members_joining.is_empty()
            && self.members_rejoining.is_empty()
            && self.members_leaving.is_empty()
            && self.members_changed.is_empty()
    }
}

/// A field's name and values as the forms show them.
fn readable(change: &FieldChange) -> ValueChange {
    let show = |value: &str| match change.field {
        "phone" if !value.is_empty() => Phone::from_stored(value.to_string()).grouped(),
        _ => value.to_string(),
    };
    ValueChange {
        field: match change.field {
            "full_name" => "Họ tên",
            "role" => "Chức vụ",
            "phone" => "Số điện thoại",
            "note" => "Ghi chú",
            "joined_on" => "Ngày vào tổ",
            _ => "Khác",
        },
        before: show(&change.before),
        after: show(&change.after),
    }
}

impl From<&CommuneImport> for CommuneChanges {
    fn from(commune: &CommuneImport) -> Self {
        let plan = &commune.plan;
        let mut changes = CommuneChanges {
            code: commune.code.clone(),
            name: commune.name.clone(),
            teams_before: plan.teams_before,
            members_before: plan.members_before,
            large_removal: plan.is_large_removal(),
            teams_added: Vec::new(),
            teams_revived: Vec::new(),
            teams_dissolved: plan.dissolving.iter().map(|d| d.name.clone()).collect(),
            decisions_added: commune
                .decisions_added
                .iter()
                .map(|d| {
                    let mut line =
                        format!("{}: {} ngày {}", d.team, d.number, format_date(d.signed_on));
                    if d.new_decision {
                        line.push_str(" (quyết định mới của xã/phường)");
                    }
                    if let Some((number, signed_on)) = &d.later_decision {
                        line.push_str(&format!(
                            " — tổ vẫn theo quyết định mới hơn {number} ngày {}",
                            format_date(*signed_on)
                        ));
                    }
                    line
                })
                .collect(),
            members_joining: Vec::new(),
            members_rejoining: Vec::new(),
            members_leaving: Vec::new(),
            members_changed: Vec::new(),
        };
        for dissolving in &plan.dissolving {
            changes
                .members_leaving
                .extend(dissolving.members.iter().map(|m| MemberLine {
                    team: dissolving.name.clone(),
                    name: m.name.clone(),
                    changes: Vec::new(),
                }));
        }
        for team in &plan.teams {
            match team.target {
                TeamTarget::New => changes.teams_added.push(team.name.clone()),
                TeamTarget::Revived { .. } => changes.teams_revived.push(team.name.clone()),
                TeamTarget::Existing(_) => {}
            }
            let line = |name: &str, fields: &[FieldChange]| MemberLine {
                team: team.name.clone(),
                name: name.to_string(),
                changes: fields.iter().map(readable).collect(),
            };
            changes
                .members_leaving
                .extend(team.leaving.iter().map(|m| line(&m.name, &[])));
            for member in &team.members {
                let name = member.listed.name.as_str();
                match &member.step {
                    MemberStep::Unchanged(_) => {}
                    MemberStep::Joins => changes.members_joining.push(line(name, &[])),
                    MemberStep::Rejoins {
                        changes: fields, ..
                    } => changes.members_rejoining.push(line(name, fields)),
                    MemberStep::Updated {
                        changes: fields, ..
                    } => changes.members_changed.push(line(name, fields)),
                }
            }
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commune(teams_dissolved: usize, members_leaving: usize) -> CommuneChanges {
        let line = || MemberLine {
            team: "Thôn Bắc".into(),
            name: "Lê Văn An".into(),
            changes: Vec::new(),
        };
        CommuneChanges {
            code: "16177".into(),
            name: "Xã Xuân Bình".into(),
            teams_before: 5,
            members_before: 30,
            large_removal: true,
            teams_added: Vec::new(),
            teams_revived: Vec::new(),
            teams_dissolved: vec!["Thôn Bắc".into(); teams_dissolved],
            decisions_added: Vec::new(),
            members_joining: Vec::new(),
            members_rejoining: Vec::new(),
            members_leaving: (0..members_leaving).map(|_| line()).collect(),
            members_changed: Vec::new(),
        }
    }

    #[test]
    fn a_removal_names_only_what_is_lost() {
        assert_eq!(
            commune(2, 7).removal(),
            "giải thể 2/5 tổ và cho 7/30 thành viên rời tổ"
        );
        assert_eq!(commune(0, 7).removal(), "cho 7/30 thành viên rời tổ");
        assert_eq!(commune(1, 0).removal(), "giải thể 1/5 tổ");
    }
}
