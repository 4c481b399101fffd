//! List cells: one entry per line, parts separated by `|`, with `\|` for a literal bar and `\\`
//! for a literal backslash (docs/catalogue-format.md, "List cells").
//!
//! Owns only the syntax. What the parts mean, how many there must be, and which may be empty is
//! the catalogue mapping's business.
//!
//! Choices, so that cells typed by hand in Excel read as people expect:
//! * blank lines are skipped (an accidental double Alt+Enter is not an entry), but
//!   [`split_numbered`] keeps each entry's line number within the cell for problem messages;
//! * each part is trimmed (`law | article` reads like `law|article`);
//! * a backslash before anything but `|` or `\` is kept as written (`C:\docs` stays as is).
//!
//! So `split(&join(entries)) == entries` whenever no part has surrounding whitespace or a line
//! break, and no entry is blank (`[]` or `[""]`).

/// One entry of a list cell and the line of the cell it came from (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub line: usize,
    pub parts: Vec<String>,
}

/// The entries of a list cell: its non-blank lines, each split on unescaped `|`.
pub fn split(cell: &str) -> Vec<Vec<String>> {
    split_numbered(cell)
        .into_iter()
        .map(|entry| entry.parts)
        .collect()
}

/// Like [`split`], keeping each entry's line number within the cell.
pub fn split_numbered(cell: &str) -> Vec<Entry> {
    cell.split('\n')
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| Entry {
            line: index + 1,
            parts: split_line(line),
        })
        .collect()
}

fn split_line(line: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.clone().next() {
                Some(escaped @ ('|' | '\\')) => {
                    part.push(escaped);
                    chars.next();
                }
                _ => part.push('\\'),
            },
            '|' => parts.push(std::mem::take(&mut part)),
            other => part.push(other),
        }
    }
    parts.push(part);
    parts
        .into_iter()
        .map(|part| part.trim().to_owned())
        .collect()
}

/// The list cell for these entries: the inverse of [`split`].
///
/// A line break inside a part cannot be written in a list cell; it becomes a space.
pub fn join(entries: &[Vec<String>]) -> String {
    entries
        .iter()
        .map(|parts| {
            parts
                .iter()
                .map(|part| escape(part))
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn escape(part: &str) -> String {
    let mut escaped = String::with_capacity(part.len());
    for c in part.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '|' => escaped.push_str("\\|"),
            '\r' => {}
            '\n' => escaped.push(' '),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(entries: &[&[&str]]) -> Vec<Vec<String>> {
        entries
            .iter()
            .map(|parts| parts.iter().map(|p| (*p).to_owned()).collect())
            .collect()
    }

    #[test]
    fn lines_are_entries_and_bars_separate_parts() {
        assert_eq!(
            split("《中华人民共和国行政许可法》|第三十二条\n《条例》|第五条"),
            owned(&[
                &["《中华人民共和国行政许可法》", "第三十二条"],
                &["《条例》", "第五条"]
            ])
        );
    }

    #[test]
    fn escaped_bars_and_backslashes_are_literal() {
        assert_eq!(split(r"a\|b|c\\|d"), owned(&[&["a|b", "c\\", "d"]]));
        assert_eq!(split(r"C:\docs|x\"), owned(&[&["C:\\docs", "x\\"]]));
    }

    #[test]
    fn blank_lines_are_skipped_but_line_numbers_are_kept() {
        let entries = split_numbered("a\n \nb|c\r\n");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].line, 3);
        assert_eq!(entries[1].parts, ["b", "c"]);
        assert!(split("").is_empty());
    }

    #[test]
    fn parts_are_trimmed_and_empty_trailing_parts_kept() {
        assert_eq!(split(" a | b ||"), owned(&[&["a", "b", "", ""]]));
    }

    #[test]
    fn join_escapes_what_split_unescapes() {
        let entries = owned(&[&["a|b", "c\\d", ""], &["《法》", "第1条"]]);
        let cell = join(&entries);
        assert_eq!(cell, "a\\|b|c\\\\d|\n《法》|第1条");
        assert_eq!(split(&cell), entries);
    }
}
