//! Members: what a member is as pages and the API read it, and how lists of members are read. Changes are in
//! `write.rs`; phones shared with other members in `phones.rs`.

mod phones;
mod write;

pub use phones::PhoneHolder;
pub(crate) use phones::{holders_of, phones_elsewhere};
pub(crate) use write::{insert_member, insert_member_rows, MemberRow};

use crate::sql::{date_text, fetch_page, Conditions, Value};
use crate::stored::{optional_date, parse_stored};
use crate::{Page, PageRequest, Store, StoreError};
use chrono::NaiveDate;
use cnscd_domain::phone::Phone;
use cnscd_domain::role::Role;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone)]
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

/// A saved member and the other active members who hold the same phone (a warning, not an error).
#[derive(Debug, Clone)]
pub struct MemberSaved {
    pub member: Member,
    pub shared_with: Vec<PhoneHolder>,
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
/// Active members first, then in Vietnamese order (given name, family name, middle name).
const MEMBER_ORDER: &str = "(CASE WHEN m.left_on IS NULL THEN 0 ELSE 1 END), m.sort_key, m.id";

fn member_from_row(row: &AnyRow) -> Result<Member, sqlx::Error> {
    Ok(Member {
        id: row.try_get("id")?,
        team_id: row.try_get("team_id")?,
        team_name: row.try_get("team_name")?,
        province_code: row.try_get("province_code")?,
        commune_code: row.try_get("commune_code")?,
        commune_name: row.try_get("commune_name")?,
        full_name: row.try_get("full_name")?,
        role: parse_stored(row, "role", Role::from_code)?,
        phone: row.try_get("phone")?,
        note: row.try_get("note")?,
        joined_on: optional_date(row, "joined_on")?,
        left_on: optional_date(row, "left_on")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub(crate) async fn member_in(
    conn: &mut AnyConnection,
    member_id: i64,
) -> Result<Member, StoreError> {
    let sql = format!("SELECT {MEMBER_COLUMNS} {MEMBER_FROM} WHERE m.id = $1");
    let row = sqlx::query(&sql)
        .bind(member_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("thành viên"))?;
    Ok(member_from_row(&row)?)
}

impl Store {
    pub async fn member(&self, member_id: i64) -> Result<Member, StoreError> {
        let mut conn = self.pool.acquire().await?;
        member_in(&mut conn, member_id).await
    }

    /// Every member of one team (a team holds at most the province's maximum at a time, and its former members),
    /// active ones first, each in Vietnamese order.
    pub async fn team_members(
        &self,
        team_id: i64,
        include_left: bool,
    ) -> Result<Vec<Member>, StoreError> {
        let only_active = if include_left {
            ""
        } else {
            "AND m.left_on IS NULL"
        };
        let sql = format!(
            "SELECT {MEMBER_COLUMNS} {MEMBER_FROM} WHERE m.team_id = $1 {only_active} ORDER BY {MEMBER_ORDER}"
        );
        let rows = sqlx::query(&sql)
            .bind(team_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(member_from_row).collect::<Result<_, _>>()?)
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
        let (total, rows) = fetch_page(
            &self.pool,
            &conditions,
            MEMBER_COLUMNS,
            MEMBER_FROM,
            MEMBER_ORDER,
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
