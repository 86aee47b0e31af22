//! From template rows to a validated roster: every value through the registry's own rules, every problem
//! reported with its sheet, row and column.

use crate::header::{Column, Header};
use crate::problem::{column_letter, Problem, Problems, Severity};
use crate::rows::Row;
use cnscd_domain::decision::parse_decision_text;
use cnscd_domain::person_name::PersonName;
use cnscd_domain::phone::Phone;
use cnscd_domain::role::Role;
use cnscd_domain::roster::{
    Roster, RosterCommune, RosterDecision, RosterMember, RosterProvince, RosterTeam,
};
use cnscd_domain::rules::{check_leaders, TeamRules};
use cnscd_domain::team::{clean_note, TeamDraft};
use cnscd_domain::text::fold;
use cnscd_domain::unit::{commune_match_key, commune_name_keys};
use cnscd_domain::FieldError;
use std::collections::{HashMap, HashSet};

/// A commune of the working province, as the importer matches names against it.
#[derive(Debug, Clone)]
pub struct CommuneRef {
    pub code: String,
    pub name: String,
}

/// The rows of one sheet, with its header.
pub struct SheetRows {
    pub sheet: String,
    pub header: Header,
    pub rows: Vec<Row>,
}

struct Context<'a> {
    sheet: &'a str,
    header: &'a Header,
    problems: Problems,
}

/// Where a problem was found and what it concerns.
struct At<'a> {
    row: usize,
    column: Column,
    commune: &'a str,
    team: &'a str,
    member: &'a str,
}

impl Context<'_> {
    fn report(&mut self, severity: Severity, at: At, error: FieldError, suggest: Option<String>) {
        let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
        self.problems.push(Problem {
            severity,
            sheet: Some(self.sheet.to_string()),
            row: Some(at.row),
            column: self.header.index(at.column).map(column_letter),
            field: Some(at.column.field().to_string()),
            code: error.code.to_string(),
            message: error.message,
            commune: non_empty(at.commune),
            team: non_empty(at.team),
            member: non_empty(at.member),
            suggest,
        });
    }
}

/// The province's communes by each of their name keys, to find a written name at the most exact level it matches.
struct CommuneIndex<'a> {
    levels: [HashMap<String, Vec<&'a CommuneRef>>; 3],
}

impl<'a> CommuneIndex<'a> {
    fn new(communes: &'a [CommuneRef]) -> Self {
        let mut levels: [HashMap<String, Vec<&CommuneRef>>; 3] = Default::default();
        for commune in communes {
            for (level, key) in commune_name_keys(&commune.name).into_iter().enumerate() {
                levels[level].entry(key).or_default().push(commune);
            }
        }
        Self { levels }
    }

    /// The commune a written name means; or the candidates when it could mean several (none if no match).
    fn find(&self, name: &str) -> Result<&'a CommuneRef, Vec<&'a CommuneRef>> {
        for (level, key) in commune_name_keys(name).iter().enumerate() {
            match self.levels[level].get(key).map(Vec::as_slice) {
                Some([only]) => return Ok(only),
                Some(several) if !several.is_empty() => return Err(several.to_vec()),
                _ => {}
            }
        }
        Err(Vec::new())
    }
}

