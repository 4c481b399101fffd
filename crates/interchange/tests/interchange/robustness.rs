//! Whatever the bytes, reading ends in a workbook or a list of problems — never a panic.

use onewindow_interchange::{Format, Limits, Workbook, read, write_xlsx};
use proptest::prelude::*;

use crate::support::{patch_zip, sheet};

fn sample_xlsx() -> Vec<u8> {
    let workbook = Workbook {
        sheets: vec![sheet(
            "powers",
            &["code", "name_zh"],
            &[&["0101", "行政许可\n第二行"], &["0102", "x|y"]],
        )],
    };
    write_xlsx(&workbook).expect("writes")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_bytes_never_panic_the_csv_reader(
        bytes in proptest::collection::vec(
            prop_oneof![Just(b'"'), Just(b','), Just(b'\r'), Just(b'\n'), any::<u8>()],
            0..200,
        )
    ) {
        let _ = read(&bytes, Format::Csv, &Limits::default());
    }

    #[test]
    fn damaged_xml_inside_an_xlsx_never_panics_the_reader(
        entry in prop_oneof![
            Just("xl/worksheets/sheet1.xml"),
            Just("xl/sharedStrings.xml"),
            Just("xl/workbook.xml"),
            Just("xl/styles.xml"),
        ],
        cut in 0.0..1.0_f64,
        length in 0_usize..40,
        insert in "[<>/=\" a-z0-9]{0,6}",
    ) {
        let bytes = patch_zip(&sample_xlsx(), entry, |xml| {
            // Truncation is intended: `cut` is a fraction of the length.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
            let start = (xml.len() as f64 * cut) as usize;
            let start = (0..=start).rev().find(|i| xml.is_char_boundary(*i)).unwrap_or(0);
            let end = (start + length..=xml.len())
                .find(|i| xml.is_char_boundary(*i))
                .unwrap_or(xml.len());
            format!("{}{insert}{}", &xml[..start], &xml[end..])
        });
        let _ = read(&bytes, Format::Xlsx, &Limits::default());
    }

    #[test]
    fn flipped_bytes_in_an_xlsx_never_panic_the_reader(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)
    ) {
        let mut bytes = sample_xlsx();
        for (index, value) in flips {
            let at = index.index(bytes.len());
            bytes[at] = value;
        }
        let _ = read(&bytes, Format::Xlsx, &Limits::default());
    }
}
