//! The Department's team-list template, both ways: reading the files communes really send (any layout, any
//! old format, every writing of names, roles, phones and decisions) into a validated roster with every
//! problem located by sheet, row and column; and writing the exact template.

mod accounts;
mod cell;
mod figures;
mod grid;
mod header;
mod listing;
mod problem;
mod read;
mod rows;
mod validate;
mod write;

pub use accounts::{
    account_sheet_template, read_account_sheet, AccountSheetError, AccountSheetRow,
    MAX_ACCOUNT_ROWS,
};
pub use figures::{round_figures_xlsx, FiguresRow, FiguresSheet};
pub use grid::{
    read_grids, Grid, ReadError, MAX_AREA, MAX_CELLS, MAX_COLUMNS, MAX_INFLATED_BYTES, MAX_ROWS,
    MAX_SHEETS, MAX_STRINGS,
};
pub use listing::{listing_xlsx, ListingSheet};
pub use problem::{Problem, ProblemKind, Problems, Severity};
pub use read::{read_roster, CommuneRef, ImportOutcome};
pub use validate::communes::{closest_commune, CommuneIndex};
pub use write::{
    blank_template_xlsx, roster_csv, roster_json, roster_xlsx, RosterCsv, RosterWorkbook,
    PROVINCE_HEADER,
};
