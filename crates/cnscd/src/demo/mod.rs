//! A realistic, deterministic demo registry: every commune gets its village teams, members, decisions, and a
//! few of the problems real data has (communes without teams, teams without leader or decision, missing and
//! shared phones), so that a newcomer sees a living system and what the overview is for.

mod names;

use chrono::NaiveDate;
use cnscd_domain::decision::{DecisionDraft, ValidDecision};
use cnscd_domain::member::{MemberDraft, ValidMember};
use cnscd_domain::public::{parse_commune_contact, CommuneContact};
use cnscd_domain::team::TeamStatus;
use cnscd_domain::text::lowercase_first;
use cnscd_store::bulk::{CommuneSeed, TeamSeed};
use cnscd_store::Commune;
use names::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How often each kind of data problem appears, in percent.
const COMMUNE_WITHOUT_TEAMS: u32 = 2;
const TEAM_WITHOUT_LEADER: u32 = 2;
const TEAM_WITHOUT_DECISION: u32 = 4;
const TEAM_DISSOLVED: u32 = 1;
const MEMBER_WITHOUT_PHONE: u32 = 5;
const MEMBER_SHARED_PHONE: u32 = 1;

fn percent(rng: &mut ChaCha8Rng, chance: u32) -> bool {
    rng.gen_range(0..100) < chance
}

fn pick<'a>(rng: &mut ChaCha8Rng, words: &[&'a str]) -> &'a str {
    words.choose(rng).copied().unwrap_or_default()
}

fn person_name(rng: &mut ChaCha8Rng) -> String {
    let family = pick(rng, FAMILY_NAMES);
    if rng.gen_bool(0.5) {
        format!(
            "{family} {} {}",
            pick(rng, MIDDLE_NAMES_MALE),
            pick(rng, GIVEN_NAMES_MALE)
        )
    } else {
        format!(
            "{family} {} {}",
            pick(rng, MIDDLE_NAMES_FEMALE),
            pick(rng, GIVEN_NAMES_FEMALE)
        )
    }
}

fn mobile(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{}{:07}",
        pick(rng, MOBILE_PREFIXES),
        rng.gen_range(0..10_000_000)
    )
}

