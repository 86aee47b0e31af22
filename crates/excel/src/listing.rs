//! A printable list as a workbook: a title, a line under it, numbered rows of text under a header repeated on
//! every printed A4 page. Class rosters and sign-in sheets are such lists.

use crate::write::{cell_format as cell, FONT};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

pub struct ListingSheet {
    pub sheet_name: String,
    pub title: String,
    pub subtitle: String,
    /// Header and width (characters) of each column after the row number.
    pub columns: Vec<(String, f64)>,
    pub rows: Vec<Vec<String>>,
    pub landscape: bool,
    /// Taller rows leave room to sign by hand.
    pub row_height: Option<f64>,
}

/// Every text written as text (a name starting with `=` never becomes a formula).
pub fn listing_xlsx(data: &ListingSheet) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(&data.sheet_name)?;
    let title = Format::new()
        .set_font_name(FONT)
        .set_font_size(14)
        .set_bold();
    let plain = Format::new()
        .set_font_name(FONT)
        .set_font_size(12)
        .set_italic();
    let header = cell()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let text = cell().set_text_wrap();
    let last_column = data.columns.len() as u16;
    sheet.merge_range(0, 0, 0, last_column, &data.title, &title)?;
    sheet.merge_range(1, 0, 1, last_column, &data.subtitle, &plain)?;
    let header_row = 3;
    sheet.write_string_with_format(header_row, 0, "TT", &header)?;
    sheet.set_column_width(0, 5)?;
    for (i, (label, width)) in data.columns.iter().enumerate() {
        let column = (i + 1) as u16;
        sheet.write_string_with_format(header_row, column, label, &header)?;
        sheet.set_column_width(column, *width)?;
    }
    for (n, values) in data.rows.iter().enumerate() {
        let row = header_row + 1 + n as u32;
        sheet.write_number_with_format(row, 0, (n + 1) as f64, &text)?;
        for (i, value) in values.iter().enumerate() {
            sheet.write_string_with_format(row, (i + 1) as u16, value, &text)?;
        }
        for i in values.len()..data.columns.len() {
            sheet.write_blank(row, (i + 1) as u16, &text)?;
        }
        if let Some(height) = data.row_height {
            sheet.set_row_height(row, height)?;
        }
    }
    if data.landscape {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(header_row, header_row)?;
    sheet.set_freeze_panes(header_row + 1, 0)?;
    workbook.save_to_buffer()
}
