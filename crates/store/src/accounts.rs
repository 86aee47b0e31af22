//! User accounts: created by an admin or the CLI, scoped to a province or one commune, disabled rather than
//! deleted (the audit log names them).

use crate::audit::{Action, Actor, Change, ObjectKind, Place};
use crate::secrets::hash_password_bounded;
use crate::stored::parse_stored;
use crate::write::{Versioned, Write};
use crate::{Store, StoreError};
use cnscd_domain::account::{check_password, Access, AccountRole, ValidAccount};
use cnscd_domain::phone::Phone;
use cnscd_domain::FieldError;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: AccountRole,
    pub province_code: String,
    pub province_name: String,
    pub commune_code: Option<String>,
    pub commune_name: Option<String>,
    /// National form (`0912345678`), if given.
    pub phone: Option<Phone>,
    pub email: Option<String>,
    pub disabled: bool,
    /// The password was set by someone else: the owner must change it before working.
    pub must_change_password: bool,
    pub version: i64,
    pub created_at: String,
    pub last_login_at: Option<String>,
}

impl User {
    pub fn access(&self) -> Access {
        Access {
            role: self.role,
            province_code: self.province_code.clone(),
            commune_code: self.commune_code.clone(),
        }
    }

    /// The author of the changes this user makes from an address.
    pub fn actor(&self, address: &str) -> Actor {
        Actor {
            user_id: Some(self.id),
            username: self.username.clone(),
            address: address.to_string(),
        }
    }

    fn place(&self) -> Place<'_> {
        Place {
            province_code: &self.province_code,
            commune_code: self.commune_code.as_deref(),
            team_id: None,
        }
    }
}

pub(crate) const USER_COLUMNS: &str = "u.id, u.username, u.full_name, u.role, u.province_code, \
    p.name AS province_name, u.commune_code, c.name AS commune_name, u.phone, u.email, u.disabled, u.must_change_password, \
    u.version, u.created_at, u.last_login_at";
pub(crate) const USER_FROM: &str = "FROM users u JOIN provinces p ON p.code = u.province_code \
    LEFT JOIN communes c ON c.code = u.commune_code";

pub(crate) fn user_from_row(row: &AnyRow) -> Result<User, sqlx::Error> {
    let disabled: i64 = row.try_get("disabled")?;
    let must_change: i64 = row.try_get("must_change_password")?;
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        full_name: row.try_get("full_name")?,
        role: parse_stored(row, "role", AccountRole::from_code)?,
        province_code: row.try_get("province_code")?,
        province_name: row.try_get("province_name")?,
        commune_code: row.try_get("commune_code")?,
        commune_name: row.try_get("commune_name")?,
        phone: row
            .try_get::<Option<String>, _>("phone")?
            .map(Phone::from_stored),
        email: row.try_get("email")?,
        disabled: disabled != 0,
        must_change_password: must_change != 0,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        last_login_at: row.try_get("last_login_at")?,
    })
}

pub(crate) async fn user_in(conn: &mut AnyConnection, user_id: i64) -> Result<User, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} {USER_FROM} WHERE u.id = $1");
    let row = sqlx::query(&sql)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("tài khoản"))?;
    Ok(user_from_row(&row)?)
}

/// An officer's commune must be one of the account's province.
async fn check_commune(
    conn: &mut AnyConnection,
    province_code: &str,
    commune_code: Option<&str>,
) -> Result<(), StoreError> {
    let Some(code) = commune_code else {
        return Ok(());
    };
    let province: Option<String> =
        sqlx::query_scalar("SELECT province_code FROM communes WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?;
    if province.as_deref() != Some(province_code) {
        return Err(FieldError::new(
            "commune_code",
            "commune_unknown",
            format!("Không có xã/phường mã «{code}» trong tỉnh."),
        )
        .into());
    }
    Ok(())
}

/// What an admin may change about an account.
#[derive(Debug, Clone)]
pub struct AccountChange {
    pub full_name: String,
    pub role: AccountRole,
    pub commune_code: Option<String>,
    pub phone: Option<Phone>,
    pub email: Option<String>,
    pub disabled: bool,
}

/// Ends every way an account is signed in: its browser sessions and its API tokens.
/// A password change or reset, or disabling the account, ends them all: whoever held the old password may
/// have made a token with it.
pub(crate) async fn end_sessions_of(w: &mut Write, user_id: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **w)
        .await?;
    let stamp = w.stamp();
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(stamp)
        .bind(user_id)
        .execute(&mut **w)
        .await?;
    Ok(())
}

