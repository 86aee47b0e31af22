//! Training classes and their registrations, as pages and the API read them. Changes are in `write.rs`.

mod write;

use crate::rounds::{instant, optional_instant};
use crate::stored::{parse_optional, parse_stored};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use cnscd_domain::role::Role;
use cnscd_domain::training::{Attendance, Audience, Seat};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone)]
pub struct TrainingClass {
    pub id: i64,
    pub province_code: String,
    pub topic: String,
    pub content: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: String,
    pub online_link: String,
    pub capacity: i64,
    pub audience: Audience,
    pub registration_deadline: DateTime<Utc>,
    pub trainer: String,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub created_by: String,
    pub version: i64,
    /// Registrations holding a seat, waiting, and marked present.
    pub seated: i64,
    pub waiting: i64,
    pub present: i64,
}

impl TrainingClass {
    pub fn is_cancelled(&self) -> bool {
        self.cancelled_at.is_some()
    }

    pub fn free_seats(&self) -> i64 {
        (self.capacity - self.seated).max(0)
    }
}

/// One person registered for a class, with what the Department needs to reach her.
#[derive(Debug, Clone)]
pub struct Registration {
    pub id: i64,
    pub class_id: i64,
    pub member_id: i64,
    pub full_name: String,
    pub role: Role,
    pub phone: Option<String>,
    pub team_id: i64,
    pub team_name: String,
    pub commune_code: String,
    pub commune_name: String,
    pub seat: Seat,
    pub attendance: Option<Attendance>,
    pub registered_by: String,
    pub registered_at: String,
    /// Flags, not removals: she left her team, or the team was dissolved, after registering.
    pub member_left: bool,
    pub team_dissolved: bool,
}

const CLASS_COLUMNS: &str = "k.id, k.province_code, k.topic, k.content, k.starts_at, k.ends_at, k.venue, \
    k.online_link, k.capacity, k.audience, k.registration_deadline, k.trainer, k.cancelled_at, k.cancel_reason, \
    k.created_by, k.version, \
    (SELECT COUNT(*) FROM training_registrations r WHERE r.class_id = k.id AND r.seat = 'seated') AS seated, \
    (SELECT COUNT(*) FROM training_registrations r WHERE r.class_id = k.id AND r.seat = 'waiting') AS waiting, \
    (SELECT COUNT(*) FROM training_registrations r WHERE r.class_id = k.id AND r.seat = 'seated' \
       AND r.attendance = 'present') AS present";

fn class_from_row(row: &AnyRow) -> Result<TrainingClass, sqlx::Error> {
    Ok(TrainingClass {
        id: row.try_get("id")?,
        province_code: row.try_get("province_code")?,
        topic: row.try_get("topic")?,
        content: row.try_get("content")?,
        starts_at: instant(row, "starts_at")?,
        ends_at: instant(row, "ends_at")?,
        venue: row.try_get("venue")?,
        online_link: row.try_get("online_link")?,
        capacity: row.try_get("capacity")?,
        audience: parse_stored(row, "audience", Audience::from_code)?,
        registration_deadline: instant(row, "registration_deadline")?,
        trainer: row.try_get("trainer")?,
        cancelled_at: optional_instant(row, "cancelled_at")?,
        cancel_reason: row.try_get("cancel_reason")?,
        created_by: row.try_get("created_by")?,
        version: row.try_get("version")?,
        seated: row.try_get("seated")?,
        waiting: row.try_get("waiting")?,
        present: row.try_get("present")?,
    })
}

const REGISTRATION_COLUMNS: &str = "r.id, r.class_id, r.member_id, m.full_name, m.role, m.phone, m.team_id, \
    t.name AS team_name, r.commune_code, c.name AS commune_name, r.seat, r.attendance, r.registered_by, \
    r.registered_at, CASE WHEN m.left_on IS NULL THEN 0 ELSE 1 END AS member_left, \
    CASE WHEN t.status = 'active' THEN 0 ELSE 1 END AS team_dissolved";
const REGISTRATION_FROM: &str =
    "FROM training_registrations r JOIN members m ON m.id = r.member_id \
    JOIN teams t ON t.id = m.team_id JOIN communes c ON c.code = r.commune_code";

fn registration_from_row(row: &AnyRow) -> Result<Registration, sqlx::Error> {
    Ok(Registration {
        id: row.try_get("id")?,
        class_id: row.try_get("class_id")?,
        member_id: row.try_get("member_id")?,
        full_name: row.try_get("full_name")?,
        role: parse_stored(row, "role", Role::from_code)?,
        phone: row.try_get("phone")?,
        team_id: row.try_get("team_id")?,
        team_name: row.try_get("team_name")?,
        commune_code: row.try_get("commune_code")?,
        commune_name: row.try_get("commune_name")?,
        seat: parse_stored(row, "seat", Seat::from_code)?,
        attendance: parse_optional(row, "attendance", Attendance::from_code)?,
        registered_by: row.try_get("registered_by")?,
        registered_at: row.try_get("registered_at")?,
        member_left: row.try_get::<i64, _>("member_left")? != 0,
        team_dissolved: row.try_get::<i64, _>("team_dissolved")? != 0,
    })
}

pub(crate) async fn class_in(
    conn: &mut AnyConnection,
    class_id: i64,
) -> Result<TrainingClass, StoreError> {
    let sql = format!("SELECT {CLASS_COLUMNS} FROM training_classes k WHERE k.id = $1");
    let row = sqlx::query(&sql)
        .bind(class_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("lớp tập huấn"))?;
    Ok(class_from_row(&row)?)
}

