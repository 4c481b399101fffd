//! Why a text is not a Unified Social Credit Code (GB 32100-2015; RULES.md §8), worded for the
//! person who typed it: which position (counted in characters from 1) and why. Owns the
//! classification of a single bad character and the messages; the checks themselves are
//! `credit_code`'s.

use std::fmt;

use super::credit_code::ALPHABET;

/// A refused credit code: the 1-based character position at fault, when one is, and the
/// reason. Displays as `position 5: 'i' is lowercase; codes use capital letters (I)`, or
/// the reason alone when no single position is at fault (`17 characters: a credit code has 18`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditCodeError {
    pub position: Option<usize>,
    pub reason: CreditCodeProblem,
}

/// What is wrong, as data — the form layer may pick its own words from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditCodeProblem {
    /// Nothing was given.
    Empty,
    /// Every character is acceptable but there are `found` of them instead of 18.
    Length { found: usize },
    /// [`CreditCode::complete`](super::CreditCode::complete) was given `found` characters
    /// instead of the first 16.
    StemLength { found: usize },
    /// A space (any whitespace, the full-width `U+3000` included).
    Space,
    /// A hyphen or dash used as a separator.
    Separator { found: char },
    /// A full-width form (`Ａ`, `１`) of the ASCII character `half`.
    FullWidth { found: char, half: char },
    /// A lowercase ASCII letter.
    Lowercase { found: char },
    /// `I`, `O`, `S`, `V` or `Z`: capital letters GB 32100 leaves out.
    NotUsed { found: char },
    /// Any other character (punctuation, Chinese characters …).
    NotAllowed { found: char },
    /// Position 17, the GB 11714 organisation-code check, is not the one positions 9–16 give.
    OrganisationCheck { expected: char, found: char },
    /// Position 18, the MOD 31 check character, is not the one positions 1–17 give.
    Check { expected: char, found: char },
}

impl CreditCodeError {
    pub(super) fn at(position: usize, reason: CreditCodeProblem) -> CreditCodeError {
        CreditCodeError {
            position: Some(position),
            reason,
        }
    }

    pub(super) fn whole(reason: CreditCodeProblem) -> CreditCodeError {
        CreditCodeError {
            position: None,
            reason,
        }
    }
}

/// What is wrong with `c` as a credit-code character, or `None` when it is one.
pub(super) fn character_problem(c: char) -> Option<CreditCodeProblem> {
    use CreditCodeProblem::*;
    if c.is_ascii() && ALPHABET.contains(c) {
        return None;
    }
    Some(match c {
        c if c.is_whitespace() => Space,
        c if is_separator(c) => Separator { found: c },
        '\u{FF01}'..='\u{FF5E}' => FullWidth {
            found: c,
            half: half_width(c),
        },
        'a'..='z' => Lowercase { found: c },
        'I' | 'O' | 'S' | 'V' | 'Z' => NotUsed { found: c },
        _ => NotAllowed { found: c },
    })
}

/// Hyphens and dashes people put between groups of a code: ASCII, Unicode and full-width.
pub(super) fn is_separator(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FF0D}')
}

/// The ASCII character a full-width form stands for (`Ａ` → `A`); others unchanged.
pub(super) fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// The character people most likely meant by a letter the code does not use.
fn look_alike(letter: char) -> Option<char> {
    match letter {
        'I' => Some('1'),
        'O' => Some('0'),
        'S' => Some('5'),
        'Z' => Some('2'),
        _ => None,
    }
}

const NOT_USED: &str = "is not used in credit codes (no I, O, S, V, Z)";

impl fmt::Display for CreditCodeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CreditCodeProblem::*;
        match *self {
            Empty => f.write_str("a credit code is required"),
            Length { found: 1 } => f.write_str("1 character: a credit code has 18"),
            Length { found } => write!(f, "{found} characters: a credit code has 18"),
            StemLength { found } => write!(
                f,
                "{found} characters: give the first 16 characters of a credit code"
            ),
            Space => f.write_str("a space; a credit code is written without spaces"),
            Separator { found } => write!(
                f,
                "'{found}' is a separator; a credit code is written without hyphens"
            ),
            FullWidth { found, half } => write!(
                f,
                "'{found}' is a full-width character; codes use half-width characters ('{}')",
                half.to_ascii_uppercase()
            ),
            Lowercase { found } => {
                let upper = found.to_ascii_uppercase();
                write!(
                    f,
                    "'{found}' is lowercase; codes use capital letters ({upper})"
                )?;
                if ALPHABET.contains(upper) {
                    Ok(())
                } else {
                    write!(f, ", and {upper} {NOT_USED}")
                }
            }
            NotUsed { found } => {
                write!(f, "'{found}' {NOT_USED}")?;
                match look_alike(found) {
                    Some(digit) => write!(f, "; did you mean '{digit}'?"),
                    None => Ok(()),
                }
            }
            NotAllowed { found } => write!(
                f,
                "'{found}' is not a credit-code character; codes use digits and capital \
                 letters (no I, O, S, V, Z)"
            ),
            OrganisationCheck { expected, found } => write!(
                f,
                "organisation-code check should be '{expected}', found '{found}'"
            ),
            Check { expected, found } => {
                write!(f, "check character should be '{expected}', found '{found}'")
            }
        }
    }
}

impl fmt::Display for CreditCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(position) => write!(f, "position {position}: {}", self.reason),
            None => self.reason.fmt(f),
        }
    }
}

impl std::error::Error for CreditCodeError {}
