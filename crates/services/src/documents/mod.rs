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
    check_printable, document_number, number_of, place_and_date, province_full_name, DocumentKind,
    DocumentRequest, Letterhead, LetterheadDraft, OfficialDocument, Signature, MAX_LINE_CHARS,
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
    pub address: String,
}

/// A document ready to render, the values it was made with, and the file name to offer (without extension).
#[derive(Debug, Clone)]
pub struct Prepared {
    pub document: OfficialDocument,
    pub issue: Issue,
    pub file_stem: String,
    /// Whether the caller may change what the document says (its issuer's people and province admins); anyone
    /// else downloads it as its issuer saved it.
    pub editable: bool,
    /// What the document is, for the page's heading (`Báo cáo của Xã Hoằng Hóa — Báo cáo quý IV/2026`).
    pub description: String,
}

/// What a builder supplies beyond the issue: its defaults for the free-text fields.
pub(crate) struct Defaults {
    pub addressees: Vec<String>,
    pub recipients: Vec<String>,
    pub remarks: String,
    /// Where communes submit (a round letter's only).
    pub address: String,
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
        let typed = self.number.as_deref().map(clean_text).unwrap_or_default();
        let digits = typed.len() <= 6 && typed.chars().all(|c| c.is_ascii_digit());
        let number = number_of(&typed);
        if !digits || number == "00" {
            errors.push(FieldError::new(
                "number",
                "number_invalid",
                "Số văn bản là số từ 1 trở lên, chỉ gồm chữ số (như 05); để trống nếu văn thư sẽ ghi tay khi đăng ký.",
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
        let today = store.clock().today();
        let (earliest, latest) = (
            today - chrono::Days::new(366),
            today + chrono::Days::new(366),
        );
        if date.is_some_and(|d| d < earliest || d > latest) {
            errors.push(FieldError::new(
                "date",
                "out_of_range",
                "Ngày ban hành trong vòng một năm trước hoặc sau hôm nay: hãy kiểm tra lại năm.",
            ));
        }
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
        errors.check(check_printable("remarks", &remarks));
        if remarks.chars().count() > MAX_REMARKS_CHARS {
            errors.push(FieldError::new(
                "remarks",
                "too_long",
                format!("Phần này dài quá {MAX_REMARKS_CHARS} ký tự: hãy rút gọn."),
            ));
        }
        let address = match self.address.as_deref().map(str::trim) {
            Some(typed) if !site_address(typed) => {
                errors.push(FieldError::new(
                    "address",
                    "address_invalid",
                    "Địa chỉ nộp báo cáo phải là địa chỉ trang web, bắt đầu bằng https:// hoặc http://.",
                ));
                String::new()
            }
            Some(typed) if typed.chars().count() > MAX_LINE_CHARS => {
                errors.push(FieldError::new(
                    "address",
                    "too_long",
                    format!("Địa chỉ dài nhiều nhất {MAX_LINE_CHARS} ký tự."),
                ));
                String::new()
            }
            Some(typed) => typed.trim_end_matches('/').to_string(),
            None => defaults.address.clone(),
        };
        errors.into_result()?;
        Ok(Issue {
            address,
            number,
            date: date.expect("checked"),
            letterhead: letterhead.expect("checked"),
            addressees,
            recipients,
            remarks,
        })
    }
}

/// What the caller may change: an issuer's own people (and province admins) word its papers; anyone else
/// downloads them as saved, whatever the request says.
fn as_allowed(request: &DocumentRequest, may_edit: bool) -> DocumentRequest {
    if may_edit {
        request.clone()
    } else {
        DocumentRequest::default()
    }
}

/// The address of a site, to be printed with a path after it: `http(s)://` and a host (letters, digits, dots,
/// hyphens, a port), an optional path; no user, query or fragment.
fn site_address(typed: &str) -> bool {
    let Some(rest) = typed
        .strip_prefix("https://")
        .or_else(|| typed.strip_prefix("http://"))
    else {
        return false;
    };
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_' | '~'))
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
    if lines.iter().any(|l| {
        cnscd_domain::text::fold(l)
            .trim_start_matches(['-', ' '])
            .starts_with("luu")
    }) {
        return Err(FieldError::new(
            field,
            "archive_line",
            "Dòng «Lưu» được thêm tự động từ ô «Lưu»: hãy bỏ dòng đó khỏi danh sách.",
        ));
    }
    let joined = lines.join("\n");
    check_printable(field, &joined)?;
    Ok(joined)
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
        let archive = letterhead.archive.trim_end_matches('.');
        // Every paper keeps a copy with the clerk (VT) at least.
        let archive = if archive.is_empty() { "VT" } else { archive };
        recipients.push(format!("- Lưu: {archive}."));
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
        let number = document_number(&self.number, kind, &self.letterhead.number_suffix);
        let number = number.trim_start_matches("Số: ");
        format!(
            "(Kèm theo {kind_name} số {number} ngày {} của {issuer})",
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

/// `17 giờ ngày 15/07/2026`, `8 giờ 11 phút ngày 06/01/2027`: a deadline as a letter writes it.
pub(crate) fn deadline_words(deadline: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::Timelike;
    let local = deadline.with_timezone(&cnscd_domain::clock::vietnam());
    let minutes = match local.minute() {
        0 => String::new(),
        m => format!(" {m} phút"),
    };
    format!(
        "{} giờ{minutes} ngày {}",
        local.hour(),
        local.format("%d/%m/%Y")
    )
}

/// What a round reports on, said so that the Tổ CNSCĐ are named: `Báo cáo tháng 1/2025` and `Báo cáo kết quả
/// hoạt động quý IV/2026` → `kết quả hoạt động của Tổ Công nghệ số cộng đồng tháng 1/2025` (… `quý IV/2026`).
/// A title that names the teams, or is about something else than a period's results, is kept (without `Báo
/// cáo`).
pub(crate) fn subject_phrase(round_title: &str) -> String {
    let topic = topic(round_title);
    let folded = cnscd_domain::text::fold(&topic);
    if ["to cong nghe so", "cnscd", "to cns"]
        .iter()
        .any(|t| folded.contains(t))
    {
        return topic;
    }
    let period = ["kết quả hoạt động ", "kết quả "]
        .iter()
        .find_map(|lead| topic.strip_prefix(lead))
        .unwrap_or(&topic);
    let folded_period = cnscd_domain::text::fold(period);
    if ["thang ", "quy ", "nam ", "6 thang", "dot ", "ky "]
        .iter()
        .any(|p| folded_period.starts_with(p))
    {
        format!("kết quả hoạt động của Tổ Công nghệ số cộng đồng {period}")
    } else {
        topic
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
        assert_eq!(
            subject_phrase("Báo cáo tháng 1/2025"),
            "kết quả hoạt động của Tổ Công nghệ số cộng đồng tháng 1/2025"
        );
        assert_eq!(
            subject_phrase("Báo cáo kết quả hoạt động Tổ CNSCĐ quý IV/2026"),
            "kết quả hoạt động Tổ CNSCĐ quý IV/2026"
        );
        assert_eq!(
            subject_phrase("Báo cáo kết quả hoạt động quý IV/2026"),
            "kết quả hoạt động của Tổ Công nghệ số cộng đồng quý IV/2026"
        );
        assert_eq!(
            subject_phrase("Kiện toàn danh sách tổ 2026"),
            "kiện toàn danh sách tổ 2026"
        );
        let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap().to_utc();
        assert_eq!(
            deadline_words(at("2027-01-06T08:11:00+07:00")),
            "8 giờ 11 phút ngày 06/01/2027"
        );
        assert_eq!(
            deadline_words(at("2026-07-15T17:00:00+07:00")),
            "17 giờ ngày 15/07/2026"
        );
    }
}
