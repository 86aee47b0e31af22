//! Where a problem was found, and the sheet's problem list it goes to.

use crate::header::{Column, Header};
use crate::problem::{column_letter, Problem, Problems, Severity};
use cnscd_domain::FieldError;

pub struct Context<'a> {
    pub sheet: &'a str,
    pub header: &'a Header,
    pub problems: Problems,
}

/// Where a problem was found and what it concerns.
pub struct At<'a> {
    pub row: usize,
    pub column: Column,
    pub commune: &'a str,
    pub team: &'a str,
    pub member: &'a str,
}

impl<'a> Context<'a> {
    pub fn new(sheet: &'a str, header: &'a Header) -> Self {
        Self {
            sheet,
            header,
            problems: Problems::default(),
        }
    }

    pub fn report(
        &mut self,
        severity: Severity,
        at: At,
        error: FieldError,
        suggest: Option<String>,
    ) {
        let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
        self.problems.push(Problem {
            severity,
            sheet: Some(self.sheet.to_string()),
            row: Some(at.row),
            column: self.header.index(at.column).map(column_letter),
            field: Some(at.column.field().to_string()),
            code: error.code.to_string(),
            message: error.message,
            commune: non_empty(at.commune),
            team: non_empty(at.team),
            member: non_empty(at.member),
            suggest,
        });
    }
}
