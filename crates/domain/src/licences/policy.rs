//! The licence policy: per licence type, how long a licence is valid and how its numbers look
//! (RULES.md §2: industrial product licences 5 years, `（辽）XK06-014-00001`; §3: special-equipment
//! licences 4 years, `TS2721001-2030` — both "configurable"), and per service item the codes its
//! numbers carry (an XK number's industry and product, a TS number's item and authority region).
//! Data an administrator keeps, stored as JSON; checked whole whenever it is read or replaced.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{LicenceNumbering, LicenceType};
use crate::catalogue::Vocabulary;
use crate::identifiers::{CreditCode, LicenceFormat, LicenceNumberError, SpecialEquipmentFormat};

/// How the licences of one type are numbered and how long they last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeRule {
    /// Whole years from the issue date; the licence is valid through the day before the
    /// anniversary.
    pub validity_years: u8,
    /// The province abbreviation printed in front of the number (`辽`), if any.
    #[serde(default)]
    pub province: Option<String>,
    /// Digits of the serial.
    pub serial_width: u8,
    /// How many months before expiry the holder applies for renewal (an applicant-side limit,
    /// RULES.md §1): 工业产品生产许可证管理条例 第二十四条 and TSG 07 both say 6 months, where
    /// art. 50 ¶1 alone would say 30 days. Also when the renewal reminder goes out.
    #[serde(default = "default_renewal_lead_months")]
    pub renewal_lead_months: u8,
    /// The type code of this type's electronic licence identifiers (RULES.md §8), e.g.
    /// `11100000000013338W011`; none: its certificates carry no identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub electronic_type_code: Option<String>,
}

fn default_renewal_lead_months() -> u8 {
    6
}

/// The codes a service item's numbers carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ItemCodes {
    /// `XK{industry:02}-{product:03}-…`
    IndustrialProduct { industry: u8, product: u16 },
    /// `TS{item:02}{region:02}…-YYYY`
    SpecialEquipment { item: u8, region: u8 },
}

impl ItemCodes {
    pub fn licence_type(self) -> LicenceType {
        match self {
            ItemCodes::IndustrialProduct { .. } => LicenceType::IndustrialProduct,
            ItemCodes::SpecialEquipment { .. } => LicenceType::SpecialEquipment,
        }
    }
}

/// Validity and numbering of every licence type, and the codes of each issuing item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicencePolicy {
    pub industrial_product: TypeRule,
    pub special_equipment: TypeRule,
    /// Service item code → the codes its numbers carry.
    #[serde(default)]
    pub items: BTreeMap<String, ItemCodes>,
    /// The issuing organ's credit code in electronic licence identifiers (RULES.md §8,
    /// optional); with a type's `electronic_type_code`, that type's certificates carry one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub electronic_issuer: Option<CreditCode>,
}

/// Why the policy cannot number or date a licence, or cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error(
        "item {item} has no licence number codes in the licence policy: an administrator adds its \
         {needed}"
    )]
    NoCodes { item: String, needed: &'static str },
    #[error("item {item} issues {configured} licences in the licence policy, not {asked}")]
    WrongType {
        item: String,
        configured: &'static str,
        asked: &'static str,
    },
    #[error("{what}: {why}")]
    Invalid { what: String, why: String },
}

impl Default for LicencePolicy {
    /// RULES.md's values: XK 5 years with the Liaoning prefix and 5-digit serials; TS 4 years,
    /// no prefix (the region code says where), 3-digit serials; no item codes yet, no electronic identifiers.
    fn default() -> Self {
        LicencePolicy {
            industrial_product: TypeRule {
                validity_years: 5,
                province: Some("辽".into()),
                serial_width: LicenceFormat::DEFAULT_SERIAL_WIDTH,
                renewal_lead_months: default_renewal_lead_months(),
                electronic_type_code: None,
            },
            special_equipment: TypeRule {
                validity_years: 4,
                province: None,
                serial_width: SpecialEquipmentFormat::DEFAULT_SERIAL_WIDTH,
                renewal_lead_months: default_renewal_lead_months(),
                electronic_type_code: None,
            },
            items: BTreeMap::new(),
            electronic_issuer: None,
        }
    }
}

impl LicencePolicy {
    pub fn rule(&self, licence_type: LicenceType) -> &TypeRule {
        match licence_type {
            LicenceType::IndustrialProduct => &self.industrial_product,
            LicenceType::SpecialEquipment => &self.special_equipment,
        }
    }

    /// The last day of validity of a licence issued on `issued_on`: the day before the
    /// `validity_years`-th anniversary (issued 2026-05-03, 5 years: valid until 2031-05-02).
    pub fn valid_until(
        &self,
        licence_type: LicenceType,
        issued_on: Date,
    ) -> Result<Date, PolicyError> {
        let years = i16::from(self.rule(licence_type).validity_years);
        issued_on
            .checked_add(jiff::Span::new().years(years))
            .and_then(|d| d.yesterday())
            .map_err(|e| PolicyError::Invalid {
                what: "issued_on".into(),
                why: format!("{issued_on} plus {years} years is not a date: {e}"),
            })
    }

