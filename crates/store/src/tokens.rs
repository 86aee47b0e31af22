//! Personal API tokens: created by their owner (or the CLI), shown once, stored as a digest, revoked at once.

use crate::accounts::{user_from_row, User, USER_COLUMNS, USER_FROM};
use crate::audit::{Action, Actor, Change};
use crate::secrets::{digest, random_token};
use crate::{Store, StoreError};
use chrono::Duration;
use cnscd_domain::clock::parse_stamp;
use cnscd_domain::FieldError;
use sqlx::Row;

/// A personal API token as its owner sees it in the list (never the secret itself).
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    /// The first characters, to recognise it.
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

const TOKEN_PREFIX: &str = "cnscd_";
/// A token's "last used" is written at most this often, so that API calls do not all write.
const LAST_USED_PRECISION_MINUTES: i64 = 5;

impl Store {
    /// Creates a personal API token; the secret is returned once and only its digest kept.
    pub async fn create_api_token(
        &self,
        user: &User,
        name: &str,
        actor: &Actor,
    ) -> Result<(ApiToken, String), StoreError> {
        let name = cnscd_domain::text::clean_text(name);
        if name.is_empty() || name.chars().count() > 80 {
            return Err(FieldError::new(
                "name",
                "token_name_invalid",
                "Đặt tên cho khoá (tối đa 80 ký tự), ví dụ «Tập lệnh báo cáo tuần».",
            )
            .into());
        }
        let secret = format!("{TOKEN_PREFIX}{}", random_token());
        let prefix: String = secret.chars().take(TOKEN_PREFIX.len() + 6).collect();
        let mut w = self.write(actor).await?;
        let stamp = w.stamp();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user.id)
        .bind(&name)
        .bind(digest(&secret))
        .bind(&prefix)
        .bind(stamp)
        .fetch_one(&mut *w)
        .await?;
        w.audit(Change {
            action: Action::ApiTokenCreate,
            object_id: id.to_string(),
            province_code: &user.province_code,
            commune_code: user.commune_code.as_deref(),
            team_id: None,
            before: None,
            after: Some(
                serde_json::json!({"name": name, "prefix": prefix, "owner": user.username}),
            ),
        })
        .await?;
        w.commit().await?;
        let token = self
            .api_tokens(user.id)
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or(StoreError::NotFound("khoá API"))?;
        Ok((token, secret))
    }

    pub async fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens \
             WHERE user_id = $1 ORDER BY id DESC",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ApiToken {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    prefix: row.try_get("prefix")?,
                    created_at: row.try_get("created_at")?,
                    last_used_at: row.try_get("last_used_at")?,
                    revoked_at: row.try_get("revoked_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Revokes one of the user's own tokens; it stops working at once.
    pub async fn revoke_api_token(
        &self,
        user: &User,
        token_id: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut w = self.write(actor).await?;
        let stamp = w.stamp();
        let revoked = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        )
        .bind(stamp)
        .bind(token_id)
        .bind(user.id)
        .execute(&mut *w)
        .await?;
        if revoked.rows_affected() == 0 {
            return Err(StoreError::NotFound("khoá API"));
        }
        w.audit(Change {
            action: Action::ApiTokenRevoke,
            object_id: token_id.to_string(),
            province_code: &user.province_code,
            commune_code: user.commune_code.as_deref(),
            team_id: None,
            before: None,
            after: None,
        })
        .await?;
        w.commit().await
    }

    /// The enabled account owning a current (not revoked) API token.
    pub async fn token_user(&self, secret: &str) -> Result<Option<User>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, t.id AS token_id, t.last_used_at AS token_used_at {USER_FROM} \
             JOIN api_tokens t ON t.user_id = u.id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = 0"
        );
        let Some(row) = sqlx::query(&sql)
            .bind(digest(secret))
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let used_at: Option<String> = row.try_get("token_used_at")?;
        let now = self.clock.now();
        let stale = used_at
            .as_deref()
            .and_then(parse_stamp)
            .is_none_or(|at| now - at > Duration::minutes(LAST_USED_PRECISION_MINUTES));
        if stale {
            let mut w = self.housekeeping().await?;
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(self.clock.stamp())
                .bind(row.try_get::<i64, _>("token_id")?)
                .execute(&mut *w)
                .await?;
            w.commit().await?;
        }
        Ok(Some(user_from_row(&row)?))
    }
}