async fn insert_user(
    w: &mut Write,
    province_code: &str,
    account: &ValidAccount,
    hash: String,
) -> Result<User, StoreError> {
    check_commune(w, province_code, account.commune_code.as_deref()).await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(&account.username)
        .fetch_optional(&mut **w)
        .await?;
    if taken.is_some() {
        return Err(FieldError::new(
            "username",
            "username_taken",
            format!(
                "Tên đăng nhập «{}» đã có người dùng; chọn tên khác.",
                account.username
            ),
        )
        .into());
    }
    let stamp = w.stamp();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, full_name, role, province_code, commune_code, phone, email, password_hash, \
         must_change_password, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id",
    )
    .bind(&account.username)
    .bind(&account.full_name)
    .bind(account.role.code())
    .bind(province_code)
    .bind(account.commune_code.as_deref())
    .bind(account.phone.as_ref().map(|p| p.as_str().to_string()))
    .bind(account.email.as_deref())
    .bind(hash)
    .bind(stamp)
    .fetch_one(&mut **w)
    .await?;
    let place = Place {
        province_code,
        commune_code: account.commune_code.as_deref(),
        team_id: None,
    };
    w.audit_record(Action::UserCreate, id, place, None).await?;
    user_in(w, id).await
}

impl Store {
    pub async fn create_user(
        &self,
        province_code: &str,
        account: &ValidAccount,
        actor: &Actor,
    ) -> Result<User, StoreError> {
        let hash = hash_password_bounded(&account.password).await?;
        let mut w = self.write(actor).await?;
        let user = insert_user(&mut w, province_code, account, hash).await?;
        w.commit().await?;
        Ok(user)
    }

    /// Creates many accounts at once (onboarding a province's communes): all of them or, if one cannot be
    /// created, none. Passwords are hashed one after another, not to hold every hashing slot of the server.
    pub async fn create_users(
        &self,
        province_code: &str,
        accounts: &[ValidAccount],
        actor: &Actor,
    ) -> Result<Vec<User>, StoreError> {
        let mut hashes = Vec::with_capacity(accounts.len());
        for account in accounts {
            hashes.push(hash_password_bounded(&account.password).await?);
        }
        let mut w = self.write(actor).await?;
        let mut users = Vec::with_capacity(accounts.len());
        for (account, hash) in accounts.iter().zip(hashes) {
            users.push(insert_user(&mut w, province_code, account, hash).await?);
        }
        w.commit().await?;
        Ok(users)
    }

