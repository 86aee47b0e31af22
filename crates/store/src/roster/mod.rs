//! The registry as the template's roster: read for export here, and replaced commune by commune on import
//! (`replace.rs`).

mod import;
mod records;
mod undo;

pub use import::{CommuneImport, ImportOptions, ImportSummary};
pub use undo::{ImportCommune, ImportRecord};

use crate::sql::in_list;
use crate::stored::{parse_stored, required_date};
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
        let sql = format!(
            "SELECT c.code, c.name AS commune_name, t.id AS team_id, t.name AS team_name, \
               m.full_name, m.role, m.phone, m.note \
             FROM communes c LEFT JOIN teams t ON t.commune_code = c.code AND t.status = 'active' \
             LEFT JOIN members m ON m.team_id = t.id AND m.left_on IS NULL \
             WHERE c.province_code = $1 {only} \
             ORDER BY c.sort_key, c.code, t.sort_key, t.id, \
               (CASE m.role WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END), m.sort_key, m.id"
        );
        let mut query = sqlx::query(&sql).bind(province_code);
        for code in commune_codes {
            query = query.bind(code.clone());
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut decisions = self.latest_decisions(province_code).await?;
        let mut communes: Vec<RosterCommune> = Vec::new();
        let mut last_team: Option<i64> = None;
        for row in rows {
            let code: String = row.try_get("code")?;
            if communes.last().is_none_or(|c| c.code != code) {
                communes.push(RosterCommune {
                    code,
                    name: row.try_get("commune_name")?,
                    teams: Vec::new(),
                });
                last_team = None;
            }
            let commune = communes.last_mut().expect("pushed above");
            // A commune without a team is listed too, with none.
            let Some(team_id) = row.try_get::<Option<i64>, _>("team_id")? else {
                continue;
            };
            if last_team != Some(team_id) {
                commune.teams.push(RosterTeam {
                    name: row.try_get("team_name")?,
                    decision: decisions.remove(&team_id),
                    members: Vec::new(),
                });
                last_team = Some(team_id);
            }
            let name: Option<String> = row.try_get("full_name")?;
            if let Some(name) = name {
                commune
                    .teams
                    .last_mut()
                    .expect("pushed above")
                    .members
                    .push(RosterMember {
                        name: PersonName::from_stored(name),
                        role: parse_stored(&row, "role", Role::from_code)?,
                        phone: row
                            .try_get::<Option<String>, _>("phone")?
                            .map(Phone::from_stored),
                        note: row.try_get("note")?,
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
