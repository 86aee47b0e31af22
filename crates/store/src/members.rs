//! Members: add, edit, make leader, leave (kept in history with the date), list.

use crate::audit::{record_change, snapshot, Actor, ObjectKind};
use crate::counts::refresh_team;
use crate::search::{index_name, index_names, reindex, unindex, IndexEntry, Kind};
use crate::settings::team_rules_in;
use crate::sql::{date_text, fetch_page, now, parse_date, values_list, Conditions, Value};
use crate::teams::{check_version, require_active, team_state, TeamState};
use crate::{Page, PageRequest, Store, StoreError};
use chrono::{NaiveDate, Utc};
use cnscd_domain::member::ValidMember;
use cnscd_domain::person_name::person_sort_key;
use cnscd_domain::phone::Phone;
use cnscd_domain::role::Role;
use cnscd_domain::rules::check_leaders;
use cnscd_domain::FieldError;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub id: i64,
    pub team_id: i64,
    pub team_name: String,
    pub province_code: String,
    pub commune_code: String,
    pub commune_name: String,
    pub full_name: String,
    pub role: Role,
    /// National form, e.g. `0914994123`.
    pub phone: Option<String>,
    pub note: String,
    pub joined_on: Option<NaiveDate>,
    /// The day the member left the team; empty while active.
    pub left_on: Option<NaiveDate>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl Member {
    pub fn phone_grouped(&self) -> Option<String> {
        self.phone.clone().map(|p| Phone::from_stored(p).grouped())
    }

    pub fn is_active(&self) -> bool {
        self.left_on.is_none()
    }
}

/// The same phone held by another active member: a warning, not an error.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneElsewhere {
    pub member_id: i64,
    pub member_name: String,
    pub team_id: i64,
    pub team_name: String,
    pub commune_name: String,
    pub message: String,
}

/// A saved member and the warnings the save raised.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberSaved {
    pub member: Member,
    pub warnings: Vec<PhoneElsewhere>,
}

/// Which members to list.
#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    pub province_code: Option<String>,
    pub commune_code: Option<String>,
    pub team_id: Option<i64>,
    pub role: Option<Role>,
    /// Members active on this day (joined on or before it and not left by then): allowances are paid from it.
    pub active_on: Option<NaiveDate>,
    /// Include members who have left (ignored when `active_on` is given).
    pub include_left: bool,
}

const MEMBER_COLUMNS: &str = "m.id, m.team_id, t.name AS team_name, c.province_code, t.commune_code, c.name AS commune_name, \
    m.full_name, m.role, m.phone, m.note, m.joined_on, m.left_on, m.version, m.created_at, m.updated_at";
const MEMBER_FROM: &str =
    "FROM members m JOIN teams t ON t.id = m.team_id JOIN communes c ON c.code = t.commune_code";

