//! Writing the roster: the Department's exact template as `.xlsx`, and the same data as CSV and JSON.

use cnscd_domain::roster::{Roster, RosterCommune, RosterTeam};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

pub const TITLE: &str = "DANH SÁCH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG";
pub const HEADERS: [&str; 8] = [
    "TT",
    "Tên Phường\\xã",
    "Tên Tổ",
    "Số Quyết định",
    "Họ tên thành viên",
    "Chức vụ trong tổ",
    "Số điện thoại liên hệ",
    "Ghi chú",
];
/// Column widths of the Department's template.
const WIDTHS: [f64; 8] = [5.0, 20.0, 16.0, 24.0, 24.0, 14.0, 16.0, 12.0];
const HEADER_ROW: u32 = 2;
pub(crate) const FONT: &str = "Times New Roman";
/// Margins in inches: left 30 mm, right 15 mm, top and bottom 20 mm (Decree 30/2020 for official papers).
const MARGINS: (f64, f64, f64, f64) = (1.18, 0.59, 0.79, 0.79);

/// The decision as the template writes it: `01/QĐ-UBND` and `ngày 10/7/2025` on the next line.
fn decision_text(team: &RosterTeam) -> String {
    use chrono::Datelike;
    team.decision
        .as_ref()
        .map(|d| {
            format!(
                "{}\nngày {}/{}/{}",
                d.number.as_str(),
                d.date.day(),
                d.date.month(),
                d.date.year()
            )
        })
        .unwrap_or_default()
}

/// A bordered, wrapped cell of the template's font: every table cell cnscd writes starts from it.
pub(crate) fn cell_format() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_size(12)
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

/// Writes a value over a block of rows: merged when the block has several rows.
fn block(
    sheet: &mut Worksheet,
    first: u32,
    last: u32,
    column: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if last > first {
        sheet.merge_range(first, column, last, column, text, format)?;
    } else {
        sheet.write_string_with_format(first, column, text, format)?;
    }
    Ok(())
}

/// The template as an `.xlsx` file: title, header repeated on every printed page, `TT` per commune, commune,
/// team and decision merged over their blocks, Times New Roman, borders, A4 landscape, and the `TỔNG` row.
/// Every text is written as text: a name beginning with `=` can never run as a formula.
pub fn roster_xlsx(roster: &Roster, subtitle: &str) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = RosterWorkbook::new();
    workbook.add_sheet(roster, "Danh sách", subtitle)?;
    workbook.into_bytes()
}

/// The template's workbook written one sheet at a time, each sheet row by row: rust_xlsxwriter's
/// constant-memory sheets write each finished row to a temporary file, so a workbook of every province holds
/// one province's roster in memory at a time, not the nation's cells.
pub struct RosterWorkbook {
    workbook: Workbook,
}

impl Default for RosterWorkbook {
    fn default() -> Self {
        Self::new()
    }
}

impl RosterWorkbook {
    pub fn new() -> Self {
        let mut workbook = Workbook::new();
        // Excel's own level: about a third faster to write than the default 6, for a file ~5% larger.
        workbook.set_zip_compression_level(3);
        Self { workbook }
    }

    /// Adds a sheet holding the roster in the template. Rows are written in order (a constant-memory sheet
    /// cannot go back): each block's merged cells are written at its first row, before its members.
    pub fn add_sheet(
        &mut self,
        roster: &Roster,
        name: &str,
        subtitle: &str,
    ) -> Result<(), XlsxError> {
        let sheet = self.workbook.add_worksheet_with_constant_memory()?;
        template_sheet(sheet, name, subtitle)?;
        let text = cell_format();
        let centered = cell_format().set_align(FormatAlign::Center);
        let total = cell_format().set_bold();
        let mut row = HEADER_ROW + 1;
        for (index, commune) in roster.communes.iter().enumerate() {
            let commune_last = row + commune_rows(commune) - 1;
            if commune_last > row {
                sheet.merge_range(row, 0, commune_last, 0, "", &centered)?;
            }
            sheet.write_number_with_format(row, 0, (index + 1) as f64, &centered)?;
            block(sheet, row, commune_last, 1, &commune.name, &text)?;
            if commune.teams.is_empty() {
                sheet.write_string_with_format(row, 2, NO_TEAM, &text)?;
                for column in 3..8 {
                    sheet.write_blank(row, column, &text)?;
                }
                row += 1;
            }
            for team in &commune.teams {
                let team_last = row + team_rows(team) - 1;
                block(sheet, row, team_last, 2, &team.name, &text)?;
                block(sheet, row, team_last, 3, &decision_text(team), &text)?;
                for member in &team.members {
                    sheet.write_string_with_format(row, 4, member.name.as_str(), &text)?;
                    sheet.write_string_with_format(row, 5, member.role.label(), &text)?;
                    sheet.write_string_with_format(
                        row,
                        6,
                        member.phone.as_ref().map_or("", |p| p.as_str()),
                        &centered,
                    )?;
                    sheet.write_string_with_format(row, 7, &member.note, &text)?;
                    row += 1;
                }
                if team.members.is_empty() {
                    for column in 4..8 {
                        sheet.write_blank(row, column, &text)?;
                    }
                    row += 1;
                }
            }
        }
        sheet.write_string_with_format(row, 0, "", &total)?;
        sheet.write_string_with_format(
            row,
            1,
            format!("TỔNG: {} xã/phường", roster.communes.len()),
            &total,
        )?;
        sheet.write_string_with_format(row, 2, format!("{} tổ", roster.team_count()), &total)?;
        sheet.write_string_with_format(row, 3, "", &total)?;
        sheet.write_string_with_format(
            row,
            4,
            format!("{} thành viên", roster.member_count()),
            &total,
        )?;
        for column in 5..8 {
            sheet.write_string_with_format(row, column, "", &total)?;
        }
        Ok(())
    }

