//! Importing team-list files: read and check every file against the working province, then replace the
//! registry of the communes they contain, or only say what would change (a dry run, the browser's preview).
//!
//! Reading a workbook is CPU work: it runs on a blocking thread, and at most [`PARSING_AT_ONCE`] files are read
//! at the same time (each within the reader's own memory bound), so imports cannot take the server's memory
//! or stall its pages.

mod changes;

pub use changes::{CommuneChanges, MemberLine, ValueChange};
pub use cnscd_domain::import_plan::{ImportMode, RemovalConsent};

use crate::phones::{warnings_within, PhoneWarning};
use crate::{Caller, Error};
use cnscd_domain::account::Access;
use cnscd_domain::roster::{Roster, RosterCommune, RosterProvince};
use cnscd_domain::rules::TeamRules;
use cnscd_domain::team::team_match_key;
use cnscd_excel::{read_roster, CommuneRef, ImportOutcome, Problem, Problems, ReadError, Severity};
use cnscd_store::{Actor, ImportOptions, OversizedTeam, Store};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::LazyLock;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Files read at the same moment, server-wide; others wait their turn up to [`PARSING_QUEUE_WAIT`].
pub const PARSING_AT_ONCE: usize = 2;
const PARSING_QUEUE_WAIT: Duration = Duration::from_secs(60);
static PARSING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(PARSING_AT_ONCE));

impl From<ReadError> for Error {
    fn from(error: ReadError) -> Self {
        Error::Unreadable(error.to_string())
    }
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
    /// Of `added`, former members who come back.
    pub rejoined: usize,
    pub teams_added: usize,
    /// Of `teams_added`, dissolved teams listed again (they come back with their history).
    pub teams_revived: usize,
    pub teams_removed: usize,
    /// Registered teams put under a decision they were not recorded under.
    pub decisions_added: usize,
    pub dry_run: bool,
    pub mode: &'static str,
    /// A commune would lose more than a fifth of its teams or members and the removal was not confirmed:
    /// nothing was written.
    pub removals_refused: bool,
    /// The registry changed between the preview and applying it, and what the file changes with it: nothing
    /// was written; `changes` are the new ones, to be seen before applying again.
    pub stale_preview: bool,
    /// What identifies these changes: applying sends it back, and is refused if the changes are no longer
    /// the ones seen.
    pub plan: String,
    /// The applied import, which can be undone.
    pub import_id: Option<i64>,
    /// What changes in each commune, by name.
    pub changes: Vec<CommuneChanges>,
    /// Every problem counted by kind, the first ones kept whole.
    #[serde(flatten)]
    pub problems: Problems,
}

impl ImportReport {
    pub fn has_errors(&self) -> bool {
        self.problems.has_errors()
    }

    /// Whether applying the file would change the registry at all.
    pub fn changes_anything(&self) -> bool {
        self.added
            + self.changed
            + self.removed
            + self.teams_added
            + self.teams_removed
            + self.decisions_added
            > 0
    }

    /// The counts as people read them, after «Đã» or «Sẽ»: `thêm 3 thành viên (1 người trở lại tổ), sửa 1, cho 2
    /// thành viên rời tổ; thêm 1 tổ (1 tổ hoạt động trở lại), giải thể 0 tổ`.
    pub fn counts_sentence(&self) -> String {
        let mut sentence = format!("thêm {} thành viên", self.added);
        if self.rejoined > 0 {
            sentence.push_str(&format!(" ({} người trở lại tổ)", self.rejoined));
        }
        sentence.push_str(&format!(
            ", sửa {}, cho {} thành viên rời tổ; thêm {} tổ",
            self.changed, self.removed, self.teams_added
        ));
        if self.teams_revived > 0 {
            sentence.push_str(&format!(" ({} tổ hoạt động trở lại)", self.teams_revived));
        }
        sentence.push_str(&format!(", giải thể {} tổ", self.teams_removed));
        if self.decisions_added > 0 {
            sentence.push_str(&format!(
                "; ghi thêm quyết định cho {} tổ",
                self.decisions_added
            ));
        }
        sentence
    }

