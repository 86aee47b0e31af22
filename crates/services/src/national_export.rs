//! Every province's team list in one file, for an installation that holds several (the CLI's
//! `export --all-provinces`). Written province by province: one province's roster is in memory at a time, and
//! the workbook's rows go to a temporary file as they are written, so memory stays that of the largest
//! province however many provinces the file holds.

use crate::export::ExportFormat;
use crate::Error;
use cnscd_domain::date::format_date;
use cnscd_domain::roster::Roster;
use cnscd_excel::{RosterCsv, RosterWorkbook};
use cnscd_store::Store;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// Where the national file goes: a workbook is saved at a path (it needs to seek); text is streamed.
pub enum NationalOutput {
    Workbook(PathBuf),
    Text(File),
}

/// Why a national export stopped: the registry could not be read, or the file could not be written (a full
/// disk, a closed pipe), said with the system's reason for whoever runs the command.
#[derive(Debug, thiserror::Error)]
pub enum NationalExportError {
    #[error(transparent)]
    Registry(#[from] Error),
    #[error("không ghi được tệp xuất: {0}")]
    Write(String),
}

/// What a national export wrote.
#[derive(Debug, Default)]
pub struct NationalExport {
    pub provinces: usize,
    pub teams: usize,
    pub members: usize,
}

/// The file being written, one province after another.
enum Sink {
    Xlsx(Box<RosterWorkbook>, PathBuf),
    Csv(Box<RosterCsv<BufWriter<File>>>),
    Json { out: BufWriter<File>, first: bool },
}

impl Sink {
    fn open(format: ExportFormat, output: NationalOutput) -> Result<Self, NationalExportError> {
        Ok(match (format, output) {
            (ExportFormat::Xlsx, NationalOutput::Workbook(path)) => {
                Sink::Xlsx(Box::default(), path)
            }
            (ExportFormat::Csv, NationalOutput::Text(file)) => Sink::Csv(Box::new(
                RosterCsv::new(BufWriter::new(file), true).map_err(internal)?,
            )),
            (ExportFormat::Json, NationalOutput::Text(file)) => {
                let mut out = BufWriter::new(file);
                out.write_all(b"[\n").map_err(internal)?;
                Sink::Json { out, first: true }
            }
            _ => {
                return Err(Error::Internal("a workbook is saved to a path".into()).into());
            }
        })
    }

    /// Adds a province: its own sheet in a workbook, its rows in CSV, an element of the JSON array.
    fn add(&mut self, roster: &Roster, today: &str) -> Result<(), NationalExportError> {
        match self {
            Sink::Xlsx(workbook, _) => {
                let subtitle = format!("{} — số liệu ngày {today}", roster.province.name);
                workbook
                    .add_sheet(roster, &roster.province.name, &subtitle)
                    .map_err(internal)
            }
            Sink::Csv(csv) => csv.add(roster).map_err(internal),
            Sink::Json { out, first } => {
                if !*first {
                    out.write_all(b",\n").map_err(internal)?;
                }
                *first = false;
                serde_json::to_writer_pretty(&mut *out, roster).map_err(internal)
            }
        }
    }

    fn finish(self) -> Result<(), NationalExportError> {
        match self {
            Sink::Xlsx(workbook, path) => workbook.save(&path).map_err(internal),
            Sink::Csv(csv) => csv.finish().map_err(internal),
            Sink::Json { mut out, .. } => {
                out.write_all(b"\n]\n").map_err(internal)?;
                out.flush().map_err(internal)
            }
        }
    }
}

fn internal(error: impl std::fmt::Display) -> NationalExportError {
    NationalExportError::Write(error.to_string())
}

/// Writes every province's active teams and members (see the module's description). Installation-wide: only
/// the CLI, run by whoever runs the server, calls it.
pub async fn export_all_provinces(
    store: &Store,
    format: ExportFormat,
    output: NationalOutput,
) -> Result<NationalExport, NationalExportError> {
    let today = format_date(store.clock().today());
    let mut sink = Sink::open(format, output)?;
    let mut written = NationalExport::default();
    for province in store.provinces().await.map_err(Error::from)? {
        let roster = store
            .roster(&province.code, &[])
            .await
            .map_err(Error::from)?;
        written.provinces += 1;
        written.teams += roster.team_count();
        written.members += roster.member_count();
        let today = today.clone();
        // Writing is CPU work: on a blocking thread, the sink handed over and back.
        sink = tokio::task::spawn_blocking(move || sink.add(&roster, &today).map(|()| sink))
            .await
            .map_err(|e| Error::Internal(e.to_string()))??;
    }
    tokio::task::spawn_blocking(move || sink.finish())
        .await
        .map_err(|e| Error::Internal(e.to_string()))??;
    Ok(written)
}
