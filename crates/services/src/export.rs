//! Exporting the registry in the template, as `.xlsx`, CSV or JSON.

use crate::scope;
use crate::{Caller, Error};
use cnscd_domain::date::format_date;
use cnscd_excel::{roster_csv, roster_json, roster_xlsx};
use cnscd_store::Store;

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

impl ExportFormat {
    /// `xlsx` (the default), `csv` or `json`; otherwise what to choose instead.
    pub fn parse(name: Option<&str>) -> Result<Self, String> {
        match name.map(str::trim) {
            None | Some("") | Some("xlsx") => Ok(ExportFormat::Xlsx),
            Some("csv") => Ok(ExportFormat::Csv),
            Some("json") => Ok(ExportFormat::Json),
            Some(other) => Err(format!(
                "Không có định dạng «{other}»: hãy chọn xlsx, csv hoặc json."
            )),
        }
    }
}

/// An exported file and what it holds.
pub struct Export {
    pub bytes: Vec<u8>,
    /// `danh-sach-to-cnscd-xa-xuan-binh.xlsx`: the place in the name, without diacritics.
    pub file_name: String,
    pub teams: usize,
    pub members: usize,
}

/// The team list of one commune the caller may read, or of the whole province for province accounts.
/// `consent_in_notes`: the Department asks for members' consents to public contact in `Ghi chú` (province
/// accounts only; a commune officer sees consents on her members' pages).
pub async fn export_for(
    store: &Store,
    caller: &Caller,
    commune: Option<String>,
    format: ExportFormat,
    consent_in_notes: bool,
) -> Result<Export, Error> {
    let requested = commune.filter(|c| !c.trim().is_empty());
    if requested.is_none() || consent_in_notes {
        scope::whole_province(caller)?;
    }
    let communes: Vec<String> = scope::list_commune(store, caller, requested)
        .await?
        .into_iter()
        .collect();
    export(
        store,
        caller.province_code(),
        &communes,
        format,
        consent_in_notes,
    )
    .await
}

/// The team list of a province, or of some of its communes, in a format.
pub async fn export(
    store: &Store,
    province_code: &str,
    commune_codes: &[String],
    format: ExportFormat,
    consent_in_notes: bool,
) -> Result<Export, Error> {
    let province = store.province(province_code).await?;
    let mut names = Vec::new();
    for code in commune_codes {
        match store.commune(code).await {
            Ok(commune) if commune.province_code == province.code => names.push(commune.name),
            _ => {
                return Err(cnscd_domain::FieldError::new(
                    "commune",
                    "commune_unknown",
                    format!("Trong tỉnh không có xã/phường mã «{code}»."),
                )
                .into())
            }
        }
    }
    let mut roster = store.roster(province_code, commune_codes).await?;
    if consent_in_notes {
        let consents = store
            .consents_by_roster_place(province_code, commune_codes)
            .await?;
        mark_consents(&mut roster, &consents);
    }
    let place = if names.is_empty() {
        province.name.clone()
    } else {
        format!("{}, {}", names.join(", "), province.name)
    };
    let subtitle = format!(
        "{place} — số liệu ngày {}",
        format_date(store.clock().today())
    );
    let team_count = roster.team_count();
    let member_count = roster.member_count();
    // Writing a province's workbook is CPU work: on a blocking thread, not on the workers serving pages.
    let bytes = tokio::task::spawn_blocking(move || match format {
        ExportFormat::Xlsx => roster_xlsx(&roster, &subtitle).map_err(|e| e.to_string()),
        ExportFormat::Csv => roster_csv(&roster).map_err(|e| e.to_string()),
        ExportFormat::Json => Ok(roster_json(&roster).into_bytes()),
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
    .map_err(Error::Internal)?;
    let place = match names.as_slice() {
        [one] => one.clone(),
        _ => province.name.clone(),
    };
    Ok(Export {
        bytes,
        file_name: format!(
            "danh-sach-to-cnscd-{}.{}",
            cnscd_domain::text::slug(&place),
            format.extension()
        ),
        teams: team_count,
        members: member_count,
    })
}

/// The blank template to fill, written once.
pub fn blank_template() -> &'static [u8] {
    static BLANK: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(|| {
        cnscd_excel::blank_template_xlsx().expect("the blank template is always writable")
    });
    &BLANK
}

/// Adds the consent mark to the `Ghi chú` of each consenting member.
fn mark_consents(
    roster: &mut cnscd_domain::roster::Roster,
    consents: &std::collections::HashMap<(String, String, String), cnscd_store::Consent>,
) {
    for commune in &mut roster.communes {
        for team in &mut commune.teams {
            for member in &mut team.members {
                let key = (
                    commune.code.clone(),
                    team.name.clone(),
                    member.name.as_str().to_string(),
                );
                if let Some(consent) = consents.get(&key) {
                    let on = cnscd_domain::clock::parse_stamp(&consent.recorded_at).map(|at| {
                        at.with_timezone(&cnscd_domain::clock::vietnam())
                            .date_naive()
                    });
                    if let Some(on) = on {
                        let mark = cnscd_domain::public::consent_note(consent.method, on);
                        member.note = format!("{} {mark}", member.note).trim().to_string();
                    }
                }
            }
        }
    }
}
