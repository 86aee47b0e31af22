//! Per-province settings: the team composition rules.

use crate::audit::{Action, Actor, Change};
use crate::counts::refresh_province_stats;
use crate::{Store, StoreError};
use cnscd_domain::rules::TeamRules;
use sqlx::{AnyConnection, Row};

pub(crate) async fn team_rules_in(
    conn: &mut AnyConnection,
    province_code: &str,
) -> Result<TeamRules, StoreError> {
    let row = sqlx::query(
        "SELECT min_members, max_members FROM province_settings WHERE province_code = $1",
    )
    .bind(province_code)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some(row) => TeamRules {
            min_members: row.try_get("min_members")?,
            max_members: row.try_get("max_members")?,
        },
        None => TeamRules::default(),
    })
}

impl Store {
    pub async fn team_rules(&self, province_code: &str) -> Result<TeamRules, StoreError> {
        let mut conn = self.pool.acquire().await?;
        team_rules_in(&mut conn, province_code).await
    }

    pub async fn set_team_rules(
        &self,
        province_code: &str,
        rules: TeamRules,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        self.province(province_code).await?;
        let mut w = self.write(actor).await?;
        let before = team_rules_in(&mut w, province_code).await?;
        sqlx::query("DELETE FROM province_settings WHERE province_code = $1")
            .bind(province_code)
            .execute(&mut *w)
            .await?;
        sqlx::query("INSERT INTO province_settings (province_code, min_members, max_members) VALUES ($1, $2, $3)")
            .bind(province_code)
            .bind(rules.min_members)
            .bind(rules.max_members)
            .execute(&mut *w)
            .await?;
        let values = |r: TeamRules| serde_json::json!({"min_members": r.min_members.to_string(), "max_members": r.max_members.to_string()});
        let change = Change {
            action: Action::SettingsUpdate,
            object_id: province_code.to_string(),
            province_code,
            commune_code: None,
            team_id: None,
            before: Some(values(before)),
            after: Some(values(rules)),
        };
        w.audit(change).await?;
        refresh_province_stats(&mut w, province_code).await?;
        w.commit().await
    }
}
