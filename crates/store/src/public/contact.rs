//! Each commune's public contact: the number a citizen calls when her village's leader has not consented to be
//! named publicly.

use crate::audit::{Action, Actor, Change};
use crate::{Store, StoreError};
use cnscd_domain::phone::Phone;
use cnscd_domain::public::CommuneContact;
use serde_json::json;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone)]
pub struct StoredContact {
    pub label: String,
    /// National form.
    pub phone: String,
    pub updated_by: String,
    pub updated_at: String,
}

impl StoredContact {
    pub fn phone_grouped(&self) -> String {
        Phone::from_stored(self.phone.clone()).grouped()
    }

    fn described(&self) -> String {
        format!("{}: {}", self.label, self.phone_grouped())
    }
}

impl Store {
    pub async fn commune_contact(&self, code: &str) -> Result<Option<StoredContact>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        contact_in(&mut conn, code).await
    }

    /// Sets the commune's public contact (the last one saved holds: it is one line, not a versioned record).
    pub async fn set_commune_contact(
        &self,
        province_code: &str,
        code: &str,
        contact: &CommuneContact,
        actor: &Actor,
    ) -> Result<StoredContact, StoreError> {
        let mut w = self.write(actor).await?;
        w.lock_commune(code).await?;
        let before = contact_in(&mut w, code).await?;
        let stamp = w.stamp();
        sqlx::query(
            "INSERT INTO commune_contacts (commune_code, label, phone, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (commune_code) DO UPDATE SET label = $2, phone = $3, updated_by = $4, updated_at = $5",
        )
        .bind(code)
        .bind(&contact.label)
        .bind(contact.phone.as_str())
        .bind(&actor.username)
        .bind(&stamp)
        .execute(&mut *w)
        .await?;
        let saved = StoredContact {
            label: contact.label.clone(),
            phone: contact.phone.as_str().to_string(),
            updated_by: actor.username.clone(),
            updated_at: stamp,
        };
        w.audit(Change {
            action: Action::CommuneContactSet,
            object_id: code.to_string(),
            province_code,
            commune_code: Some(code),
            team_id: None,
            before: Some(
                json!({ "public_contact": before.map(|b| b.described()).unwrap_or_default() }),
            ),
            after: Some(json!({ "public_contact": saved.described() })),
        })
        .await?;
        w.commit().await?;
        Ok(saved)
    }
}

async fn contact_in(
    conn: &mut AnyConnection,
    code: &str,
) -> Result<Option<StoredContact>, StoreError> {
    let row = sqlx::query(
        "SELECT label, phone, updated_by, updated_at FROM commune_contacts WHERE commune_code = $1",
    )
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(StoredContact {
        label: row.try_get("label")?,
        phone: row.try_get("phone")?,
        updated_by: row.try_get("updated_by")?,
        updated_at: row.try_get("updated_at")?,
    }))
}
