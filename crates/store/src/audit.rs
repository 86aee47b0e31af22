//! The audit log: who changed what, when, from where, with the values before and after. Every writing function
//! of the store records its entries in the transaction of the change, so a change rolled back leaves none. The
//! table refuses updates and deletes (database triggers); the application only appends and reads.

use crate::sql::{fetch_page, now, Conditions, Value};
use crate::{Page, PageRequest, Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value as Json};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Column, Row};

/// Who makes a change and from where.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
    pub address: String,
}

impl Actor {
    /// Someone at the server's console, running the `cnscd` command.
    pub fn command_line() -> Self {
        let login = ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()));
        Self {
            user_id: None,
            username: login.map_or_else(|| "cli".into(), |login| format!("cli:{login}")),
            address: "dòng lệnh".into(),
        }
    }
}

/// What kind of record an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Team,
    Member,
    Decision,
    Commune,
    User,
    ApiToken,
    Settings,
}

impl ObjectKind {
    pub const ALL: [ObjectKind; 7] = [
        ObjectKind::Team,
        ObjectKind::Member,
        ObjectKind::Decision,
        ObjectKind::Commune,
        ObjectKind::User,
        ObjectKind::ApiToken,
        ObjectKind::Settings,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ObjectKind::Team => "team",
            ObjectKind::Member => "member",
            ObjectKind::Decision => "decision",
            ObjectKind::Commune => "commune",
            ObjectKind::User => "user",
            ObjectKind::ApiToken => "api_token",
            ObjectKind::Settings => "settings",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ObjectKind::Team => "Tổ",
            ObjectKind::Member => "Thành viên",
            ObjectKind::Decision => "Quyết định",
            ObjectKind::Commune => "Danh sách xã/phường (nhập Excel)",
            ObjectKind::User => "Tài khoản",
            ObjectKind::ApiToken => "Khoá API",
            ObjectKind::Settings => "Quy định của tỉnh",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The record's business columns, as text, for the before/after values.
    fn snapshot_sql(self) -> Option<&'static str> {
        match self {
            ObjectKind::Team => Some(
                "SELECT name, note, commune_code, status, dissolved_on FROM teams WHERE id = $1",
            ),
            ObjectKind::Member => Some(
                "SELECT CAST(team_id AS TEXT) AS team_id, full_name, role, phone, note, joined_on, left_on \
                 FROM members WHERE id = $1",
            ),
            ObjectKind::Decision => Some(
                "SELECT commune_code, number, signed_on, signer, kind FROM decisions WHERE id = $1",
            ),
            ObjectKind::User => Some(
                "SELECT username, full_name, role, commune_code, \
                 CASE WHEN disabled = 0 THEN 'không' ELSE 'có' END AS disabled FROM users WHERE id = $1",
            ),
            _ => None,
        }
    }
}

/// One change, about to be recorded.
pub(crate) struct Change<'a> {
    pub action: &'static str,
    pub kind: ObjectKind,
    pub object_id: String,
    pub province_code: &'a str,
    pub commune_code: Option<&'a str>,
    pub team_id: Option<i64>,
    pub before: Option<Json>,
    pub after: Option<Json>,
}

