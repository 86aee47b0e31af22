//! Properties of the template: what we write, we read back unchanged; no byte sequence makes the reader panic.

use chrono::NaiveDate;
use cnscd_domain::decision::DecisionNumber;
use cnscd_domain::person_name::PersonName;
use cnscd_domain::phone::Phone;
use cnscd_domain::role::Role;
use cnscd_domain::roster::{
    Roster, RosterCommune, RosterDecision, RosterMember, RosterProvince, RosterTeam,
};
use cnscd_domain::rules::TeamRules;
use cnscd_domain::text::clean_text;
use cnscd_excel::{read_roster, roster_csv, roster_xlsx, CommuneRef};
use proptest::prelude::*;

fn communes() -> Vec<CommuneRef> {
    [
        ("16177", "Xã Xuân Bình"),
        ("14797", "Phường Hạc Thành"),
        ("15865", "Xã Hoằng Hóa"),
    ]
    .iter()
    .map(|(code, name)| CommuneRef {
        code: code.to_string(),
        name: name.to_string(),
    })
    .collect()
}

fn province() -> RosterProvince {
    RosterProvince {
        code: "38".into(),
        name: "Thanh Hóa".into(),
    }
}

const FAMILY: [&str; 6] = ["Nguyễn", "Trần", "Lê", "Đặng", "Hồ", "Ngô"];
const GIVEN: [&str; 8] = ["An", "Bình", "Hòa", "Thúy", "Đức", "Ánh", "Quỳnh", "Hương"];

fn member(role: Role) -> impl Strategy<Value = RosterMember> {
    (
        0..6usize,
        0..8usize,
        0..8usize,
        proptest::option::of(0u32..10_000_000),
        proptest::option::of("[=+@-]?[a-zA-Z ]{0,12}"),
    )
        .prop_map(move |(f, m, g, phone, note)| RosterMember {
            name: PersonName::from_stored(format!("{} {} {}", FAMILY[f], GIVEN[m], GIVEN[g])),
            role,
            phone: phone.map(|n| Phone::from_stored(format!("091{n:07}"))),
            note: note.map(|n| clean_text(&n)).unwrap_or_default(),
            joined_on: None,
        })
}

fn team(index: usize) -> impl Strategy<Value = RosterTeam> {
    (
        member(Role::Leader),
        proptest::collection::vec(member(Role::Member), 0..6),
        proptest::option::of(1u32..200),
        1u32..28,
    )
        .prop_map(move |(leader, others, number, day)| RosterTeam {
            name: format!("Tổ thôn {}", index + 1),
            decision: number.map(|n| RosterDecision {
                number: DecisionNumber::from_stored(format!("{n:02}/QĐ-UBND")),
                date: NaiveDate::from_ymd_opt(2025, 7, day).expect("valid day"),
            }),
            members: std::iter::once(leader).chain(others).collect(),
        })
}

fn roster() -> impl Strategy<Value = Roster> {
    (1usize..4, 1usize..4).prop_flat_map(|(commune_count, team_count)| {
        let teams = (0..team_count).map(team).collect::<Vec<_>>();
        proptest::collection::vec(teams, commune_count).prop_map(move |per_commune| Roster {
            province: province(),
            communes: per_commune
                .into_iter()
                .zip(communes())
                .map(|(teams, c)| RosterCommune {
                    code: c.code,
                    name: c.name,
                    teams,
                })
                .collect(),
        })
    })
}

/// Phones must be unique for a file to have no warnings; the property is about the data, so duplicates are fine.
fn read_back(bytes: &[u8], name: &str) -> Roster {
    let outcome = read_roster(
        bytes,
        name,
        province(),
        &communes(),
        TeamRules::new(1, 50).unwrap(),
    )
    .unwrap();
    assert!(
        outcome.problems.errors.is_empty(),
        "{:?}",
        outcome.problems.errors
    );
    outcome.roster
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_xlsx_template_reads_back_unchanged(roster in roster()) {
        let bytes = roster_xlsx(&roster, "Thanh Hóa").unwrap();
        prop_assert_eq!(read_back(&bytes, "danh-sach.xlsx"), roster);
    }

    #[test]
    fn the_csv_export_reads_back_unchanged(roster in roster()) {
        let bytes = roster_csv(&roster).unwrap();
        prop_assert_eq!(read_back(&bytes, "danh-sach.csv"), roster);
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn no_bytes_make_the_reader_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), zip_header in any::<bool>()) {
        let mut bytes = bytes;
        if zip_header {
            bytes.splice(0..0, *b"PK\x03\x04");
        }
        for name in ["x.xlsx", "x.xls", "x.ods", "x.csv"] {
            let _ = read_roster(&bytes, name, province(), &communes(), TeamRules::default());
        }
    }
}
