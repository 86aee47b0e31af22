//! What importing a commune's list changes in its registry, decided before anything is written: which listed
//! team is which registered one (however it is written), who stays, changes, comes back, joins or leaves,
//! and which teams are dissolved. The store writes the plan; the preview shows it by name; a plan that
//! removes more than a fifth of a commune is flagged for an explicit confirmation.

use crate::person_name::PersonName;
use crate::phone::Phone;
use crate::role::Role;
use crate::roster::{RosterCommune, RosterDecision, RosterMember};
use crate::team::team_match_key;
use crate::text::fold;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// How a file's commune list relates to the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportMode {
    /// The template's meaning: the commune re-sends its whole list; what is not listed leaves (kept in history).
    #[default]
    Replace,
    /// Only add and update: nothing registered is removed.
    AddAndUpdate,
}

impl ImportMode {
    pub fn code(self) -> &'static str {
        match self {
            ImportMode::Replace => "replace",
            ImportMode::AddAndUpdate => "add_update",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [ImportMode::Replace, ImportMode::AddAndUpdate]
            .into_iter()
            .find(|m| m.code() == code)
    }
}

/// A member as registered (active, or former with the day she left).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentMember {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub phone: Option<String>,
    pub note: String,
    pub joined_on: Option<NaiveDate>,
    pub left_on: Option<NaiveDate>,
}

/// A team as registered, active or dissolved, with its members past and present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentTeam {
    pub id: i64,
    pub name: String,
    pub dissolved_on: Option<NaiveDate>,
    pub members: Vec<CurrentMember>,
}

impl CurrentTeam {
    fn is_active(&self) -> bool {
        self.dissolved_on.is_none()
    }

    fn active_members(&self) -> impl Iterator<Item = &CurrentMember> {
        self.members.iter().filter(|m| m.left_on.is_none())
    }
}

/// One value a change alters, as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

/// Which registered team a listed one is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamTarget {
    /// An active team.
    Existing(i64),
    /// A dissolved team that comes back, with its history.
    Revived {
        id: i64,
        dissolved_on: NaiveDate,
    },
    New,
}

/// What happens to a listed member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberStep {
    Unchanged(i64),
    Updated {
        id: i64,
        changes: Vec<FieldChange>,
    },
    /// A former member back: left today (a wrong file repaired) or with her team's dissolution.
    Rejoins {
        id: i64,
        changes: Vec<FieldChange>,
    },
    Joins,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberPlan {
    pub listed: RosterMember,
    pub step: MemberStep,
}

/// A registered member who leaves (or a team that is dissolved): id and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaving {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamPlan {
    /// The team's name: the registered one when it exists (a different writing of it does not rename it).
    pub name: String,
    pub target: TeamTarget,
    pub decision: Option<RosterDecision>,
    pub members: Vec<MemberPlan>,
    pub leaving: Vec<Leaving>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dissolving {
    pub id: i64,
    pub name: String,
    pub members: Vec<Leaving>,
}

/// A listed team once an import is applied (see [`CommunePlan::teams_after`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamAfter<'a> {
    pub name: &'a str,
    pub members: usize,
    pub leaders: usize,
}

/// Everything an import changes in one commune.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunePlan {
    pub teams: Vec<TeamPlan>,
    pub dissolving: Vec<Dissolving>,
    /// Active teams and members before the import.
    pub teams_before: usize,
    pub members_before: usize,
}

/// Which communes the person confirmed may lose more than a fifth of their registry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum RemovalConsent {
    /// None: such a commune stops the import (nothing is written).
    #[default]
    Refused,
    /// Every commune of the file (`--allow-removals`).
    All,
    /// These communes only, each ticked on the preview by code.
    Communes(Vec<String>),
}

impl RemovalConsent {
    pub fn covers(&self, commune_code: &str) -> bool {
        match self {
            RemovalConsent::Refused => false,
            RemovalConsent::All => true,
            RemovalConsent::Communes(codes) => codes.iter().any(|c| c == commune_code),
        }
    }
}

/// Whether removing `removed` of `before` is more than a fifth: shown as a danger, applied only when confirmed.
pub fn removal_is_large(before: usize, removed: usize) -> bool {
    removed > 0 && removed * 5 > before
}

impl CommunePlan {
    pub fn teams_added(&self) -> usize {
        self.teams
            .iter()
            .filter(|t| t.target == TeamTarget::New)
            .count()
    }

