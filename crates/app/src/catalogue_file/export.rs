//! Writing the whole catalogue as CSV or XLSX. Export followed by import reproduces it exactly.

use onewindow_domain::catalogue::FieldValue;
use onewindow_interchange::{Format, Sheet, Workbook, list_cell, write_csv, write_xlsx};
use onewindow_store::PowerFilter;

use super::{FEES, ITEMS, KINDS, ORGS, POWERS, RecordKind, csv_header};
use crate::{App, AppError};

fn cell(value: FieldValue) -> String {
    match value {
        FieldValue::Text(t) => t,
        FieldValue::List(entries) => list_cell::join(&entries),
    }
}

impl App {
    /// The whole catalogue in `format`.
    pub async fn export_catalogue(&self, format: Format) -> Result<Vec<u8>, AppError> {
        let orgs = self.store.orgs().await?;
        let powers = self.store.powers(&PowerFilter::default()).await?;
        let items = self.store.items(&Default::default()).await?;
        let fees = self.store.fees().await?;
        let records: [(RecordKind, Vec<Vec<FieldValue>>); 4] = [
            (ORGS, orgs.iter().map(|r| r.fields()).collect()),
            (POWERS, powers.iter().map(|r| r.fields()).collect()),
            (ITEMS, items.iter().map(|r| r.fields()).collect()),
            (FEES, fees.iter().map(|r| r.fields()).collect()),
        ];
        debug_assert!(
            records
                .iter()
                .map(|(k, _)| k.sheet)
                .eq(KINDS.iter().map(|k| k.sheet))
        );
        match format {
            Format::Csv => Ok(write_csv(&csv_sheet(records))),
            Format::Xlsx => {
                let sheets = records
                    .into_iter()
                    .map(|(kind, rows)| kind_sheet(kind, rows))
                    .collect();
                write_xlsx(&Workbook { sheets })
                    .map_err(|e| AppError::Refused(format!("cannot write the workbook: {e}")))
            }
        }
    }
}

fn kind_sheet(kind: RecordKind, rows: Vec<Vec<FieldValue>>) -> Sheet {
    let mut sheet = Sheet::new(
        kind.sheet,
        kind.fields.iter().map(|f| f.name.to_owned()).collect(),
    );
    for row in rows {
        sheet.push_row(row.into_iter().map(cell).collect());
    }
    sheet
}

fn csv_sheet(records: [(RecordKind, Vec<Vec<FieldValue>>); 4]) -> Sheet {
    let header = csv_header();
    let mut sheet = Sheet::new(
        onewindow_interchange::CSV_SHEET_NAME,
        header.iter().map(|h| (*h).to_owned()).collect(),
    );
    for (kind, rows) in records {
        for row in rows {
            let mut cells = vec![String::new(); header.len()];
            cells[0] = kind.record.to_owned();
            for (spec, value) in kind.fields.iter().zip(row) {
                if let Some(i) = header.iter().position(|h| *h == spec.name) {
                    cells[i] = cell(value);
                }
            }
            sheet.push_row(cells);
        }
    }
    sheet
}
