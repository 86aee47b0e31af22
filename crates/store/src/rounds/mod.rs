//! Reporting rounds and the communes' reports: opening, editing, extending and closing a round (`write.rs`),
//! saving, submitting, returning and accepting a report (`reports.rs`), and what the Department reads: the
//! completeness board and the consolidated figures (`board.rs`).

mod board;
mod catalogue;
mod reports;
mod rosters;
mod write;

pub use board::{BoardLine, CommuneFigures, Ranking, RoundFigures};
pub use reports::{Report, ReportDraft, RosterSnapshot};
pub use rosters::FrozenRosters;

use crate::stored::{optional_date, parse_optional, parse_stored};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use cnscd_domain::clock::parse_stamp;
use cnscd_domain::round::{Indicator, RoundKind};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone)]
pub struct Round {
    pub id: i64,
    pub province_code: String,
    pub title: String,
    pub basis: String,
    pub kind: RoundKind,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// The deadline in force.
    pub deadline: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: String,
    pub version: i64,
    /// What the round asks, in order, with names and units as at opening.
    pub indicators: Vec<Indicator>,
    /// Communes expected to report (the opening snapshot).
    pub expected: i64,
    /// Reports submitted at least once: once there is one, the round's questions no longer change.
    pub answered: i64,
}

impl Round {
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }
}

/// A deadline a round had, and who set it.
#[derive(Debug, Clone)]
pub struct DeadlineChange {
    pub deadline: DateTime<Utc>,
    pub set_at: String,
    pub set_by: String,
    pub reason: String,
}

pub(crate) fn instant(row: &AnyRow, column: &str) -> Result<DateTime<Utc>, sqlx::Error> {
    parse_stored(row, column, parse_stamp)
}

pub(crate) fn optional_instant(
    row: &AnyRow,
    column: &str,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    parse_optional(row, column, parse_stamp)
}

const ROUND_COLUMNS: &str = "r.id, r.province_code, r.title, r.basis, r.kind, r.period_start, r.period_end, \
     r.deadline, r.closed_at, r.created_by, r.created_at, r.version, \
     (SELECT COUNT(*) FROM round_communes rc WHERE rc.round_id = r.id) AS expected, \
     (SELECT COUNT(*) FROM reports p WHERE p.round_id = r.id AND p.first_submitted_at IS NOT NULL) AS answered";

fn round_from_row(row: &AnyRow) -> Result<Round, sqlx::Error> {
    Ok(Round {
        id: row.try_get("id")?,
        province_code: row.try_get("province_code")?,
        title: row.try_get("title")?,
        basis: row.try_get("basis")?,
        kind: parse_stored(row, "kind", RoundKind::from_code)?,
        period_start: optional_date(row, "period_start")?,
        period_end: optional_date(row, "period_end")?,
        deadline: instant(row, "deadline")?,
        closed_at: optional_instant(row, "closed_at")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        version: row.try_get("version")?,
        indicators: Vec::new(),
        expected: row.try_get("expected")?,
        answered: row.try_get("answered")?,
    })
}

async fn indicators_of(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<Indicator>, StoreError> {
    let rows = sqlx::query(
        "SELECT code, name, unit FROM round_indicators WHERE round_id = $1 ORDER BY position",
    )
    .bind(round_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Indicator {
                code: row.try_get("code")?,
                name: row.try_get("name")?,
                unit: row.try_get("unit")?,
            })
        })
        .collect()
}

pub(crate) async fn round_in(conn: &mut AnyConnection, round_id: i64) -> Result<Round, StoreError> {
    let sql = format!("SELECT {ROUND_COLUMNS} FROM rounds r WHERE r.id = $1");
    let row = sqlx::query(&sql)
        .bind(round_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("đợt báo cáo"))?;
    let mut round = round_from_row(&row)?;
    round.indicators = indicators_of(conn, round_id).await?;
    Ok(round)
}

impl Store {
    pub async fn round(&self, round_id: i64) -> Result<Round, StoreError> {
        let mut conn = self.pool.acquire().await?;
        round_in(&mut conn, round_id).await
    }

    /// A province's rounds, newest first; for a commune officer only those her commune is expected in.
    pub async fn rounds(
        &self,
        province_code: &str,
        commune_code: Option<&str>,
    ) -> Result<Vec<Round>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let only = if commune_code.is_some() {
            "AND EXISTS (SELECT 1 FROM round_communes rc WHERE rc.round_id = r.id AND rc.commune_code = $2)"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {ROUND_COLUMNS} FROM rounds r WHERE r.province_code = $1 {only} ORDER BY r.id DESC"
        );
        let mut query = sqlx::query(&sql).bind(province_code);
        if let Some(code) = commune_code {
            query = query.bind(code);
        }
        let rows = query.fetch_all(&mut *conn).await?;
        let mut rounds: Vec<Round> = rows.iter().map(round_from_row).collect::<Result<_, _>>()?;
        for round in &mut rounds {
            round.indicators = indicators_of(&mut conn, round.id).await?;
        }
        Ok(rounds)
    }

    /// Every deadline the round had, first to last.
    pub async fn round_deadlines(&self, round_id: i64) -> Result<Vec<DeadlineChange>, StoreError> {
        let rows = sqlx::query(
            "SELECT deadline, set_at, set_by, reason FROM round_deadlines WHERE round_id = $1 ORDER BY set_at, deadline",
        )
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DeadlineChange {
                    deadline: instant(row, "deadline")?,
                    set_at: row.try_get("set_at")?,
                    set_by: row.try_get("set_by")?,
                    reason: row.try_get("reason")?,
                })
            })
            .collect()
    }

    /// Is the commune expected to report in the round?
    pub async fn round_expects(
        &self,
        round_id: i64,
        commune_code: &str,
    ) -> Result<bool, StoreError> {
        let found: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM round_communes WHERE round_id = $1 AND commune_code = $2",
        )
        .bind(round_id)
        .bind(commune_code)
        .fetch_one(&self.pool)
        .await?;
        Ok(found > 0)
    }
}
