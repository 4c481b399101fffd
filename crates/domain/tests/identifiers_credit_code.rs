//! Table tests for the Unified Social Credit Code (RULES.md §8): real-world style codes that
//! must be accepted, typing mistakes that must be refused with the right position and words,
//! the suggestion a form offers back, and the parts. The Dalian-style codes were completed by a
//! separate script (both check characters computed outside this crate).

use onewindow_domain::identifiers::{CreditCode, CreditCodeError, CreditCodeProblem};

fn refusal(text: &str) -> CreditCodeError {
    CreditCode::parse(text).expect_err(text)
}

fn message(text: &str) -> String {
    refusal(text).to_string()
}

#[test]
fn the_published_example_is_valid() {
    let code = CreditCode::parse("91110000600037341L").unwrap();
    assert_eq!(code.as_str(), "91110000600037341L");
    assert_eq!(code.to_string(), "91110000600037341L");
}

#[test]
fn real_world_style_codes_are_accepted() {
    let codes = [
        // Dalian enterprises (9 1), city and district divisions.
        "91210200MA0QC5LR49",
        "91210211MA0XU8G47T",
        "91210213241286C42C",
        // Obsolete / registration-office division codes: not judged.
        "91210231MA0YB0K72B",
        "91210242MA0UNP3X78",
        // Pulandian before and after its move (210282 → 210214).
        "91210282MA0U1R2P0G",
        "91210214MA10D5AE15",
        // Individual business, farmers' co-operative, civil-affairs body, public institution,
        // government organ.
        "92210203MA0Y4Q1B7B",
        "93210283MA0TEL6W78",
        "52210200MJ0A2B7C27",
        "12210200J012345603",
        "11210200001234AB5T",
        // Letter-led registration authorities.
        "N2210213MF0A123472",
        "Y1210200MJ0K8B2D0L",
        // Organisation-code check 'X' (10) and '0' (11).
        "91210276MALU47L4X8",
        "91210283MA6NFHTH0U",
        // Issuing organs seen in published electronic licence identifiers.
        "11430000006122244L",
        "113700000045030270",
        "11100000000013338W",
    ];
    for text in codes {
        let code = CreditCode::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(code.as_str(), text);
    }
}

#[test]
fn the_parts_are_read_by_position() {
    let code = CreditCode::parse("N2210213MF0A123472").unwrap();
    assert_eq!(code.registration_authority(), 'N');
    assert_eq!(code.category(), '2');
    assert_eq!(code.division_code(), "210213");
    assert_eq!(code.organisation_code(), "MF0A12347");

    let code = CreditCode::parse("91210231MA0YB0K72B").unwrap();
    assert_eq!(code.registration_authority(), '9');
    assert_eq!(code.division_code(), "210231");
    assert_eq!(code.organisation_code(), "MA0YB0K72");
}

