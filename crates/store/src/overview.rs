//! The province overview: each commune's numbers of teams and members and what is missing.

use crate::{Store, StoreError};
use serde::Serialize;
use sqlx::Row;

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

impl Store {
    /// Active teams and members of every commune of a province. Aggregates per team first, then per commune,
    /// so the work grows with the number of teams, not teams × members.
    pub async fn province_overview(
        &self,
        province_code: &str,
    ) -> Result<ProvinceOverview, StoreError> {
        let province = self.province(province_code).await?;
        let rules = self.team_rules(province_code).await?;
        let rows = sqlx::query(
            "SELECT c.code, c.name, c.kind, \
               COUNT(ts.team_id) AS teams, \
               CAST(COALESCE(SUM(ts.members), 0) AS BIGINT) AS members, \
               CAST(COALESCE(SUM(CASE WHEN ts.leaders = 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS teams_without_leader, \
               CAST(COALESCE(SUM(CASE WHEN ts.decisions = 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS teams_without_decision, \
               CAST(COALESCE(SUM(CASE WHEN ts.members < $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS teams_understaffed, \
               CAST(COALESCE(SUM(ts.without_phone), 0) AS BIGINT) AS members_without_phone \
             FROM communes c LEFT JOIN ( \
               SELECT t.id AS team_id, t.commune_code, \
                 COUNT(m.id) AS members, \
                 SUM(CASE WHEN m.role = 'leader' THEN 1 ELSE 0 END) AS leaders, \
                 SUM(CASE WHEN m.id IS NOT NULL AND m.phone IS NULL THEN 1 ELSE 0 END) AS without_phone, \
                 (SELECT COUNT(*) FROM decision_teams dt WHERE dt.team_id = t.id) AS decisions \
               FROM teams t JOIN communes tc ON tc.code = t.commune_code \
               LEFT JOIN members m ON m.team_id = t.id AND m.left_on IS NULL \
               WHERE tc.province_code = $1 AND t.status = 'active' \
               GROUP BY t.id, t.commune_code \
             ) ts ON ts.commune_code = c.code \
             WHERE c.province_code = $1 \
             GROUP BY c.code, c.name, c.kind, c.sort_key \
             ORDER BY c.sort_key",
        )
        .bind(province_code)
        .bind(rules.min_members)
        .fetch_all(&self.pool)
        .await?;
        let communes: Vec<CommuneSummary> = rows
            .iter()
            .map(|row| {
                Ok(CommuneSummary {
                    code: row.try_get("code")?,
                    name: row.try_get("name")?,
                    kind: row.try_get("kind")?,
                    teams: row.try_get("teams")?,
                    members: row.try_get("members")?,
                    teams_without_leader: row.try_get("teams_without_leader")?,
                    teams_without_decision: row.try_get("teams_without_decision")?,
                    teams_understaffed: row.try_get("teams_understaffed")?,
                    members_without_phone: row.try_get("members_without_phone")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
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
