//! The indicators a province's rounds can ask for: the built-in catalogue and the province's additions.

use crate::audit::{Action, Change};
use crate::{Actor, Store, StoreError};
use cnscd_domain::round::Indicator;
use cnscd_domain::FieldError;
use serde_json::json;
use sqlx::Row;

impl Store {
    /// The built-in indicators, then the province's own in the order they were added.
    pub async fn indicator_catalogue(
        &self,
        province_code: &str,
    ) -> Result<Vec<Indicator>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, name, unit FROM indicators WHERE province_code = $1 ORDER BY created_at, code",
        )
        .bind(province_code)
        .fetch_all(&self.pool)
        .await?;
        let mut catalogue = Indicator::defaults();
        for row in rows {
            catalogue.push(Indicator {
                code: row.try_get("code")?,
                name: row.try_get("name")?,
                unit: row.try_get("unit")?,
            });
        }
        Ok(catalogue)
    }

    /// Adds an indicator to the province's catalogue; its code must be new.
    pub async fn add_indicator(
        &self,
        province_code: &str,
        indicator: &Indicator,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let taken = || {
            StoreError::Duplicate(FieldError::new(
                "code",
                "indicator_code_taken",
                format!("Mã chỉ tiêu «{}» đã có trong danh mục.", indicator.code),
            ))
        };
        let catalogue = self.indicator_catalogue(province_code).await?;
        if catalogue.iter().any(|i| i.code == indicator.code) {
            return Err(taken());
        }
        // Two indicators with one name would show an officer two identical fields.
        let folded = cnscd_domain::text::fold(&indicator.name);
        if let Some(same) = catalogue
            .iter()
            .find(|i| cnscd_domain::text::fold(&i.name) == folded)
        {
            return Err(StoreError::Duplicate(FieldError::new(
                "name",
                "indicator_name_taken",
                format!("Danh mục đã có chỉ tiêu cùng tên (mã «{}»).", same.code),
            )));
        }
        let mut w = self.write(actor).await?;
        let stamp = w.stamp();
        sqlx::query(
            "INSERT INTO indicators (province_code, code, name, unit, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(province_code)
        .bind(&indicator.code)
        .bind(&indicator.name)
        .bind(&indicator.unit)
        .bind(&stamp)
        .execute(&mut *w)
        .await
        .map_err(|error| match StoreError::from(error) {
            StoreError::Database(sqlx::Error::Database(e))
                if e.kind() == sqlx::error::ErrorKind::UniqueViolation =>
            {
                taken()
            }
            other => other,
        })?;
        w.audit(Change {
            action: Action::IndicatorCreate,
            object_id: indicator.code.clone(),
            province_code,
            commune_code: None,
            team_id: None,
            before: None,
            after: Some(
                json!({"code": indicator.code, "name": indicator.name, "unit": indicator.unit}),
            ),
        })
        .await?;
        w.commit().await
    }
}