#[test]
fn each_typing_mistake_names_its_position_and_reason() {
    let cases = [
        (
            "9111i000600037341L",
            "position 5: 'i' is lowercase; codes use capital letters (I), and I is not used in \
             credit codes (no I, O, S, V, Z)",
        ),
        (
            "91110000600037341l",
            "position 18: 'l' is lowercase; codes use capital letters (L)",
        ),
        (
            "911100006O0037341L",
            "position 10: 'O' is not used in credit codes (no I, O, S, V, Z); did you mean '0'?",
        ),
        (
            "91110000600037341V",
            "position 18: 'V' is not used in credit codes (no I, O, S, V, Z)",
        ),
        (
            "91110000600037341K",
            "position 18: check character should be 'L', found 'K'",
        ),
        (
            "91210276MALU47L438",
            "position 17: organisation-code check should be 'X', found '3'",
        ),
        ("91110000600037341", "17 characters: a credit code has 18"),
        ("91110000600037341L1", "19 characters: a credit code has 18"),
        ("9", "1 character: a credit code has 18"),
        ("", "a credit code is required"),
        (
            "9111 0000 6000 3734 1L",
            "position 5: a space; a credit code is written without spaces",
        ),
        (
            " 91110000600037341L",
            "position 1: a space; a credit code is written without spaces",
        ),
        (
            "91110000-60003734-1L",
            "position 9: '-' is a separator; a credit code is written without hyphens",
        ),
        (
            "９1110000600037341L",
            "position 1: '９' is a full-width character; codes use half-width characters ('9')",
        ),
        (
            "91110000600037341Ｌ",
            "position 18: 'Ｌ' is a full-width character; codes use half-width characters ('L')",
        ),
        (
            "91110000600037341ｌ",
            "position 18: 'ｌ' is a full-width character; codes use half-width characters ('L')",
        ),
        (
            "91110000600037341　",
            "position 18: a space; a credit code is written without spaces",
        ),
        (
            "9111000060003734１L",
            "position 17: '１' is a full-width character; codes use half-width characters ('1')",
        ),
        (
            "辽1110000600037341L",
            "position 1: '辽' is not a credit-code character; codes use digits and capital \
             letters (no I, O, S, V, Z)",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(message(text), expected, "{text:?}");
    }
}

#[test]
fn the_error_carries_position_and_reason_as_data() {
    assert_eq!(
        refusal("91110000600037341K"),
        CreditCodeError {
            position: Some(18),
            reason: CreditCodeProblem::Check {
                expected: 'L',
                found: 'K'
            },
        }
    );
    assert_eq!(
        refusal("911100006000373"),
        CreditCodeError {
            position: None,
            reason: CreditCodeProblem::Length { found: 15 },
        }
    );
}

#[test]
fn a_bad_character_is_reported_before_a_wrong_length() {
    // 22 characters, but the spaces are what the person has to fix.
    assert_eq!(refusal("9111 0000 6000 3734 1L").position, Some(5));
    // Too short, with a lowercase letter: the letter first.
    assert_eq!(refusal("9111000060003734l").position, Some(17));
}

#[test]
fn a_fault_in_the_organisation_code_is_reported_at_position_17() {
    // A typo at position 11 breaks both checks; 17 is reported, the narrower of the two.
    let error = refusal("91110000601037341L");
    assert_eq!(error.position, Some(17));
}

#[test]
fn suggest_offers_the_normalised_code_when_that_is_valid() {
    let cases = [
        ("91110000600037341l", Some("91110000600037341L")),
        (" 9111 0000 6000 3734 1L ", Some("91110000600037341L")),
        ("91110000-60003734-1L", Some("91110000600037341L")),
        (
            "９１１１００００６０００３７３４１Ｌ",
            Some("91110000600037341L"),
        ),
        (
            "９１１１００００６０００３７３４１ｌ",
            Some("91110000600037341L"),
        ),
        ("91110000－600037341L\u{3000}", Some("91110000600037341L")),
        ("n2210213mf0a123472", Some("N2210213MF0A123472")),
        ("91110000600037341L", Some("91110000600037341L")),
        // Normalising cannot repair these: no suggestion.
        ("91110000600037341K", None),
        ("911100006O0037341L", None),
        ("9111000060003734", None),
        ("", None),
    ];
    for (text, expected) in cases {
        assert_eq!(CreditCode::suggest(text).as_deref(), expected, "{text:?}");
    }
}

#[test]
fn complete_computes_both_check_characters() {
    let code = CreditCode::complete("9111000060003734").unwrap();
    assert_eq!(code.as_str(), "91110000600037341L");
    let code = CreditCode::complete("91210276MALU47L4").unwrap();
    assert_eq!(code.as_str(), "91210276MALU47L4X8");
    assert_eq!(
        CreditCode::complete("91110000600037341")
            .unwrap_err()
            .to_string(),
        "17 characters: give the first 16 characters of a credit code"
    );
    assert_eq!(
        CreditCode::complete("911100006000373O")
            .unwrap_err()
            .position,
        Some(16)
    );
}

#[test]
fn credit_codes_serialise_as_their_text_and_are_checked_on_the_way_in() {
    let code = CreditCode::parse("91110000600037341L").unwrap();
    assert_eq!(String::from(code), "91110000600037341L");
    assert_eq!("91110000600037341L".parse::<CreditCode>().unwrap(), code);
    assert_eq!(deserialise("91110000600037341L").unwrap(), code);
    let error = deserialise("91110000600037341K").unwrap_err().to_string();
    assert_eq!(
        error,
        "position 18: check character should be 'L', found 'K'"
    );
}

fn deserialise(text: &str) -> Result<CreditCode, serde::de::value::Error> {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    CreditCode::deserialize(text.to_owned().into_deserializer())
}
