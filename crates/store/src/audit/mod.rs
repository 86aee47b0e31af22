//! The audit log: who changed what, when, from where, with the values before and after. Every change records
//! its entries through [`crate::write::Write`], in the transaction of the change, so a change rolled back leaves
//! none. The table refuses updates and deletes (database triggers); the application only appends and reads.

mod action;
mod read;

pub use action::Action;
pub use read::{AuditEntry, AuditFilter, FieldChange};

use crate::connect::Backend;
use crate::json_rows::{insert_rows, select_values, to_json, Column as JsonColumn};
use crate::StoreError;
use serde_json::{Map, Value as Json};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Column, Row};
use std::collections::HashMap;

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
    Import,
    User,
    ApiToken,
    Settings,
    Round,
    Report,
    TrainingClass,
    Registration,
    Document,
}

impl ObjectKind {
    pub const ALL: [ObjectKind; 13] = [
        ObjectKind::Team,
        ObjectKind::Member,
        ObjectKind::Decision,
        ObjectKind::Commune,
        ObjectKind::Import,
        ObjectKind::User,
        ObjectKind::ApiToken,
        ObjectKind::Settings,
        ObjectKind::Round,
        ObjectKind::Report,
        ObjectKind::TrainingClass,
        ObjectKind::Registration,
        ObjectKind::Document,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ObjectKind::Team => "team",
            ObjectKind::Member => "member",
            ObjectKind::Decision => "decision",
            ObjectKind::Commune => "commune",
            ObjectKind::Import => "import",
            ObjectKind::User => "user",
            ObjectKind::ApiToken => "api_token",
            ObjectKind::Settings => "settings",
            ObjectKind::Round => "round",
            ObjectKind::Report => "report",
            ObjectKind::TrainingClass => "training_class",
            ObjectKind::Registration => "training_registration",
            ObjectKind::Document => "document",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ObjectKind::Team => "Tổ",
            ObjectKind::Member => "Thành viên",
            ObjectKind::Decision => "Quyết định",
            ObjectKind::Commune => "Danh sách xã/phường (nhập Excel)",
            ObjectKind::Import => "Tệp nhập",
            ObjectKind::User => "Tài khoản",
            ObjectKind::ApiToken => "Khoá API",
            ObjectKind::Settings => "Thiết lập",
            ObjectKind::Round => "Đợt báo cáo",
            ObjectKind::Report => "Báo cáo của xã/phường",
            ObjectKind::TrainingClass => "Lớp tập huấn",
            ObjectKind::Registration => "Đăng ký học",
            ObjectKind::Document => "Văn bản hướng dẫn",
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
                "SELECT username, full_name, role, commune_code, phone, email, \
                 CASE WHEN disabled = 0 THEN 'không' ELSE 'có' END AS disabled FROM users WHERE id = $1",
            ),
            ObjectKind::Round => Some(
                "SELECT title, basis, kind, period_start, period_end, deadline, closed_at FROM rounds WHERE id = $1",
            ),
            ObjectKind::Report => Some(
                "SELECT state, results, difficulties, proposals, return_reason, \
                 CASE WHEN on_behalf = 0 THEN 'không' ELSE 'có' END AS on_behalf FROM reports WHERE id = $1",
            ),
            ObjectKind::TrainingClass => Some(
                "SELECT topic, starts_at, ends_at, venue, online_link, CAST(capacity AS TEXT) AS capacity, \
                 audience, registration_deadline, trainer, cancelled_at, cancel_reason \
                 FROM training_classes WHERE id = $1",
            ),
            ObjectKind::Registration => Some(
                "SELECT CAST(class_id AS TEXT) AS class_id, CAST(member_id AS TEXT) AS member_id, seat, attendance \
                 FROM training_registrations WHERE id = $1",
            ),
            ObjectKind::Document => Some(
                "SELECT number, issued_on, issuer, kind, title, link, file_name, sha256, deleted_at \
                 FROM documents WHERE id = $1",
            ),
            _ => None,
        }
    }
}

