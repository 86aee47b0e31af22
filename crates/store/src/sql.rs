//! Small helpers shared by the queries: time stamps, date columns, multi-row VALUES lists.

use chrono::{NaiveDate, SecondsFormat, Utc};

pub fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub fn parse_date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

/// `($1,$2,$3),($4,$5,$6)` for `rows` rows of `columns` values.
pub fn values_list(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=columns)
                .map(|c| format!("${}", r * columns + c))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_placeholders_in_order() {
        assert_eq!(values_list(2, 3), "($1,$2,$3),($4,$5,$6)");
        assert_eq!(in_list(3, 2), "$3,$4");
    }
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
