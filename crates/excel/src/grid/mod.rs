//! Every sheet of a workbook as a grid of texts with its merged ranges: `.xlsx`, `.xls` (BIFF), `.ods`, `.csv`.
//! Each format is read within the limits of `limits.rs`, checked before anything large is allocated.

mod csv;
mod legacy;
mod limits;
mod ods;
mod xls;
mod xlsx;

pub use limits::{
    Budget, Extent, MAX_AREA, MAX_CELLS, MAX_COLUMNS, MAX_INFLATED_BYTES, MAX_ROWS, MAX_SHEETS,
    MAX_STRINGS,
};

use cnscd_domain::legacy::Legacy;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A merged range, zero-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: usize,
    pub first_column: usize,
    pub last_row: usize,
    pub last_column: usize,
}

/// A sheet's texts: each row as wide as its last value (empty rows are empty).
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub sheet: String,
    pub rows: Vec<Vec<String>>,
    pub merges: Vec<Merge>,
    /// Cells whose font says they are typed in a legacy encoding (`.VnTime`, `VNI-Times`).
    pub legacy_fonts: Vec<(usize, usize, Legacy)>,
    /// Cells converted from a legacy encoding to Unicode, by encoding.
    pub converted: Vec<(Legacy, usize)>,
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
    #[error("Tệp «{file}» khi giải nén lớn hơn {} MB: đây không phải một danh sách bình thường (có thể là tệp hỏng hoặc độc hại). Hãy gửi lại tệp danh sách gốc.", MAX_INFLATED_BYTES / (1024 * 1024))]
    Inflated { file: String },
    #[error("Tệp «{file}» khai báo quá nhiều chuỗi văn bản (giới hạn {}): không phải một danh sách bình thường. Hãy lưu lại tệp bằng Excel rồi gửi lại.", grouped(*.limit))]
    TooManyStrings { file: String, limit: usize },
    #[error("Tệp «{file}» có hơn {limit} trang tính. Hãy chỉ giữ các trang có danh sách tổ rồi gửi lại.")]
    TooManySheets { file: String, limit: usize },
    #[error("Trang «{sheet}» của tệp «{file}» có dữ liệu ở dòng {}, quá giới hạn {} dòng. Có thể tệp có rất nhiều dòng trống xen giữa hoặc dữ liệu thừa ở cuối trang: hãy xoá chúng rồi gửi lại. Không phần nào của tệp được nhập.", grouped(*.row), grouped(*.limit))]
    TooManyRows {
        file: String,
        sheet: String,
        row: usize,
        limit: usize,
    },
    #[error("Trang «{sheet}» của tệp «{file}» có dữ liệu ở cột {column}, quá giới hạn {limit} cột của danh sách. Hãy xoá các cột thừa rồi gửi lại. Không phần nào của tệp được nhập.")]
    TooManyColumns {
        file: String,
        sheet: String,
        column: String,
        limit: usize,
    },
    #[error("Tệp «{file}» có quá nhiều ô dữ liệu (giới hạn {} ô): lớn hơn danh sách của cả một tỉnh. Hãy chia thành nhiều tệp theo xã/phường rồi gửi lại.", grouped(*.limit))]
    TooManyCells { file: String, limit: usize },
    #[error("Tệp CSV «{file}» không đọc được: {detail}")]
    Csv { file: String, detail: String },
}

/// `100000` → `100.000`, as Vietnamese writes numbers.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(digit);
    }
    out
}

impl ReadError {
    pub fn unreadable(file: &str) -> Self {
        ReadError::Unreadable {
            file: file.to_string(),
        }
    }
}

/// Reads every sheet of a file, choosing the reader from the content (and `.csv` from the name); text typed in
/// a legacy Vietnamese encoding is turned into Unicode before anything reads it.
pub fn read_grids(bytes: &[u8], file_name: &str) -> Result<Vec<Grid>, ReadError> {
    let mut budget = Budget::new(file_name);
    let mut grids = if file_name.to_lowercase().ends_with(".csv") {
        vec![csv::read(bytes, &mut budget)?]
    } else {
        // A reader of hostile bytes must not take the server down with it.
        catch_unwind(AssertUnwindSafe(|| read_spreadsheet(bytes, &mut budget)))
            .unwrap_or_else(|_| Err(ReadError::unreadable(file_name)))?
    };
    grids.iter_mut().for_each(legacy::to_unicode);
    Ok(grids)
}

fn read_spreadsheet(bytes: &[u8], budget: &mut Budget) -> Result<Vec<Grid>, ReadError> {
    if bytes.starts_with(b"PK") {
        let is_ods = zip::ZipArchive::new(Cursor::new(bytes))
            .is_ok_and(|mut a| a.by_name("content.xml").is_ok());
        if is_ods {
            ods::read(bytes, budget)
        } else {
            xlsx::read(bytes, budget)
        }
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        xls::read(bytes, budget)
    } else {
        Err(ReadError::unreadable(budget.file()))
    }
}

/// Refuses an archive whose parts declare more than [`MAX_INFLATED_BYTES`] before anything is inflated.
fn refuse_zip_bomb(bytes: &[u8], file: &str) -> Result<(), ReadError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ReadError::unreadable(file))?;
    let mut inflated: u64 = 0;
    for index in 0..archive.len() {
        if let Ok(part) = archive.by_index_raw(index) {
            inflated = inflated.saturating_add(part.size());
        }
    }
    if inflated > MAX_INFLATED_BYTES {
        return Err(ReadError::Inflated {
            file: file.to_string(),
        });
    }
    Ok(())
}

/// A calamine merged region as ours.
fn merge_of(d: &calamine::Dimensions) -> Merge {
    Merge {
        first_row: d.start.0 as usize,
        first_column: d.start.1 as usize,
        last_row: d.end.0 as usize,
        last_column: d.end.1 as usize,
    }
}

/// The grid of a range calamine has built (sizes already checked by the format's pre-scan).
fn grid_of_range(
    budget: &mut Budget,
    name: &str,
    range: &calamine::Range<calamine::Data>,
    merges: Vec<Merge>,
) -> Result<Grid, ReadError> {
    let mut grid = budget.sheet(name)?;
    let (top, left) = range.start().unwrap_or((0, 0));
    for (row, column, value) in range.used_cells() {
        let (row, column) = (row + top as usize, column + left as usize);
        budget.place(&mut grid, row, column, crate::cell::cell_text(value))?;
    }
    budget.merges(&mut grid, merges)?;
    Ok(grid)
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
}
