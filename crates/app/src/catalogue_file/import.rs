//! Importing a catalogue file: all or nothing. Every problem — in the bytes, the header, a cell,
//! a reference to a code that does not exist, a history that would be rewritten — is collected
//! with its sheet, row and column, and the database is only written when there is none.

use std::collections::HashMap;

use onewindow_domain::catalogue::{FeeItem, Org, Power, Problems, RecordSource, ServiceItem};
use onewindow_interchange::{
    Column, Limits, Problem, Row, Sheet, Workbook, detect_format, list_cell, read,
};
use onewindow_store::{AuditEntry, CatalogueBatch, Write};

use super::{ITEMS, KINDS, ORGS, POWERS, RecordKind, csv_header};
use crate::catalogue::{Assumed, check_references};
use crate::{App, AppError};

/// What an import wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub orgs: usize,
    pub powers: usize,
    pub items: usize,
    pub fees: usize,
}

/// One data row of the file, read as a record of one kind.
struct SourceRow<'a> {
    kind: RecordKind,
    sheet: &'a Sheet,
    row: &'a Row,
}

impl RecordSource for SourceRow<'_> {
    fn text(&self, field: &str) -> &str {
        self.sheet.cell(self.row, field)
    }

    fn list(&self, field: &str) -> Vec<Vec<String>> {
        list_cell::split(self.sheet.cell(self.row, field))
    }
}

impl SourceRow<'_> {
    fn problem(&self, field: &str, message: String) -> Problem {
        let mut p = Problem::new(message).at_row(self.row.number);
        if self.sheet.name != onewindow_interchange::CSV_SHEET_NAME {
            p = p.in_sheet(self.sheet.name.clone());
        }
        match self.sheet.column(field) {
            Some(index) => p.at_column(Column::new(index, field)),
            None => p,
        }
    }

    fn problems(&self, problems: Problems) -> impl Iterator<Item = Problem> + '_ {
        problems.0.into_iter().map(|fp| {
            // Entries skip blank lines; name the line as the cell shows it.
            let cell_line = |entry: usize| {
                list_cell::split_numbered(self.sheet.cell(self.row, fp.field))
                    .get(entry - 1)
                    .map_or(entry, |e| e.line)
            };
            let message = match fp.line {
                Some(entry) => format!("line {}: {}", cell_line(entry), fp.message),
                None => fp.message,
            };
            self.problem(fp.field, message)
        })
    }
}

impl App {
    /// Imports a catalogue file (CSV or XLSX, by content and name). Nothing changes unless the
    /// whole file is valid.
    pub async fn import_catalogue(
        &self,
        actor: &str,
        file_name: Option<&str>,
        bytes: &[u8],
    ) -> Result<ImportSummary, AppError> {
        let format = detect_format(file_name, bytes).ok_or_else(|| {
            AppError::Import(vec![Problem::new(
                "this is neither a CSV nor an XLSX file; export from Excel as \"CSV UTF-8\" or \"Excel Workbook (.xlsx)\"",
            )])
        })?;
        let workbook = read(bytes, format, &Limits::default()).map_err(AppError::Import)?;
        let rows = rows_by_kind(&workbook).map_err(AppError::Import)?;
        let parsed = parse_rows(&rows);
        let batch = parsed.batch;
        // References are checked even when some rows failed, so every problem is listed at once;
        // the codes of the failed rows count as present (their own problems are listed already).
        let dangling = check_references(self.store.as_ref(), &batch, &parsed.assumed).await?;
        let mut problems = parsed.problems;
        problems.extend(
            dangling
                .into_iter()
                .map(|d| parsed.positions[&d.record].problem(d.field, d.message)),
        );
        if !problems.is_empty() {
            problems
                .sort_by_key(|p| (p.row.unwrap_or(0), p.column.as_ref().map_or(0, |c| c.index)));
            return Err(AppError::Import(problems));
        }
        let summary = ImportSummary {
            orgs: batch.orgs.len(),
            powers: batch.powers.len(),
            items: batch.items.len(),
            fees: batch.fees.len(),
        };
        let audit = AuditEntry {
            at: self.clock.now(),
            actor: actor.to_owned(),
            action: "import".into(),
            detail: format!(
                "{} ({} orgs, {} powers, {} items, {} fees)",
                file_name.unwrap_or("upload"),
                summary.orgs,
                summary.powers,
                summary.items,
                summary.fees
            ),
        };
        self.store.write_catalogue(&batch, &audit).await?;
        Ok(summary)
    }
}

