//! Properties of the Unified Social Credit Code parse (RULES.md §8), against an oracle written
//! here independently of the crate (weights computed as 3^(i−1) mod 31, the GB 11714 check
//! from its definition):
//! - any 16 code characters completed with both check characters parse;
//! - every change of one character into another code character is refused, at the position
//!   the two checks predict: MOD 31 catches every single change (31 is prime, all weights are
//!   non-zero, values differ by at most 30), and the GB 11714 check at 17 catches a change in
//!   9–16 unless the two characters' 36-scale values differ by a multiple of 11;
//! - swapping two different characters is refused, except between positions 1 and 18 (both
//!   weigh 1 mod 31), which goes unnoticed;
//! - a bad character is reported at its own position, whatever the length;
//! - `suggest` undoes case, spacing, hyphens and full width.

use onewindow_domain::identifiers::{CreditCode, CreditCodeProblem};
use proptest::prelude::*;

const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

fn value31(c: u8) -> u32 {
    ALPHABET.iter().position(|a| *a == c).unwrap() as u32
}

fn value36(c: u8) -> u32 {
    char::from(c).to_digit(36).unwrap()
}

/// The oracle: a 16-character stem with its organisation check and its check character.
fn complete(stem: &[u8]) -> String {
    let body_sum: u32 = stem[8..16]
        .iter()
        .zip([3, 7, 9, 10, 5, 8, 4, 2])
        .map(|(c, w)| value36(*c) * w)
        .sum();
    let organisation_check = match 11 - body_sum % 11 {
        10 => b'X',
        11 => b'0',
        c => b'0' + c as u8,
    };
    let mut code = stem.to_vec();
    code.push(organisation_check);
    let mut weight = 1;
    let mut sum = 0;
    for c in &code {
        sum += value31(*c) * weight;
        weight = weight * 3 % 31;
    }
    code.push(ALPHABET[((31 - sum % 31) % 31) as usize]);
    String::from_utf8(code).unwrap()
}

fn stem() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(proptest::sample::select(ALPHABET), 16)
}

fn valid_code() -> impl Strategy<Value = String> {
    stem().prop_map(|stem| complete(&stem))
}

/// A character that is not a code character, and the problem it must be reported as.
fn bad_character(original: u8) -> impl Strategy<Value = (char, &'static str)> {
    let full_width = char::from_u32(u32::from(original) + 0xFEE0).unwrap();
    prop_oneof![
        (b'a'..=b'z').prop_map(|c| (char::from(c), "lowercase")),
        proptest::sample::select(vec!['I', 'O', 'S', 'V', 'Z']).prop_map(|c| (c, "not used")),
        proptest::sample::select(vec![' ', '\t', '\u{3000}']).prop_map(|c| (c, "space")),
        proptest::sample::select(vec!['-', '\u{2014}', '\u{FF0D}']).prop_map(|c| (c, "separator")),
        Just((full_width, "full width")),
        proptest::sample::select(vec!['辽', '.', '/', '_', 'é']).prop_map(|c| (c, "not allowed")),
    ]
}

fn kind(problem: CreditCodeProblem) -> &'static str {
    match problem {
        CreditCodeProblem::Lowercase { .. } => "lowercase",
        CreditCodeProblem::NotUsed { .. } => "not used",
        CreditCodeProblem::Space => "space",
        CreditCodeProblem::Separator { .. } => "separator",
        CreditCodeProblem::FullWidth { .. } => "full width",
        CreditCodeProblem::NotAllowed { .. } => "not allowed",
        _ => "other",
    }
}

fn replace(code: &str, index: usize, with: char) -> String {
    code.chars()
        .enumerate()
        .map(|(i, c)| if i == index { with } else { c })
        .collect()
}

/// Where a change of the character at `index` from `old` to `new` is reported: 17 when the
/// GB 11714 check sees it, else 18 (MOD 31 always does).
fn predicted_position(index: usize, old: u8, new: u8) -> usize {
    let organisation_blind = (i64::from(value36(old)) - i64::from(value36(new))) % 11 == 0;
    match index + 1 {
        9..=16 if !organisation_blind => 17,
        17 => 17,
        _ => 18,
    }
}

/// Codes of every registration-authority lead and both special organisation checks.
const SAMPLES: [&str; 6] = [
    "91110000600037341L",
    "91210231MA0YB0K72B",
    "N2210213MF0A123472",
    "Y1210200MJ0K8B2D0L",
    "91210276MALU47L4X8",
    "91210283MA6NFHTH0U",
];