/// The record's current values (`None` once deleted), taken inside the change's transaction.
pub(crate) async fn snapshot(
    conn: &mut AnyConnection,
    kind: ObjectKind,
    id: i64,
) -> Result<Option<Json>, StoreError> {
    let Some(sql) = kind.snapshot_sql() else {
        return Ok(None);
    };
    let Some(row) = sqlx::query(sql).bind(id).fetch_optional(&mut *conn).await? else {
        return Ok(None);
    };
    let mut values = row_values(&row)?;
    if kind == ObjectKind::Decision {
        let teams: Vec<i64> = sqlx::query_scalar(
            "SELECT team_id FROM decision_teams WHERE decision_id = $1 ORDER BY team_id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let teams: Vec<String> = teams.iter().map(i64::to_string).collect();
        values.insert("teams".into(), Json::String(teams.join(", ")));
    }
    Ok(Some(Json::Object(values)))
}

fn row_values(row: &AnyRow) -> Result<Map<String, Json>, sqlx::Error> {
    let mut values = Map::new();
    for (i, column) in row.columns().iter().enumerate() {
        let value: Option<String> = row.try_get(i)?;
        values.insert(
            column.name().to_string(),
            value.map_or(Json::Null, Json::String),
        );
    }
    Ok(values)
}

/// Appends one entry to the log, in the caller's transaction.
pub(crate) async fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    change: Change<'_>,
) -> Result<(), StoreError> {
    if change.before.is_some() && change.before == change.after {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, username, address, action, object_kind, object_id, province_code, \
         commune_code, team_id, before_values, after_values) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
    )
    .bind(now())
    .bind(actor.user_id)
    .bind(&actor.username)
    .bind(&actor.address)
    .bind(change.action)
    .bind(change.kind.code())
    .bind(change.object_id)
    .bind(change.province_code)
    .bind(change.commune_code)
    .bind(change.team_id)
    .bind(change.before.map(|v| v.to_string()))
    .bind(change.after.map(|v| v.to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One entry of the log as pages, the API and exports show it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub username: String,
    pub address: String,
    /// `team.update`, `member.create`, `roster.import`, …
    pub action: String,
    pub object_kind: String,
    pub object_id: String,
    pub commune_code: Option<String>,
    pub commune_name: Option<String>,
    pub team_id: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub before: Option<Json>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub after: Option<Json>,
}

/// A field whose value the change altered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    a.commune_code, c.name AS commune_name, a.team_id, a.before_values, a.after_values";
const AUDIT_FROM: &str = "FROM audit_log a LEFT JOIN communes c ON c.code = a.commune_code";

fn entry_from_row(row: &AnyRow) -> Result<AuditEntry, sqlx::Error> {
    let json = |column: &str| -> Result<Option<Json>, sqlx::Error> {
        let text: Option<String> = row.try_get(column)?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    };
    Ok(AuditEntry {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        username: row.try_get("username")?,
        address: row.try_get("address")?,
        action: row.try_get("action")?,
        object_kind: row.try_get("object_kind")?,
        object_id: row.try_get("object_id")?,
        commune_code: row.try_get("commune_code")?,
        commune_name: row.try_get("commune_name")?,
        team_id: row.try_get("team_id")?,
        before: json("before_values")?,
        after: json("after_values")?,
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

    /// The history of one team: changes to it, to its members and its commune's imports; newest first.
    pub async fn team_history(
        &self,
        team_id: i64,
        commune_code: &str,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        // Two indexed branches rather than one OR, which would scan the whole log.
        let sql = format!(
            "SELECT * FROM (SELECT {AUDIT_COLUMNS} {AUDIT_FROM} WHERE a.team_id = $1 \
             UNION ALL SELECT {AUDIT_COLUMNS} {AUDIT_FROM} WHERE a.object_kind = 'commune' AND a.object_id = $2) h \
             ORDER BY h.id DESC LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(team_id)
            .bind(commune_code)
            .bind(limit)
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

/// Where a change to the registry belongs: for the log's filters and the team page's history.
pub(crate) struct Place<'a> {
    pub province_code: &'a str,
    pub commune_code: &'a str,
    pub team_id: Option<i64>,
}

/// Records a change to a team, member or decision: `before` was read before the change, the values after are
/// read now, in the same transaction.
pub(crate) async fn record_change(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &'static str,
    kind: ObjectKind,
    id: i64,
    place: Place<'_>,
    before: Option<Json>,
) -> Result<(), StoreError> {
    let after = snapshot(conn, kind, id).await?;
    record(
        conn,
        actor,
        Change {
            action,
            kind,
            object_id: id.to_string(),
            province_code: place.province_code,
            commune_code: Some(place.commune_code),
            team_id: place.team_id,
            before,
            after,
        },
    )
    .await
}
