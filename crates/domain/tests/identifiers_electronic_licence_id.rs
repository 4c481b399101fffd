//! ISO/IEC 7064 MOD 37,36 and the electronic licence identifier (RULES.md §8): published and
//! hand-computed check characters, identifiers seen in public systems, the exact set of
//! transpositions the check misses, and round trips and single-change detection of whole
//! identifiers.

use onewindow_domain::identifiers::iso7064::{is_valid_mod_37_36, mod_37_36_check_character};
use onewindow_domain::identifiers::{CreditCode, ElectronicLicenceId, ElectronicLicenceIdError};
use proptest::prelude::*;

const CHARACTERS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn value(c: u8) -> u32 {
    char::from(c).to_digit(36).unwrap()
}

/// The oracle's state after one character from the start state 36: P = 2·S mod 37, S being
/// the character's value mod 36 with 0 read as 36.
fn state_after_one(c: u8) -> u32 {
    let s = match value(c) % 36 {
        0 => 36,
        s => s,
    };
    2 * s % 37
}

#[test]
fn published_vectors_verify() {
    // The examples of ISO/IEC 7064 for MOD 37,36, also used by public implementations.
    for (data, check) in [
        ("A12425GABC1234002", 'M'),
        ("B159D8FA01240000", 'K'),
        ("188166C734200000", '3'),
    ] {
        assert_eq!(mod_37_36_check_character(data), Some(check), "{data}");
        assert!(is_valid_mod_37_36(&format!("{data}{check}")));
    }
}

#[test]
fn hand_computed_vectors_verify() {
    // "0": P=36; S=(36+0) mod 36=0→36; P=72 mod 37=35; check=(37−35) mod 36=2 → '2'.
    // "1": P=36; S=(36+1) mod 36=1; P=2; check=(37−2) mod 36=35 → 'Z'.
    // "AB": A=10: S=46 mod 36=10, P=20; B=11: S=31, P=62 mod 37=25; check=12 → 'C'.
    // "Z": S=(36+35) mod 36=35, P=70 mod 37=33; check=(37−33) mod 36=4 → '4'.
    for (data, check) in [("0", '2'), ("1", 'Z'), ("AB", 'C'), ("Z", '4')] {
        assert_eq!(mod_37_36_check_character(data), Some(check), "{data}");
        assert!(is_valid_mod_37_36(&format!("{data}{check}")));
    }
    assert!(!is_valid_mod_37_36(""));
    assert!(!is_valid_mod_37_36("ab"));
    assert_eq!(mod_37_36_check_character("a"), None);
    assert_eq!(mod_37_36_check_character("1.2"), None);
}

#[test]
fn transpositions_missed_are_exactly_consecutive_values_at_one_state_each() {
    // One leading character reaches every state 1–36, so this covers every (state, a, b).
    let mut missed = Vec::new();
    for &x in CHARACTERS {
        for &a in CHARACTERS {
            for &b in CHARACTERS.iter().filter(|b| **b != a) {
                let data = [x, a, b];
                let text = std::str::from_utf8(&data).unwrap();
                let check = mod_37_36_check_character(text).unwrap();
                let swapped = format!("{}{}{}{check}", char::from(x), char::from(b), char::from(a));
                if is_valid_mod_37_36(&swapped) {
                    missed.push((state_after_one(x), value(a), value(b)));
                }
            }
        }
    }
    assert_eq!(missed.len(), 72);
    for (state, a, b) in missed {
        let lower = if (a + 1) % 36 == b { a } else { b };
        assert!((a + 1) % 36 == b || (b + 1) % 36 == a, "{a} {b}");
        assert_eq!((state + lower) % 36, 18, "state {state}, {a} {b}");
    }
    // Swapping the last data character with the check: missed only where the state is 18
    // (after '9') for '0' and '1' — the same rule, the check being the second character.
    let mut missed_with_check = Vec::new();
    for &x in CHARACTERS {
        for &a in CHARACTERS {
            let data = format!("{}{}", char::from(x), char::from(a));
            let check = mod_37_36_check_character(&data).unwrap();
            let swapped = format!("{}{check}{}", char::from(x), char::from(a));
            if check != char::from(a) && is_valid_mod_37_36(&swapped) {
                missed_with_check.push(format!("{data}{check}"));
            }
        }
    }
    assert_eq!(missed_with_check, ["901", "910"]);
}

const ISSUERS: [&str; 4] = [
    "11430000006122244L",
    "11330105002500287C",
    "91110000600037341L",
    "N2210213MF0A123472",
];

#[test]
fn identifiers_from_public_systems_parse() {
    for text in [
        "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
        "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0",
    ] {
        let id = ElectronicLicenceId::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(id.to_string(), text);
    }
    let id = ElectronicLicenceId::parse(
        "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
    )
    .unwrap();
    assert_eq!(id.type_code(), "11100000000013338W011");
    assert_eq!(id.issuer().as_str(), "11430000006122244L");
    assert_eq!(id.serial(), "20230000403");
    assert_eq!(id.version(), 1);
    assert_eq!(id.check(), 'U');
}

