//! One search box over communes, teams and members, ignoring diacritics, case and tone placement.
//!
//! Each name is stored folded (`Xã Xuân Bình` → `xa xuan binh`) as all its word-start tails; a query matches
//! any tail that starts with it, found by one index range scan per kind, fast at national size.

use crate::connect::Backend;
use crate::json_rows::{gather_rows, insert_rows, parse_rows, select_values, to_json, Column};
use crate::stored::parse_text;
use crate::{Store, StoreError};
use cnscd_domain::role::Role;
use cnscd_domain::text::{fold, word_tails};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::AnyConnection;

/// Upper bound of a prefix range: sorts after every character a folded term can hold.
const AFTER_EVERY_TERM_CHAR: char = '~';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Commune,
    Team,
    Member,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Commune => "commune",
            Kind::Team => "team",
            Kind::Member => "member",
        }
    }
}

/// A name to put in the index.
pub(crate) struct IndexEntry<'a> {
    pub province_code: &'a str,
    pub kind: Kind,
    pub ref_id: String,
    pub name: &'a str,
}

/// Index rows gathered to be written together, sorted by the index's key: a whole province's names went in
/// 3.5× faster in key order than in the order they arrive (each insert lands beside the previous one).
#[derive(Default)]
pub(crate) struct PendingTerms {
    rows: Vec<(String, &'static str, String, String)>,
}

impl PendingTerms {
    pub fn add(&mut self, entry: &IndexEntry<'_>) {
        for tail in word_tails(&fold(entry.name)) {
            self.rows.push((
                entry.province_code.to_string(),
                entry.kind.code(),
                tail,
                entry.ref_id.clone(),
            ));
        }
    }

