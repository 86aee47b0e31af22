//! Changing members: add, edit, make leader, leave (kept in history with the date). Every change locks the
//! member's team first, so the size and one-leader rules, checked by counting, hold when officers save at the
//! same moment.

use super::phones::phones_elsewhere;
use super::{member_in, Member, MemberSaved};
use crate::audit::{Action, Actor, ObjectKind};
use crate::counts::refresh_team;
use crate::json_rows::{insert_rows, reserve_ids, Column};
use crate::search::{index_name, reindex, unindex, IndexEntry, Kind, PendingTerms};
use crate::settings::team_rules_in;
use crate::sql::date_text;
use crate::teams::{require_active, team_state, TeamState};
use crate::write::{Versioned, Write};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use cnscd_domain::member::ValidMember;
use cnscd_domain::person_name::person_sort_key;
use cnscd_domain::role::Role;
use cnscd_domain::rules::check_leaders;
use cnscd_domain::FieldError;
use sqlx::AnyConnection;

/// Inserts an active member (rules already checked by the caller) and indexes the name for search.
pub(crate) async fn insert_member(
    w: &mut Write,
    province_code: &str,
    team_id: i64,
    member: &ValidMember,
) -> Result<i64, StoreError> {
    let stamp = w.stamp();
    let joined_on = member.joined_on.unwrap_or_else(|| w.clock().today());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO members (team_id, full_name, sort_key, role, phone, note, joined_on, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id",
    )
    .bind(team_id)
    .bind(member.name.as_str())
    .bind(member.name.sort_key())
    .bind(member.role.code())
    .bind(member.phone.as_ref().map(|p| p.as_str().to_string()))
    .bind(&member.note)
    .bind(date_text(joined_on))
    .bind(&stamp)
    .fetch_one(&mut **w)
    .await?;
    index_name(
        w,
        province_code,
        Kind::Member,
        &id.to_string(),
        member.name.as_str(),
    )
    .await?;
    Ok(id)
}

/// A member row written in bulk (imports, demo data): rules were checked by the caller.
pub(crate) struct MemberRow {
    pub team_id: i64,
    pub full_name: String,
    pub role: Role,
    pub phone: Option<String>,
    pub note: String,
    pub joined_on: Option<NaiveDate>,
    pub left_on: Option<NaiveDate>,
}

/// Inserts members in bulk and adds the active ones' names to `terms` (written by the caller, with the rest
/// of the change's names); returns their ids in order.
pub(crate) async fn insert_member_rows(
    conn: &mut AnyConnection,
    stamp: &str,
    province_code: &str,
    rows: &[MemberRow],
    terms: &mut PendingTerms,
) -> Result<Vec<i64>, StoreError> {
    let ids = reserve_ids(conn, "members", rows.len()).await?;
    let values: Vec<_> = rows
        .iter()
        .zip(&ids)
        .map(|(m, id)| {
            (
                id,
                m.team_id,
                &m.full_name,
                person_sort_key(&m.full_name),
                m.role.code(),
                &m.phone,
                &m.note,
                m.joined_on.map(date_text),
                m.left_on.map(date_text),
                stamp,
                stamp,
            )
        })
        .collect();
    insert_rows(
        conn,
        "members",
        &[
            ("id", Column::Int),
            ("team_id", Column::Int),
            ("full_name", Column::Text),
            ("sort_key", Column::Text),
            ("role", Column::Text),
            ("phone", Column::Text),
            ("note", Column::Text),
            ("joined_on", Column::Text),
            ("left_on", Column::Text),
            ("created_at", Column::Text),
            ("updated_at", Column::Text),
        ],
        &values,
    )
    .await?;
    for (m, id) in rows.iter().zip(&ids) {
        if m.left_on.is_none() {
            terms.add(&IndexEntry {
                province_code,
                kind: Kind::Member,
                ref_id: id.to_string(),
                name: &m.full_name,
            });
        }
    }
    Ok(ids)
}

