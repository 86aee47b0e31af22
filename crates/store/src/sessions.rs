//! Signing in: throttled password checks, sessions kept in the database (so several server processes share
//! them) and personal API tokens. Only digests of session and API tokens are stored.

use crate::accounts::{user_from_row, User, USER_COLUMNS, USER_FROM};
use crate::audit::{record, Actor, Change, ObjectKind};
use crate::secrets::{digest, random_token, verify_password};
use crate::sql::now;
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use cnscd_domain::account::{login_blocked, THROTTLE_WINDOW_MINUTES};
use cnscd_domain::FieldError;
use serde::Serialize;
use sqlx::Row;

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_stamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A session just opened: the token goes into the cookie, and is never stored as such.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
}

#[derive(Debug)]
pub enum LoginOutcome {
    SignedIn {
        user: Box<User>,
        session: NewSession,
    },
    /// Wrong username or password (deliberately not saying which).
    Refused,
    /// Too many failures recently for this username or from this address.
    Throttled,
}

/// A signed-in browser: the account and the token its forms must carry.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: User,
    pub csrf_token: String,
}

/// A personal API token as its owner sees it in the list (never the secret itself).
#[derive(Debug, Clone, Serialize)]
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
    /// Checks a username and password unless too many attempts failed recently; opens a session on success.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        address: &str,
        lifetime: Duration,
    ) -> Result<LoginOutcome, StoreError> {
        let key = username.trim().to_lowercase();
        let since = stamp(Utc::now() - Duration::minutes(THROTTLE_WINDOW_MINUTES));
        let count = |column: &'static str, value: String| {
            let since = since.clone();
            async move {
                let sql =
                    format!("SELECT COUNT(*) FROM login_failures WHERE {column} = $1 AND at >= $2");
                sqlx::query_scalar::<_, i64>(&sql)
                    .bind(value)
                    .bind(since)
                    .fetch_one(&self.pool)
                    .await
            }
        };
        let for_account = count("username", key.clone()).await?;
        let from_address = count("address", address.to_string()).await?;
        if login_blocked(for_account, from_address) {
            return Ok(LoginOutcome::Throttled);
        }
        let found: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, password_hash FROM users WHERE username = $1 AND disabled = 0",
        )
        .bind(&key)
        .fetch_optional(&self.pool)
        .await?;
        let candidate = password.to_string();
        let stored = found.as_ref().map(|(_, hash)| hash.clone());
        // Argon2 takes tens of milliseconds of CPU: off the async workers.
        let matches =
            tokio::task::spawn_blocking(move || verify_password(&candidate, stored.as_deref()))
                .await
                .unwrap_or(false);
        let _turn = self.writer_turn().await;
        let mut tx = self.pool.begin().await?;
        let outcome = match found {
            Some((user_id, _)) if matches => {
                sqlx::query("DELETE FROM login_failures WHERE username = $1")
                    .bind(&key)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
                    .bind(now())
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                let session = NewSession {
                    token: random_token(),
                    csrf_token: random_token(),
                };
                sqlx::query(
                    "INSERT INTO sessions (token_hash, user_id, csrf_token, address, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(digest(&session.token))
                .bind(user_id)
                .bind(&session.csrf_token)
                .bind(address)
                .bind(now())
                .bind(stamp(Utc::now() + lifetime))
                .execute(&mut *tx)
                .await?;
                let user = crate::accounts::user_in(&mut tx, user_id).await?;
                LoginOutcome::SignedIn {
                    user: Box::new(user),
                    session,
                }
            }
            _ => {
                sqlx::query(
                    "INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3)",
                )
                .bind(&key)
                .bind(address)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM login_failures WHERE at < $1")
                    .bind(stamp(Utc::now() - Duration::days(1)))
                    .execute(&mut *tx)
                    .await?;
                LoginOutcome::Refused
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// The account behind a session cookie, if the session is current and the account enabled. A session in
    /// use is extended, so it expires after `lifetime` without activity.
    pub async fn session(
        &self,
        token: &str,
        lifetime: Duration,
    ) -> Result<Option<SessionUser>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.csrf_token, s.expires_at FROM sessions s \
             JOIN users u ON u.id = s.user_id \
             JOIN provinces p ON p.code = u.province_code LEFT JOIN communes c ON c.code = u.commune_code \
             WHERE s.token_hash = $1 AND u.disabled = 0"
        );
        let token_hash = digest(token);
        let Some(row) = sqlx::query(&sql)
            .bind(&token_hash)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let expires_at: String = row.try_get("expires_at")?;
        let now = Utc::now();
        let Some(expires_at) = parse_stamp(&expires_at).filter(|at| *at > now) else {
            return Ok(None);
        };
        // Extending at most once per tenth of the lifetime keeps reads from writing.
        if expires_at - now < lifetime - lifetime / 10 {
            let _turn = self.writer_turn().await;
            sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
                .bind(stamp(now + lifetime))
                .bind(&token_hash)
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(SessionUser {
            user: user_from_row(&row)?,
            csrf_token: row.try_get("csrf_token")?,
        }))
    }

    pub async fn end_session(&self, token: &str) -> Result<(), StoreError> {
        let _turn = self.writer_turn().await;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(digest(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

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
        let _turn = self.writer_turn().await;
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user.id)
        .bind(&name)
        .bind(digest(&secret))
        .bind(&prefix)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                action: "api_token.create",
                kind: ObjectKind::ApiToken,
                object_id: id.to_string(),
                province_code: &user.province_code,
                commune_code: user.commune_code.as_deref(),
                team_id: None,
                before: None,
                after: Some(
                    serde_json::json!({"name": name, "prefix": prefix, "owner": user.username}),
                ),
            },
        )
        .await?;
        tx.commit().await?;
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
        let _turn = self.writer_turn().await;
        let mut tx = self.pool.begin().await?;
        let revoked = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(token_id)
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
        if revoked.rows_affected() == 0 {
            return Err(StoreError::NotFound("khoá API"));
        }
        record(
            &mut tx,
            actor,
            Change {
                action: "api_token.revoke",
                kind: ObjectKind::ApiToken,
                object_id: token_id.to_string(),
                province_code: &user.province_code,
                commune_code: user.commune_code.as_deref(),
                team_id: None,
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
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
        let stale = used_at
            .as_deref()
            .and_then(parse_stamp)
            .is_none_or(|at| Utc::now() - at > Duration::minutes(LAST_USED_PRECISION_MINUTES));
        if stale {
            let _turn = self.writer_turn().await;
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now())
                .bind(row.try_get::<i64, _>("token_id")?)
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(user_from_row(&row)?))
    }
}