fn member_from_row(row: &AnyRow) -> Result<Member, sqlx::Error> {
    let role: String = row.try_get("role")?;
    Ok(Member {
        id: row.try_get("id")?,
        team_id: row.try_get("team_id")?,
        team_name: row.try_get("team_name")?,
        province_code: row.try_get("province_code")?,
        commune_code: row.try_get("commune_code")?,
        commune_name: row.try_get("commune_name")?,
        full_name: row.try_get("full_name")?,
        role: Role::from_code(&role).unwrap_or(Role::Member),
        phone: row.try_get("phone")?,
        note: row.try_get("note")?,
        joined_on: parse_date(row.try_get("joined_on")?),
        left_on: parse_date(row.try_get("left_on")?),
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Inserts an active member (rules already checked by the caller) and indexes the name for search.
pub(crate) async fn insert_member(
    conn: &mut AnyConnection,
    province_code: &str,
    team_id: i64,
    member: &ValidMember,
) -> Result<i64, StoreError> {
    let stamp = now();
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
    .bind(date_text(member.joined_on.unwrap_or_else(today)))
    .bind(&stamp)
    .fetch_one(&mut *conn)
    .await?;
    index_name(
        conn,
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

const MEMBERS_PER_INSERT: usize = 300;

/// Inserts members with multi-row INSERTs and indexes the active ones for search.
pub(crate) async fn insert_member_rows(
    conn: &mut AnyConnection,
    province_code: &str,
    rows: &[MemberRow],
) -> Result<(), StoreError> {
    let stamp = now();
    for chunk in rows.chunks(MEMBERS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO members (team_id, full_name, sort_key, role, phone, note, joined_on, left_on, version, \
             created_at, updated_at) VALUES {} RETURNING id, full_name, left_on",
            values_list(&*conn, chunk.len(), 11)
        );
        let mut query = sqlx::query_as::<_, (i64, String, Option<String>)>(&sql);
        for m in chunk {
            query = query
                .bind(m.team_id)
                .bind(m.full_name.clone())
                .bind(person_sort_key(&m.full_name))
                .bind(m.role.code())
                .bind(m.phone.clone())
                .bind(m.note.clone())
                .bind(m.joined_on.map(date_text))
                .bind(m.left_on.map(date_text))
                .bind(1_i64)
                .bind(stamp.clone())
                .bind(stamp.clone());
        }
        let inserted = query.fetch_all(&mut *conn).await?;
        let entries: Vec<IndexEntry> = inserted
            .iter()
            .filter(|(_, _, left_on)| left_on.is_none())
            .map(|(id, name, _)| IndexEntry {
                province_code,
                kind: Kind::Member,
                ref_id: id.to_string(),
                name,
            })
            .collect();
        index_names(conn, &entries).await?;
    }
    Ok(())
}

/// Other active members of active teams with the same phone.
pub(crate) async fn phones_elsewhere(
    conn: &mut AnyConnection,
    phone: Option<&Phone>,
    member_id: i64,
) -> Result<Vec<PhoneElsewhere>, StoreError> {
    let Some(phone) = phone else {
        return Ok(Vec::new());
    };
    let rows = sqlx::query(
        "SELECT m.id, m.full_name, t.id AS team_id, t.name AS team_name, c.name AS commune_name \
         FROM members m JOIN teams t ON t.id = m.team_id JOIN communes c ON c.code = t.commune_code \
         WHERE m.phone = $1 AND m.left_on IS NULL AND m.id <> $2 AND t.status = 'active' ORDER BY m.id LIMIT 20",
    )
    .bind(phone.as_str())
    .bind(member_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let member_name: String = row.try_get("full_name")?;
            let team_name: String = row.try_get("team_name")?;
            let commune_name: String = row.try_get("commune_name")?;
            Ok(PhoneElsewhere {
                message: shared_phone_message(phone, &member_name, &team_name, &commune_name),
                member_id: row.try_get("id")?,
                member_name,
                team_id: row.try_get("team_id")?,
                team_name,
                commune_name,
            })
        })
        .collect()
}

fn shared_phone_message(
    phone: &Phone,
    member_name: &str,
    team_name: &str,
    commune_name: &str,
) -> String {
    format!(
        "Số điện thoại {} trùng với {member_name} ({team_name}, {commune_name}).",
        phone.grouped()
    )
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

async fn member_in(conn: &mut AnyConnection, member_id: i64) -> Result<Member, StoreError> {
    let sql = format!("SELECT {MEMBER_COLUMNS} {MEMBER_FROM} WHERE m.id = $1");
    let row = sqlx::query(&sql)
        .bind(member_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("thành viên"))?;
    Ok(member_from_row(&row)?)
}

/// An active member of an active team, unchanged since `expected_version`, read in a writing transaction.
async fn editable_member(
    conn: &mut AnyConnection,
    member_id: i64,
    expected_version: i64,
) -> Result<(Member, TeamState), StoreError> {
    let current = member_in(conn, member_id).await?;
    check_version(current.version, expected_version)?;
    if !current.is_active() {
        return Err(FieldError::new(
            "member",
            "member_left",
            "Người này đã rời tổ: không sửa được nữa.",
        )
        .into());
    }
    let state = team_state(conn, current.team_id).await?;
    require_active(&state)?;
    Ok((current, state))
}

impl Store {
    pub async fn member(&self, member_id: i64) -> Result<Member, StoreError> {
        let mut conn = self.pool.acquire().await?;
        member_in(&mut conn, member_id).await
    }

    /// Adds a member to an active team, within the province's size limit and with at most one leader.
    pub async fn add_member(
        &self,
        team_id: i64,
        member: &ValidMember,
        actor: &Actor,
    ) -> Result<MemberSaved, StoreError> {
        let _turn = self.writer_turn().await;
        let mut tx = self.pool.begin().await?;
        let state = team_state(&mut tx, team_id).await?;
        require_active(&state)?;
        let rules = team_rules_in(&mut tx, &state.province_code).await?;
        rules.check_size(active_count(&mut tx, team_id, None).await? + 1)?;
        if member.role == Role::Leader {
            check_leaders(active_count(&mut tx, team_id, Some(Role::Leader)).await? + 1)?;
        }
        let id = insert_member(&mut tx, &state.province_code, team_id, member).await?;
        refresh_team(&mut tx, team_id).await?;
        let place = state.place(team_id);
        record_change(
            &mut tx,
            actor,
            "member.create",
            ObjectKind::Member,
            id,
            place,
            None,
        )
        .await?;
        let warnings = phones_elsewhere(&mut tx, member.phone.as_ref(), id).await?;
        let saved = MemberSaved {
            member: member_in(&mut tx, id).await?,
            warnings,
        };
        tx.commit().await?;
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
        let _turn = self.writer_turn().await;
        let mut tx = self.pool.begin().await?;
        let (current, state) = editable_member(&mut tx, member_id, expected_version).await?;
        let before = snapshot(&mut tx, ObjectKind::Member, member_id).await?;
        let leaders = active_count(&mut tx, current.team_id, Some(Role::Leader)).await?;
        match (current.role == Role::Leader, member.role == Role::Leader) {
            (true, false) => check_leaders(leaders - 1)?,
            (false, true) => check_leaders(leaders + 1)?,
            _ => {}
        }
        sqlx::query(
            "UPDATE members SET full_name = $1, sort_key = $2, role = $3, phone = $4, note = $5, \
             joined_on = COALESCE($6, joined_on), version = version + 1, updated_at = $7 WHERE id = $8",
        )
        .bind(member.name.as_str())
        .bind(member.name.sort_key())
        .bind(member.role.code())
        .bind(member.phone.as_ref().map(|p| p.as_str().to_string()))
        .bind(&member.note)
        .bind(member.joined_on.map(date_text))
        .bind(now())
        .bind(member_id)
        .execute(&mut *tx)
        .await?;
        reindex(
            &mut tx,
            &state.province_code,
            Kind::Member,
            &member_id.to_string(),
            &current.full_name,
            member.name.as_str(),
        )
        .await?;
        let warnings = phones_elsewhere(&mut tx, member.phone.as_ref(), member_id).await?;
        let saved = MemberSaved {
            member: member_in(&mut tx, member_id).await?,
            warnings,
        };
        refresh_team(&mut tx, current.team_id).await?;
        let place = state.place(current.team_id);
        let kind = ObjectKind::Member;
        record_change(
            &mut tx,
            actor,
            "member.update",
            kind,
            member_id,
            place,
            before,
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Makes a member the team's leader; the previous leader becomes an ordinary member, in one step.
    pub async fn make_leader(
        &self,
        member_id: i64,
        expected_version: i64,
        actor: &Actor,
    ) -> Result<Member, StoreError> {
        let _turn = self.writer_turn().await;
        let mut tx = self.pool.begin().await?;
        let (current, state) = editable_member(&mut tx, member_id, expected_version).await?;
        let previous: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM members WHERE team_id = $1 AND role = 'leader' AND left_on IS NULL AND id <> $2",
        )
        .bind(current.team_id)
        .bind(member_id)
        .fetch_optional(&mut *tx)
        .await?;
        let mut befores = Vec::new();
        for id in previous.into_iter().chain([member_id]) {
            befores.push((id, snapshot(&mut tx, ObjectKind::Member, id).await?));
        }
        let stamp = now();
        sqlx::query(
            "UPDATE members SET role = 'member', version = version + 1, updated_at = $1 \
             WHERE team_id = $2 AND role = 'leader' AND left_on IS NULL AND id <> $3",
        )
        .bind(&stamp)
        .bind(current.team_id)
        .bind(member_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE members SET role = 'leader', version = version + 1, updated_at = $1 WHERE id = $2")
            .bind(&stamp)
            .bind(member_id)
            .execute(&mut *tx)
            .await?;
        let member = member_in(&mut tx, member_id).await?;
        refresh_team(&mut tx, current.team_id).await?;
        for (id, before) in befores {
            let place = state.place(current.team_id);
            let kind = ObjectKind::Member;
            record_change(
                &mut tx,
                actor,
                "member.make_leader",
                kind,
                id,
                place,
                before,
            )
            .await?;
        }
        tx.commit().await?;
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
        let _turn = self.writer_turn().await;
        let mut tx = self.pool.begin().await?;
        let (current, state) = editable_member(&mut tx, member_id, expected_version).await?;
        let before = snapshot(&mut tx, ObjectKind::Member, member_id).await?;
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
        sqlx::query(
            "UPDATE members SET left_on = $1, version = version + 1, updated_at = $2 WHERE id = $3",
        )
        .bind(date_text(on))
        .bind(now())
        .bind(member_id)
        .execute(&mut *tx)
        .await?;
        unindex(
            &mut tx,
            &current.province_code,
            Kind::Member,
            &member_id.to_string(),
            &current.full_name,
        )
        .await?;
        let member = member_in(&mut tx, member_id).await?;
        refresh_team(&mut tx, current.team_id).await?;
        let place = state.place(current.team_id);
        let kind = ObjectKind::Member;
        record_change(
            &mut tx,
            actor,
            "member.leave",
            kind,
            member_id,
            place,
            before,
        )
        .await?;
        tx.commit().await?;
        Ok(member)
    }

    /// For each active member of a team whose phone another active member also holds: who that is.
    pub async fn shared_phones_in_team(
        &self,
        team_id: i64,
    ) -> Result<Vec<(i64, PhoneElsewhere)>, StoreError> {
        let rows = sqlx::query(
            "SELECT m.id AS member_id, m.phone, o.id, o.full_name, t.id AS team_id, t.name AS team_name, \
             c.name AS commune_name FROM members m \
             JOIN members o ON o.phone = m.phone AND o.id <> m.id AND o.left_on IS NULL \
             JOIN teams t ON t.id = o.team_id JOIN communes c ON c.code = t.commune_code \
             WHERE m.team_id = $1 AND m.left_on IS NULL AND t.status = 'active' ORDER BY m.id, o.id",
        )
        .bind(team_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let phone = Phone::from_stored(row.try_get("phone")?);
                let member_name: String = row.try_get("full_name")?;
                let team_name: String = row.try_get("team_name")?;
                let commune_name: String = row.try_get("commune_name")?;
                let message = shared_phone_message(&phone, &member_name, &team_name, &commune_name);
                Ok((
                    row.try_get("member_id")?,
                    PhoneElsewhere {
                        member_id: row.try_get("id")?,
                        member_name,
                        team_id: row.try_get("team_id")?,
                        team_name,
                        commune_name,
                        message,
                    },
                ))
            })
            .collect()
    }

    /// Members of one team in Vietnamese order (given name, family name, middle name), active ones first.
    pub async fn team_members(
        &self,
        team_id: i64,
        include_left: bool,
    ) -> Result<Vec<Member>, StoreError> {
        let filter = MemberFilter {
            team_id: Some(team_id),
            include_left,
            ..Default::default()
        };
        Ok(self
            .members(
                &filter,
                PageRequest::new(Some(1), Some(crate::page::MAX_PER_PAGE)),
            )
            .await?
            .items)
    }

    /// Members matching a filter, in Vietnamese order.
    pub async fn members(
        &self,
        filter: &MemberFilter,
        page: PageRequest,
    ) -> Result<Page<Member>, StoreError> {
        let mut conditions = Conditions::default();
        if let Some(province) = &filter.province_code {
            conditions.add("c.province_code = ?", Value::Text(province.clone()));
        }
        if let Some(commune) = &filter.commune_code {
            conditions.add("t.commune_code = ?", Value::Text(commune.clone()));
        }
        if let Some(team) = filter.team_id {
            conditions.add("m.team_id = ?", Value::Int(team));
        }
        if let Some(role) = filter.role {
            conditions.add("m.role = ?", Value::Text(role.code().to_string()));
        }
        match filter.active_on {
            Some(day) => {
                conditions.add(
                    "(m.joined_on IS NULL OR m.joined_on <= ?)",
                    Value::Text(date_text(day)),
                );
                conditions.add(
                    "(m.left_on IS NULL OR m.left_on > ?)",
                    Value::Text(date_text(day)),
                );
            }
            None if !filter.include_left => conditions.add_fixed("m.left_on IS NULL"),
            None => {}
        }
        let order = "(CASE WHEN m.left_on IS NULL THEN 0 ELSE 1 END), m.sort_key, m.id";
        let (total, rows) = fetch_page(
            &self.pool,
            &conditions,
            MEMBER_COLUMNS,
            MEMBER_FROM,
            order,
            page,
        )
        .await?;
        let items = rows.iter().map(member_from_row).collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            total,
            page: page.page,
            per_page: page.per_page,
        })
    }
}