/// Team names of a commune: one per village or residential group, plus often one for the whole commune.
fn team_names(rng: &mut ChaCha8Rng, commune: &Commune, count: usize) -> Vec<String> {
    let urban = commune.kind == "phường";
    let mut names = Vec::with_capacity(count + 1);
    if rng.gen_bool(0.7) {
        names.push(format!("Tổ CNSCĐ {}", commune.name));
    }
    let mut villages: Vec<&str> = VILLAGE_NAMES.to_vec();
    villages.shuffle(rng);
    for i in 0..count {
        let name = match (urban, villages.get(i)) {
            (true, _) => format!("Tổ CNSCĐ tổ dân phố {}", i + 1),
            (false, Some(village)) if rng.gen_bool(0.5) => format!("Tổ CNSCĐ thôn {village}"),
            (false, _) => format!("Tổ CNSCĐ thôn {}", i + 1),
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

fn member(name: String, role: &str, phone: String, joined: NaiveDate) -> ValidMember {
    MemberDraft {
        full_name: name,
        role: role.into(),
        phone,
        note: String::new(),
        joined_on: joined.to_string(),
    }
    .validate()
    .expect("demo data follows the registry's rules")
}

/// The demo registry of one commune; the same seed and commune always give the same registry.
pub fn commune_registry(
    seed: u64,
    commune: &Commune,
    teams_per_commune: u32,
    with_problems: bool,
) -> CommuneSeed {
    let code: u64 = commune.code.parse().unwrap_or_default();
    let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_mul(100_003).wrapping_add(code));
    let empty = CommuneSeed {
        commune_code: commune.code.clone(),
        decisions: Vec::new(),
        teams: Vec::new(),
        contact: None,
        villages: None,
    };
    if with_problems && percent(&mut rng, COMMUNE_WITHOUT_TEAMS) {
        return empty;
    }
    let signed_on = NaiveDate::from_ymd_opt(2025, 7, rng.gen_range(1..=15)).expect("valid day");
    let decision: ValidDecision = DecisionDraft {
        number: format!("{:02}/QĐ-UBND", rng.gen_range(1..=250)),
        signed_on: signed_on.to_string(),
        signer: person_name(&mut rng),
        kind: "establish".into(),
    }
    .validate()
    .expect("demo decision is valid");
    let spread = teams_per_commune.max(2) / 2;
    let count = rng.gen_range(teams_per_commune - spread..=teams_per_commune + spread) as usize;
    let mut previous_phone: Option<String> = None;
    let teams = team_names(&mut rng, commune, count)
        .into_iter()
        .enumerate()
        .map(|(index, name)| {
            let dissolved = with_problems && percent(&mut rng, TEAM_DISSOLVED);
            let without_leader = with_problems && percent(&mut rng, TEAM_WITHOUT_LEADER);
            let size = rng.gen_range(3..=9);
            let members = (0..size)
                .map(|i| {
                    let role = match i {
                        0 if !without_leader => "leader",
                        1 if rng.gen_bool(0.7) => "deputy",
                        _ => "member",
                    };
                    let phone = if percent(&mut rng, MEMBER_WITHOUT_PHONE) {
                        String::new()
                    } else if percent(&mut rng, MEMBER_SHARED_PHONE) && previous_phone.is_some() {
                        previous_phone.clone().unwrap_or_default()
                    } else {
                        mobile(&mut rng)
                    };
                    if !phone.is_empty() {
                        previous_phone = Some(phone.clone());
                    }
                    member(person_name(&mut rng), role, phone, signed_on)
                })
                .collect();
            TeamSeed {
                name,
                note: String::new(),
                status: if dissolved {
                    TeamStatus::Dissolved
                } else {
                    TeamStatus::Active
                },
                dissolved_on: dissolved
                    .then(|| NaiveDate::from_ymd_opt(2025, 10, 1).expect("valid day")),
                members,
                decision: (!percent(&mut rng, TEAM_WITHOUT_DECISION)).then_some(0),
                // Six leaders in ten consented to the public pages (not drawn: the registry stays as before).
                leader_consents: (index as u64 + code) % 10 < 6,
            }
        })
        .collect();
    CommuneSeed {
        decisions: vec![decision],
        teams,
        contact: public_contact(commune),
        // Most communes have a village or two without a team yet (not drawn: the registry stays as before).
        villages: Some(count as i64 + (code % 3) as i64),
        ..empty
    }
}

/// The commune office's landline, made from its code (`0237 38x xxxx`).
fn public_contact(commune: &Commune) -> Option<CommuneContact> {
    let digits: String = commune
        .code
        .chars()
        .rev()
        .take(5)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    parse_commune_contact(
        &format!("Văn phòng UBND {}", lowercase_first(&commune.name)),
        &format!("023738{digits:0>5}"),
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commune() -> Commune {
        Commune {
            code: "15853".into(),
            province_code: "38".into(),
            name: "Xã Xuân Bình".into(),
            kind: "xã".into(),
        }
    }

    #[test]
    fn same_seed_same_registry() {
        let a = commune_registry(7, &commune(), 20, true);
        let b = commune_registry(7, &commune(), 20, true);
        let names = |s: &CommuneSeed| s.teams.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b));
        assert_ne!(names(&a), names(&commune_registry(8, &commune(), 20, true)));
    }

    #[test]
    fn teams_are_realistic() {
        let seed = (0..20)
            .map(|s| commune_registry(s, &commune(), 20, true))
            .find(|s| !s.teams.is_empty())
            .unwrap();
        for team in &seed.teams {
            assert!((3..=9).contains(&team.members.len()));
            let leaders = team
                .members
                .iter()
                .filter(|m| m.role == cnscd_domain::role::Role::Leader)
                .count();
            assert!(leaders <= 1);
        }
        let mut names: Vec<&String> = seed.teams.iter().map(|t| &t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            seed.teams.len(),
            "team names are unique in a commune"
        );
    }
}