    /// Only adding and updating: nobody leaves, no team is dissolved.
    pub fn adds_only(&self) -> bool {
        self.mode == ImportMode::AddAndUpdate.code()
    }

    /// The communes that would lose more than a fifth of their teams or members.
    pub fn large_removals(&self) -> Vec<&CommuneChanges> {
        self.changes.iter().filter(|c| c.large_removal).collect()
    }
}

/// How to import, as the person chose.
#[derive(Debug, Clone, Default)]
pub struct ImportChoice {
    pub mode: ImportMode,
    pub dry_run: bool,
    /// The person confirmed removing more than a fifth of a commune.
    pub removals: RemovalConsent,
    /// Applying a previewed file: it is taken from the waiting files as it is written.
    pub pending_token: Option<String>,
    /// The changes seen in the preview ([`ImportReport::plan`]).
    pub expected_plan: Option<String>,
}

/// A file to import: its name (which tells a CSV apart) and its bytes.
#[derive(Debug, Clone)]
pub struct ImportFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

fn shared_phone_warning(warning: PhoneWarning) -> Problem {
    Problem {
        field: Some("phone".into()),
        ..Problem::about_file(Severity::Warning, "phone_duplicate", warning.message)
    }
}

/// A team the file would take over the province's maximum: an error, as when adding a member by hand.
fn oversized_team_error(team: &OversizedTeam) -> Problem {
    let message = format!(
        "Tổ «{}» ({}) sẽ có {} thành viên sau khi nhập, quá mức tối đa {} của tỉnh: chế độ «thêm và cập nhật» \
         giữ lại những người đang có trong tổ mà tệp không ghi. Hãy bớt người trong tệp, cho người cũ rời tổ \
         trước, hoặc nhập cả danh sách của tổ ở chế độ thay thế.",
        team.team, team.commune, team.members, team.max_members
    );
    Problem {
        commune: Some(team.commune.clone()),
        team: Some(team.team.clone()),
        ..Problem::about_file(Severity::Error, "team_full", message)
    }
}

/// Who imports, and what the files may touch: a province, or for a commune officer one commune of it.
pub struct Importer {
    pub province_code: String,
    pub commune_code: Option<String>,
    pub actor: Actor,
    /// What warnings may name: an account's reach, or everything at the server's console.
    pub access: Option<Access>,
}

impl Importer {
    /// A signed-in account: its province or commune; read-only accounts may not import.
    pub fn for_caller(caller: &Caller) -> Result<Self, Error> {
        crate::scope::writer(caller)?;
        let access = caller.access();
        Ok(Self {
            province_code: access.province_code.clone(),
            commune_code: access.commune_code.clone(),
            actor: caller.actor(),
            access: Some(access),
        })
    }

    /// The server's console (`cnscd import`): any commune of the province.
    pub fn console(province_code: &str) -> Self {
        Self {
            province_code: province_code.to_string(),
            commune_code: None,
            actor: Actor::command_line(),
            access: None,
        }
    }
}

/// An error for a commune in the file that the importing account may not change.
fn out_of_scope(commune: &RosterCommune, allowed: &str) -> Problem {
    Problem {
        field: Some("commune".into()),
        commune: Some(commune.name.clone()),
        ..Problem::about_file(
            Severity::Error,
            "commune_out_of_scope",
            format!(
                "Tệp có danh sách của {} (mã {}), nhưng tài khoản của bạn chỉ được nhập danh sách của xã/phường \
                 mã {allowed}. Hãy bỏ các dòng của xã/phường khác khỏi tệp.",
                commune.name, commune.code
            ),
        )
    }
}

/// An error for a commune listed in two of the files sent together: which one should count is not for the
/// importer to guess.
fn listed_twice(commune: &RosterCommune, first: &str, second: &str) -> Problem {
    Problem {
        field: Some("commune".into()),
        commune: Some(commune.name.clone()),
        ..Problem::about_file(
            Severity::Error,
            "commune_in_two_files",
            format!(
                "{} có trong cả tệp «{first}» và tệp «{second}». Mỗi xã/phường chỉ được có trong một tệp của \
                 một lần nhập: hãy bỏ một trong hai.",
                commune.name
            ),
        )
    }
}