    pub fn into_bytes(mut self) -> Result<Vec<u8>, XlsxError> {
        self.workbook.save_to_buffer()
    }

    pub fn save(mut self, path: &std::path::Path) -> Result<(), XlsxError> {
        self.workbook.save(path)
    }
}

/// Rows a team takes: one per member, one when it has none.
fn team_rows(team: &RosterTeam) -> u32 {
    team.members.len().max(1) as u32
}

/// Rows a commune takes: its teams' rows, one when it has none.
fn commune_rows(commune: &RosterCommune) -> u32 {
    commune.teams.iter().map(team_rows).sum::<u32>().max(1)
}

/// Rows of the blank template ready to fill (borders drawn).
const BLANK_ROWS: u32 = 40;

/// The template with no data: title, a line for the commune, the header and bordered empty rows. Filled in and
/// sent back, it imports as it is.
pub fn blank_template_xlsx() -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    template_sheet(
        sheet,
        "Danh sách",
        "Xã/phường: ..............................",
    )?;
    let text = cell_format();
    for row in HEADER_ROW + 1..=HEADER_ROW + BLANK_ROWS {
        for column in 0..HEADERS.len() as u16 {
            sheet.write_blank(row, column, &text)?;
        }
    }
    workbook.save_to_buffer()
}

/// The sheet of the template: its name, title and subtitle, the header (repeated on every printed page),
/// column widths, A4 landscape with the margins of official papers.
fn template_sheet(sheet: &mut Worksheet, name: &str, subtitle: &str) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let title = Format::new()
        .set_font_name(FONT)
        .set_font_size(14)
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let italic = Format::new()
        .set_font_name(FONT)
        .set_font_size(12)
        .set_italic()
        .set_align(FormatAlign::Center);
    let header = cell_format()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color("#F2F2F2");
    sheet.merge_range(0, 0, 0, 7, TITLE, &title)?;
    sheet.merge_range(1, 0, 1, 7, subtitle, &italic)?;
    for (column, (heading, width)) in HEADERS.iter().zip(WIDTHS).enumerate() {
        sheet.write_string_with_format(HEADER_ROW, column as u16, *heading, &header)?;
        sheet.set_column_width(column as u16, width)?;
    }
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_margins(MARGINS.0, MARGINS.1, MARGINS.2, MARGINS.3, 0.3, 0.3);
    Ok(())
}

/// What the team column says for a commune without a team (the import reads it as no team).
pub const NO_TEAM: &str = "chưa có tổ";

/// Keeps a spreadsheet from reading a cell as a formula (`=`, `+`, `-`, `@` first) by a leading apostrophe.
fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The same data as CSV (UTF-8 with BOM, so that Excel shows Vietnamese correctly): one row per member with every
/// column filled.
pub fn roster_csv(roster: &Roster) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::new();
    let mut writer = RosterCsv::new(&mut out, false)?;
    writer.add(roster)?;
    writer.finish()?;
    Ok(out)
}

/// The CSV written province by province to any writer; a file of several provinces starts each row with the
/// province's name (commune names repeat between provinces).
pub struct RosterCsv<W: std::io::Write> {
    writer: csv::Writer<W>,
    with_province: bool,
}

impl<W: std::io::Write> RosterCsv<W> {
    pub fn new(mut out: W, with_province: bool) -> Result<Self, csv::Error> {
        out.write_all(b"\xEF\xBB\xBF")?;
        let mut writer = csv::Writer::from_writer(out);
        let province = with_province.then_some(PROVINCE_HEADER);
        writer.write_record(province.into_iter().chain(HEADERS))?;
        Ok(Self {
            writer,
            with_province,
        })
    }

