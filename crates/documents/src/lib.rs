//! Official documents (Decree 30/2020/NĐ-CP) as DOCX and PDF. Kept in a crate of its own: the PDF engine
//! (typst) is large, and only the binary and the web layer link it.

mod docx;
mod pdf;

use cnscd_domain::official::OfficialDocument;
use unicode_normalization::UnicodeNormalization;

/// The most table rows one document may carry: a province's full team list (≈ 30,000 members) would take
/// minutes and hundreds of megabytes to lay out, so it is refused whole before any work starts.
pub const MAX_TABLE_ROWS: usize = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Docx,
    Pdf,
}

impl Format {
    pub fn parse(code: Option<&str>) -> Option<Self> {
        match code.unwrap_or("pdf") {
            "pdf" => Some(Self::Pdf),
            "docx" => Some(Self::Docx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Docx => "docx",
            Self::Pdf => "pdf",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Pdf => "application/pdf",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("văn bản có {rows} dòng bảng, quá giới hạn {max} dòng")]
    TooLarge { rows: usize, max: usize },
    /// A letter no embedded font has (Chinese, emoji): named with the text it is in, for the person to fix.
    #[error("ký tự «{character}» trong «{text}» không có trong phông chữ của văn bản")]
    Unprintable { character: char, text: String },
    #[error("không dựng được văn bản: {0}")]
    Layout(String),
}

/// The document in the format asked, every text in NFC. CPU-bound: call it on a blocking thread.
pub fn render(document: &OfficialDocument, format: Format) -> Result<Vec<u8>, RenderError> {
    let rows = document.table_rows();
    if rows > MAX_TABLE_ROWS {
        return Err(RenderError::TooLarge {
            rows,
            max: MAX_TABLE_ROWS,
        });
    }
    let document = in_nfc(document);
    match format {
        Format::Docx => docx::render(&document),
        Format::Pdf => pdf::render(&document),
    }
}

/// The same document with every text composed (NFC): the readers compare what comes back letter for letter.
fn in_nfc(document: &OfficialDocument) -> OfficialDocument {
    let json = serde_json::to_string(document).expect("a document serialises");
    let composed: String = json.nfc().collect();
    serde_json::from_str(&composed).expect("the same document reads back")
}
