use super::open_store;
use crate::cli::{ExportArgs, ExportFormat, GlobalArgs};
use anyhow::{bail, Context};
use chrono::Utc;
use cnscd_domain::date::format_date;
use cnscd_excel::{roster_csv, roster_json, roster_xlsx};
use std::io::Write;
use std::process::ExitCode;

pub async fn run(global: &GlobalArgs, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(global).await?;
    let province = store.province(&global.province).await?;
    let mut names = Vec::new();
    for code in &args.communes {
        match store.commune(code).await {
            Ok(commune) if commune.province_code == province.code => names.push(commune.name),
            _ => bail!("không có xã/phường mã «{code}» trong {}", province.name),
        }
    }
    let roster = store.roster(&province.code, &args.communes).await?;
    store.close().await;
    let place = if names.is_empty() {
        province.name.clone()
    } else {
        format!("{}, {}", names.join(", "), province.name)
    };
    let subtitle = format!(
        "{place} — số liệu ngày {}",
        format_date(Utc::now().date_naive())
    );
    let bytes = match args.format {
        ExportFormat::Xlsx => {
            roster_xlsx(&roster, &subtitle).context("không tạo được tệp Excel")?
        }
        ExportFormat::Csv => roster_csv(&roster).context("không tạo được tệp CSV")?,
        ExportFormat::Json => roster_json(&roster).into_bytes(),
    };
    let out = match (&args.out, args.format) {
        (Some(path), _) => Some(path.clone()),
        (None, ExportFormat::Xlsx) => Some("danh-sach-to-cnscd.xlsx".into()),
        (None, _) => None,
    };
    match out {
        Some(path) => {
            std::fs::write(&path, &bytes)
                .with_context(|| format!("không ghi được tệp {}", path.display()))?;
            eprintln!(
                "Đã xuất {} tổ, {} thành viên vào {}.",
                roster.team_count(),
                roster.member_count(),
                path.display()
            );
        }
        None => std::io::stdout()
            .write_all(&bytes)
            .context("không ghi được ra màn hình")?,
    }
    Ok(ExitCode::SUCCESS)
}
