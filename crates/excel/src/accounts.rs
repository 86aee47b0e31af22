//! The province's list of commune officers to create at once: one row per person (username, full name,
//! commune, phone, e-mail), read from any spreadsheet the province keeps, and the blank sheet to fill.

use crate::grid::{read_grids, Grid, ReadError};
use cnscd_domain::text::fold;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// More rows than any province has officers: a file beyond it is refused whole.
pub const MAX_ACCOUNT_ROWS: usize = 2_000;
/// How far down a title can push the header.
const HEADER_SEARCH_ROWS: usize = 20;

pub const ACCOUNT_HEADERS: [&str; 6] = [
    "TT",
    "Tên đăng nhập",
    "Họ và tên",
    "Xã/phường",
    "Số điện thoại",
    "E-mail",
];

/// One person to give an account, as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSheetRow {
    /// The row as the spreadsheet numbers it (1 = first).
    pub row: usize,
    /// Empty: the application names the account after the commune.
    pub username: String,
    pub full_name: String,
    /// The commune's name (with or without `Xã`/`Phường`) or its code.
    pub commune: String,
    pub phone: String,
    /// Where reminders of reporting rounds are sent (optional).
    pub email: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AccountSheetError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("Không tìm thấy dòng tiêu đề trong tệp «{file}»: cần các cột «Họ và tên» và «Xã/phường» (có thể thêm «Tên đăng nhập», «Số điện thoại», «E-mail»). Hãy dùng tệp mẫu.")]
    NoHeader { file: String },
    #[error("Tệp «{file}» có {rows} dòng, quá giới hạn {limit} tài khoản mỗi lần. Hãy chia thành nhiều tệp. Chưa tài khoản nào được tạo.")]
    TooManyRows {
        file: String,
        rows: usize,
        limit: usize,
    },
    #[error("Tệp «{file}» không có dòng nào dưới tiêu đề: hãy điền mỗi dòng một cán bộ.")]
    Empty { file: String },
}

/// Which columns hold what.
struct Columns {
    username: Option<usize>,
    full_name: usize,
    commune: usize,
    phone: Option<usize>,
    email: Option<usize>,
}

fn columns_of(header: &[String]) -> Option<Columns> {
    let find =
        |matches: &dyn Fn(&str) -> bool| header.iter().map(|t| fold(t)).position(|t| matches(&t));
    let full_name = find(&|t| t.contains("ho va ten") || t.contains("ho ten"))?;
    let commune = find(&|t| {
        (t.contains("xa") || t.contains("phuong") || t.contains("don vi"))
            && !t.contains("ten dang nhap")
            && !t.contains("mail")
    })?;
    Some(Columns {
        username: find(&|t| t.contains("ten dang nhap") || t == "username"),
        full_name,
        commune,
        phone: find(&|t| t.contains("dien thoai") || t.contains("sdt")),
        email: find(&|t| t.contains("mail") || t.contains("thu dien tu")),
    })
}

/// The header row and its columns: the first row of the first sheet that names a full name and a commune.
fn header_of(grids: &[Grid]) -> Option<(&Grid, usize, Columns)> {
    grids.iter().find_map(|grid| {
        grid.rows
            .iter()
            .take(HEADER_SEARCH_ROWS)
            .enumerate()
            .find_map(|(index, row)| columns_of(row).map(|columns| (grid, index, columns)))
    })
}

