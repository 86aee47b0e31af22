//! Provinces and communes: the official list after the 2025 reform, shipped inside the binary and loaded
//! into an empty database on first start.

use crate::search::{index_names, IndexEntry, Kind};
use crate::sql::values_list;
use crate::{Store, StoreError};
use cnscd_domain::collation::sort_key;

const OFFICIAL_LIST: &str = include_str!("../data/dvhc-2025.csv");
const ROWS_PER_INSERT: usize = 500;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Province {
    pub code: String,
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Commune {
    pub code: String,
    pub province_code: String,
    pub name: String,
    pub kind: String,
}

struct OfficialRow<'a> {
    province_code: &'a str,
    province_name: &'a str,
    province_kind: &'a str,
    commune_code: &'a str,
    commune_name: &'a str,
    commune_kind: &'a str,
}

fn official_rows() -> impl Iterator<Item = OfficialRow<'static>> {
    OFFICIAL_LIST
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split(',').map(str::trim).collect();
            OfficialRow {
                province_code: f[0],
                province_name: f[1],
                province_kind: f[2],
                commune_code: f[3],
                commune_name: f[4],
                commune_kind: f[5],
            }
        })
}

/// The official name of a commune by its code (`16177` → `Xã Xuân Bình`): the list is fixed by the 2025
/// reform and built in, so a history can name a commune without asking the database.
pub fn official_commune_name(code: &str) -> Option<&'static str> {
    static NAMES: std::sync::LazyLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::LazyLock::new(|| {
            official_rows()
                .map(|r| (r.commune_code, r.commune_name))
                .collect()
        });
    NAMES.get(code).copied()
}

impl Store {
    /// Loads the official list of units if the database has none yet. Returns how many communes were loaded.
    pub async fn preload_units(&self) -> Result<usize, StoreError> {
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM provinces")
            .fetch_one(&self.pool)
            .await?;
        if existing > 0 {
            return Ok(0);
        }
        let mut w = self.housekeeping().await?;
        let rows: Vec<OfficialRow> = official_rows().collect();
        let mut provinces: Vec<&OfficialRow> = Vec::new();
        for row in &rows {
            if provinces
                .last()
                .is_none_or(|p| p.province_code != row.province_code)
                && !provinces
                    .iter()
                    .any(|p| p.province_code == row.province_code)
            {
                provinces.push(row);
            }
        }
        let sql = format!(
            "INSERT INTO provinces (code, name, kind) VALUES {}",
            values_list(&w, provinces.len(), 3)
        );
        let mut query = sqlx::query(&sql);
        for p in &provinces {
            query = query
                .bind(p.province_code)
                .bind(p.province_name)
                .bind(p.province_kind);
        }
        query.execute(&mut *w).await?;
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "INSERT INTO communes (code, province_code, name, kind, sort_key) VALUES {}",
                values_list(&w, chunk.len(), 5)
            );
            let mut query = sqlx::query(&sql);
            for c in chunk {
                query = query
                    .bind(c.commune_code)
                    .bind(c.province_code)
                    .bind(c.commune_name)
                    .bind(c.commune_kind)
                    .bind(sort_key(c.commune_name));
            }
            query.execute(&mut *w).await?;
        }
        let entries: Vec<IndexEntry> = rows
            .iter()
            .map(|c| IndexEntry {
                province_code: c.province_code,
                kind: Kind::Commune,
                ref_id: c.commune_code.to_string(),
                name: c.commune_name,
            })
            .collect();
        index_names(&mut w, &entries).await?;
        w.commit().await?;
        Ok(rows.len())
    }

    pub async fn provinces(&self) -> Result<Vec<Province>, StoreError> {
        Ok(
            sqlx::query_as("SELECT code, name, kind FROM provinces ORDER BY code")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    pub async fn province(&self, code: &str) -> Result<Province, StoreError> {
        sqlx::query_as("SELECT code, name, kind FROM provinces WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("tỉnh"))
    }

    pub async fn commune(&self, code: &str) -> Result<Commune, StoreError> {
        sqlx::query_as("SELECT code, province_code, name, kind FROM communes WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("xã/phường"))
    }

    /// Communes of a province in Vietnamese alphabetical order.
    pub async fn communes(&self, province_code: &str) -> Result<Vec<Commune>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT code, province_code, name, kind FROM communes WHERE province_code = $1 ORDER BY sort_key",
        )
        .bind(province_code)
        .fetch_all(&self.pool)
        .await?)
    }
}
