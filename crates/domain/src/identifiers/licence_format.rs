//! How a service item numbers the licences it issues (RULES.md §2, §3: "number format:
//! configurable"): the fixed parts, the province abbreviation in front and the serial width.
//! Owns making the next number from a serial and checking that a number is one of the item's.
//! Must not choose serials — the licences layer keeps the counter.
//!
//! Two format types, one per licence shape, because their inputs differ: an industrial product
//! number is fixed parts plus a serial, a special-equipment number also carries a year that
//! belongs to the licence, not to the item. Both produce the one [`LicenceNumber`].

use std::fmt;

use serde::{Deserialize, Serialize};

mod fields;

use fields::{LicenceFormatFields, SpecialEquipmentFormatFields};

use super::licence_number::{
    LicenceNumber, LicenceNumberError, LicenceScheme, MAX_SERIAL_WIDTH, check_province,
};

/// The numbering of an industrial product production licence item: `XK`, industry, product
/// and a serial of `serial_width` digits (5 unless configured), optionally after a province
/// abbreviation. Displays as a pattern, `（辽）XK06-014-NNNNN`. Serialises as its fields
/// (`{"province": "辽", "industry": 6, "product": 14, "serial_width": 5}`), checked on the way in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "LicenceFormatFields", into = "LicenceFormatFields")]
pub struct LicenceFormat {
    province: Option<String>,
    industry: u8,
    product: u16,
    serial_width: u8,
}

impl LicenceFormat {
    pub const DEFAULT_SERIAL_WIDTH: u8 = 5;

    /// Industry `00–99`, product `000–999`, no province, 5-digit serials.
    pub fn new(industry: u8, product: u16) -> Result<LicenceFormat, LicenceNumberError> {
        if industry > 99 || product > 999 {
            return Err(LicenceNumberError::Format(format!(
                "an XK format has a two-digit industry and a three-digit product code, \
                 not {industry} and {product}"
            )));
        }
        Ok(LicenceFormat {
            province: None,
            industry,
            product,
            serial_width: Self::DEFAULT_SERIAL_WIDTH,
        })
    }

    /// The same format with `（abbreviation）` in front: 1–4 Chinese characters, e.g. `辽`.
    pub fn with_province(mut self, abbreviation: &str) -> Result<Self, LicenceNumberError> {
        check_province(abbreviation).map_err(LicenceNumberError::Format)?;
        self.province = Some(abbreviation.to_owned());
        Ok(self)
    }

    /// The same format with serials of `width` digits, 1–9.
    pub fn with_serial_width(mut self, width: u8) -> Result<Self, LicenceNumberError> {
        self.serial_width = check_width(width)?;
        Ok(self)
    }

    /// The number with `serial`, which must be 1 to [`Self::max_serial`].
    pub fn format(&self, serial: u32) -> Result<LicenceNumber, LicenceNumberError> {
        check_serial(serial, self.serial_width)?;
        Ok(LicenceNumber {
            province: self.province.clone(),
            scheme: LicenceScheme::IndustrialProduct {
                industry: self.industry,
                product: self.product,
            },
            serial,
            serial_width: self.serial_width,
        })
    }

    /// `text` as a number of this format: any licence number that is not is refused with
    /// the part that differs.
    pub fn parse(&self, text: &str) -> Result<LicenceNumber, LicenceNumberError> {
        let number = LicenceNumber::parse(text)?;
        let scheme = match number.scheme {
            LicenceScheme::IndustrialProduct { industry, product }
                if (industry, product) != (self.industry, self.product) =>
            {
                Some(format!(
                    "its industry and product are {industry:02}-{product:03}, this item's are \
                     {:02}-{:03}",
                    self.industry, self.product
                ))
            }
            LicenceScheme::IndustrialProduct { .. } => None,
            LicenceScheme::SpecialEquipment { .. } => {
                Some("it is a special-equipment (TS) number".to_owned())
            }
        };
        fit(
            text,
            self,
            &number,
            &self.province,
            self.serial_width,
            scheme,
        )
    }

    pub fn province(&self) -> Option<&str> {
        self.province.as_deref()
    }

    pub fn industry(&self) -> u8 {
        self.industry
    }

    pub fn product(&self) -> u16 {
        self.product
    }

    pub fn serial_width(&self) -> u8 {
        self.serial_width
    }

    /// The largest serial the width holds (99999 for 5 digits).
    pub fn max_serial(&self) -> u32 {
        max_serial(self.serial_width)
    }
}

/// The numbering of a special-equipment production licence item, old style: `TS` + item +
/// authority region + a serial of `serial_width` digits (3 unless configured), then `-` and the
/// licence's year, optionally after a province abbreviation. Displays as a pattern,
/// `TS2721NNN-YYYY`; serialises as its fields like [`LicenceFormat`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    try_from = "SpecialEquipmentFormatFields",
    into = "SpecialEquipmentFormatFields"
)]
pub struct SpecialEquipmentFormat {
    province: Option<String>,
    item: u8,
    region: u8,
    serial_width: u8,
}

impl SpecialEquipmentFormat {
    pub const DEFAULT_SERIAL_WIDTH: u8 = 3;

    /// Item `00–99`, authority region `00–99` (e.g. 21, Liaoning), no province, 3-digit serials.
    pub fn new(item: u8, region: u8) -> Result<SpecialEquipmentFormat, LicenceNumberError> {
        if item > 99 || region > 99 {
            return Err(LicenceNumberError::Format(format!(
                "a TS format has a two-digit item and a two-digit region code, not {item} and \
                 {region}"
            )));
        }
        Ok(SpecialEquipmentFormat {
            province: None,
            item,
            region,
            serial_width: Self::DEFAULT_SERIAL_WIDTH,
        })
    }