#[test]
fn every_single_change_and_every_swap_of_the_samples_is_refused() {
    for text in SAMPLES {
        let bytes = text.as_bytes();
        for index in 0..18 {
            for &new in ALPHABET.iter().filter(|c| **c != bytes[index]) {
                let changed = replace(text, index, char::from(new));
                let error = CreditCode::parse(&changed).unwrap_err();
                let expected = predicted_position(index, bytes[index], new);
                assert_eq!(error.position, Some(expected), "{changed}");
            }
            for other in index + 1..18 {
                let mut swapped = bytes.to_vec();
                swapped.swap(index, other);
                let swapped = String::from_utf8(swapped).unwrap();
                let blind = bytes[index] == bytes[other] || (index, other) == (0, 17);
                assert_eq!(CreditCode::parse(&swapped).is_ok(), blind, "{swapped}");
            }
        }
    }
}

proptest! {
    #[test]
    fn any_stem_with_both_checks_computed_parses(stem in stem()) {
        let text = complete(&stem);
        let code = CreditCode::parse(&text).unwrap();
        prop_assert_eq!(code.as_str(), text.as_str());
        let completed = CreditCode::complete(std::str::from_utf8(&stem).unwrap()).unwrap();
        prop_assert_eq!(completed, code);
        prop_assert_eq!(code.organisation_code(), &text[8..17]);
    }

    #[test]
    fn every_single_character_change_is_refused_where_the_checks_predict(
        text in valid_code(),
        index in 0usize..18,
        shift in 1usize..31,
    ) {
        let old = text.as_bytes()[index];
        let new = ALPHABET[(value31(old) as usize + shift) % 31];
        let changed = replace(&text, index, char::from(new));
        let error = CreditCode::parse(&changed).unwrap_err();
        let expected = predicted_position(index, old, new);
        prop_assert_eq!(error.position, Some(expected), "{} → {}", text, changed);
        let is_check = matches!(
            error.reason,
            CreditCodeProblem::Check { .. } | CreditCodeProblem::OrganisationCheck { .. }
        );
        prop_assert!(is_check);
    }

    #[test]
    fn swapping_two_different_characters_is_refused_unless_they_are_first_and_last(
        text in valid_code(),
        i in 0usize..18,
        j in 0usize..18,
    ) {
        let (i, j) = (i.min(j), i.max(j));
        let bytes = text.as_bytes();
        prop_assume!(bytes[i] != bytes[j]);
        let mut swapped = bytes.to_vec();
        swapped.swap(i, j);
        let swapped = String::from_utf8(swapped).unwrap();
        let parsed = CreditCode::parse(&swapped);
        if (i, j) == (0, 17) {
            // Positions 1 and 18 both weigh 1: the known blind spot of MOD 31.
            prop_assert!(parsed.is_ok(), "{}", swapped);
        } else {
            prop_assert!(parsed.is_err(), "{} → {}", text, swapped);
        }
    }

    #[test]
    fn a_bad_character_is_reported_at_its_position(
        (text, index, (bad, expected_kind)) in (valid_code(), 0usize..18).prop_flat_map(
            |(text, index)| {
                let original = text.as_bytes()[index];
                (Just(text), Just(index), bad_character(original))
            },
        ),
        inserted in any::<bool>(),
    ) {
        // Replaced keeps the length; inserted makes it 19 — the character is still what is
        // reported.
        let changed = if inserted {
            let mut chars: Vec<char> = text.chars().collect();
            chars.insert(index, bad);
            chars.into_iter().collect()
        } else {
            replace(&text, index, bad)
        };
        let error = CreditCode::parse(&changed).unwrap_err();
        prop_assert_eq!(error.position, Some(index + 1), "{:?}: {}", changed, error);
        prop_assert_eq!(kind(error.reason), expected_kind);
        let prefix = format!("position {}: ", index + 1);
        prop_assert!(error.to_string().starts_with(&prefix));
    }

    #[test]
    fn a_wrong_length_of_good_characters_is_reported_without_a_position(
        text in valid_code(),
        cut in 1usize..18,
        extra in proptest::collection::vec(proptest::sample::select(ALPHABET), 0..4),
    ) {
        let changed = if extra.is_empty() {
            text[..cut].to_owned()
        } else {
            format!("{text}{}", String::from_utf8(extra).unwrap())
        };
        let error = CreditCode::parse(&changed).unwrap_err();
        prop_assert_eq!(error.position, None);
        prop_assert_eq!(error.reason, CreditCodeProblem::Length { found: changed.len() });
    }

    #[test]
    fn suggest_undoes_case_spacing_hyphens_and_full_width(
        text in valid_code(),
        edits in proptest::collection::vec((0usize..4, any::<bool>()), 18),
    ) {
        let mut typed = String::from("  ");
        for (c, (edit, separate)) in text.chars().zip(edits) {
            match edit {
                0 => typed.push(c.to_ascii_lowercase()),
                1 => typed.push(char::from_u32(u32::from(c) + 0xFEE0).unwrap()),
                _ => typed.push(c),
            }
            if separate {
                typed.push(if edit == 3 { '-' } else { ' ' });
            }
        }
        prop_assert_eq!(CreditCode::suggest(&typed), Some(text));
    }
}
