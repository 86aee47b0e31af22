//! What the Department reads of a round: every expected commune with its report's state (the completeness
//! board), and the figures of the reports that count.

use super::optional_instant;
use crate::stored::parse_optional;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use cnscd_domain::round::{Indicator, ReportLine, ReportState};
use sqlx::Row;
use std::collections::BTreeMap;

/// One expected commune on the completeness board.
#[derive(Debug, Clone)]
pub struct BoardLine {
    pub commune_code: String,
    pub commune_name: String,
    pub state: ReportState,
    pub submissions: i64,
    pub first_submitted_at: Option<DateTime<Utc>>,
    pub last_submitted_at: Option<DateTime<Utc>>,
    pub on_behalf: bool,
    pub return_reason: Option<String>,
    /// The commune's officer, for a follow-up call.
    pub officer_name: Option<String>,
    pub officer_phone: Option<String>,
}

impl BoardLine {
    pub fn line(&self) -> ReportLine {
        ReportLine {
            state: self.state,
            first_submitted_at: self.first_submitted_at,
        }
    }
}

/// One commune's figures in a round (a report submitted at least once: drafts are the commune's own).
#[derive(Debug, Clone)]
pub struct CommuneFigures {
    pub commune_code: String,
    pub commune_name: String,
    pub state: ReportState,
    pub submissions: i64,
    /// Entered by the Department from a report sent on paper.
    pub on_behalf: bool,
    pub figures: BTreeMap<String, i64>,
}

/// Communes ranked by one indicator: (code, name, value).
#[derive(Debug, Clone, Default)]
pub struct Ranking {
    /// Communes whose counted report gives the indicator.
    pub reported: i64,
    pub top: Vec<(String, String, i64)>,
    /// Lowest first; none of them is also in `top`.
    pub bottom: Vec<(String, String, i64)>,
}

/// The figures of every report saved in a round, commune by commune; totals are the caller's to sum (of the
/// reports whose state counts).
#[derive(Debug, Clone)]
pub struct RoundFigures {
    pub indicators: Vec<Indicator>,
    pub communes: Vec<CommuneFigures>,
}

impl RoundFigures {
    /// Per indicator: the sum over counted reports and how many reports it sums.
    pub fn totals(&self) -> Vec<(Indicator, i64, i64)> {
        self.indicators
            .iter()
            .map(|indicator| {
                let counted = self
                    .communes
                    .iter()
                    .filter(|c| c.state.counted())
                    .filter_map(|c| c.figures.get(&indicator.code));
                let (total, communes) = counted.fold((0, 0), |(t, n), v| (t + v, n + 1));
                (indicator.clone(), total, communes)
            })
            .collect()
    }

    /// The communes whose counted report gives `code`, highest first (ties by the province's order): the
    /// `most` highest and, apart from them, the `most` lowest (lowest first).
    pub fn ranking(&self, code: &str, most: usize) -> Ranking {
        let mut reported: Vec<(&CommuneFigures, i64)> = self
            .communes
            .iter()
            .filter(|c| c.state.counted())
            .filter_map(|c| c.figures.get(code).map(|v| (c, *v)))
            .collect();
        // Stable: equal values keep the province's order.
        reported.sort_by_key(|(_, value)| std::cmp::Reverse(*value));
        let line =
            |(c, v): &(&CommuneFigures, i64)| (c.commune_code.clone(), c.commune_name.clone(), *v);
        let top: Vec<_> = reported.iter().take(most).map(line).collect();
        let rest = reported.len().saturating_sub(top.len());
        let bottom = reported
            .iter()
            .rev()
            .take(most.min(rest))
            .map(line)
            .collect();
        Ranking {
            reported: reported.len() as i64,
            top,
            bottom,
        }
    }

    /// Reports left out of the totals because they were returned for correction.
    pub fn left_out_returned(&self) -> i64 {
        self.communes
            .iter()
            .filter(|c| c.state == ReportState::Returned)
            .count() as i64
    }
}

impl Store {
    /// Every commune expected in the round, in the province's order, with its report's state and officer.
    pub async fn round_board(&self, round_id: i64) -> Result<Vec<BoardLine>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.code, c.name, p.state, p.submissions, p.first_submitted_at, p.last_submitted_at, \
               p.on_behalf, p.return_reason, \
               (SELECT u.full_name FROM users u WHERE u.commune_code = c.code AND u.role = 'commune_officer' \
                  AND u.disabled = 0 ORDER BY u.id LIMIT 1) AS officer_name, \
               (SELECT u.phone FROM users u WHERE u.commune_code = c.code AND u.role = 'commune_officer' \
                  AND u.disabled = 0 ORDER BY u.id LIMIT 1) AS officer_phone \
             FROM round_communes rc JOIN communes c ON c.code = rc.commune_code \
             LEFT JOIN reports p ON p.round_id = rc.round_id AND p.commune_code = rc.commune_code \
             WHERE rc.round_id = $1 ORDER BY c.sort_key, c.code",
        )
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(BoardLine {
                    commune_code: row.try_get("code")?,
                    commune_name: row.try_get("name")?,
                    state: parse_optional(row, "state", ReportState::from_code)?
                        .unwrap_or(ReportState::NotStarted),
                    submissions: row.try_get::<Option<i64>, _>("submissions")?.unwrap_or(0),
                    first_submitted_at: optional_instant(row, "first_submitted_at")?,
                    last_submitted_at: optional_instant(row, "last_submitted_at")?,
                    on_behalf: row.try_get::<Option<i64>, _>("on_behalf")?.unwrap_or(0) != 0,
                    return_reason: row.try_get("return_reason")?,
                    officer_name: row.try_get("officer_name")?,
                    officer_phone: row.try_get("officer_phone")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The figures of every report submitted in the round (at least once), commune by commune in the
    /// province's order.
    pub async fn round_figures(&self, round_id: i64) -> Result<RoundFigures, StoreError> {
        let round = self.round(round_id).await?;
        let rows = sqlx::query(
            "SELECT p.commune_code, c.name, p.state, p.submissions, p.on_behalf, p.submitted_figures \
             FROM reports p JOIN communes c ON c.code = p.commune_code \
             WHERE p.round_id = $1 AND p.first_submitted_at IS NOT NULL ORDER BY c.sort_key, c.code",
        )
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        // The figures as submitted: a returned report being corrected shows what the Department returned.
        let communes = rows
            .iter()
            .map(|row| {
                Ok(CommuneFigures {
                    commune_code: row.try_get("commune_code")?,
                    commune_name: row.try_get("name")?,
                    state: crate::stored::parse_stored(row, "state", ReportState::from_code)?,
                    submissions: row.try_get("submissions")?,
                    on_behalf: row.try_get::<i64, _>("on_behalf")? != 0,
                    figures: crate::stored::parse_stored(row, "submitted_figures", |t| {
                        serde_json::from_str::<BTreeMap<String, i64>>(t).ok()
                    })?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(RoundFigures {
            indicators: round.indicators,
            communes,
        })
    }
}
