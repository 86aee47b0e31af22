//! Changing teams: create (with the leader an active team always has), rename, move to another commune,
//! dissolve. Each is one [`Write`]: versioned, audited.

use crate::audit::{Action, Actor, ObjectKind, Place};
use crate::counts::{refresh_commune_stats, refresh_team};
use crate::json_rows::{insert_rows, reserve_ids, Column};
use crate::members::{insert_member, phones_elsewhere};
use crate::search::{index_name, reindex, unindex, IndexEntry, Kind, PendingTerms};
use crate::sql::date_text;
use crate::stored::parse_stored;
use crate::write::{Versioned, Write};
use crate::PhoneHolder;
use crate::{Store, StoreError, Team};
use chrono::NaiveDate;
use cnscd_domain::collation::sort_key;
use cnscd_domain::member::ValidMember;
use cnscd_domain::role::Role;
use cnscd_domain::team::{team_match_key, TeamStatus, ValidTeam};
use cnscd_domain::FieldError;
use sqlx::{AnyConnection, Row};

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

/// A team row written in bulk (imports, demo data): rules were checked by the caller.
pub(crate) struct TeamRow<'a> {
    pub name: &'a str,
    pub note: &'a str,
    pub status: TeamStatus,
    pub dissolved_on: Option<NaiveDate>,
}

/// Inserts a commune's teams in bulk and adds their names to `terms` (written by the caller); returns their
/// ids in order.
pub(crate) async fn insert_team_rows(
    conn: &mut AnyConnection,
    stamp: &str,
    province_code: &str,
    commune_code: &str,
    rows: &[TeamRow<'_>],
    terms: &mut PendingTerms,
) -> Result<Vec<i64>, StoreError> {
    let ids = reserve_ids(conn, "teams", rows.len()).await?;
    let values: Vec<_> = rows
        .iter()
        .zip(&ids)
        .map(|(team, id)| {
            (
                id,
                commune_code,
                team.name,
                sort_key(team.name),
                team.note,
                team.status.code(),
                team.dissolved_on.map(date_text),
                stamp,
                stamp,
            )
        })
        .collect();
    insert_rows(
        conn,
        "teams",
        &[
            ("id", Column::Int),
            ("commune_code", Column::Text),
            ("name", Column::Text),
            ("sort_key", Column::Text),
            ("note", Column::Text),
            ("status", Column::Text),
            ("dissolved_on", Column::Text),
            ("created_at", Column::Text),
            ("updated_at", Column::Text),
        ],
        &values,
    )
    .await?;
    for (team, id) in rows.iter().zip(&ids) {
        terms.add(&IndexEntry {
            province_code,
            kind: Kind::Team,
            ref_id: id.to_string(),
            name: team.name,
        });
    }
    Ok(ids)
}

/// The team's place, name, status and version, read inside a writing transaction.
pub(crate) struct TeamState {
    pub id: i64,
    pub province_code: String,
    pub commune_code: String,
    pub name: String,
    pub status: TeamStatus,
    pub version: i64,
}

impl TeamState {
    pub(crate) fn place(&self) -> Place<'_> {
        Place {
            province_code: &self.province_code,
            commune_code: Some(&self.commune_code),
            team_id: Some(self.id),
        }
    }

    /// The team as the version the caller read: its update applies only if no one saved it since.
    pub(crate) fn versioned(&self, version: i64) -> Versioned {
        Versioned {
            table: "teams",
            what: "tổ",
            id: self.id,
            version,
        }
    }
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
    Ok(TeamState {
        id: team_id,
        province_code: row.try_get("province_code")?,
        commune_code: row.try_get("commune_code")?,
        name: row.try_get("name")?,
        status: parse_stored(&row, "status", TeamStatus::from_code)?,
        version: row.try_get("version")?,
    })
}

pub(crate) fn require_active(state: &TeamState) -> Result<(), StoreError> {
    match state.status {
        TeamStatus::Active => Ok(()),
        TeamStatus::Dissolved => Err(FieldError::new(
            "team",
            "team_dissolved",
            "Tổ đã giải thể: không thay đổi được thành viên hay thông tin của tổ.",
        )
        .into()),
    }
}

/// An active team, locked for this change, that has not changed since `expected_version` (a stale version is
/// refused here before any work; the versioned update that follows holds it against a simultaneous save).
pub(crate) async fn editable_team(
    w: &mut Write,
    team_id: i64,
    expected_version: i64,
) -> Result<TeamState, StoreError> {
    w.lock("teams", team_id).await?;
    let state = team_state(w, team_id).await?;
    if state.version != expected_version {
        return Err(StoreError::Conflict {
            current_version: state.version,
        });
    }
    require_active(&state)?;
    Ok(state)
}

/// Two active teams of a commune cannot share a name however it is written (`Tổ CNSCĐ thôn 1`, `thôn 1`,
/// `THÔN 1`): imports match teams by that key and could not tell them apart. The commune is locked first so that
/// two simultaneous creations cannot both pass.
pub(crate) async fn ensure_name_free(
    w: &mut Write,
    commune_code: &str,
    name: &str,
    except: Option<i64>,
) -> Result<(), StoreError> {
    w.lock_commune(commune_code).await?;
    let key = team_match_key(name);
    let active: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM teams WHERE commune_code = $1 AND status = 'active'")
            .bind(commune_code)
            .fetch_all(&mut **w)
            .await?;
    if let Some((_, existing)) = active
        .iter()
        .find(|(id, other)| Some(*id) != except && team_match_key(other) == key)
    {
        return Err(StoreError::Duplicate(FieldError::new(
            "name",
            "team_name_taken",
            format!(
                "Xã/phường đã có tổ «{existing}»: «{name}» là cùng một tên. Mỗi tổ cần một tên riêng; nếu đó \
                 đúng là tổ này, hãy mở tổ đã có để sửa."
            ),
        )));
    }
    Ok(())
}

