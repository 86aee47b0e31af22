//! The library of guidance documents: metadata searchable without diacritics, files kept in the database (the
//! database's backup is the library's), deletions that keep the record and its audit entries.

use crate::audit::{Action, Actor, ObjectKind, Place};
use crate::sql::date_text;
use crate::stored::{optional_date, parse_stored};
use crate::write::{Statement, Versioned, Write};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use cnscd_domain::library::{DocumentKind, ValidDocument};
use cnscd_domain::text::fold;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// An uploaded file as stored: its name, its type (read from its content), its size and checksum.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub name: String,
    pub content_type: String,
    pub size: i64,
    /// SHA-256, hexadecimal.
    pub sha256: String,
}

/// A file about to be stored.
pub struct NewFile {
    pub file: StoredFile,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct LibraryDocument {
    pub id: i64,
    pub province_code: String,
    pub number: String,
    pub issued_on: Option<NaiveDate>,
    pub issuer: String,
    pub kind: DocumentKind,
    pub title: String,
    pub summary: String,
    pub areas: Vec<String>,
    pub link: String,
    pub file: Option<StoredFile>,
    pub created_by: String,
    pub version: i64,
}

/// Which documents to list: every word of `query` (folded) in the number, title, issuer or summary.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    pub query: String,
    pub kind: Option<DocumentKind>,
    pub area: Option<String>,
}

const COLUMNS: &str =
    "id, province_code, number, issued_on, issuer, kind, title, summary, areas, link, \
    file_name, content_type, file_size, sha256, created_by, version";

fn document_from_row(row: &AnyRow) -> Result<LibraryDocument, sqlx::Error> {
    let file_name: Option<String> = row.try_get("file_name")?;
    let areas: String = row.try_get("areas")?;
    Ok(LibraryDocument {
        id: row.try_get("id")?,
        province_code: row.try_get("province_code")?,
        number: row.try_get("number")?,
        issued_on: optional_date(row, "issued_on")?,
        issuer: row.try_get("issuer")?,
        kind: parse_stored(row, "kind", DocumentKind::from_code)?,
        title: row.try_get("title")?,
        summary: row.try_get("summary")?,
        areas: areas
            .split(',')
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect(),
        link: row.try_get("link")?,
        file: match file_name {
            Some(name) => Some(StoredFile {
                name,
                content_type: row
                    .try_get::<Option<String>, _>("content_type")?
                    .unwrap_or_default(),
                size: row.try_get::<Option<i64>, _>("file_size")?.unwrap_or(0),
                sha256: row
                    .try_get::<Option<String>, _>("sha256")?
                    .unwrap_or_default(),
            }),
            None => None,
        },
        created_by: row.try_get("created_by")?,
        version: row.try_get("version")?,
    })
}

/// What a search reads: the number, title, issuer, summary and the names of its task areas.
fn search_text(document: &ValidDocument) -> String {
    let areas: Vec<&str> = document
        .areas
        .iter()
        .filter_map(|a| cnscd_domain::library::task_area_label(a))
        .collect();
    fold(&format!(
        "{} {} {} {} {}",
        document.number,
        document.title,
        document.issuer,
        document.summary,
        areas.join(" ")
    ))
}

async fn document_in(conn: &mut AnyConnection, id: i64) -> Result<LibraryDocument, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM documents WHERE id = $1 AND deleted_at IS NULL");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("văn bản"))?;
    Ok(document_from_row(&row)?)
}

/// Binds the metadata as `$1…$9`.
fn bind_document<'s>(query: Statement<'s>, document: &ValidDocument) -> Statement<'s> {
    query
        .bind(document.number.clone())
        .bind(document.issued_on.map(date_text))
        .bind(document.issuer.clone())
        .bind(document.kind.code())
        .bind(document.title.clone())
        .bind(document.summary.clone())
        .bind(document.areas.join(","))
        .bind(document.link.clone())
        .bind(search_text(document))
}

async fn store_file(w: &mut Write, id: i64, file: NewFile) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM document_files WHERE document_id = $1")
        .bind(id)
        .execute(&mut **w)
        .await?;
    sqlx::query("INSERT INTO document_files (document_id, content) VALUES ($1, $2)")
        .bind(id)
        .bind(file.bytes)
        .execute(&mut **w)
        .await?;
    sqlx::query(
        "UPDATE documents SET file_name = $1, content_type = $2, file_size = $3, sha256 = $4 WHERE id = $5",
    )
    .bind(file.file.name)
    .bind(file.file.content_type)
    .bind(file.file.size)
    .bind(file.file.sha256)
    .bind(id)
    .execute(&mut **w)
    .await?;
    Ok(())
}

