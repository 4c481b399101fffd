//! Making a licence's number from a serial (RULES.md §2, §3): the pure allocator. The store keeps
//! one counter per series and hands the next serial over inside the transaction that records the
//! licence; this module says which series a licence belongs to and what number a serial makes.

use crate::identifiers::{
    LicenceFormat, LicenceNumber, LicenceNumberError, SpecialEquipmentFormat,
};

/// How the next licence of an item is numbered: the item's format and, for the old-style
/// special-equipment number, the year it carries — the year the licence expires, as on the
/// certificates (`TS2721001-2030` for one valid until 2030).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LicenceNumbering {
    IndustrialProduct(LicenceFormat),
    SpecialEquipment {
        format: SpecialEquipmentFormat,
        year: u16,
    },
}

impl LicenceNumbering {
    /// The counter a serial is drawn from: every number sharing everything but the serial (and a
    /// TS number's year, so serials never repeat across years) shares a series, e.g.
    /// `XK|辽|06|014` or `TS|-|27|21`. The serial width is not part of it: widening the serials
    /// of a format continues its count.
    pub fn series_key(&self) -> String {
        match self {
            LicenceNumbering::IndustrialProduct(f) => format!(
                "XK|{}|{:02}|{:03}",
                f.province().unwrap_or("-"),
                f.industry(),
                f.product()
            ),
            LicenceNumbering::SpecialEquipment { format: f, .. } => format!(
                "TS|{}|{:02}|{:02}",
                f.province().unwrap_or("-"),
                f.item(),
                f.region()
            ),
        }
    }

    /// The number with `serial`; an error when the serial no longer fits the format's width
    /// (the series is full: widen the serial in the licence policy).
    pub fn number(&self, serial: u32) -> Result<LicenceNumber, LicenceNumberError> {
        let max = self.max_serial();
        if serial > max {
            return Err(LicenceNumberError::Format(format!(
                "the series {} is full: serial {serial} does not fit ({max} at most); widen its \
                 serial in the licence policy",
                self.pattern()
            )));
        }
        match self {
            LicenceNumbering::IndustrialProduct(f) => f.format(serial),
            LicenceNumbering::SpecialEquipment { format, year } => format.format(serial, *year),
        }
    }

    /// The largest serial the format holds.
    pub fn max_serial(&self) -> u32 {
        match self {
            LicenceNumbering::IndustrialProduct(f) => f.max_serial(),
            LicenceNumbering::SpecialEquipment { format, .. } => format.max_serial(),
        }
    }

    /// The format as a pattern, `（辽）XK06-014-NNNNN`, for messages.
    pub fn pattern(&self) -> String {
        match self {
            LicenceNumbering::IndustrialProduct(f) => f.to_string(),
            LicenceNumbering::SpecialEquipment { format, .. } => format.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xk() -> LicenceNumbering {
        LicenceNumbering::IndustrialProduct(
            LicenceFormat::new(6, 14)
                .and_then(|f| f.with_province("辽"))
                .expect("valid format"),
        )
    }

    #[test]
    fn a_serial_makes_the_printed_number() {
        assert_eq!(
            xk().number(1).expect("fits").to_string(),
            "（辽）XK06-014-00001"
        );
        let ts = LicenceNumbering::SpecialEquipment {
            format: SpecialEquipmentFormat::new(27, 21).expect("valid"),
            year: 2030,
        };
        assert_eq!(ts.number(7).expect("fits").to_string(), "TS2721007-2030");
    }

    #[test]
    fn the_series_ignores_the_serial_width_and_the_year() {
        let wide = LicenceNumbering::IndustrialProduct(
            LicenceFormat::new(6, 14)
                .and_then(|f| f.with_province("辽"))
                .and_then(|f| f.with_serial_width(6))
                .expect("valid"),
        );
        assert_eq!(xk().series_key(), wide.series_key());
        assert_eq!(xk().series_key(), "XK|辽|06|014");
        let year = |year| LicenceNumbering::SpecialEquipment {
            format: SpecialEquipmentFormat::new(27, 21).expect("valid"),
            year,
        };
        assert_eq!(year(2030).series_key(), year(2031).series_key());
        assert_ne!(year(2030).series_key(), xk().series_key());
    }

    #[test]
    fn a_full_series_says_so_and_how_to_fix_it() {
        let err = xk().number(100_000).expect_err("too wide").to_string();
        assert!(err.contains("（辽）XK06-014-NNNNN is full"), "{err}");
        assert!(err.contains("widen"), "{err}");
        assert!(xk().number(99_999).is_ok());
    }
}
