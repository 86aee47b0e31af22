//! `.ods` (LibreOffice). The reader expands every repeated cell and row of every sheet at once, so the content
//! is walked first: a value repeated across thousands of columns, or rows beyond the limits, refuse the file
//! before the reader sees it.

use super::{grid_of_range, refuse_zip_bomb, Budget, Extent, Grid, ReadError};
use calamine::{Ods, Reader};
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor};

pub fn read(bytes: &[u8], budget: &mut Budget) -> Result<Vec<Grid>, ReadError> {
    let file = budget.file().to_string();
    refuse_zip_bomb(bytes, &file)?;
    scan(bytes, budget)?;
    let mut workbook: Ods<_> =
        Ods::new(Cursor::new(bytes)).map_err(|_| ReadError::unreadable(&file))?;
    let mut grids = Vec::new();
    for name in workbook.sheet_names() {
        let Ok(range) = workbook.worksheet_range(&name) else {
            continue;
        };
        grids.push(grid_of_range(budget, &name, &range, Vec::new())?);
    }
    Ok(grids)
}

fn repeats(element: &BytesStart, name: &str) -> usize {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

/// A cell holds a value when it declares a type or has text inside.
fn declares_value(element: &BytesStart) -> bool {
    element
        .attributes()
        .flatten()
        .any(|a| a.key.as_ref() == "office:value-type")
}

/// Walks `content.xml`: every sheet's cells with a value, repeats counted, within the limits; the
/// rectangles the reader will fill are counted against the file's budget.
fn scan(bytes: &[u8], budget: &mut Budget) -> Result<(), ReadError> {
    let file = budget.file().to_string();
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ReadError::unreadable(&file))?;
    let content = archive
        .by_name("content.xml")
        .map_err(|_| ReadError::unreadable(&file))?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut sheet = String::new();
    let (mut row, mut column) = (0usize, 0usize);
    let mut row_repeats = 1usize;
    let mut bounds = Extent::default();
    let mut cell: Option<(usize, usize)> = None;
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|_| ReadError::unreadable(&file))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => match e.name().as_ref() {
                "table:table" => {
                    sheet = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == "table:name")
                        .map(|a| a.value.into_owned())
                        .unwrap_or_default();
                    (row, bounds) = (0, Extent::default());
                }
                "table:table-row" => {
                    column = 0;
                    row_repeats = repeats(e, "table:number-rows-repeated");
                    if matches!(event, Event::Empty(_)) {
                        row = row.saturating_add(row_repeats);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let span = repeats(e, "table:number-columns-repeated");
                    let valued = declares_value(e);
                    if matches!(event, Event::Start(_)) {
                        cell = Some((column, span));
                    }
                    if valued {
                        mark(budget, &sheet, &mut bounds, row, row_repeats, column, span)?;
                    }
                    column = column.saturating_add(span);
                }
                "text:p" => {
                    if let Some((at, span)) = cell.take() {
                        mark(budget, &sheet, &mut bounds, row, row_repeats, at, span)?;
                    }
                }
                _ => {}
            },
            Event::End(ref e) => match e.name().as_ref() {
                "table:table-row" => row = row.saturating_add(row_repeats),
                "table:table-cell" | "table:covered-table-cell" => cell = None,
                "table:table" => budget.count(0, std::mem::take(&mut bounds).area())?,
                _ => {}
            },
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// Records cells with a value repeated over `rows` × `columns` from (row, column).
fn mark(
    budget: &mut Budget,
    sheet: &str,
    bounds: &mut Extent,
    row: usize,
    rows: usize,
    column: usize,
    columns: usize,
) -> Result<(), ReadError> {
    let last = (
        row.saturating_add(rows.max(1) - 1),
        column.saturating_add(columns.max(1) - 1),
    );
    budget.check_position(sheet, last.0, last.1)?;
    budget.count(rows.saturating_mul(columns), 0)?;
    bounds.include((row, column), last);
    Ok(())
}
