//! What a file may hold, checked before or while it is read, so that any file up to the upload limit is read
//! in bounded memory or refused whole with a message saying which limit it passed. Nothing is ever cut off
//! silently: a file with data beyond a limit is refused, not read in part.
//!
//! The bound: the text of at most [`MAX_CELLS`] cells, in rows at most [`MAX_COLUMNS`] wide, with at most
//! [`MAX_AREA`] cell slots in all (empty ones included) — about 100 MB for a file at every limit at once; a
//! province's list of 60,000 members uses about a tenth of each.

use super::{Grid, Merge, ReadError};

/// Rows a sheet may use: a province's list is a few tens of thousands.
pub const MAX_ROWS: usize = 100_000;
/// Columns a sheet may use: the template has eight, real files a few more.
pub const MAX_COLUMNS: usize = 60;
/// Sheets a workbook may have.
pub const MAX_SHEETS: usize = 50;
/// Cells with a value, in all sheets of a file.
pub const MAX_CELLS: usize = 2_000_000;
/// Cell slots the grids hold (each row as wide as its last value), merged ranges filled in included.
pub const MAX_AREA: usize = 3_000_000;
/// What the parts of an `.xlsx`/`.ods` archive may inflate to in all: a whole province's list is a few tens of
/// MB; a zip bomb is gigabytes.
pub const MAX_INFLATED_BYTES: u64 = 150 * 1024 * 1024;
/// Distinct texts an `.xlsx` may declare in its shared-strings table.
pub const MAX_STRINGS: usize = 2_000_000;

/// The rectangle a reader fills for a sheet: from its first to its last cell with a value.
#[derive(Debug, Default, Clone, Copy)]
pub struct Extent {
    corners: Option<((usize, usize), (usize, usize))>,
}

impl Extent {
    /// Takes in the cells from `first` to `last` (row, column), inclusive.
    pub fn include(&mut self, first: (usize, usize), last: (usize, usize)) {
        self.corners = Some(match self.corners {
            None => (first, last),
            Some((a, b)) => (
                (a.0.min(first.0), a.1.min(first.1)),
                (b.0.max(last.0), b.1.max(last.1)),
            ),
        });
    }

    pub fn area(&self) -> usize {
        self.corners
            .map_or(0, |(a, b)| (b.0 - a.0 + 1).saturating_mul(b.1 - a.1 + 1))
    }
}

/// The running count of a file's cells, shared by its sheets.
pub struct Budget {
    file: String,
    cells: usize,
    area: usize,
    sheets: usize,
}

impl Budget {
    pub fn new(file: &str) -> Self {
        Self {
            file: file.to_string(),
            cells: 0,
            area: 0,
            sheets: 0,
        }
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    /// A new sheet, within [`MAX_SHEETS`].
    pub fn sheet(&mut self, name: &str) -> Result<Grid, ReadError> {
        self.sheets += 1;
        if self.sheets > MAX_SHEETS {
            return Err(ReadError::TooManySheets {
                file: self.file.clone(),
                limit: MAX_SHEETS,
            });
        }
        Ok(Grid {
            sheet: name.to_string(),
            ..Grid::default()
        })
    }

    /// Checks a position against the row and column limits (for pre-scans that place nothing).
    pub fn check_position(&self, sheet: &str, row: usize, column: usize) -> Result<(), ReadError> {
        if row >= MAX_ROWS {
            return Err(ReadError::TooManyRows {
                file: self.file.clone(),
                sheet: sheet.to_string(),
                row: row + 1,
                limit: MAX_ROWS,
            });
        }
        if column >= MAX_COLUMNS {
            return Err(ReadError::TooManyColumns {
                file: self.file.clone(),
                sheet: sheet.to_string(),
                column: crate::problem::column_letter(column),
                limit: MAX_COLUMNS,
            });
        }
        Ok(())
    }

    /// Counts `count` cells with a value and `area` slots, within [`MAX_CELLS`] and [`MAX_AREA`].
    pub fn count(&mut self, count: usize, area: usize) -> Result<(), ReadError> {
        self.cells = self.cells.saturating_add(count);
        self.area = self.area.saturating_add(area);
        if self.cells > MAX_CELLS || self.area > MAX_AREA {
            return Err(ReadError::TooManyCells {
                file: self.file.clone(),
                limit: MAX_CELLS,
            });
        }
        Ok(())
    }

    /// Puts a cell's text in the grid; empty text is not stored.
    pub fn place(
        &mut self,
        grid: &mut Grid,
        row: usize,
        column: usize,
        text: String,
    ) -> Result<(), ReadError> {
        if text.trim().is_empty() {
            return Ok(());
        }
        self.check_position(&grid.sheet, row, column)?;
        if grid.rows.len() <= row {
            grid.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut grid.rows[row];
        let grown = (column + 1).saturating_sub(cells.len());
        self.count(1, grown)?;
        if grown > 0 {
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
        Ok(())
    }

    /// Keeps a sheet's merged ranges, cut to the rows it has and the columns it may use, counting the cells
    /// filling them will take.
    pub fn merges(&mut self, grid: &mut Grid, merges: Vec<Merge>) -> Result<(), ReadError> {
        for merge in merges {
            if merge.first_row >= grid.rows.len() || merge.first_column >= MAX_COLUMNS {
                continue;
            }
            let merge = Merge {
                last_row: merge.last_row.min(grid.rows.len() - 1),
                last_column: merge.last_column.min(MAX_COLUMNS - 1),
                ..merge
            };
            if merge.last_row < merge.first_row || merge.last_column < merge.first_column {
                continue;
            }
            let rows = merge.last_row - merge.first_row + 1;
            let columns = merge.last_column - merge.first_column + 1;
            self.count(0, rows.saturating_mul(columns))?;
            grid.merges.push(merge);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_beyond_the_limits_refuse_the_file() {
        let mut budget = Budget::new("a.xlsx");
        let mut grid = budget.sheet("Trang1").unwrap();
        budget.place(&mut grid, 0, 0, "TT".into()).unwrap();
        assert!(
            budget
                .place(&mut grid, MAX_ROWS + 5, 0, String::new())
                .is_ok(),
            "empty: ignored"
        );
        let far = budget
            .place(&mut grid, MAX_ROWS, 0, "x".into())
            .unwrap_err();
        assert!(
            far.to_string()
                .contains("dòng 100.001, quá giới hạn 100.000 dòng"),
            "{far}"
        );
        let wide = budget.place(&mut grid, 1, 16_383, "x".into()).unwrap_err();
        assert!(wide.to_string().contains("cột XFD"), "{wide}");
    }

    #[test]
    fn merges_are_cut_to_the_sheet_and_counted() {
        let mut budget = Budget::new("a.xlsx");
        let mut grid = budget.sheet("Trang1").unwrap();
        budget.place(&mut grid, 2, 1, "Xã".into()).unwrap();
        let huge = Merge {
            first_row: 0,
            first_column: 0,
            last_row: 1_048_575,
            last_column: 16_383,
        };
        budget.merges(&mut grid, vec![huge]).unwrap();
        assert_eq!(grid.merges[0].last_row, 2);
        assert_eq!(grid.merges[0].last_column, MAX_COLUMNS - 1);
        let many = vec![huge; MAX_AREA / (3 * MAX_COLUMNS) + 1];
        assert!(
            budget.merges(&mut grid, many).is_err(),
            "their cells are counted"
        );
    }
}
