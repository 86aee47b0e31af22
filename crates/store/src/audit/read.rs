//! Reading the log: the admin's filtered list, and the history of one team or record.

use super::{Action, ObjectKind};
use crate::sql::{fetch_page, Conditions, Value};
use crate::stored::{optional_json, parse_stored};
use crate::{Page, PageRequest, Store, StoreError};
use chrono::NaiveDate;
use serde_json::{Map, Value as Json};
use sqlx::any::AnyRow;
use sqlx::Row;

/// One entry of the log as pages and exports show it.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub username: String,
    pub address: String,
    pub action: Action,
    pub object_kind: ObjectKind,
    pub object_id: String,
    pub commune_code: Option<String>,
    pub commune_name: Option<String>,
    pub team_id: Option<i64>,
    /// The team's name now (the entry's values have it as it was).
    pub team_name: Option<String>,
    pub before: Option<Json>,
    pub after: Option<Json>,
}

/// A field whose value the change altered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

impl AuditEntry {
    /// The fields that differ between before and after, in the record's column order.
    pub fn changes(&self) -> Vec<FieldChange> {
        let empty = Map::new();
        let before = self
            .before
            .as_ref()
            .and_then(Json::as_object)
            .unwrap_or(&empty);
        let after = self
            .after
            .as_ref()
            .and_then(Json::as_object)
            .unwrap_or(&empty);
        let text = |v: Option<&Json>| match v {
            None | Some(Json::Null) => String::new(),
            Some(Json::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        let mut fields: Vec<&String> = after.keys().collect();
        fields.extend(before.keys().filter(|k| !after.contains_key(*k)));
        fields
            .into_iter()
            .filter_map(|field| {
                let (old, new) = (text(before.get(field)), text(after.get(field)));
                (old != new).then(|| FieldChange {
                    field: field.clone(),
                    before: old,
                    after: new,
                })
            })
            .collect()
    }
}

/// Which entries to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub province_code: String,
    pub commune_code: Option<String>,
    pub username: Option<String>,
    pub object_kind: Option<ObjectKind>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

const AUDIT_COLUMNS: &str =
    "a.id, a.at, a.username, a.address, a.action, a.object_kind, a.object_id, \
    a.commune_code, c.name AS commune_name, a.team_id, tm.name AS team_name, a.before_values, a.after_values";
const AUDIT_FROM: &str = "FROM audit_log a LEFT JOIN communes c ON c.code = a.commune_code \
    LEFT JOIN teams tm ON tm.id = a.team_id";

fn entry_from_row(row: &AnyRow) -> Result<AuditEntry, sqlx::Error> {
    Ok(AuditEntry {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        username: row.try_get("username")?,
        address: row.try_get("address")?,
        action: parse_stored(row, "action", Action::from_code)?,
        object_kind: parse_stored(row, "object_kind", ObjectKind::from_code)?,
        object_id: row.try_get("object_id")?,
        commune_code: row.try_get("commune_code")?,
        commune_name: row.try_get("commune_name")?,
        team_id: row.try_get("team_id")?,
        team_name: row.try_get("team_name")?,
        before: optional_json(row, "before_values")?,
        after: optional_json(row, "after_values")?,
    })
}

impl Store {
    /// Entries of a province, newest first.
    pub async fn audit_entries(
        &self,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>, StoreError> {
        let mut conditions = Conditions::default();
        conditions.add(
            "a.province_code = ?",
            Value::Text(filter.province_code.clone()),
        );
        if let Some(commune) = &filter.commune_code {
            conditions.add("a.commune_code = ?", Value::Text(commune.clone()));
        }
        if let Some(username) = &filter.username {
            conditions.add("a.username = ?", Value::Text(username.clone()));
        }
        if let Some(kind) = filter.object_kind {
            conditions.add("a.object_kind = ?", Value::Text(kind.code().into()));
        }
        if let Some(from) = filter.from {
            conditions.add(
                "a.at >= ?",
                Value::Text(from.format("%Y-%m-%d").to_string()),
            );
        }
        if let Some(to) = filter.to.and_then(|d| d.succ_opt()) {
            conditions.add("a.at < ?", Value::Text(to.format("%Y-%m-%d").to_string()));
        }
        let (total, rows) = fetch_page(
            &self.pool,
            &conditions,
            AUDIT_COLUMNS,
            AUDIT_FROM,
            "a.id DESC",
            page,
        )
        .await?;
        Ok(Page {
            items: rows.iter().map(entry_from_row).collect::<Result<_, _>>()?,
            total,
            page: page.page,
            per_page: page.per_page,
        })
    }

    /// The history of one team: changes to it, to its members and its commune's imports; newest first, from
    /// the entry before `before` when given (the page of older changes).
    pub async fn team_history(
        &self,
        team_id: i64,
        commune_code: &str,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        // Two indexed branches rather than one OR, which would scan the whole log.
        let sql = format!(
            "SELECT * FROM (SELECT {AUDIT_COLUMNS} {AUDIT_FROM} WHERE a.team_id = $1 AND a.id < $4 \
             UNION ALL SELECT {AUDIT_COLUMNS} {AUDIT_FROM} WHERE a.object_kind = 'commune' AND a.object_id = $2 \
             AND a.id < $4) h ORDER BY h.id DESC LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(team_id)
            .bind(commune_code)
            .bind(limit)
            .bind(before.unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(entry_from_row).collect::<Result<_, _>>()?)
    }

    /// The history of one record of a kind, newest first.
    pub async fn object_history(
        &self,
        kind: ObjectKind,
        object_id: &str,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} {AUDIT_FROM} WHERE a.object_kind = $1 AND a.object_id = $2 \
             ORDER BY a.id DESC LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(kind.code())
            .bind(object_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(entry_from_row).collect::<Result<_, _>>()?)
    }
}