#[test]
fn new_computes_the_check_over_the_parts_without_dots() {
    let issuer = CreditCode::parse("11430000006122244L").unwrap();
    let id = ElectronicLicenceId::new("11100000000013338W011", &issuer, "20230000403", 1).unwrap();
    assert_eq!(
        id.to_string(),
        "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U"
    );
    let data = "11100000000013338W01111430000006122244L20230000403001";
    assert_eq!(mod_37_36_check_character(data), Some(id.check()));
}

#[test]
fn malformed_identifiers_name_the_part() {
    let root = "1.2.156.3005.2";
    let cases = [
        (
            "1.2.156.3005.1.A.91110000600037341L.1.001.X",
            "starts with 1.2.156.3005.2.",
        ),
        (&format!("{root}.A.91110000600037341L.1.001"), "five parts"),
        (
            &format!("{root}.a.91110000600037341L.1.001.X"),
            "the type code is",
        ),
        (
            &format!("{root}.A.91110000600037341K.1.001.X"),
            "the issuer code: position 18: check character should be 'L', found 'K'",
        ),
        (
            &format!("{root}.A.91110000600037341L.x1.001.X"),
            "the serial is",
        ),
        (
            &format!("{root}.A.91110000600037341L.1.01.X"),
            "the version is three digits",
        ),
        (
            &format!("{root}.A.91110000600037341L.1.001.XY"),
            "the check character should be",
        ),
    ];
    for (text, expected) in cases {
        let message = ElectronicLicenceId::parse(text).unwrap_err().to_string();
        assert!(message.contains(expected), "{text}: {message}");
    }
    let issuer = CreditCode::parse(ISSUERS[0]).unwrap();
    assert_eq!(
        ElectronicLicenceId::new("A", &issuer, "1", 1000),
        Err(ElectronicLicenceIdError::Version("1000".into()))
    );
    assert!(ElectronicLicenceId::new("", &issuer, "1", 1).is_err());
    assert!(ElectronicLicenceId::new("A", &issuer, &"1".repeat(65), 1).is_err());
}

fn code(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(CHARACTERS), 1..=max)
        .prop_map(|bytes| String::from_utf8(bytes).unwrap())
}

fn any_id() -> impl Strategy<Value = ElectronicLicenceId> {
    (
        code(32),
        proptest::sample::select(&ISSUERS[..]),
        code(64),
        0u16..1000,
    )
        .prop_map(|(type_code, issuer, serial, version)| {
            let issuer = CreditCode::parse(issuer).unwrap();
            ElectronicLicenceId::new(&type_code, &issuer, &serial, version).unwrap()
        })
}

proptest! {
    #[test]
    fn every_single_substitution_fails_mod_37_36(
        data in code(60),
        index in 0usize..61,
        shift in 1usize..36,
    ) {
        let check = mod_37_36_check_character(&data).unwrap();
        let mut text = format!("{data}{check}").into_bytes();
        let index = index % text.len();
        text[index] = CHARACTERS[(value(text[index]) as usize + shift) % 36];
        prop_assert!(!is_valid_mod_37_36(std::str::from_utf8(&text).unwrap()));
    }

    #[test]
    fn adjacent_transpositions_fail_mod_37_36_unless_values_are_consecutive(
        data in code(60),
        index in 0usize..60,
    ) {
        let check = mod_37_36_check_character(&data).unwrap();
        let mut text = format!("{data}{check}").into_bytes();
        let index = index % (text.len() - 1);
        let (a, b) = (value(text[index]), value(text[index + 1]));
        prop_assume!(a != b && (a + 1) % 36 != b && (b + 1) % 36 != a);
        text.swap(index, index + 1);
        prop_assert!(!is_valid_mod_37_36(std::str::from_utf8(&text).unwrap()));
    }

    #[test]
    fn identifiers_round_trip_through_their_text(id in any_id()) {
        let text = id.to_string();
        prop_assert_eq!(ElectronicLicenceId::parse(&text).unwrap(), id.clone());
        prop_assert_eq!(String::from(id), text);
    }

    #[test]
    fn changing_one_character_of_an_identifier_is_refused(
        id in any_id(),
        index in 0usize..200,
        shift in 1usize..36,
    ) {
        let mut text = id.to_string().into_bytes();
        let root = ElectronicLicenceId::ROOT.len() + 1;
        let index = root + index % (text.len() - root);
        prop_assume!(text[index] != b'.');
        text[index] = CHARACTERS[(value(text[index]) as usize + shift) % 36];
        prop_assert!(ElectronicLicenceId::parse(std::str::from_utf8(&text).unwrap()).is_err());
    }

    #[test]
    fn swapping_adjacent_characters_of_an_identifier_is_refused(
        id in any_id(),
        index in 0usize..200,
    ) {
        let mut text = id.to_string().into_bytes();
        let root = ElectronicLicenceId::ROOT.len();
        let index = root + index % (text.len() - root - 1);
        let (a, b) = (text[index], text[index + 1]);
        prop_assume!(a != b);
        let consecutive = a != b'.' && b != b'.'
            && ((value(a) + 1) % 36 == value(b) || (value(b) + 1) % 36 == value(a));
        text.swap(index, index + 1);
        let parsed = ElectronicLicenceId::parse(std::str::from_utf8(&text).unwrap());
        // Consecutive values may slip past MOD 37,36 (1 case in 36); everything else must not.
        prop_assert!(parsed.is_err() || consecutive);
    }
}
