//! Licence numbers and formats (RULES.md §2, §3): the two shapes parse and display as written
//! (province brackets full-width), formats make and recognise their own numbers, and every
//! formatted number round-trips through its text, whichever brackets it was typed with.

use onewindow_domain::identifiers::{
    LicenceFormat, LicenceNumber, LicenceNumberError, LicenceScheme, SpecialEquipmentFormat,
};
use proptest::prelude::*;

fn why(text: &str) -> String {
    LicenceNumber::parse(text).unwrap_err().to_string()
}

#[test]
fn industrial_product_numbers_parse_into_their_parts() {
    let number = LicenceNumber::parse("（辽）XK06-014-00001").unwrap();
    assert_eq!(number.province(), Some("辽"));
    assert_eq!(
        number.scheme(),
        LicenceScheme::IndustrialProduct {
            industry: 6,
            product: 14
        }
    );
    assert_eq!(number.serial(), 1);
    assert_eq!(number.serial_width(), 5);
    assert_eq!(number.to_string(), "（辽）XK06-014-00001");

    let plain = LicenceNumber::parse("XK13-006-00042").unwrap();
    assert_eq!(plain.province(), None);
    assert_eq!(plain.to_string(), "XK13-006-00042");
}

#[test]
fn ascii_brackets_are_accepted_and_displayed_full_width() {
    let ascii = LicenceNumber::parse("(辽)XK13-006-00042").unwrap();
    let full = LicenceNumber::parse("（辽）XK13-006-00042").unwrap();
    assert_eq!(ascii, full);
    assert_eq!(ascii.to_string(), "（辽）XK13-006-00042");
    assert_eq!(String::from(ascii), "（辽）XK13-006-00042");
}

#[test]
fn special_equipment_numbers_parse_into_their_parts() {
    let number = LicenceNumber::parse("TS2721001-2027").unwrap();
    assert_eq!(
        number.scheme(),
        LicenceScheme::SpecialEquipment {
            item: 27,
            region: 21,
            year: 2027
        }
    );
    assert_eq!(number.serial(), 1);
    assert_eq!(number.serial_width(), 3);
    assert_eq!(number.to_string(), "TS2721001-2027");
}

#[test]
fn malformed_numbers_say_which_part_is_wrong() {
    let cases = [
        ("XK6-014-00001", "the industry code is two digits"),
        ("XK06-14-00001", "the product code is three digits"),
        ("XK06-014-00000", "the serial is 1–9 digits, not all zero"),
        ("XK06-014-0000000001", "the serial is 1–9 digits"),
        ("XK06014-00001", "separated by '-'"),
        ("xk06-014-00001", "write XK or TS in capital letters"),
        ("XK06-014- 00001", "without spaces"),
        ("AB06-014-00001", "starts with XK"),
        ("(辽XK06-014-00001", "is not closed"),
        ("()XK06-014-00001", "1–4 Chinese characters"),
        ("(LN)XK06-014-00001", "1–4 Chinese characters"),
        ("TS2721001", "ends in '-' and the year"),
        ("TS272-2027", "after TS come the item"),
        ("TS2721001-27", "the year after '-' is four digits"),
        ("", "starts with XK"),
    ];
    for (text, expected) in cases {
        let message = why(text);
        assert!(message.contains(expected), "{text:?}: {message}");
        assert!(message.starts_with(&format!("\"{text}\" is not a licence number: ")));
    }
}

#[test]
fn a_format_makes_numbers_and_shows_its_pattern() {
    let format = LicenceFormat::new(6, 14)
        .unwrap()
        .with_province("辽")
        .unwrap();
    assert_eq!(format.to_string(), "（辽）XK06-014-NNNNN");
    assert_eq!(format.max_serial(), 99_999);
    let number = format.format(1).unwrap();
    assert_eq!(number.to_string(), "（辽）XK06-014-00001");
    assert_eq!(format.parse("(辽)XK06-014-00001").unwrap(), number);

    let wide = format.clone().with_serial_width(6).unwrap();
    assert_eq!(
        wide.format(123).unwrap().to_string(),
        "（辽）XK06-014-000123"
    );

    let equipment = SpecialEquipmentFormat::new(27, 21).unwrap();
    assert_eq!(equipment.to_string(), "TS2721NNN-YYYY");
    let number = equipment.format(1, 2027).unwrap();
    assert_eq!(number.to_string(), "TS2721001-2027");
    assert_eq!(equipment.parse("TS2721001-2027").unwrap(), number);
}

#[test]
fn a_format_refuses_serials_and_settings_that_do_not_fit() {
    let format = LicenceFormat::new(6, 14).unwrap();
    assert!(format.format(0).is_err());
    assert_eq!(
        format.format(100_000).unwrap_err().to_string(),
        "serial 100000 does not fit 5 digits (1 to 99999)"
    );
    assert!(LicenceFormat::new(100, 14).is_err());
    assert!(LicenceFormat::new(6, 1000).is_err());
    assert!(format.clone().with_serial_width(0).is_err());
    assert!(format.clone().with_serial_width(10).is_err());
    assert!(format.clone().with_province("LN").is_err());
    assert!(format.clone().with_province("").is_err());
    let equipment = SpecialEquipmentFormat::new(27, 21).unwrap();
    assert!(equipment.format(1000, 2027).is_err());
    assert!(equipment.format(1, 999).is_err());
    assert!(SpecialEquipmentFormat::new(27, 100).is_err());
}

