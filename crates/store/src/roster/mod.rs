//! The registry as the template's roster: read for export here, and replaced commune by commune on import
//! (`replace.rs`).

mod import;
mod records;
mod undo;
mod used_since;

pub use import::{CommuneImport, DecisionAdded, ImportOptions, ImportSummary, OversizedTeam};
pub use undo::{ImportCommune, ImportRecord};

use crate::json_rows::{gather_rows, parse_rows};
use crate::sql::in_list;
use crate::stored::{parse_text, required_date};
use crate::{Store, StoreError};
use cnscd_domain::decision::DecisionNumber;
use cnscd_domain::person_name::PersonName;
use cnscd_domain::phone::Phone;
use cnscd_domain::role::Role;
use cnscd_domain::roster::{
    Roster, RosterCommune, RosterDecision, RosterMember, RosterProvince, RosterTeam,
};
use sqlx::Row;
use std::collections::HashMap;

/// A roster line as gathered: commune code and name, then (none for a commune without teams) the team's id
/// and name, then (none for a team without members) the member's name, role, phone and note.
type RosterRow = (
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl Store {
    /// Active teams and members of a province, or of some of its communes, in Vietnamese order: communes, then
    /// teams, then leader, deputies and members. Each team carries its latest decision, read apart in one pass
    /// over the province's decisions (two lookups per team took most of the query; joining a ranked table
    /// instead was planned as a nested loop on PostgreSQL and slowly on SQLite); a commune without a team is
    /// listed with none (so that a province's list counts every commune).
    pub async fn roster(
        &self,
        province_code: &str,
        commune_codes: &[String],
    ) -> Result<Roster, StoreError> {
        let province = self.province(province_code).await?;
        let only = if commune_codes.is_empty() {
            String::new()
        } else {
            format!("AND c.code IN ({})", in_list(2, commune_codes.len()))
        };
        // Gathered into one value: the engine's query took a fifth of the time the driver took to hand over
        // a province's 30,000 rows one by one.
        let sql = format!(
            "SELECT {} FROM communes c \
             LEFT JOIN teams t ON t.commune_code = c.code AND t.status = 'active' \
             LEFT JOIN members m ON m.team_id = t.id AND m.left_on IS NULL \
             WHERE c.province_code = $1 {only}",
            gather_rows(
                self.backend,
                &["c.code", "c.name", "t.id", "t.name", "m.full_name", "m.role", "m.phone", "m.note"],
                "c.sort_key, c.code, t.sort_key, t.id, \
                 (CASE m.role WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END), m.sort_key, m.id"
            )
        );
        let mut query = sqlx::query_scalar(&sql).bind(province_code);
        for code in commune_codes {
            query = query.bind(code.clone());
        }
        let rows: Vec<RosterRow> = parse_rows(query.fetch_one(&self.pool).await?)?;
        let mut decisions = self.latest_decisions(province_code).await?;
        let mut communes: Vec<RosterCommune> = Vec::new();
        let mut last_team: Option<i64> = None;
        for (code, commune_name, team_id, team_name, full_name, role, phone, note) in rows {
            if communes.last().is_none_or(|c| c.code != code) {
                communes.push(RosterCommune {
                    code,
                    name: commune_name,
                    teams: Vec::new(),
                });
                last_team = None;
            }
            let commune = communes.last_mut().expect("pushed above");
            // A commune without a team is listed too, with none.
            let Some(team_id) = team_id else {
                continue;
            };
            if last_team != Some(team_id) {
                commune.teams.push(RosterTeam {
                    name: team_name.unwrap_or_default(),
                    decision: decisions.remove(&team_id),
                    members: Vec::new(),
                });
                last_team = Some(team_id);
            }
            if let Some(name) = full_name {
                commune
                    .teams
                    .last_mut()
                    .expect("pushed above")
                    .members
                    .push(RosterMember {
                        name: PersonName::from_stored(name),
                        role: parse_text(
                            "role",
                            role.as_deref().unwrap_or_default(),
                            Role::from_code,
                        )?,
                        phone: phone.map(Phone::from_stored),
                        note: note.unwrap_or_default(),
                        joined_on: None,
                    });
            }
        }
        Ok(Roster {
            province: RosterProvince {
                code: province.code,
                name: province.name,
            },
            communes,
        })
    }

    /// Each team's latest decision (by date, then by entry) among the province's decisions: a team moves only
    /// within its province, so its decisions are the province's.
    async fn latest_decisions(
        &self,
        province_code: &str,
    ) -> Result<HashMap<i64, RosterDecision>, StoreError> {
        let rows = sqlx::query(
            "SELECT dt.team_id, d.number, d.signed_on FROM decision_teams dt \
             JOIN decisions d ON d.id = dt.decision_id \
             WHERE d.commune_code IN (SELECT code FROM communes WHERE province_code = $1) \
             ORDER BY dt.team_id, d.signed_on DESC, d.id DESC",
        )
        .bind(province_code)
        .fetch_all(&self.pool)
        .await?;
        let mut latest = HashMap::new();
        for row in rows {
            let team_id: i64 = row.try_get("team_id")?;
            if let std::collections::hash_map::Entry::Vacant(slot) = latest.entry(team_id) {
                slot.insert(RosterDecision {
                    number: DecisionNumber::from_stored(row.try_get("number")?),
                    date: required_date(&row, "signed_on")?,
                });
            }
        }
        Ok(latest)
    }
}