async fn active_count(
    conn: &mut AnyConnection,
    team_id: i64,
    role: Option<Role>,
) -> Result<i64, StoreError> {
    let count = match role {
        Some(role) => sqlx::query_scalar(
            "SELECT COUNT(*) FROM members WHERE team_id = $1 AND left_on IS NULL AND role = $2",
        )
        .bind(team_id)
        .bind(role.code()),
        None => sqlx::query_scalar(
            "SELECT COUNT(*) FROM members WHERE team_id = $1 AND left_on IS NULL",
        )
        .bind(team_id),
    }
    .fetch_one(&mut *conn)
    .await?;
    Ok(count)
}

fn versioned(member_id: i64, version: i64) -> Versioned {
    Versioned {
        table: "members",
        what: "thành viên",
        id: member_id,
        version,
    }
}

/// An active member of an active team, unchanged since `expected_version`, with its team locked for the change.
async fn editable_member(
    w: &mut Write,
    member_id: i64,
    expected_version: i64,
) -> Result<(Member, TeamState), StoreError> {
    let team_id = member_in(w, member_id).await?.team_id;
    w.lock("teams", team_id).await?;
    let current = member_in(w, member_id).await?;
    if current.version != expected_version {
        return Err(StoreError::Conflict {
            current_version: current.version,
        });
    }
    if !current.is_active() {
        return Err(FieldError::new(
            "member",
            "member_left",
            "Người này đã rời tổ: không sửa được nữa.",
        )
        .into());
    }
    let state = team_state(w, team_id).await?;
    require_active(&state)?;
    Ok((current, state))
}

impl Store {
    /// Adds a member to an active team, within the province's size limit and with at most one leader.
    pub async fn add_member(
        &self,
        team_id: i64,
        member: &ValidMember,
        actor: &Actor,
    ) -> Result<MemberSaved, StoreError> {
        let mut w = self.write(actor).await?;
        w.lock("teams", team_id).await?;
        let state = team_state(&mut w, team_id).await?;
        require_active(&state)?;
        let rules = team_rules_in(&mut w, &state.province_code).await?;
        rules.check_size(active_count(&mut w, team_id, None).await? + 1)?;
        if member.role == Role::Leader {
            check_leaders(active_count(&mut w, team_id, Some(Role::Leader)).await? + 1)?;
        }
        let id = insert_member(&mut w, &state.province_code, team_id, member).await?;
        refresh_team(&mut w, team_id).await?;
        w.audit_record(Action::MemberCreate, id, state.place(), None)
            .await?;
        let shared_with = phones_elsewhere(&mut w, member.phone.as_ref(), id).await?;
        let saved = MemberSaved {
            member: member_in(&mut w, id).await?,
            shared_with,
        };
        w.commit().await?;
        Ok(saved)
    }

    /// Edits a member unless someone saved it since `expected_version`. The leader cannot be demoted here
    /// (that would leave the team without one): name another leader with [`Store::make_leader`].
    pub async fn update_member(
        &self,
        member_id: i64,
        expected_version: i64,
        member: &ValidMember,
        actor: &Actor,
    ) -> Result<MemberSaved, StoreError> {
        let mut w = self.write(actor).await?;
        let (current, state) = editable_member(&mut w, member_id, expected_version).await?;
        let before = w.snapshot(ObjectKind::Member, member_id).await?;
        let leaders = active_count(&mut w, current.team_id, Some(Role::Leader)).await?;
        match (current.role == Role::Leader, member.role == Role::Leader) {
            (true, false) => check_leaders(leaders - 1)?,
            (false, true) => check_leaders(leaders + 1)?,
            _ => {}
        }
        let values = (
            member.name.as_str().to_string(),
            member.name.sort_key(),
            member.role.code(),
            member.phone.as_ref().map(|p| p.as_str().to_string()),
            member.note.clone(),
            member.joined_on.map(date_text),
        );
        w.update_versioned(
            versioned(member_id, expected_version),
            "full_name = $1, sort_key = $2, role = $3, phone = $4, note = $5, joined_on = COALESCE($6, joined_on)",
            |q| {
                let (name, key, role, phone, note, joined) = values;
                q.bind(name)
                    .bind(key)
                    .bind(role)
                    .bind(phone)
                    .bind(note)
                    .bind(joined)
            },
        )
        .await?;
        let id = member_id.to_string();
        reindex(
            &mut w,
            &state.province_code,
            Kind::Member,
            &id,
            member.name.as_str(),
        )
        .await?;
        refresh_team(&mut w, current.team_id).await?;
        w.audit_record(Action::MemberUpdate, member_id, state.place(), before)
            .await?;
        let shared_with = phones_elsewhere(&mut w, member.phone.as_ref(), member_id).await?;
        let saved = MemberSaved {
            member: member_in(&mut w, member_id).await?,
            shared_with,
        };
        w.commit().await?;
        Ok(saved)
    }