#[test]
fn a_format_refuses_other_formats_numbers_naming_the_difference() {
    let format = LicenceFormat::new(6, 14)
        .unwrap()
        .with_province("辽")
        .unwrap();
    let cases = [
        (
            "（辽）XK07-014-00001",
            "its industry and product are 07-014, this item's are 06-014",
        ),
        (
            "（吉）XK06-014-00001",
            "its province is （吉）, this item's is （辽）",
        ),
        ("XK06-014-00001", "this item's numbers start with （辽）"),
        (
            "（辽）XK06-014-0001",
            "its serial has 4 digits, this item's have 5",
        ),
        (
            "（辽）TS2721001-2027",
            "it is a special-equipment (TS) number",
        ),
    ];
    for (text, why) in cases {
        let error = format.parse(text).unwrap_err();
        assert_eq!(
            error,
            LicenceNumberError::OtherFormat {
                input: text.to_owned(),
                expected: "（辽）XK06-014-NNNNN".to_owned(),
                why: why.to_owned(),
            }
        );
    }
    let equipment = SpecialEquipmentFormat::new(27, 21).unwrap();
    assert!(equipment.parse("TS2710001-2027").is_err());
    assert!(equipment.parse("(辽)TS2721001-2027").is_err());
    assert!(equipment.parse("XK06-014-00001").is_err());
}

#[test]
fn formats_deserialise_from_their_fields_and_are_checked() {
    use serde::Deserialize;
    use serde::de::value::{Error, MapDeserializer};

    fn industrial(fields: Vec<(&'static str, u64)>) -> Result<LicenceFormat, Error> {
        LicenceFormat::deserialize(MapDeserializer::new(fields.into_iter()))
    }
    let format = industrial(vec![("industry", 6), ("product", 14)]).unwrap();
    assert_eq!(format, LicenceFormat::new(6, 14).unwrap());
    let format = industrial(vec![("industry", 6), ("product", 14), ("serial_width", 6)]);
    assert_eq!(format.unwrap().serial_width(), 6);
    assert!(industrial(vec![("industry", 6), ("product", 1400)]).is_err());
    assert!(industrial(vec![("industry", 6), ("product", 14), ("serial_width", 0)]).is_err());
}

fn province() -> impl Strategy<Value = Option<&'static str>> {
    proptest::option::of(proptest::sample::select(vec![
        "辽", "京", "沪", "黑", "蒙", "新", "辽宁",
    ]))
}

/// The text with its full-width province brackets turned into ASCII ones.
fn ascii_brackets(text: &str) -> String {
    text.replace('（', "(").replace('）', ")")
}

proptest! {
    #[test]
    fn industrial_numbers_round_trip_through_their_text(
        province in province(),
        industry in 0u8..100,
        product in 0u16..1000,
        width in 1u8..10,
        serial in 1u32..1_000_000_000,
    ) {
        let mut format = LicenceFormat::new(industry, product).unwrap()
            .with_serial_width(width).unwrap();
        if let Some(province) = province {
            format = format.with_province(province).unwrap();
        }
        let serial = serial % format.max_serial() + 1;
        let number = format.format(serial).unwrap();
        let text = number.to_string();
        prop_assert_eq!(LicenceNumber::parse(&text).unwrap(), number.clone());
        prop_assert_eq!(LicenceNumber::parse(&ascii_brackets(&text)).unwrap(), number.clone());
        prop_assert_eq!(format.parse(&text).unwrap(), number.clone());
        prop_assert_eq!(number.serial(), serial);
        let digits = text.rsplit('-').next().unwrap();
        prop_assert_eq!(digits.len(), usize::from(width));
    }

    #[test]
    fn special_equipment_numbers_round_trip_through_their_text(
        province in province(),
        item in 0u8..100,
        region in 0u8..100,
        width in 1u8..10,
        serial in 1u32..1_000_000_000,
        year in 1000u16..10_000,
    ) {
        let mut format = SpecialEquipmentFormat::new(item, region).unwrap()
            .with_serial_width(width).unwrap();
        if let Some(province) = province {
            format = format.with_province(province).unwrap();
        }
        let serial = serial % format.max_serial() + 1;
        let number = format.format(serial, year).unwrap();
        let text = number.to_string();
        prop_assert_eq!(LicenceNumber::parse(&text).unwrap(), number.clone());
        prop_assert_eq!(LicenceNumber::parse(&ascii_brackets(&text)).unwrap(), number.clone());
        prop_assert_eq!(format.parse(&text).unwrap(), number.clone());
        prop_assert_eq!(
            number.scheme(),
            LicenceScheme::SpecialEquipment { item, region, year }
        );
    }

    #[test]
    fn any_parsed_number_displays_as_it_was_written_brackets_aside(
        province in province(),
        industry in "[0-9]{2}",
        product in "[0-9]{3}",
        serial in "[0-9]{1,9}",
    ) {
        prop_assume!(serial.bytes().any(|b| b != b'0'));
        let prefix = province.map(|p| format!("({p})")).unwrap_or_default();
        let text = format!("{prefix}XK{industry}-{product}-{serial}");
        let number = LicenceNumber::parse(&text).unwrap();
        prop_assert_eq!(ascii_brackets(&number.to_string()), text);
    }
}
