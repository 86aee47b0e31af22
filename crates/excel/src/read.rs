//! Reading a file into a validated roster.

use crate::grid::{read_grids, ReadError};
use crate::header::find_header;
use crate::problem::{Problem, Problems, Severity};
use crate::rows::data_rows;
use crate::validate::{build_roster, SheetRows};
use cnscd_domain::roster::{Roster, RosterProvince};
use cnscd_domain::rules::TeamRules;

pub use crate::validate::CommuneRef;

/// What a file holds: the roster, and the problems that block it (errors) or do not (warnings).
#[derive(Debug, Clone)]
pub struct ImportOutcome {
    pub roster: Roster,
    pub problems: Problems,
}

fn file_problem(code: &str, message: String) -> Problem {
    Problem::about_file(Severity::Error, code, message)
}

/// Reads a team list in any of the accepted formats and checks it against the province's communes and rules.
pub fn read_roster(
    bytes: &[u8],
    file_name: &str,
    province: RosterProvince,
    communes: &[CommuneRef],
    rules: TeamRules,
) -> Result<ImportOutcome, ReadError> {
    let grids = read_grids(bytes, file_name)?;
    let conversions: Vec<Problem> = grids
        .iter()
        .flat_map(|grid| {
            grid.converted.iter().map(|(encoding, cells)| Problem {
                sheet: Some(grid.sheet.clone()),
                ..Problem::about_file(
                    Severity::Warning,
                    "legacy_encoding",
                    format!(
                        "Trang «{}»: {cells} ô gõ bằng bảng mã cũ {} đã được chuyển sang Unicode. Hãy xem lại \
                         tên người và tên tổ trong bản xem trước.",
                        grid.sheet,
                        encoding.label()
                    ),
                )
            })
        })
        .collect();
    let sheets: Vec<SheetRows> = grids
        .into_iter()
        .filter_map(|grid| {
            let header = find_header(&grid)?;
            let sheet = grid.sheet.clone();
            let rows = data_rows(grid, &header);
            Some(SheetRows {
                sheet,
                header,
                rows,
            })
        })
        .collect();
    let (roster, mut problems) = build_roster(&sheets, province, communes, rules);
    if sheets.is_empty() {
        problems.push(file_problem(
            "header_missing",
            format!("Tệp «{file_name}» không có trang nào có dòng tiêu đề của mẫu (TT, Tên Phường\\xã, Tên Tổ, Số Quyết định, Họ tên thành viên, Chức vụ trong tổ, Số điện thoại liên hệ, Ghi chú)."),
        ));
    } else if sheets.iter().all(|s| s.rows.is_empty()) {
        problems.push(file_problem(
            "rows_missing",
            format!("Tệp «{file_name}» không có dòng dữ liệu nào dưới dòng tiêu đề."),
        ));
    }
    for conversion in conversions {
        problems.push(conversion);
    }
    problems.sort();
    Ok(ImportOutcome { roster, problems })
}
