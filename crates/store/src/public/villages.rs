//! How many villages and residential groups a commune has, where recorded: teams are measured against it.

use crate::audit::{Action, Actor, Change};
use crate::{Store, StoreError};
use serde_json::json;
use sqlx::Row;

/// Villages covered by teams: of the communes that recorded their number of villages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VillageCoverage {
    /// Communes that recorded it.
    pub communes: i64,
    pub villages: i64,
    /// Villages with a team, counting at most one team per village (`min(teams, villages)` per commune).
    pub covered: i64,
}

impl Store {
    pub async fn commune_villages(&self, code: &str) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT villages FROM commune_villages WHERE commune_code = $1")
                .bind(code)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn set_commune_villages(
        &self,
        province_code: &str,
        code: &str,
        villages: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut w = self.write(actor).await?;
        w.lock_commune(code).await?;
        let before: Option<i64> =
            sqlx::query_scalar("SELECT villages FROM commune_villages WHERE commune_code = $1")
                .bind(code)
                .fetch_optional(&mut *w)
                .await?;
        let stamp = w.stamp();
        sqlx::query(
            "INSERT INTO commune_villages (commune_code, villages, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (commune_code) DO UPDATE SET villages = $2, updated_by = $3, updated_at = $4",
        )
        .bind(code)
        .bind(villages)
        .bind(&actor.username)
        .bind(&stamp)
        .execute(&mut *w)
        .await?;
        w.audit(Change {
            action: Action::CommuneVillagesSet,
            object_id: code.to_string(),
            province_code,
            commune_code: Some(code),
            team_id: None,
            before: Some(json!({ "villages": before.map(|v| v.to_string()) })),
            after: Some(json!({ "villages": villages.to_string() })),
        })
        .await?;
        w.commit().await
    }

    /// Coverage of the province's villages, or one commune's.
    pub async fn village_coverage(
        &self,
        province_code: &str,
        commune_code: Option<&str>,
    ) -> Result<VillageCoverage, StoreError> {
        let mut sql = String::from(
            // PostgreSQL sums BIGINT as NUMERIC: cast back, as the other sums do.
            "SELECT COUNT(*) AS communes, CAST(COALESCE(SUM(v.villages), 0) AS BIGINT) AS villages, \
               CAST(COALESCE(SUM(CASE WHEN COALESCE(s.teams, 0) < v.villages THEN COALESCE(s.teams, 0) \
                 ELSE v.villages END), 0) AS BIGINT) AS covered \
             FROM commune_villages v JOIN communes c ON c.code = v.commune_code \
             LEFT JOIN commune_stats s ON s.commune_code = v.commune_code WHERE c.province_code = $1",
        );
        if commune_code.is_some() {
            sql.push_str(" AND c.code = $2");
        }
        let mut query = sqlx::query(&sql).bind(province_code);
        if let Some(code) = commune_code {
            query = query.bind(code);
        }
        let row = query.fetch_one(&self.pool).await?;
        Ok(VillageCoverage {
            communes: row.try_get("communes")?,
            villages: row.try_get("villages")?,
            covered: row.try_get("covered")?,
        })
    }
}