    pub async fn write(mut self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        self.rows.sort_unstable();
        insert_rows(
            conn,
            "search_terms",
            &[
                ("province_code", Column::Text),
                ("kind", Column::Text),
                ("term", Column::Text),
                ("ref_id", Column::Text),
            ],
            &self.rows,
        )
        .await
    }
}

pub(crate) async fn index_names(
    conn: &mut AnyConnection,
    entries: &[IndexEntry<'_>],
) -> Result<(), StoreError> {
    let mut terms = PendingTerms::default();
    for entry in entries {
        terms.add(entry);
    }
    terms.write(conn).await
}

pub(crate) async fn index_name(
    conn: &mut AnyConnection,
    province_code: &str,
    kind: Kind,
    ref_id: &str,
    name: &str,
) -> Result<(), StoreError> {
    let entry = IndexEntry {
        province_code,
        kind,
        ref_id: ref_id.to_string(),
        name,
    };
    index_names(conn, &[entry]).await
}

/// Removes a record's name from the index (found by the record: `search_terms_by_record`).
pub(crate) async fn unindex(
    conn: &mut AnyConnection,
    kind: Kind,
    ref_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM search_terms WHERE kind = $1 AND ref_id = $2")
        .bind(kind.code())
        .bind(ref_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Removes the names of many records of one kind from the index.
pub(crate) async fn unindex_all(
    conn: &mut AnyConnection,
    kind: Kind,
    ref_ids: &[String],
) -> Result<(), StoreError> {
    if ref_ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "DELETE FROM search_terms WHERE kind = $1 AND ref_id IN ({})",
        select_values(Backend::of(conn), 2, Column::Text)
    );
    sqlx::query(&sql)
        .bind(kind.code())
        .bind(to_json(ref_ids)?)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Replaces a renamed record's name in the index.
pub(crate) async fn reindex(
    conn: &mut AnyConnection,
    province_code: &str,
    kind: Kind,
    ref_id: &str,
    new_name: &str,
) -> Result<(), StoreError> {
    unindex(conn, kind, ref_id).await?;
    index_name(conn, province_code, kind, ref_id, new_name).await
}

#[derive(Debug, Clone)]
pub struct CommuneHit {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct TeamHit {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub commune_code: String,
    pub commune_name: String,
}

#[derive(Debug, Clone)]
pub struct MemberHit {
    pub id: i64,
    pub full_name: String,
    pub role: Role,
    pub phone: Option<String>,
    pub team_id: i64,
    pub team_name: String,
    pub commune_name: String,
}

#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    pub query: String,
    pub communes: Vec<CommuneHit>,
    pub teams: Vec<TeamHit>,
    pub members: Vec<MemberHit>,
}

impl Store {
    /// Finds up to `limit` communes, teams and members of a province whose name has a word starting with the
    /// query (`xuan binh`, `XUÂN BÌNH`, `Xuân Bình` all find `Xã Xuân Bình`).
    pub async fn search(
        &self,
        province_code: &str,
        query: &str,
        limit: i64,
    ) -> Result<SearchResults, StoreError> {
        let key = fold(query);
        let mut results = SearchResults {
            query: query.trim().to_string(),
            ..Default::default()
        };
        if key.is_empty() {
            return Ok(results);
        }
        let [communes, teams, members] = self.matching_refs(province_code, &key, limit).await?;
        results.communes = self.commune_hits(&communes).await?;
        results.teams = self.team_hits(&ids(&teams)).await?;
        results.members = self.member_hits(&ids(&members)).await?;
        Ok(results)
    }

    /// The same search within one commune (a commune officer's): its few hundred names are matched here rather
    /// than through the province's index, which would return other communes' names first.
    pub async fn search_in_commune(
        &self,
        commune_code: &str,
        query: &str,
        limit: i64,
    ) -> Result<SearchResults, StoreError> {
        let key = fold(query);
        let mut results = SearchResults {
            query: query.trim().to_string(),
            ..Default::default()
        };
        if key.is_empty() {
            return Ok(results);
        }
        let matching = |rows: Vec<(i64, String)>| -> Vec<i64> {
            rows.into_iter()
                .filter(|(_, name)| word_tails(&fold(name)).iter().any(|t| t.starts_with(&key)))
                .map(|(id, _)| id)
                .take(limit as usize)
                .collect()
        };
        let teams: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, name FROM teams WHERE commune_code = $1 ORDER BY sort_key, id",
        )
        .bind(commune_code)
        .fetch_all(&self.pool)
        .await?;
        let members: Vec<(i64, String)> = sqlx::query_as(
            "SELECT m.id, m.full_name FROM members m JOIN teams t ON t.id = m.team_id \
             WHERE t.commune_code = $1 AND m.left_on IS NULL ORDER BY m.sort_key, m.id",
        )
        .bind(commune_code)
        .fetch_all(&self.pool)
        .await?;
        let commune = self.commune(commune_code).await?;
        if word_tails(&fold(&commune.name))
            .iter()
            .any(|t| t.starts_with(&key))
        {
            results.communes = self.commune_hits(&[commune.code]).await?;
        }
        results.teams = self.team_hits(&matching(teams)).await?;
        results.members = self.member_hits(&matching(members)).await?;
        Ok(results)
    }

    /// For communes, teams and members (in that order): up to `limit` references whose name has a tail starting
    /// with `key`, best (alphabetically first) match first. One statement for the three kinds.
    async fn matching_refs(
        &self,
        province: &str,
        key: &str,
        limit: i64,
    ) -> Result<[Vec<String>; 3], StoreError> {
        const KINDS: [Kind; 3] = [Kind::Commune, Kind::Team, Kind::Member];
        // A name has several tails that can match: more terms than references are read.
        let per_kind = KINDS
            .iter()
            .map(|kind| {
                format!(
                    "SELECT * FROM (SELECT kind, term, ref_id FROM search_terms WHERE province_code = $1 \
                     AND kind = '{}' AND term >= $2 AND term < $3 ORDER BY term LIMIT $4) {}",
                    kind.code(),
                    kind.code()
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let sql = format!(
            "SELECT {} FROM ({per_kind}) found",
            gather_rows(self.backend, &["kind", "ref_id"], "kind, term")
        );
        let gathered: Option<String> = sqlx::query_scalar(&sql)
            .bind(province)
            .bind(key)
            .bind(format!("{key}{AFTER_EVERY_TERM_CHAR}"))
            .bind(limit.saturating_mul(3))
            .fetch_one(&self.pool)
            .await?;
        let mut refs: [Vec<String>; 3] = Default::default();
        for (kind, id) in parse_rows::<(String, String)>(gathered)? {
            let Some(found) = KINDS.iter().position(|k| k.code() == kind) else {
                continue;
            };
            let found = &mut refs[found];
            if found.len() < limit as usize && !found.contains(&id) {
                found.push(id);
            }
        }
        Ok(refs)
    }

    /// Active members holding a phone, in a province or one commune of it (a phone is searched as a phone,
    /// whatever its writing).
    pub async fn search_phone(
        &self,
        province_code: &str,
        commune_code: Option<&str>,
        phone: &cnscd_domain::phone::Phone,
        limit: i64,
    ) -> Result<SearchResults, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT m.id FROM members m JOIN teams t ON t.id = m.team_id JOIN communes c ON c.code = t.commune_code \
             WHERE m.phone = $1 AND m.left_on IS NULL AND c.province_code = $2 \
             AND ($3 = '' OR t.commune_code = $3) ORDER BY m.sort_key, m.id LIMIT $4",
        )
        .bind(phone.as_str())
        .bind(province_code)
        .bind(commune_code.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(SearchResults {
            query: phone.grouped(),
            members: self.member_hits(&ids).await?,
            ..Default::default()
        })
    }

    async fn commune_hits(&self, codes: &[String]) -> Result<Vec<CommuneHit>, StoreError> {
        let rows: Vec<(String, String)> = self
            .gathered_by_ids(&["code", "name"], "communes", "code", codes, Column::Text)
            .await?;
        let mut hits: Vec<CommuneHit> = rows
            .into_iter()
            .map(|(code, name)| CommuneHit { code, name })
            .collect();
        hits.sort_by_key(|h| codes.iter().position(|c| *c == h.code));
        Ok(hits)
    }

    async fn team_hits(&self, team_ids: &[i64]) -> Result<Vec<TeamHit>, StoreError> {
        let rows: Vec<(i64, String, String, String, String)> = self
            .gathered_by_ids(
                &["t.id", "t.name", "t.status", "c.code", "c.name"],
                "teams t JOIN communes c ON c.code = t.commune_code",
                "t.id",
                team_ids,
                Column::Int,
            )
            .await?;
        let mut hits: Vec<TeamHit> = rows
            .into_iter()
            .map(|(id, name, status, commune_code, commune_name)| TeamHit {
                id,
                name,
                status,
                commune_code,
                commune_name,
            })
            .collect();
        hits.sort_by_key(|h| team_ids.iter().position(|id| *id == h.id));
        Ok(hits)
    }

    async fn member_hits(&self, member_ids: &[i64]) -> Result<Vec<MemberHit>, StoreError> {
        type Cells = (i64, String, String, Option<String>, i64, String, String);
        let rows: Vec<Cells> = self
            .gathered_by_ids(
                &["m.id", "m.full_name", "m.role", "m.phone", "t.id", "t.name", "c.name"],
                "members m JOIN teams t ON t.id = m.team_id JOIN communes c ON c.code = t.commune_code",
                "m.id",
                member_ids,
                Column::Int,
            )
            .await?;
        let mut hits = Vec::with_capacity(rows.len());
        for (id, full_name, role, phone, team_id, team_name, commune_name) in rows {
            hits.push(MemberHit {
                id,
                full_name,
                role: parse_text("role", &role, Role::from_code)?,
                phone,
                team_id,
                team_name,
                commune_name,
            });
        }
        hits.sort_by_key(|h| member_ids.iter().position(|id| *id == h.id));
        Ok(hits)
    }

    /// `cells` of the rows of `from` whose `key` is one of `ids`, gathered by the database into one value: the
    /// driver hands each row of a result over from its own thread, and on two cores those hand-offs were most
    /// of a search's time.
    async fn gathered_by_ids<R: DeserializeOwned, K: Serialize>(
        &self,
        cells: &[&str],
        from: &str,
        key: &str,
        ids: &[K],
        key_type: Column,
    ) -> Result<Vec<R>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {} FROM {from} WHERE {key} IN ({})",
            gather_rows(self.backend, cells, key),
            select_values(self.backend, 1, key_type)
        );
        let gathered: Option<String> = sqlx::query_scalar(&sql)
            .bind(to_json(ids)?)
            .fetch_one(&self.pool)
            .await?;
        parse_rows(gathered)
    }
}

fn ids(refs: &[String]) -> Vec<i64> {
    refs.iter().filter_map(|r| r.parse().ok()).collect()
}
