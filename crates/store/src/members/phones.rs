//! Phones held by more than one active member. Sharing a phone is allowed (a warning), but who else holds a
//! number is personal data: the store says who, and the caller's scope decides how much of it to show.

use crate::connect::Backend;
use crate::json_rows::{select_values, to_json, Column};
use crate::{Store, StoreError};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// An active member of an active team holding a phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneHolder {
    /// National form, e.g. `0914994123`.
    pub phone: String,
    pub member_id: i64,
    pub member_name: String,
    pub team_id: i64,
    pub team_name: String,
    pub province_code: String,
    pub commune_code: String,
    pub commune_name: String,
}

const HOLDER_COLUMNS: &str =
    "m.phone, m.id AS member_id, m.full_name AS member_name, t.id AS team_id, \
    t.name AS team_name, c.province_code, c.code AS commune_code, c.name AS commune_name";
const HOLDER_FROM: &str = "FROM members m JOIN teams t ON t.id = m.team_id \
    JOIN communes c ON c.code = t.commune_code";
/// Enough holders of one number to warn about it; a number shared more widely is not made longer to read.
const HOLDERS_SHOWN: i64 = 20;

fn holder_from_row(row: &AnyRow) -> Result<PhoneHolder, sqlx::Error> {
    Ok(PhoneHolder {
        phone: row.try_get("phone")?,
        member_id: row.try_get("member_id")?,
        member_name: row.try_get("member_name")?,
        team_id: row.try_get("team_id")?,
        team_name: row.try_get("team_name")?,
        province_code: row.try_get("province_code")?,
        commune_code: row.try_get("commune_code")?,
        commune_name: row.try_get("commune_name")?,
    })
}

/// Other active members of active teams holding `phone`, anywhere in the installation.
pub(crate) async fn phones_elsewhere(
    conn: &mut AnyConnection,
    phone: Option<&cnscd_domain::phone::Phone>,
    member_id: i64,
) -> Result<Vec<PhoneHolder>, StoreError> {
    let Some(phone) = phone else {
        return Ok(Vec::new());
    };
    let sql = format!(
        "SELECT {HOLDER_COLUMNS} {HOLDER_FROM} WHERE m.phone = $1 AND m.left_on IS NULL AND m.id <> $2 \
         AND t.status = 'active' ORDER BY m.id LIMIT {HOLDERS_SHOWN}"
    );
    let rows = sqlx::query(&sql)
        .bind(phone.as_str())
        .bind(member_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().map(holder_from_row).collect::<Result<_, _>>()?)
}

/// Active members of active teams outside `communes` holding any of `phones` (for an import's warnings: the
/// file's own communes are the file's business).
pub(crate) async fn holders_of(
    conn: &mut AnyConnection,
    phones: &[String],
    communes: &[&str],
) -> Result<Vec<PhoneHolder>, StoreError> {
    if phones.is_empty() {
        return Ok(Vec::new());
    }
    let backend = Backend::of(conn);
    let sql = format!(
        "SELECT {HOLDER_COLUMNS} {HOLDER_FROM} WHERE m.phone IS NOT NULL AND m.left_on IS NULL \
         AND t.status = 'active' AND m.phone IN ({}) AND t.commune_code NOT IN ({}) ORDER BY m.id",
        select_values(backend, 1, Column::Text),
        select_values(backend, 2, Column::Text)
    );
    let rows = sqlx::query(&sql)
        .bind(to_json(phones)?)
        .bind(to_json(communes)?)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().map(holder_from_row).collect::<Result<_, _>>()?)
}

impl Store {
    /// For each active member of a team whose phone another active member also holds: who that is.
    pub async fn shared_phones_in_team(
        &self,
        team_id: i64,
    ) -> Result<Vec<(i64, PhoneHolder)>, StoreError> {
        let sql = format!(
            "SELECT o.id AS of_member, {HOLDER_COLUMNS} FROM members o \
             JOIN members m ON m.phone = o.phone AND m.id <> o.id AND m.left_on IS NULL \
             JOIN teams t ON t.id = m.team_id JOIN communes c ON c.code = t.commune_code \
             WHERE o.team_id = $1 AND o.left_on IS NULL AND t.status = 'active' ORDER BY o.id, m.id"
        );
        let rows = sqlx::query(&sql)
            .bind(team_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("of_member")?, holder_from_row(row)?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }
}
