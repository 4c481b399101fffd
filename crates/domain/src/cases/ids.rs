//! Who and which: a case's storage id, its human case number (`DL-2026-000123`), and the actor
//! who caused an event — a staff member in a role and org (DESIGN.md "Who uses it"), an
//! applicant's user, or the system (art. 32 deemed acceptance, the warning sweeper). Owns their
//! validation and their text forms; what an actor may do is `decide`'s.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::access::Role;
use crate::catalogue::{OrgCode, Vocabulary};

/// A case's id in the store. The human-facing identifier is its [`CaseNumber`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseId(i64);

impl CaseId {
    pub const fn new(id: i64) -> CaseId {
        CaseId(id)
    }

    pub const fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A case number as printed on vouchers and notices: an optional prefix of 1–8 uppercase
/// letters (the bureau's, e.g. `DL`), the year of submission, and a serial within the year of
/// at least six digits: `DL-2026-000123`, `2026-000123`. One spelling per number: the serial is
/// zero-padded to six digits and has no other leading zeros.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseNumber {
    prefix: Option<String>,
    year: u16,
    serial: u32,
}

/// Why a text is not a [`CaseNumber`]; the message names the part and the expected form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{input}\" is not a case number ({why}); expected e.g. DL-2026-000123")]
pub struct CaseNumberError {
    pub input: String,
    pub why: &'static str,
}

impl CaseNumber {
    /// A number from its parts; `None` when the prefix is not 1–8 of `A–Z`, the year is not
    /// 2000–9999 or the serial is 0.
    pub fn new(prefix: Option<&str>, year: u16, serial: u32) -> Option<CaseNumber> {
        let prefix_ok = prefix.is_none_or(valid_prefix);
        let ok = prefix_ok && (2000..=9999).contains(&year) && serial > 0;
        ok.then(|| CaseNumber {
            prefix: prefix.map(str::to_owned),
            year,
            serial,
        })
    }

    pub fn parse(text: &str) -> Result<CaseNumber, CaseNumberError> {
        let fail = |why| CaseNumberError {
            input: text.to_owned(),
            why,
        };
        let parts: Vec<&str> = text.split('-').collect();
        let (prefix, year, serial) = match parts.as_slice() {
            [year, serial] => (None, *year, *serial),
            [prefix, year, serial] => (Some(*prefix), *year, *serial),
            _ => return Err(fail("two or three parts separated by '-'")),
        };
        if !prefix.is_none_or(valid_prefix) {
            return Err(fail("the prefix is 1–8 uppercase letters A–Z"));
        }
        let year = digits(year, 4, 4)
            .filter(|y| *y >= 2000)
            .ok_or_else(|| fail("the year is four digits from 2000"))?;
        let serial = digits(serial, 6, 10)
            .and_then(|s| u32::try_from(s).ok())
            .filter(|s| *s > 0 && (serial.len() == 6 || !serial.starts_with('0')))
            .ok_or_else(|| fail("the serial is 6 or more digits, zero-padded to six, not 0"))?;
        let year = u16::try_from(year).map_err(|_| fail("the year is four digits from 2000"))?;
        Ok(CaseNumber {
            prefix: prefix.map(str::to_owned),
            year,
            serial,
        })
    }

    pub fn prefix(&self) -> Option<&str> {
        self.prefix.as_deref()
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    pub fn serial(&self) -> u32 {
        self.serial
    }
}

fn valid_prefix(prefix: &str) -> bool {
    (1..=8).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_uppercase())
}

/// The value of `min`–`max` ASCII digits.
fn digits(text: &str, min: usize, max: usize) -> Option<u64> {
    let ok = (min..=max).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok()).flatten()
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(prefix) = &self.prefix {
            write!(f, "{prefix}-")?;
        }
        write!(f, "{}-{:06}", self.year, self.serial)
    }
}

impl FromStr for CaseNumber {
    type Err = CaseNumberError;

    fn from_str(text: &str) -> Result<CaseNumber, CaseNumberError> {
        CaseNumber::parse(text)
    }
}

impl TryFrom<String> for CaseNumber {
    type Error = CaseNumberError;

    fn try_from(text: String) -> Result<CaseNumber, CaseNumberError> {
        CaseNumber::parse(&text)
    }
}

impl From<CaseNumber> for String {
    fn from(number: CaseNumber) -> String {
        number.to_string()
    }
}

