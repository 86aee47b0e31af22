//! Where a commune's report stands in a round, and which moves each state allows.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReportState {
    /// Nothing saved yet.
    NotStarted,
    /// Saved, not submitted.
    Draft,
    /// Submitted (again, after a return, when `submissions > 1`), waiting for the Department.
    Submitted,
    /// Returned by the Department with a reason: the commune corrects and submits again.
    Returned,
    /// Accepted by the Department.
    Accepted,
}

impl ReportState {
    pub const ALL: [ReportState; 5] = [
        ReportState::NotStarted,
        ReportState::Draft,
        ReportState::Submitted,
        ReportState::Returned,
        ReportState::Accepted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReportState::NotStarted => "not_started",
            ReportState::Draft => "draft",
            ReportState::Submitted => "submitted",
            ReportState::Returned => "returned",
            ReportState::Accepted => "accepted",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The state as the completeness board names it; a report submitted again after a return is `đã nộp lại`.
    pub fn label(self, submissions: i64) -> &'static str {
        match self {
            ReportState::NotStarted => "Chưa nộp",
            ReportState::Draft => "Đang soạn",
            ReportState::Submitted if submissions > 1 => "Đã nộp lại",
            ReportState::Submitted => "Đã nộp",
            ReportState::Returned => "Bị trả lại, cần sửa",
            ReportState::Accepted => "Đã tiếp nhận",
        }
    }

    /// The commune may change its figures and narrative.
    pub fn editable(self) -> bool {
        matches!(
            self,
            ReportState::NotStarted | ReportState::Draft | ReportState::Returned
        )
    }

    /// The commune may submit (what it saved).
    pub fn submittable(self) -> bool {
        matches!(self, ReportState::Draft | ReportState::Returned)
    }

    /// The Department may accept it or return it.
    pub fn awaits_review(self) -> bool {
        self == ReportState::Submitted
    }

    /// Its figures count in the round's totals (a returned report is being corrected: left out).
    pub fn counted(self) -> bool {
        matches!(self, ReportState::Submitted | ReportState::Accepted)
    }
}
