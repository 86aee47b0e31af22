//! A member's consent to be named with her phone on the public pages: given (how, by whom, when), withdrawn at
//! once; every change in the audit log, under the member's history.

use crate::audit::{Action, Actor, Change};
use crate::members::member_in;
use crate::teams::{require_active, team_state};
use crate::write::Write;
use crate::{Store, StoreError};
use cnscd_domain::public::ConsentMethod;
use cnscd_domain::FieldError;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

/// A consent in force.
#[derive(Debug, Clone)]
pub struct Consent {
    pub member_id: i64,
    pub method: ConsentMethod,
    /// The account that recorded it.
    pub recorded_by: String,
    pub recorded_at: String,
    /// The phone (national form) she agreed to show; her number changed since when it differs from hers.
    pub phone: Option<String>,
}

fn consent_from_row(row: &AnyRow) -> Result<Consent, sqlx::Error> {
    Ok(Consent {
        member_id: row.try_get("member_id")?,
        method: crate::stored::parse_stored(row, "method", ConsentMethod::from_code)?,
        recorded_by: row.try_get("recorded_by")?,
        recorded_at: row.try_get("recorded_at")?,
        phone: row.try_get("phone")?,
    })
}

const CONSENT_COLUMNS: &str = "k.member_id, k.method, k.recorded_by, k.recorded_at, k.phone";

impl Store {
    /// The member's consent in force, if any.
    pub async fn consent(&self, member_id: i64) -> Result<Option<Consent>, StoreError> {
        let sql = format!(
            "SELECT {CONSENT_COLUMNS} FROM member_consents k WHERE k.member_id = $1 AND k.withdrawn_at IS NULL"
        );
        let row = sqlx::query(&sql)
            .bind(member_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(consent_from_row).transpose()?)
    }

    /// The consents in force of a team's members, by member.
    pub async fn team_consents(&self, team_id: i64) -> Result<HashMap<i64, Consent>, StoreError> {
        let sql = format!(
            "SELECT {CONSENT_COLUMNS} FROM member_consents k \
             WHERE k.withdrawn_at IS NULL AND k.member_id IN (SELECT id FROM members WHERE team_id = $1)"
        );
        let rows = sqlx::query(&sql)
            .bind(team_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| consent_from_row(row).map(|c| (c.member_id, c)))
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)
    }

    /// Consents in force of active members of the communes (all of the province when none), keyed by
    /// (commune code, team name, member name): what an export marks in `Ghi chú` when asked.
    pub async fn consents_by_roster_place(
        &self,
        province_code: &str,
        commune_codes: &[String],
    ) -> Result<HashMap<(String, String, String), Consent>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.commune_code, t.name AS team_name, m.full_name, k.member_id, k.method, k.recorded_by, \
               k.recorded_at, k.phone FROM member_consents k JOIN members m ON m.id = k.member_id \
             JOIN teams t ON t.id = m.team_id JOIN communes c ON c.code = t.commune_code \
             WHERE k.withdrawn_at IS NULL AND m.left_on IS NULL AND t.status = 'active' AND c.province_code = $1 \
               AND COALESCE(k.phone, '') = COALESCE(m.phone, '')",
        )
        .bind(province_code)
        .fetch_all(&self.pool)
        .await?;
        let mut found = HashMap::new();
        for row in rows {
            let commune: String = row.try_get("commune_code")?;
            if !commune_codes.is_empty() && !commune_codes.contains(&commune) {
                continue;
            }
            let key = (
                commune,
                row.try_get("team_name")?,
                row.try_get("full_name")?,
            );
            found.insert(key, consent_from_row(&row)?);
        }
        Ok(found)
    }

    /// Records the member's consent. Recording it again while one is in force changes nothing and answers the
    /// one in force.
    pub async fn give_consent(
        &self,
        member_id: i64,
        method: ConsentMethod,
        actor: &Actor,
    ) -> Result<Consent, StoreError> {
        let mut w = self.write(actor).await?;
        let (place, phone) = ConsentPlace::locked(&mut w, member_id).await?;
        let stamp = w.stamp();
        match consent_in(&mut w, member_id).await? {
            Some(current) if current.phone == phone => {
                w.rollback().await?;
                return Ok(current);
            }
            // Given for a number she no longer has: that consent ends, the new one is for her number now.
            Some(_) => {
                sqlx::query(
                    "UPDATE member_consents SET withdrawn_by = $1, withdrawn_at = $2 \
                     WHERE member_id = $3 AND withdrawn_at IS NULL",
                )
                .bind(&actor.username)
                .bind(&stamp)
                .bind(member_id)
                .execute(&mut *w)
                .await?;
            }
            None => {}
        }
        sqlx::query(
            "INSERT INTO member_consents (member_id, method, recorded_by, recorded_at, phone) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(member_id)
        .bind(method.code())
        .bind(&actor.username)
        .bind(&stamp)
        .bind(phone)
        .execute(&mut *w)
        .await?;
        place
            .audit(&mut w, Action::ConsentGive, "không", method.label())
            .await?;
        let consent = consent_in(&mut w, member_id)
            .await?
            .ok_or(StoreError::NotFound("sự đồng ý"))?;
        w.commit().await?;
        Ok(consent)
    }

    /// Withdraws the member's consent at once; `false` when none was in force. A member who has left can still
    /// withdraw (nothing of hers is shown, but the record says so).
    pub async fn withdraw_consent(
        &self,
        member_id: i64,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let mut w = self.write(actor).await?;
        let member = member_in(&mut w, member_id).await?;
        w.lock("teams", member.team_id).await?;
        let Some(current) = consent_in(&mut w, member_id).await? else {
            w.rollback().await?;
            return Ok(false);
        };
        let stamp = w.stamp();
        sqlx::query(
            "UPDATE member_consents SET withdrawn_by = $1, withdrawn_at = $2 \
             WHERE member_id = $3 AND withdrawn_at IS NULL",
        )
        .bind(&actor.username)
        .bind(&stamp)
        .bind(member_id)
        .execute(&mut *w)
        .await?;
        let place = ConsentPlace {
            member_id,
            province_code: member.province_code,
            commune_code: member.commune_code,
            team_id: member.team_id,
        };
        place
            .audit(
                &mut w,
                Action::ConsentWithdraw,
                current.method.label(),
                "không",
            )
            .await?;
        w.commit().await?;
        Ok(true)
    }
}

