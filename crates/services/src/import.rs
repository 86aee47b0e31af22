//! Importing team-list files: read and check every file against the working province, then replace the
//! registry of the communes they contain, or only say what would change (a dry run).

use cnscd_domain::roster::{Roster, RosterCommune, RosterProvince};
use cnscd_excel::{read_roster, CommuneRef, Problem, ReadError, Severity};
use cnscd_store::{Actor, Store, StoreError};
use serde::Serialize;
use std::time::Instant;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Unreadable(#[from] ReadError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The outcome of an import: what the files hold, what changed (or would), and every problem found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub communes: usize,
    pub teams: usize,
    pub members: usize,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub teams_added: usize,
    pub teams_removed: usize,
    pub dry_run: bool,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

impl ImportReport {
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// A file to import: its name (which tells a CSV apart) and its bytes.
pub struct ImportFile<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

fn shared_phone_warning(message: String) -> Problem {
    Problem {
        severity: Severity::Warning,
        sheet: None,
        row: None,
        column: None,
        field: Some("phone".into()),
        code: "phone_duplicate".into(),
        message,
        commune: None,
        team: None,
        member: None,
        suggest: None,
    }
}

/// Who imports, and what the files may touch: a province, or for a commune officer one commune of it.
pub struct ImportScope<'a> {
    pub province_code: &'a str,
    pub commune_code: Option<&'a str>,
    pub actor: &'a Actor,
}

/// An error for a commune in the file that the importing account may not change.
fn out_of_scope(commune: &RosterCommune, allowed: &str) -> Problem {
    Problem {
        severity: Severity::Error,
        sheet: None,
        row: None,
        column: None,
        field: Some("commune".into()),
        code: "commune_out_of_scope".into(),
        message: format!(
            "Tệp có danh sách của {} (mã {}), nhưng tài khoản của bạn chỉ được nhập danh sách của xã/phường mã \
             {allowed}. Hãy bỏ các dòng của xã/phường khác khỏi tệp.",
            commune.name, commune.code
        ),
        commune: Some(commune.name.clone()),
        team: None,
        member: None,
        suggest: None,
    }
}

/// Reads every file; if none has an error, replaces (or, in a dry run, simulates replacing) the registry of
/// the communes they contain. With several files, problems name the file beside the sheet.
pub async fn import_files(
    store: &Store,
    scope: &ImportScope<'_>,
    files: &[ImportFile<'_>],
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    let started = Instant::now();
    let province_code = scope.province_code;
    let province = store.province(province_code).await?;
    let communes: Vec<CommuneRef> = store
        .communes(province_code)
        .await?
        .into_iter()
        .map(|c| CommuneRef {
            code: c.code,
            name: c.name,
        })
        .collect();
    let rules = store.team_rules(province_code).await?;
    let mut roster = Roster {
        province: RosterProvince {
            code: province.code,
            name: province.name,
        },
        communes: Vec::new(),
    };
    let mut report = ImportReport {
        dry_run,
        ..Default::default()
    };
    for file in files {
        let outcome = read_roster(
            file.bytes,
            file.name,
            roster.province.clone(),
            &communes,
            rules,
        )?;
        let label = |mut problem: Problem| {
            if files.len() > 1 {
                problem.sheet = Some(format!(
                    "{} › {}",
                    file.name,
                    problem.sheet.unwrap_or_default()
                ));
            }
            problem
        };
        report.errors.extend(outcome.errors.into_iter().map(label));
        report
            .warnings
            .extend(outcome.warnings.into_iter().map(label));
        roster.communes.extend(outcome.roster.communes);
    }
    if let Some(allowed) = scope.commune_code {
        report.errors.extend(
            roster
                .communes
                .iter()
                .filter(|c| c.code != allowed)
                .map(|c| out_of_scope(c, allowed)),
        );
    }
    let read = started.elapsed();
    report.communes = roster.communes.len();
    report.teams = roster.team_count();
    report.members = roster.member_count();
    if report.has_errors() {
        tracing::info!(
            read_ms = read.as_millis() as u64,
            errors = report.errors.len(),
            "import refused"
        );
        return Ok(report);
    }
    let summary = store.import_roster(&roster, dry_run, scope.actor).await?;
    tracing::info!(
        read_ms = read.as_millis() as u64,
        write_ms = (started.elapsed() - read).as_millis() as u64,
        members = report.members,
        dry_run,
        "import checked and written"
    );
    report.added = summary.added;
    report.changed = summary.changed;
    report.removed = summary.removed;
    report.teams_added = summary.teams_added;
    report.teams_removed = summary.teams_removed;
    report.warnings.extend(
        summary
            .shared_phones
            .into_iter()
            .map(|s| shared_phone_warning(s.message)),
    );
    Ok(report)
}
