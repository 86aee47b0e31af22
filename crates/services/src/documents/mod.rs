//! Official documents drawn from the registry: what each says, for whom, signed by whom. The layout (Decree
//! 30/2020/NĐ-CP) is the renderers' (`cnscd-documents`); here is only what goes into it.

mod commune_report;
mod consolidated;
mod decision;
mod round_letter;
mod tables;
mod training_sheet;

use crate::scope::{self, Intent};
use crate::{Caller, Error};
use chrono::NaiveDate;
use cnscd_domain::official::{
    document_number, place_and_date, province_full_name, DocumentKind, DocumentRequest, Letterhead,
    LetterheadDraft, OfficialDocument, Signature, MAX_LINE_CHARS,
};
use cnscd_domain::text::clean_text;
use cnscd_domain::{FieldError, ValidationErrors};
use cnscd_store::Store;

/// Which document, of what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// The Department's letter (Công văn) that opens a round; `site_address` is where communes submit
    /// (`https://cnscd.thanhhoa.gov.vn`).
    RoundLetter { round_id: i64, site_address: String },
    /// The Department's consolidated report of a round to the Provincial People's Committee.
    Consolidated { round_id: i64 },
    /// A commune's report in a round, with its team list as the annex.
    CommuneReport { round_id: i64, commune_code: String },
    /// A commune's team list on its own (the annex alone, under the commune's letterhead), or the province's
    /// summary by commune under the Department's.
    TeamList { commune_code: Option<String> },
    /// The commune's decision establishing (or reorganising) its teams, with the list as the annex.
    Decision { commune_code: String },
    /// A training class's sign-in sheet: everyone seated, a column to sign.
    TrainingSignIn { class_id: i64 },
}

/// The most lines of the free-text fields.
const MAX_LIST_LINES: usize = 12;
const MAX_REMARKS_CHARS: usize = 4_000;

/// The values a document was made with: what its form shows to change it.
#[derive(Debug, Clone)]
pub struct Issue {
    pub number: String,
    pub date: NaiveDate,
    pub letterhead: Letterhead,
    pub addressees: String,
    pub recipients: String,
    pub remarks: String,
}

/// A document ready to render, the values it was made with, and the file name to offer (without extension).
#[derive(Debug, Clone)]
pub struct Prepared {
    pub document: OfficialDocument,
    pub issue: Issue,
    pub file_stem: String,
    /// What the document is, for the page's heading (`Báo cáo của Xã Hoằng Hóa — Báo cáo quý IV/2026`).
    pub description: String,
}

/// What a builder supplies beyond the issue: its defaults for the free-text fields.
pub(crate) struct Defaults {
    pub addressees: Vec<String>,
    pub recipients: Vec<String>,
    pub remarks: String,
}

/// What a document request becomes: typed values over the saved letterhead and the document's defaults,
/// all checked.
pub(crate) trait Issued {
    fn issue(&self, store: &Store, saved: &Letterhead, defaults: &Defaults)
        -> Result<Issue, Error>;
}

impl Issued for DocumentRequest {
    fn issue(
        &self,
        store: &Store,
        saved: &Letterhead,
        defaults: &Defaults,
    ) -> Result<Issue, Error> {
        let mut errors = ValidationErrors::default();
        let number = self.number.as_deref().map(clean_text).unwrap_or_default();
        let digits = number.len() <= 6 && number.chars().all(|c| c.is_ascii_digit());
        if !digits {
            errors.push(FieldError::new(
                "number",
                "number_invalid",
                "Số văn bản chỉ gồm chữ số (như 05); để trống nếu văn thư sẽ ghi tay khi đăng ký.",
            ));
        }
        let date = match self
            .date
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(typed) => errors.check(cnscd_domain::date::parse_date("date", typed)),
            None => Some(store.clock().today()),
        };
        let draft = LetterheadDraft {
            parent_body: self.parent_body.clone(),
            body: self.body.clone(),
            number_suffix: self.number_suffix.clone(),
            place: self.place.clone(),
            signer_capacity: self.signer_capacity.clone(),
            signer_title: self.signer_title.clone(),
            signer_name: self.signer_name.clone(),
            archive: self.archive.clone(),
        };
        let letterhead = errors.check_all(saved.amended(&draft));
        let mut list = |field: &str, typed: &Option<String>, default: &[String]| match typed {
            Some(text) => errors.check(lines(field, text)).unwrap_or_default(),
            None => default.join("\n"),
        };
        let addressees = list("addressees", &self.addressees, &defaults.addressees);
        let recipients = list("recipients", &self.recipients, &defaults.recipients);
        let remarks = match &self.remarks {
            Some(text) => cnscd_domain::text::clean_paragraphs(text),
            None => defaults.remarks.clone(),
        };
        if remarks.chars().count() > MAX_REMARKS_CHARS {
            errors.push(FieldError::new(
                "remarks",
                "too_long",
                format!("Phần này dài quá {MAX_REMARKS_CHARS} ký tự: hãy rút gọn."),
            ));
        }
        errors.into_result()?;
        Ok(Issue {
            number,
            date: date.expect("checked"),
            letterhead: letterhead.expect("checked"),
            addressees,
            recipients,
            remarks,
        })
    }
}

