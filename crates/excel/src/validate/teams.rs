//! The second pass: each whole team against the rules that need all its members. Two leaders, or more
//! members than the province allows, block the import; a team without a leader is accepted with a warning,
//! as the registry holds such a team while it is being reorganised (the overview shows it to fix).

use super::context::{At, Context};
use super::rows::TeamBuild;
use crate::header::Column;
use crate::problem::{Problems, Severity};
use cnscd_domain::rules::{check_leaders, TeamRules};
use cnscd_domain::text::fold;
use cnscd_domain::FieldError;
use std::collections::hash_map::{Entry, HashMap};

pub fn check(teams: &[TeamBuild], rules: TeamRules) -> Problems {
    let mut problems = Problems::default();
    for build in teams {
        let mut cx = Context::new(&build.sheet, &build.header);
        let at = |column| At {
            row: build.row,
            column,
            commune: &build.commune_name,
            team: &build.team.name,
            member: "",
        };
        let name = &build.team.name;
        let leaders = build.leader_rows.len() as i64;
        if let Err(error) = check_leaders(leaders) {
            let (severity, message) = match error.code {
                "leader_missing" => (
                    Severity::Warning,
                    format!(
                        "Tổ «{name}» chưa có tổ trưởng: vẫn nhập được, nhưng hãy chọn tổ trưởng cho tổ (trang tổng \
                         quan sẽ nhắc)."
                    ),
                ),
                _ => (
                    Severity::Error,
                    format!(
                        "Tổ «{name}» có {leaders} tổ trưởng (dòng {}): mỗi tổ chỉ có một tổ trưởng.",
                        join_rows(&build.leader_rows)
                    ),
                ),
            };
            let error = FieldError::new("role", error.code, message);
            // At the second leader: the first is taken to be the team's.
            let row = build.leader_rows.get(1).copied().unwrap_or(build.row);
            cx.report(
                severity,
                At {
                    row,
                    ..at(Column::Role)
                },
                error,
                None,
            );
        }
        // Two lines of one name: one person written twice, or two namesakes the import can tell apart only by
        // their phones.
        let mut first_rows: HashMap<String, usize> = HashMap::new();
        for (member, &row) in build.team.members.iter().zip(&build.member_rows) {
            match first_rows.entry(fold(member.name.as_str())) {
                Entry::Occupied(first) => {
                    let message = format!(
                        "Tổ «{name}» có hai dòng cùng tên «{}» (dòng {} và {row}): nếu là một người, hãy bỏ một \
                         dòng; nếu là hai người, hãy ghi số điện thoại của mỗi người để phân biệt.",
                        member.name.as_str(),
                        first.get()
                    );
                    let error = FieldError::new("full_name", "name_repeated", message);
                    cx.report(
                        Severity::Warning,
                        At {
                            row,
                            ..at(Column::Name)
                        },
                        error,
                        None,
                    );
                }
                Entry::Vacant(first) => {
                    first.insert(row);
                }
            }
        }
        let size = build.team.members.len() as i64;
        if let Err(error) = rules.check_size(size) {
            let message = format!(
                "Tổ «{name}» có {size} thành viên, quá mức tối đa {} của tỉnh.",
                rules.max_members
            );
            let error = FieldError::new("team", error.code, message);
            cx.report(Severity::Error, at(Column::Name), error, None);
        }
        problems.extend(cx.problems);
    }
    problems
}

/// Row numbers as people list them: `5, 9 và 12`.
fn join_rows(rows: &[usize]) -> String {
    match rows {
        [] => String::new(),
        [only] => only.to_string(),
        [first @ .., last] => format!(
            "{} và {last}",
            first
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::Header;
    use cnscd_domain::person_name::PersonName;
    use cnscd_domain::role::Role;
    use cnscd_domain::roster::{RosterMember, RosterTeam};

    fn team(roles: &[Role]) -> TeamBuild {
        TeamBuild {
            commune_code: "16177".into(),
            commune_name: "Xã Xuân Bình".into(),
            team: RosterTeam {
                name: "Thôn 1".into(),
                decision: None,
                members: roles
                    .iter()
                    .zip(
                        [
                            "Lê Văn An",
                            "Lê Thị Bình",
                            "Trần Văn Cường",
                            "Phạm Thị Dung",
                        ]
                        .iter()
                        .cycle(),
                    )
                    .map(|(role, name)| RosterMember {
                        name: PersonName::parse("name", name).unwrap(),
                        role: *role,
                        phone: None,
                        note: String::new(),
                        joined_on: None,
                    })
                    .collect(),
            },
            sheet: "Trang1".into(),
            header: Header {
                row: 0,
                columns: vec![(Column::Role, 5), (Column::Name, 4)],
            },
            row: 7,
            leader_rows: roles
                .iter()
                .enumerate()
                .filter(|(_, role)| **role == Role::Leader)
                .map(|(i, _)| 7 + i)
                .collect(),
            member_rows: (7..7 + roles.len()).collect(),
        }
    }

    #[test]
    fn two_leaders_block_and_none_only_warns() {
        let rules = TeamRules::default();
        let problems = check(
            &[
                team(&[Role::Member, Role::Member]),
                team(&[Role::Leader, Role::Leader]),
            ],
            rules,
        );
        assert_eq!(problems.warnings[0].code, "leader_missing");
        assert_eq!(problems.errors[0].code, "leader_multiple");
        assert_eq!(problems.errors[0].row, Some(8), "at the second leader");
        assert!(
            problems.errors[0].message.contains("(dòng 7 và 8)"),
            "{}",
            problems.errors[0].message
        );
        assert_eq!(problems.errors[0].column.as_deref(), Some("F"));
    }

    #[test]
    fn one_name_twice_in_a_team_is_a_warning_at_the_second_line() {
        let mut build = team(&[Role::Leader, Role::Member, Role::Member]);
        build.team.members[2].name = PersonName::parse("name", "LÊ VĂN AN").unwrap();
        let problems = check(&[build], TeamRules::default());
        assert!(!problems.has_errors());
        assert_eq!(problems.warnings.len(), 1, "{problems:?}");
        assert_eq!(problems.warnings[0].code, "name_repeated");
        assert_eq!(problems.warnings[0].row, Some(9));
        assert!(problems.warnings[0].message.contains("(dòng 7 và 9)"));
        let distinct = team(&[Role::Leader, Role::Member, Role::Member]);
        assert!(check(&[distinct], TeamRules::default()).warnings.is_empty());
    }

    #[test]
    fn a_team_above_the_provinces_maximum_is_refused() {
        let rules = TeamRules::new(1, 3).unwrap();
        let mut roles = vec![Role::Leader];
        roles.extend([Role::Member; 3]);
        let problems = check(&[team(&roles)], rules);
        assert_eq!(problems.errors[0].code, "team_full");
        assert!(problems.errors[0].message.contains("tối đa 3"));
        assert!(!check(&[team(&roles[..3])], rules).has_errors());
    }
}
