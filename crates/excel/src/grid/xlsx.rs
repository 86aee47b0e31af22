//! `.xlsx`: cells are read one by one as the sheet's XML streams by (never as the dense rectangle from the first
//! to the last used cell), so a single cell at `XFD1048576` costs one check, not half a terabyte.

use super::{merge_of, refuse_zip_bomb, Budget, Grid, ReadError, MAX_STRINGS};
use calamine::{Data, Reader, Xlsx};
use cnscd_domain::legacy::Legacy;
use quick_xml::events::Event;
use std::io::{BufReader, Cursor, Read};

pub fn read(bytes: &[u8], budget: &mut Budget) -> Result<Vec<Grid>, ReadError> {
    let file = budget.file().to_string();
    refuse_zip_bomb(bytes, &file)?;
    check_shared_strings(bytes, &file)?;
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|_| ReadError::unreadable(&file))?;
    let mut grids = Vec::new();
    for name in workbook.sheet_names() {
        let mut grid = budget.sheet(&name)?;
        {
            let Ok(mut cells) = workbook.worksheet_cells_reader(&name) else {
                continue;
            };
            while let Some((cell, style)) = cells
                .next_cell_with_style_id()
                .map_err(|_| ReadError::unreadable(&file))?
            {
                let (row, column) = cell.get_position();
                let text = crate::cell::cell_text(&Data::from(cell.get_value().clone()));
                let font = cells.styles().get(style).and_then(|s| s.font.as_ref());
                if let Some(legacy) = font
                    .and_then(|f| f.name.as_deref())
                    .and_then(Legacy::of_font)
                {
                    if !text.trim().is_empty() {
                        grid.legacy_fonts
                            .push((row as usize, column as usize, legacy));
                    }
                }
                budget.place(&mut grid, row as usize, column as usize, text)?;
            }
        }
        let merges = workbook
            .merge_cells_by_sheet_name(&name)
            .unwrap_or_default()
            .iter()
            .map(merge_of)
            .collect();
        budget.merges(&mut grid, merges)?;
        grids.push(grid);
    }
    Ok(grids)
}

/// The shared-strings table declares how many texts it holds, and the reader reserves room for that many:
/// a declaration beyond [`MAX_STRINGS`] is refused before the workbook is opened.
fn check_shared_strings(bytes: &[u8], file: &str) -> Result<(), ReadError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ReadError::unreadable(file))?;
    let Ok(part) = archive.by_name("xl/sharedStrings.xml") else {
        return Ok(());
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(part.take(64 * 1024)));
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                for attribute in e.attributes().flatten() {
                    if matches!(attribute.key.local_name().as_ref(), "count" | "uniqueCount") {
                        let declared: usize = attribute.value.trim().parse().unwrap_or(usize::MAX);
                        if declared > MAX_STRINGS {
                            return Err(ReadError::TooManyStrings {
                                file: file.to_string(),
                                limit: MAX_STRINGS,
                            });
                        }
                    }
                }
                return Ok(());
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => buf.clear(),
        }
    }
}
