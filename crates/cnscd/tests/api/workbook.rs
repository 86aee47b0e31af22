//! Workbooks as communes really send them, made by the tests: title blocks, merged or unmerged blocks,
//! several sheets, numbers for phones. `.xls` and `.ods` come from Python (xlwt, pandas), as an independent writer.

use rust_xlsxwriter::Workbook;
use std::process::Command;

#[derive(Clone, Debug)]
pub enum Cell {
    Text(&'static str),
    Number(f64),
}

pub use Cell::{Number, Text};

pub struct Sheet {
    pub name: &'static str,
    pub rows: Vec<Vec<Cell>>,
    /// (first row, first column, last row, last column), zero-based.
    pub merges: Vec<(u32, u16, u32, u16)>,
}

pub const TEMPLATE_HEADER: [&str; 8] = [
    "TT",
    "Tên Phường\\xã",
    "Tên Tổ",
    "Số Quyết định",
    "Họ tên thành viên",
    "Chức vụ trong tổ",
    "Số điện thoại liên hệ",
    "Ghi chú",
];

pub fn header() -> Vec<Cell> {
    TEMPLATE_HEADER.iter().map(|h| Text(h)).collect()
}

/// A row of the template: TT, commune, team, decision, name, role, phone, note.
pub fn row(cells: [&'static str; 8]) -> Vec<Cell> {
    cells.iter().map(|c| Text(c)).collect()
}

pub fn xlsx(sheets: &[Sheet]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(sheet.name).unwrap();
        for &(r1, c1, r2, c2) in &sheet.merges {
            let value = match &sheet.rows[r1 as usize].get(c1 as usize) {
                Some(Text(t)) => t.to_string(),
                _ => String::new(),
            };
            worksheet
                .merge_range(r1, c1, r2, c2, &value, &rust_xlsxwriter::Format::new())
                .unwrap();
        }
        for (r, cells) in sheet.rows.iter().enumerate() {
            for (c, cell) in cells.iter().enumerate() {
                let merged_tail = sheet.merges.iter().any(|&(r1, c1, r2, c2)| {
                    (r1..=r2).contains(&(r as u32))
                        && (c1..=c2).contains(&(c as u16))
                        && !(r as u32 == r1 && c as u16 == c1)
                });
                if merged_tail
                    || sheet
                        .merges
                        .iter()
                        .any(|&(r1, c1, _, _)| r as u32 == r1 && c as u16 == c1)
                {
                    continue;
                }
                match cell {
                    Text("") => {}
                    Text(t) => drop(worksheet.write_string(r as u32, c as u16, *t).unwrap()),
                    Number(n) => drop(worksheet.write_number(r as u32, c as u16, *n).unwrap()),
                }
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// Runs a Python script with the given arguments. `None` when Python or its packages are missing here (a
/// failure in CI, which installs them).
pub fn python(script: &str, args: &[&str]) -> Option<String> {
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("ModuleNotFoundError") {
        assert!(
            std::env::var("CI").is_err(),
            "CI must install the Python packages: {stderr}"
        );
        eprintln!("SKIPPED (this check needs python3 with openpyxl, xlwt, odfpy, pandas; CI installs them): {stderr}");
        return None;
    }
    assert!(output.status.success(), "python failed: {stderr}");
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Rewrites an `.xlsx` as an old `.xls` (BIFF8) with xlwt, keeping cell types and merged ranges.
pub fn xls_from(xlsx_path: &str, xls_path: &str) -> Option<()> {
    let script = r#"
import sys, openpyxl, xlwt
src = openpyxl.load_workbook(sys.argv[1])
out = xlwt.Workbook(encoding="utf-8")
for ws in src.worksheets:
    sheet = out.add_sheet(ws.title)
    merged = {}
    for rng in ws.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = rng
    skip = set()
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    skip.add((r, c))
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in skip:
                continue
            rng = merged.get((cell.row, cell.column))
            if rng:
                sheet.write_merge(rng.min_row - 1, rng.max_row - 1, rng.min_col - 1, rng.max_col - 1, cell.value)
            else:
                sheet.write(cell.row - 1, cell.column - 1, cell.value)
out.save(sys.argv[2])
"#;
    python(script, &[xlsx_path, xls_path]).map(|_| ())
}

/// Rewrites an `.xlsx` as an OpenDocument `.ods` with pandas (odfpy), sheet by sheet, without merges.
pub fn ods_from(xlsx_path: &str, ods_path: &str) -> Option<()> {
    let script = r#"
import sys, pandas
sheets = pandas.read_excel(sys.argv[1], sheet_name=None, header=None, dtype=object)
with pandas.ExcelWriter(sys.argv[2], engine="odf") as writer:
    for name, frame in sheets.items():
        frame.to_excel(writer, sheet_name=name, header=False, index=False)
"#;
    python(script, &[xlsx_path, ods_path]).map(|_| ())
}
