//! The first pass: every row through the registry's rules (commune, team name, decision, member), gathering
//! each commune's teams with their members. What needs a whole team is the second pass's.

use super::communes::{closest_commune, CommuneIndex};
use super::context::{At, Context};
use super::{CommuneRef, SheetRows};
use crate::header::{Column, Header};
use crate::problem::{Problems, Severity};
use crate::rows::Row;
use cnscd_domain::date::parse_date;
use cnscd_domain::decision::parse_decision_text;
use cnscd_domain::person_name::PersonName;
use cnscd_domain::phone::Phone;
use cnscd_domain::role::Role;
use cnscd_domain::roster::{
    Roster, RosterCommune, RosterDecision, RosterMember, RosterProvince, RosterTeam,
};
use cnscd_domain::team::{clean_note, TeamDraft};
use cnscd_domain::text::fold;
use cnscd_domain::FieldError;
use std::collections::{HashMap, HashSet};

/// A team as gathered, with where it starts (for the second pass's problems).
pub struct TeamBuild {
    pub commune_code: String,
    pub commune_name: String,
    pub team: RosterTeam,
    pub sheet: String,
    pub header: Header,
    pub row: usize,
    /// The rows that name a leader, rows refused for another cell included (their team is not leaderless).
    pub leader_rows: Vec<usize>,
    /// The row of each of `team.members`.
    pub member_rows: Vec<usize>,
}

/// The teams of the file, communes in the order they first appear.
#[derive(Default)]
pub struct Gathered {
    pub commune_order: Vec<String>,
    pub teams: Vec<TeamBuild>,
}

impl Gathered {
    pub fn into_roster(self, province: RosterProvince, communes: &[CommuneRef]) -> Roster {
        let mut by_commune: HashMap<String, Vec<RosterTeam>> = HashMap::new();
        for build in self.teams {
            by_commune
                .entry(build.commune_code)
                .or_default()
                .push(build.team);
        }
        Roster {
            province,
            communes: self
                .commune_order
                .into_iter()
                .map(|code| RosterCommune {
                    name: communes
                        .iter()
                        .find(|c| c.code == code)
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                    teams: by_commune.remove(&code).unwrap_or_default(),
                    code,
                })
                .collect(),
        }
    }
}

/// Values checked once however many rows repeat them: commune names, team names, decisions, phones seen.
struct Seen<'c> {
    communes: HashMap<String, Result<&'c CommuneRef, Vec<&'c CommuneRef>>>,
    team_names: HashMap<String, Result<String, Vec<FieldError>>>,
    decisions: HashMap<(String, usize), Option<RosterDecision>>,
    phones: HashMap<Phone, (String, usize, String)>,
    team_positions: HashMap<(String, String), usize>,
    communes_in_order: HashSet<String>,
}

