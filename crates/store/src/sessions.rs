//! Signing in: throttled password checks and sessions kept in the database (so several server processes share
//! them). Only digests of session tokens are stored. API tokens are in `tokens.rs`.

use crate::accounts::{user_from_row, User, USER_COLUMNS};
use crate::secrets::{digest, random_token, verify_password_bounded};
use crate::{Store, StoreError};
use chrono::Duration;
use cnscd_domain::account::{login_blocked, THROTTLE_WINDOW_MINUTES};
use cnscd_domain::clock::{parse_stamp, stamp};
use sqlx::Row;

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

/// How long failed sign-ins are kept (the throttle looks back [`THROTTLE_WINDOW_MINUTES`]).
const FAILURES_KEPT_DAYS: i64 = 1;

impl Store {
    /// Checks a username and password unless too many attempts failed recently; opens a session on success.
    ///
    /// The attempt is recorded before the password is checked and counted with every attempt recorded before
    /// it, so that of many attempts sent at once only the first few are checked; a success removes the
    /// account's recorded attempts.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        address: &str,
        lifetime: Duration,
    ) -> Result<LoginOutcome, StoreError> {
        let key = username.trim().to_lowercase();
        let now = self.clock.now();
        // Committed before counting: an attempt sees itself and every attempt committed before it.
        let mut w = self.housekeeping().await?;
        sqlx::query("INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3)")
            .bind(&key)
            .bind(address)
            .bind(stamp(now))
            .execute(&mut *w)
            .await?;
        w.commit().await?;
        let since = stamp(now - Duration::minutes(THROTTLE_WINDOW_MINUTES));
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
        let stored = found.as_ref().map(|(_, hash)| hash.clone());
        let matches = verify_password_bounded(password, stored).await?;
        let mut w = self.housekeeping().await?;
        let outcome = match found {
            Some((user_id, _)) if matches => {
                sqlx::query("DELETE FROM login_failures WHERE username = $1")
                    .bind(&key)
                    .execute(&mut *w)
                    .await?;
                sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
                    .bind(stamp(now))
                    .bind(user_id)
                    .execute(&mut *w)
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
                .bind(stamp(now))
                .bind(stamp(now + lifetime))
                .execute(&mut *w)
                .await?;
                // Sessions nobody used within their lifetime are gone for good.
                sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                    .bind(stamp(now))
                    .execute(&mut *w)
                    .await?;
                let user = crate::accounts::user_in(&mut w, user_id).await?;
                LoginOutcome::SignedIn {
                    user: Box::new(user),
                    session,
                }
            }
            _ => {
                sqlx::query("DELETE FROM login_failures WHERE at < $1")
                    .bind(stamp(now - Duration::days(FAILURES_KEPT_DAYS)))
                    .execute(&mut *w)
                    .await?;
                LoginOutcome::Refused
            }
        };
        w.commit().await?;
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
        let now = self.clock.now();
        let Some(expires_at) = parse_stamp(&expires_at).filter(|at| *at > now) else {
            return Ok(None);
        };
        // Extending at most once per tenth of the lifetime keeps reads from writing.
        if expires_at - now < lifetime - lifetime / 10 {
            let mut w = self.housekeeping().await?;
            sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
                .bind(stamp(now + lifetime))
                .bind(&token_hash)
                .execute(&mut *w)
                .await?;
            w.commit().await?;
        }
        Ok(Some(SessionUser {
            user: user_from_row(&row)?,
            csrf_token: row.try_get("csrf_token")?,
        }))
    }

    pub async fn end_session(&self, token: &str) -> Result<(), StoreError> {
        let mut w = self.housekeeping().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(digest(token))
            .execute(&mut *w)
            .await?;
        w.commit().await
    }
}