/// Splits the workbook into rows of each kind, checking sheet names and headers.
fn rows_by_kind(workbook: &Workbook) -> Result<Vec<SourceRow<'_>>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    for sheet in &workbook.sheets {
        if sheet.name == onewindow_interchange::CSV_SHEET_NAME {
            csv_rows(sheet, &mut rows, &mut problems);
            continue;
        }
        let Some(kind) = KINDS.iter().find(|k| k.sheet == sheet.name) else {
            problems.push(Problem::new(format!(
                "sheet \"{}\" is not one of orgs, powers, items, fees; rename or remove it",
                sheet.name
            )));
            continue;
        };
        let expected: Vec<&str> = kind.fields.iter().map(|f| f.name).collect();
        if check_header(sheet, &expected, &mut problems) {
            rows.extend(sheet.rows.iter().map(|row| SourceRow {
                kind: *kind,
                sheet,
                row,
            }));
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(Problem::new("the file holds no records: nothing to import"));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// Checks that the header has exactly the expected columns (in any order).
fn check_header(sheet: &Sheet, expected: &[&str], problems: &mut Vec<Problem>) -> bool {
    let before = problems.len();
    let at = |p: Problem| {
        let p = p.at_row(1);
        if sheet.name == onewindow_interchange::CSV_SHEET_NAME {
            p
        } else {
            p.in_sheet(sheet.name.clone())
        }
    };
    for (i, name) in sheet.header.iter().enumerate() {
        if !expected.contains(&name.as_str()) {
            problems.push(at(Problem::new(format!(
                "unknown column \"{name}\"; expected columns: {}",
                expected.join(", ")
            ))
            .at_column(Column::new(i, name.clone()))));
        }
    }
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|e| sheet.column(e).is_none())
        .collect();
    if !missing.is_empty() {
        problems.push(at(Problem::new(format!(
            "missing column(s): {} (see docs/catalogue-format.md)",
            missing.join(", ")
        ))));
    }
    problems.len() == before
}

fn csv_rows<'a>(sheet: &'a Sheet, rows: &mut Vec<SourceRow<'a>>, problems: &mut Vec<Problem>) {
    let header = csv_header();
    if sheet.header.first().map(String::as_str) != Some("record") {
        problems.push(Problem::new("the first column must be \"record\" (org, power, item or fee); is this a onewindow catalogue file?").at_row(1).at_column(Column::new(0, sheet.header.first().cloned().unwrap_or_default())));
        return;
    }
    if !check_header(sheet, &header, problems) {
        return;
    }
    for row in &sheet.rows {
        let record = sheet.cell(row, "record");
        let Some(kind) = KINDS.iter().find(|k| k.record == record) else {
            problems.push(
                Problem::new(format!(
                    "\"{record}\" is not a record kind; expected org, power, item or fee"
                ))
                .at_row(row.number)
                .at_column(Column::new(0, "record")),
            );
            continue;
        };
        for (i, name) in sheet.header.iter().enumerate().skip(1) {
            let belongs = kind.fields.iter().any(|f| f.name == name);
            if !belongs && !row.cells[i].is_empty() {
                problems.push(
                    Problem::new(format!("a {} row leaves \"{name}\" empty", kind.record))
                        .at_row(row.number)
                        .at_column(Column::new(i, name.clone())),
                );
            }
        }
        rows.push(SourceRow {
            kind: *kind,
            sheet,
            row,
        });
    }
}

type Positions<'a, 'b> = HashMap<(&'static str, usize), &'b SourceRow<'a>>;

/// What the rows parsed into, where each record came from, and what was wrong.
struct Parsed<'a, 'b> {
    batch: CatalogueBatch,
    positions: Positions<'a, 'b>,
    problems: Vec<Problem>,
    /// Codes of org and power rows that failed to parse.
    assumed: Assumed,
}

/// Parses every row through the domain and refuses duplicate codes.
fn parse_rows<'a, 'b>(rows: &'b [SourceRow<'a>]) -> Parsed<'a, 'b> {
    let mut out = Parsed {
        batch: CatalogueBatch::default(),
        positions: HashMap::new(),
        problems: Vec::new(),
        assumed: Assumed::default(),
    };
    let mut seen: HashMap<(&str, String), u32> = HashMap::new();
    for row in rows {
        let code = row.text("code").to_owned();
        if let Some(first) = seen.insert((row.kind.sheet, code.clone()), row.row.number) {
            out.problems.push(row.problem(
                "code",
                format!("duplicate code \"{code}\" (also on row {first})"),
            ));
            continue;
        }
        let batch = &mut out.batch;
        let result = match row.kind.sheet {
            s if s == ORGS.sheet => Org::parse(row)
                .map(|r| batch.orgs.push(Write::new(r)))
                .map(|_| batch.orgs.len()),
            s if s == POWERS.sheet => Power::parse(row)
                .map(|r| batch.powers.push(Write::new(r)))
                .map(|_| batch.powers.len()),
            s if s == ITEMS.sheet => ServiceItem::parse(row)
                .map(|r| batch.items.push(Write::new(r)))
                .map(|_| batch.items.len()),
            _ => FeeItem::parse(row)
                .map(|r| batch.fees.push(Write::new(r)))
                .map(|_| batch.fees.len()),
        };
        match result {
            Ok(len) => {
                out.positions.insert((row.kind.sheet, len - 1), row);
            }
            Err(p) => {
                match row.kind.sheet {
                    s if s == ORGS.sheet => out.assumed.orgs.insert(code),
                    s if s == POWERS.sheet => out.assumed.powers.insert(code),
                    _ => false,
                };
                out.problems.extend(row.problems(p));
            }
        }
    }
    out
}
