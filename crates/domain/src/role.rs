//! A member's role in a team: leader (Tổ trưởng), deputy (Tổ phó) or member (Thành viên).

use crate::errors::FieldError;
use crate::text::fold;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    Leader,
    Deputy,
    Member,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Leader, Role::Deputy, Role::Member];

    /// Stable code used in the database, the API and exports.
    pub fn code(self) -> &'static str {
        match self {
            Role::Leader => "leader",
            Role::Deputy => "deputy",
            Role::Member => "member",
        }
    }

    /// The title written in Vietnamese documents.
    pub fn label(self) -> &'static str {
        match self {
            Role::Leader => "Tổ trưởng",
            Role::Deputy => "Tổ phó",
            Role::Member => "Thành viên",
        }
    }

    /// Reads a role from its code or from how people write it (`Tổ Trưởng`, `TỔ PHÓ`, `Phó tổ trưởng`,
    /// `TV`, `Tổ viên`, `thành viên`).
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let key = fold(input);
        let role = match key.as_str() {
            "leader" | "to truong" | "truong to" | "tt" => Role::Leader,
            "deputy" | "to pho" | "pho to" | "pho to truong" | "tp" => Role::Deputy,
            "member" | "thanh vien" | "tv" | "to vien" | "uy vien" => Role::Member,
            _ => {
                return Err(FieldError::new(
                    "role",
                    "role_invalid",
                    format!(
                        "Chức vụ «{}» không rõ: hãy ghi Tổ trưởng, Tổ phó hoặc Thành viên.",
                        input.trim()
                    ),
                ))
            }
        };
        Ok(role)
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_roles_in_any_writing() {
        for (written, role) in [
            ("Tổ trưởng", Role::Leader),
            ("TỔ TRƯỞNG", Role::Leader),
            ("Tổ Trưởng", Role::Leader),
            ("leader", Role::Leader),
            ("tổ phó", Role::Deputy),
            ("Phó tổ trưởng", Role::Deputy),
            ("TV", Role::Member),
            ("Tổ viên", Role::Member),
            ("thành viên", Role::Member),
            (" Thành  viên ", Role::Member),
        ] {
            assert_eq!(Role::parse(written).unwrap(), role, "{written}");
        }
    }

    #[test]
    fn refuses_unknown_roles() {
        assert_eq!(Role::parse("Chủ tịch").unwrap_err().code, "role_invalid");
        assert_eq!(Role::parse("").unwrap_err().code, "role_invalid");
    }

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
    }
}
