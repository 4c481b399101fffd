//! The electronic licence identifier (电子证照标识, GB/T 36904 as seen in public
//! implementations; RULES.md §8, optional): its parse, its parts and its check. Must not decide
//! type codes or serials — those are configuration and the licences layer's.
//!
//! Written `1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>`:
//! - `1.2.156.3005.2`: the fixed root (the electronic-licence OID arc);
//! - type code: the licence type's code, 1–32 of `0–9 A–Z` (in practice the defining
//!   authority's credit code and a 3-digit number, `11100000000013338W011`);
//! - issuer code: the issuing organ's Unified Social Credit Code, both its checks holding;
//! - serial: 1–64 of `0–9 A–Z` (public systems use dates with counters, 20 random characters,
//!   or a 32-character UUID without hyphens);
//! - version: three digits, `001` for the first;
//! - check: one character of `0–9 A–Z`, ISO/IEC 7064 MOD 37,36 over **type code ‖ issuer code
//!   ‖ serial ‖ version — the four parts concatenated without their dots and without the root**.
//!   This is what public implementations compute (their `licenseTypeCode + issueUnit +
//!   serialNumber + version`), and it reproduces published identifiers such as
//!   `1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U`.
//!
//! Leaving the dots out does not make two identifiers share one check input unnoticed: the
//! issuer code (18) and the version (3) have fixed lengths, so moving a dot is a malformed
//! identifier, not a different valid one.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::credit_code::CreditCode;
use super::credit_code_error::CreditCodeError;
use super::iso7064::mod_37_36_check_character;

/// A valid electronic licence identifier; see the module documentation. Serialises as text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ElectronicLicenceId {
    type_code: String,
    issuer: CreditCode,
    serial: String,
    version: u16,
    check: char,
}

/// Why a text or a set of parts is not an electronic licence identifier, naming the part.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ElectronicLicenceIdError {
    #[error("an electronic licence identifier starts with 1.2.156.3005.2.")]
    Root,
    #[error(
        "after the root come five parts separated by '.' (type code, issuer code, serial, \
         version, check); found {found}"
    )]
    Parts { found: usize },
    #[error("the type code is 1–32 digits and capital letters, found \"{0}\"")]
    TypeCode(String),
    #[error("the issuer code: {0}")]
    Issuer(CreditCodeError),
    #[error("the serial is 1–64 digits and capital letters, found \"{0}\"")]
    Serial(String),
    #[error("the version is three digits (001), found \"{0}\"")]
    Version(String),
    #[error("the check character should be '{expected}', found \"{found}\"")]
    Check { expected: char, found: String },
}

impl ElectronicLicenceId {
    /// The fixed root all identifiers start with.
    pub const ROOT: &str = "1.2.156.3005.2";

    /// The identifier of these parts, its check computed. `version` is 0–999 (`001` is 1).
    pub fn new(
        type_code: &str,
        issuer: &CreditCode,
        serial: &str,
        version: u16,
    ) -> Result<ElectronicLicenceId, ElectronicLicenceIdError> {
        if !is_code(type_code, 32) {
            return Err(ElectronicLicenceIdError::TypeCode(type_code.to_owned()));
        }
        if !is_code(serial, 64) {
            return Err(ElectronicLicenceIdError::Serial(serial.to_owned()));
        }
        if version > 999 {
            return Err(ElectronicLicenceIdError::Version(version.to_string()));
        }
        let data = check_input(type_code, issuer, serial, version);
        // Every part is 0–9 A–Z, so a check character exists.
        let check = mod_37_36_check_character(&data).unwrap_or('?');
        Ok(ElectronicLicenceId {
            type_code: type_code.to_owned(),
            issuer: *issuer,
            serial: serial.to_owned(),
            version,
            check,
        })
    }

    /// The identifier `text` is, taken exactly (capital letters only, no spaces).
    pub fn parse(text: &str) -> Result<ElectronicLicenceId, ElectronicLicenceIdError> {
        let rest = text
            .strip_prefix(Self::ROOT)
            .and_then(|rest| rest.strip_prefix('.'))
            .ok_or(ElectronicLicenceIdError::Root)?;
        let parts: Vec<&str> = rest.split('.').collect();
        let [type_code, issuer, serial, version, check] = parts.as_slice() else {
            return Err(ElectronicLicenceIdError::Parts { found: parts.len() });
        };
        // Part by part from the left, so the first faulty part is the one reported.
        if !is_code(type_code, 32) {
            return Err(ElectronicLicenceIdError::TypeCode((*type_code).to_owned()));
        }
        let issuer = CreditCode::parse(issuer).map_err(ElectronicLicenceIdError::Issuer)?;
        if !is_code(serial, 64) {
            return Err(ElectronicLicenceIdError::Serial((*serial).to_owned()));
        }
        let version_value = (version.len() == 3 && version.bytes().all(|b| b.is_ascii_digit()))
            .then(|| version.parse::<u16>().ok())
            .flatten()
            .ok_or_else(|| ElectronicLicenceIdError::Version((*version).to_owned()))?;
        let id = ElectronicLicenceId::new(type_code, &issuer, serial, version_value)?;
        if check.chars().eq([id.check]) {
            Ok(id)
        } else {
            Err(ElectronicLicenceIdError::Check {
                expected: id.check,
                found: (*check).to_owned(),
            })
        }
    }

    pub fn type_code(&self) -> &str {
        &self.type_code
    }

    pub fn issuer(&self) -> &CreditCode {
        &self.issuer
    }

    pub fn serial(&self) -> &str {
        &self.serial
    }

    pub fn version(&self) -> u16 {
        self.version
    }

    pub fn check(&self) -> char {
        self.check
    }
}

/// 1 to `max` characters of `0–9 A–Z`.
fn is_code(text: &str, max: usize) -> bool {
    (1..=max).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

/// The text the check is computed over: type code ‖ issuer ‖ serial ‖ version, no dots.
fn check_input(type_code: &str, issuer: &CreditCode, serial: &str, version: u16) -> String {
    format!("{type_code}{issuer}{serial}{version:03}")
}

impl fmt::Display for ElectronicLicenceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}.{}.{:03}.{}",
            Self::ROOT,
            self.type_code,
            self.issuer,
            self.serial,
            self.version,
            self.check
        )
    }
}

impl FromStr for ElectronicLicenceId {
    type Err = ElectronicLicenceIdError;

    fn from_str(text: &str) -> Result<ElectronicLicenceId, ElectronicLicenceIdError> {
        ElectronicLicenceId::parse(text)
    }
}

impl TryFrom<String> for ElectronicLicenceId {
    type Error = ElectronicLicenceIdError;

    fn try_from(text: String) -> Result<ElectronicLicenceId, ElectronicLicenceIdError> {
        ElectronicLicenceId::parse(&text)
    }
}

impl From<ElectronicLicenceId> for String {
    fn from(id: ElectronicLicenceId) -> String {
        id.to_string()
    }
}