/// One change, about to be recorded.
pub(crate) struct Change<'a> {
    pub action: Action,
    pub object_id: String,
    pub province_code: &'a str,
    pub commune_code: Option<&'a str>,
    pub team_id: Option<i64>,
    pub before: Option<Json>,
    pub after: Option<Json>,
}

/// Where a change to the registry belongs: for the log's filters and the team page's history.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place<'a> {
    pub province_code: &'a str,
    pub commune_code: Option<&'a str>,
    pub team_id: Option<i64>,
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
    let links = match kind {
        ObjectKind::TrainingClass => {
            Some("SELECT document_id FROM class_documents WHERE class_id = $1 ORDER BY document_id")
        }
        ObjectKind::Round => {
            Some("SELECT document_id FROM round_documents WHERE round_id = $1 ORDER BY document_id")
        }
        _ => None,
    };
    if let Some(links) = links {
        let documents: Vec<i64> = sqlx::query_scalar(links)
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
        let documents: Vec<String> = documents.iter().map(i64::to_string).collect();
        values.insert("documents".into(), Json::String(documents.join(", ")));
    }
    if kind == ObjectKind::Report {
        let figures = sqlx::query(
            "SELECT code, value FROM report_figures WHERE report_id = $1 ORDER BY code",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        for figure in figures {
            let code: String = figure.try_get("code")?;
            let value: i64 = figure.try_get("value")?;
            values.insert(code, Json::String(value.to_string()));
        }
    }
    Ok(Some(Json::Object(values)))
}

/// The values of many teams or members at once, by id, as [`snapshot`] gives each (for a change to thousands
/// of them, such as an undo, without a statement per record).
pub(crate) async fn snapshots(
    conn: &mut AnyConnection,
    kind: ObjectKind,
    ids: &[i64],
) -> Result<HashMap<i64, Json>, StoreError> {
    assert!(
        matches!(kind, ObjectKind::Team | ObjectKind::Member),
        "values of one row only"
    );
    let mut found = HashMap::with_capacity(ids.len());
    let Some(one) = kind.snapshot_sql() else {
        return Ok(found);
    };
    let sql = one
        .replacen("SELECT ", "SELECT CAST(id AS TEXT) AS snapshot_of, ", 1)
        .replace(
            "WHERE id = $1",
            &format!(
                "WHERE id IN ({})",
                select_values(Backend::of(conn), 1, JsonColumn::Int)
            ),
        );
    let rows = sqlx::query(&sql)
        .bind(to_json(ids)?)
        .fetch_all(&mut *conn)
        .await?;
    for row in &rows {
        let mut values = row_values(row)?;
        let id = values
            .remove("snapshot_of")
            .and_then(|id| id.as_str().and_then(|id| id.parse().ok()))
            .ok_or_else(|| sqlx::Error::Decode("snapshot_of".into()))?;
        found.insert(id, Json::Object(values));
    }
    Ok(found)
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

/// Appends entries to the log, in the caller's transaction, many rows per statement. A change that altered
/// nothing is not logged.
pub(crate) async fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    at: &str,
    changes: Vec<Change<'_>>,
) -> Result<(), StoreError> {
    let changes: Vec<Change> = changes
        .into_iter()
        .filter(|c| c.before.is_none() || c.before != c.after)
        .collect();
    let rows: Vec<_> = changes
        .iter()
        .map(|change| {
            (
                at,
                actor.user_id,
                &actor.username,
                &actor.address,
                change.action.code(),
                change.action.object_kind().code(),
                &change.object_id,
                change.province_code,
                change.commune_code,
                change.team_id,
                change.before.as_ref().map(|v| v.to_string()),
                change.after.as_ref().map(|v| v.to_string()),
            )
        })
        .collect();
    use JsonColumn::{Int, Text};
    insert_rows(
        conn,
        "audit_log",
        &[
            ("at", Text),
            ("user_id", Int),
            ("username", Text),
            ("address", Text),
            ("action", Text),
            ("object_kind", Text),
            ("object_id", Text),
            ("province_code", Text),
            ("commune_code", Text),
            ("team_id", Int),
            ("before_values", Text),
            ("after_values", Text),
        ],
        &rows,
    )
    .await
}
