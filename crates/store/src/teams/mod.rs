//! Teams: what a team is as pages and the API read it, and how lists of teams are read. Changes are in
//! `write.rs`.

mod write;

pub(crate) use write::{
    insert_team_rows, province_of_commune, require_active, team_state, TeamRow, TeamState,
};

use crate::sql::{fetch_page, Conditions, Value};
use crate::stored::{optional_date, parse_stored};
use crate::{Page, PageRequest, Store, StoreError};
use chrono::NaiveDate;
use cnscd_domain::team::TeamStatus;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A team as pages and the API show it, with what its list row needs to know.
#[derive(Debug, Clone)]
pub struct Team {
    pub id: i64,
    pub province_code: String,
    pub commune_code: String,
    pub commune_name: String,
    pub name: String,
    pub note: String,
    pub status: TeamStatus,
    pub dissolved_on: Option<NaiveDate>,
    /// Increases at every save; send it back when updating so that a concurrent change is detected.
    pub version: i64,
    pub members: i64,
    pub members_without_phone: i64,
    pub leader: Option<String>,
    pub decision_number: Option<String>,
    pub decision_signed_on: Option<NaiveDate>,
    pub created_at: String,
    pub updated_at: String,
}

/// Which teams to list.
#[derive(Debug, Clone, Default)]
pub struct TeamFilter {
    pub province_code: Option<String>,
    pub commune_code: Option<String>,
    pub status: Option<TeamStatus>,
}

const TEAM_COLUMNS: &str = "t.id, c.province_code, t.commune_code, c.name AS commune_name, t.name, t.note, t.status, \
    t.dissolved_on, t.version, t.created_at, t.updated_at, \
    t.active_members AS members, t.members_without_phone, \
    (SELECT m.full_name FROM members m WHERE m.team_id = t.id AND m.left_on IS NULL AND m.role = 'leader') AS leader, \
    (SELECT d.number FROM decision_teams dt JOIN decisions d ON d.id = dt.decision_id WHERE dt.team_id = t.id \
     ORDER BY d.signed_on DESC, d.id DESC LIMIT 1) AS decision_number, \
    (SELECT d.signed_on FROM decision_teams dt JOIN decisions d ON d.id = dt.decision_id WHERE dt.team_id = t.id \
     ORDER BY d.signed_on DESC, d.id DESC LIMIT 1) AS decision_signed_on";

fn team_from_row(row: &AnyRow) -> Result<Team, sqlx::Error> {
    Ok(Team {
        id: row.try_get("id")?,
        province_code: row.try_get("province_code")?,
        commune_code: row.try_get("commune_code")?,
        commune_name: row.try_get("commune_name")?,
        name: row.try_get("name")?,
        note: row.try_get("note")?,
        status: parse_stored(row, "status", TeamStatus::from_code)?,
        dissolved_on: optional_date(row, "dissolved_on")?,
        version: row.try_get("version")?,
        members: row.try_get("members")?,
        members_without_phone: row.try_get("members_without_phone")?,
        leader: row.try_get("leader")?,
        decision_number: row.try_get("decision_number")?,
        decision_signed_on: optional_date(row, "decision_signed_on")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

impl Store {
    pub async fn team(&self, team_id: i64) -> Result<Team, StoreError> {
        let sql = format!("SELECT {TEAM_COLUMNS} FROM teams t JOIN communes c ON c.code = t.commune_code WHERE t.id = $1");
        let row = sqlx::query(&sql)
            .bind(team_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("tổ"))?;
        Ok(team_from_row(&row)?)
    }

    /// Teams in Vietnamese alphabetical order of commune, then team name.
    pub async fn teams(
        &self,
        filter: &TeamFilter,
        page: PageRequest,
    ) -> Result<Page<Team>, StoreError> {
        let mut conditions = Conditions::default();
        if let Some(province) = &filter.province_code {
            conditions.add("c.province_code = ?", Value::Text(province.clone()));
        }
        if let Some(commune) = &filter.commune_code {
            conditions.add("t.commune_code = ?", Value::Text(commune.clone()));
        }
        if let Some(status) = filter.status {
            conditions.add("t.status = ?", Value::Text(status.code().to_string()));
        }
        let (total, rows) = fetch_page(
            &self.pool,
            &conditions,
            TEAM_COLUMNS,
            "FROM teams t JOIN communes c ON c.code = t.commune_code",
            "c.sort_key, t.sort_key, t.id",
            page,
        )
        .await?;
        let items = rows.iter().map(team_from_row).collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            total,
            page: page.page,
            per_page: page.per_page,
        })
    }
}
