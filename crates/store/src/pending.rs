//! Uploaded files waiting between the import preview and its application.

use crate::sql::now;
use crate::{Store, StoreError};
use chrono::{Duration, SecondsFormat, Utc};
use rand::RngCore;
use sqlx::Row;

/// How long an uploaded file waits for the officer to apply it.
const KEPT_FOR_HOURS: i64 = 24;

pub struct PendingImport {
    pub file_name: String,
    pub content: Vec<u8>,
}

impl Store {
    /// Keeps an uploaded file and returns the unguessable token that applies it. Older uploads are dropped.
    pub async fn save_pending_import(
        &self,
        province_code: &str,
        file_name: &str,
        content: &[u8],
    ) -> Result<String, StoreError> {
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let expired = (Utc::now() - Duration::hours(KEPT_FOR_HOURS))
            .to_rfc3339_opts(SecondsFormat::Secs, true);
        let _turn = self.writer_turn().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM pending_imports WHERE created_at < $1")
            .bind(expired)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO pending_imports (token, province_code, file_name, content, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&token)
            .bind(province_code)
            .bind(file_name)
            .bind(content.to_vec())
            .bind(now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(token)
    }

    pub async fn pending_import(
        &self,
        province_code: &str,
        token: &str,
    ) -> Result<PendingImport, StoreError> {
        let row = sqlx::query("SELECT file_name, content FROM pending_imports WHERE token = $1 AND province_code = $2")
            .bind(token)
            .bind(province_code)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("tệp chờ nhập (có thể đã nhập hoặc quá 24 giờ)"))?;
        Ok(PendingImport {
            file_name: row.try_get("file_name")?,
            content: row.try_get("content")?,
        })
    }

    pub async fn delete_pending_import(&self, token: &str) -> Result<(), StoreError> {
        let _turn = self.writer_turn().await;
        sqlx::query("DELETE FROM pending_imports WHERE token = $1")
            .bind(token)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