/// Reads every row of every sheet.
pub fn gather(
    sheets: &[SheetRows],
    province: &RosterProvince,
    communes: &[CommuneRef],
) -> (Gathered, Problems) {
    let index = CommuneIndex::new(communes);
    let mut gathered = Gathered::default();
    let mut problems = Problems::default();
    let mut seen = Seen {
        communes: HashMap::new(),
        team_names: HashMap::new(),
        decisions: HashMap::new(),
        phones: HashMap::new(),
        team_positions: HashMap::new(),
        communes_in_order: HashSet::new(),
    };
    for sheet in sheets {
        let mut cx = Context::new(&sheet.sheet, &sheet.header);
        let mut unknown_reported: HashSet<usize> = HashSet::new();
        for row in &sheet.rows {
            let at = |column| At {
                row: row.number,
                column,
                commune: &row.commune,
                team: &row.team,
                member: &row.name,
            };
            let Some(commune) = commune_of(
                &mut cx,
                row,
                &index,
                communes,
                province,
                &mut seen,
                &mut unknown_reported,
            ) else {
                continue;
            };
            let Some(team_name) = team_name_of(&mut cx, row, &mut seen) else {
                continue;
            };
            if seen.communes_in_order.insert(commune.code.clone()) {
                gathered.commune_order.push(commune.code.clone());
            }
            let key = (commune.code.clone(), fold(&team_name));
            let position = *seen.team_positions.entry(key).or_insert_with(|| {
                gathered.teams.push(TeamBuild {
                    commune_code: commune.code.clone(),
                    commune_name: commune.name.clone(),
                    team: RosterTeam {
                        name: team_name.clone(),
                        decision: None,
                        members: Vec::new(),
                    },
                    sheet: sheet.sheet.clone(),
                    header: sheet.header.clone(),
                    row: row.team_row,
                    leader_rows: Vec::new(),
                    member_rows: Vec::new(),
                });
                gathered.teams.len() - 1
            });
            let TeamBuild {
                team,
                leader_rows,
                member_rows,
                ..
            } = &mut gathered.teams[position];
            // The decision of a block is read once, at the row where the team starts.
            if !row.decision.is_empty() && team.decision.is_none() {
                let key = (sheet.sheet.clone(), row.team_row);
                let decision =
                    seen.decisions.entry(key).or_insert_with(|| {
                        match parse_decision_text(&row.decision, &row.decision_date) {
                            Ok((number, date)) => Some(RosterDecision { number, date }),
                            Err(error) => {
                                let at = At {
                                    row: row.team_row,
                                    ..at(Column::Decision)
                                };
                                cx.report(Severity::Error, at, error, None);
                                None
                            }
                        }
                    });
                team.decision = decision.clone();
            }
            if row.name.is_empty() && row.role.is_empty() && row.phone.is_empty() {
                continue;
            }
            let Some(member) = validate_member(&mut cx, row, &at) else {
                if Role::parse(row.role.trim()).is_ok_and(|role| role == Role::Leader) {
                    leader_rows.push(row.number);
                }
                continue;
            };
            if member.role == Role::Leader {
                leader_rows.push(row.number);
            }
            if let Some(phone) = &member.phone {
                match seen.phones.get(phone) {
                    Some((name, first_row, sheet_name)) => {
                        let message = format!(
                            "Số điện thoại {} trùng với {name} (trang «{sheet_name}», dòng {first_row}).",
                            phone.grouped()
                        );
                        let error = FieldError::new("phone", "phone_duplicate", message);
                        cx.report(Severity::Warning, at(Column::Phone), error, None);
                    }
                    None => {
                        let first = (
                            member.name.as_str().to_string(),
                            row.number,
                            sheet.sheet.clone(),
                        );
                        seen.phones.insert(phone.clone(), first);
                    }
                }
            }
            team.members.push(member);
            member_rows.push(row.number);
        }
        problems.extend(cx.problems);
    }
    (gathered, problems)
}

