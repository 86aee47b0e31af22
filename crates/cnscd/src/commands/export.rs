use super::open_store;
use crate::cli::{ExportArgs, GlobalArgs};
use anyhow::Context;
use cnscd_services::export::{export, ExportFormat};
use std::io::Write;
use std::process::ExitCode;

pub async fn run(global: &GlobalArgs, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(global).await?;
    let exported = export(
        &store,
        &global.province,
        &args.communes,
        args.format.into(),
        args.consent_in_notes,
    )
    .await;
    store.close().await;
    let exported = exported?;
    let out = match (&args.out, args.format) {
        (Some(path), _) => Some(path.clone()),
        (None, crate::cli::ExportFormat::Xlsx) => Some("danh-sach-to-cnscd.xlsx".into()),
        (None, _) => None,
    };
    match out {
        Some(path) => {
            std::fs::write(&path, &exported.bytes)
                .with_context(|| format!("không ghi được tệp {}", path.display()))?;
            eprintln!(
                "Đã xuất {} tổ, {} thành viên vào {}.",
                exported.teams,
                exported.members,
                path.display()
            );
        }
        None => std::io::stdout()
            .write_all(&exported.bytes)
            .context("không ghi được ra màn hình")?,
    }
    Ok(ExitCode::SUCCESS)
}

impl From<crate::cli::ExportFormat> for ExportFormat {
    fn from(format: crate::cli::ExportFormat) -> Self {
        match format {
            crate::cli::ExportFormat::Xlsx => ExportFormat::Xlsx,
            crate::cli::ExportFormat::Csv => ExportFormat::Csv,
            crate::cli::ExportFormat::Json => ExportFormat::Json,
        }
    }
}
