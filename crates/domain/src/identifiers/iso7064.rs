//! ISO/IEC 7064:2003 check characters, hybrid system MOD 37,36 — the check of the electronic
//! licence identifier (GB/T 36904; RULES.md §8). Owns the arithmetic only: which text is
//! checked is the caller's business.
//!
//! The hybrid system MOD M+1,M with M = 36 works over `0–9 A–Z`, a character's value being its
//! place in that list (`0`→0 … `9`→9, `A`→10 … `Z`→35). Starting from P = M, each character of
//! value a gives S = (P + a) mod M, with 0 read as M, and then P = 2·S mod (M + 1). A string
//! that ends in its check character verifies when the last S is 1; so the check character of
//! a string is the one with value (M + 1 − P) mod M, P being the state after the string.
//!
//! What it catches (checked exhaustively in `tests/identifiers_electronic_licence_id.rs`):
//! every single substitution, and every adjacent transposition *except* of two characters of
//! values a and a + 1 (mod 36: `4`/`5`, `9`/`A`, `Z`/`0` …) standing where the state before
//! them is P ≡ 18 − a (mod 36) — e.g. `01` ↔ `10` after a state of 18. That is 72 of the
//! 36·36·35 (state, ordered pair of different characters) cases: about 1 transposition in 630
//! goes unnoticed.

/// M, the modulus the character values live in.
const M: u32 = 36;

/// The value of a character of `0–9 A–Z`; lowercase letters are not characters of the system.
fn value(c: char) -> Option<u32> {
    match c {
        '0'..='9' | 'A'..='Z' => c.to_digit(36),
        _ => None,
    }
}

/// The character of a value `0..36`.
fn character(value: u32) -> char {
    char::from_digit(value, 36).map_or('?', |c| c.to_ascii_uppercase())
}

/// The state P after `text`, or `None` when a character is outside `0–9 A–Z`.
fn state_after(text: &str) -> Option<u32> {
    text.chars().try_fold(M, |p, c| {
        let s = match (p + value(c)?) % M {
            0 => M,
            s => s,
        };
        Some(2 * s % (M + 1))
    })
}

/// The MOD 37,36 check character of `data`, or `None` when `data` has a character outside
/// `0–9 A–Z` (lowercase included).
pub fn mod_37_36_check_character(data: &str) -> Option<char> {
    state_after(data).map(|p| character((M + 1 - p) % M))
}

/// Whether `text` — data followed by its check character — verifies under MOD 37,36.
/// Empty text and text with a character outside `0–9 A–Z` do not.
pub fn is_valid_mod_37_36(text: &str) -> bool {
    let Some((split, check)) = text.char_indices().next_back() else {
        return false;
    };
    mod_37_36_check_character(&text[..split]) == Some(check)
}