/// The commune a row belongs to, or why it has none (reported once per block).
fn commune_of<'c>(
    cx: &mut Context,
    row: &Row,
    index: &CommuneIndex<'c>,
    communes: &'c [CommuneRef],
    province: &RosterProvince,
    seen: &mut Seen<'c>,
    unknown_reported: &mut HashSet<usize>,
) -> Option<&'c CommuneRef> {
    let at = At {
        row: row.number,
        column: Column::Commune,
        commune: &row.commune,
        team: &row.team,
        member: &row.name,
    };
    if row.commune.is_empty() {
        let error = FieldError::new(
            "commune",
            "commune_missing",
            "Dòng này chưa có tên xã/phường: hãy ghi tên xã/phường ở dòng đầu của khối.",
        );
        cx.report(Severity::Error, at, error, None);
        return None;
    }
    let found = seen
        .communes
        .entry(row.commune.clone())
        .or_insert_with(|| index.find(&row.commune))
        .clone();
    let candidates = match found {
        Ok(commune) => return Some(commune),
        Err(candidates) => candidates,
    };
    if unknown_reported.insert(row.commune_row) {
        let suggestion = match candidates.as_slice() {
            [] => closest_commune(&row.commune, communes),
            [first, ..] => Some(*first),
        };
        let message = match (candidates.as_slice(), suggestion) {
            ([_, _, ..], _) => format!(
                "Tên «{}» khớp với nhiều xã/phường ({}): hãy ghi đầy đủ, có dấu và có «Xã»/«Phường».",
                row.commune,
                candidates
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (_, Some(s)) => format!(
                "Không có xã/phường «{}» trong tỉnh {}. Có phải «{}»?",
                row.commune, province.name, s.name
            ),
            (_, None) => format!(
                "Không có xã/phường «{}» trong tỉnh {}: hãy ghi đúng tên theo danh mục sau sắp xếp 2025.",
                row.commune, province.name
            ),
        };
        let error = FieldError::new("commune", "commune_unknown", message);
        let at = At {
            row: row.commune_row,
            ..at
        };
        cx.report(
            Severity::Error,
            at,
            error,
            suggestion.map(|s| s.name.clone()),
        );
    }
    None
}

/// The row's team name through the team rule (checked once per written name), or its problems reported.
fn team_name_of(cx: &mut Context, row: &Row, seen: &mut Seen) -> Option<String> {
    let checked = seen.team_names.entry(row.team.clone()).or_insert_with(|| {
        let draft = TeamDraft {
            name: row.team.clone(),
            note: String::new(),
        };
        draft
            .validate()
            .map(|team| team.name)
            .map_err(|errors| errors.0)
    });
    match checked.clone() {
        Ok(name) => Some(name),
        Err(errors) => {
            for error in errors {
                let at = At {
                    row: row.team_row.max(row.number),
                    column: Column::Team,
                    commune: &row.commune,
                    team: &row.team,
                    member: &row.name,
                };
                cx.report(Severity::Error, at, error, None);
            }
            None
        }
    }
}

