//! Finding the header row of the template wherever it is, and which column holds what.

use crate::grid::Grid;
use cnscd_domain::text::fold;

/// How far down a title block can push the header.
const HEADER_SEARCH_ROWS: usize = 40;
/// A header names at least this many of the template's columns.
const MIN_COLUMNS_RECOGNISED: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Number,
    Commune,
    Team,
    Decision,
    DecisionDate,
    Name,
    Role,
    Phone,
    Note,
    /// Optional: the day each member joined (`Ngày vào tổ`).
    JoinedOn,
}

impl Column {
    /// The field name used in problem reports.
    pub fn field(self) -> &'static str {
        match self {
            Column::Number => "number",
            Column::Commune => "commune",
            Column::Team => "team",
            Column::Decision => "decision",
            Column::DecisionDate => "decision_date",
            Column::Name => "name",
            Column::Role => "role",
            Column::Phone => "phone",
            Column::Note => "note",
            Column::JoinedOn => "joined_on",
        }
    }
}

/// Which column a header title names (`Tên Phường\xã`, `Họ tên thành viên`, `SĐT`, …), if any.
fn column_of(title: &str) -> Option<Column> {
    let t = fold(title);
    let has = |word: &str| t.contains(word);
    let column = if has("ngay") && (has("quyet dinh") || has("qd") || has("ban hanh") || has("ky"))
    {
        Column::DecisionDate
    } else if has("ngay vao") || has("ngay tham gia") || has("ngay gia nhap") {
        Column::JoinedOn
    } else if has("quyet dinh") || t == "so qd" || t == "qd" {
        Column::Decision
    } else if has("dien thoai") || has("sdt") || t == "so dt" {
        Column::Phone
    } else if has("chuc vu") || has("vai tro") {
        Column::Role
    } else if has("ghi chu") {
        Column::Note
    } else if has("ho ten") || has("ho va ten") || has("thanh vien") {
        Column::Name
    } else if has("phuong")
        || t.starts_with("ten xa")
        || t == "xa"
        || has("don vi")
        || has("dac khu")
    {
        Column::Commune
    } else if t.starts_with("ten to") || t == "to" || has("cong nghe so") || t == "to cnscd" {
        Column::Team
    } else if t == "tt" || t == "stt" || t == "so tt" {
        Column::Number
    } else {
        return None;
    };
    Some(column)
}

/// The header of one sheet: its row and where each column is.
#[derive(Debug, Clone)]
pub struct Header {
    pub row: usize,
    pub columns: Vec<(Column, usize)>,
}

impl Header {
    pub fn index(&self, column: Column) -> Option<usize> {
        self.columns
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, i)| *i)
    }
}

/// The first row near the top that names enough of the template's columns, including the member's name.
pub fn find_header(grid: &Grid) -> Option<Header> {
    grid.rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .find_map(|(row, cells)| {
            let mut columns: Vec<(Column, usize)> = Vec::new();
            for (index, title) in cells.iter().enumerate() {
                if let Some(column) = column_of(title) {
                    if !columns.iter().any(|(c, _)| *c == column) {
                        columns.push((column, index));
                    }
                }
            }
            let has_name = columns.iter().any(|(c, _)| *c == Column::Name);
            (has_name && columns.len() >= MIN_COLUMNS_RECOGNISED).then_some(Header { row, columns })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            sheet: "S".into(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
            merges: vec![],
            ..Grid::default()
        }
    }

    #[test]
    fn finds_the_template_header_below_a_title_block() {
        let g = grid(&[
            &["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            &["DANH SÁCH TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG"],
            &[],
            &[
                "TT",
                "Tên Phường\\xã",
                "Tên Tổ",
                "Số Quyết định",
                "Họ tên thành\nviên",
                "Chức vụ\ntrong tổ",
                "Số điện thoại\nliên hệ",
                "Ghi chú",
            ],
        ]);
        let header = find_header(&g).unwrap();
        assert_eq!(header.row, 3);
        assert_eq!(header.index(Column::Commune), Some(1));
        assert_eq!(header.index(Column::Name), Some(4));
        assert_eq!(header.index(Column::Role), Some(5));
        assert_eq!(header.index(Column::Phone), Some(6));
    }

    #[test]
    fn reordered_and_renamed_columns() {
        let g = grid(&[&[
            "Họ và tên",
            "SĐT",
            "Xã/phường",
            "Tổ",
            "Chức vụ",
            "Ngày QĐ",
            "Quyết định",
        ]]);
        let header = find_header(&g).unwrap();
        assert_eq!(header.index(Column::Phone), Some(1));
        assert_eq!(header.index(Column::Team), Some(3));
        assert_eq!(header.index(Column::DecisionDate), Some(5));
        assert_eq!(header.index(Column::Decision), Some(6));
    }

    #[test]
    fn no_header_without_a_name_column() {
        assert!(find_header(&grid(&[&["TT", "Tên Tổ", "Số Quyết định", "Ghi chú"]])).is_none());
    }
}
