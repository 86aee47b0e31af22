use super::open_store;
use crate::cli::{ExportArgs, GlobalArgs};
use anyhow::Context;
use cnscd_services::export::{export, ExportFormat};
use cnscd_services::national_export::{export_all_provinces, NationalOutput};
use cnscd_store::Store;
use std::io::Write;
use std::process::ExitCode;

pub async fn run(global: &GlobalArgs, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(global).await?;
    if args.all_provinces {
        let exported = all_provinces(&store, args).await;
        store.close().await;
        return exported;
    }
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

/// Every province in one file: a workbook goes to `--out` (or `danh-sach-to-cnscd-toan-quoc.xlsx`), text to
/// `--out` or standard output.
async fn all_provinces(store: &Store, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let format: ExportFormat = args.format.into();
    let (output, shown) = match (&args.out, format) {
        (Some(path), ExportFormat::Xlsx) => {
            (NationalOutput::Workbook(path.clone()), Some(path.clone()))
        }
        (None, ExportFormat::Xlsx) => {
            let path = std::path::PathBuf::from("danh-sach-to-cnscd-toan-quoc.xlsx");
            (NationalOutput::Workbook(path.clone()), Some(path))
        }
        (Some(path), _) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("không ghi được tệp {}", path.display()))?;
            (NationalOutput::Text(file), Some(path.clone()))
        }
        (None, _) => {
            use std::os::fd::AsFd;
            let stdout = std::io::stdout().as_fd().try_clone_to_owned()?;
            (NationalOutput::Text(std::fs::File::from(stdout)), None)
        }
    };
    let exported = export_all_provinces(store, format, output).await?;
    if let Some(path) = shown {
        eprintln!(
            "Đã xuất {} tỉnh, {} tổ, {} thành viên vào {}.",
            exported.provinces,
            exported.teams,
            exported.members,
            path.display()
        );
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
