//! Reading a licence number the way people copy it off a certificate or type it into a search
//! box: with or without the province `（辽）`, ASCII or full-width brackets and digits, spaces,
//! lower-case letters, Chinese dashes. [`normalise_printed`] folds those away and parses the one
//! canonical number; when the text cannot be a licence number, the error names the position (a
//! 1-based character count in what was typed) and what was expected there.
//!
//! Unlike the credit code (RULES.md §8: taken exactly), a licence number is *looked up*, never
//! stored from this path, so folding what a reader typed costs nothing and saves a retry.

use std::fmt;

use crate::identifiers::{LicenceNumber, LicenceNumberError};

/// Why a typed text is not a licence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedNumberError {
    pub input: String,
    /// The 1-based character position in `input` at fault, when one is.
    pub position: Option<usize>,
    pub message: String,
}

impl fmt::Display for PrintedNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(
                f,
                "\"{}\" is not a licence number: at character {p}, {}",
                self.input, self.message
            ),
            None => write!(
                f,
                "\"{}\" is not a licence number: {}",
                self.input, self.message
            ),
        }
    }
}

impl std::error::Error for PrintedNumberError {}

/// The licence number `text` is, in any of its printed forms; see the module documentation.
pub fn normalise_printed(text: &str) -> Result<LicenceNumber, PrintedNumberError> {
    let chars: Vec<(usize, char)> = text
        .chars()
        .enumerate()
        .filter(|(_, c)| !c.is_whitespace())
        .map(|(i, c)| (i + 1, fold(c)))
        .collect();
    let fail = |position: Option<usize>, message: String| PrintedNumberError {
        input: text.to_owned(),
        position,
        message,
    };
    if chars.is_empty() {
        return Err(fail(
            None,
            "it is empty; a licence number looks like （辽）XK06-014-00001 or TS2721001-2030"
                .into(),
        ));
    }
    Scanner {
        chars: &chars,
        at: 0,
        end: text.chars().count() + 1,
    }
    .scan()
    .map_err(|(p, m)| fail(Some(p), m))?;
    let folded: String = chars.iter().map(|(_, c)| c).collect();
    LicenceNumber::parse(&folded).map_err(|e| match e {
        LicenceNumberError::Malformed { why, .. } => fail(None, why),
        other => fail(None, other.to_string()),
    })
}

/// Full-width ASCII to ASCII, the dashes of Chinese input to `-`, letters to capitals.
fn fold(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        _ => c,
    };
    c.to_ascii_uppercase()
}

/// Walks the folded characters along the two shapes, stopping at the first that does not fit.
struct Scanner<'a> {
    chars: &'a [(usize, char)],
    at: usize,
    /// The position just past the input, for "it ends here".
    end: usize,
}

type Scan<T> = Result<T, (usize, String)>;

