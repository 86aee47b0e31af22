//! Small helpers shared by the queries: date columns, multi-row VALUES lists, optional filters, pages.

use chrono::NaiveDate;
use sqlx::AnyConnection;

/// A date as stored: `YYYY-MM-DD`, which sorts as text in both databases.
pub fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// `($1,$2,$3),($4,$5,$6)` for `rows` rows of `columns` values, for a multi-row INSERT. SQLite gets anonymous
/// `?` placeholders: it resolves each named one by scanning a list, which is quadratic in a large INSERT.
pub fn values_list(conn: &AnyConnection, rows: usize, columns: usize) -> String {
    let anonymous = conn.backend_name() == "SQLite";
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=columns)
                .map(|c| {
                    if anonymous {
                        "?".to_string()
                    } else {
                        format!("${}", r * columns + c)
                    }
                })
                .collect();
            format!("({})", cells.join(","))
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `$3,$4,$5` for an IN list of `count` values starting at parameter `first`.
pub fn in_list(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A value bound to a numbered placeholder.
#[derive(Debug, Clone)]
pub enum Value {
    Text(String),
    Int(i64),
}

/// WHERE clauses built from optional filters, with their values numbered in order.
#[derive(Debug, Default)]
pub struct Conditions {
    clauses: Vec<String>,
    pub values: Vec<Value>,
}

impl Conditions {
    /// Adds a clause in which `?` stands for the value's placeholder.
    pub fn add(&mut self, clause: &str, value: Value) {
        self.values.push(value);
        self.clauses
            .push(clause.replace('?', &format!("${}", self.values.len())));
    }

    /// Adds a clause without a value.
    pub fn add_fixed(&mut self, clause: &str) {
        self.clauses.push(clause.to_string());
    }

    pub fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }

    /// The placeholder number the next value will take.
    pub fn next_placeholder(&self) -> usize {
        self.values.len() + 1
    }

    pub fn bind<'q>(
        &self,
        mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for value in &self.values {
            query = match value {
                Value::Text(text) => query.bind(text.clone()),
                Value::Int(number) => query.bind(*number),
            };
        }
        query
    }
}

/// The total count and one page of `SELECT columns FROM from WHERE … ORDER BY order_by`.
pub async fn fetch_page(
    pool: &sqlx::AnyPool,
    conditions: &Conditions,
    columns: &str,
    from: &str,
    order_by: &str,
    page: crate::PageRequest,
) -> Result<(i64, Vec<sqlx::any::AnyRow>), sqlx::Error> {
    use sqlx::Row;
    let from = format!("{from} {}", conditions.where_sql());
    let total: i64 = conditions
        .bind(sqlx::query(&format!("SELECT COUNT(*) AS n {from}")))
        .fetch_one(pool)
        .await?
        .try_get("n")?;
    let n = conditions.next_placeholder();
    let sql = format!(
        "SELECT {columns} {from} ORDER BY {order_by} LIMIT ${n} OFFSET ${}",
        n + 1
    );
    let rows = conditions
        .bind(sqlx::query(&sql))
        .bind(page.per_page)
        .bind(page.offset())
        .fetch_all(pool)
        .await?;
    Ok((total, rows))
}
