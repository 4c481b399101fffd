//! The compact signed payload carried by every document's QR code.
//!
//! Owns the binary layout (version 1, below), its base64url text form, signing and
//! offline verification against a [`KeyRing`]. It must not look at PDFs or URLs.
//!
//! Layout, all integers big-endian:
//! ```text
//! offset size  field
//! 0      1     version = 1
//! 1      1     kind code (DocumentKind::code)
//! 2      8     key id
//! 10     4     issued_on as YYYYMMDD
//! 14     4     valid_until as YYYYMMDD, 0 = none
//! 18     32    SHA-256 of the canonical data JSON
//! 50     1+n   document number, UTF-8, length-prefixed (n ≤ 255)
//! ..     1+n   holder credit code, UTF-8, length-prefixed
//! ..     1+n   holder name, UTF-8, length-prefixed
//! end-64 64    Ed25519 signature over "onewindow/document/v1\0" ‖ all bytes before it
//! ```
//! About 190 bytes for a typical licence: 255 characters of base64url (no padding).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use jiff::civil::Date;

use crate::data::{DataError, DocumentData};
use crate::keys::{KeyId, KeyRing, Signer};
use crate::kind::DocumentKind;

const VERSION: u8 = 1;
const CONTEXT: &[u8] = b"onewindow/document/v1\0";
const FIXED: usize = 50;
const SIGNATURE: usize = 64;

/// What a valid payload proves: these facts were signed by the key `key_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedDocument {
    /// Document kind.
    pub kind: DocumentKind,
    /// Document (or licence) number.
    pub number: String,
    /// Holder's name.
    pub holder_name: String,
    /// Holder's unified social credit code.
    pub holder_credit_code: String,
    /// Date of issue.
    pub issued_on: Date,
    /// End of validity, if any.
    pub valid_until: Option<Date>,
    /// SHA-256 of the canonical data JSON the document was rendered from.
    pub content_hash: [u8; 32],
    /// The key that signed it.
    pub key_id: KeyId,
}

