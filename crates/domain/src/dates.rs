//! Calendar dates as people type them: `YYYY-MM-DD`, nothing else, and only real dates.

use jiff::civil::Date;

/// Parses `YYYY-MM-DD` strictly (no `2026-2-3`, no `2026-02-30`); the error shows the input and
/// the expected form.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    match (shape, text.parse::<Date>()) {
        (true, Ok(date)) => Ok(date),
        _ => Err(format!("\"{text}\" is not a date (YYYY-MM-DD)")),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn only_real_dates_in_the_one_form_are_accepted() {
        assert!(parse_date("2026-09-30").is_ok());
        for bad in [
            "2026-02-30",
            "2026-2-3",
            "20260930",
            "2026/09/30",
            "",
            "２０２６-09-30",
            "+002026-09",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }
}
