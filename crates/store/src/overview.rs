//! The province overview: each commune's numbers of teams and members and what is missing.

use crate::{Store, StoreError};
use serde::Serialize;
use sqlx::Row;
use std::collections::HashMap;

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommuneSummary {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub teams: i64,
    pub members: i64,
    pub teams_without_leader: i64,
    pub teams_without_decision: i64,
    pub teams_understaffed: i64,
    pub members_without_phone: i64,
}

impl CommuneSummary {
    pub fn has_problems(&self) -> bool {
        self.teams == 0
            || self.teams_without_leader
                + self.teams_without_decision
                + self.teams_understaffed
                + self.members_without_phone
                > 0
    }

    fn add(&mut self, other: &CommuneSummary) {
        self.teams += other.teams;
        self.members += other.members;
        self.teams_without_leader += other.teams_without_leader;
        self.teams_without_decision += other.teams_without_decision;
        self.teams_understaffed += other.teams_understaffed;
        self.members_without_phone += other.members_without_phone;
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProvinceOverview {
    pub province_code: String,
    pub province_name: String,
    pub communes: Vec<CommuneSummary>,
    /// Sums over all communes (`code` and `name` empty).
    pub totals: CommuneSummary,
    pub communes_without_team: i64,
}

/// One active team's counts, the unit the overview rolls up.
struct TeamCounts {
    commune_code: String,
    members: i64,
    leaders: i64,
    without_phone: i64,
    decisions: i64,
}

impl Store {
    /// Active teams and members of every commune of a province. Counts per team with index-only lookups, then
    /// rolls up per commune here, so the work grows with the province's teams, not with the national registry.
    pub async fn province_overview(
        &self,
        province_code: &str,
    ) -> Result<ProvinceOverview, StoreError> {
        let province = self.province(province_code).await?;
        let rules = self.team_rules(province_code).await?;
        let teams: Vec<TeamCounts> = sqlx::query(
            "SELECT t.commune_code, \
               (SELECT COUNT(*) FROM members m WHERE m.team_id = t.id AND m.left_on IS NULL) AS members, \
               (SELECT COUNT(*) FROM members m WHERE m.team_id = t.id AND m.left_on IS NULL AND m.role = 'leader') AS leaders, \
               (SELECT COUNT(*) FROM members m WHERE m.team_id = t.id AND m.left_on IS NULL AND m.phone IS NULL) AS without_phone, \
               (SELECT COUNT(*) FROM decision_teams dt WHERE dt.team_id = t.id) AS decisions \
             FROM communes c JOIN teams t ON t.commune_code = c.code AND t.status = 'active' \
             WHERE c.province_code = $1",
        )
        .bind(province_code)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(TeamCounts {
                commune_code: row.try_get("commune_code")?,
                members: row.try_get("members")?,
                leaders: row.try_get("leaders")?,
                without_phone: row.try_get("without_phone")?,
                decisions: row.try_get("decisions")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
        let mut communes: Vec<CommuneSummary> = self
            .communes(province_code)
            .await?
            .into_iter()
            .map(|c| CommuneSummary {
                code: c.code,
                name: c.name,
                kind: c.kind,
                ..Default::default()
            })
            .collect();
        let position: HashMap<String, usize> = communes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), i))
            .collect();
        for team in &teams {
            let Some(commune) = position.get(&team.commune_code).map(|&i| &mut communes[i]) else {
                continue;
            };
            commune.teams += 1;
            commune.members += team.members;
            commune.teams_without_leader += i64::from(team.leaders == 0);
            commune.teams_without_decision += i64::from(team.decisions == 0);
            commune.teams_understaffed += i64::from(rules.is_understaffed(team.members));
            commune.members_without_phone += team.without_phone;
        }
        let mut totals = CommuneSummary::default();
        communes.iter().for_each(|c| totals.add(c));
        Ok(ProvinceOverview {
            province_code: province.code,
            province_name: province.name,
            communes_without_team: communes.iter().filter(|c| c.teams == 0).count() as i64,
            communes,
            totals,
        })
    }
}
