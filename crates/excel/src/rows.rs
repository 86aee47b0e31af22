//! The data rows of a sheet below its header, as the template means them: merged cells filled from their
//! top-left cell, commune/team/decision carried down their block, the `TỔNG` row closing the list.

use crate::grid::Grid;
use crate::header::{Column, Header};
use cnscd_domain::text::fold;

/// One data row, with the block values it belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// 1-based row number in the sheet.
    pub number: usize,
    pub commune: String,
    /// Row where this commune's block starts (for reporting the commune once).
    pub commune_row: usize,
    pub team: String,
    pub team_row: usize,
    pub decision: String,
    pub decision_date: String,
    pub name: String,
    pub role: String,
    pub phone: String,
    pub note: String,
    pub joined_on: String,
}

impl Row {
    fn has_member_data(&self) -> bool {
        !(self.name.is_empty() && self.role.is_empty() && self.phone.is_empty())
    }
}

/// The grid with every merged range filled with its top-left value (ranges were cut to the grid and counted
/// against the file's limits when it was read).
fn unmerged(grid: Grid) -> Grid {
    let mut filled = grid;
    for merge in std::mem::take(&mut filled.merges) {
        let value = filled.cell(merge.first_row, merge.first_column).to_string();
        for row in merge.first_row..=merge.last_row.min(filled.rows.len().saturating_sub(1)) {
            for column in merge.first_column..=merge.last_column {
                let cells = &mut filled.rows[row];
                if cells.len() <= column {
                    cells.resize(column + 1, String::new());
                }
                cells[column] = value.clone();
            }
        }
    }
    filled
}

fn is_total_row(cells: &[String]) -> bool {
    // Folding is costly; only a cell starting with T can read `TỔNG`.
    cells
        .iter()
        .take(4)
        .any(|c| c.trim_start().starts_with(['T', 't']) && fold(c).starts_with("tong"))
}

/// The template's example rows are marked `VD` (ví dụ) in the TT column.
fn is_example_mark(number: &str) -> bool {
    number.len() <= 3 && fold(number) == "vd"
}

fn is_placeholder(text: &str) -> bool {
    let t = text.trim_matches(|c: char| c == '.' || c == '…' || c.is_whitespace());
    t.is_empty()
        || fold(text).ends_with("to") && text.contains('…')
        // A commune listed without a team (as the export writes it).
        || fold(text) == "chua co to"
}

/// The data rows below the header, until the `TỔNG` row.
pub fn data_rows(grid: Grid, header: &Header) -> Vec<Row> {
    let grid = unmerged(grid);
    let text = |cells: &[String], column: Column| -> String {
        header
            .index(column)
            .and_then(|i| cells.get(i))
            .map(|c| c.trim().to_string())
            .unwrap_or_default()
    };
    let mut rows = Vec::new();
    let mut current = Row::default();
    let mut in_example = false;
    for (index, cells) in grid.rows.iter().enumerate().skip(header.row + 1) {
        if is_total_row(cells) {
            break;
        }
        let number = text(cells, Column::Number);
        let commune = text(cells, Column::Commune);
        let team = text(cells, Column::Team);
        // The template's example block (`VD`) is not data.
        if is_example_mark(&number) {
            in_example = true;
            continue;
        }
        if in_example && commune.is_empty() && team.is_empty() {
            continue;
        }
        in_example = false;
        let row_number = index + 1;
        if !commune.is_empty() && commune != current.commune {
            current = Row {
                commune,
                commune_row: row_number,
                ..Row::default()
            };
        }
        if !team.is_empty() && team != current.team {
            // A decision belongs to its team's block (or to a merged range over several teams).
            current = Row {
                team,
                team_row: row_number,
                ..Row {
                    decision: String::new(),
                    decision_date: String::new(),
                    ..current
                }
            };
        }
        let decision = text(cells, Column::Decision);
        if !decision.is_empty() {
            current.decision = decision;
            current.decision_date = text(cells, Column::DecisionDate);
        }
        let row = Row {
            number: row_number,
            name: text(cells, Column::Name),
            role: text(cells, Column::Role),
            phone: text(cells, Column::Phone),
            note: text(cells, Column::Note),
            joined_on: text(cells, Column::JoinedOn),
            ..current.clone()
        };
        if row.has_member_data() || (row.team_row == row_number && !is_placeholder(&row.team)) {
            rows.push(row);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Merge;
    use crate::header::find_header;

    fn grid(rows: &[&[&str]], merges: Vec<Merge>) -> Grid {
        Grid {
            sheet: "S".into(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
            merges,
            ..Grid::default()
        }
    }

    const HEADER: &[&str] = &crate::write::HEADERS;

    #[test]
    fn blocks_carry_commune_team_and_decision_down() {
        let g = grid(
            &[
                HEADER,
                &[
                    "1",
                    "Xã Xuân Bình",
                    "Thôn 1",
                    "01/QĐ-UBND ngày 10/7/2025",
                    "Lê Văn A",
                    "Tổ trưởng",
                    "0914994123",
                ],
                &["", "", "", "", "Lê Văn B", "Thành viên", "0914994124"],
                &["", "", "Thôn 2", "", "Lê Văn C", "Tổ trưởng", ""],
                &["", "", "", "", "", "", "", ""],
                &["", "TỔNG", "2 tổ", "", "3 thành viên"],
                &["", "", "Thôn 9", "", "Người Sau Tổng", "", ""],
            ],
            vec![],
        );
        let header = find_header(&g).unwrap();
        let rows = data_rows(g, &header);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            (
                rows[1].commune.as_str(),
                rows[1].team.as_str(),
                rows[1].number
            ),
            ("Xã Xuân Bình", "Thôn 1", 3)
        );
        assert_eq!(rows[2].team, "Thôn 2");
        assert_eq!(
            rows[1].decision, "01/QĐ-UBND ngày 10/7/2025",
            "carried down its own block"
        );
        assert_eq!(rows[2].decision, "", "but not to the next team");
    }

    #[test]
    fn merged_cells_fill_their_range_and_the_example_is_skipped() {
        let g = grid(
            &[
                HEADER,
                &[
                    "VD",
                    "Phường Hạc Thành",
                    "Tổ KP1",
                    "01/QĐ-UBND",
                    "Nguyễn Văn A",
                    "Tổ trưởng",
                    "0914994***",
                ],
                &["", "", "", "", "Nguyễn Văn B", "Thành viên", "0914994***"],
                &[
                    "1",
                    "Xã Xuân Bình",
                    "Thôn 1",
                    "01/QĐ-UBND ngày 10/7/2025",
                    "Lê Văn A",
                    "Tổ trưởng",
                    "",
                ],
                &["", "", "", "", "Lê Văn B", "", ""],
            ],
            vec![Merge {
                first_row: 3,
                first_column: 2,
                last_row: 4,
                last_column: 2,
            }],
        );
        let header = find_header(&g).unwrap();
        let rows = data_rows(g, &header);
        assert_eq!(rows.len(), 2);
        assert!(rows
            .iter()
            .all(|r| r.team == "Thôn 1" && r.commune == "Xã Xuân Bình"));
    }
}