async fn consent_in(w: &mut Write, member_id: i64) -> Result<Option<Consent>, StoreError> {
    let sql = format!(
        "SELECT {CONSENT_COLUMNS} FROM member_consents k WHERE k.member_id = $1 AND k.withdrawn_at IS NULL"
    );
    let row = sqlx::query(&sql)
        .bind(member_id)
        .fetch_optional(&mut **w)
        .await?;
    Ok(row.as_ref().map(consent_from_row).transpose()?)
}

/// Where a consent belongs, for its audit entry.
struct ConsentPlace {
    member_id: i64,
    province_code: String,
    commune_code: String,
    team_id: i64,
}

impl ConsentPlace {
    /// The member's place and phone, with her team locked: consent is given only by an active member of an
    /// active team.
    async fn locked(w: &mut Write, member_id: i64) -> Result<(Self, Option<String>), StoreError> {
        let team_id = member_in(w, member_id).await?.team_id;
        w.lock("teams", team_id).await?;
        let member = member_in(w, member_id).await?;
        if !member.is_active() {
            return Err(FieldError::new(
                "member",
                "member_left",
                "Người này đã rời tổ: không ghi nhận đồng ý công khai được nữa.",
            )
            .into());
        }
        require_active(&team_state(w, team_id).await?)?;
        Ok((
            Self {
                member_id,
                province_code: member.province_code,
                commune_code: member.commune_code,
                team_id,
            },
            member.phone,
        ))
    }

    async fn audit(
        &self,
        w: &mut Write,
        action: Action,
        before: &str,
        after: &str,
    ) -> Result<(), StoreError> {
        w.audit(Change {
            action,
            object_id: self.member_id.to_string(),
            province_code: &self.province_code,
            commune_code: Some(&self.commune_code),
            team_id: Some(self.team_id),
            before: Some(json!({ "public_consent": before })),
            after: Some(json!({ "public_consent": after })),
        })
        .await
    }
}
