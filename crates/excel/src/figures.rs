//! The consolidated figures of a reporting round as a workbook: one row per commune, one column per indicator,
//! and the province's totals.

use crate::write::{cell_format as cell, FONT};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

/// One commune's line: its name, its report's state and its figure for each indicator (empty when not given).
pub struct FiguresRow {
    pub commune: String,
    pub state: String,
    pub values: Vec<Option<i64>>,
}

/// What the sheet shows: the round's title, a line under it, the indicators (name and unit) and the totals
/// (of the reports that count, computed by the caller).
pub struct FiguresSheet {
    pub title: String,
    pub subtitle: String,
    pub indicators: Vec<(String, String)>,
    pub rows: Vec<FiguresRow>,
    pub totals: Vec<i64>,
}

/// A4 landscape, headers repeated on each printed page; every text written as text (a name starting with `=`
/// never becomes a formula).
pub fn round_figures_xlsx(sheet_data: &FiguresSheet) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Số liệu")?;
    let title = Format::new()
        .set_font_name(FONT)
        .set_font_size(14)
        .set_bold();
    let plain = Format::new()
        .set_font_name(FONT)
        .set_font_size(12)
        .set_italic();
    let header = cell().set_bold().set_align(FormatAlign::Center);
    let text = cell();
    let number = cell().set_num_format("#,##0");
    let total_text = cell().set_bold();
    let total_number = cell().set_bold().set_num_format("#,##0");
    let last_column = (sheet_data.indicators.len() + 2) as u16;
    sheet.merge_range(0, 0, 0, last_column, &sheet_data.title, &title)?;
    sheet.merge_range(1, 0, 1, last_column, &sheet_data.subtitle, &plain)?;
    let header_row = 3;
    for (column, label) in ["TT", "Xã/phường", "Tình trạng báo cáo"].iter().enumerate() {
        sheet.write_string_with_format(header_row, column as u16, *label, &header)?;
    }
    for (i, (name, unit)) in sheet_data.indicators.iter().enumerate() {
        sheet.write_string_with_format(
            header_row,
            (i + 3) as u16,
            format!("{name} ({unit})"),
            &header,
        )?;
        sheet.set_column_width((i + 3) as u16, 16)?;
    }
    sheet.set_column_width(0, 5)?;
    sheet.set_column_width(1, 24)?;
    sheet.set_column_width(2, 16)?;
    let mut row = header_row + 1;
    for (n, line) in sheet_data.rows.iter().enumerate() {
        sheet.write_number_with_format(row, 0, (n + 1) as f64, &text)?;
        sheet.write_string_with_format(row, 1, &line.commune, &text)?;
        sheet.write_string_with_format(row, 2, &line.state, &text)?;
        for (i, value) in line.values.iter().enumerate() {
            match value {
                Some(v) => {
                    sheet.write_number_with_format(row, (i + 3) as u16, *v as f64, &number)?
                }
                None => sheet.write_blank(row, (i + 3) as u16, &text)?,
            };
        }
        row += 1;
    }
    sheet.merge_range(
        row,
        0,
        row,
        2,
        "TỔNG (báo cáo đã nộp hoặc đã tiếp nhận)",
        &total_text,
    )?;
    for (i, total) in sheet_data.totals.iter().enumerate() {
        sheet.write_number_with_format(row, (i + 3) as u16, *total as f64, &total_number)?;
    }
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_repeat_rows(header_row, header_row)?;
    sheet.set_freeze_panes(header_row + 1, 2)?;
    workbook.save_to_buffer()
}