/// Reads one file on a blocking thread, when its turn among the files being read comes.
async fn read_file(
    file: ImportFile,
    province: RosterProvince,
    communes: std::sync::Arc<Vec<CommuneRef>>,
    rules: TeamRules,
) -> Result<ImportOutcome, Error> {
    let _turn = tokio::time::timeout(PARSING_QUEUE_WAIT, PARSING.acquire())
        .await
        .map_err(|_| {
            Error::Busy("Máy chủ đang đọc nhiều tệp cùng lúc; hãy gửi lại tệp sau ít phút.".into())
        })?
        .map_err(|_| Error::Internal("import queue closed".into()))?;
    tokio::task::spawn_blocking(move || {
        read_roster(&file.bytes, &file.name, province, &communes, rules)
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
    .map_err(Error::from)
}

/// Reads every file; if none has an error, replaces (or, in a dry run, simulates replacing) the registry of
/// the communes they contain. With several files, problems name the file beside the sheet.
pub async fn import_files(
    store: &Store,
    importer: &Importer,
    files: Vec<ImportFile>,
    choice: ImportChoice,
) -> Result<ImportReport, Error> {
    let dry_run = choice.dry_run;
    let file_names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    let started = Instant::now();
    let province_code = importer.province_code.as_str();
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
    let communes = std::sync::Arc::new(communes);
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
        mode: choice.mode.code(),
        ..Default::default()
    };
    let several = files.len() > 1;
    let mut file_of_commune: HashMap<String, String> = HashMap::new();
    for file in files {
        let name = file.name.clone();
        let mut outcome = read_file(file, roster.province.clone(), communes.clone(), rules).await?;
        if several {
            let problems = &mut outcome.problems;
            for problem in problems
                .errors
                .iter_mut()
                .chain(problems.warnings.iter_mut())
            {
                problem.sheet = Some(format!(
                    "{name} › {}",
                    problem.sheet.take().unwrap_or_default()
                ));
            }
        }
        report.problems.extend(outcome.problems);
        for commune in outcome.roster.communes {
            match file_of_commune.get(&commune.code) {
                Some(first) => report.problems.push(listed_twice(&commune, first, &name)),
                None => {
                    file_of_commune.insert(commune.code.clone(), name.clone());
                    roster.communes.push(commune);
                }
            }
        }
    }
    if let Some(allowed) = importer.commune_code.as_deref() {
        for commune in roster.communes.iter().filter(|c| c.code != allowed) {
            report.problems.push(out_of_scope(commune, allowed));
        }
    }
    let read = started.elapsed();
    report.communes = roster.communes.len();
    report.teams = roster.team_count();
    report.members = roster.member_count();
    if report.has_errors() {
        report.problems.sort();
        tracing::info!(
            read_ms = read.as_millis() as u64,
            errors = report.problems.error_count,
            "import refused"
        );
        return Ok(report);
    }
    let options = ImportOptions {
        mode: choice.mode,
        dry_run,
        removals: choice.removals,
        file_name: file_names.join(", "),
        pending_token: choice.pending_token,
        expected_plan: choice.expected_plan,
    };
    let summary = store
        .import_roster(&roster, &options, &importer.actor)
        .await?;
    tracing::info!(
        read_ms = read.as_millis() as u64,
        write_ms = (started.elapsed() - read).as_millis() as u64,
        members = report.members,
        dry_run,
        written = summary.import_id.is_some(),
        "import checked"
    );
    report.added = summary.sum(|p| p.members_added());
    report.changed = summary.sum(|p| p.members_changed());
    report.removed = summary.sum(|p| p.members_removed());
    report.rejoined = summary.sum(|p| p.members_rejoining());
    report.teams_added = summary.sum(|p| p.teams_added() + p.teams_revived());
    report.teams_revived = summary.sum(|p| p.teams_revived());
    report.teams_removed = summary.sum(|p| p.teams_removed());
    report.decisions_added = summary
        .communes
        .iter()
        .map(|c| c.decisions_added.len())
        .sum();
    report.removals_refused = summary.refused_removals;
    report.stale_preview = summary.stale_preview;
    report.plan = summary.plan.clone();
    report.import_id = summary.import_id;
    report.changes = summary.communes.iter().map(CommuneChanges::from).collect();
    for warning in warnings_within(importer.access.as_ref(), &summary.shared_phones) {
        report.problems.push(shared_phone_warning(warning));
    }
    for team in &summary.oversized {
        report.problems.push(oversized_team_error(team));
    }
    // A team the file lists without a leader keeps its registered one when adding and updating.
    report.problems.retain_warnings(|problem| {
        problem.code != "leader_missing"
            || !summary.led_teams.iter().any(|(commune, key)| {
                problem.commune.as_deref() == Some(commune.as_str())
                    && problem.team.as_deref().map(team_match_key).as_ref() == Some(key)
            })
    });
    report.problems.sort();
    Ok(report)
}

/// A file checked in the browser: what applying it would change, and the token that applies it (none when
/// the file has errors).
pub struct Preview {
    pub report: ImportReport,
    pub token: Option<String>,
}

/// Checks an uploaded file and keeps it until the caller applies it (or, with errors, downloads their full
/// list). The preview is recorded in the audit log (who looked at which file).
pub async fn preview(
    store: &Store,
    caller: &Caller,
    file: ImportFile,
    mode: ImportMode,
) -> Result<Preview, Error> {
    let importer = Importer::for_caller(caller)?;
    let kept = file.clone();
    let choice = ImportChoice {
        mode,
        dry_run: true,
        removals: RemovalConsent::All,
        ..Default::default()
    };
    let report = import_files(store, &importer, vec![file], choice).await?;
    let token = store
        .save_pending_import(
            caller.user.id,
            caller.province_code(),
            &kept.name,
            &kept.bytes,
            mode.code(),
        )
        .await?
        .ok_or_else(|| {
            Error::Busy(
                "Đang có quá nhiều tệp chờ nhập trên máy chủ; hãy thử lại sau ít phút.".into(),
            )
        })?;
    store
        .record_import_preview(&importer.actor, caller.province_code(), &kept.name, &token)
        .await?;
    Ok(Preview {
        report,
        token: Some(token),
    })
}

/// Every problem of a previewed file (within the import's bound) and every change it would make, as CSV for
/// Excel: what the page cannot list in full.
pub async fn report_csv(store: &Store, caller: &Caller, token: &str) -> Result<Vec<u8>, Error> {
    let importer = Importer::for_caller(caller)?;
    let pending = store.pending_import(caller.user.id, token).await?;
    let file = ImportFile {
        name: pending.file_name.clone(),
        bytes: pending.content.clone(),
    };
    let choice = ImportChoice {
        mode: pending.mode,
        dry_run: true,
        removals: RemovalConsent::All,
        ..Default::default()
    };
    let report = import_files(store, &importer, vec![file], choice).await?;
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let internal = |e: csv::Error| Error::Internal(e.to_string());
    out.write_record(REPORT_COLUMNS).map_err(internal)?;
    let problems = &report.problems;
    for problem in problems.errors.iter().chain(&problems.warnings) {
        let level = match problem.severity {
            Severity::Error => "Lỗi",
            Severity::Warning => "Cảnh báo",
        };
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        out.write_record([
            level.to_string(),
            text(&problem.commune),
            text(&problem.team),
            text(&problem.member),
            text(&problem.sheet),
            problem.row.map(|r| r.to_string()).unwrap_or_default(),
            text(&problem.column),
            problem.code.clone(),
            String::new(),
            problem.message.clone(),
            text(&problem.suggest),
        ])
        .map_err(internal)?;
    }
    for commune in &report.changes {
        for line in change_lines(commune) {
            out.write_record(line).map_err(internal)?;
        }
    }
    out.into_inner().map_err(|e| Error::Internal(e.to_string()))
}

/// The columns of a previewed file's report: where each problem is and what it is, and each change.
const REPORT_COLUMNS: [&str; 11] = [
    "Mức",
    "Xã/phường",
    "Tổ",
    "Người",
    "Trang",
    "Dòng",
    "Cột",
    "Mã lỗi",
    "Thay đổi",
    "Nội dung",
    "Gợi ý",
];

/// A commune's changes as CSV lines in the report's columns.
fn change_lines(commune: &CommuneChanges) -> Vec<[String; 11]> {
    let line = |kind: &str, team: &str, who: &str, what: String| {
        let mut line: [String; 11] = Default::default();
        line[0] = "Thay đổi".into();
        line[1] = commune.name.clone();
        line[2] = team.into();
        line[3] = who.into();
        line[8] = kind.into();
        line[9] = what;
        line
    };
    let mut lines = Vec::new();
    for (kind, teams) in [
        ("Tổ mới", &commune.teams_added),
        ("Tổ hoạt động trở lại", &commune.teams_revived),
        ("Tổ giải thể", &commune.teams_dissolved),
    ] {
        lines.extend(teams.iter().map(|t| line(kind, t, "", String::new())));
    }
    // Each already reads «team: decision».
    for decision in &commune.decisions_added {
        lines.push(line("Tổ ghi thêm quyết định", "", "", decision.clone()));
    }
    for (kind, members) in [
        ("Thành viên mới", &commune.members_joining),
        ("Thành viên trở lại", &commune.members_rejoining),
        ("Thành viên rời tổ", &commune.members_leaving),
        ("Sửa thông tin", &commune.members_changed),
    ] {
        for member in members {
            let what = member
                .changes
                .iter()
                .map(|c| format!("{}: {} → {}", c.field, c.before, c.after))
                .collect::<Vec<_>>()
                .join("; ");
            lines.push(line(kind, &member.team, &member.name, what));
        }
    }
    lines
}

/// Applies a file the caller previewed, in the mode chosen then; a removal of more than a fifth of a commune
/// its code among `confirmed`; when `seen_plan` is given and the changes are no longer those, nothing is
/// written and the report holds the new changes. Returns the file's name and what changed.
pub async fn apply(
    store: &Store,
    caller: &Caller,
    token: &str,
    confirmed: Vec<String>,
    seen_plan: Option<String>,
) -> Result<(String, ImportReport), Error> {
    let importer = Importer::for_caller(caller)?;
    let pending = store.pending_import(caller.user.id, token).await?;
    let file = ImportFile {
        name: pending.file_name.clone(),
        bytes: pending.content,
    };
    let choice = ImportChoice {
        mode: pending.mode,
        dry_run: false,
        removals: RemovalConsent::Communes(confirmed),
        pending_token: Some(token.to_string()),
        expected_plan: seen_plan,
    };
    let report = import_files(store, &importer, vec![file], choice).await?;
    Ok((pending.file_name, report))
}

/// Undoes an applied import: allowed to whoever applied it and to the province's admins. Returns the import.
pub async fn undo(
    store: &Store,
    caller: &Caller,
    import_id: i64,
) -> Result<cnscd_store::ImportRecord, Error> {
    crate::scope::writer(caller)?;
    let record = store.import_record(import_id).await?;
    let access = caller.access();
    let readable = record
        .communes
        .iter()
        .all(|c| access.can_read(&record.province_code, &c.code));
    if record.province_code != access.province_code || !readable {
        return Err(Error::NotFound("lần nhập"));
    }
    if record.user_id != Some(caller.user.id) && !access.is_admin() {
        return Err(Error::Forbidden(
            "Chỉ người đã nhập tệp này hoặc quản trị tỉnh được hoàn tác lần nhập.",
        ));
    }
    store.undo_import(import_id, &caller.actor()).await?;
    Ok(record)
}
