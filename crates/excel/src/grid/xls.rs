//! `.xls` (BIFF5/8, Excel 97–2003). The reader builds every sheet at once as the dense rectangle from its
//! first to its last cell, reserving room for the rectangle a sheet declares: so the Workbook stream is
//! walked first, record by record, and a sheet whose declared or actual cells reach beyond the limits refuses
//! the file before the reader sees it.

use super::{grid_of_range, merge_of, Budget, Extent, Grid, ReadError, MAX_COLUMNS, MAX_ROWS};
use calamine::{Reader, Xls};
use std::io::{Cursor, Read};

/// BIFF record types that hold a cell's value at (row, column) in their first four bytes.
const CELL_RECORDS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];
const MUL_RK: u16 = 0x00BD;
const DIMENSIONS: u16 = 0x0200;
const BOUND_SHEET: u16 = 0x0085;
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;

pub fn read(bytes: &[u8], budget: &mut Budget) -> Result<Vec<Grid>, ReadError> {
    let file = budget.file().to_string();
    let stream = workbook_stream(bytes).ok_or_else(|| ReadError::unreadable(&file))?;
    scan(&stream, budget)?;
    let mut workbook: Xls<_> =
        Xls::new(Cursor::new(bytes)).map_err(|_| ReadError::unreadable(&file))?;
    let mut grids = Vec::new();
    for name in workbook.sheet_names() {
        let Ok(range) = workbook.worksheet_range(&name) else {
            continue;
        };
        let merges = workbook
            .merge_cells_by_sheet_name(&name)
            .unwrap_or_default()
            .iter()
            .map(merge_of)
            .collect();
        grids.push(grid_of_range(budget, &name, &range, merges)?);
    }
    Ok(grids)
}

/// The `Workbook` (BIFF8) or `Book` (BIFF5) stream of the compound file.
fn workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut compound = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    for name in ["/Workbook", "/Book", "/WORKBOOK", "/BOOK"] {
        if let Ok(mut stream) = compound.open_stream(name) {
            let mut data = Vec::new();
            stream.read_to_end(&mut data).ok()?;
            return Some(data);
        }
    }
    None
}

/// The records of a BIFF stream from `offset`: (type, data).
fn records(stream: &[u8], mut offset: usize) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let header = stream.get(offset..offset + 4)?;
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let length = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let data = stream.get(offset + 4..offset + 4 + length)?;
        offset += 4 + length;
        Some((kind, data))
    })
}

fn u16_at(data: &[u8], at: usize) -> usize {
    data.get(at..at + 2)
        .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(data: &[u8], at: usize) -> usize {
    data.get(at..at + 4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
}

/// Every sheet's declared size and cell positions, within the limits; the rectangles the reader will fill
/// are counted against the file's budget.
fn scan(stream: &[u8], budget: &mut Budget) -> Result<(), ReadError> {
    let sheets: Vec<usize> = records(stream, 0)
        .take_while(|(kind, _)| *kind != EOF)
        .filter(|(kind, _)| *kind == BOUND_SHEET)
        .map(|(_, data)| u32_at(data, 0))
        .collect();
    for (index, start) in sheets.into_iter().enumerate() {
        let sheet = format!("{}", index + 1);
        // The reader reserves the declared rectangle; the cells found make the one it fills.
        let mut extent = Extent::default();
        let mut see = |row: usize, column: usize| -> Result<(), ReadError> {
            budget.check_position(&sheet, row, column)?;
            extent.include((row, column), (row, column));
            Ok(())
        };
        let mut depth = 0usize;
        for (kind, data) in records(stream, start) {
            match kind {
                BOF => depth += 1,
                EOF if depth <= 1 => break,
                EOF => depth -= 1,
                DIMENSIONS => {
                    let (rows, columns) = if data.len() >= 14 {
                        (u32_at(data, 4), u16_at(data, 10))
                    } else {
                        (u16_at(data, 2), u16_at(data, 6))
                    };
                    if rows > MAX_ROWS || columns > MAX_COLUMNS {
                        see(rows.saturating_sub(1), columns.saturating_sub(1))?;
                    }
                }
                MUL_RK => {
                    let row = u16_at(data, 0);
                    let last_column = u16_at(data, data.len().saturating_sub(2));
                    see(row, u16_at(data, 2))?;
                    see(row, last_column)?;
                }
                kind if CELL_RECORDS.contains(&kind) => see(u16_at(data, 0), u16_at(data, 2))?,
                _ => {}
            }
        }
        budget.count(0, extent.area())?;
    }
    Ok(())
}