impl Scanner<'_> {
    fn peek(&self) -> Option<(usize, char)> {
        self.chars.get(self.at).copied()
    }

    fn position(&self) -> usize {
        self.peek().map_or(self.end, |(p, _)| p)
    }

    fn found(&self) -> String {
        match self.peek() {
            Some((_, c)) => format!("found '{c}'"),
            None => "but the text ends there".to_owned(),
        }
    }

    fn scan(mut self) -> Scan<()> {
        self.province()?;
        let scheme = match self.peek() {
            Some((_, 'X')) => "XK",
            Some((_, 'T')) => "TS",
            _ => {
                return Err((
                    self.position(),
                    format!(
                        "a licence number starts with XK (industrial products) or TS (special \
                         equipment), after an optional province such as （辽）; {}",
                        self.found()
                    ),
                ));
            }
        };
        self.at += 1;
        let second = scheme.chars().nth(1).unwrap_or('K');
        if self.peek().map(|(_, c)| c) != Some(second) {
            return Err((
                self.position(),
                format!("expected '{second}' of {scheme}, {}", self.found()),
            ));
        }
        self.at += 1;
        if scheme == "XK" {
            self.digits(2, 2, "industry code (XK06-…)")?;
            self.dash("industry code")?;
            self.digits(3, 3, "product code (XK06-014-…)")?;
            self.dash("product code")?;
            self.digits(1, 9, "serial (…-00001)")?;
        } else {
            self.digits(5, 13, "item, region and serial (TS2721001-…)")?;
            self.dash("serial")?;
            self.digits(4, 4, "year (…-2030)")?;
        }
        match self.peek() {
            None => Ok(()),
            Some((p, c)) => Err((p, format!("the number should end here, found '{c}'"))),
        }
    }

    /// `（辽）` or `(辽)`: brackets are already folded to ASCII.
    fn province(&mut self) -> Scan<()> {
        let Some((open, '(')) = self.peek() else {
            return Ok(());
        };
        if !self.chars[self.at..].iter().any(|(_, c)| *c == ')') {
            return Err((open, "this bracket is never closed".into()));
        }
        self.at += 1;
        let mut count = 0;
        while let Some((p, c)) = self.peek() {
            if c == ')' {
                if count == 0 {
                    return Err((p, "the brackets hold no province abbreviation".into()));
                }
                self.at += 1;
                return Ok(());
            }
            if !('\u{4E00}'..='\u{9FFF}').contains(&c) || count == 4 {
                return Err((
                    p,
                    format!(
                        "the province abbreviation in brackets is 1–4 Chinese characters, such \
                         as （辽）; found '{c}'"
                    ),
                ));
            }
            count += 1;
            self.at += 1;
        }
        Err((open, "this bracket is never closed".into()))
    }

    fn digits(&mut self, min: usize, max: usize, what: &str) -> Scan<()> {
        let mut count = 0;
        while count < max && self.peek().is_some_and(|(_, c)| c.is_ascii_digit()) {
            self.at += 1;
            count += 1;
        }
        if count < min {
            return Err((
                self.position(),
                format!("expected a digit of the {what}, {}", self.found()),
            ));
        }
        Ok(())
    }

    fn dash(&mut self, after: &str) -> Scan<()> {
        if self.peek().map(|(_, c)| c) == Some('-') {
            self.at += 1;
            return Ok(());
        }
        Err((
            self.position(),
            format!("expected '-' after the {after}, {}", self.found()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_printed_form_reads_as_the_one_number() {
        for typed in [
            "（辽）XK06-014-00001",
            "(辽)XK06-014-00001",
            " （辽） xk06-014-00001 ",
            "（辽）ＸＫ０６－０１４－００００１",
            "(辽)XK06—014—00001",
        ] {
            let number = normalise_printed(typed).unwrap_or_else(|e| panic!("{typed}: {e}"));
            assert_eq!(number.to_string(), "（辽）XK06-014-00001", "{typed}");
        }
        let bare = normalise_printed("xk06 014").unwrap_err();
        assert_eq!(bare.position, Some(6), "{bare}");
        assert_eq!(
            normalise_printed("ts2721001-2030").unwrap().to_string(),
            "TS2721001-2030"
        );
        assert_eq!(
            normalise_printed("XK06-014-00001").unwrap().province(),
            None
        );
    }

    #[test]
    fn the_error_names_the_position_and_what_was_expected() {
        let cases = [
            ("XK06-14-00001", 8, "product code"),
            ("XQ06-014-00001", 2, "expected 'K' of XK"),
            ("AB06-014-00001", 1, "starts with XK"),
            ("XK06-014-00001X", 15, "should end here"),
            ("(辽XK06-014-00001", 1, "never closed"),
            ("(LN)XK06-014-00001", 2, "Chinese characters"),
            ("TS2721001", 10, "expected '-' after the serial"),
            ("TS2721001-30", 13, "year"),
            ("XK06-014-", 10, "serial"),
        ];
        for (typed, position, words) in cases {
            let err = normalise_printed(typed).expect_err(typed);
            assert_eq!(err.position, Some(position), "{typed}: {err}");
            assert!(err.to_string().contains(words), "{typed}: {err}");
        }
    }

    #[test]
    fn what_only_the_parser_knows_is_still_explained() {
        let err = normalise_printed("XK06-014-00000").expect_err("a zero serial");
        assert_eq!(err.position, None);
        assert!(err.to_string().contains("not all zero"), "{err}");
        assert!(normalise_printed("   ").is_err());
    }
}
