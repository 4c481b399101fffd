//! Validated codes of the catalogue. Parsing says exactly what is wrong; past the edge nobody
//! handles a raw string.

use std::fmt;

/// Why a code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CodeError(String);

/// A code of a power, service item or fee: 1–32 of `A–Z 0–9 - .` (`XK-0101-001`). Uppercase only,
/// so a code typed in lowercase is reported rather than silently becoming a second entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CatalogueCode(String);

impl CatalogueCode {
    pub const MAX_LEN: usize = 32;

    pub fn parse(text: &str) -> Result<Self, CodeError> {
        if text.is_empty() {
            return Err(CodeError("a code is required".into()));
        }
        if text.chars().count() > Self::MAX_LEN {
            return Err(CodeError(format!(
                "\"{text}\" is longer than {} characters",
                Self::MAX_LEN
            )));
        }
        if let Some((i, c)) = text.chars().enumerate().find(|(_, c)| {
            !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '-' || *c == '.')
        }) {
            let hint = if c.is_ascii_lowercase() {
                " (codes are uppercase)"
            } else {
                ""
            };
            return Err(CodeError(format!(
                "\"{text}\": character {} ('{c}') is not allowed; use A–Z, 0–9, '-' and '.'{hint}",
                i + 1
            )));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A GB/T 2260 administrative division code: six digits, province in the first two.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DivisionCode(String);

impl DivisionCode {
    pub fn parse(text: &str) -> Result<Self, CodeError> {
        if text.len() != 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeError(format!(
                "\"{text}\" is not a division code (six digits, e.g. 210200)"
            )));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An org's code: its division code, optionally followed by `-` and 1–12 of `A–Z 0–9` for a
/// second org in the same division (institutes): `210200`, `210200-ZJY`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrgCode(String);

impl OrgCode {
    pub fn parse(text: &str) -> Result<Self, CodeError> {
        let (division, suffix) = match text.split_once('-') {
            Some((d, s)) => (d, Some(s)),
            None => (text, None),
        };
        let shape = || {
            CodeError(format!(
                "\"{text}\" is not an org code (a six-digit division code, optionally followed by '-' and 1–12 of A–Z 0–9: 210200 or 210200-ZJY)"
            ))
        };
        DivisionCode::parse(division).map_err(|_| shape())?;
        if let Some(suffix) = suffix {
            let ok = (1..=12).contains(&suffix.len())
                && suffix
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            if !ok {
                return Err(shape());
            }
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The division the org's code starts with.
    pub fn division(&self) -> DivisionCode {
        DivisionCode(self.0[..6].to_owned())
    }
}

macro_rules! display_as_str {
    ($($t:ty),+) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(&self.0) }
        }
    )+};
}
display_as_str!(CatalogueCode, DivisionCode, OrgCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_codes_accept_the_documented_alphabet() {
        assert!(CatalogueCode::parse("XK-0101-001").is_ok());
        assert!(CatalogueCode::parse("A.1").is_ok());
    }

    #[test]
    fn a_lowercase_code_is_refused_with_the_position_and_a_hint() {
        let err = CatalogueCode::parse("XK-01a").unwrap_err().to_string();
        assert!(err.contains("character 6"), "{err}");
        assert!(err.contains("uppercase"), "{err}");
    }

    #[test]
    fn empty_and_overlong_codes_are_refused() {
        assert!(CatalogueCode::parse("").is_err());
        assert!(CatalogueCode::parse(&"A".repeat(33)).is_err());
        assert!(CatalogueCode::parse(&"A".repeat(32)).is_ok());
    }

    #[test]
    fn org_codes_are_a_division_with_an_optional_suffix() {
        assert_eq!(
            OrgCode::parse("210200").unwrap().division().as_str(),
            "210200"
        );
        assert!(OrgCode::parse("210200-ZJY").is_ok());
        assert!(OrgCode::parse("21020").is_err());
        assert!(OrgCode::parse("210200-").is_err());
        assert!(OrgCode::parse("210200-zjy").is_err());
        assert!(OrgCode::parse("210200-ABCDEFGHIJKLM").is_err());
    }
}
