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

/// The problems of an import: all of them counted by kind, the first [`Problems::KEPT`] of each severity kept
/// whole. A file with an error on every row is described by its counts and its first errors, in bounded
/// memory; the full list it would take to fix it is never longer than a person could work through.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Problems {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
    pub error_count: usize,
    pub warning_count: usize,
    /// How many of each kind (code), errors first, most frequent first.
    pub kinds: Vec<ProblemKind>,
}

/// How many problems of one kind, with the message of the first as an example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProblemKind {
    pub code: String,
    #[serde(skip)]
    pub severity: Severity,
    pub count: usize,
    pub example: String,
}

impl ProblemKind {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Problems {
    /// The kinds of errors (not warnings), most frequent first.
    pub fn error_kinds(&self) -> Vec<&ProblemKind> {
        self.kinds.iter().filter(|k| k.is_error()).collect()
    }

    /// Problems kept whole, per severity.
    pub const KEPT: usize = 10_000;

    pub fn push(&mut self, problem: Problem) {
        match self
            .kinds
            .iter_mut()
            .find(|k| k.code == problem.code && k.severity == problem.severity)
        {
            Some(kind) => kind.count += 1,
            None => self.kinds.push(ProblemKind {
                code: problem.code.clone(),
                severity: problem.severity,
                count: 1,
                example: problem.message.clone(),
            }),
        }
        let (kept, count) = match problem.severity {
            Severity::Error => (&mut self.errors, &mut self.error_count),
            Severity::Warning => (&mut self.warnings, &mut self.warning_count),
        };
        *count += 1;
        if kept.len() < Self::KEPT {
            kept.push(problem);
        }
    }

    pub fn extend(&mut self, other: Problems) {
        for kind in other.kinds {
            let same = |k: &&mut ProblemKind| k.code == kind.code && k.severity == kind.severity;
            match self.kinds.iter_mut().find(same) {
                Some(mine) => mine.count += kind.count,
                None => self.kinds.push(kind),
            }
        }
        self.error_count += other.error_count;
        self.warning_count += other.warning_count;
        let room = Self::KEPT.saturating_sub(self.errors.len());
        self.errors.extend(other.errors.into_iter().take(room));
        let room = Self::KEPT.saturating_sub(self.warnings.len());
        self.warnings.extend(other.warnings.into_iter().take(room));
    }

    /// Drops the kept warnings that `keep` refuses (a warning the registry answers, known only once the file
    /// is planned against it), with their counts. Warnings beyond those kept stay counted.
    pub fn retain_warnings(&mut self, keep: impl Fn(&Problem) -> bool) {
        let (kept, dropped): (Vec<Problem>, Vec<Problem>) = std::mem::take(&mut self.warnings)
            .into_iter()
            .partition(|w| keep(w));
        self.warnings = kept;
        for problem in &dropped {
            self.warning_count -= 1;
            if let Some(kind) = self
                .kinds
                .iter_mut()
                .find(|k| k.code == problem.code && k.severity == Severity::Warning)
            {
                kind.count -= 1;
            }
        }
        for kind in self.kinds.iter_mut().filter(|k| !k.is_error()) {
            if let Some(first) = self.warnings.iter().find(|w| w.code == kind.code) {
                kind.example = first.message.clone();
            }
        }
        self.kinds.retain(|k| k.count > 0);
    }

    pub fn has_errors(&self) -> bool {
        self.error_count > 0
    }

    /// Kept problems in the order of the file (sheet, row, column); kinds errors first, most frequent first.
    pub fn sort(&mut self) {
        let place = |a: &Problem, b: &Problem| {
            (&a.sheet, a.row, &a.column).cmp(&(&b.sheet, b.row, &b.column))
        };
        self.errors.sort_by(place);
        self.warnings.sort_by(place);
        self.kinds.sort_by(|a, b| {
            (a.severity != Severity::Error, std::cmp::Reverse(a.count))
                .cmp(&(b.severity != Severity::Error, std::cmp::Reverse(b.count)))
        });
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
    fn every_problem_is_counted_and_the_first_ones_kept() {
        let mut problems = Problems::default();
        for row in 0..Problems::KEPT + 50 {
            problems.push(Problem {
                row: Some(row),
                ..Problem::about_file(Severity::Error, "phone_invalid", "Số sai".into())
            });
        }
        problems.push(Problem::about_file(
            Severity::Warning,
            "phone_duplicate",
            "Trùng".into(),
        ));
        assert_eq!(problems.error_count, Problems::KEPT + 50);
        assert_eq!(problems.errors.len(), Problems::KEPT);
        assert_eq!(problems.kinds[0].count, Problems::KEPT + 50);
        let mut all = Problems::default();
        all.extend(problems);
        assert_eq!(
            (all.error_count, all.warning_count),
            (Problems::KEPT + 50, 1)
        );
        assert_eq!(all.kinds[0].count, Problems::KEPT + 50);
    }

    #[test]
    fn columns_are_lettered_as_excel_does() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(6), "G");
        assert_eq!(column_letter(26), "AA");
    }
}