pub(crate) async fn registration_in(
    conn: &mut AnyConnection,
    registration_id: i64,
) -> Result<Registration, StoreError> {
    let sql = format!("SELECT {REGISTRATION_COLUMNS} {REGISTRATION_FROM} WHERE r.id = $1");
    let row = sqlx::query(&sql)
        .bind(registration_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("đăng ký"))?;
    Ok(registration_from_row(&row)?)
}

impl Store {
    pub async fn training_class(&self, class_id: i64) -> Result<TrainingClass, StoreError> {
        let mut conn = self.pool.acquire().await?;
        class_in(&mut conn, class_id).await
    }

    /// A province's classes, the next to start first, then those past (latest first).
    pub async fn training_classes(
        &self,
        province_code: &str,
    ) -> Result<Vec<TrainingClass>, StoreError> {
        let sql = format!(
            "SELECT {CLASS_COLUMNS} FROM training_classes k WHERE k.province_code = $1 ORDER BY k.starts_at DESC, k.id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(province_code)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(class_from_row)
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)
    }

    pub async fn registration(&self, registration_id: i64) -> Result<Registration, StoreError> {
        let mut conn = self.pool.acquire().await?;
        registration_in(&mut conn, registration_id).await
    }

    /// A class's live registrations (seated, then waiting in order), of one commune or all; withdrawn ones
    /// when `with_withdrawn`.
    pub async fn class_registrations(
        &self,
        class_id: i64,
        commune_code: Option<&str>,
        with_withdrawn: bool,
    ) -> Result<Vec<Registration>, StoreError> {
        let mut sql =
            format!("SELECT {REGISTRATION_COLUMNS} {REGISTRATION_FROM} WHERE r.class_id = $1");
        if !with_withdrawn {
            sql.push_str(" AND r.seat <> 'withdrawn'");
        }
        if commune_code.is_some() {
            sql.push_str(" AND r.commune_code = $2");
        }
        sql.push_str(
            // Seated by commune and name; the waiting list in its order (who moves up next first).
            " ORDER BY CASE r.seat WHEN 'seated' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END, \
               CASE WHEN r.seat = 'waiting' THEN r.id ELSE 0 END, c.sort_key, m.sort_key, r.id",
        );
        let mut query = sqlx::query(&sql).bind(class_id);
        if let Some(code) = commune_code {
            query = query.bind(code);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(registration_from_row)
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)
    }

    /// Every registration of some members (their training history), newest class first.
    pub async fn member_trainings(
        &self,
        member_ids: &[i64],
    ) -> Result<Vec<(Registration, TrainingClass)>, StoreError> {
        if member_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids = member_ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {REGISTRATION_COLUMNS} {REGISTRATION_FROM} WHERE r.member_id IN ({ids}) AND r.seat <> 'withdrawn' \
             ORDER BY r.id DESC"
        );
        let mut conn = self.pool.acquire().await?;
        let registrations = sqlx::query(&sql)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(registration_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        if registrations.is_empty() {
            return Ok(Vec::new());
        }
        // Their classes in one reading, not one per registration.
        let mut class_ids: Vec<String> = registrations
            .iter()
            .map(|r| r.class_id.to_string())
            .collect();
        class_ids.sort();
        class_ids.dedup();
        let sql = format!(
            "SELECT {CLASS_COLUMNS} FROM training_classes k WHERE k.id IN ({})",
            class_ids.join(", ")
        );
        let classes: std::collections::HashMap<i64, TrainingClass> = sqlx::query(&sql)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|row| class_from_row(row).map(|c| (c.id, c)))
            .collect::<Result<_, _>>()?;
        Ok(registrations
            .into_iter()
            .filter_map(|r| {
                let class = classes.get(&r.class_id)?.clone();
                Some((r, class))
            })
            .collect())
    }

    /// Communes of the province with no live registration in the class, in the province's order.
    pub async fn communes_without_registration(
        &self,
        class_id: i64,
        province_code: &str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.code, c.name FROM communes c WHERE c.province_code = $1 AND NOT EXISTS \
               (SELECT 1 FROM training_registrations r WHERE r.class_id = $2 AND r.commune_code = c.code \
                  AND r.seat <> 'withdrawn') ORDER BY c.sort_key",
        )
        .bind(province_code)
        .bind(class_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("code")?, row.try_get("name")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Active leaders and deputies (of active teams) marked present at least once: the province's, or one
    /// commune's.
    pub async fn leaders_trained(
        &self,
        province_code: &str,
        commune_code: Option<&str>,
    ) -> Result<i64, StoreError> {
        let mut sql = String::from(
            "SELECT COUNT(DISTINCT m.id) FROM training_registrations r JOIN members m ON m.id = r.member_id \
             JOIN teams t ON t.id = m.team_id JOIN communes c ON c.code = t.commune_code \
             WHERE c.province_code = $1 AND r.attendance = 'present' AND m.left_on IS NULL \
               AND t.status = 'active' AND m.role IN ('leader', 'deputy')",
        );
        if commune_code.is_some() {
            sql.push_str(" AND c.code = $2");
        }
        let mut query = sqlx::query(&sql).bind(province_code);
        if let Some(code) = commune_code {
            query = query.bind(code);
        }
        let row = query.fetch_one(&self.pool).await?;
        Ok(row.try_get(0)?)
    }
}
