//! PDF through typst used as a library: the layout is `official.typ`, the data a JSON file beside it, the fonts
//! embedded in the binary. Nothing is read from the machine it runs on.

use crate::RenderError;
use chrono::Datelike;
use cnscd_domain::official::OfficialDocument;
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// UTC+7.
const VIETNAM_OFFSET_MINUTES: i32 = 7 * 60;

const TEMPLATE: &str = include_str!("official.typ");

/// Liberation Serif 2.x: Times New Roman's metrics and every Vietnamese letter.
static FONTS: LazyLock<Vec<Font>> = LazyLock::new(|| {
    [
        &include_bytes!("../fonts/LiberationSerif-Regular.ttf")[..],
        include_bytes!("../fonts/LiberationSerif-Bold.ttf"),
        include_bytes!("../fonts/LiberationSerif-Italic.ttf"),
        include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf"),
    ]
    .into_iter()
    .flat_map(|data| Font::iter(Bytes::new(data)))
    .collect()
});
static BOOK: LazyLock<LazyHash<FontBook>> =
    LazyLock::new(|| LazyHash::new(FontBook::from_fonts(FONTS.iter())));
static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().build()));

fn file_id(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("a valid virtual path"),
    )
    .intern()
}

struct DocumentWorld {
    main: Source,
    data: Bytes,
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &BOOK
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == file_id("/data.json") {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.get(index).cloned()
    }

    /// The document's own date is in its data: nothing asks the clock.
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

/// The first letter the embedded fonts cannot print, with the text it is in: refused before layout (typst
/// would fail on it; a PDF/A must not show a blank box instead).
fn unprintable(document: &OfficialDocument) -> Option<(char, String)> {
    let coverage = &FONTS.first()?.info().coverage;
    document.texts().into_iter().find_map(|text| {
        text.chars()
            .find(|c| !c.is_whitespace() && !c.is_control() && !coverage.contains(*c as u32))
            .map(|c| (c, text.to_string()))
    })
}

/// Lays the document out and writes it as PDF/A-2b. CPU-bound: call it off the async workers.
pub fn render(document: &OfficialDocument) -> Result<Vec<u8>, RenderError> {
    if let Some((character, text)) = unprintable(document) {
        return Err(RenderError::Unprintable { character, text });
    }
    let json = serde_json::to_vec(document).map_err(|e| RenderError::Layout(e.to_string()))?;
    let world = DocumentWorld {
        main: Source::new(file_id("/official.typ"), TEMPLATE.to_string()),
        data: Bytes::new(json),
    };
    let compiled = typst::compile::<PagedDocument>(&world);
    // Typst memoises layouts between compilations; documents are all different, so keep little of it.
    typst::comemo::evict(2);
    let paged = compiled.output.map_err(layout_error)?;
    let date = document.date;
    let midnight =
        Datetime::from_ymd_hms(date.year(), date.month() as u8, date.day() as u8, 0, 0, 0)
            .ok_or_else(|| RenderError::Layout(format!("ngày {date} không hợp lệ")))?;
    let options = PdfOptions {
        timestamp: Timestamp::new_local(midnight, VIETNAM_OFFSET_MINUTES),
        standards: PdfStandards::new(&[PdfStandard::A_2b])
            .map_err(|e| RenderError::Layout(e.message().to_string()))?,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&paged, &options).map_err(layout_error)
}

/// Typst's diagnostics as one message (for the log: the template and the data are ours, so this is a bug).
fn layout_error(errors: typst::ecow::EcoVec<typst::diag::SourceDiagnostic>) -> RenderError {
    RenderError::Layout(
        errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    )
}
