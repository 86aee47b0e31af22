//! The team list as the Department's template holds it: a province's communes, their teams with the deciding
//! decision, and each team's members. Exports write it; imports read it; the JSON export is its serialisation.

use crate::decision::DecisionNumber;
use crate::person_name::PersonName;
use crate::phone::Phone;
use crate::role::Role;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    pub province: RosterProvince,
    pub communes: Vec<RosterCommune>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterProvince {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterCommune {
    pub code: String,
    pub name: String,
    pub teams: Vec<RosterTeam>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterTeam {
    pub name: String,
    pub decision: Option<RosterDecision>,
    pub members: Vec<RosterMember>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterDecision {
    pub number: DecisionNumber,
    /// Serialised as `YYYY-MM-DD`.
    pub date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterMember {
    pub name: PersonName,
    pub role: Role,
    /// Serialised in national form, e.g. `0914994123`.
    pub phone: Option<Phone>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// From the file's optional `Ngày vào tổ` column; serialised as `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_on: Option<NaiveDate>,
}

impl Roster {
    pub fn team_count(&self) -> usize {
        self.communes.iter().map(|c| c.teams.len()).sum()
    }

    pub fn member_count(&self) -> usize {
        self.communes
            .iter()
            .flat_map(|c| &c.teams)
            .map(|t| t.members.len())
            .sum()
    }
}