    pub fn teams_revived(&self) -> usize {
        self.teams
            .iter()
            .filter(|t| matches!(t.target, TeamTarget::Revived { .. }))
            .count()
    }

    pub fn teams_removed(&self) -> usize {
        self.dissolving.len()
    }

    fn steps(&self) -> impl Iterator<Item = &MemberStep> {
        self.teams
            .iter()
            .flat_map(|t| t.members.iter().map(|m| &m.step))
    }

    /// Members who join, or come back.
    pub fn members_added(&self) -> usize {
        self.steps()
            .filter(|s| matches!(s, MemberStep::Joins | MemberStep::Rejoins { .. }))
            .count()
    }

    /// Of those added, former members who come back.
    pub fn members_rejoining(&self) -> usize {
        self.steps()
            .filter(|s| matches!(s, MemberStep::Rejoins { .. }))
            .count()
    }

    pub fn members_changed(&self) -> usize {
        self.steps()
            .filter(|s| matches!(s, MemberStep::Updated { .. }))
            .count()
    }

    pub fn members_removed(&self) -> usize {
        self.teams.iter().map(|t| t.leaving.len()).sum::<usize>()
            + self
                .dissolving
                .iter()
                .map(|d| d.members.len())
                .sum::<usize>()
    }

    /// More than a fifth of the commune's teams or members would be removed.
    pub fn is_large_removal(&self) -> bool {
        removal_is_large(self.teams_before, self.teams_removed())
            || removal_is_large(self.members_before, self.members_removed())
    }

    /// Each listed team as it will be once the plan is applied: its active members (those it has, less those
    /// leaving, with those joining or coming back, each in the role the file gives) and how many lead it.
    /// Adding and updating keeps the members the file does not list, so a file within the size limit can
    /// still take a team over it, and a file naming no leader can leave the registered one in place.
    pub fn teams_after(&self, current: &[CurrentTeam]) -> Vec<TeamAfter<'_>> {
        let registered: HashMap<i64, &CurrentTeam> = current
            .iter()
            .filter(|team| team.is_active())
            .map(|team| (team.id, team))
            .collect();
        self.teams
            .iter()
            .map(|team| {
                let mut roles: HashMap<i64, Role> = match team.target {
                    TeamTarget::Existing(id) => {
                        registered.get(&id).map_or_else(HashMap::new, |t| {
                            t.active_members().map(|m| (m.id, m.role)).collect()
                        })
                    }
                    TeamTarget::Revived { .. } | TeamTarget::New => HashMap::new(),
                };
                for leaving in &team.leaving {
                    roles.remove(&leaving.id);
                }
                let mut joining = Vec::new();
                for member in &team.members {
                    match member.step {
                        MemberStep::Unchanged(id)
                        | MemberStep::Updated { id, .. }
                        | MemberStep::Rejoins { id, .. } => {
                            roles.insert(id, member.listed.role);
                        }
                        MemberStep::Joins => joining.push(member.listed.role),
                    }
                }
                let all = || roles.values().chain(&joining);
                TeamAfter {
                    name: &team.name,
                    members: all().count(),
                    leaders: all().filter(|role| **role == Role::Leader).count(),
                }
            })
            .collect()
    }

    /// The registered active members this plan keeps without the file listing them (adding and updating
    /// removes no one) who hold a phone the plan gives another record: that phone would be held twice, as when
    /// a file names a member of one team leader of another.
    pub fn kept_holders_of_listed_phones<'a>(
        &self,
        current: &'a [CurrentTeam],
    ) -> Vec<(&'a CurrentTeam, &'a CurrentMember)> {
        let listed_phones: HashSet<&str> = self
            .teams
            .iter()
            .flat_map(|t| &t.members)
            .filter_map(|m| m.listed.phone.as_ref().map(|p| p.as_str()))
            .collect();
        let planned: HashSet<i64> = self
            .steps()
            .filter_map(|step| match step {
                MemberStep::Unchanged(id)
                | MemberStep::Updated { id, .. }
                | MemberStep::Rejoins { id, .. } => Some(*id),
                MemberStep::Joins => None,
            })
            .chain(self.teams.iter().flat_map(|t| &t.leaving).map(|m| m.id))
            .chain(
                self.dissolving
                    .iter()
                    .flat_map(|d| &d.members)
                    .map(|m| m.id),
            )
            .collect();
        current
            .iter()
            .filter(|team| team.is_active())
            .flat_map(|team| team.active_members().map(move |member| (team, member)))
            .filter(|(_, member)| {
                !planned.contains(&member.id)
                    && member
                        .phone
                        .as_deref()
                        .is_some_and(|phone| listed_phones.contains(phone))
            })
            .collect()
    }

    /// Whether a team or a member changes (the decisions a file gives registered teams are the store's to
    /// compare: they are records of their own).
    pub fn changes_anything(&self) -> bool {
        self.teams_added() + self.teams_revived() + self.teams_removed() > 0
            || self.members_added() + self.members_changed() + self.members_removed() > 0
    }
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn date(value: Option<NaiveDate>) -> String {
    value.map(crate::date::format_date).unwrap_or_default()
}

