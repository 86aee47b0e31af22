use super::open_store;
use crate::cli::{ExportArgs, GlobalArgs};
use anyhow::Context;
use cnscd_services::export::{export, ExportFormat};
use cnscd_services::national_export::{export_all_provinces, NationalOutput};
use cnscd_store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tempfile::NamedTempFile;

pub async fn run(global: &GlobalArgs, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let format: ExportFormat = args.format().into();
    let default_name = if args.all_provinces {
        "danh-sach-to-cnscd-toan-quoc.xlsx"
    } else {
        "danh-sach-to-cnscd.xlsx"
    };
    let out = match (&args.out, format) {
        (Some(path), _) => Some(path.clone()),
        (None, ExportFormat::Xlsx) => Some(PathBuf::from(default_name)),
        (None, _) => None,
    };
    // The file is written beside its place and put there whole at the end: a failed export (a full disk, an
    // interruption) leaves the previous file as it was, never a cut-off one. Opened first, so that a folder
    // that does not exist or cannot be written is said before any work.
    // A link is followed: the file it points to is replaced, the link kept.
    let out = out.map(|path| std::fs::canonicalize(&path).unwrap_or(path));
    let staged = out.as_deref().map(stage).transpose()?;
    let store = open_store(global).await?;
    let work = async {
        if args.all_provinces {
            all_provinces(&store, format, staged.as_ref()).await
        } else {
            one_province(&store, global, args, format, staged.as_ref()).await
        }
    };
    // Interrupted (Ctrl-C), the half-written file is removed like a failed one, not left hidden in the folder.
    let exported = tokio::select! {
        exported = work => exported,
        _ = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("đã dừng theo yêu cầu; không ghi tệp nào")),
    };
    store.close().await;
    let summary = exported?;
    if let (Some(staged), Some(path)) = (staged, &out) {
        // On disk before it takes the old file's place: a power cut never leaves an empty file there.
        staged
            .as_file()
            .sync_all()
            .map_err(anyhow::Error::from)
            .and_then(|()| Ok(staged.persist(path)?))
            .with_context(|| format!("không ghi được tệp {}", path.display()))?;
        eprintln!("Đã xuất {summary} vào {}.", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// A temporary file in the folder of `path`, renamed to it once complete.
fn stage(path: &Path) -> anyhow::Result<NamedTempFile> {
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    if path.is_dir() {
        anyhow::bail!(
            "không ghi được tệp {}: đó là một thư mục; hãy ghi tên tệp, ví dụ {}/danh-sach.xlsx",
            path.display(),
            path.display()
        );
    }
    if path.exists() && !path.is_file() {
        anyhow::bail!(
            "không ghi được tệp {}: đó không phải một tệp thường; để in ra màn hình, bỏ --out",
            path.display()
        );
    }
    // Created as any new file would be (the umask applies), not private as temporary files are.
    let permissions = match std::fs::metadata(path) {
        Ok(existing) => existing.permissions(),
        Err(_) => std::os::unix::fs::PermissionsExt::from_mode(0o666),
    };
    tempfile::Builder::new()
        .prefix(".cnscd-export-")
        .permissions(permissions)
        .tempfile_in(folder)
        .with_context(|| format!("không ghi được tệp {}", path.display()))
}

/// One province, or some of its communes: written to the staged file, or to standard output.
async fn one_province(
    store: &Store,
    global: &GlobalArgs,
    args: &ExportArgs,
    format: ExportFormat,
    staged: Option<&NamedTempFile>,
) -> anyhow::Result<String> {
    let exported = export(
        store,
        &global.province,
        &args.communes,
        format,
        args.consent_in_notes,
    )
    .await?;
    match staged {
        Some(file) => file
            .as_file()
            .write_all(&exported.bytes)
            .with_context(|| format!("không ghi được tệp {}", file.path().display()))?,
        None => std::io::stdout()
            .write_all(&exported.bytes)
            .context("không ghi được ra màn hình")?,
    }
    Ok(format!(
        "{} tổ, {} thành viên",
        exported.teams, exported.members
    ))
}

/// Every province in one file: a workbook is saved over the staged file, text goes to it or to standard output.
async fn all_provinces(
    store: &Store,
    format: ExportFormat,
    staged: Option<&NamedTempFile>,
) -> anyhow::Result<String> {
    let output = match (staged, format) {
        (Some(file), ExportFormat::Xlsx) => NationalOutput::Workbook(file.path().to_path_buf()),
        (Some(file), _) => NationalOutput::Text(file.reopen()?),
        (None, _) => {
            use std::os::fd::AsFd;
            let stdout = std::io::stdout().as_fd().try_clone_to_owned()?;
            NationalOutput::Text(std::fs::File::from(stdout))
        }
    };
    let exported = export_all_provinces(store, format, output).await?;
    Ok(format!(
        "{} tỉnh, {} tổ, {} thành viên",
        exported.provinces, exported.teams, exported.members
    ))
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
