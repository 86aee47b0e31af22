//! Loading a whole commune's registry at once (demo data, benchmarks): batched inserts in one transaction,
//! without the per-change rule checks, so that data with known problems can be loaded on purpose.

use crate::counts::refresh_commune;
use crate::decisions::{insert_decision, link_teams};
use crate::members::{insert_member_rows, MemberRow};
use crate::search::PendingTerms;
use crate::teams::{insert_team_rows, province_of_commune, TeamRow};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use cnscd_domain::decision::ValidDecision;
use cnscd_domain::member::ValidMember;
use cnscd_domain::public::{CommuneContact, ConsentMethod};
use cnscd_domain::team::TeamStatus;

pub struct TeamSeed {
    pub name: String,
    pub note: String,
    pub status: TeamStatus,
    pub dissolved_on: Option<NaiveDate>,
    pub members: Vec<ValidMember>,
    /// Index into the commune's `decisions`.
    pub decision: Option<usize>,
    /// The leader consented to be named with her phone on the public pages.
    pub leader_consents: bool,
}

pub struct CommuneSeed {
    pub commune_code: String,
    pub decisions: Vec<ValidDecision>,
    pub teams: Vec<TeamSeed>,
    /// The commune's public contact.
    pub contact: Option<CommuneContact>,
    /// How many villages and residential groups it has.
    pub villages: Option<i64>,
}

impl Store {
    /// Writes a commune's teams, members and decisions in one transaction.
    pub async fn seed_commune(&self, seed: &CommuneSeed) -> Result<(), StoreError> {
        let mut tx = self.housekeeping().await?;
        let province = province_of_commune(&mut tx, &seed.commune_code).await?;
        let stamp = tx.stamp();
        let mut decision_ids = Vec::with_capacity(seed.decisions.len());
        for decision in &seed.decisions {
            let id = insert_decision(&mut tx, &seed.commune_code, decision, &stamp).await?;
            decision_ids.push((id, Vec::new()));
        }
        let mut terms = PendingTerms::default();
        let team_rows: Vec<TeamRow> = seed
            .teams
            .iter()
            .map(|team| TeamRow {
                name: &team.name,
                note: &team.note,
                status: team.status,
                dissolved_on: team.dissolved_on,
            })
            .collect();
        let team_ids = insert_team_rows(
            &mut tx,
            &stamp,
            &province,
            &seed.commune_code,
            &team_rows,
            &mut terms,
        )
        .await?;
        for (team, id) in seed.teams.iter().zip(&team_ids) {
            if let Some((_, covered)) = team.decision.and_then(|d| decision_ids.get_mut(d)) {
                covered.push(*id);
            }
        }
        for (decision_id, covered) in &decision_ids {
            // Counts are recomputed once for the whole commune below.
            link_teams(&mut tx, *decision_id, covered).await?;
        }
        let rows: Vec<MemberRow> = seed
            .teams
            .iter()
            .zip(&team_ids)
            .flat_map(|(team, id)| {
                team.members.iter().map(move |m| MemberRow {
                    team_id: *id,
                    full_name: m.name.as_str().to_string(),
                    role: m.role,
                    phone: m.phone.as_ref().map(|p| p.as_str().to_string()),
                    note: m.note.clone(),
                    joined_on: m.joined_on,
                    left_on: team.dissolved_on,
                })
            })
            .collect();
        insert_member_rows(&mut tx, &stamp, &province, &rows, &mut terms).await?;
        terms.write(&mut tx).await?;
        let consenting: Vec<i64> = seed
            .teams
            .iter()
            .zip(&team_ids)
            .filter(|(team, _)| team.leader_consents)
            .map(|(_, id)| *id)
            .collect();
        if !consenting.is_empty() {
            let sql = format!(
                "INSERT INTO member_consents (member_id, method, recorded_by, recorded_at, phone) \
                 SELECT id, $1, 'demo', $2, phone FROM members \
                 WHERE role = 'leader' AND left_on IS NULL AND team_id IN ({})",
                consenting
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            sqlx::query(&sql)
                .bind(ConsentMethod::PaperForm.code())
                .bind(&stamp)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(villages) = seed.villages {
            sqlx::query(
                "INSERT INTO commune_villages (commune_code, villages, updated_by, updated_at) \
                 VALUES ($1, $2, 'demo', $3)",
            )
            .bind(&seed.commune_code)
            .bind(villages)
            .bind(&stamp)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(contact) = &seed.contact {
            sqlx::query(
                "INSERT INTO commune_contacts (commune_code, label, phone, updated_by, updated_at) \
                 VALUES ($1, $2, $3, 'demo', $4)",
            )
            .bind(&seed.commune_code)
            .bind(&contact.label)
            .bind(contact.phone.as_str())
            .bind(&stamp)
            .execute(&mut *tx)
            .await?;
        }
        refresh_commune(&mut tx, &seed.commune_code).await?;
        tx.commit().await?;
        // Not audited (demo data), but the registry changed: figures derived from it are stale.
        self.changes
            .fetch_add(1, std::sync::atomic::Ordering::Release);
        Ok(())
    }

    /// Whether any team is registered in a province (the demo refuses to mix with real data).
    pub async fn province_has_teams(&self, province_code: &str) -> Result<bool, StoreError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM teams t JOIN communes c ON c.code = t.commune_code WHERE c.province_code = $1",
        )
        .bind(province_code)
        .fetch_one(&self.pool)
        .await?;
        Ok(count > 0)
    }
}