/// What differs between a registered member and her listed line (a join date only when the file gives one).
fn differences(current: &CurrentMember, listed: &RosterMember) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let mut compare = |field, before: String, after: String| {
        if before != after {
            changes.push(FieldChange {
                field,
                before,
                after,
            });
        }
    };
    compare(
        "full_name",
        current.name.clone(),
        listed.name.as_str().to_string(),
    );
    compare(
        "role",
        current.role.label().into(),
        listed.role.label().into(),
    );
    let phone = listed.phone.as_ref().map(|p| p.as_str().to_string());
    compare("phone", text(&current.phone), text(&phone));
    compare("note", current.note.clone(), listed.note.clone());
    if listed.joined_on.is_some() {
        compare("joined_on", date(current.joined_on), date(listed.joined_on));
    }
    changes
}

/// Pairs each listed member with a registered one of the same (folded) name, one to one: active members
/// first, then former members who may come back.
fn plan_members(
    team: Option<&CurrentTeam>,
    listed: &[RosterMember],
    mode: ImportMode,
    today: NaiveDate,
) -> (Vec<MemberPlan>, Vec<Leaving>) {
    let mut active: Vec<&CurrentMember> =
        team.map_or_else(Vec::new, |t| t.active_members().collect());
    let revived_on = team.and_then(|t| t.dissolved_on);
    let mut former: Vec<&CurrentMember> = team.map_or_else(Vec::new, |t| {
        t.members
            .iter()
            .filter(|m| {
                m.left_on
                    .is_some_and(|left| left == today || Some(left) == revived_on)
            })
            .collect()
    });
    // Each listed line takes a registered namesake: active members before former ones, and among namesakes
    // first the one with the line's phone, so that two people of one name are told apart by their phones
    // (swapping their rows swaps nothing); the lines left take the others in order.
    let keys: Vec<String> = listed.iter().map(|m| fold(m.name.as_str())).collect();
    let mut found: Vec<Option<(CurrentMember, bool)>> = vec![None; listed.len()];
    for (pool, is_active) in [(&mut active, true), (&mut former, false)] {
        for by_phone in [true, false] {
            for (i, member) in listed.iter().enumerate() {
                if found[i].is_some() {
                    continue;
                }
                let phone = member.phone.as_ref().map(|p| p.as_str());
                let fits = |m: &&CurrentMember| {
                    fold(&m.name) == keys[i]
                        && (!by_phone || (phone.is_some() && m.phone.as_deref() == phone))
                };
                if let Some(at) = pool.iter().position(fits) {
                    found[i] = Some((pool.remove(at).clone(), is_active));
                }
            }
        }
    }
    let mut plans: Vec<MemberPlan> = listed
        .iter()
        .zip(found)
        .map(|(member, found)| {
            let step = match found {
                Some((current, true)) => {
                    let changes = differences(&current, member);
                    if changes.is_empty() {
                        MemberStep::Unchanged(current.id)
                    } else {
                        MemberStep::Updated {
                            id: current.id,
                            changes,
                        }
                    }
                }
                Some((current, false)) => MemberStep::Rejoins {
                    id: current.id,
                    changes: differences(&current, member),
                },
                None => MemberStep::Joins,
            };
            MemberPlan {
                listed: member.clone(),
                step,
            }
        })
        .collect();
    // A team has one leader. When the file names one, a registered leader it does not list stays in the team
    // (adding and updating removes no one) as a member: the file's leader takes over.
    if mode == ImportMode::AddAndUpdate && listed.iter().any(|m| m.role == Role::Leader) {
        for current in active.iter().filter(|m| m.role == Role::Leader) {
            let stays = RosterMember {
                name: PersonName::from_stored(current.name.clone()),
                role: Role::Member,
                phone: current.phone.clone().map(Phone::from_stored),
                note: current.note.clone(),
                joined_on: None,
            };
            plans.push(MemberPlan {
                step: MemberStep::Updated {
                    id: current.id,
                    changes: differences(current, &stays),
                },
                listed: stays,
            });
        }
    }
    let leaving = match mode {
        ImportMode::Replace => active
            .into_iter()
            .map(|m| Leaving {
                id: m.id,
                name: m.name.clone(),
            })
            .collect(),
        ImportMode::AddAndUpdate => Vec::new(),
    };
    (plans, leaving)
}