/// Why a payload, link or PDF is not authentic. Every variant means "do not trust".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// Not a payload: bad base64, truncated, impossible values.
    #[error("the verification code is damaged: {0}")]
    Malformed(&'static str),
    /// A payload format this version does not know.
    #[error("unknown payload version {0}")]
    UnsupportedVersion(u8),
    /// Signed by a key the ring does not hold (not this bureau's, or ring outdated).
    #[error("signed by unknown key {0}")]
    UnknownKey(KeyId),
    /// The signature does not match: the payload was altered.
    #[error("the signature does not match: the document is not authentic")]
    BadSignature,
    /// The document's content differs from what was signed.
    #[error("the document's content differs from what was signed: {0}")]
    ContentMismatch(String),
    /// The PDF carries no onewindow verification data.
    #[error("no onewindow verification data found in the file")]
    NotFound(&'static str),
    /// The PDF bytes were changed after issuance.
    #[error("the file was altered after it was issued: {0}")]
    Tampered(&'static str),
}

/// Signs the document's key facts and content hash; returns the base64url payload.
pub fn sign_payload(data: &DocumentData, signer: &Signer) -> Result<String, DataError> {
    let mut out = Vec::with_capacity(256);
    out.push(VERSION);
    out.push(data.kind.code());
    out.extend_from_slice(&signer.key_id().to_bytes());
    out.extend_from_slice(&ymd(Some(data.issued_on)).to_be_bytes());
    out.extend_from_slice(&ymd(data.valid_until()).to_be_bytes());
    out.extend_from_slice(&data.content_hash());
    for (key, text) in [
        ("number", &data.number),
        ("holder.credit_code", &data.holder.credit_code),
        ("holder.name", &data.holder.name),
    ] {
        let len = u8::try_from(text.len()).map_err(|_| DataError::TooLong {
            key,
            len: text.len(),
        })?;
        out.push(len);
        out.extend_from_slice(text.as_bytes());
    }
    let signature = signer.sign(&[CONTEXT, &out].concat());
    out.extend_from_slice(&signature);
    Ok(B64.encode(out))
}

/// Verifies a payload offline with the bureau's published keys.
pub fn verify_payload(payload: &str, ring: &KeyRing) -> Result<VerifiedDocument, VerifyError> {
    let bytes = B64
        .decode(payload.trim())
        .map_err(|_| VerifyError::Malformed("not base64url"))?;
    if bytes.len() < FIXED + 3 + SIGNATURE {
        return Err(VerifyError::Malformed("too short"));
    }
    if bytes[0] != VERSION {
        return Err(VerifyError::UnsupportedVersion(bytes[0]));
    }
    let (body, signature) = bytes.split_at(bytes.len() - SIGNATURE);
    let key_id = KeyId::from_bytes(body[2..10].try_into().expect("8 bytes"));
    let key = ring.get(key_id).ok_or(VerifyError::UnknownKey(key_id))?;
    let signature: &[u8; 64] = signature.try_into().expect("64 bytes");
    if !key.verify(&[CONTEXT, body].concat(), signature) {
        return Err(VerifyError::BadSignature);
    }
    // Signed bytes are ours, so what follows only fails if a future writer is buggy.
    let kind = DocumentKind::from_code(body[1]).ok_or(VerifyError::Malformed("unknown kind"))?;
    let issued_on = from_ymd(u32_at(body, 10))?.ok_or(VerifyError::Malformed("no issue date"))?;
    let valid_until = from_ymd(u32_at(body, 14))?;
    let content_hash = body[18..50].try_into().expect("32 bytes");
    let mut rest = &body[FIXED..];
    let mut text = || -> Result<String, VerifyError> {
        let (&len, tail) = rest
            .split_first()
            .ok_or(VerifyError::Malformed("truncated"))?;
        let (value, tail) = tail
            .split_at_checked(usize::from(len))
            .ok_or(VerifyError::Malformed("truncated"))?;
        rest = tail;
        String::from_utf8(value.to_vec()).map_err(|_| VerifyError::Malformed("not UTF-8"))
    };
    let number = text()?;
    let holder_credit_code = text()?;
    let holder_name = text()?;
    Ok(VerifiedDocument {
        kind,
        number,
        holder_name,
        holder_credit_code,
        issued_on,
        valid_until,
        content_hash,
        key_id,
    })
}

impl VerifiedDocument {
    /// Checks that `data` is exactly what was signed: the same content hash (so every
    /// field, date and item), and the same key facts.
    pub fn check_content(&self, data: &DocumentData) -> Result<(), VerifyError> {
        let mismatch = |what: &str| Err(VerifyError::ContentMismatch(what.to_owned()));
        if data.content_hash() != self.content_hash {
            return mismatch("content hash");
        }
        if data.kind != self.kind || data.number != self.number {
            return mismatch("kind or number");
        }
        if data.holder.name != self.holder_name
            || data.holder.credit_code != self.holder_credit_code
        {
            return mismatch("holder");
        }
        if data.issued_on != self.issued_on || data.valid_until() != self.valid_until {
            return mismatch("dates");
        }
        Ok(())
    }
}

fn ymd(date: Option<Date>) -> u32 {
    date.map_or(0, |d| {
        // Years before 1 cannot be issued; clamp keeps the encoding total.
        let year = u32::try_from(d.year()).unwrap_or(0);
        year * 10_000
            + u32::from(d.month().unsigned_abs()) * 100
            + u32::from(d.day().unsigned_abs())
    })
}

fn from_ymd(value: u32) -> Result<Option<Date>, VerifyError> {
    if value == 0 {
        return Ok(None);
    }
    let part = |v: u32| i8::try_from(v).map_err(|_| VerifyError::Malformed("bad date"));
    let year = i16::try_from(value / 10_000).map_err(|_| VerifyError::Malformed("bad date"))?;
    Date::new(year, part(value / 100 % 100)?, part(value % 100)?)
        .map(Some)
        .map_err(|_| VerifyError::Malformed("bad date"))
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample_data;

    fn ring_of(signer: &Signer) -> KeyRing {
        KeyRing::new([signer.public_key()])
    }

    #[test]
    fn a_signed_payload_verifies_and_states_the_key_facts() {
        let signer = Signer::from_seed([3; 32]);
        let data = sample_data(DocumentKind::LicenceOriginal);
        let payload = sign_payload(&data, &signer).unwrap();
        assert!(payload.len() < 300, "{}", payload.len());
        let doc = verify_payload(&payload, &ring_of(&signer)).unwrap();
        assert_eq!(doc.kind, DocumentKind::LicenceOriginal);
        assert_eq!(doc.number, "(辽)XK13-006-00042");
        assert_eq!(doc.holder_name, data.holder.name);
        assert_eq!(doc.valid_until, Some(jiff::civil::date(2031, 11, 26)));
        doc.check_content(&data).unwrap();
    }

    #[test]
    fn every_changed_byte_of_a_payload_is_rejected() {
        let signer = Signer::from_seed([4; 32]);
        let data = sample_data(DocumentKind::DenialDecision);
        let raw = B64.decode(sign_payload(&data, &signer).unwrap()).unwrap();
        for at in 0..raw.len() {
            let mut bad = raw.clone();
            bad[at] ^= 0x01;
            let result = verify_payload(&B64.encode(&bad), &ring_of(&signer));
            assert!(result.is_err(), "byte {at} changed but still verified");
        }
    }

    #[test]
    fn a_changed_field_no_longer_matches_the_signed_hash() {
        let signer = Signer::from_seed([5; 32]);
        let mut data = sample_data(DocumentKind::GrantDecision);
        let doc =
            verify_payload(&sign_payload(&data, &signer).unwrap(), &ring_of(&signer)).unwrap();
        data.fields.insert("product".into(), "电热毯".into());
        assert_eq!(
            doc.check_content(&data),
            Err(VerifyError::ContentMismatch("content hash".into()))
        );
    }

    #[test]
    fn a_payload_from_an_unknown_key_is_rejected() {
        let data = sample_data(DocumentKind::Acceptance);
        let payload = sign_payload(&data, &Signer::from_seed([6; 32])).unwrap();
        let other = Signer::from_seed([7; 32]);
        assert_eq!(
            verify_payload(&payload, &ring_of(&other)),
            Err(VerifyError::UnknownKey(Signer::from_seed([6; 32]).key_id()))
        );
        assert!(matches!(
            verify_payload("not a payload!", &ring_of(&other)),
            Err(VerifyError::Malformed(_))
        ));
    }
}