impl Store {
    /// Creates an active team with its leader: an active team always has one.
    pub async fn create_team(
        &self,
        commune_code: &str,
        team: &ValidTeam,
        leader: &ValidMember,
        actor: &Actor,
    ) -> Result<(Team, Vec<PhoneHolder>), StoreError> {
        let mut w = self.write(actor).await?;
        let province = province_of_commune(&mut w, commune_code).await?;
        ensure_name_free(&mut w, commune_code, &team.name, None).await?;
        let stamp = w.stamp();
        let team_id: i64 = sqlx::query_scalar(
            "INSERT INTO teams (commune_code, name, sort_key, note, status, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'active', 1, $5, $5) RETURNING id",
        )
        .bind(commune_code)
        .bind(&team.name)
        .bind(sort_key(&team.name))
        .bind(&team.note)
        .bind(&stamp)
        .fetch_one(&mut *w)
        .await?;
        index_name(
            &mut w,
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
        let member_id = insert_member(&mut w, &province, team_id, &leader).await?;
        refresh_team(&mut w, team_id).await?;
        let place = Place {
            province_code: &province,
            commune_code: Some(commune_code),
            team_id: Some(team_id),
        };
        w.audit_record(Action::TeamCreate, team_id, place, None)
            .await?;
        w.audit_record(Action::MemberCreate, member_id, place, None)
            .await?;
        let warnings = phones_elsewhere(&mut w, leader.phone.as_ref(), member_id).await?;
        w.commit().await?;
        Ok((self.team(team_id).await?, warnings))
    }

    /// Renames a team or changes its note, unless someone saved it since version `expected_version`.
    pub async fn update_team(
        &self,
        team_id: i64,
        expected_version: i64,
        team: &ValidTeam,
        actor: &Actor,
    ) -> Result<Team, StoreError> {
        let mut w = self.write(actor).await?;
        let state = editable_team(&mut w, team_id, expected_version).await?;
        ensure_name_free(&mut w, &state.commune_code, &team.name, Some(team_id)).await?;
        let before = w.snapshot(ObjectKind::Team, team_id).await?;
        let (name, key, note) = (team.name.clone(), sort_key(&team.name), team.note.clone());
        w.update_versioned(
            state.versioned(expected_version),
            "name = $1, sort_key = $2, note = $3",
            |q| q.bind(name).bind(key).bind(note),
        )
        .await?;
        reindex(
            &mut w,
            &state.province_code,
            Kind::Team,
            &team_id.to_string(),
            &team.name,
        )
        .await?;
        w.audit_record(Action::TeamUpdate, team_id, state.place(), before)
            .await?;
        w.commit().await?;
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
        let mut w = self.write(actor).await?;
        let state = editable_team(&mut w, team_id, expected_version).await?;
        let before = w.snapshot(ObjectKind::Team, team_id).await?;
        let target_province = province_of_commune(&mut w, commune_code)
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
        ensure_name_free(&mut w, commune_code, &state.name, Some(team_id)).await?;
        let target = commune_code.to_string();
        w.update_versioned(
            state.versioned(expected_version),
            "commune_code = $1",
            |q| q.bind(target),
        )
        .await?;
        let place = Place {
            commune_code: Some(commune_code),
            ..state.place()
        };
        refresh_commune_stats(&mut w, &state.commune_code).await?;
        refresh_commune_stats(&mut w, commune_code).await?;
        w.audit_record(Action::TeamMove, team_id, place, before)
            .await?;
        w.commit().await?;
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
        let mut w = self.write(actor).await?;
        let state = editable_team(&mut w, team_id, expected_version).await?;
        let before = w.snapshot(ObjectKind::Team, team_id).await?;
        w.update_versioned(
            state.versioned(expected_version),
            "status = 'dissolved', dissolved_on = $1",
            |q| q.bind(date_text(on)),
        )
        .await?;
        let leaving: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM members WHERE team_id = $1 AND left_on IS NULL")
                .bind(team_id)
                .fetch_all(&mut *w)
                .await?;
        let mut member_befores = Vec::with_capacity(leaving.len());
        for member_id in &leaving {
            member_befores.push(w.snapshot(ObjectKind::Member, *member_id).await?);
        }
        let stamp = w.stamp();
        sqlx::query(
            "UPDATE members SET left_on = $1, version = version + 1, updated_at = $2 \
             WHERE team_id = $3 AND left_on IS NULL",
        )
        .bind(date_text(on))
        .bind(&stamp)
        .bind(team_id)
        .execute(&mut *w)
        .await?;
        for (member_id, before) in leaving.iter().zip(member_befores) {
            let id = member_id.to_string();
            unindex(&mut w, Kind::Member, &id).await?;
            w.audit_record(Action::MemberLeave, *member_id, state.place(), before)
                .await?;
        }
        refresh_team(&mut w, team_id).await?;
        w.audit_record(Action::TeamDissolve, team_id, state.place(), before)
            .await?;
        w.commit().await?;
        self.team(team_id).await
    }
}
