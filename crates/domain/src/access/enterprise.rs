//! An enterprise registered to apply online (申请人 / 企业): identified by its Unified Social Credit
//! Code (GB 32100-2015, RULES.md §8), taken exactly as typed — a wrong code is refused with the
//! position and the reason, and the normalised code offered back when that one is valid. The
//! address is the production address a licence states (RULES.md §2). Must not look anything up:
//! whether the code is already registered is the store's to say.

use jiff::Timestamp;

use crate::catalogue::Problems;
use crate::identifiers::CreditCode;

/// The longest name accepted (the longest registered Chinese names are about 60 characters).
const MAX_NAME: usize = 100;
const MAX_ADDRESS: usize = 200;
const MAX_CONTACT_NAME: usize = 50;

/// A registered enterprise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enterprise {
    pub credit_code: CreditCode,
    pub name: String,
    /// The production (or registered) address.
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub registered_at: Timestamp,
}

/// An enterprise as a person typed it, field by field, before any check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnterpriseDraft {
    pub credit_code: String,
    pub name: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
}

impl Enterprise {
    /// Checks every field of `draft` and names each problem by field (`credit_code`, `name`,
    /// `address`, `contact_name`, `contact_phone`). Text fields are trimmed; the credit code is
    /// not touched.
    pub fn parse(
        draft: &EnterpriseDraft,
        registered_at: Timestamp,
    ) -> Result<Enterprise, Problems> {
        let mut problems = Problems::default();
        let credit_code = problems.check("credit_code", credit_code(&draft.credit_code));
        let name = problems.check("name", text(&draft.name, 2, MAX_NAME));
        let address = problems.check("address", text(&draft.address, 2, MAX_ADDRESS));
        let contact_name = problems.check(
            "contact_name",
            text(&draft.contact_name, 1, MAX_CONTACT_NAME),
        );
        let contact_phone = problems.check("contact_phone", phone(&draft.contact_phone));
        match (credit_code, name, address, contact_name, contact_phone) {
            (
                Some(credit_code),
                Some(name),
                Some(address),
                Some(contact_name),
                Some(contact_phone),
            ) if problems.is_empty() => Ok(Enterprise {
                credit_code,
                name,
                address,
                contact_name,
                contact_phone,
                registered_at,
            }),
            _ => Err(problems),
        }
    }
}

/// The code as typed, or why not — with the normalised code when that one is valid.
fn credit_code(typed: &str) -> Result<CreditCode, String> {
    CreditCode::parse(typed).map_err(|err| match CreditCode::suggest(typed) {
        Some(suggestion) if suggestion != typed => {
            format!("{err}; perhaps you meant {suggestion}")
        }
        _ => err.to_string(),
    })
}

/// A trimmed, required text of `min..=max` characters without control characters.
fn text(typed: &str, min: usize, max: usize) -> Result<String, String> {
    let trimmed = typed.trim();
    let count = trimmed.chars().count();
    if count == 0 {
        Err("is required".into())
    } else if count < min {
        Err(format!("is too short: at least {min} characters"))
    } else if count > max {
        Err(format!("is too long: {count} characters, at most {max}"))
    } else if trimmed.chars().any(char::is_control) {
        Err("holds a control character (a line break or tab); write it on one line".into())
    } else {
        Ok(trimmed.to_owned())
    }
}

/// A phone number as people write them: `0411-84300000`, `13800000000`, `+86 411 8430 0000`.
fn phone(typed: &str) -> Result<String, String> {
    let trimmed = typed.trim();
    if trimmed.is_empty() {
        return Err("is required".into());
    }
    if let Some(bad) = trimmed
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')')))
    {
        return Err(format!(
            "'{bad}' is not part of a phone number; use digits, spaces, '-', '+' and brackets"
        ));
    }
    let digits = trimmed.chars().filter(char::is_ascii_digit).count();
    if !(7..=15).contains(&digits) {
        return Err(format!(
            "has {digits} digits; a phone number has 7 to 15 (e.g. 0411-84300000 or 13800000000)"
        ));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> EnterpriseDraft {
        EnterpriseDraft {
            credit_code: "91110000600037341L".into(),
            name: " 大连海通阀门制造有限公司 ".into(),
            address: "辽宁省大连市甘井子区营城子工业园区1号".into(),
            contact_name: "王海".into(),
            contact_phone: "0411-86601234".into(),
        }
    }

    fn at() -> Timestamp {
        Timestamp::from_second(1_764_000_000).expect("valid")
    }

    fn fields(problems: &Problems) -> Vec<&'static str> {
        problems.0.iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_complete_draft_is_an_enterprise_with_trimmed_text() {
        let e = Enterprise::parse(&draft(), at()).expect("valid");
        assert_eq!(e.credit_code.as_str(), "91110000600037341L");
        assert_eq!(e.name, "大连海通阀门制造有限公司");
        assert_eq!(e.registered_at, at());
    }

    #[test]
    fn a_wrong_code_names_the_position_and_offers_the_normalised_code() {
        let mut d = draft();
        d.credit_code = "91110000600037341l".into();
        let problems = Enterprise::parse(&d, at()).expect_err("lowercase");
        assert_eq!(fields(&problems), ["credit_code"]);
        let message = &problems.0[0].message;
        assert!(
            message.starts_with("position 18: 'l' is lowercase"),
            "{message}"
        );
        assert!(
            message.ends_with("perhaps you meant 91110000600037341L"),
            "{message}"
        );

        d.credit_code = "91110000600037341M".into();
        let problems = Enterprise::parse(&d, at()).expect_err("check");
        let message = &problems.0[0].message;
        assert_eq!(
            message,
            "position 18: check character should be 'L', found 'M'"
        );
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let d = EnterpriseDraft {
            credit_code: String::new(),
            name: "  ".into(),
            address: "x".into(),
            contact_name: "李\n四".into(),
            contact_phone: "0411-8430 转 1".into(),
        };
        let problems = Enterprise::parse(&d, at()).expect_err("all wrong");
        assert_eq!(
            fields(&problems),
            [
                "credit_code",
                "name",
                "address",
                "contact_name",
                "contact_phone"
            ]
        );
        assert_eq!(problems.0[1].message, "is required");
        assert!(problems.0[4].message.starts_with("'转'"));
    }

    #[test]
    fn phone_numbers_need_seven_to_fifteen_digits() {
        assert!(phone("13800000000").is_ok());
        assert!(phone("+86 (411) 8430-0000").is_ok());
        assert!(phone("12345").unwrap_err().contains("5 digits"));
        assert!(phone("1234567890123456").is_err());
    }
}
