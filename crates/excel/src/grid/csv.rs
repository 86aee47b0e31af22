//! `.csv` (UTF-8, with or without BOM, `,` or `;`): read record by record within the same limits as
//! workbooks; blank lines cost nothing, data past the limits refuses the file.

use super::{Budget, Grid, ReadError};

pub fn read(bytes: &[u8], budget: &mut Budget) -> Result<Grid, ReadError> {
    let file = budget.file().to_string();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::Csv {
        file: file.clone(),
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
    let mut grid = budget.sheet("CSV")?;
    let mut record = csv::StringRecord::new();
    let (mut counted_to, mut lines) = (0usize, 0usize);
    loop {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| ReadError::Csv {
                file: file.clone(),
                detail: e.to_string(),
            })?;
        if !more {
            break;
        }
        // Blank lines yield no record: the lines up to the record's end, less those inside its quoted
        // fields, number its row as a person sees it in the file.
        let end = (reader.position().byte() as usize).min(text.len());
        lines += text.as_bytes()[counted_to..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        counted_to = end;
        let inside: usize = record.iter().map(|f| f.matches('\n').count()).sum();
        let ended_by_newline = text.as_bytes()[..end].ends_with(b"\n");
        let row = lines.saturating_sub(inside + usize::from(ended_by_newline));
        for (column, value) in record.iter().enumerate() {
            budget.place(&mut grid, row, column, without_formula_guard(value))?;
        }
    }
    Ok(grid)
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
    use super::super::read_grids;
    use super::*;

    #[test]
    fn csv_with_bom_and_semicolons() {
        let grids = read_grids("\u{feff}TT;Tên Tổ\n1;Thôn 1\n".as_bytes(), "a.csv").unwrap();
        assert_eq!(grids[0].rows[1], ["1", "Thôn 1"]);
        assert!(read_grids(b"\xff\xfe", "a.csv").is_err());
    }

    #[test]
    fn blank_lines_are_free_but_data_past_the_last_row_refuses_the_file() {
        let mut text = String::from("TT,Tên Tổ\n1,Thôn 1\n");
        text.push_str(&"\n".repeat(50_000));
        text.push_str("2,Thôn 2\n");
        let grids = read_grids(text.as_bytes(), "a.csv").unwrap();
        let last = grids[0].rows.iter().rposition(|r| !r.is_empty());
        assert_eq!(last, Some(50_002), "rows numbered as in the file");
        assert_eq!(grids[0].cell(50_002, 1), "Thôn 2", "nothing dropped");
        text.push_str(&",\n".repeat(super::super::MAX_ROWS));
        text.push_str("3,Thôn 3\n");
        let refused = read_grids(text.as_bytes(), "a.csv").unwrap_err();
        assert!(
            matches!(refused, ReadError::TooManyRows { .. }),
            "{refused}"
        );
    }
}