/// The closest commune name of the province, to suggest when a name is not found.
fn closest_commune<'a>(name: &str, communes: &'a [CommuneRef]) -> Option<&'a CommuneRef> {
    let key = commune_match_key(name);
    communes
        .iter()
        .map(|c| {
            (
                strsim::normalized_levenshtein(&key, &commune_match_key(&c.name)),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

struct TeamBuild {
    team: RosterTeam,
    sheet: String,
    header: Header,
    row: usize,
    commune: String,
}

/// Validates every row of every sheet and gathers the roster. Problems come back sorted by place.
pub fn build_roster(
    sheets: &[SheetRows],
    province: RosterProvince,
    communes: &[CommuneRef],
    rules: TeamRules,
) -> (Roster, Problems) {
    let index = CommuneIndex::new(communes);
    let mut problems = Problems::default();
    let mut commune_order: Vec<String> = Vec::new();
    let mut communes_seen: HashSet<String> = HashSet::new();
    let mut teams: Vec<(String, String, TeamBuild)> = Vec::new(); // (commune code, team key, team)
    let mut team_positions: HashMap<(String, String), usize> = HashMap::new();
    let mut found_communes: HashMap<String, Result<&CommuneRef, Vec<&CommuneRef>>> = HashMap::new();
    // Team names repeat on every row of their block: validate each written name once.
    let mut team_names: HashMap<String, Result<String, Vec<FieldError>>> = HashMap::new();
    let mut seen_phones: HashMap<String, (String, usize, String)> = HashMap::new();
    let mut decisions_checked: HashMap<(String, usize), Option<RosterDecision>> = HashMap::new();

    for sheet in sheets {
        let mut cx = Context {
            sheet: &sheet.sheet,
            header: &sheet.header,
            problems: Problems::default(),
        };
        let mut unknown_reported: Vec<usize> = Vec::new();
        for row in &sheet.rows {
            let at = |column| At {
                row: row.number,
                column,
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
                cx.report(Severity::Error, at(Column::Commune), error, None);
                continue;
            }
            let found = found_communes
                .entry(row.commune.clone())
                .or_insert_with(|| index.find(&row.commune))
                .clone();
            let commune = match found {
                Ok(commune) => commune,
                Err(candidates) => {
                    if !unknown_reported.contains(&row.commune_row) {
                        unknown_reported.push(row.commune_row);
                        let suggestion = match candidates.as_slice() {
                            [] => closest_commune(&row.commune, communes),
                            [first, ..] => Some(*first),
                        };
                        let message = match (candidates.as_slice(), suggestion) {
                            ([_, _, ..], _) => format!(
                                "Tên «{}» khớp với nhiều xã/phường ({}): hãy ghi đầy đủ, có dấu và có «Xã»/«Phường».",
                                row.commune,
                                candidates.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
                            ),
                            (_, Some(s)) => format!("Không có xã/phường «{}» trong tỉnh {}. Có phải «{}»?", row.commune, province.name, s.name),
                            (_, None) => format!(
                                "Không có xã/phường «{}» trong tỉnh {}: hãy ghi đúng tên theo danh mục sau sắp xếp 2025.",
                                row.commune, province.name
                            ),
                        };
                        let error = FieldError::new("commune", "commune_unknown", message);
                        let at = At {
                            row: row.commune_row,
                            ..at(Column::Commune)
                        };
                        cx.report(
                            Severity::Error,
                            at,
                            error,
                            suggestion.map(|s| s.name.clone()),
                        );
                    }
                    continue;
                }
            };
            let checked = team_names.entry(row.team.clone()).or_insert_with(|| {
                let draft = TeamDraft {
                    name: row.team.clone(),
                    note: String::new(),
                };
                draft
                    .validate()
                    .map(|team| team.name)
                    .map_err(|errors| errors.0)
            });
            let team_name = match checked.clone() {
                Ok(name) => name,
                Err(errors) => {
                    for error in errors {
                        cx.report(
                            Severity::Error,
                            At {
                                row: row.team_row.max(row.number),
                                ..at(Column::Team)
                            },
                            error,
                            None,
                        );
                    }
                    continue;
                }
            };
            if communes_seen.insert(commune.code.clone()) {
                commune_order.push(commune.code.clone());
            }
            let team_key = (commune.code.clone(), fold(&team_name));
            let position = match team_positions.get(&team_key) {
                Some(&position) => position,
                None => {
                    let team = RosterTeam {
                        name: team_name.clone(),
                        decision: None,
                        members: Vec::new(),
                    };
                    let build = TeamBuild {
                        team,
                        sheet: sheet.sheet.clone(),
                        header: sheet.header.clone(),
                        row: row.team_row,
                        commune: commune.name.clone(),
                    };
                    teams.push((commune.code.clone(), team_key.1.clone(), build));
                    team_positions.insert(team_key, teams.len() - 1);
                    teams.len() - 1
                }
            };
            // The decision of a block is read once, at the row where the team starts.
            if !row.decision.is_empty() && teams[position].2.team.decision.is_none() {
                let key = (sheet.sheet.clone(), row.team_row);
                let decision = decisions_checked.entry(key).or_insert_with(|| {
                    match parse_decision_text(&row.decision, &row.decision_date) {
                        Ok((number, date)) => Some(RosterDecision {
                            number: number.as_str().to_string(),
                            date,
                        }),
                        Err(error) => {
                            cx.report(
                                Severity::Error,
                                At {
                                    row: row.team_row,
                                    ..at(Column::Decision)
                                },
                                error,
                                None,
                            );
                            None
                        }
                    }
                });
                teams[position].2.team.decision = decision.clone();
            }
            if row.name.is_empty() && row.role.is_empty() && row.phone.is_empty() {
                continue;
            }
            if let Some(member) = validate_member(&mut cx, row, &at) {
                if let Some(phone) = &member.phone {
                    match seen_phones.get(phone) {
                        Some((name, first_row, sheet_name)) => {
                            let message = format!(
                                "Số điện thoại {} trùng với {name} (trang «{sheet_name}», dòng {first_row}).",
                                Phone::from_stored(phone.clone()).grouped()
                            );
                            cx.report(
                                Severity::Warning,
                                at(Column::Phone),
                                FieldError::new("phone", "phone_duplicate", message),
                                None,
                            );
                        }
                        None => {
                            seen_phones.insert(
                                phone.clone(),
                                (member.name.clone(), row.number, sheet.sheet.clone()),
                            );
                        }
                    }
                }
                teams[position].2.team.members.push(member);
            }
        }
        problems.extend(cx.problems);
    }

    for (_, _, build) in &teams {
        let mut cx = Context {
            sheet: &build.sheet,
            header: &build.header,
            problems: Problems::default(),
        };
        let at = |column| At {
            row: build.row,
            column,
            commune: &build.commune,
            team: &build.team.name,
            member: "",
        };
        let leaders = build
            .team
            .members
            .iter()
            .filter(|m| m.role == Role::Leader)
            .count() as i64;
        if let Err(error) = check_leaders(leaders) {
            let message = match error.code {
                "leader_missing" => format!(
                    "Tổ «{}» chưa có tổ trưởng: mỗi tổ có đúng một tổ trưởng.",
                    build.team.name
                ),
                _ => format!(
                    "Tổ «{}» có {leaders} tổ trưởng: mỗi tổ chỉ có một tổ trưởng.",
                    build.team.name
                ),
            };
            cx.report(
                Severity::Error,
                at(Column::Role),
                FieldError::new("role", error.code, message),
                None,
            );
        }
        if let Err(error) = rules.check_size(build.team.members.len() as i64) {
            let message = format!(
                "Tổ «{}» có {} thành viên, quá mức tối đa {} của tỉnh.",
                build.team.name,
                build.team.members.len(),
                rules.max_members
            );
            cx.report(
                Severity::Error,
                at(Column::Name),
                FieldError::new("team", error.code, message),
                None,
            );
        }
        problems.extend(cx.problems);
    }

    let roster = Roster {
        province,
        communes: commune_order
            .iter()
            .map(|code| RosterCommune {
                code: code.clone(),
                name: communes
                    .iter()
                    .find(|c| &c.code == code)
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
                teams: teams
                    .iter()
                    .filter(|(c, _, _)| c == code)
                    .map(|(_, _, b)| b.team.clone())
                    .collect(),
            })
            .collect(),
    };
    problems.sort();
    (roster, problems)
}

fn validate_member<'a>(
    cx: &mut Context,
    row: &'a Row,
    at: &dyn Fn(Column) -> At<'a>,
) -> Option<RosterMember> {
    let mut ok = true;
    let name = match PersonName::parse("name", &row.name) {
        Ok(name) => Some(name.as_str().to_string()),
        Err(error) => {
            cx.report(Severity::Error, at(Column::Name), error, None);
            ok = false;
            None
        }
    };
    let role = match row.role.trim() {
        "" => Some(Role::Member),
        written => Role::parse(written)
            .map_err(|e| cx.report(Severity::Error, at(Column::Role), e, None))
            .ok(),
    };
    let phone = match row.phone.trim().trim_start_matches('\'') {
        "" => Some(None),
        written => match Phone::parse(written) {
            Ok(phone) => Some(Some(phone.as_str().to_string())),
            Err(error) => {
                cx.report(Severity::Error, at(Column::Phone), error.into(), None);
                None
            }
        },
    };
    let note = clean_note(&row.note)
        .map_err(|e| cx.report(Severity::Error, at(Column::Note), e, None))
        .ok();
    match (ok, name, role, phone, note) {
        (true, Some(name), Some(role), Some(phone), Some(note)) => Some(RosterMember {
            name,
            role,
            phone,
            note,
        }),
        _ => None,
    }
}
