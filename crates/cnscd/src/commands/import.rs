use super::open_store;
use crate::cli::ImportModeArg;
use crate::cli::{GlobalArgs, ImportArgs};
use anyhow::Context;
use cnscd_excel::Severity;
use cnscd_services::import::{
    import_files, ImportChoice, ImportFile, ImportMode, ImportReport, Importer, RemovalConsent,
};
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;

/// Exit code when a file has errors (nothing written).
const EXIT_FILE_ERRORS: u8 = 1;

pub async fn run(global: &GlobalArgs, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(global).await?;
    // indicatif draws nothing when standard error is not a terminal.
    let bar = ProgressBar::new(args.files.len() as u64 + 1);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}").expect("valid template"),
    );
    let mut files = Vec::new();
    for path in &args.files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        bar.set_message(format!("đọc {name}"));
        let bytes = std::fs::read(path)
            .with_context(|| format!("không đọc được tệp {}", path.display()))?;
        files.push(ImportFile { name, bytes });
        bar.inc(1);
    }
    bar.set_message(if args.dry_run {
        "kiểm tra và tính thay đổi"
    } else {
        "kiểm tra và ghi vào sổ"
    });
    let importer = Importer::console(&global.province);
    let choice = ImportChoice {
        mode: match args.mode {
            ImportModeArg::Replace => ImportMode::Replace,
            ImportModeArg::AddUpdate => ImportMode::AddAndUpdate,
        },
        dry_run: args.dry_run,
        removals: if args.allow_removals {
            RemovalConsent::All
        } else {
            RemovalConsent::Refused
        },
        ..Default::default()
    };
    let report = import_files(&store, &importer, files, choice).await?;
    bar.finish_and_clear();
    store.close().await;
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_report(&report);
    }
    Ok(if report.has_errors() || report.removals_refused {
        ExitCode::from(EXIT_FILE_ERRORS)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_report(report: &ImportReport) {
    let problems = &report.problems;
    for problem in problems.errors.iter().chain(&problems.warnings) {
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
    let omitted = problems.error_count + problems.warning_count
        - problems.errors.len()
        - problems.warnings.len();
    if omitted > 0 {
        println!(
            "… và {omitted} vấn đề khác cùng loại (chỉ liệt kê những vấn đề đầu tiên). Theo loại:"
        );
        for kind in &problems.kinds {
            println!(
                "  [{}] {} lần, ví dụ: {}",
                kind.code, kind.count, kind.example
            );
        }
    }
    println!(
        "Tệp có {} xã/phường, {} tổ, {} thành viên.",
        report.communes, report.teams, report.members
    );
    let tense = if report.import_id.is_some() {
        "đã"
    } else {
        "sẽ"
    };
    for commune in report.large_removals() {
        println!("Cảnh báo {}: {tense} {}.", commune.name, commune.removal());
        for team in &commune.teams_dissolved {
            println!("  - giải thể {team}");
        }
        for member in &commune.members_leaving {
            println!("  - {} rời {}", member.name, member.team);
        }
    }
    if report.has_errors() {
        println!(
            "Có {} lỗi: chưa ghi gì vào sổ. Hãy sửa tệp rồi nhập lại.",
            problems.error_count
        );
    } else if !report.changes_anything() {
        println!("Không có thay đổi nào: sổ đã đúng như tệp, không ghi gì.");
    } else if report.removals_refused && !report.dry_run {
        println!(
            "Chưa ghi gì: tệp bỏ hơn một phần năm số tổ hoặc thành viên của một xã/phường. Nếu đúng là như vậy, \
             chạy lại với --allow-removals; nếu tệp chỉ có một phần danh sách, dùng --mode add-update."
        );
    } else {
        let verb = if report.dry_run { "Sẽ" } else { "Đã" };
        println!(
            "{verb} {}.{}",
            report.counts_sentence(),
            if report.dry_run {
                " (chạy thử: chưa ghi gì)"
            } else {
                ""
            }
        );
        if report.removals_refused {
            println!(
                "Khi áp dụng, lệnh này sẽ không ghi gì: tệp bỏ hơn một phần năm số tổ hoặc thành viên của một \
                 xã/phường. Nếu đúng là như vậy, thêm --allow-removals; nếu tệp chỉ có một phần danh sách, dùng \
                 --mode add-update."
            );
        }
    }
}