/// In what capacity someone acts on a case. Written as one word: a staff role's key
/// (`window_clerk`, `reviewer` …), `applicant` or `system`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ActorRole {
    Staff(Role),
    /// A user of the applicant enterprise (or its agent); acts for the case's applicant only.
    Applicant,
    /// onewindow itself, for the rules that fire by themselves (art. 32 deemed acceptance,
    /// warnings).
    System,
}

impl ActorRole {
    pub fn key(self) -> &'static str {
        match self {
            ActorRole::Staff(role) => role.key(),
            ActorRole::Applicant => "applicant",
            ActorRole::System => "system",
        }
    }

    pub fn parse(text: &str) -> Option<ActorRole> {
        match text {
            "applicant" => Some(ActorRole::Applicant),
            "system" => Some(ActorRole::System),
            _ => Role::parse_key(text).map(ActorRole::Staff),
        }
    }
}

impl fmt::Display for ActorRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl TryFrom<String> for ActorRole {
    type Error = String;

    fn try_from(text: String) -> Result<ActorRole, String> {
        ActorRole::parse(&text).ok_or_else(|| format!("{text:?} is not a role"))
    }
}

impl From<ActorRole> for String {
    fn from(role: ActorRole) -> String {
        role.key().to_owned()
    }
}

/// Who caused an event: the user's sign-in name, the capacity, and for staff the org they act
/// for. Applicants act for the case's enterprise and the system for the handling org, so
/// neither carries an org.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ActorRef {
    pub user: String,
    pub role: ActorRole,
    #[serde(with = "org_text")]
    pub org: Option<OrgCode>,
}

impl ActorRef {
    /// The sign-in name of the system actor.
    pub const SYSTEM_USER: &'static str = "system";

    pub fn staff(user: impl Into<String>, role: Role, org: OrgCode) -> ActorRef {
        ActorRef {
            user: user.into(),
            role: ActorRole::Staff(role),
            org: Some(org),
        }
    }

    pub fn applicant(user: impl Into<String>) -> ActorRef {
        ActorRef {
            user: user.into(),
            role: ActorRole::Applicant,
            org: None,
        }
    }

    pub fn system() -> ActorRef {
        ActorRef {
            user: ActorRef::SYSTEM_USER.to_owned(),
            role: ActorRole::System,
            org: None,
        }
    }

    /// What is wrong with the actor itself, if anything: a blank name, staff without an org,
    /// an org on an applicant or the system.
    pub fn problem(&self) -> Option<&'static str> {
        match (self.role, &self.org) {
            _ if self.user.trim().is_empty() => Some("the actor has no user name"),
            (ActorRole::Staff(_), None) => Some("a staff member acts for an org; none was given"),
            (ActorRole::Applicant | ActorRole::System, Some(_)) => {
                Some("only staff act for an org")
            }
            _ => None,
        }
    }
}

/// `OrgCode` has no serde of its own: it is written as its code and parsed back strictly.
mod org_text {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::catalogue::OrgCode;

    pub fn serialize<S: Serializer>(org: &Option<OrgCode>, s: S) -> Result<S::Ok, S::Error> {
        match org {
            Some(org) => s.serialize_some(org.as_str()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OrgCode>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|text| OrgCode::parse(&text).map_err(D::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers_have_one_spelling() {
        let number = CaseNumber::parse("DL-2026-000123").expect("valid");
        assert_eq!(
            (number.prefix(), number.year(), number.serial()),
            (Some("DL"), 2026, 123)
        );
        assert_eq!(number.to_string(), "DL-2026-000123");
        assert_eq!(
            CaseNumber::parse("2026-1234567").unwrap().to_string(),
            "2026-1234567"
        );
        for bad in [
            "DL-2026-123",
            "dl-2026-000123",
            "DL-26-000123",
            "DL-2026-0001234",
            "DL-2026-000000",
            "DL2026000123",
            "DL-2026-000123-1",
            "",
        ] {
            assert!(CaseNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn roles_are_written_as_one_word_and_read_back() {
        for role in [
            ActorRole::Applicant,
            ActorRole::System,
            ActorRole::Staff(Role::WindowClerk),
        ] {
            assert_eq!(ActorRole::parse(role.key()), Some(role));
        }
        assert_eq!(ActorRole::parse("clerk"), None);
    }
}
