//! Many rows in one statement: the rows travel as one JSON array parameter that the engine unpacks in C
//! (SQLite's `json_each`, PostgreSQL's `jsonb_array_elements`: parsed once, where `json` parsed each row again
//! for every column taken, twice as slow). Binding every value instead cost more than the
//! writing itself: a boxed value per cell, statements of thousands of placeholders, and a hand-off to the
//! driver's thread per returned id. New rows get their ids beforehand ([`reserve_ids`]), so nothing is read
//! back and nothing depends on the order in which an engine returns rows.

use crate::connect::Backend;
use crate::StoreError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::AnyConnection;

/// Rows per statement: a whole province's import is a few statements, each a few megabytes of JSON.
const ROWS_PER_STATEMENT: usize = 10_000;

/// The SQL type of a column sent as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    Int,
    Text,
}

impl Backend {
    /// The engine behind a connection.
    pub(crate) fn of(conn: &AnyConnection) -> Backend {
        if conn.backend_name() == "SQLite" {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }
}

/// `SELECT <one value per column> FROM <the rows of the JSON array at $param>`, each row a JSON array of the
/// columns' values in order.
pub(crate) fn select_rows(backend: Backend, param: usize, columns: &[Column]) -> String {
    let cells: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, column)| match (backend, column) {
            (Backend::Sqlite, _) => format!("value->>{i}"),
            (Backend::Postgres, Column::Int) => format!("(value->>{i})::bigint"),
            (Backend::Postgres, Column::Text) => format!("value->>{i}"),
        })
        .collect();
    // In the array's order, so that rows (and history entries) are written in the order they were given.
    match backend {
        Backend::Sqlite => format!(
            "SELECT {} FROM json_each(${param}) ORDER BY key",
            cells.join(", ")
        ),
        Backend::Postgres => format!(
            "SELECT {} FROM jsonb_array_elements(${param}::jsonb) WITH ORDINALITY AS rows(value, position) \
             ORDER BY position",
            cells.join(", ")
        ),
    }
}

/// `SELECT value FROM <the JSON array of single values at $param>`, for `IN (…)`.
pub(crate) fn select_values(backend: Backend, param: usize, column: Column) -> String {
    match (backend, column) {
        (Backend::Sqlite, _) => format!("SELECT value FROM json_each(${param})"),
        (Backend::Postgres, Column::Int) => {
            format!("SELECT value::bigint FROM jsonb_array_elements_text(${param}::jsonb)")
        }
        (Backend::Postgres, Column::Text) => {
            format!("SELECT value FROM jsonb_array_elements_text(${param}::jsonb)")
        }
    }
}

/// The expression that gathers a query's rows, in `order_by` order, into one JSON array of `[cell, cell, …]`
/// rows (read back with [`parse_rows`]): one value to hand back instead of a row each.
pub(crate) fn gather_rows(backend: Backend, cells: &[&str], order_by: &str) -> String {
    let cells = cells.join(", ");
    match backend {
        Backend::Sqlite => format!("json_group_array(json_array({cells}) ORDER BY {order_by})"),
        Backend::Postgres => {
            format!("json_agg(json_build_array({cells}) ORDER BY {order_by})::text")
        }
    }
}

/// The rows of a [`gather_rows`] value (PostgreSQL gathers no rows as NULL).
pub(crate) fn parse_rows<R: DeserializeOwned>(
    gathered: Option<String>,
) -> Result<Vec<R>, StoreError> {
    match gathered {
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| StoreError::Database(sqlx::Error::Decode(e.into()))),
        None => Ok(Vec::new()),
    }
}

/// `values` as the JSON text a statement of this module takes.
pub(crate) fn to_json<T: Serialize + ?Sized>(values: &T) -> Result<String, StoreError> {
    serde_json::to_string(values).map_err(|e| StoreError::Database(sqlx::Error::Encode(e.into())))
}

/// Inserts `rows` into `table (columns…)`; each row serializes to a JSON array (a tuple) of the columns'
/// values in the order given.
pub(crate) async fn insert_rows<R: Serialize>(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[(&str, Column)],
    rows: &[R],
) -> Result<(), StoreError> {
    let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    let types: Vec<Column> = columns.iter().map(|(_, column)| *column).collect();
    let sql = format!(
        "INSERT INTO {table} ({}) {}",
        names.join(", "),
        select_rows(Backend::of(conn), 1, &types)
    );
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        sqlx::query(&sql)
            .bind(to_json(chunk)?)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Sets each row of `table` to its own values, raises its version and stamps it: `rows` serialize to JSON
/// arrays of the id then `columns`' values, in order.
pub(crate) async fn update_rows<R: Serialize>(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[(&str, Column)],
    stamp: &str,
    rows: &[R],
) -> Result<(), StoreError> {
    let mut types = vec![Column::Int];
    types.extend(columns.iter().map(|(_, column)| *column));
    let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    let sets: Vec<String> = names
        .iter()
        .map(|name| format!("{name} = given.{name}"))
        .collect();
    let sql = format!(
        "WITH given(id, {}) AS ({}) UPDATE {table} SET {}, version = version + 1, updated_at = $2 \
         FROM given WHERE {table}.id = given.id",
        names.join(", "),
        select_rows(Backend::of(conn), 1, &types),
        sets.join(", ")
    );
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        sqlx::query(&sql)
            .bind(to_json(chunk)?)
            .bind(stamp)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Ids for `count` new rows of `table`, taken now so that the rows can be written with them. Must run inside
/// a write: SQLite's write lock keeps the ids free until the rows are in (an explicit id moves SQLite's
/// counter on); PostgreSQL takes them from the table's sequence, which never hands one out twice.
pub(crate) async fn reserve_ids(
    conn: &mut AnyConnection,
    table: &'static str,
    count: usize,
) -> Result<Vec<i64>, StoreError> {
    if count == 0 {
        return Ok(Vec::new());
    }
    let count = i64::try_from(count).expect("a row count fits in i64");
    match Backend::of(conn) {
        Backend::Sqlite => {
            let sql = format!(
                "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = $1), 0), \
                 COALESCE((SELECT MAX(id) FROM {table}), 0))"
            );
            let last: i64 = sqlx::query_scalar(&sql)
                .bind(table)
                .fetch_one(&mut *conn)
                .await?;
            Ok((last + 1..=last + count).collect())
        }
        Backend::Postgres => {
            let ids: String = sqlx::query_scalar(
                "SELECT json_agg(nextval(pg_get_serial_sequence($1, 'id')))::text FROM generate_series(1, $2)",
            )
            .bind(table)
            .bind(count)
            .fetch_one(&mut *conn)
            .await?;
            parse_rows(Some(ids))
        }
    }
}
