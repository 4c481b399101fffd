//! Builders for catalogue files written the way docs/catalogue-format.md describes them, kept
//! independent of the exporter so the tests check the contract rather than the code: the CSV
//! header is `record` and the union of the kinds' columns, each XLSX sheet has its kind's columns.

use onewindow_domain::catalogue::{FeeItem, FieldSpec, FieldValue, Org, Power, ServiceItem};
use onewindow_interchange::{CSV_SHEET_NAME, Sheet, list_cell, write_csv};

use super::Catalogue;

/// The kinds in file order: sheet name, CSV `record` value, columns.
pub const KINDS: [(&str, &str, &[FieldSpec]); 4] = [
    ("orgs", "org", Org::FIELDS),
    ("powers", "power", Power::FIELDS),
    ("items", "item", ServiceItem::FIELDS),
    ("fees", "fee", FeeItem::FIELDS),
];

/// The documented CSV header: `record`, then every kind's columns, first appearance wins.
pub fn csv_header() -> Vec<String> {
    let mut header = vec!["record".to_owned()];
    for (_, _, fields) in KINDS {
        for f in fields {
            if !header.iter().any(|h| h == f.name) {
                header.push(f.name.to_owned());
            }
        }
    }
    header
}

/// A record's cells by column name, list fields joined as list cells.
pub fn cells(fields: &[FieldSpec], values: Vec<FieldValue>) -> Vec<(String, String)> {
    fields
        .iter()
        .zip(values)
        .map(|(spec, value)| {
            let text = match value {
                FieldValue::Text(t) => t,
                FieldValue::List(entries) => list_cell::join(&entries),
            };
            (spec.name.to_owned(), text)
        })
        .collect()
}

/// The catalogue's records as (kind index, cells), in file order.
fn records(catalogue: &Catalogue) -> Vec<(usize, Vec<(String, String)>)> {
    let mut out = Vec::new();
    out.extend(
        catalogue
            .orgs
            .iter()
            .map(|r| (0, cells(Org::FIELDS, r.fields()))),
    );
    out.extend(
        catalogue
            .powers
            .iter()
            .map(|r| (1, cells(Power::FIELDS, r.fields()))),
    );
    out.extend((catalogue.items.iter()).map(|r| (2, cells(ServiceItem::FIELDS, r.fields()))));
    out.extend(
        catalogue
            .fees
            .iter()
            .map(|r| (3, cells(FeeItem::FIELDS, r.fields()))),
    );
    out
}

/// One table: a header and rows of text cells. Rows are numbered as a spreadsheet shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: Vec<String>) -> Self {
        Self {
            header,
            rows: Vec::new(),
        }
    }

    fn index(&self, column: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == column)
            .unwrap_or_else(|| panic!("no column {column}"))
    }

    /// Appends a row from (column, value) pairs; returns its spreadsheet row number.
    pub fn push(&mut self, pairs: &[(&str, &str)]) -> u32 {
        let mut row = vec![String::new(); self.header.len()];
        for (column, value) in pairs {
            row[self.index(column)] = (*value).to_owned();
        }
        self.rows.push(row);
        self.last_row()
    }

    pub fn last_row(&self) -> u32 {
        u32::try_from(self.rows.len()).expect("few rows") + 1
    }

    /// The spreadsheet row number of the first row whose `column` is `value`.
    pub fn row_where(&self, column: &str, value: &str) -> u32 {
        let i = self.index(column);
        let at = self
            .rows
            .iter()
            .position(|r| r[i] == value)
            .unwrap_or_else(|| panic!("no row with {column} = {value}"));
        u32::try_from(at).expect("few rows") + 2
    }

    pub fn get(&self, row: u32, column: &str) -> &str {
        &self.rows[row as usize - 2][self.index(column)]
    }

    pub fn set(&mut self, row: u32, column: &str, value: &str) {
        let i = self.index(column);
        self.rows[row as usize - 2][i] = value.to_owned();
    }

    /// Removes a column, header and cells.
    pub fn drop_column(&mut self, column: &str) {
        let i = self.index(column);
        self.header.remove(i);
        for row in &mut self.rows {
            row.remove(i);
        }
    }

    /// Adds a column at the end, empty in every row.
    pub fn add_column(&mut self, column: &str) {
        self.header.push(column.to_owned());
        for row in &mut self.rows {
            row.push(String::new());
        }
    }

    /// The table as CSV bytes (UTF-8 with BOM, as Excel's "CSV UTF-8" writes).
    pub fn csv(&self) -> Vec<u8> {
        let mut sheet = Sheet::new(CSV_SHEET_NAME, self.header.clone());
        for row in &self.rows {
            sheet.push_row(row.clone());
        }
        write_csv(&sheet)
    }
}

/// The catalogue as one CSV table with the documented header.
pub fn csv_table(catalogue: &Catalogue) -> Table {
    let mut table = Table::new(csv_header());
    for (kind, cells) in records(catalogue) {
        let mut pairs: Vec<(&str, &str)> = vec![("record", KINDS[kind].1)];
        pairs.extend(cells.iter().map(|(c, v)| (c.as_str(), v.as_str())));
        table.push(&pairs);
    }
    table
}

/// The catalogue as four tables named by sheet, each with its kind's columns.
pub fn sheet_tables(catalogue: &Catalogue) -> Vec<(String, Table)> {
    let mut tables: Vec<(String, Table)> = KINDS
        .iter()
        .map(|(sheet, _, fields)| {
            let header = fields.iter().map(|f| f.name.to_owned()).collect();
            ((*sheet).to_owned(), Table::new(header))
        })
        .collect();
    for (kind, cells) in records(catalogue) {
        let pairs: Vec<(&str, &str)> = cells
            .iter()
            .map(|(c, v)| (c.as_str(), v.as_str()))
            .collect();
        tables[kind].1.push(&pairs);
    }
    tables
}

/// A formula to write into one cell of an XLSX file: sheet, spreadsheet row, column, formula.
pub struct Formula<'a> {
    pub sheet: &'a str,
    pub row: u32,
    pub column: &'a str,
    pub formula: &'a str,
}

/// The tables as an .xlsx workbook written with rust_xlsxwriter, as Excel would save it, with
/// an optional formula cell in place of a value.
pub fn xlsx(tables: &[(String, Table)], formula: Option<Formula<'_>>) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for (name, table) in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).expect("sheet name");
        let rows = std::iter::once(&table.header).chain(&table.rows);
        for (r, row) in rows.enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    let (r, c) = (
                        u32::try_from(r).expect("row"),
                        u16::try_from(c).expect("col"),
                    );
                    sheet.write_string(r, c, text).expect("write cell");
                }
            }
        }
        if let Some(f) = formula.as_ref().filter(|f| f.sheet == name) {
            let c = u16::try_from(table.index(f.column)).expect("col");
            sheet
                .write_formula(f.row - 1, c, f.formula)
                .expect("formula");
        }
    }
    workbook.save_to_buffer().expect("save workbook")
}
