//! What a citizen reads without signing in: a commune's active teams, each with its leader and deputies who
//! consented to be contacted publicly, and the number and date of the decision that set it up. Nothing else
//! personal leaves the store through here.

use crate::stored::{parse_stored, required_date};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use cnscd_domain::role::Role;
use sqlx::Row;
use std::collections::HashMap;

/// A leader or deputy who consented.
#[derive(Debug, Clone)]
pub struct PublicContact {
    pub full_name: String,
    pub role: Role,
    /// National form; `None` when she consented but the registry has no phone for her.
    pub phone: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PublicTeam {
    pub id: i64,
    pub commune_code: String,
    pub name: String,
    /// The leader first, then deputies; only those who consented.
    pub contacts: Vec<PublicContact>,
    /// The latest decision naming the team: number and signing date.
    pub decision: Option<(String, NaiveDate)>,
}

impl Store {
    /// The active teams of a commune in Vietnamese order, as the public may see them.
    pub async fn public_teams(&self, commune_code: &str) -> Result<Vec<PublicTeam>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let mut teams: Vec<PublicTeam> = sqlx::query(
            "SELECT id, name FROM teams WHERE commune_code = $1 AND status = 'active' ORDER BY sort_key, id",
        )
        .bind(commune_code)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| {
            Ok(PublicTeam {
                id: row.try_get("id")?,
                commune_code: commune_code.to_string(),
                name: row.try_get("name")?,
                contacts: Vec::new(),
                decision: None,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
        let position: HashMap<i64, usize> =
            teams.iter().enumerate().map(|(i, t)| (t.id, i)).collect();

        let contacts = sqlx::query(
            "SELECT m.team_id, m.full_name, m.role, m.phone FROM members m \
             JOIN teams t ON t.id = m.team_id \
             JOIN member_consents c ON c.member_id = m.id AND c.withdrawn_at IS NULL \
               AND COALESCE(c.phone, '') = COALESCE(m.phone, '') \
             WHERE t.commune_code = $1 AND t.status = 'active' AND m.left_on IS NULL \
               AND m.role IN ('leader', 'deputy') \
             ORDER BY m.team_id, m.role DESC, m.sort_key",
        )
        .bind(commune_code)
        .fetch_all(&mut *conn)
        .await?;
        for row in contacts {
            let team_id: i64 = row.try_get("team_id")?;
            if let Some(&i) = position.get(&team_id) {
                teams[i].contacts.push(PublicContact {
                    full_name: row.try_get("full_name")?,
                    role: parse_stored(&row, "role", Role::from_code)?,
                    phone: row.try_get("phone")?,
                });
            }
        }

        let decisions = sqlx::query(
            "SELECT dt.team_id, d.number, d.signed_on FROM decision_teams dt \
             JOIN decisions d ON d.id = dt.decision_id JOIN teams t ON t.id = dt.team_id \
             WHERE t.commune_code = $1 AND t.status = 'active' ORDER BY dt.team_id, d.signed_on, d.id",
        )
        .bind(commune_code)
        .fetch_all(&mut *conn)
        .await?;
        for row in decisions {
            let team_id: i64 = row.try_get("team_id")?;
            if let Some(&i) = position.get(&team_id) {
                // Ordered by date: the last one read is the latest.
                teams[i].decision =
                    Some((row.try_get("number")?, required_date(&row, "signed_on")?));
            }
        }
        Ok(teams)
    }

    /// One active team as the public may see it.
    pub async fn public_team(&self, team_id: i64) -> Result<PublicTeam, StoreError> {
        let commune: Option<String> = sqlx::query_scalar(
            "SELECT commune_code FROM teams WHERE id = $1 AND status = 'active'",
        )
        .bind(team_id)
        .fetch_optional(&self.pool)
        .await?;
        let commune = commune.ok_or(StoreError::NotFound("tổ"))?;
        self.public_teams(&commune)
            .await?
            .into_iter()
            .find(|t| t.id == team_id)
            .ok_or(StoreError::NotFound("tổ"))
    }
}
