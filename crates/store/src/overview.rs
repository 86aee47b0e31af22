//! The province overview: each commune's numbers of teams and members and what is missing.

use crate::{Store, StoreError};
use sqlx::Row;
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
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
    /// What stops the commune's teams from working as the Department requires: no team, a team without a
    /// leader, without a decision, or understaffed. (Missing phones are to fix too, but do not block.)
    pub fn has_blocking_problems(&self) -> bool {
        self.teams == 0
            || self.teams_without_leader + self.teams_without_decision + self.teams_understaffed > 0
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

#[derive(Debug, Clone)]
pub struct ProvinceOverview {
    pub province_code: String,
    pub province_name: String,
    pub communes: Vec<CommuneSummary>,
    /// Sums over all communes (`code` and `name` empty).
    pub totals: CommuneSummary,
    pub communes_without_team: i64,
    /// The province's smallest team: below it a team counts as understaffed.
    pub min_members: i64,
}

impl Store {
    /// Active members of a province's active teams by role (leaders, deputies, members).
    pub async fn members_by_role(
        &self,
        province_code: &str,
        commune_code: Option<&str>,
    ) -> Result<Vec<(cnscd_domain::role::Role, i64)>, StoreError> {
        let sql = format!(
            "SELECT m.role, COUNT(*) AS n FROM members m JOIN teams t ON t.id = m.team_id \
             JOIN communes c ON c.code = t.commune_code \
             WHERE {} AND t.status = 'active' AND m.left_on IS NULL GROUP BY m.role",
            place_condition(commune_code)
        );
        let rows = bind_place(sqlx::query(&sql), province_code, commune_code)
            .fetch_all(&self.pool)
            .await?;
        let mut counts = rows
            .iter()
            .map(|row| {
                Ok((
                    crate::stored::parse_stored(row, "role", cnscd_domain::role::Role::from_code)?,
                    row.try_get("n")?,
                ))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        counts.sort();
        Ok(counts)
    }

    /// Active teams a citizen can reach by name on the public pages: a leader or deputy consented.
    pub async fn teams_with_public_contact(
        &self,
        province_code: &str,
        commune_code: Option<&str>,
    ) -> Result<i64, StoreError> {
        let sql = format!(
            "SELECT COUNT(DISTINCT t.id) FROM teams t JOIN communes c ON c.code = t.commune_code \
             JOIN members m ON m.team_id = t.id AND m.left_on IS NULL AND m.role IN ('leader', 'deputy') \
             JOIN member_consents k ON k.member_id = m.id AND k.withdrawn_at IS NULL \
               AND COALESCE(k.phone, '') = COALESCE(m.phone, '') \
             WHERE {} AND t.status = 'active'",
            place_condition(commune_code)
        );
        let row = bind_place(sqlx::query(&sql), province_code, commune_code)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    /// One commune's numbers and problems, from the sums kept per commune.
    pub async fn commune_summary(&self, code: &str) -> Result<CommuneSummary, StoreError> {
        let commune = self.commune(code).await?;
        let mut summary = CommuneSummary {
            code: commune.code,
            name: commune.name,
            kind: commune.kind,
            ..Default::default()
        };
        let row = sqlx::query(
            "SELECT teams, members, teams_without_leader, teams_without_decision, teams_understaffed, \
               members_without_phone FROM commune_stats WHERE commune_code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(row) = row {
            summary.teams = row.try_get("teams")?;
            summary.members = row.try_get("members")?;
            summary.teams_without_leader = row.try_get("teams_without_leader")?;
            summary.teams_without_decision = row.try_get("teams_without_decision")?;
            summary.teams_understaffed = row.try_get("teams_understaffed")?;
            summary.members_without_phone = row.try_get("members_without_phone")?;
        }
        Ok(summary)
    }

    /// Active teams and members of every commune of a province, read from the sums kept per commune.
    pub async fn province_overview(
        &self,
        province_code: &str,
    ) -> Result<ProvinceOverview, StoreError> {
        let province = self.province(province_code).await?;
        let rules = self.team_rules(province_code).await?;
        let rows = sqlx::query(
            "SELECT s.commune_code, s.teams, s.members, s.teams_without_leader, s.teams_without_decision, \
               s.teams_understaffed, s.members_without_phone \
             FROM communes c JOIN commune_stats s ON s.commune_code = c.code WHERE c.province_code = $1",
        )
        .bind(province_code)
        .fetch_all(&self.pool)
        .await?;
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
        for row in &rows {
            let code: String = row.try_get("commune_code")?;
            let Some(commune) = position.get(&code).map(|&i| &mut communes[i]) else {
                continue;
            };
            commune.teams = row.try_get("teams")?;
            commune.members = row.try_get("members")?;
            commune.teams_without_leader = row.try_get("teams_without_leader")?;
            commune.teams_without_decision = row.try_get("teams_without_decision")?;
            commune.teams_understaffed = row.try_get("teams_understaffed")?;
            commune.members_without_phone = row.try_get("members_without_phone")?;
        }
        let mut totals = CommuneSummary::default();
        communes.iter().for_each(|c| totals.add(c));
        Ok(ProvinceOverview {
            province_code: province.code,
            province_name: province.name,
            communes_without_team: communes.iter().filter(|c| c.teams == 0).count() as i64,
            min_members: rules.min_members,
            communes,
            totals,
        })
    }
}

/// A province, or one commune of it: `c` is the communes table.
fn place_condition(commune_code: Option<&str>) -> &'static str {
    match commune_code {
        Some(_) => "c.province_code = $1 AND c.code = $2",
        None => "c.province_code = $1",
    }
}

fn bind_place<'q>(
    query: crate::write::Statement<'q>,
    province_code: &'q str,
    commune_code: Option<&'q str>,
) -> crate::write::Statement<'q> {
    let query = query.bind(province_code);
    match commune_code {
        Some(code) => query.bind(code),
        None => query,
    }
}
