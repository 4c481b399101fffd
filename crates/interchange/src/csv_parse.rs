//! The CSV record splitter: bytes in, records of raw byte fields out, each record numbered the
//! way a spreadsheet numbers rows. RFC 4180 with the line endings Excel and editors produce
//! (CRLF, LF, CR).
//!
//! Why not the `csv` crate for reading: it skips blank lines (so its record numbers drift from
//! the row numbers Excel shows) and it silently reads an unterminated quote to the end of the
//! file. Import problems must name the row the user sees, and a lost quote must be refused.
//!
//! It works on bytes, not text, so that it can also locate the row of an invalid UTF-8 byte:
//! `"`, `,`, CR and LF are never part of a multi-byte character in UTF-8, GBK or GB18030.
//! It must not decode, trim or interpret cells: that is `csv_read`'s job.

use crate::problem::{Column, Problem};

/// One record. Only non-empty fields are kept (sparse), so a file of commas costs nothing.
#[derive(Debug, Default)]
pub(crate) struct Record {
    /// Row number as a spreadsheet shows it: 1-based, blank lines included.
    pub number: u32,
    /// How many fields the record has, empty ones included.
    pub field_count: usize,
    /// `(column index, field)` for each field with at least one byte.
    pub fields: Vec<(usize, Vec<u8>)>,
}

impl Record {
    /// True when no field has anything but ASCII whitespace (a blank row, skipped on import).
    pub fn is_blank(&self) -> bool {
        self.fields
            .iter()
            .all(|(_, bytes)| bytes.iter().all(u8::is_ascii_whitespace))
    }
}

enum FieldEnd {
    Comma,
    RecordEnd,
}

/// Splits `body` into records on demand. Problems with quotes are collected in `problems`; an
/// unterminated quote ends the parse because the rest of the file belongs to that cell.
pub(crate) struct Parser<'a> {
    body: &'a [u8],
    pos: usize,
    number: u32,
    finished: bool,
    pub problems: Vec<Problem>,
}

impl<'a> Parser<'a> {
    pub fn new(body: &'a [u8]) -> Self {
        Self {
            body,
            pos: 0,
            number: 0,
            finished: false,
            problems: Vec::new(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.body.get(self.pos).copied()
    }

    fn field(&mut self, column: usize) -> Option<(Vec<u8>, FieldEnd)> {
        let bytes = if self.peek() == Some(b'"') {
            self.quoted_field(column)?
        } else {
            self.unquoted_field()
        };
        Some((bytes, self.field_end()))
    }

    fn unquoted_field(&mut self) -> Vec<u8> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if matches!(b, b',' | b'\r' | b'\n') {
                break;
            }
            self.pos += 1;
        }
        self.body[start..self.pos].to_vec()
    }

    /// A field that starts with `"`; `None` when its closing quote is missing.
    fn quoted_field(&mut self, column: usize) -> Option<Vec<u8>> {
        self.pos += 1;
        let mut bytes = Vec::new();
        loop {
            match self.peek() {
                None => {
                    self.problems.push(
                        self.problem(
                            column,
                            "a quoted cell starts here but its closing quote (\") is missing, so \
                         the rest of the file was read into this cell; add the closing quote \
                         (a quote inside a cell is written twice: \"\")"
                                .to_owned(),
                        ),
                    );
                    return None;
                }
                Some(b'"') if self.body.get(self.pos + 1) == Some(&b'"') => {
                    bytes.push(b'"');
                    self.pos += 2;
                }
                Some(b'"') => {
                    self.pos += 1;
                    break;
                }
                Some(b) => {
                    bytes.push(b);
                    self.pos += 1;
                }
            }
        }
        let trailing = self.unquoted_field();
        if !trailing.iter().all(u8::is_ascii_whitespace) {
            let text = String::from_utf8_lossy(&trailing);
            let shown: String = text.chars().take(20).collect();
            self.problems.push(self.problem(
                column,
                format!(
                    "the cell's closing quote is followed by more text ({shown}); put the whole \
                     cell inside the quotes and write each quote inside it twice (\"\")"
                ),
            ));
            bytes.extend_from_slice(&trailing);
        }
        Some(bytes)
    }

    fn field_end(&mut self) -> FieldEnd {
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                FieldEnd::Comma
            }
            Some(b'\r') => {
                self.pos += 1;
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
                FieldEnd::RecordEnd
            }
            Some(b'\n') => {
                self.pos += 1;
                FieldEnd::RecordEnd
            }
            // End of input (field readers stop only at a delimiter or the end).
            _ => FieldEnd::RecordEnd,
        }
    }

    fn problem(&self, column: usize, message: String) -> Problem {
        Problem::new(message)
            .at_row(self.number)
            .at_column(Column::new(column, ""))
    }
}

impl Iterator for Parser<'_> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        if self.finished || self.pos >= self.body.len() {
            return None;
        }
        self.number = self.number.saturating_add(1);
        let mut record = Record {
            number: self.number,
            ..Record::default()
        };
        loop {
            let column = record.field_count;
            record.field_count += 1;
            let Some((bytes, end)) = self.field(column) else {
                self.finished = true;
                return Some(record);
            };
            if !bytes.is_empty() {
                record.fields.push((column, bytes));
            }
            if let FieldEnd::RecordEnd = end {
                return Some(record);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Row number, field count, and `index:text` of each non-empty field.
    type Summary = (u32, usize, Vec<String>);

    fn records(text: &str) -> (Vec<Summary>, Vec<Problem>) {
        let mut parser = Parser::new(text.as_bytes());
        let records = parser
            .by_ref()
            .map(|r| {
                let fields = r
                    .fields
                    .iter()
                    .map(|(i, b)| format!("{i}:{}", String::from_utf8_lossy(b)))
                    .collect();
                (r.number, r.field_count, fields)
            })
            .collect();
        (records, parser.problems)
    }

    #[test]
    fn blank_lines_count_as_rows() {
        let (records, problems) = records("a,b\r\n\r\n,\nc,d");
        assert!(problems.is_empty());
        let numbers: Vec<u32> = records.iter().map(|r| r.0).collect();
        assert_eq!(numbers, [1, 2, 3, 4]);
        assert_eq!(records[2].1, 2);
        assert!(records[2].2.is_empty());
        assert_eq!(records[3].2, ["0:c", "1:d"]);
    }

    #[test]
    fn quoted_fields_hold_commas_quotes_and_line_breaks() {
        let (records, problems) = records("\"a,\"\"b\"\"\r\nc\",x\r\nnext");
        assert!(problems.is_empty());
        assert_eq!(records[0].2, ["0:a,\"b\"\r\nc", "1:x"]);
        assert_eq!(records[1].0, 2);
    }

    #[test]
    fn a_trailing_comma_makes_an_empty_last_field() {
        let (records, _) = records("a,");
        assert_eq!(records[0].1, 2);
    }

    #[test]
    fn an_unterminated_quote_is_reported_where_it_opens() {
        let (records, problems) = records("a,b\n1,\"open\n2,3\n");
        assert_eq!(records.len(), 2);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].row, Some(2));
        assert_eq!(problems[0].column.as_ref().map(|c| c.index), Some(1));
    }

    #[test]
    fn text_after_a_closing_quote_is_reported() {
        let (records, problems) = records("\"ab\"c,d\n\"ok\"  ,e");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].row, Some(1));
        assert_eq!(records[1].2, ["0:ok", "1:e"]);
    }
}
