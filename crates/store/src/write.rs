//! The one way the store writes. Every change runs inside a [`Write`]: the writer's turn, a transaction that
//! takes SQLite's write lock at once (`BEGIN IMMEDIATE`, so a reader never has to upgrade and fail with "database
//! is locked", even with a CLI import and a server on one file), versioned updates that are one conditional
//! statement, row locks on PostgreSQL for rules that count rows, and the audit entries. A change that records
//! no audit entry cannot commit.

use crate::audit::{record, snapshot, Action, Actor, Change, ObjectKind, Place};
use crate::connect::Backend;
use crate::{Store, StoreError};
use cnscd_domain::clock::Clock;
use serde_json::Value as Json;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Transaction};
use std::ops::{Deref, DerefMut};
use tokio::sync::OwnedMutexGuard;

/// A statement whose values are bound by the caller.
pub(crate) type Statement<'q> = Query<'q, Any, AnyArguments<'q>>;

/// A change in progress. Dropping it without [`Write::commit`] rolls everything back.
pub(crate) struct Write {
    tx: Transaction<'static, Any>,
    _turn: Option<OwnedMutexGuard<()>>,
    backend: Backend,
    clock: Clock,
    /// Who makes the change; `None` for housekeeping (sessions, sign-in counters) that is not audited.
    actor: Option<Actor>,
    audited: bool,
    changes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Deref for Write {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for Write {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

/// A record whose `version` the caller read: the update applies only if it is still that version.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Versioned {
    pub table: &'static str,
    pub what: &'static str,
    pub id: i64,
    pub version: i64,
}

impl Store {
    /// Starts an audited change by `actor`.
    pub(crate) async fn write(&self, actor: &Actor) -> Result<Write, StoreError> {
        self.begin_write(Some(actor.clone())).await
    }

    /// Starts a change that the audit log does not record (sessions, sign-in counters, pending uploads).
    pub(crate) async fn housekeeping(&self) -> Result<Write, StoreError> {
        self.begin_write(None).await
    }

    async fn begin_write(&self, actor: Option<Actor>) -> Result<Write, StoreError> {
        let turn = self.writer_turn().await;
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(Write {
            tx,
            _turn: turn,
            backend: self.backend,
            clock: self.clock.clone(),
            actor,
            audited: false,
            changes: self.changes.clone(),
        })
    }
}

impl Write {
    /// Makes the change durable. An audited change must have recorded at least one entry.
    pub async fn commit(self) -> Result<(), StoreError> {
        if self.actor.is_some() && !self.audited {
            return Err(StoreError::Unaudited);
        }
        self.tx.commit().await?;
        if self.actor.is_some() {
            self.changes
                .fetch_add(1, std::sync::atomic::Ordering::Release);
        }
        Ok(())
    }

    /// Undoes everything (a dry run).
    pub async fn rollback(self) -> Result<(), StoreError> {
        self.tx.rollback().await?;
        Ok(())
    }

    /// Who makes the change (`None` for housekeeping).
    pub fn actor(&self) -> Option<&Actor> {
        self.actor.as_ref()
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Now, as stored.
    pub fn stamp(&self) -> String {
        self.clock.stamp()
    }

    /// Locks a row until the change ends, so that a rule counting its children (a team's members, a class's
    /// seats) holds when others write at the same moment. SQLite already holds the whole database's write lock.
    pub async fn lock(&mut self, table: &'static str, id: i64) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            sqlx::query(&format!("SELECT id FROM {table} WHERE id = $1 FOR UPDATE"))
                .bind(id)
                .fetch_optional(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// Locks a commune's row until commit (PostgreSQL; SQLite has one writer at a time): changes that check
    /// the commune's teams as a whole (a name not taken) run one after another.
    pub async fn lock_commune(&mut self, code: &str) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT code FROM communes WHERE code = $1 FOR UPDATE")
                .bind(code)
                .fetch_optional(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// Locks a commune and every one of its teams until commit (PostgreSQL), for a change that reads the
    /// commune's registry and then rewrites it (an import): a hand edit of any of its teams or members waits
    /// until the change commits, and is then refused as stale instead of being overwritten unseen. Teams go
    /// first and the commune after, the order a rename takes; the teams are locked again afterwards to hold one
    /// created while this waited for the commune.
    pub async fn lock_commune_registry(&mut self, code: &str) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            let teams = "SELECT id FROM teams WHERE commune_code = $1 ORDER BY id FOR UPDATE";
            sqlx::query(teams)
                .bind(code)
                .fetch_all(&mut *self.tx)
                .await?;
            self.lock_commune(code).await?;
            sqlx::query(teams)
                .bind(code)
                .fetch_all(&mut *self.tx)
                .await?;
        }
        Ok(())
    }

    /// `UPDATE table SET {assignments}, version = version + 1, updated_at = now WHERE id = … AND version = …`
    /// as one statement: if someone saved the record since `record.version` was read, nothing is written and
    /// the answer is a conflict naming the current version. `assignments` uses `$1…$n`, bound by `bind` (with
    /// owned values: the statement's text is built here).
    pub async fn update_versioned(
        &mut self,
        record: Versioned,
        assignments: &str,
        bind: impl for<'s> FnOnce(Statement<'s>) -> Statement<'s>,
    ) -> Result<(), StoreError> {
        // The highest placeholder, not the number of `$`: a value may be used twice.
        let used = assignments
            .split('$')
            .skip(1)
            .filter_map(|rest| {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                digits.parse::<usize>().ok()
            })
            .max()
            .unwrap_or(0);
        let sql = format!(
            "UPDATE {} SET {assignments}, version = version + 1, updated_at = ${} WHERE id = ${} AND version = ${}",
            record.table,
            used + 1,
            used + 2,
            used + 3
        );
        let done = bind(sqlx::query(&sql))
            .bind(self.clock.stamp())
            .bind(record.id)
            .bind(record.version)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 1 {
            return Ok(());
        }
        let current: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT version FROM {} WHERE id = $1",
            record.table
        ))
        .bind(record.id)
        .fetch_optional(&mut *self.tx)
        .await?;
        Err(match current {
            Some(current_version) => StoreError::Conflict { current_version },
            None => StoreError::NotFound(record.what),
        })
    }

    /// Appends an audit entry for this change.
    pub async fn audit(&mut self, change: Change<'_>) -> Result<(), StoreError> {
        self.audit_all(vec![change]).await
    }

    /// Appends many entries at once (an import's changes to each record).
    pub async fn audit_all(&mut self, changes: Vec<Change<'_>>) -> Result<(), StoreError> {
        let actor = self.actor.clone().ok_or(StoreError::Unaudited)?;
        let stamp = self.clock.stamp();
        record(&mut self.tx, &actor, &stamp, changes).await?;
        self.audited = true;
        Ok(())
    }

    /// Records a change to a record: `before` was read before the change; the values after are read now.
    pub async fn audit_record(
        &mut self,
        action: Action,
        id: i64,
        place: Place<'_>,
        before: Option<Json>,
    ) -> Result<(), StoreError> {
        let kind = action.object_kind();
        let after = snapshot(&mut self.tx, kind, id).await?;
        self.audit(Change {
            action,
            object_id: id.to_string(),
            province_code: place.province_code,
            commune_code: place.commune_code,
            team_id: place.team_id,
            before,
            after,
        })
        .await
    }

    /// The record's values now, for the `before` of an audit entry.
    pub async fn snapshot(
        &mut self,
        kind: ObjectKind,
        id: i64,
    ) -> Result<Option<Json>, StoreError> {
        snapshot(&mut self.tx, kind, id).await
    }
}
