//! The province's rules for team composition. Provinces differ (village teams of at most 5, or at least 7),
//! so the numbers are settings; the checks are here.

use crate::errors::FieldError;
use serde::{Deserialize, Serialize};

pub const DEFAULT_MIN_MEMBERS: i64 = 3;
pub const DEFAULT_MAX_MEMBERS: i64 = 15;
const LARGEST_ALLOWED_TEAM: i64 = 200;

/// A count typed in a form (`3`).
pub fn parse_count(field: &str, typed: &str) -> Result<i64, FieldError> {
    typed
        .trim()
        .parse()
        .map_err(|_| FieldError::new(field, "number_invalid", "Nhập một số nguyên, ví dụ 3."))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRules {
    pub min_members: i64,
    pub max_members: i64,
}

impl Default for TeamRules {
    fn default() -> Self {
        Self {
            min_members: DEFAULT_MIN_MEMBERS,
            max_members: DEFAULT_MAX_MEMBERS,
        }
    }
}

impl TeamRules {
    pub fn new(min_members: i64, max_members: i64) -> Result<Self, FieldError> {
        if min_members < 1 || max_members < min_members || max_members > LARGEST_ALLOWED_TEAM {
            return Err(FieldError::new(
                "max_members",
                "rules_invalid",
                format!(
                    "Số thành viên tối thiểu phải từ 1 và không lớn hơn tối đa; tối đa không quá {LARGEST_ALLOWED_TEAM}."
                ),
            ));
        }
        Ok(Self {
            min_members,
            max_members,
        })
    }

    /// A team may not grow past the maximum.
    pub fn check_size(&self, active_members: i64) -> Result<(), FieldError> {
        if active_members > self.max_members {
            return Err(FieldError::new(
                "team",
                "team_full",
                format!(
                    "Tổ đã đủ {} thành viên, mức tối đa theo quy định của tỉnh.",
                    self.max_members
                ),
            ));
        }
        Ok(())
    }

    /// Below the minimum is allowed while a team is being filled, but shown as a problem.
    pub fn is_understaffed(&self, active_members: i64) -> bool {
        active_members < self.min_members
    }
}

/// An active team has exactly one leader.
pub fn check_leaders(active_leaders: i64) -> Result<(), FieldError> {
    match active_leaders {
        1 => Ok(()),
        0 => Err(FieldError::new(
            "role",
            "leader_missing",
            "Tổ phải có một tổ trưởng: hãy chọn người làm tổ trưởng trước.",
        )),
        _ => Err(FieldError::new(
            "role",
            "leader_multiple",
            "Tổ chỉ có một tổ trưởng: hãy đổi vai trò của tổ trưởng hiện tại hoặc dùng «Đặt làm tổ trưởng».",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_limits_come_from_settings() {
        let rules = TeamRules::new(7, 9).unwrap();
        assert!(rules.check_size(9).is_ok());
        assert_eq!(rules.check_size(10).unwrap_err().code, "team_full");
        assert!(rules.is_understaffed(6));
        assert!(TeamRules::new(5, 3).is_err());
        assert!(TeamRules::new(0, 3).is_err());
    }

    #[test]
    fn exactly_one_leader() {
        assert!(check_leaders(1).is_ok());
        assert_eq!(check_leaders(0).unwrap_err().code, "leader_missing");
        assert_eq!(check_leaders(2).unwrap_err().code, "leader_multiple");
    }
}