    /// The same format with `（abbreviation）` in front: 1–4 Chinese characters.
    pub fn with_province(mut self, abbreviation: &str) -> Result<Self, LicenceNumberError> {
        check_province(abbreviation).map_err(LicenceNumberError::Format)?;
        self.province = Some(abbreviation.to_owned());
        Ok(self)
    }

    /// The same format with serials of `width` digits, 1–9.
    pub fn with_serial_width(mut self, width: u8) -> Result<Self, LicenceNumberError> {
        self.serial_width = check_width(width)?;
        Ok(self)
    }

    /// The number with `serial` (1 to [`Self::max_serial`]) and `year` (1000–9999).
    pub fn format(&self, serial: u32, year: u16) -> Result<LicenceNumber, LicenceNumberError> {
        check_serial(serial, self.serial_width)?;
        if !(1000..=9999).contains(&year) {
            return Err(LicenceNumberError::Format(format!(
                "the year of a TS number is four digits, not {year}"
            )));
        }
        let (item, region) = (self.item, self.region);
        Ok(LicenceNumber {
            province: self.province.clone(),
            scheme: LicenceScheme::SpecialEquipment { item, region, year },
            serial,
            serial_width: self.serial_width,
        })
    }

    /// `text` as a number of this format, any year.
    pub fn parse(&self, text: &str) -> Result<LicenceNumber, LicenceNumberError> {
        let number = LicenceNumber::parse(text)?;
        let scheme = match number.scheme {
            LicenceScheme::SpecialEquipment { item, region, .. }
                if (item, region) != (self.item, self.region) =>
            {
                Some(format!(
                    "its item and region are {item:02}{region:02}, this item's are {:02}{:02}",
                    self.item, self.region
                ))
            }
            LicenceScheme::SpecialEquipment { .. } => None,
            LicenceScheme::IndustrialProduct { .. } => {
                Some("it is an industrial product (XK) number".to_owned())
            }
        };
        fit(
            text,
            self,
            &number,
            &self.province,
            self.serial_width,
            scheme,
        )
    }

    pub fn province(&self) -> Option<&str> {
        self.province.as_deref()
    }

    pub fn item(&self) -> u8 {
        self.item
    }

    pub fn region(&self) -> u8 {
        self.region
    }

    pub fn serial_width(&self) -> u8 {
        self.serial_width
    }

    /// The largest serial the width holds (999 for 3 digits).
    pub fn max_serial(&self) -> u32 {
        max_serial(self.serial_width)
    }
}

fn check_width(width: u8) -> Result<u8, LicenceNumberError> {
    if (1..=MAX_SERIAL_WIDTH).contains(&width) {
        Ok(width)
    } else {
        Err(LicenceNumberError::Format(format!(
            "a serial is 1–{MAX_SERIAL_WIDTH} digits wide, not {width}"
        )))
    }
}

fn max_serial(width: u8) -> u32 {
    10u32.pow(u32::from(width)) - 1
}

fn check_serial(serial: u32, width: u8) -> Result<(), LicenceNumberError> {
    if (1..=max_serial(width)).contains(&serial) {
        Ok(())
    } else {
        Err(LicenceNumberError::Format(format!(
            "serial {serial} does not fit {width} digits (1 to {})",
            max_serial(width)
        )))
    }
}

/// `number` if it fits the format `expected` — `scheme` being the scheme's misfit, if any —
/// else the first part that differs: scheme, province, serial width.
fn fit(
    input: &str,
    expected: &dyn fmt::Display,
    number: &LicenceNumber,
    province: &Option<String>,
    serial_width: u8,
    scheme: Option<String>,
) -> Result<LicenceNumber, LicenceNumberError> {
    let province_misfit = || match (province, &number.province) {
        (Some(want), Some(got)) if want != got => Some(format!(
            "its province is （{got}）, this item's is （{want}）"
        )),
        (Some(want), None) => Some(format!("this item's numbers start with （{want}）")),
        (None, Some(_)) => Some("this item's numbers carry no province".to_owned()),
        _ => None,
    };
    let width_misfit = || {
        (number.serial_width != serial_width).then(|| {
            format!(
                "its serial has {} digits, this item's have {serial_width}",
                number.serial_width
            )
        })
    };
    match scheme.or_else(province_misfit).or_else(width_misfit) {
        None => Ok(number.clone()),
        Some(why) => Err(LicenceNumberError::OtherFormat {
            input: input.to_owned(),
            expected: expected.to_string(),
            why,
        }),
    }
}

fn write_province(f: &mut fmt::Formatter<'_>, province: &Option<String>) -> fmt::Result {
    match province {
        Some(province) => write!(f, "（{province}）"),
        None => Ok(()),
    }
}

impl fmt::Display for LicenceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_province(f, &self.province)?;
        let serial = "N".repeat(usize::from(self.serial_width));
        write!(f, "XK{:02}-{:03}-{serial}", self.industry, self.product)
    }
}

impl fmt::Display for SpecialEquipmentFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_province(f, &self.province)?;
        let serial = "N".repeat(usize::from(self.serial_width));
        write!(f, "TS{:02}{:02}{serial}-YYYY", self.item, self.region)
    }
}