/// A list typed one item per line: each line cleaned, blank ones dropped, bounded.
fn lines(field: &str, text: &str) -> Result<String, FieldError> {
    let lines: Vec<String> = text
        .lines()
        .map(clean_text)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() > MAX_LIST_LINES || lines.iter().any(|l| l.chars().count() > MAX_LINE_CHARS) {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("Ghi nhiều nhất {MAX_LIST_LINES} dòng, mỗi dòng đến {MAX_LINE_CHARS} ký tự."),
        ));
    }
    Ok(lines.join("\n"))
}

impl Issue {
    /// The parts every document shares: letterhead, number, date, addressees, recipients, signature.
    pub(crate) fn frame(&self, kind: DocumentKind, subject: &str) -> OfficialDocument {
        let letterhead = &self.letterhead;
        let mut recipients: Vec<String> = self
            .recipients
            .lines()
            .map(|line| {
                format!(
                    "- {};",
                    line.trim_start_matches(['-', ' '])
                        .trim_end_matches([';', '.'])
                )
            })
            .collect();
        recipients.push(format!(
            "- Lưu: {}.",
            letterhead.archive.trim_end_matches('.')
        ));
        OfficialDocument {
            kind,
            parent_body: letterhead.parent_body.clone(),
            body: letterhead.body.clone(),
            number: document_number(&self.number, kind, &letterhead.number_suffix),
            excerpt: String::new(),
            place_and_date: place_and_date(&letterhead.place, self.date),
            date: self.date,
            title: kind.title().to_string(),
            subject: subject.to_string(),
            authority: String::new(),
            addressees: self.addressees.lines().map(str::to_string).collect(),
            blocks: Vec::new(),
            recipients,
            signature: Signature {
                capacity: letterhead.capacity_lines(),
                title: letterhead.signer_title.clone(),
                name: letterhead.signer_name.clone(),
            },
            annexes: Vec::new(),
        }
    }

    /// `(Kèm theo Báo cáo số 05/BC-UBND ngày 05/12/2026 của UBND xã Hoằng Hóa)`.
    pub(crate) fn annex_note(&self, kind_name: &str, kind: DocumentKind, issuer: &str) -> String {
        let number = if self.number.is_empty() {
            String::new()
        } else {
            format!(
                " số {}",
                document_number(&self.number, kind, &self.letterhead.number_suffix)
                    .trim_start_matches("Số: ")
            )
        };
        format!(
            "(Kèm theo {kind_name}{number} ngày {} của {issuer})",
            cnscd_domain::date::format_date(self.date)
        )
    }
}

/// The saved letterhead of the Department (`None`) or of a commune, or the default built from its name.
pub async fn letterhead(
    store: &Store,
    caller: &Caller,
    commune_code: Option<&str>,
) -> Result<Letterhead, Error> {
    match commune_code {
        Some(code) => {
            let commune = scope::commune(store, caller, code, Intent::Read).await?;
            commune_letterhead(store, &commune).await
        }
        None => {
            scope::whole_province(caller)?;
            department_letterhead(store, caller.province_code()).await
        }
    }
}

pub(crate) async fn department_letterhead(
    store: &Store,
    province_code: &str,
) -> Result<Letterhead, Error> {
    Ok(match store.letterhead(province_code, None).await? {
        Some(saved) => saved,
        None => Letterhead::department(&province_name(store, province_code).await?),
    })
}

/// The province as documents name it: `Tỉnh Thanh Hóa`.
pub(crate) async fn province_name(store: &Store, province_code: &str) -> Result<String, Error> {
    let province = store.province(province_code).await?;
    Ok(province_full_name(&province.name, &province.kind))
}

