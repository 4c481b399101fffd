//! Licence numbers as printed on certificates (RULES.md §2, §3): their parse and their one
//! written form. Owns the two shapes the bureau issues —
//! - industrial product production licence (工业产品生产许可证管理条例): `XK` + 2-digit
//!   industry + 3-digit product + serial, written `XK06-014-00001`;
//! - special-equipment production licence (特种设备安全法; TSG 07), old style: `TS` + 2-digit
//!   item + 2-digit authority region + serial + `-` + year: `TS2721001-2027`;
//!
//! — either optionally after a province abbreviation in brackets, `（辽）XK06-014-00001`.
//! Which number an item issues next is [`LicenceFormat`](super::LicenceFormat)'s; this module
//! must not decide serial widths or prefixes for an item.
//!
//! **One type for both shapes**: a licence, the register and a case's `LicenceIssued` event
//! each hold "the number", whichever scheme issued it, and imported registers mix them; the
//! shape is a property of the value ([`LicenceNumber::scheme`]), not of the field holding it.
//!
//! **One written form**: the province abbreviation is displayed in full-width brackets
//! `（辽）` — the certificate is Chinese text, whose brackets are full-width (GB/T 15834
//! punctuation usage). ASCII `(辽)`, as in older data, is accepted on input and comes out
//! full-width, so the register holds one spelling per licence, and a lookup that parses what
//! was typed finds it by either. The serial keeps the number of digits it was written with, so
//! any parsed text displays exactly as it came in, brackets aside.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A licence number of either shape; see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LicenceNumber {
    pub(super) province: Option<String>,
    pub(super) scheme: LicenceScheme,
    pub(super) serial: u32,
    pub(super) serial_width: u8,
}

/// Which licence a number belongs to, with the parts other than province and serial.
/// Read out of a [`LicenceNumber`]; numbers are made by parsing or by a format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LicenceScheme {
    /// `XK06-014-…`: industry 06, product 014.
    IndustrialProduct { industry: u8, product: u16 },
    /// `TS2721…-2027`: item 27, authority region 21, year 2027.
    SpecialEquipment { item: u8, region: u8, year: u16 },
}

/// Why a text is not a licence number, or not one of the expected format, or why a format or
/// serial is unusable. Messages name the part and show the expected shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LicenceNumberError {
    #[error("\"{input}\" is not a licence number: {why}")]
    Malformed { input: String, why: String },
    #[error("\"{input}\" does not fit {expected}: {why}")]
    OtherFormat {
        input: String,
        expected: String,
        why: String,
    },
    #[error("{0}")]
    Format(String),
}

/// Serials are 1 to 9 digits wide, so every serial fits a `u32`.
pub(super) const MAX_SERIAL_WIDTH: u8 = 9;

impl LicenceNumber {
    /// The number `text` is: `XK06-014-00001`, `TS2721001-2027`, either after `（辽）` or
    /// `(辽)`. Serials are 1–9 digits and not all zero; the year is four digits.
    pub fn parse(text: &str) -> Result<LicenceNumber, LicenceNumberError> {
        let fail = |why: String| LicenceNumberError::Malformed {
            input: text.to_owned(),
            why,
        };
        if text.chars().any(char::is_whitespace) {
            return Err(fail("licence numbers are written without spaces".into()));
        }
        let (province, rest) = split_province(text).map_err(fail)?;
        let (scheme, serial, serial_width) = if let Some(body) = rest.strip_prefix("XK") {
            parse_industrial(body).map_err(fail)?
        } else if let Some(body) = rest.strip_prefix("TS") {
            parse_special_equipment(body).map_err(fail)?
        } else if rest.starts_with("xk") || rest.starts_with("ts") {
            return Err(fail("write XK or TS in capital letters".into()));
        } else {
            return Err(fail(
                "a licence number starts with XK (industrial products, XK06-014-00001) or TS \
                 (special equipment, TS2721001-2027), after an optional province such as （辽）"
                    .into(),
            ));
        };
        Ok(LicenceNumber {
            province,
            scheme,
            serial,
            serial_width,
        })
    }

    /// The province abbreviation in front (`辽`), without brackets.
    pub fn province(&self) -> Option<&str> {
        self.province.as_deref()
    }

    pub fn scheme(&self) -> LicenceScheme {
        self.scheme
    }

    pub fn serial(&self) -> u32 {
        self.serial
    }

    /// How many digits the serial is written with (`00001`: 5).
    pub fn serial_width(&self) -> u8 {
        self.serial_width
    }
}

