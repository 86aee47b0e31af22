//! A problem found in a file, located so that the officer can find and fix it.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks the import: nothing is written.
    Error,
    /// Reported, does not block.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    #[serde(skip)]
    pub severity: Severity,
    pub sheet: Option<String>,
    /// 1-based, as Excel numbers rows.
    pub row: Option<usize>,
    /// Column letter, as Excel names columns.
    pub column: Option<String>,
    pub field: Option<String>,
    pub code: String,
    pub message: String,
    pub commune: Option<String>,
    pub team: Option<String>,
    pub member: Option<String>,
    /// A likely correction (e.g. the closest commune name).
    pub suggest: Option<String>,
}

impl Problem {
    /// A problem of a whole file (or of what it holds), not of one cell.
    pub fn about_file(severity: Severity, code: &str, message: String) -> Self {
        Self {
            severity,
            sheet: None,
            row: None,
            column: None,
            field: None,
            code: code.to_string(),
            message,
            commune: None,
            team: None,
            member: None,
            suggest: None,
        }
    }

    /// Where the problem is, in Vietnamese: `Trang «Danh sách», dòng 12, cột G`.
    pub fn location(&self) -> String {
        let mut parts = Vec::new();
        if let Some(sheet) = &self.sheet {
            parts.push(format!("Trang «{sheet}»"));
        }
        if let Some(row) = self.row {
            parts.push(format!("dòng {row}"));
        }
        if let Some(column) = &self.column {
            parts.push(format!("cột {column}"));
        }
        parts.join(", ")
    }
}

/// `A`, `B`, … `Z`, `AA` for a zero-based column.
pub fn column_letter(column: usize) -> String {
    let mut n = column + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_excel_does() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(6), "G");
        assert_eq!(column_letter(26), "AA");
    }
}
