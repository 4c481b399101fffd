//! The stored form of the licence formats: their fields, with the optional ones defaulted,
//! checked through the formats' own constructors on the way in so configuration read from a
//! file or the database cannot hold a format the constructors would refuse.

use serde::{Deserialize, Serialize};

use super::{LicenceFormat, SpecialEquipmentFormat};
use crate::identifiers::LicenceNumberError;

#[derive(Serialize, Deserialize)]
pub(super) struct LicenceFormatFields {
    #[serde(default)]
    province: Option<String>,
    industry: u8,
    product: u16,
    #[serde(default = "default_industrial_width")]
    serial_width: u8,
}

fn default_industrial_width() -> u8 {
    LicenceFormat::DEFAULT_SERIAL_WIDTH
}

#[derive(Serialize, Deserialize)]
pub(super) struct SpecialEquipmentFormatFields {
    #[serde(default)]
    province: Option<String>,
    item: u8,
    region: u8,
    #[serde(default = "default_equipment_width")]
    serial_width: u8,
}

fn default_equipment_width() -> u8 {
    SpecialEquipmentFormat::DEFAULT_SERIAL_WIDTH
}

impl TryFrom<LicenceFormatFields> for LicenceFormat {
    type Error = LicenceNumberError;

    fn try_from(fields: LicenceFormatFields) -> Result<Self, LicenceNumberError> {
        let format = LicenceFormat::new(fields.industry, fields.product)?
            .with_serial_width(fields.serial_width)?;
        match fields.province {
            Some(province) => format.with_province(&province),
            None => Ok(format),
        }
    }
}

impl From<LicenceFormat> for LicenceFormatFields {
    fn from(format: LicenceFormat) -> Self {
        let LicenceFormat {
            province,
            industry,
            product,
            serial_width,
        } = format;
        LicenceFormatFields {
            province,
            industry,
            product,
            serial_width,
        }
    }
}

impl TryFrom<SpecialEquipmentFormatFields> for SpecialEquipmentFormat {
    type Error = LicenceNumberError;

    fn try_from(fields: SpecialEquipmentFormatFields) -> Result<Self, LicenceNumberError> {
        let format = SpecialEquipmentFormat::new(fields.item, fields.region)?
            .with_serial_width(fields.serial_width)?;
        match fields.province {
            Some(province) => format.with_province(&province),
            None => Ok(format),
        }
    }
}

impl From<SpecialEquipmentFormat> for SpecialEquipmentFormatFields {
    fn from(format: SpecialEquipmentFormat) -> Self {
        let SpecialEquipmentFormat {
            province,
            item,
            region,
            serial_width,
        } = format;
        SpecialEquipmentFormatFields {
            province,
            item,
            region,
            serial_width,
        }
    }
}
