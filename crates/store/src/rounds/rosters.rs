//! The team lists frozen with submitted reports, read back to compare one round with the one before.

use crate::{Store, StoreError};
use sqlx::Row;
use std::collections::HashMap;

/// A commune's frozen team list in a round and in the latest earlier round of the province it submitted in.
#[derive(Debug, Clone)]
pub struct FrozenRosters {
    pub commune_code: String,
    pub commune_name: String,
    /// JSON of the template's roster, as frozen at the last submission.
    pub now: String,
    pub before: Option<String>,
}

impl Store {
    /// For every commune that submitted in the round: its frozen list and the one it submitted in the round
    /// before (if any), in the province's order.
    pub async fn frozen_rosters(&self, round_id: i64) -> Result<Vec<FrozenRosters>, StoreError> {
        let round = self.round(round_id).await?;
        let rows = sqlx::query(
            "SELECT p.commune_code, c.name, p.roster FROM reports p JOIN communes c ON c.code = p.commune_code \
             WHERE p.round_id = $1 AND p.roster IS NOT NULL ORDER BY c.sort_key, c.code",
        )
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        let earlier = sqlx::query(
            "SELECT p.commune_code, p.roster FROM reports p \
             WHERE p.roster IS NOT NULL AND p.round_id = ( \
               SELECT MAX(q.round_id) FROM reports q JOIN rounds r ON r.id = q.round_id \
               WHERE q.commune_code = p.commune_code AND q.round_id < $1 AND q.roster IS NOT NULL \
                 AND r.province_code = $2)",
        )
        .bind(round_id)
        .bind(&round.province_code)
        .fetch_all(&self.pool)
        .await?;
        let mut before: HashMap<String, String> = earlier
            .iter()
            .map(|row| Ok((row.try_get("commune_code")?, row.try_get("roster")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        rows.iter()
            .map(|row| {
                let code: String = row.try_get("commune_code")?;
                Ok(FrozenRosters {
                    before: before.remove(&code),
                    commune_name: row.try_get("name")?,
                    now: row.try_get("roster")?,
                    commune_code: code,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