    /// The last day to apply for the renewal of a licence of `licence_type` valid until
    /// `valid_until` in time (art. 50 ¶1 with the type's lead): `renewal_lead_months` before
    /// it. `None` only for dates at the edge of the calendar.
    pub fn renewal_due_by(&self, licence_type: LicenceType, valid_until: Date) -> Option<Date> {
        let months = i64::from(self.rule(licence_type).renewal_lead_months);
        valid_until
            .checked_sub(jiff::Span::new().months(months))
            .ok()
    }

    /// The new last day of validity of a licence renewed from `valid_until`: the type's
    /// validity counted on from the old expiry, so no day is lost or doubled.
    pub fn renewed_until(
        &self,
        licence_type: LicenceType,
        valid_until: Date,
    ) -> Result<Date, PolicyError> {
        let next_day = valid_until.tomorrow().map_err(|e| PolicyError::Invalid {
            what: "valid_until".into(),
            why: format!("{valid_until} has no next day: {e}"),
        })?;
        self.valid_until(licence_type, next_day)
    }

    /// How the next licence of `item` is numbered, for a licence valid until `valid_until`.
    pub fn numbering(
        &self,
        licence_type: LicenceType,
        item: &str,
        valid_until: Date,
    ) -> Result<LicenceNumbering, PolicyError> {
        let asked = Vocabulary::key(licence_type);
        let codes = self.items.get(item).ok_or(PolicyError::NoCodes {
            item: item.to_owned(),
            needed: match licence_type {
                LicenceType::IndustrialProduct => "industry and product codes (XK##-###)",
                LicenceType::SpecialEquipment => "item and region codes (TS####)",
            },
        })?;
        if codes.licence_type() != licence_type {
            return Err(PolicyError::WrongType {
                item: item.to_owned(),
                configured: Vocabulary::key(codes.licence_type()),
                asked,
            });
        }
        let year = u16::try_from(valid_until.year()).map_err(|_| PolicyError::Invalid {
            what: "valid_until".into(),
            why: format!("{valid_until} has no four-digit year"),
        })?;
        build(self.rule(licence_type), *codes, year).map_err(|e| PolicyError::Invalid {
            what: format!("the numbering of item {item}"),
            why: e.to_string(),
        })
    }

    /// Every problem that would stop the policy from numbering or dating a licence, so a bad
    /// policy is refused when it is saved rather than when a licence is issued.
    pub fn check(&self) -> Result<(), PolicyError> {
        for licence_type in <LicenceType as Vocabulary>::ALL {
            let rule = self.rule(*licence_type);
            if !(1..=50).contains(&rule.validity_years) {
                return Err(PolicyError::Invalid {
                    what: format!("validity_years of {}", Vocabulary::key(*licence_type)),
                    why: format!("{} is not 1–50 years", rule.validity_years),
                });
            }
        }
        let samples = [
            ItemCodes::IndustrialProduct {
                industry: 0,
                product: 0,
            },
            ItemCodes::SpecialEquipment { item: 0, region: 0 },
        ];
        for codes in samples {
            let licence_type = codes.licence_type();
            build(self.rule(licence_type), codes, 2030).map_err(|e| PolicyError::Invalid {
                what: format!("the rule of {}", Vocabulary::key(licence_type)),
                why: e.to_string(),
            })?;
        }
        self.check_electronic_id()?;
        let sample = Date::constant(2030, 1, 1);
        for (item, codes) in &self.items {
            self.numbering(codes.licence_type(), item, sample)?;
        }
        Ok(())
    }
}

/// The numbering a rule and an item's codes make, for a licence whose number carries `year`.
fn build(
    rule: &TypeRule,
    codes: ItemCodes,
    year: u16,
) -> Result<LicenceNumbering, LicenceNumberError> {
    let province = rule.province.as_deref();
    match codes {
        ItemCodes::IndustrialProduct { industry, product } => {
            let mut format =
                LicenceFormat::new(industry, product)?.with_serial_width(rule.serial_width)?;
            if let Some(p) = province {
                format = format.with_province(p)?;
            }
            Ok(LicenceNumbering::IndustrialProduct(format))
        }
        ItemCodes::SpecialEquipment { item, region } => {
            let mut format =
                SpecialEquipmentFormat::new(item, region)?.with_serial_width(rule.serial_width)?;
            if let Some(p) = province {
                format = format.with_province(p)?;
            }
            Ok(LicenceNumbering::SpecialEquipment { format, year })
        }
    }
}
