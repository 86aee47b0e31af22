//! The letterheads of official documents: the Department's (no commune) and each commune's.

use crate::audit::{Action, Actor, Change};
use crate::{Store, StoreError};
use cnscd_domain::official::Letterhead;
use sqlx::{AnyConnection, Row};

const FIELDS: &str =
    "parent_body, body, number_suffix, place, signer_capacity, signer_title, signer_name, archive";

async fn letterhead_in(
    conn: &mut AnyConnection,
    province_code: &str,
    commune_code: &str,
) -> Result<Option<Letterhead>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {FIELDS} FROM letterheads WHERE province_code = $1 AND commune_code = $2"
    ))
    .bind(province_code)
    .bind(commune_code)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| {
        Ok(Letterhead {
            parent_body: row.try_get("parent_body")?,
            body: row.try_get("body")?,
            number_suffix: row.try_get("number_suffix")?,
            place: row.try_get("place")?,
            signer_capacity: row.try_get("signer_capacity")?,
            signer_title: row.try_get("signer_title")?,
            signer_name: row.try_get("signer_name")?,
            archive: row.try_get("archive")?,
        })
    })
    .transpose()
}

impl Store {
    /// The saved letterhead of the Department (`commune_code` `None`) or of a commune, if one was saved.
    pub async fn letterhead(
        &self,
        province_code: &str,
        commune_code: Option<&str>,
    ) -> Result<Option<Letterhead>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        letterhead_in(&mut conn, province_code, commune_code.unwrap_or("")).await
    }

    /// Saves a letterhead whole (the last one saved holds: it is a setting, not a versioned record).
    pub async fn set_letterhead(
        &self,
        province_code: &str,
        commune_code: Option<&str>,
        letterhead: &Letterhead,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut w = self.write(actor).await?;
        let key = commune_code.unwrap_or("");
        if let Some(code) = commune_code {
            w.lock_commune(code).await?;
        }
        let before = letterhead_in(&mut w, province_code, key).await?;
        let stamp = w.stamp();
        sqlx::query(&format!(
            "INSERT INTO letterheads (province_code, commune_code, {FIELDS}, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (province_code, commune_code) DO UPDATE SET parent_body = $3, body = $4, \
               number_suffix = $5, place = $6, signer_capacity = $7, signer_title = $8, signer_name = $9, \
               archive = $10, updated_by = $11, updated_at = $12"
        ))
        .bind(province_code)
        .bind(key)
        .bind(&letterhead.parent_body)
        .bind(&letterhead.body)
        .bind(&letterhead.number_suffix)
        .bind(&letterhead.place)
        .bind(&letterhead.signer_capacity)
        .bind(&letterhead.signer_title)
        .bind(&letterhead.signer_name)
        .bind(&letterhead.archive)
        .bind(&actor.username)
        .bind(&stamp)
        .execute(&mut *w)
        .await?;
        let values = |l: &Letterhead| serde_json::to_value(l).unwrap_or_default();
        w.audit(Change {
            action: Action::LetterheadSet,
            object_id: commune_code.unwrap_or(province_code).to_string(),
            province_code,
            commune_code,
            team_id: None,
            before: before.as_ref().map(values),
            after: Some(values(letterhead)),
        })
        .await?;
        w.commit().await
    }
}