/// Checks a province abbreviation: 1–4 Chinese characters (CJK Unified Ideographs), e.g. `辽`.
/// Any such text is allowed so a configured prefix is never refused for not being in a list.
pub(super) fn check_province(abbreviation: &str) -> Result<(), String> {
    let count = abbreviation.chars().count();
    let chinese = abbreviation
        .chars()
        .all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    if (1..=4).contains(&count) && chinese {
        Ok(())
    } else {
        Err(format!(
            "the province abbreviation is 1–4 Chinese characters, e.g. （辽）; \
             found \"{abbreviation}\""
        ))
    }
}

/// The province abbreviation in front, if any, and the rest of the text.
fn split_province(text: &str) -> Result<(Option<String>, &str), String> {
    let Some(inner) = text.strip_prefix(['(', '（']) else {
        if text.starts_with([')', '）']) {
            return Err("a closing bracket without an opening one".into());
        }
        return Ok((None, text));
    };
    let Some(close) = inner.find([')', '）']) else {
        return Err("the bracket around the province abbreviation is not closed".into());
    };
    let abbreviation = &inner[..close];
    check_province(abbreviation)?;
    let rest = &inner[close..];
    let rest = rest.strip_prefix([')', '）']).unwrap_or(rest);
    Ok((Some(abbreviation.to_owned()), rest))
}

type Parsed = (LicenceScheme, u32, u8);

/// `06-014-00001`, the part after `XK`.
fn parse_industrial(body: &str) -> Result<Parsed, String> {
    let parts: Vec<&str> = body.split('-').collect();
    let [industry, product, serial] = parts.as_slice() else {
        return Err(
            "after XK come the industry code, the product code and the serial, \
                    separated by '-': XK06-014-00001"
                .into(),
        );
    };
    let industry = digits(industry, 2)
        .ok_or_else(|| format!("the industry code is two digits (XK06-…), found \"{industry}\""))?;
    let product = digits(product, 3).ok_or_else(|| {
        format!("the product code is three digits (XK06-014-…), found \"{product}\"")
    })?;
    let (serial, width) = parse_serial(serial)?;
    let scheme = LicenceScheme::IndustrialProduct {
        industry: industry as u8,
        product: product as u16,
    };
    Ok((scheme, serial, width))
}

/// `2721001-2027`, the part after `TS`.
fn parse_special_equipment(body: &str) -> Result<Parsed, String> {
    let Some((code, year)) = body.split_once('-') else {
        return Err("a TS number ends in '-' and the year: TS2721001-2027".into());
    };
    if code.len() < 5 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "after TS come the item (2 digits), the authority region (2 digits) and the serial, \
             all digits: TS2721001-…; found \"{code}\""
        ));
    }
    let (serial, width) = parse_serial(&code[4..])?;
    let year = digits(year, 4)
        .filter(|y| *y >= 1000)
        .ok_or_else(|| format!("the year after '-' is four digits (…-2027), found \"{year}\""))?;
    let scheme = LicenceScheme::SpecialEquipment {
        item: digits(&code[..2], 2).unwrap_or_default() as u8,
        region: digits(&code[2..4], 2).unwrap_or_default() as u8,
        year: year as u16,
    };
    Ok((scheme, serial, width))
}

/// A serial of 1–9 digits, not all zero, and the number of digits it was written with.
fn parse_serial(text: &str) -> Result<(u32, u8), String> {
    let width = u8::try_from(text.len()).unwrap_or(u8::MAX);
    match digits(text, text.len()) {
        Some(serial) if serial > 0 && (1..=MAX_SERIAL_WIDTH).contains(&width) => {
            Ok((serial, width))
        }
        _ => Err(format!(
            "the serial is 1–9 digits, not all zero (…-00001), found \"{text}\""
        )),
    }
}

/// The value of exactly `len` ASCII digits (`len` ≤ 9).
fn digits(text: &str, len: usize) -> Option<u32> {
    let ok = text.len() == len && len <= 9 && text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok()).flatten()
}

impl fmt::Display for LicenceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(province) = &self.province {
            write!(f, "（{province}）")?;
        }
        let (serial, width) = (self.serial, usize::from(self.serial_width));
        match self.scheme {
            LicenceScheme::IndustrialProduct { industry, product } => {
                write!(f, "XK{industry:02}-{product:03}-{serial:0width$}")
            }
            LicenceScheme::SpecialEquipment { item, region, year } => {
                write!(f, "TS{item:02}{region:02}{serial:0width$}-{year:04}")
            }
        }
    }
}

impl FromStr for LicenceNumber {
    type Err = LicenceNumberError;

    fn from_str(text: &str) -> Result<LicenceNumber, LicenceNumberError> {
        LicenceNumber::parse(text)
    }
}

impl TryFrom<String> for LicenceNumber {
    type Error = LicenceNumberError;

    fn try_from(text: String) -> Result<LicenceNumber, LicenceNumberError> {
        LicenceNumber::parse(&text)
    }
}

impl From<LicenceNumber> for String {
    fn from(number: LicenceNumber) -> String {
        number.to_string()
    }
}
