//! Data upgrades the schema cannot do by itself: values the application computes (sort keys) recomputed when
//! their rule changes. Each runs once, at start, and is recorded in `upgrades`.

use crate::{Store, StoreError};
use cnscd_domain::collation::sort_key;

/// Team and commune names sort numbers by value (`Thôn 2` before `Thôn 10`) since this upgrade.
const NATURAL_SORT_KEYS: &str = "natural_sort_keys";
const ROWS_PER_BATCH: i64 = 2000;

impl Store {
    pub(crate) async fn run_upgrades(&self) -> Result<(), StoreError> {
        let done: Option<String> = sqlx::query_scalar("SELECT name FROM upgrades WHERE name = $1")
            .bind(NATURAL_SORT_KEYS)
            .fetch_optional(&self.pool)
            .await?;
        if done.is_some() {
            return Ok(());
        }
        let mut w = self.housekeeping().await?;
        for (table, key) in [("teams", "id"), ("communes", "code")] {
            let mut after = String::new();
            loop {
                let sql = format!(
                    "SELECT CAST({key} AS TEXT) AS k, name FROM {table} WHERE CAST({key} AS TEXT) > $1 \
                     ORDER BY CAST({key} AS TEXT) LIMIT $2"
                );
                let rows: Vec<(String, String)> = sqlx::query_as(&sql)
                    .bind(&after)
                    .bind(ROWS_PER_BATCH)
                    .fetch_all(&mut *w)
                    .await?;
                let Some((last, _)) = rows.last() else {
                    break;
                };
                after = last.clone();
                for (k, name) in &rows {
                    sqlx::query(&format!(
                        "UPDATE {table} SET sort_key = $1 WHERE CAST({key} AS TEXT) = $2"
                    ))
                    .bind(sort_key(name))
                    .bind(k)
                    .execute(&mut *w)
                    .await?;
                }
            }
        }
        sqlx::query("INSERT INTO upgrades (name, at) VALUES ($1, $2)")
            .bind(NATURAL_SORT_KEYS)
            .bind(w.stamp())
            .execute(&mut *w)
            .await?;
        w.commit().await
    }
}
