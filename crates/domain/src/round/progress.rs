//! The arithmetic of a round's completeness. Every figure is a count of expected communes, so none can pass
//! `expected` and no rate can pass 100.

use super::ReportState;
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use serde::Serialize;

/// One expected commune's report, as far as completeness is concerned.
#[derive(Debug, Clone, Copy)]
pub struct ReportLine {
    pub state: ReportState,
    /// The first submission: a correction after a return never moves it.
    pub first_submitted_at: Option<DateTime<Utc>>,
}

/// Submitted in time: at or before the deadline in force, to the second.
pub fn on_time(first_submitted_at: DateTime<Utc>, deadline: DateTime<Utc>) -> bool {
    let to_the_second = first_submitted_at
        .duration_trunc(TimeDelta::seconds(1))
        .unwrap_or(first_submitted_at);
    to_the_second <= deadline
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Completeness {
    /// Communes in the round's opening snapshot.
    pub expected: i64,
    /// Communes that submitted at least once, whatever their state now.
    pub submitted: i64,
    /// Communes whose first submission was at or before the deadline in force.
    pub on_time: i64,
    /// `submitted − on_time`.
    pub late: i64,
    /// `expected − submitted`.
    pub missing: i64,
    /// Communes now waiting to resubmit.
    pub returned: i64,
    /// Communes now accepted.
    pub accepted: i64,
    /// Percent of `expected`, one decimal.
    pub reporting_rate: f64,
    pub on_time_rate: f64,
    pub accepted_rate: f64,
}

/// `part` as a percentage of `whole`, rounded to one decimal (0 for an empty round).
fn rate(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    ((part * 1000) as f64 / whole as f64).round() / 10.0
}

impl Completeness {
    pub fn of(lines: &[ReportLine], deadline: DateTime<Utc>) -> Self {
        let expected = lines.len() as i64;
        let count =
            |keep: &dyn Fn(&ReportLine) -> bool| lines.iter().filter(|l| keep(l)).count() as i64;
        let submitted = count(&|l| l.first_submitted_at.is_some());
        let on_time = count(&|l| l.first_submitted_at.is_some_and(|at| on_time(at, deadline)));
        let returned = count(&|l| l.state == ReportState::Returned);
        let accepted = count(&|l| l.state == ReportState::Accepted);
        Self {
            expected,
            submitted,
            on_time,
            late: submitted - on_time,
            missing: expected - submitted,
            returned,
            accepted,
            reporting_rate: rate(submitted, expected),
            on_time_rate: rate(on_time, expected),
            accepted_rate: rate(accepted, expected),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn line(state: ReportState, first: Option<&str>) -> ReportLine {
        ReportLine {
            state,
            first_submitted_at: first.map(at),
        }
    }

    #[test]
    fn the_deadline_holds_to_the_second() {
        let deadline = at("2025-07-15T10:00:00Z");
        assert!(on_time(at("2025-07-15T10:00:00.999Z"), deadline));
        assert!(!on_time(at("2025-07-15T10:00:01Z"), deadline));
    }

    #[test]
    fn counts_follow_the_definitions() {
        let deadline = at("2025-07-15T10:00:00Z");
        let lines = [
            line(ReportState::Accepted, Some("2025-07-14T08:00:00Z")),
            // Returned after an on-time first submission: still on time, but waiting.
            line(ReportState::Returned, Some("2025-07-15T10:00:00Z")),
            // Resubmitted after the deadline: the first submission counts.
            line(ReportState::Submitted, Some("2025-07-15T09:00:00Z")),
            line(ReportState::Submitted, Some("2025-07-16T09:00:00Z")),
            line(ReportState::Draft, None),
            line(ReportState::NotStarted, None),
        ];
        let c = Completeness::of(&lines, deadline);
        assert_eq!(
            (
                c.expected,
                c.submitted,
                c.on_time,
                c.late,
                c.missing,
                c.returned,
                c.accepted
            ),
            (6, 4, 3, 1, 2, 1, 1)
        );
        assert_eq!(
            (c.reporting_rate, c.on_time_rate, c.accepted_rate),
            (66.7, 50.0, 16.7)
        );
    }

    #[test]
    fn an_empty_round_has_no_rates() {
        let c = Completeness::of(&[], at("2025-07-15T10:00:00Z"));
        assert_eq!((c.expected, c.reporting_rate), (0, 0.0));
    }

    #[test]
    fn a_full_round_is_exactly_one_hundred() {
        let deadline = at("2025-07-15T10:00:00Z");
        let lines = vec![line(ReportState::Accepted, Some("2025-07-14T08:00:00Z")); 3];
        let c = Completeness::of(&lines, deadline);
        assert_eq!(
            (c.reporting_rate, c.on_time_rate, c.accepted_rate),
            (100.0, 100.0, 100.0)
        );
    }
}