fn place(province_code: &str) -> Place<'_> {
    Place {
        province_code,
        commune_code: None,
        team_id: None,
    }
}

async fn insert(
    w: &mut Write,
    province_code: &str,
    document: &ValidDocument,
    created_by: &str,
) -> Result<i64, StoreError> {
    let now = w.stamp();
    let row = bind_document(
        sqlx::query(
            "INSERT INTO documents (number, issued_on, issuer, kind, title, summary, areas, link, search_text, \
               province_code, created_by, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12) RETURNING id",
        ),
        document,
    )
    .bind(province_code.to_string())
    .bind(created_by.to_string())
    .bind(now)
    .fetch_one(&mut **w)
    .await?;
    Ok(row.try_get(0)?)
}

impl Store {
    /// The province's documents, newest first (undated last).
    pub async fn documents(
        &self,
        province_code: &str,
        filter: &DocumentFilter,
    ) -> Result<Vec<LibraryDocument>, StoreError> {
        let words: Vec<String> = fold(&filter.query)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| format!("%{w}%"))
            .collect();
        let mut sql = format!(
            "SELECT {COLUMNS} FROM documents WHERE province_code = $1 AND deleted_at IS NULL"
        );
        let mut n = 1;
        for _ in &words {
            n += 1;
            sql.push_str(&format!(" AND search_text LIKE ${n}"));
        }
        if filter.kind.is_some() {
            n += 1;
            sql.push_str(&format!(" AND kind = ${n}"));
        }
        if filter.area.is_some() {
            n += 1;
            sql.push_str(&format!(" AND (',' || areas || ',') LIKE ${n}"));
        }
        sql.push_str(
            " ORDER BY (CASE WHEN issued_on IS NULL THEN 1 ELSE 0 END), issued_on DESC, id DESC",
        );
        let mut query = sqlx::query(&sql).bind(province_code);
        for word in &words {
            query = query.bind(word.clone());
        }
        if let Some(kind) = filter.kind {
            query = query.bind(kind.code());
        }
        if let Some(area) = &filter.area {
            query = query.bind(format!("%,{area},%"));
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(document_from_row)
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)
    }

    pub async fn document(&self, id: i64) -> Result<LibraryDocument, StoreError> {
        let mut conn = self.pool.acquire().await?;
        document_in(&mut conn, id).await
    }

    /// The document's file, with its description.
    pub async fn document_file(&self, id: i64) -> Result<(LibraryDocument, Vec<u8>), StoreError> {
        let mut conn = self.pool.acquire().await?;
        let document = document_in(&mut conn, id).await?;
        let bytes: Vec<u8> =
            sqlx::query_scalar("SELECT content FROM document_files WHERE document_id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or(StoreError::NotFound("tệp của văn bản"))?;
        Ok((document, bytes))
    }

    pub async fn create_document(
        &self,
        province_code: &str,
        document: &ValidDocument,
        file: Option<NewFile>,
        actor: &Actor,
    ) -> Result<LibraryDocument, StoreError> {
        let mut w = self.write(actor).await?;
        let id = insert(&mut w, province_code, document, &actor.username).await?;
        if let Some(file) = file {
            store_file(&mut w, id, file).await?;
        }
        w.audit_record(Action::DocumentCreate, id, place(province_code), None)
            .await?;
        let created = document_in(&mut w, id).await?;
        w.commit().await?;
        Ok(created)
    }

    /// Edits a document's description; a new file replaces the old one.
    pub async fn update_document(
        &self,
        id: i64,
        version: i64,
        document: &ValidDocument,
        file: Option<NewFile>,
        actor: &Actor,
    ) -> Result<LibraryDocument, StoreError> {
        let mut w = self.write(actor).await?;
        let current = document_in(&mut w, id).await?;
        let before = w.snapshot(ObjectKind::Document, id).await?;
        w.update_versioned(
            versioned(id, version),
            "number = $1, issued_on = $2, issuer = $3, kind = $4, title = $5, summary = $6, areas = $7, \
             link = $8, search_text = $9",
            |q| bind_document(q, document),
        )
        .await?;
        if let Some(file) = file {
            store_file(&mut w, id, file).await?;
        }
        w.audit_record(
            Action::DocumentUpdate,
            id,
            place(&current.province_code),
            before,
        )
        .await?;
        let updated = document_in(&mut w, id).await?;
        w.commit().await?;
        Ok(updated)
    }

    /// Deletes a document: its file goes, its record and audit entries stay.
    pub async fn delete_document(
        &self,
        id: i64,
        version: i64,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut w = self.write(actor).await?;
        let current = document_in(&mut w, id).await?;
        let before = w.snapshot(ObjectKind::Document, id).await?;
        let (now, by) = (w.stamp(), actor.username.clone());
        w.update_versioned(
            versioned(id, version),
            "deleted_at = $1, deleted_by = $2",
            |q| q.bind(now).bind(by),
        )
        .await?;
        sqlx::query("DELETE FROM document_files WHERE document_id = $1")
            .bind(id)
            .execute(&mut *w)
            .await?;
        for table in ["class_documents", "round_documents"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE document_id = $1"))
                .bind(id)
                .execute(&mut *w)
                .await?;
        }
        w.audit_record(
            Action::DocumentDelete,
            id,
            place(&current.province_code),
            before,
        )
        .await?;
        w.commit().await?;
        Ok(())
    }

    /// Lists `documents` in the province's library the first time it is opened (once: a document the
    /// Department deletes does not come back).
    pub async fn seed_library(
        &self,
        province_code: &str,
        documents: &[ValidDocument],
    ) -> Result<(), StoreError> {
        let seeded: Option<String> =
            sqlx::query_scalar("SELECT seeded_at FROM library_seeded WHERE province_code = $1")
                .bind(province_code)
                .fetch_optional(&self.pool)
                .await?;
        if seeded.is_some() {
            return Ok(());
        }
        let mut w = self.housekeeping().await?;
        let now = w.stamp();
        let inserted = sqlx::query(
            "INSERT INTO library_seeded (province_code, seeded_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(province_code)
        .bind(&now)
        .execute(&mut *w)
        .await?;
        if inserted.rows_affected() == 1 {
            for document in documents {
                insert(&mut w, province_code, document, "cnscd").await?;
            }
        }
        w.commit().await?;
        Ok(())
    }

    /// The documents a class or a round points to.
    pub async fn owner_documents(
        &self,
        owner: DocumentOwner,
    ) -> Result<Vec<LibraryDocument>, StoreError> {
        let (table, column, _) = owner.link();
        let sql = format!(
            "SELECT {COLUMNS} FROM documents WHERE deleted_at IS NULL AND id IN \
             (SELECT document_id FROM {table} WHERE {column} = $1) ORDER BY issued_on DESC, id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(owner.id())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(document_from_row)
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)
    }

    /// Points a class or a round to a document (or stops), as a change of that class or round.
    pub async fn link_document(
        &self,
        owner: DocumentOwner,
        document_id: i64,
        linked: bool,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let (table, column, action) = owner.link();
        let mut w = self.write(actor).await?;
        let document = document_in(&mut w, document_id).await?;
        let before = w.snapshot(action.object_kind(), owner.id()).await?;
        let sql = if linked {
            format!(
                "INSERT INTO {table} ({column}, document_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
            )
        } else {
            format!("DELETE FROM {table} WHERE {column} = $1 AND document_id = $2")
        };
        sqlx::query(&sql)
            .bind(owner.id())
            .bind(document_id)
            .execute(&mut *w)
            .await?;
        w.audit_record(action, owner.id(), place(&document.province_code), before)
            .await?;
        w.commit().await?;
        Ok(())
    }
}

/// What can point to documents of the library.
#[derive(Debug, Clone, Copy)]
pub enum DocumentOwner {
    Class(i64),
    Round(i64),
}

impl DocumentOwner {
    fn id(self) -> i64 {
        match self {
            DocumentOwner::Class(id) | DocumentOwner::Round(id) => id,
        }
    }

    /// The link table, its owner column, and how a change of the links is logged.
    fn link(self) -> (&'static str, &'static str, Action) {
        match self {
            DocumentOwner::Class(_) => ("class_documents", "class_id", Action::TrainingClassUpdate),
            DocumentOwner::Round(_) => ("round_documents", "round_id", Action::RoundUpdate),
        }
    }
}

fn versioned(id: i64, version: i64) -> Versioned {
    Versioned {
        table: "documents",
        what: "văn bản",
        id,
        version,
    }
}
