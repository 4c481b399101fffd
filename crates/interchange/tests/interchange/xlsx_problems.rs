//! Every way an .xlsx workbook can be refused, each with its sheet, row and column; and how
//! values that are not text are read.

use onewindow_interchange::Format;
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Formula, Workbook, Worksheet};

use crate::support::{listed, patch_zip, positions, problems, read_ok};

/// Writes the cells of one fixture sheet.
type Fill<'a> = &'a dyn Fn(&mut Worksheet);

/// A workbook with one sheet per `(name, fill)`, each filled by its closure.
fn xlsx(sheets: &[(&str, Fill<'_>)]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    for (name, fill) in sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(*name).expect("valid name");
        fill(worksheet);
    }
    workbook.save_to_buffer().expect("saves")
}

fn strings(worksheet: &mut Worksheet, rows: &[&[&str]]) {
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                worksheet
                    .write_string(r as u32, c as u16, *text)
                    .expect("writes");
            }
        }
    }
}

fn powers_header(worksheet: &mut Worksheet) {
    strings(worksheet, &[&["code", "name_zh", "category", "limit"]]);
}

#[test]
fn a_formula_cell_is_refused_with_its_address() {
    let bytes = xlsx(&[("powers", &|ws| {
        powers_header(ws);
        strings(ws, &[&[], &["XK-1", "许可", "01", "5"]]);
        ws.write_formula(6, 3, "=A1*2").expect("writes");
    })]);
    let found = problems(&bytes, Format::Xlsx);
    assert_eq!(positions(&found), ["powers!7:D"], "{}", listed(&found));
    assert_eq!(
        found[0].to_string(),
        "sheet \"powers\", row 7, column D (limit): cell D7 holds a formula (=A1*2); the file \
         must carry values: select the cells, copy, then Paste Special → Values, and import again"
    );
}

#[test]
fn an_error_value_is_refused_with_its_address() {
    let bytes = xlsx(&[("fees", &|ws| {
        powers_header(ws);
        ws.write_number(2, 1, 12345).expect("writes");
    })]);
    // rust_xlsxwriter writes no literal error values; turn the number into #DIV/0!.
    let bytes = patch_zip(&bytes, "xl/worksheets/sheet1.xml", |xml| {
        let patched = xml
            .replace("<v>12345</v>", "<v>#DIV/0!</v>")
            .replace("<c r=\"B3\"", "<c r=\"B3\" t=\"e\"");
        assert_ne!(patched, xml, "the fixture must change");
        patched
    });
    let found = problems(&bytes, Format::Xlsx);
    assert_eq!(positions(&found), ["fees!3:B"], "{}", listed(&found));
    assert!(found[0].message.contains("#DIV/0!"), "{}", found[0]);
}

#[test]
fn numbers_dates_and_booleans_read_as_their_text() {
    let bytes = xlsx(&[("s", &|ws| {
        strings(ws, &[&["int", "float", "date", "datetime", "bool"]]);
        ws.write_number(1, 0, 12.0).expect("writes");
        ws.write_number(1, 1, 0.1).expect("writes");
        let date = CellFormat::new().set_num_format("yyyy-mm-dd");
        let day = ExcelDateTime::from_ymd(2024, 3, 1).expect("a date");
        ws.write_datetime_with_format(1, 2, &day, &date)
            .expect("writes");
        let moment = day.clone().and_hms(9, 30, 5).expect("a time");
        let datetime = CellFormat::new().set_num_format("yyyy-mm-dd hh:mm:ss");
        ws.write_datetime_with_format(1, 3, &moment, &datetime)
            .expect("writes");
        ws.write_boolean(1, 4, true).expect("writes");
    })]);
    let workbook = read_ok(&bytes, Format::Xlsx);
    assert_eq!(
        workbook.sheets[0].rows[0].cells,
        ["12", "0.1", "2024-03-01", "2024-03-01 09:30:05", "true"]
    );
}

#[test]
fn a_file_that_is_not_a_zip_is_refused_clearly() {
    let found = problems(b"record,code\r\n", Format::Xlsx);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.contains("not a valid .xlsx"),
        "{}",
        found[0]
    );
}

#[test]
fn an_old_xls_file_is_refused_with_how_to_save_it() {
    let found = problems(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", Format::Xlsx);
    assert!(found[0].message.contains(".xls"), "{}", found[0]);
}

#[test]
fn a_zip_that_is_not_a_workbook_is_refused_without_panicking() {
    let bytes = xlsx(&[("s", &powers_header)]);
    let damaged = patch_zip(&bytes, "xl/worksheets/sheet1.xml", |_| {
        "<worksheet><sheetData>".into()
    });
    let found = problems(&damaged, Format::Xlsx);
    assert_eq!(positions(&found), ["s!"], "{}", listed(&found));
    assert!(found[0].message.contains("damaged"), "{}", found[0]);
}

#[test]
fn header_problems_name_sheet_and_columns() {
    let bytes = xlsx(&[
        ("orgs", &|ws| {
            strings(
                ws,
                &[&["code", "", "name_zh", "code"], &["1", "", "a", "b"]],
            )
        }),
        ("powers", &|ws| strings(ws, &[&[], &[], &["code"], &["1"]])),
    ]);
    let found = problems(&bytes, Format::Xlsx);
    assert_eq!(
        positions(&found),
        ["orgs!1:B", "orgs!1:D", "powers!1"],
        "{}",
        listed(&found)
    );
    assert!(found[1].message.contains("columns A and D"), "{}", found[1]);
}

#[test]
fn a_value_right_of_the_header_is_refused_and_short_rows_are_padded() {
    let bytes = xlsx(&[("items", &|ws| {
        strings(
            ws,
            &[&["code", "name_zh"], &["1"], &["2", "b", "", "stray"]],
        );
    })]);
    let found = problems(&bytes, Format::Xlsx);
    assert_eq!(positions(&found), ["items!3:D"], "{}", listed(&found));

    let fine = xlsx(&[("items", &|ws| strings(ws, &[&["code", "name_zh"], &["1"]]))]);
    assert_eq!(
        read_ok(&fine, Format::Xlsx).sheets[0].rows[0].cells,
        ["1", ""]
    );
}

#[test]
fn blank_rows_are_skipped_and_cells_trimmed_but_row_numbers_stay_true() {
    let bytes = xlsx(&[("s", &|ws| {
        strings(
            ws,
            &[
                &["a", "b"],
                &[],
                &["  x ", " 第一行\r\n第二行  "],
                &["   "],
                &["y"],
            ],
        );
    })]);
    let sheet = &read_ok(&bytes, Format::Xlsx).sheets[0];
    let numbers: Vec<u32> = sheet.rows.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [3, 5]);
    assert_eq!(sheet.rows[0].cells, ["x", "第一行\n第二行"]);
}

#[test]
fn every_problem_in_every_sheet_is_listed() {
    let bytes = xlsx(&[
        ("orgs", &|ws| {
            strings(ws, &[&["code", "code"]]);
            ws.write_formula(3, 0, Formula::new("=SUM(1,2)"))
                .expect("writes");
        }),
        ("powers", &|ws| {
            powers_header(ws);
            ws.write_formula(1, 2, "=\"01\"").expect("writes");
            strings(ws, &[&[], &[], &["", "", "", "", "extra"]]);
        }),
    ]);
    let found = problems(&bytes, Format::Xlsx);
    assert_eq!(
        positions(&found),
        ["orgs!1:B", "orgs!4:A", "powers!2:C", "powers!3:E"],
        "{}",
        listed(&found)
    );
}
