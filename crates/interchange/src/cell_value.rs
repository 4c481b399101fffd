//! The text of one XLSX cell value, as the catalogue reads it: numbers as their decimal text
//! (`12`, not `12.0`), dates as `YYYY-MM-DD`, date-times as `YYYY-MM-DD HH:MM:SS`, booleans as
//! `true`/`false`. Error values (`#DIV/0!`) are not text; the caller refuses them.
//!
//! It must not trim or otherwise clean text: `table::clean_cell` does that for every format.

use calamine::{DataRef, ExcelDateTime};

pub(crate) enum CellText {
    Empty,
    Text(String),
    /// An error value, as Excel shows it (`#DIV/0!`).
    Error(String),
}

pub(crate) fn cell_text(value: &DataRef<'_>) -> CellText {
    match value {
        DataRef::Empty => CellText::Empty,
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
            CellText::Text(text.clone())
        }
        DataRef::SharedString(text) => CellText::Text((*text).to_owned()),
        DataRef::Int(n) => CellText::Text(n.to_string()),
        DataRef::Float(f) => CellText::Text(number_text(*f)),
        DataRef::Bool(b) => CellText::Text(b.to_string()),
        DataRef::DateTime(datetime) => CellText::Text(datetime_text(datetime)),
        DataRef::Error(error) => CellText::Error(error.to_string()),
    }
}

/// The shortest decimal that reads back as the same number, with no exponent and no `.0`.
pub(crate) fn number_text(f: f64) -> String {
    if f == 0.0 {
        // Also turns -0 into 0.
        return "0".to_owned();
    }
    // Rust's `Display` for f64 is the shortest round-trip decimal and never uses an exponent;
    // whole numbers print without a fractional part.
    f.to_string()
}

/// Dates without a time of day as `YYYY-MM-DD`, others as `YYYY-MM-DD HH:MM:SS` (milliseconds
/// only when present); a time of day alone as `HH:MM:SS`; a duration as hours `H:MM:SS`.
fn datetime_text(datetime: &ExcelDateTime) -> String {
    let value = datetime.as_f64();
    if datetime.is_duration() {
        return duration_text(value);
    }
    let (year, month, day, hour, minute, second, milli) = datetime.to_ymd_hms_milli();
    let mut time = format!("{hour:02}:{minute:02}:{second:02}");
    if milli != 0 {
        time.push_str(&format!(".{milli:03}"));
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    if (0.0..1.0).contains(&value) {
        time
    } else if (hour, minute, second, milli) == (0, 0, 0, 0) {
        date
    } else {
        format!("{date} {time}")
    }
}

fn duration_text(days: f64) -> String {
    // Excel keeps millisecond precision; whole seconds are what a duration cell shows.
    // The float-to-int cast saturates, which is the right answer for absurd durations.
    #[allow(clippy::cast_possible_truncation)]
    let total = (days.abs() * 86_400.0).round() as u64;
    let sign = if days < 0.0 { "-" } else { "" };
    format!(
        "{sign}{}:{:02}:{:02}",
        total / 3600,
        total % 3600 / 60,
        total % 60
    )
}

#[cfg(test)]
mod tests {
    use calamine::ExcelDateTimeType;

    use super::*;

    fn text(value: DataRef<'_>) -> String {
        match cell_text(&value) {
            CellText::Text(text) => text,
            CellText::Empty => "<empty>".to_owned(),
            CellText::Error(error) => format!("<error {error}>"),
        }
    }

    fn date(value: f64) -> String {
        text(DataRef::DateTime(ExcelDateTime::new(
            value,
            ExcelDateTimeType::DateTime,
            false,
        )))
    }

    #[test]
    fn numbers_are_their_shortest_decimal() {
        assert_eq!(text(DataRef::Float(12.0)), "12");
        assert_eq!(text(DataRef::Float(-0.0)), "0");
        assert_eq!(text(DataRef::Float(0.1)), "0.1");
        assert_eq!(text(DataRef::Float(1234567.25)), "1234567.25");
        assert_eq!(text(DataRef::Float(1e20)), "100000000000000000000");
        assert_eq!(text(DataRef::Int(-7)), "-7");
    }

    #[test]
    fn dates_and_times_use_iso_order() {
        assert_eq!(date(45943.0), "2025-10-13");
        assert_eq!(date(45943.5), "2025-10-13 12:00:00");
        assert_eq!(date(0.75), "18:00:00");
    }

    #[test]
    fn booleans_and_errors_are_told_apart() {
        assert_eq!(text(DataRef::Bool(true)), "true");
        assert_eq!(
            text(DataRef::Error(calamine::CellErrorType::Div0)),
            "<error #DIV/0!>"
        );
    }
}
