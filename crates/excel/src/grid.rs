//! Every sheet of a workbook as a grid of texts with its merged ranges: `.xlsx`, `.xls` (BIFF), `.ods`, `.csv`.

use crate::cell::cell_text;
use calamine::{open_workbook_auto_from_rs, Reader, Sheets};
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Rows and columns beyond these are not read: no real team list is that large, and a hostile file cannot
/// make the server allocate without bound.
pub const MAX_ROWS: usize = 200_000;
pub const MAX_COLUMNS: usize = 60;
/// What the parts of an `.xlsx`/`.ods` archive may inflate to: a whole province's list is a few tens of MB, a zip
/// bomb is gigabytes.
pub const MAX_INFLATED_BYTES: u64 = 200 * 1024 * 1024;

/// A merged range, zero-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: usize,
    pub first_column: usize,
    pub last_row: usize,
    pub last_column: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub sheet: String,
    pub rows: Vec<Vec<String>>,
    pub merges: Vec<Merge>,
}

impl Grid {
    pub fn cell(&self, row: usize, column: usize) -> &str {
        self.rows
            .get(row)
            .and_then(|r| r.get(column))
            .map_or("", String::as_str)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("Không đọc được tệp «{file}»: tệp không phải bảng tính Excel (.xlsx, .xls), LibreOffice (.ods) hay CSV, hoặc đã hỏng.")]
    Unreadable { file: String },
    #[error("Tệp «{file}» khi giải nén lớn hơn 200 MB: đây không phải một danh sách bình thường (có thể là tệp hỏng hoặc độc hại). Hãy gửi lại tệp danh sách gốc.")]
    Inflated { file: String },
    #[error("Tệp CSV «{file}» không đọc được: {detail}")]
    Csv { file: String, detail: String },
}

/// Reads every sheet of a file, choosing the reader from the content (and `.csv` from the name).
pub fn read_grids(bytes: &[u8], file_name: &str) -> Result<Vec<Grid>, ReadError> {
    if file_name.to_lowercase().ends_with(".csv") {
        return read_csv(bytes, file_name).map(|grid| vec![grid]);
    }
    refuse_zip_bomb(bytes, file_name)?;
    // A reader of hostile bytes must not take the server down with it.
    catch_unwind(AssertUnwindSafe(|| read_spreadsheet(bytes)))
        .ok()
        .flatten()
        .ok_or_else(|| ReadError::Unreadable {
            file: file_name.to_string(),
        })
}

/// Refuses an archive whose parts declare more than [`MAX_INFLATED_BYTES`] before anything is inflated.
fn refuse_zip_bomb(bytes: &[u8], file_name: &str) -> Result<(), ReadError> {
    if !bytes.starts_with(b"PK") {
        return Ok(());
    }
    // Not a readable archive: the spreadsheet reader will refuse it with its own message.
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut inflated: u64 = 0;
    for index in 0..archive.len() {
        if let Ok(part) = archive.by_index_raw(index) {
            inflated = inflated.saturating_add(part.size());
        }
    }
    if inflated > MAX_INFLATED_BYTES {
        return Err(ReadError::Inflated {
            file: file_name.to_string(),
        });
    }
    Ok(())
}

fn read_spreadsheet(bytes: &[u8]) -> Option<Vec<Grid>> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).ok()?;
    let mut grids = Vec::new();
    for name in workbook.sheet_names() {
        let Ok(range) = workbook.worksheet_range(&name) else {
            continue;
        };
        let (top, left) = range
            .start()
            .map_or((0, 0), |(r, c)| (r as usize, c as usize));
        let mut rows: Vec<Vec<String>> = vec![Vec::new(); top.min(MAX_ROWS)];
        for row in range.rows().take(MAX_ROWS.saturating_sub(top)) {
            let mut texts = vec![String::new(); left.min(MAX_COLUMNS)];
            texts.extend(
                row.iter()
                    .take(MAX_COLUMNS.saturating_sub(left))
                    .map(cell_text),
            );
            rows.push(texts);
        }
        grids.push(Grid {
            merges: merges(&mut workbook, &name),
            sheet: name,
            rows,
        });
    }
    Some(grids)
}

fn merges(workbook: &mut Sheets<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Merge> {
    let dimensions = match workbook {
        Sheets::Xlsx(xlsx) => xlsx.merge_cells_by_sheet_name(sheet).ok(),
        Sheets::Xls(xls) => xls.merge_cells_by_sheet_name(sheet).ok(),
        _ => None,
    };
    dimensions
        .unwrap_or_default()
        .into_iter()
        .map(|d| Merge {
            first_row: d.start.0 as usize,
            first_column: d.start.1 as usize,
            last_row: d.end.0 as usize,
            last_column: d.end.1 as usize,
        })
        .collect()
}

fn read_csv(bytes: &[u8], file_name: &str) -> Result<Grid, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::Csv {
        file: file_name.to_string(),
        detail: "tệp không ở mã UTF-8; hãy lưu lại với «CSV UTF-8».".into(),
    })?;
    let delimiter = if text
        .lines()
        .next()
        .is_some_and(|l| l.matches(';').count() > l.matches(',').count())
    {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records().take(MAX_ROWS) {
        let record = record.map_err(|e| ReadError::Csv {
            file: file_name.to_string(),
            detail: e.to_string(),
        })?;
        rows.push(
            record
                .iter()
                .take(MAX_COLUMNS)
                .map(without_formula_guard)
                .collect(),
        );
    }
    Ok(Grid {
        sheet: "CSV".into(),
        rows,
        merges: Vec::new(),
    })
}

/// Removes the apostrophe our CSV export puts before a text starting with `=`, `+`, `-` or `@`.
fn without_formula_guard(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bytes in [
            &b""[..],
            b"PK\x03\x04garbage",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1broken",
            &[0u8; 600],
        ] {
            assert!(matches!(
                read_grids(bytes, "x.xlsx"),
                Err(ReadError::Unreadable { .. })
            ));
        }
    }

    #[test]
    fn an_archive_that_would_inflate_to_gigabytes_is_refused_unopened() {
        let mut archive = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        archive
            .start_file("xl/worksheets/sheet1.xml", options)
            .unwrap();
        std::io::Write::write_all(&mut archive, b"<worksheet/>").unwrap();
        let mut bytes = archive.finish().unwrap().into_inner();
        // Forge the central directory's uncompressed size (offset 24 of its header) to 4 GB, as a bomb declares.
        let central = bytes.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
        bytes[central + 24..central + 28].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            read_grids(&bytes, "bom.xlsx"),
            Err(ReadError::Inflated { .. })
        ));
    }

    #[test]
    fn csv_with_bom_and_semicolons() {
        let grids = read_grids("\u{feff}TT;Tên Tổ\n1;Thôn 1\n".as_bytes(), "a.csv").unwrap();
        assert_eq!(grids[0].rows[1], ["1", "Thôn 1"]);
        assert!(read_grids(b"\xff\xfe", "a.csv").is_err());
    }
}