pub(crate) async fn commune_letterhead(
    store: &Store,
    commune: &cnscd_store::Commune,
) -> Result<Letterhead, Error> {
    Ok(
        match store
            .letterhead(&commune.province_code, Some(&commune.code))
            .await?
        {
            Some(saved) => saved,
            None => Letterhead::commune(&commune.name),
        },
    )
}

/// Saves the Department's letterhead (province admins) or a commune's (its officers and province admins).
pub async fn set_letterhead(
    store: &Store,
    caller: &Caller,
    commune_code: Option<&str>,
    draft: &LetterheadDraft,
) -> Result<Letterhead, Error> {
    let current = match commune_code {
        Some(code) => {
            let commune = scope::commune(store, caller, code, Intent::Change).await?;
            commune_letterhead(store, &commune).await?
        }
        None => {
            scope::admin(caller)?;
            department_letterhead(store, caller.province_code()).await?
        }
    };
    let amended = current.amended(draft)?;
    store
        .set_letterhead(
            caller.province_code(),
            commune_code,
            &amended,
            &caller.actor(),
        )
        .await?;
    Ok(amended)
}

/// The document asked for, with the caller's scope checked as for reading what it draws on.
pub async fn prepare(
    store: &Store,
    caller: &Caller,
    subject: &Subject,
    request: &DocumentRequest,
) -> Result<Prepared, Error> {
    match subject {
        Subject::RoundLetter {
            round_id,
            site_address,
        } => round_letter::prepare(store, caller, *round_id, site_address, request).await,
        Subject::Consolidated { round_id } => {
            consolidated::prepare(store, caller, *round_id, request).await
        }
        Subject::CommuneReport {
            round_id,
            commune_code,
        } => commune_report::prepare(store, caller, *round_id, commune_code, request).await,
        Subject::TeamList { commune_code } => {
            tables::prepare_team_list(store, caller, commune_code.as_deref(), request).await
        }
        Subject::Decision { commune_code } => {
            decision::prepare(store, caller, commune_code, request).await
        }
        Subject::TrainingSignIn { class_id } => {
            training_sheet::prepare(store, caller, *class_id, request).await
        }
    }
}

/// `từ 01/10/2026 đến 31/12/2026`, for a round with a period.
pub(crate) fn period_phrase(start: Option<NaiveDate>, end: Option<NaiveDate>) -> Option<String> {
    use cnscd_domain::date::format_date;
    match (start, end) {
        (Some(start), Some(end)) => Some(format!(
            "kỳ báo cáo từ {} đến {}",
            format_date(start),
            format_date(end)
        )),
        (Some(start), None) => Some(format!("kỳ báo cáo từ {}", format_date(start))),
        (None, Some(end)) => Some(format!("kỳ báo cáo đến {}", format_date(end))),
        (None, None) => None,
    }
}

/// What a round reports on, inside a sentence: `Báo cáo kết quả hoạt động quý IV` → `kết quả hoạt động quý IV`
/// (so that "báo cáo" is not said twice).
pub(crate) fn topic(round_title: &str) -> String {
    let without = ["Báo cáo ", "báo cáo ", "BÁO CÁO "]
        .iter()
        .find_map(|prefix| round_title.strip_prefix(prefix))
        .unwrap_or(round_title);
    cnscd_domain::text::lowercase_first(without)
}

/// The same as a subject line, capitalised: `Kết quả hoạt động quý IV`.
pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `17 giờ 00 ngày 15/7/2026`: a deadline as a letter writes it.
pub(crate) fn deadline_words(deadline: chrono::DateTime<chrono::Utc>) -> String {
    let shown = cnscd_domain::round::show_instant(deadline);
    match shown.split_once(' ') {
        Some((time, date)) => {
            let (hours, minutes) = time.split_once(':').unwrap_or((time, "00"));
            format!("{hours} giờ {minutes} ngày {date}")
        }
        None => shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_s_topic_does_not_repeat_report() {
        assert_eq!(
            topic("Báo cáo kết quả hoạt động Tổ CNSCĐ quý IV/2026"),
            "kết quả hoạt động Tổ CNSCĐ quý IV/2026"
        );
        assert_eq!(
            topic("Kiện toàn danh sách tổ 2026"),
            "kiện toàn danh sách tổ 2026"
        );
        assert_eq!(capitalised("kết quả"), "Kết quả");
    }
}