fn validate_member<'a>(
    cx: &mut Context,
    row: &'a Row,
    at: &dyn Fn(Column) -> At<'a>,
) -> Option<RosterMember> {
    let name = PersonName::parse("name", &row.name)
        .map_err(|e| cx.report(Severity::Error, at(Column::Name), e, None))
        .ok();
    let role = match row.role.trim() {
        "" => Some(Role::Member),
        written => Role::parse(written)
            .map_err(|e| cx.report(Severity::Error, at(Column::Role), e, None))
            .ok(),
    };
    let phone = match row.phone.trim().trim_start_matches('\'') {
        "" => Some(None),
        written => Phone::parse(written)
            .map(Some)
            .map_err(|e| cx.report(Severity::Error, at(Column::Phone), e.into(), None))
            .ok(),
    };
    let note = clean_note(&cnscd_domain::public::without_consent_note(&row.note))
        .map_err(|e| cx.report(Severity::Error, at(Column::Note), e, None))
        .ok();
    let joined_on = match row.joined_on.trim() {
        "" => Some(None),
        written => parse_date("joined_on", written)
            .map(Some)
            .map_err(|e| cx.report(Severity::Error, at(Column::JoinedOn), e, None))
            .ok(),
    };
    Some(RosterMember {
        name: name?,
        role: role?,
        phone: phone?,
        note: note?,
        joined_on: joined_on?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Grid;
    use crate::header::find_header;
    use crate::rows::data_rows;

    fn sheet(rows: &[&[&str]]) -> SheetRows {
        let grid = Grid {
            sheet: "Trang1".into(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
            merges: Vec::new(),
            ..Grid::default()
        };
        let header = find_header(&grid).expect("header");
        SheetRows {
            sheet: "Trang1".into(),
            rows: data_rows(grid, &header),
            header,
        }
    }

    fn province() -> RosterProvince {
        RosterProvince {
            code: "38".into(),
            name: "Thanh Hóa".into(),
        }
    }

    fn communes() -> Vec<CommuneRef> {
        vec![CommuneRef {
            code: "16177".into(),
            name: "Xã Xuân Bình".into(),
        }]
    }

    const HEADER: &[&str] = &crate::write::HEADERS;

    #[test]
    fn a_leader_refused_for_her_phone_still_counts_as_her_teams_leader() {
        let communes = communes();
        let (gathered, problems) = gather(
            &[sheet(&[
                HEADER,
                &[
                    "1",
                    "xuân bình",
                    "Thôn 1",
                    "",
                    "Lê Văn An",
                    "tổ trưởng",
                    "12345",
                    "",
                ],
                &["", "", "", "", "Lê Thị Bình", "", "0914994124", ""],
            ])],
            &province(),
            &communes,
        );
        assert_eq!(problems.errors.len(), 1, "{problems:?}");
        assert_eq!(problems.errors[0].column.as_deref(), Some("G"));
        assert_eq!(gathered.teams[0].team.members.len(), 1);
        assert_eq!(gathered.teams[0].leader_rows, [2]);
        let second = super::super::teams::check(&gathered.teams, Default::default());
        assert!(
            second.warnings.is_empty(),
            "no «no leader» warning: {second:?}"
        );
    }

    #[test]
    fn rows_become_teams_with_their_members_and_decision() {
        let communes = communes();
        let (gathered, problems) = gather(
            &[sheet(&[
                HEADER,
                &[
                    "1",
                    "xuân bình",
                    "Thôn 1",
                    "01/QĐ-UBND ngày 10/7/2025",
                    "LÊ VĂN AN",
                    "tổ trưởng",
                    "914994123",
                    "",
                ],
                &["", "", "", "", "Lê Thị Bình", "", "0914.994.124", ""],
            ])],
            &province(),
            &communes,
        );
        assert!(!problems.has_errors(), "{problems:?}");
        let team = &gathered.teams[0].team;
        assert_eq!(team.members[0].name.as_str(), "Lê Văn An");
        assert_eq!(
            team.members[0].phone.as_ref().unwrap().as_str(),
            "0914994123"
        );
        assert_eq!(
            team.decision.as_ref().unwrap().number.as_str(),
            "01/QĐ-UBND"
        );
        assert_eq!(gathered.commune_order, ["16177"]);
    }

    #[test]
    fn each_bad_value_is_reported_where_it_is_and_the_row_is_left_out() {
        let communes = communes();
        let (gathered, problems) = gather(
            &[sheet(&[
                HEADER,
                &[
                    "1",
                    "Xã Xuân Bìn",
                    "Thôn 1",
                    "",
                    "Lê Văn An",
                    "tổ trưởng",
                    "0914994123",
                    "",
                ],
                &[
                    "2",
                    "Xã Xuân Bình",
                    "Thôn 1",
                    "",
                    "Lê Văn 3",
                    "trưởng ban",
                    "12345",
                    "",
                ],
                &[
                    "3",
                    "Xã Xuân Bình",
                    "Thôn 1",
                    "",
                    "Lê Văn Cường",
                    "",
                    "0914994123",
                    "",
                ],
            ])],
            &province(),
            &communes,
        );
        let codes: Vec<&str> = problems.errors.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "commune_unknown",
                "name_invalid",
                "role_invalid",
                "phone_invalid"
            ]
        );
        assert_eq!(problems.errors[0].suggest.as_deref(), Some("Xã Xuân Bình"));
        assert_eq!(problems.errors[3].column.as_deref(), Some("G"));
        assert_eq!(
            gathered.teams[0].team.members.len(),
            1,
            "only the valid row"
        );
        assert_eq!(
            problems.warning_count, 0,
            "a phone seen only on a refused row is not a duplicate"
        );
    }
}
