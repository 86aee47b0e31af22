//! Uploaded files waiting between the import preview and its application. Bounded: one waiting file per
//! account (a new preview replaces the previous one), kept two hours, and at most [`MAX_WAITING_BYTES`] in all.

use crate::audit::{Action, Actor, Change};
use crate::{Store, StoreError};
use chrono::Duration;
use cnscd_domain::clock::stamp;
use cnscd_domain::import_plan::ImportMode;
use rand::RngCore;
use sqlx::Row;

/// How long an uploaded file waits for the officer to apply it.
const KEPT_FOR_HOURS: i64 = 2;
/// All waiting files together: enough for a few whole-province files at the upload limit.
pub const MAX_WAITING_BYTES: i64 = 200 * 1024 * 1024;

pub struct PendingImport {
    pub file_name: String,
    pub content: Vec<u8>,
    /// How it is to be applied, as chosen when it was uploaded.
    pub mode: ImportMode,
}

impl Store {
    /// Keeps an uploaded file for `user_id` and returns the unguessable token that applies it. Expired uploads
    /// and the account's previous one are dropped; when the waiting files would exceed their bound, the
    /// upload is refused (`None`), to be tried again later.
    pub async fn save_pending_import(
        &self,
        user_id: i64,
        province_code: &str,
        file_name: &str,
        content: &[u8],
        mode: &str,
    ) -> Result<Option<String>, StoreError> {
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let now = self.clock.now();
        let mut w = self.housekeeping().await?;
        sqlx::query("DELETE FROM pending_imports WHERE created_at < $1 OR user_id = $2")
            .bind(stamp(now - Duration::hours(KEPT_FOR_HOURS)))
            .bind(user_id)
            .execute(&mut *w)
            .await?;
        let waiting: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM pending_imports",
        )
        .fetch_one(&mut *w)
        .await?;
        let size = content.len() as i64;
        if waiting + size > MAX_WAITING_BYTES {
            w.commit().await?;
            return Ok(None);
        }
        sqlx::query(
            "INSERT INTO pending_imports (token, province_code, file_name, content, created_at, user_id, size, mode) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&token)
        .bind(province_code)
        .bind(file_name)
        .bind(content.to_vec())
        .bind(stamp(now))
        .bind(user_id)
        .bind(size)
        .bind(mode)
        .execute(&mut *w)
        .await?;
        w.commit().await?;
        Ok(Some(token))
    }

    /// The file an account uploaded for preview, while it waits.
    pub async fn pending_import(
        &self,
        user_id: i64,
        token: &str,
    ) -> Result<PendingImport, StoreError> {
        let since = stamp(self.clock.now() - Duration::hours(KEPT_FOR_HOURS));
        let row = sqlx::query(
            "SELECT file_name, content, mode FROM pending_imports WHERE token = $1 AND user_id = $2 AND created_at >= $3",
        )
        .bind(token)
        .bind(user_id)
        .bind(since)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound(
            "tệp chờ nhập (có thể đã nhập, đã thay bằng tệp khác, hoặc đã quá 2 giờ)",
        ))?;
        Ok(PendingImport {
            file_name: row.try_get("file_name")?,
            content: row.try_get("content")?,
            mode: crate::stored::parse_stored(&row, "mode", ImportMode::from_code)?,
        })
    }

    /// Records that `actor` previewed a file: who looked at which file (the registry itself did not change).
    pub async fn record_import_preview(
        &self,
        actor: &Actor,
        province_code: &str,
        file_name: &str,
        token: &str,
    ) -> Result<(), StoreError> {
        let mut w = self.write(actor).await?;
        w.audit(Change {
            action: Action::ImportPreview,
            // Enough of the token to tell previews apart, not enough to apply one.
            object_id: token.chars().take(8).collect(),
            province_code,
            commune_code: None,
            team_id: None,
            before: None,
            after: Some(serde_json::json!({ "file": file_name })),
        })
        .await?;
        w.commit().await
    }
}
