//! SHA-256 digests as a value: the links of a case's hash chain and the content address of an
//! uploaded material. Owns the 32 bytes and their one text form, 64 lowercase hex digits (the
//! form the store and the file store write); computing a chain link is `chain`'s job.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A SHA-256 digest. Written and parsed as 64 lowercase hex digits, nothing else.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct Hash([u8; 32]);

/// Written as its hex digits straight from a buffer (no `String` per hash: every stored event
/// carries two).
impl Serialize for Hash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let hex = self.hex();
        let text = std::str::from_utf8(&hex).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(text)
    }
}

/// Why a text is not a [`Hash`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashError {
    #[error("a hash is 64 hex digits; this text has {0} characters")]
    Length(usize),
    #[error("character {position} ({found:?}) is not a lowercase hex digit (0-9, a-f)")]
    Digit { position: usize, found: char },
}

impl Hash {
    /// The `prev_hash` of a case's first event: 32 zero bytes.
    pub const GENESIS: Hash = Hash([0; 32]);

    pub const fn from_bytes(bytes: [u8; 32]) -> Hash {
        Hash(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The SHA-256 of `bytes` (e.g. an uploaded file, for its content address).
    pub fn of(bytes: &[u8]) -> Hash {
        Hash(Sha256::digest(bytes).into())
    }

    /// Parses 64 lowercase hex digits; uppercase is refused so one digest has one spelling.
    pub fn parse(text: &str) -> Result<Hash, HashError> {
        let count = text.chars().count();
        if count != 64 || text.len() != 64 {
            return Err(HashError::Length(count));
        }
        let mut bytes = [0u8; 32];
        for (i, pair) in text.as_bytes().chunks_exact(2).enumerate() {
            let high = nibble(pair[0], 2 * i)?;
            let low = nibble(pair[1], 2 * i + 1)?;
            bytes[i] = high << 4 | low;
        }
        Ok(Hash(bytes))
    }
}

fn nibble(byte: u8, index: usize) -> Result<u8, HashError> {
    match byte {
        b'0'..=b'9' => Ok(byte - b'0'),
        b'a'..=b'f' => Ok(byte - b'a' + 10),
        _ => Err(HashError::Digit {
            position: index + 1,
            found: char::from(byte),
        }),
    }
}

impl Hash {
    /// The 64 hex digits, written into a buffer at once: every event's hash and link is written
    /// and stored as text, and `{:02x}` per byte costs more than the digest itself.
    fn hex(&self) -> [u8; 64] {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 64];
        for (i, byte) in self.0.iter().enumerate() {
            out[2 * i] = DIGITS[usize::from(byte >> 4)];
            out[2 * i + 1] = DIGITS[usize::from(byte & 0x0f)];
        }
        out
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = self.hex();
        // Only ASCII digits were written.
        f.write_str(std::str::from_utf8(&hex).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({self})")
    }
}

impl FromStr for Hash {
    type Err = HashError;

    fn from_str(text: &str) -> Result<Hash, HashError> {
        Hash::parse(text)
    }
}

impl TryFrom<String> for Hash {
    type Error = HashError;

    fn try_from(text: String) -> Result<Hash, HashError> {
        Hash::parse(&text)
    }
}

impl From<Hash> for String {
    fn from(hash: Hash) -> String {
        hash.hex().iter().map(|&digit| char::from(digit)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hex_form_round_trips_and_matches_a_known_digest() {
        let empty = Hash::of(b"");
        let text = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(empty.to_string(), text);
        assert_eq!(Hash::parse(text), Ok(empty));
        assert_eq!(Hash::GENESIS.to_string(), "0".repeat(64));
    }

    #[test]
    fn json_carries_the_hex_form_both_ways() {
        let hash = Hash::of(b"onewindow");
        let json = serde_json::to_string(&hash).expect("serialises");
        assert_eq!(json, format!("\"{hash}\""));
        assert_eq!(serde_json::from_str::<Hash>(&json).expect("parses"), hash);
        assert!(serde_json::from_str::<Hash>("\"E3B0\"").is_err());
    }

    #[test]
    fn uppercase_short_and_non_hex_texts_are_refused_with_the_place() {
        let upper = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
        assert!(matches!(
            Hash::parse(upper),
            Err(HashError::Digit { position: 1, .. })
        ));
        assert_eq!(Hash::parse("abc"), Err(HashError::Length(3)));
        let non_ascii = format!("{}é", "a".repeat(62));
        assert!(Hash::parse(&non_ascii).is_err());
    }
}