/// Reads the people to give accounts, refusing the whole file when it holds more than [`MAX_ACCOUNT_ROWS`].
pub fn read_account_sheet(
    bytes: &[u8],
    file_name: &str,
) -> Result<Vec<AccountSheetRow>, AccountSheetError> {
    let grids = read_grids(bytes, file_name)?;
    let (grid, header, columns) = header_of(&grids).ok_or_else(|| AccountSheetError::NoHeader {
        file: file_name.to_string(),
    })?;
    let text = |row: usize, column: Option<usize>| {
        column.map_or(String::new(), |c| grid.cell(row, c).trim().to_string())
    };
    let rows: Vec<AccountSheetRow> = (header + 1..grid.rows.len())
        .map(|row| AccountSheetRow {
            row: row + 1,
            username: text(row, columns.username),
            full_name: text(row, Some(columns.full_name)),
            commune: text(row, Some(columns.commune)),
            phone: text(row, columns.phone),
            email: text(row, columns.email),
        })
        .filter(|r| !(r.username.is_empty() && r.full_name.is_empty() && r.commune.is_empty()))
        .collect();
    if rows.len() > MAX_ACCOUNT_ROWS {
        return Err(AccountSheetError::TooManyRows {
            file: file_name.to_string(),
            rows: rows.len(),
            limit: MAX_ACCOUNT_ROWS,
        });
    }
    if rows.is_empty() {
        return Err(AccountSheetError::Empty {
            file: file_name.to_string(),
        });
    }
    Ok(rows)
}

/// The blank sheet an admin fills: a line of guidance, then the header.
pub fn account_sheet_template() -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("Tài khoản")?;
    let bold = Format::new()
        .set_bold()
        .set_font_name("Times New Roman")
        .set_font_size(12);
    let plain = Format::new()
        .set_font_name("Times New Roman")
        .set_font_size(12)
        .set_italic();
    sheet.write_with_format(
        0,
        0,
        "Mỗi dòng một cán bộ xã/phường. Để trống «Tên đăng nhập» thì hệ thống đặt theo tên xã (ví dụ xa-xuan-binh). \
         Xã/phường ghi tên (Xã Xuân Bình hoặc Xuân Bình) hoặc mã.",
        &plain,
    )?;
    for (column, (title, width)) in ACCOUNT_HEADERS
        .iter()
        .zip([5.0, 20.0, 26.0, 26.0, 16.0, 28.0])
        .enumerate()
    {
        let column = column as u16;
        sheet.write_with_format(2, column, *title, &bold)?;
        sheet.set_column_width(column, width)?;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Result<Vec<AccountSheetRow>, AccountSheetError> {
        read_account_sheet(text.as_bytes(), "can-bo.csv")
    }

    #[test]
    fn reads_rows_under_a_header_found_below_a_title() {
        let rows = csv(
            "Danh sách cán bộ,,,\n\nHọ và tên,Tên đăng nhập,Xã/phường,SĐT,Thư điện tử\n\
             Lê Thị Hoa,,Xuân Bình,0912 345 678,hoa@xuanbinh.vn\n,,,\nTrần Văn Nam,nam.dongson,Phường Đông Sơn,\n",
        )
        .unwrap();
        assert_eq!(rows[0].email, "hoa@xuanbinh.vn");
        assert_eq!(rows[1].email, "");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].row, 4);
        assert_eq!(rows[0].full_name, "Lê Thị Hoa");
        assert_eq!(rows[0].commune, "Xuân Bình");
        assert_eq!(rows[0].phone, "0912 345 678");
        assert_eq!(rows[1].row, 6);
        assert_eq!(rows[1].username, "nam.dongson");
    }

    #[test]
    fn a_file_without_the_columns_is_refused() {
        assert!(matches!(
            csv("Tên,Địa chỉ\nA,B\n"),
            Err(AccountSheetError::NoHeader { .. })
        ));
        assert!(matches!(
            csv("Họ và tên,Xã\n"),
            Err(AccountSheetError::Empty { .. })
        ));
    }

    #[test]
    fn too_many_rows_are_refused_whole() {
        let mut text = String::from("Họ và tên,Xã\n");
        for i in 0..=MAX_ACCOUNT_ROWS {
            text.push_str(&format!("Người {i},Xuân Bình\n"));
        }
        assert!(matches!(
            csv(&text),
            Err(AccountSheetError::TooManyRows { rows, .. }) if rows == MAX_ACCOUNT_ROWS + 1
        ));
    }

    #[test]
    fn the_template_reads_back_as_a_header_without_rows() {
        let bytes = account_sheet_template().unwrap();
        assert!(matches!(
            read_account_sheet(&bytes, "mau.xlsx"),
            Err(AccountSheetError::Empty { .. })
        ));
    }
}