    pub fn add(&mut self, roster: &Roster) -> Result<(), csv::Error> {
        let province = self.with_province.then(|| inert(&roster.province.name));
        for (index, commune) in roster.communes.iter().enumerate() {
            let number = (index + 1).to_string();
            if commune.teams.is_empty() {
                let mut line = vec![String::new(); HEADERS.len()];
                line[0] = number.clone();
                line[1] = inert(&commune.name);
                line[2] = NO_TEAM.to_string();
                self.writer
                    .write_record(province.iter().cloned().chain(line))?;
            }
            for team in &commune.teams {
                let decision = decision_text(team).replace('\n', " ");
                for member in &team.members {
                    self.writer.write_record(
                        province.iter().cloned().chain([
                            number.clone(),
                            inert(&commune.name),
                            inert(&team.name),
                            inert(&decision),
                            inert(member.name.as_str()),
                            member.role.label().to_string(),
                            member
                                .phone
                                .as_ref()
                                .map_or_else(String::new, |p| p.as_str().to_string()),
                            inert(&member.note),
                        ]),
                    )?;
                }
            }
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<(), csv::Error> {
        self.writer.flush()?;
        Ok(())
    }
}

/// The first column of a CSV of several provinces.
pub const PROVINCE_HEADER: &str = "Tỉnh/thành phố";

/// The roster as JSON: `{"province", "communes": [{"code", "name", "teams": [{"name", "decision", "members"}]}]}`.
pub fn roster_json(roster: &Roster) -> String {
    serde_json::to_string_pretty(roster).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use cnscd_domain::person_name::PersonName;
    use cnscd_domain::role::Role;
    use cnscd_domain::roster::{RosterMember, RosterProvince};

    fn member(name: &str, role: Role) -> RosterMember {
        RosterMember {
            name: PersonName::from_stored(name.into()),
            role,
            phone: None,
            note: String::new(),
            joined_on: None,
        }
    }

    fn team(name: &str, members: Vec<RosterMember>) -> RosterTeam {
        RosterTeam {
            name: name.into(),
            decision: None,
            members,
        }
    }

    fn commune(name: &str, teams: Vec<RosterTeam>) -> RosterCommune {
        RosterCommune {
            code: String::new(),
            name: name.into(),
            teams,
        }
    }

    /// A constant-memory sheet drops a write to a row already left: every block shape must still land whole.
    #[test]
    fn every_block_shape_lands_in_row_order() {
        let roster = Roster {
            province: RosterProvince {
                code: "38".into(),
                name: "Thanh Hóa".into(),
            },
            communes: vec![
                commune(
                    "Xã A",
                    vec![
                        team(
                            "Tổ 1",
                            vec![
                                member("Lê Văn An", Role::Leader),
                                member("Lê Thị Ba", Role::Member),
                            ],
                        ),
                        team("Tổ 2", vec![]),
                        team("Tổ 3", vec![member("Hà Văn Tư", Role::Leader)]),
                    ],
                ),
                commune("Xã B", vec![]),
                commune(
                    "Xã C",
                    vec![team("Tổ 4", vec![member("Vũ Thị Năm", Role::Leader)])],
                ),
            ],
        };
        let bytes = roster_xlsx(&roster, "Thanh Hóa").unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let merges: Vec<String> = book
            .merge_cells_by_sheet_name("Danh sách")
            .unwrap()
            .iter()
            .map(|d| format!("{:?}-{:?}", d.start, d.end))
            .collect();
        let sheet = book.worksheet_range("Danh sách").unwrap();
        let text = |row: u32, column: u32| match sheet.get_value((row, column)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Float(n)) => n.to_string(),
            _ => String::new(),
        };
        let rows: Vec<Vec<String>> = (3..10)
            .map(|row| (0..6).map(|column| text(row, column)).collect())
            .collect();
        let expected = [
            ["1", "Xã A", "Tổ 1", "", "Lê Văn An", "Tổ trưởng"],
            ["", "", "", "", "Lê Thị Ba", "Thành viên"],
            ["", "", "Tổ 2", "", "", ""],
            ["", "", "Tổ 3", "", "Hà Văn Tư", "Tổ trưởng"],
            ["2", "Xã B", NO_TEAM, "", "", ""],
            ["3", "Xã C", "Tổ 4", "", "Vũ Thị Năm", "Tổ trưởng"],
            ["", "TỔNG: 3 xã/phường", "4 tổ", "", "4 thành viên", ""],
        ];
        assert_eq!(rows, expected.map(|r| r.map(String::from)).to_vec());
        for merge in [
            "(3, 0)-(6, 0)",
            "(3, 1)-(6, 1)",
            "(3, 2)-(4, 2)",
            "(3, 3)-(4, 3)",
        ] {
            assert!(merges.contains(&merge.to_string()), "{merge} in {merges:?}");
        }
        assert_eq!(
            merges.len(),
            6,
            "the title, subtitle and four blocks: {merges:?}"
        );
    }
}
