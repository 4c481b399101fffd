//! Reading and writing the holiday CSV (`date,kind,name`): the format of data/cn_holidays.csv
//! and of the file an administrator imports. Owns the text format only; the rules for a set of
//! rows live in `entry`, those for a whole calendar in `Calendar`.
//!
//! Tolerated: a UTF-8 byte-order mark, CRLF line ends, spaces around fields, quoted fields
//! (`"…"`, with `""` for a quote), trailing empty lines. Refused, with every problem listed:
//! a wrong or missing header, an empty line inside the data, a wrong number of fields, a date
//! that is not `YYYY-MM-DD`, an unknown kind, and everything `entry::check_rows` refuses.

use super::entry::{CalendarProblem, DayKind, HolidayEntry, check_rows};
use crate::dates::parse_date;

/// The header every holiday CSV starts with.
pub const HOLIDAY_CSV_HEADER: &str = "date,kind,name";

/// Parses a holiday CSV, listing every problem rather than stopping at the first.
pub fn parse_holiday_csv(text: &str) -> Result<Vec<HolidayEntry>, Vec<CalendarProblem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<&str> = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect();
    while lines.last().is_some_and(|line| line.trim().is_empty()) {
        lines.pop();
    }
    let mut problems = Vec::new();
    let Some((header, data)) = lines.split_first() else {
        problems.push(CalendarProblem::at(
            1,
            "header",
            format!("the file is empty: expected the header {HOLIDAY_CSV_HEADER:?} and rows"),
        ));
        return Err(problems);
    };
    let mut rows: Vec<(usize, HolidayEntry)> = Vec::new();
    if !header_is_valid(header) {
        problems.push(CalendarProblem::at(
            1,
            "header",
            format!("expected {HOLIDAY_CSV_HEADER:?}, found {header:?}"),
        ));
        // Without a header the first line may be data: check it like the others.
        if looks_like_data(header) {
            parse_row(1, header, &mut rows, &mut problems);
        }
    }
    for (i, line) in data.iter().enumerate() {
        parse_row(i + 2, line, &mut rows, &mut problems);
    }
    problems.extend(check_rows(rows.iter().map(|(row, entry)| (*row, entry))));
    if rows.is_empty() && problems.is_empty() {
        problems.push(CalendarProblem::at(
            1,
            "header",
            "the file has a header but no rows",
        ));
    }
    if problems.is_empty() {
        Ok(rows.into_iter().map(|(_, entry)| entry).collect())
    } else {
        problems.sort_by_key(|problem| problem.row);
        Err(problems)
    }
}

/// Writes entries as a holiday CSV, in the order given; `parse_holiday_csv` reads it back.
pub fn write_holiday_csv(entries: &[HolidayEntry]) -> String {
    let mut out = String::with_capacity(32 * (entries.len() + 1));
    out.push_str(HOLIDAY_CSV_HEADER);
    out.push('\n');
    for entry in entries {
        out.push_str(&format!(
            "{},{},{}\n",
            entry.date,
            entry.kind.as_str(),
            quote_if_needed(&entry.name)
        ));
    }
    out
}

fn quote_if_needed(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) || field.trim() != field {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

fn header_is_valid(line: &str) -> bool {
    split_fields(line).is_ok_and(|fields| {
        fields.len() == 3
            && fields
                .iter()
                .zip(["date", "kind", "name"])
                .all(|(found, wanted)| found.eq_ignore_ascii_case(wanted))
    })
}

fn looks_like_data(line: &str) -> bool {
    split_fields(line).is_ok_and(|fields| fields.first().is_some_and(|f| parse_date(f).is_ok()))
}

fn parse_row(
    row: usize,
    line: &str,
    rows: &mut Vec<(usize, HolidayEntry)>,
    problems: &mut Vec<CalendarProblem>,
) {
    if line.trim().is_empty() {
        problems.push(CalendarProblem::at(row, "line", "empty line: remove it"));
        return;
    }
    let fields = match split_fields(line) {
        Ok(fields) => fields,
        Err(message) => {
            problems.push(CalendarProblem::at(row, "line", message));
            return;
        }
    };
    let [date, kind, name] = fields.as_slice() else {
        problems.push(CalendarProblem::at(
            row,
            "line",
            format!(
                "expected 3 fields ({HOLIDAY_CSV_HEADER}), found {}",
                fields.len()
            ),
        ));
        return;
    };
    let date = parse_date(date).map_err(|message| CalendarProblem::at(row, "date", message));
    let kind = parse_kind(kind).map_err(|message| CalendarProblem::at(row, "kind", message));
    match (date, kind) {
        (Ok(date), Ok(kind)) => rows.push((
            row,
            HolidayEntry {
                date,
                kind,
                name: name.clone(),
            },
        )),
        (date, kind) => problems.extend(date.err().into_iter().chain(kind.err())),
    }
}

fn parse_kind(field: &str) -> Result<DayKind, String> {
    match field {
        "holiday" => Ok(DayKind::Holiday),
        "workday" => Ok(DayKind::Workday),
        _ => Err(format!(
            "{field:?} is not a kind: write holiday (a day off) or workday (a make-up working day)"
        )),
    }
}

/// Splits one line into trimmed fields; a field may be quoted.
fn split_fields(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
            chars.next();
        }
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => return Err("a quoted field is not closed (missing \")".to_string()),
                }
            }
            while chars.peek().is_some_and(|c| *c != ',') {
                if let Some(c) = chars.next().filter(|c| !c.is_whitespace()) {
                    return Err(format!("unexpected {c:?} after a quoted field"));
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| *c != ',') {
                field.push(c);
            }
            field = field.trim().to_string();
        }
        fields.push(field);
        if chars.next().is_none() {
            return Ok(fields);
        }
    }
}
