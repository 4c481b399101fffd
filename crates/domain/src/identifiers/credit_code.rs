//! The Unified Social Credit Code (统一社会信用代码, GB 32100-2015; RULES.md §8) of an applicant
//! or an issuing organ: its parse, its two checks and its parts. Input is taken exactly — the
//! form may offer [`CreditCode::suggest`] back, but nothing here silently rewrites what was
//! typed. Must not judge the division code (positions 3–8): old and registration-office codes
//! (Dalian's 210231, 210242) are in real use.
//!
//! Layout, positions counted from 1:
//! - 1: registration authority (`9` market regulation, `5` civil affairs, `1` establishment
//!   office, `N` agriculture, `Y` other …) — any code character;
//! - 2: organisation category within that authority;
//! - 3–8: administrative division code (GB/T 2260), not validated;
//! - 9–17: the organisation code (GB 11714), position 17 being its own check: values on the
//!   36 scale (`0–9`, `A`=10 … `Z`=35), weights 3, 7, 9, 10, 5, 8, 4, 2, C = 11 − (Σ mod 11),
//!   written 1–9, `X` for 10, `0` for 11;
//! - 18: the check character: with S = Σ value(cᵢ)·wᵢ over positions 1–17, values being places
//!   in [`ALPHABET`] and wᵢ = 3^(i−1) mod 31, it is the character of value (31 − S mod 31) mod 31.
//!
//! What the MOD 31 check guarantees: 31 is prime, every weight is non-zero and two values
//! differ by at most 30, so *every* change of one character into another code character is
//! caught. Position 18 acts as weight 1 in the verifying sum (S + value(c₁₈) ≡ 0 mod 31); the
//! weights 3⁰ … 3¹⁶ are distinct (3 has order 30 mod 31), so swapping any two different
//! characters is caught too — except between positions 1 and 18, which both weigh 1.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::credit_code_error::{
    CreditCodeError, CreditCodeProblem, character_problem, half_width, is_separator,
};

/// The 31 code characters of GB 32100; a character's value is its place here. No I, O, S, V, Z.
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// wᵢ = 3^(i−1) mod 31 for positions 1–17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// GB 11714 weights for the eight body characters of the organisation code.
const ORGANISATION_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// A valid Unified Social Credit Code, e.g. `91110000600037341L`. Built only by
/// [`CreditCode::parse`] (or [`CreditCode::complete`]), so both checks hold. Serialises as its
/// 18 characters.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode([u8; CreditCode::LEN]);

impl CreditCode {
    pub const LEN: usize = 18;

    /// The code `text` is, taken exactly: no trimming, no case folding, no width folding.
    /// The error names the first offending position and why; a wrong length is only reported
    /// when every character is acceptable, and the organisation-code check (17) before the
    /// main check (18) — when both fail, the fault lies in positions 9–17.
    pub fn parse(text: &str) -> Result<CreditCode, CreditCodeError> {
        let bytes = code_characters(text)?;
        let code: [u8; Self::LEN] = bytes.as_slice().try_into().map_err(|_| {
            CreditCodeError::whole(CreditCodeProblem::Length { found: bytes.len() })
        })?;
        let found = char::from(code[16]);
        let expected = organisation_check(&code[8..16]);
        if found != expected {
            let problem = CreditCodeProblem::OrganisationCheck { expected, found };
            return Err(CreditCodeError::at(17, problem));
        }
        let found = char::from(code[17]);
        let expected = check_character(&code[..17]);
        if found != expected {
            return Err(CreditCodeError::at(
                18,
                CreditCodeProblem::Check { expected, found },
            ));
        }
        Ok(CreditCode(code))
    }

    /// The code whose first 16 characters are `stem`, with both check characters computed —
    /// for seed data and fixtures, never for what a person typed.
    pub fn complete(stem: &str) -> Result<CreditCode, CreditCodeError> {
        let mut bytes = code_characters(stem)?;
        if bytes.len() != 16 {
            let problem = CreditCodeProblem::StemLength { found: bytes.len() };
            return Err(CreditCodeError::whole(problem));
        }
        bytes.push(organisation_check(&bytes[8..16]) as u8);
        bytes.push(check_character(&bytes) as u8);
        let text = String::from_utf8_lossy(&bytes);
        CreditCode::parse(&text)
    }

    /// What a form may offer back for `text`: the code with surrounding and inner spaces and
    /// hyphens removed, full-width characters made half-width and letters made capital — if
    /// *that* is a valid code. `Some` also when `text` was valid as typed; the caller compares.
    pub fn suggest(text: &str) -> Option<String> {
        let normalised: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && !is_separator(*c))
            .map(|c| half_width(c).to_ascii_uppercase())
            .collect();
        CreditCode::parse(&normalised)
            .ok()
            .map(|code| code.to_string())
    }

    pub fn as_str(&self) -> &str {
        // Every byte is one of ALPHABET's, so this is ASCII.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// Position 1: the registration authority's code (`9`, `5`, `1`, `N`, `Y` …).
    pub fn registration_authority(&self) -> char {
        char::from(self.0[0])
    }

    /// Position 2: the organisation category within that authority (`1` enterprise under `9` …).
    pub fn category(&self) -> char {
        char::from(self.0[1])
    }

    /// Positions 3–8: the division code as registered. Not validated and not necessarily
    /// current (210231, 210242, the old 210282 all occur).
    pub fn division_code(&self) -> &str {
        &self.as_str()[2..8]
    }

    /// Positions 9–17: the GB 11714 organisation code, its check character last.
    pub fn organisation_code(&self) -> &str {
        &self.as_str()[8..17]
    }
}

/// The bytes of `text` when every character is a code character; otherwise the first one
/// that is not, with its 1-based position.
fn code_characters(text: &str) -> Result<Vec<u8>, CreditCodeError> {
    if text.is_empty() {
        return Err(CreditCodeError::whole(CreditCodeProblem::Empty));
    }
    text.chars()
        .enumerate()
        .map(|(i, c)| match character_problem(c) {
            None => Ok(c as u8),
            Some(problem) => Err(CreditCodeError::at(i + 1, problem)),
        })
        .collect()
}

/// The value of a code character: its place in [`ALPHABET`].
fn value(byte: u8) -> u32 {
    ALPHABET.bytes().position(|a| a == byte).unwrap_or_default() as u32
}

/// The check character (position 18) for positions 1–17.
fn check_character(first_seventeen: &[u8]) -> char {
    let sum: u32 = first_seventeen
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| value(*b) * w)
        .sum();
    let check = (31 - sum % 31) % 31;
    char::from(ALPHABET.as_bytes()[check as usize])
}

/// The GB 11714 check character (position 17) for the organisation-code body (9–16).
fn organisation_check(body: &[u8]) -> char {
    let sum: u32 = body
        .iter()
        .zip(ORGANISATION_WEIGHTS)
        .map(|(b, w)| char::from(*b).to_digit(36).unwrap_or_default() * w)
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        c => char::from_digit(c, 10).unwrap_or('?'),
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CreditCode({})", self.as_str())
    }
}

impl FromStr for CreditCode {
    type Err = CreditCodeError;

    fn from_str(text: &str) -> Result<CreditCode, CreditCodeError> {
        CreditCode::parse(text)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;

    fn try_from(text: String) -> Result<CreditCode, CreditCodeError> {
        CreditCode::parse(&text)
    }
}

impl From<CreditCode> for String {
    fn from(code: CreditCode) -> String {
        code.as_str().to_owned()
    }
}