/// Plans the import of one commune's listed teams over its registered ones.
pub fn plan_commune(
    current: &[CurrentTeam],
    listed: &RosterCommune,
    mode: ImportMode,
    today: NaiveDate,
) -> CommunePlan {
    let mut active: HashMap<String, &CurrentTeam> = HashMap::new();
    let mut dissolved: HashMap<String, &CurrentTeam> = HashMap::new();
    for team in current {
        let pool = if team.is_active() {
            &mut active
        } else {
            &mut dissolved
        };
        let key = team_match_key(&team.name);
        // Of several dissolved teams with one name, the most recently dissolved comes back.
        let newer = pool
            .get(&key)
            .is_none_or(|other| other.dissolved_on < team.dissolved_on);
        if newer {
            pool.insert(key, team);
        }
    }
    let teams = listed
        .teams
        .iter()
        .map(|team| {
            let key = team_match_key(&team.name);
            let (target, registered) = if let Some(existing) = active.remove(&key) {
                (TeamTarget::Existing(existing.id), Some(existing))
            } else if let Some(old) = dissolved.remove(&key) {
                let dissolved_on = old.dissolved_on.expect("a dissolved team has its date");
                let target = TeamTarget::Revived {
                    id: old.id,
                    dissolved_on,
                };
                (target, Some(old))
            } else {
                (TeamTarget::New, None)
            };
            let (members, leaving) = plan_members(registered, &team.members, mode, today);
            TeamPlan {
                name: registered.map_or_else(|| team.name.clone(), |t| t.name.clone()),
                target,
                decision: team.decision.clone(),
                members,
                leaving,
            }
        })
        .collect();
    let mut dissolving: Vec<Dissolving> = match mode {
        ImportMode::Replace => active
            .into_values()
            .map(|team| Dissolving {
                id: team.id,
                name: team.name.clone(),
                members: team
                    .active_members()
                    .map(|m| Leaving {
                        id: m.id,
                        name: m.name.clone(),
                    })
                    .collect(),
            })
            .collect(),
        ImportMode::AddAndUpdate => Vec::new(),
    };
    dissolving.sort_by_key(|d| d.id);
    CommunePlan {
        teams,
        dissolving,
        teams_before: current.iter().filter(|t| t.is_active()).count(),
        members_before: current.iter().map(|t| t.active_members().count()).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::RosterTeam;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn member(id: i64, name: &str, role: Role, phone: &str) -> CurrentMember {
        CurrentMember {
            id,
            name: name.into(),
            role,
            phone: Some(phone.into()),
            note: String::new(),
            joined_on: Some(day(1)),
            left_on: None,
        }
    }

    fn listed(name: &str, role: Role, phone: &str) -> RosterMember {
        RosterMember {
            name: PersonName::parse("name", name).unwrap(),
            role,
            phone: Some(Phone::parse(phone).unwrap()),
            note: String::new(),
            joined_on: None,
        }
    }

    fn registry() -> Vec<CurrentTeam> {
        vec![
            CurrentTeam {
                id: 1,
                name: "Tổ CNSCĐ thôn Đồng Mới".into(),
                dissolved_on: None,
                members: vec![
                    member(10, "Lê Văn An", Role::Leader, "0914994123"),
                    member(11, "Lê Thị Bình", Role::Member, "0914994124"),
                ],
            },
            CurrentTeam {
                id: 2,
                name: "Thôn Bắc".into(),
                dissolved_on: None,
                members: vec![member(20, "Trần Văn Cường", Role::Leader, "0914994125")],
            },
        ]
    }

    fn commune(teams: Vec<(&str, Vec<RosterMember>)>) -> RosterCommune {
        RosterCommune {
            code: "16177".into(),
            name: "Xã Xuân Bình".into(),
            teams: teams
                .into_iter()
                .map(|(name, members)| RosterTeam {
                    name: name.into(),
                    decision: None,
                    members,
                })
                .collect(),
        }
    }

    #[test]
    fn a_team_written_another_way_is_the_same_team_and_one_phone_is_one_change() {
        let file = commune(vec![
            (
                "Thôn Đồng Mới",
                vec![
                    listed("Lê Văn An", Role::Leader, "0914994123"),
                    listed("Lê Thị Bình", Role::Member, "0987654321"),
                ],
            ),
            (
                "Thôn Bắc",
                vec![listed("Trần Văn Cường", Role::Leader, "0914994125")],
            ),
        ]);
        let plan = plan_commune(&registry(), &file, ImportMode::Replace, day(25));
        assert_eq!(plan.teams[0].target, TeamTarget::Existing(1));
        assert_eq!(plan.teams[0].name, "Tổ CNSCĐ thôn Đồng Mới", "not renamed");
        assert_eq!(plan.members_changed(), 1);
        assert_eq!(
            plan.teams[0].members[1].step,
            MemberStep::Updated {
                id: 11,
                changes: vec![FieldChange {
                    field: "phone",
                    before: "0914994124".into(),
                    after: "0987654321".into()
                }]
            }
        );
        assert_eq!(
            (
                plan.members_added(),
                plan.members_removed(),
                plan.teams_removed()
            ),
            (0, 0, 0)
        );
        assert!(!plan.is_large_removal());
    }

    #[test]
    fn namesakes_are_told_apart_by_phone_whatever_their_order() {
        let registry = vec![CurrentTeam {
            id: 1,
            name: "Thôn Bắc".into(),
            dissolved_on: None,
            members: vec![
                member(10, "Nguyễn Văn An", Role::Leader, "0914994123"),
                member(11, "Nguyễn Văn An", Role::Member, "0914994124"),
                member(12, "Nguyễn Văn An", Role::Member, "0914994125"),
            ],
        }];
        // The two members' rows swapped, and the third An with a new phone listed first.
        let file = commune(vec![(
            "Thôn Bắc",
            vec![
                listed("Nguyễn Văn An", Role::Member, "0987654321"),
                listed("Nguyễn Văn An", Role::Leader, "0914994123"),
                listed("Nguyễn Văn An", Role::Member, "0914994124"),
            ],
        )]);
        let plan = plan_commune(&registry, &file, ImportMode::Replace, day(25));
        let steps: Vec<&MemberStep> = plan.teams[0].members.iter().map(|m| &m.step).collect();
        assert_eq!(steps[1], &MemberStep::Unchanged(10));
        assert_eq!(steps[2], &MemberStep::Unchanged(11));
        assert!(
            matches!(steps[0], MemberStep::Updated { id: 12, changes } if changes.len() == 1),
            "{steps:?}"
        );
        assert_eq!(plan.members_changed(), 1);
    }

    #[test]
    fn adding_a_new_leader_keeps_the_former_one_as_a_member() {
        // Thôn Bắc elects Phạm Văn Dũng; the file lists only him. Trần Văn Cường stays, no longer leader.
        let file = commune(vec![(
            "Thôn Bắc",
            vec![listed("Phạm Văn Dũng", Role::Leader, "0914994126")],
        )]);
        let plan = plan_commune(&registry(), &file, ImportMode::AddAndUpdate, day(25));
        let team = &plan.teams[0];
        assert_eq!(team.members[0].step, MemberStep::Joins);
        assert_eq!(
            team.members[1].step,
            MemberStep::Updated {
                id: 20,
                changes: vec![FieldChange {
                    field: "role",
                    before: Role::Leader.label().into(),
                    after: Role::Member.label().into()
                }]
            }
        );
        assert_eq!(team.members[1].listed.role, Role::Member);
        assert_eq!(
            (
                plan.members_added(),
                plan.members_changed(),
                plan.members_removed()
            ),
            (1, 1, 0)
        );
        // A file that names no leader leaves the registered one as he is.
        let file = commune(vec![(
            "Thôn Bắc",
            vec![listed("Phạm Văn Dũng", Role::Member, "0914994126")],
        )]);
        let plan = plan_commune(&registry(), &file, ImportMode::AddAndUpdate, day(25));
        assert_eq!(plan.teams[0].members.len(), 1);
        assert_eq!(plan.members_changed(), 0);
    }

    #[test]
    fn a_short_list_replaces_with_a_danger_flag_or_only_adds() {
        let file = commune(vec![(
            "Thôn Mới",
            vec![listed("Phạm Văn Dũng", Role::Leader, "0914994126")],
        )]);
        let replace = plan_commune(&registry(), &file, ImportMode::Replace, day(25));
        assert_eq!(replace.teams_removed(), 2);
        assert_eq!(replace.members_removed(), 3);
        assert!(replace.is_large_removal());
        let names: Vec<&str> = replace.dissolving.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Tổ CNSCĐ thôn Đồng Mới", "Thôn Bắc"]);
        let add = plan_commune(&registry(), &file, ImportMode::AddAndUpdate, day(25));
        assert_eq!(
            (
                add.teams_removed(),
                add.members_removed(),
                add.teams_added()
            ),
            (0, 0, 1)
        );
        assert!(!add.is_large_removal());
    }

    #[test]
    fn a_dissolved_team_comes_back_with_the_members_who_left_with_it() {
        let mut registry = registry();
        registry[1].dissolved_on = Some(day(20));
        registry[1].members[0].left_on = Some(day(20));
        let file = commune(vec![(
            "Thôn Bắc",
            vec![listed("Trần Văn Cường", Role::Leader, "0914994125")],
        )]);
        let plan = plan_commune(&registry, &file, ImportMode::AddAndUpdate, day(25));
        assert_eq!(
            plan.teams[0].target,
            TeamTarget::Revived {
                id: 2,
                dissolved_on: day(20)
            }
        );
        assert_eq!(
            plan.teams[0].members[0].step,
            MemberStep::Rejoins {
                id: 20,
                changes: vec![]
            },
            "she keeps her join date"
        );
    }

    #[test]
    fn a_member_named_leader_of_another_team_is_held_twice_only_when_kept_unlisted() {
        // Lê Thị Bình (Đồng Mới) named leader of a new team: her record in Đồng Mới stays.
        let file = commune(vec![(
            "Thôn Tây",
            vec![listed("Lê Thị Bình", Role::Leader, "0914994124")],
        )]);
        let plan = plan_commune(&registry(), &file, ImportMode::AddAndUpdate, day(25));
        let registry = registry();
        let kept: Vec<i64> = plan
            .kept_holders_of_listed_phones(&registry)
            .iter()
            .map(|(team, member)| team.id * 100 + member.id)
            .collect();
        assert_eq!(kept, vec![111]);
        // Replacing, she leaves Đồng Mới (not listed): no one keeps the phone.
        let plan = plan_commune(&registry, &file, ImportMode::Replace, day(25));
        assert!(plan.kept_holders_of_listed_phones(&registry).is_empty());
        // Listed in her own team as well, she is the file's to answer for, not a kept record.
        let both = commune(vec![
            (
                "Tổ CNSCĐ thôn Đồng Mới",
                vec![listed("Lê Thị Bình", Role::Member, "0914994124")],
            ),
            (
                "Thôn Tây",
                vec![listed("Lê Thị Bình", Role::Leader, "0914994124")],
            ),
        ]);
        let plan = plan_commune(&registry, &both, ImportMode::AddAndUpdate, day(25));
        assert!(plan.kept_holders_of_listed_phones(&registry).is_empty());
    }

    #[test]
    fn a_team_counts_the_members_it_keeps_with_those_the_file_adds() {
        // Thôn Bắc has Cường; the file lists him and two newcomers.
        let file = commune(vec![(
            "Thôn Bắc",
            vec![
                listed("Trần Văn Cường", Role::Leader, "0914994125"),
                listed("Lê Văn Dũng", Role::Member, "0914994126"),
                listed("Lê Văn Em", Role::Member, "0914994127"),
            ],
        )]);
        let registry = registry();
        let plan = plan_commune(&registry, &file, ImportMode::AddAndUpdate, day(25));
        assert_eq!(
            plan.teams_after(&registry),
            [TeamAfter {
                name: "Thôn Bắc",
                members: 3,
                leaders: 1
            }]
        );
        // Đồng Mới's two, kept (An still leading), and one newcomer; replacing, only the newcomer.
        let file = commune(vec![(
            "Thôn Đồng Mới",
            vec![listed("Lê Văn Dũng", Role::Member, "0914994126")],
        )]);
        let after = |mode| {
            let plan = plan_commune(&registry, &file, mode, day(25));
            let team = &plan.teams_after(&registry)[0];
            (team.members, team.leaders)
        };
        assert_eq!(after(ImportMode::AddAndUpdate), (3, 1));
        assert_eq!(after(ImportMode::Replace), (1, 0));
    }

    #[test]
    fn a_fifth_is_the_line() {
        assert!(!removal_is_large(10, 2));
        assert!(removal_is_large(10, 3));
        assert!(!removal_is_large(0, 0));
        assert!(removal_is_large(1, 1));
    }
}
