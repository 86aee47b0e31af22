//! Teams: create, read, list, rename, move to another commune, dissolve.

use crate::audit::{record_change, snapshot, Actor, ObjectKind, Place};
use crate::counts::refresh_team;
use crate::members::{insert_member, phones_elsewhere, PhoneElsewhere};
use crate::search::{index_name, reindex, unindex, Kind};
use crate::sql::{date_text, fetch_page, now, parse_date, Conditions, Value};
use crate::{Page, PageRequest, Store, StoreError};
use chrono::NaiveDate;
use cnscd_domain::collation::sort_key;
use cnscd_domain::member::ValidMember;
use cnscd_domain::role::Role;
use cnscd_domain::team::{TeamStatus, ValidTeam};
use cnscd_domain::FieldError;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// A team as pages and the API show it, with what its list row needs to know.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    let status: String = row.try_get("status")?;
    Ok(Team {
        id: row.try_get("id")?,
        province_code: row.try_get("province_code")?,
        commune_code: row.try_get("commune_code")?,
        commune_name: row.try_get("commune_name")?,
        name: row.try_get("name")?,
        note: row.try_get("note")?,
        status: TeamStatus::from_code(&status).unwrap_or(TeamStatus::Active),
        dissolved_on: parse_date(row.try_get("dissolved_on")?),
        version: row.try_get("version")?,
        members: row.try_get("members")?,
        members_without_phone: row.try_get("members_without_phone")?,
        leader: row.try_get("leader")?,
        decision_number: row.try_get("decision_number")?,
        decision_signed_on: parse_date(row.try_get("decision_signed_on")?),
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// The province a commune belongs to (for the search index and the province's rules).
pub(crate) async fn province_of_commune(
    conn: &mut AnyConnection,
    commune_code: &str,
) -> Result<String, StoreError> {
    sqlx::query_scalar("SELECT province_code FROM communes WHERE code = $1")
        .bind(commune_code)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("xã/phường"))
}

/// The team's province, status and version, read inside a writing transaction.
pub(crate) struct TeamState {
    pub province_code: String,
    pub commune_code: String,
    pub name: String,
    pub status: TeamStatus,
    pub version: i64,
}

pub(crate) async fn team_state(
    conn: &mut AnyConnection,
    team_id: i64,
) -> Result<TeamState, StoreError> {
    let row = sqlx::query(
        "SELECT c.province_code, t.commune_code, t.name, t.status, t.version FROM teams t \
         JOIN communes c ON c.code = t.commune_code WHERE t.id = $1",
    )
    .bind(team_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("tổ"))?;
    let status: String = row.try_get("status")?;
    Ok(TeamState {
        province_code: row.try_get("province_code")?,
        commune_code: row.try_get("commune_code")?,
        name: row.try_get("name")?,
        status: TeamStatus::from_code(&status).unwrap_or(TeamStatus::Active),
        version: row.try_get("version")?,
    })
}

/// Refuses a change to a team that someone else saved since `expected` was read.
pub(crate) fn check_version(current: i64, expected: i64) -> Result<(), StoreError> {
    if current == expected {
        Ok(())
    } else {
        Err(StoreError::Conflict {
            current_version: current,
        })
    }
}

fn dissolved_error() -> FieldError {
    FieldError::new(
        "team",
        "team_dissolved",
        "Tổ đã giải thể: không thay đổi được thành viên hay thông tin của tổ.",
    )
}

pub(crate) fn require_active(state: &TeamState) -> Result<(), StoreError> {
    match state.status {
        TeamStatus::Active => Ok(()),
        TeamStatus::Dissolved => Err(dissolved_error().into()),
    }
}

/// The state of an active team that has not changed since `expected_version`, read in a writing transaction.
pub(crate) async fn editable_team(
    conn: &mut AnyConnection,
    team_id: i64,
    expected_version: i64,
) -> Result<TeamState, StoreError> {
    let state = team_state(conn, team_id).await?;
    check_version(state.version, expected_version)?;
    require_active(&state)?;
    Ok(state)
}

impl Store {
    /// Creates an active team with its leader: an active team always has one.
    pub async fn create_team(
        &self,
        commune_code: &str,
        team: &ValidTeam,
        leader: &ValidMember,
        actor: &Actor,
    ) -> Result<(Team, Vec<PhoneElsewhere>), StoreError> {
        let _turn = self.writer_turn().await;
        let mut tx = self.pool.begin().await?;
        let province = province_of_commune(&mut tx, commune_code).await?;
        let stamp = now();
        let team_id: i64 = sqlx::query_scalar(
            "INSERT INTO teams (commune_code, name, sort_key, note, status, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'active', 1, $5, $5) RETURNING id",
        )
        .bind(commune_code)
        .bind(&team.name)
        .bind(sort_key(&team.name))
        .bind(&team.note)
        .bind(&stamp)
        .fetch_one(&mut *tx)
        .await?;
        index_name(
            &mut tx,
            &province,
            Kind::Team,
            &team_id.to_string(),
            &team.name,
        )
        .await?;
        let leader = ValidMember {
            role: Role::Leader,
            ..leader.clone()
        };
        let member_id = insert_member(&mut tx, &province, team_id, &leader).await?;
        refresh_team(&mut tx, team_id).await?;
        let place = || Place {
            province_code: &province,
            commune_code,
            team_id: Some(team_id),
        };
        record_change(
            &mut tx,
            actor,
            "team.create",
            ObjectKind::Team,
            team_id,
            place(),
            None,
        )
        .await?;
        let member = ObjectKind::Member;
        record_change(
            &mut tx,
            actor,
            "member.create",
            member,
            member_id,
            place(),
            None,
        )
        .await?;
        let warnings = phones_elsewhere(&mut tx, leader.phone.as_ref(), member_id).await?;
        tx.commit().await?;
        Ok((self.team(team_id).await?, warnings))
    }

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

    /// Renames a team or changes its note, unless someone saved it since version `expected_version`.
    pub async fn update_team(
        &self,
        team_id: i64,
        expected_version: i64,
        team: &ValidTeam,
        actor: &Actor,
    ) -> Result<Team, StoreError> {
        let _turn = self.writer_turn().await;
        let mut tx = self.pool.begin().await?;
        let state = editable_team(&mut tx, team_id, expected_version).await?;
        let before = snapshot(&mut tx, ObjectKind::Team, team_id).await?;
        sqlx::query(
            "UPDATE teams SET name = $1, sort_key = $2, note = $3, version = version + 1, updated_at = $4 \
             WHERE id = $5",
        )
        .bind(&team.name)
        .bind(sort_key(&team.name))
        .bind(&team.note)
        .bind(now())
        .bind(team_id)
        .execute(&mut *tx)
        .await?;
        reindex(
            &mut tx,
            &state.province_code,
            Kind::Team,
            &team_id.to_string(),
            &state.name,
            &team.name,
        )
        .await?;
        let place = state.place(team_id);
        record_change(
            &mut tx,
            actor,
            "team.update",
            ObjectKind::Team,
            team_id,
            place,
            before,
        )
        .await?;
        tx.commit().await?;
        self.team(team_id).await
    }

    /// Moves a team to another commune of the same province (after communes are merged or split).
    pub async fn move_team(
        &self,
        team_id: i64,
        expected_version: i64,
        commune_code: &str,
        actor: &Actor,
    ) -> Result<Team, StoreError> {
        let _turn = self.writer_turn().await;
        let mut tx = self.pool.begin().await?;
        let state = editable_team(&mut tx, team_id, expected_version).await?;
        let before = snapshot(&mut tx, ObjectKind::Team, team_id).await?;
        let target_province = province_of_commune(&mut tx, commune_code)
            .await
            .map_err(|_| {
                FieldError::new(
                    "commune_code",
                    "commune_unknown",
                    format!("Không có xã/phường mã «{commune_code}»."),
                )
            })?;
        if target_province != state.province_code {
            return Err(FieldError::new(
                "commune_code",
                "commune_other_province",
                "Chỉ chuyển được tổ sang xã/phường trong cùng tỉnh.",
            )
            .into());
        }
        sqlx::query("UPDATE teams SET commune_code = $1, version = version + 1, updated_at = $2 WHERE id = $3")
            .bind(commune_code)
            .bind(now())
            .bind(team_id)
            .execute(&mut *tx)
            .await?;
        let place = Place {
            commune_code,
            ..state.place(team_id)
        };
        record_change(
            &mut tx,
            actor,
            "team.move",
            ObjectKind::Team,
            team_id,
            place,
            before,
        )
        .await?;
        tx.commit().await?;
        self.team(team_id).await
    }

    /// Dissolves a team on a date: its members are marked as having left that day, and kept in its history.
    pub async fn dissolve_team(
        &self,
        team_id: i64,
        expected_version: i64,
        on: NaiveDate,
        actor: &Actor,
    ) -> Result<Team, StoreError> {
        let _turn = self.writer_turn().await;
        let mut tx = self.pool.begin().await?;
        let state = editable_team(&mut tx, team_id, expected_version).await?;
        let before = snapshot(&mut tx, ObjectKind::Team, team_id).await?;
        let stamp = now();
        let leaving: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, full_name FROM members WHERE team_id = $1 AND left_on IS NULL",
        )
        .bind(team_id)
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE members SET left_on = $1, version = version + 1, updated_at = $2 \
             WHERE team_id = $3 AND left_on IS NULL",
        )
        .bind(date_text(on))
        .bind(&stamp)
        .bind(team_id)
        .execute(&mut *tx)
        .await?;
        for (member_id, name) in leaving {
            unindex(
                &mut tx,
                &state.province_code,
                Kind::Member,
                &member_id.to_string(),
                &name,
            )
            .await?;
        }
        sqlx::query(
            "UPDATE teams SET status = 'dissolved', dissolved_on = $1, version = version + 1, updated_at = $2 \
             WHERE id = $3",
        )
        .bind(date_text(on))
        .bind(&stamp)
        .bind(team_id)
        .execute(&mut *tx)
        .await?;
        refresh_team(&mut tx, team_id).await?;
        let place = state.place(team_id);
        record_change(
            &mut tx,
            actor,
            "team.dissolve",
            ObjectKind::Team,
            team_id,
            place,
            before,
        )
        .await?;
        tx.commit().await?;
        self.team(team_id).await
    }
}

impl TeamState {
    pub(crate) fn place(&self, team_id: i64) -> Place<'_> {
        Place {
            province_code: &self.province_code,
            commune_code: &self.commune_code,
            team_id: Some(team_id),
        }
    }
}
