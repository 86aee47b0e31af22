//! Exporting the registry in the template, as `.xlsx`, CSV or JSON.

use chrono::Utc;
use cnscd_domain::date::format_date;
use cnscd_excel::{roster_csv, roster_json, roster_xlsx};
use cnscd_store::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Xlsx,
    Csv,
    Json,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Json => "application/json",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("không có xã/phường mã «{0}» trong tỉnh")]
    UnknownCommune(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("không tạo được tệp: {0}")]
    Write(String),
}

/// An exported file and what it holds.
pub struct Export {
    pub bytes: Vec<u8>,
    pub teams: usize,
    pub members: usize,
}

/// The team list of a province, or of some of its communes, in a format.
pub async fn export(
    store: &Store,
    province_code: &str,
    commune_codes: &[String],
    format: ExportFormat,
) -> Result<Export, ExportError> {
    let province = store.province(province_code).await?;
    let mut names = Vec::new();
    for code in commune_codes {
        match store.commune(code).await {
            Ok(commune) if commune.province_code == province.code => names.push(commune.name),
            _ => return Err(ExportError::UnknownCommune(code.clone())),
        }
    }
    let roster = store.roster(province_code, commune_codes).await?;
    let place = if names.is_empty() {
        province.name.clone()
    } else {
        format!("{}, {}", names.join(", "), province.name)
    };
    let subtitle = format!(
        "{place} — số liệu ngày {}",
        format_date(Utc::now().date_naive())
    );
    let bytes = match format {
        ExportFormat::Xlsx => {
            roster_xlsx(&roster, &subtitle).map_err(|e| ExportError::Write(e.to_string()))?
        }
        ExportFormat::Csv => roster_csv(&roster).map_err(|e| ExportError::Write(e.to_string()))?,
        ExportFormat::Json => roster_json(&roster).into_bytes(),
    };
    Ok(Export {
        bytes,
        teams: roster.team_count(),
        members: roster.member_count(),
    })
}