    /// Makes a member the team's leader; the previous leader becomes an ordinary member, in one step.
    pub async fn make_leader(
        &self,
        member_id: i64,
        expected_version: i64,
        actor: &Actor,
    ) -> Result<Member, StoreError> {
        let mut w = self.write(actor).await?;
        let (current, state) = editable_member(&mut w, member_id, expected_version).await?;
        let previous: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM members WHERE team_id = $1 AND role = 'leader' AND left_on IS NULL AND id <> $2",
        )
        .bind(current.team_id)
        .bind(member_id)
        .fetch_optional(&mut *w)
        .await?;
        if let Some(previous) = previous {
            let before = w.snapshot(ObjectKind::Member, previous).await?;
            let version: i64 = sqlx::query_scalar("SELECT version FROM members WHERE id = $1")
                .bind(previous)
                .fetch_one(&mut *w)
                .await?;
            w.update_versioned(versioned(previous, version), "role = 'member'", |q| q)
                .await?;
            w.audit_record(Action::MemberMakeLeader, previous, state.place(), before)
                .await?;
        }
        let before = w.snapshot(ObjectKind::Member, member_id).await?;
        w.update_versioned(
            versioned(member_id, expected_version),
            "role = 'leader'",
            |q| q,
        )
        .await?;
        refresh_team(&mut w, current.team_id).await?;
        w.audit_record(Action::MemberMakeLeader, member_id, state.place(), before)
            .await?;
        let member = member_in(&mut w, member_id).await?;
        w.commit().await?;
        Ok(member)
    }

    /// Records that a member left the team on a date. The member stays in the team's history. The leader of an
    /// active team cannot leave before another leader is named.
    pub async fn member_leaves(
        &self,
        member_id: i64,
        expected_version: i64,
        on: NaiveDate,
        actor: &Actor,
    ) -> Result<Member, StoreError> {
        let mut w = self.write(actor).await?;
        let (current, state) = editable_member(&mut w, member_id, expected_version).await?;
        if current.role == Role::Leader {
            return Err(FieldError::new(
                "role",
                "leader_missing",
                "Đây là tổ trưởng: hãy đặt người khác làm tổ trưởng trước khi cho người này rời tổ.",
            )
            .into());
        }
        if current.joined_on.is_some_and(|joined| on < joined) {
            return Err(FieldError::new(
                "left_on",
                "date_invalid",
                "Ngày rời tổ không được trước ngày vào tổ.",
            )
            .into());
        }
        let before = w.snapshot(ObjectKind::Member, member_id).await?;
        w.update_versioned(
            versioned(member_id, expected_version),
            "left_on = $1",
            |q| q.bind(date_text(on)),
        )
        .await?;
        let id = member_id.to_string();
        unindex(&mut w, Kind::Member, &id).await?;
        refresh_team(&mut w, current.team_id).await?;
        w.audit_record(Action::MemberLeave, member_id, state.place(), before)
            .await?;
        let member = member_in(&mut w, member_id).await?;
        w.commit().await?;
        Ok(member)
    }
}
