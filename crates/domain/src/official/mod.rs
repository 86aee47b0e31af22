//! An administrative document as Decree 30/2020/NĐ-CP (Appendix I) lays it out: the issuing body and number top
//! left, the national motto and the place and date top right, the title, the addressees, the body, the recipients
//! and the signature, then annexes. The renderers (DOCX and PDF) only place what this model says.

mod letterhead;
mod wording;

pub use letterhead::{check_printable, Letterhead, LetterheadDraft, MAX_LINE_CHARS};
pub use wording::{
    document_number, number_of, place_and_date, place_name, province_full_name, unit_upper,
};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What kind of document: it decides the number's middle part (`BC`, `QĐ`) and the title block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Báo cáo.
    Report,
    /// Quyết định.
    Decision,
    /// Công văn: no title, a `V/v` excerpt under the number.
    Letter,
}

impl DocumentKind {
    /// The abbreviation in the number (`05/BC-UBND`); a letter has none (`05/SKHCN-CĐS`).
    pub fn abbreviation(self) -> Option<&'static str> {
        match self {
            Self::Report => Some("BC"),
            Self::Decision => Some("QĐ"),
            Self::Letter => None,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Report => "BÁO CÁO",
            Self::Decision => "QUYẾT ĐỊNH",
            Self::Letter => "",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OfficialDocument {
    pub kind: DocumentKind,
    /// `UBND TỈNH THANH HÓA` (may be empty: a commune's People's Committee has no parent line).
    pub parent_body: String,
    /// `SỞ KHOA HỌC VÀ CÔNG NGHỆ`; may hold a line break.
    pub body: String,
    /// `Số: 05/BC-UBND`.
    pub number: String,
    /// A letter's `V/v …` under the number; empty otherwise.
    pub excerpt: String,
    /// `Thanh Hóa, ngày 05 tháng 12 năm 2026`.
    pub place_and_date: String,
    /// The date on that line (also the PDF's creation date, so the same document gives the same file).
    pub date: NaiveDate,
    /// `BÁO CÁO`, `QUYẾT ĐỊNH`; empty for a letter.
    pub title: String,
    /// The line under the title (`Kết quả hoạt động …`).
    pub subject: String,
    /// A decision's issuing authority, centred under the subject (`CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ …`).
    pub authority: String,
    /// `Kính gửi:` lines.
    pub addressees: Vec<String>,
    pub blocks: Vec<Block>,
    /// `Nơi nhận:` lines, each as printed (`- Sở Khoa học và Công nghệ;`), the last one `- Lưu: VT, …`.
    pub recipients: Vec<String>,
    pub signature: Signature,
    pub annexes: Vec<Annex>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Signature {
    /// `TM. ỦY BAN NHÂN DÂN`, `KT. CHỦ TỊCH`: the lines above the signer's title.
    pub capacity: Vec<String>,
    /// `PHÓ CHỦ TỊCH`.
    pub title: String,
    /// Empty leaves the line for the signer to write.
    pub name: String,
}

/// One piece of the body, in reading order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A section heading (`I. KẾT QUẢ THỰC HIỆN`), bold, not indented.
    Heading {
        text: String,
    },
    /// Body text: justified, first line indented.
    Paragraph {
        text: String,
    },
    /// A decision's grounds (`Căn cứ …`): italic, indented.
    Ground {
        text: String,
    },
    /// A centred bold line (`QUYẾT ĐỊNH:`).
    Centered {
        text: String,
    },
    /// A decision's article: its label in bold, then the text.
    Article {
        label: String,
        text: String,
    },
    Table(Table),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// A bold last row (`Tổng cộng`), if any.
    pub total: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Column {
    pub title: String,
    /// Relative width.
    pub width: u16,
    /// Numbers are right-aligned; text is left-aligned.
    pub numeric: bool,
}

impl Column {
    pub fn text(title: &str, width: u16) -> Self {
        Self {
            title: title.to_string(),
            width,
            numeric: false,
        }
    }

    pub fn number(title: &str, width: u16) -> Self {
        Self {
            title: title.to_string(),
            width,
            numeric: true,
        }
    }
}

/// An annex on pages of its own after the signature.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Annex {
    /// `Phụ lục` or `Phụ lục I`.
    pub label: String,
    /// `DANH SÁCH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG`.
    pub title: String,
    /// `(Kèm theo Báo cáo số 05/BC-UBND ngày 05/12/2026 của UBND xã …)`.
    pub note: String,
    pub blocks: Vec<Block>,
}

/// What the person may change on a document before downloading it; anything left out keeps the saved
/// letterhead or the document's own default.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct DocumentRequest {
    /// The number given by the clerk (`05`); empty leaves room to write it by hand.
    pub number: Option<String>,
    /// `dd/mm/yyyy`; today (Vietnam time) when absent.
    pub date: Option<String>,
    pub parent_body: Option<String>,
    pub body: Option<String>,
    pub number_suffix: Option<String>,
    pub place: Option<String>,
    /// One line per line (`TM. ỦY BAN NHÂN DÂN`, `KT. CHỦ TỊCH`).
    pub signer_capacity: Option<String>,
    pub signer_title: Option<String>,
    pub signer_name: Option<String>,
    /// After `Lưu:` (`VT, VHXH`).
    pub archive: Option<String>,
    /// The `Kính gửi:` lines, one per line.
    pub addressees: Option<String>,
    /// The `Nơi nhận:` lines before the archive line, one per line.
    pub recipients: Option<String>,
    /// The consolidated report's remarks and the decision's grounds; a letter's request; one paragraph per
    /// line.
    pub remarks: Option<String>,
    /// A round letter's address where communes submit (`https://cnscd.thanhhoa.gov.vn`); the server's public
    /// address when absent.
    pub address: Option<String>,
}

impl OfficialDocument {
    /// Every text in one place, for renderers and tests that check nothing is lost.
    pub fn texts(&self) -> Vec<&str> {
        let mut all = vec![
            self.parent_body.as_str(),
            &self.body,
            &self.number,
            &self.excerpt,
            &self.place_and_date,
            &self.title,
            &self.subject,
            &self.authority,
            &self.signature.title,
            &self.signature.name,
        ];
        all.extend(self.addressees.iter().map(String::as_str));
        all.extend(self.recipients.iter().map(String::as_str));
        all.extend(self.signature.capacity.iter().map(String::as_str));
        let mut blocks: Vec<&Block> = self.blocks.iter().collect();
        for annex in &self.annexes {
            all.extend([annex.label.as_str(), &annex.title, &annex.note]);
            blocks.extend(annex.blocks.iter());
        }
        for block in blocks {
            match block {
                Block::Heading { text }
                | Block::Paragraph { text }
                | Block::Ground { text }
                | Block::Centered { text } => all.push(text),
                Block::Article { label, text } => all.extend([label.as_str(), text]),
                Block::Table(table) => {
                    all.extend(table.columns.iter().map(|c| c.title.as_str()));
                    for row in table.rows.iter().chain(table.total.iter()) {
                        all.extend(row.iter().map(String::as_str));
                    }
                }
            }
        }
        all.retain(|t| !t.is_empty());
        all
    }

    /// The number of table rows in the document and its annexes: the bound a renderer is checked against.
    pub fn table_rows(&self) -> usize {
        self.blocks
            .iter()
            .chain(self.annexes.iter().flat_map(|a| a.blocks.iter()))
            .map(|block| match block {
                Block::Table(table) => table.rows.len() + 1,
                _ => 0,
            })
            .sum()
    }
}