    /// Every username in use, in any province (usernames are unique across the installation).
    pub async fn usernames(&self) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT username FROM users")
            .fetch_all(&self.pool)
            .await?)
    }

    pub async fn user(&self, user_id: i64) -> Result<User, StoreError> {
        let mut conn = self.pool.acquire().await?;
        user_in(&mut conn, user_id).await
    }

    pub async fn user_by_username(&self, username: &str) -> Result<User, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} {USER_FROM} WHERE u.username = $1");
        let row = sqlx::query(&sql)
            .bind(username.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("tài khoản"))?;
        Ok(user_from_row(&row)?)
    }

    /// How many accounts exist (none on a new installation).
    pub async fn user_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?)
    }

    /// The accounts of a province, by username.
    pub async fn users(&self, province_code: &str) -> Result<Vec<User>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS} {USER_FROM} WHERE u.province_code = $1 ORDER BY u.username"
        );
        let rows = sqlx::query(&sql)
            .bind(province_code)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(user_from_row).collect::<Result<_, _>>()?)
    }

    /// Changes an account's name, role, commune or whether it is disabled. A disabled account is signed out
    /// everywhere (sessions and API tokens).
    pub async fn update_user(
        &self,
        user_id: i64,
        expected_version: i64,
        change: &AccountChange,
        actor: &Actor,
    ) -> Result<User, StoreError> {
        let mut w = self.write(actor).await?;
        let current = user_in(&mut w, user_id).await?;
        check_commune(
            &mut w,
            &current.province_code,
            change.commune_code.as_deref(),
        )
        .await?;
        let before = w.snapshot(ObjectKind::User, user_id).await?;
        let values = (
            change.full_name.clone(),
            change.role.code(),
            change.commune_code.clone(),
            change.phone.as_ref().map(|p| p.as_str().to_string()),
            change.email.clone(),
            i64::from(change.disabled),
        );
        let record = Versioned {
            table: "users",
            what: "tài khoản",
            id: user_id,
            version: expected_version,
        };
        w.update_versioned(
            record,
            "full_name = $1, role = $2, commune_code = $3, phone = $4, email = $5, disabled = $6",
            |q| {
                let (name, role, commune, phone, email, disabled) = values;
                q.bind(name)
                    .bind(role)
                    .bind(commune)
                    .bind(phone)
                    .bind(email)
                    .bind(disabled)
            },
        )
        .await?;
        if change.disabled {
            end_sessions_of(&mut w, user_id).await?;
        }
        let user = user_in(&mut w, user_id).await?;
        w.audit_record(Action::UserUpdate, user_id, user.place(), before)
            .await?;
        w.commit().await?;
        Ok(user)
    }

    /// Whether `password` is the account's current one (asked again before changing it).
    pub async fn password_matches(&self, user_id: i64, password: &str) -> Result<bool, StoreError> {
        let stored: Option<String> =
            sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(crate::secrets::verify_password_bounded(password, stored).await?)
    }

    /// Sets a new password (an admin's reset or the user's own change) and ends the account's sessions, so a
    /// password that leaked stops working everywhere at once. A password set by someone else must be changed
    /// by its owner at the next sign-in.
    pub async fn set_password(
        &self,
        user_id: i64,
        password: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let user = self.user(user_id).await?;
        check_password("password", password, &user.username)?;
        let hash = hash_password_bounded(password).await?;
        let own = actor.user_id == Some(user_id);
        let mut w = self.write(actor).await?;
        let stamp = w.stamp();
        sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = $2, version = version + 1, \
             updated_at = $3 WHERE id = $4",
        )
        .bind(hash)
        .bind(i64::from(!own))
        .bind(stamp)
        .bind(user_id)
        .execute(&mut *w)
        .await?;
        end_sessions_of(&mut w, user_id).await?;
        w.audit(Change {
            action: if own {
                Action::UserPasswordChange
            } else {
                Action::UserPasswordReset
            },
            object_id: user_id.to_string(),
            province_code: &user.province_code,
            commune_code: user.commune_code.as_deref(),
            team_id: None,
            before: None,
            after: None,
        })
        .await?;
        w.commit().await?;
        Ok(())
    }
}

impl Store {
    /// Every active commune officer of a province who gave an e-mail address: (commune, name, address).
    pub async fn officer_emails(
        &self,
        province_code: &str,
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT commune_code, full_name, email FROM users WHERE province_code = $1 \
             AND role = 'commune_officer' AND disabled = 0 AND email IS NOT NULL ORDER BY id",
        )
        .bind(province_code)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("commune_code")?,
                    row.try_get("full_name")?,
                    row.try_get("email")?,
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
