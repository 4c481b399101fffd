//! Helpers shared by the tests: building sheets, reading with default limits, summarising
//! problem positions, and patching the XML inside an .xlsx for fixtures no writer produces.

use std::io::{Cursor, Read, Write};

use onewindow_interchange::{Format, Limits, Problem, Sheet, Workbook, read};

pub fn sheet(name: &str, header: &[&str], rows: &[&[&str]]) -> Sheet {
    let mut sheet = Sheet::new(name, header.iter().map(|s| (*s).to_owned()).collect());
    for row in rows {
        sheet.push_row(row.iter().map(|s| (*s).to_owned()).collect());
    }
    sheet
}

pub fn read_ok(bytes: &[u8], format: Format) -> Workbook {
    read(bytes, format, &Limits::default())
        .unwrap_or_else(|problems| panic!("expected a clean read, got {}", listed(&problems)))
}

pub fn problems(bytes: &[u8], format: Format) -> Vec<Problem> {
    problems_with(bytes, format, &Limits::default())
}

pub fn problems_with(bytes: &[u8], format: Format, limits: &Limits) -> Vec<Problem> {
    match read(bytes, format, limits) {
        Ok(workbook) => panic!("expected problems, read {workbook:?}"),
        Err(problems) => problems,
    }
}

/// `sheet!row:COLUMN` for each problem (parts left out when absent): `powers!7:D`, `3:B`, `2`.
pub fn positions(problems: &[Problem]) -> Vec<String> {
    problems
        .iter()
        .map(|p| {
            let mut at = String::new();
            if let Some(sheet) = &p.sheet {
                at.push_str(&format!("{sheet}!"));
            }
            if let Some(row) = p.row {
                at.push_str(&row.to_string());
            }
            if let Some(column) = &p.column {
                at.push_str(&format!(":{}", column.letter()));
            }
            at
        })
        .collect()
}

pub fn listed(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Rewrites one file inside a zip archive (an .xlsx), keeping the others as they are.
pub fn patch_zip(bytes: &[u8], path: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).expect("an entry");
        let name = file.name().expect("a name").into_owned();
        let mut content = Vec::new();
        file.read_to_end(&mut content).expect("readable");
        if name == path {
            let text = String::from_utf8(content).expect("XML is UTF-8");
            content = edit(text).into_bytes();
        }
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        writer.write_all(&content).expect("write");
    }
    writer.finish().expect("finish").into_inner()
}
