use super::open_store;
use crate::cli::{GlobalArgs, ImportArgs};
use anyhow::Context;
use cnscd_domain::roster::{Roster, RosterProvince};
use cnscd_excel::{read_roster, CommuneRef, Problem, Severity};
use cnscd_store::ImportSummary;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::process::ExitCode;

/// Exit code when a file has errors (nothing written).
const EXIT_FILE_ERRORS: u8 = 1;

#[derive(Serialize)]
struct Report<'a> {
    communes: usize,
    teams: usize,
    members: usize,
    added: usize,
    changed: usize,
    removed: usize,
    teams_added: usize,
    teams_removed: usize,
    dry_run: bool,
    errors: &'a [Problem],
    warnings: &'a [Problem],
}

fn progress(steps: u64) -> ProgressBar {
    // indicatif draws nothing when standard error is not a terminal.
    let bar = ProgressBar::new(steps);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}").expect("valid template"),
    );
    bar
}

pub async fn run(global: &GlobalArgs, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(global).await?;
    let province = store.province(&global.province).await?;
    let communes: Vec<CommuneRef> = store
        .communes(&province.code)
        .await?
        .into_iter()
        .map(|c| CommuneRef {
            code: c.code,
            name: c.name,
        })
        .collect();
    let rules = store.team_rules(&province.code).await?;
    let bar = progress(args.files.len() as u64 + 1);
    let mut roster = Roster {
        province: RosterProvince {
            code: province.code.clone(),
            name: province.name.clone(),
        },
        communes: Vec::new(),
    };
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    for path in &args.files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        bar.set_message(format!("đọc {name}"));
        let bytes = std::fs::read(path)
            .with_context(|| format!("không đọc được tệp {}", path.display()))?;
        let outcome = read_roster(&bytes, &name, roster.province.clone(), &communes, rules)?;
        let label = |mut p: Problem| {
            if args.files.len() > 1 {
                p.sheet = Some(format!("{name} › {}", p.sheet.unwrap_or_default()));
            }
            p
        };
        errors.extend(outcome.errors.into_iter().map(label));
        warnings.extend(outcome.warnings.into_iter().map(label));
        roster.communes.extend(outcome.roster.communes);
        bar.inc(1);
    }
    let summary = if errors.is_empty() {
        bar.set_message(if args.dry_run {
            "kiểm tra thay đổi"
        } else {
            "ghi vào sổ"
        });
        let summary = store.import_roster(&roster, args.dry_run).await?;
        warnings.extend(summary.shared_phones.iter().map(|shared| Problem {
            severity: Severity::Warning,
            sheet: None,
            row: None,
            column: None,
            field: Some("phone".into()),
            code: "phone_duplicate".into(),
            message: shared.message.clone(),
            commune: None,
            team: None,
            member: None,
            suggest: None,
        }));
        summary
    } else {
        ImportSummary {
            communes: roster.communes.len(),
            teams: roster.team_count(),
            members: roster.member_count(),
            ..Default::default()
        }
    };
    bar.finish_and_clear();
    store.close().await;
    let report = Report {
        communes: summary.communes,
        teams: summary.teams,
        members: summary.members,
        added: summary.added,
        changed: summary.changed,
        removed: summary.removed,
        teams_added: summary.teams_added,
        teams_removed: summary.teams_removed,
        dry_run: args.dry_run,
        errors: &errors,
        warnings: &warnings,
    };
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_report(&report);
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FILE_ERRORS)
    })
}

fn print_report(report: &Report) {
    for problem in report.errors.iter().chain(report.warnings) {
        let kind = if problem.severity == Severity::Error {
            "Lỗi"
        } else {
            "Cảnh báo"
        };
        let place = problem.location();
        let place = if place.is_empty() {
            String::new()
        } else {
            format!("{place}: ")
        };
        println!("{kind} [{}] {place}{}", problem.code, problem.message);
    }
    println!(
        "Tệp có {} xã/phường, {} tổ, {} thành viên.",
        report.communes, report.teams, report.members
    );
    if !report.errors.is_empty() {
        println!(
            "Có {} lỗi: chưa ghi gì vào sổ. Hãy sửa tệp rồi nhập lại.",
            report.errors.len()
        );
    } else {
        let verb = if report.dry_run { "Sẽ" } else { "Đã" };
        println!(
            "{verb} thêm {} thành viên, sửa {}, ghi rời tổ {}; thêm {} tổ, giải thể {} tổ.{}",
            report.added,
            report.changed,
            report.removed,
            report.teams_added,
            report.teams_removed,
            if report.dry_run {
                " (chạy thử: chưa ghi gì)"
            } else {
                ""
            }
        );
    }
}
