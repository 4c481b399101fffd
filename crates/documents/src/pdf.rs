//! Finding and checking the verification data inside a PDF.
//!
//! Where it lives (chosen so a verifier needs no PDF parser and no QR decoder):
//! - the payload in the PDF keywords, as `onewindow-payload:<payload>`;
//! - the canonical data JSON in the PDF subject (description), as
//!   `onewindow-data:<base64url JSON>`. typst writes both, uncompressed, into the
//!   document information dictionary and the XMP metadata, so `pdfinfo` shows them;
//! - a seal: one PDF comment line appended after `%%EOF`,
//!   `%onewindow-seal-v1 <key id> <base64url Ed25519 signature>`, signing
//!   "onewindow/pdf-seal/v1\0" ‖ SHA-256 of every byte before that line. PDF readers
//!   ignore it; it makes any changed byte anywhere in the file detectable, including
//!   in the compressed page content the metadata does not cover.
//!
//! Verification checks the seal, the payload signature, that the embedded data hashes
//! to the signed content hash, and that the data states the signed key facts. Text is
//! rendered from that same data, so the visible text is what was signed. This module
//! must not render anything.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use typst::model::DocumentInfo;

use crate::data::{DocumentData, sha256};
use crate::keys::{KeyId, KeyRing, Signer};
use crate::payload::{VerifiedDocument, VerifyError, verify_payload};

const PAYLOAD_MARK: &str = "onewindow-payload:";
const DATA_MARK: &str = "onewindow-data:";
const SEAL_MARK: &[u8] = b"%onewindow-seal-v1 ";
const SEAL_CONTEXT: &[u8] = b"onewindow/pdf-seal/v1\0";

/// A verified PDF: what was signed, and the full data it states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedPdf {
    /// The signed key facts.
    pub document: VerifiedDocument,
    /// The complete data the document was rendered from.
    pub data: DocumentData,
}

/// Puts payload and canonical data into the document's metadata before export.
pub(crate) fn embed_verification(info: &mut DocumentInfo, payload: &str, canonical: &[u8]) {
    info.keywords = vec![format!("{PAYLOAD_MARK}{payload}").into()];
    info.description = Some(format!("{DATA_MARK}{}", B64.encode(canonical)).into());
}

/// Appends the seal line after the PDF's last byte.
pub(crate) fn seal(mut pdf: Vec<u8>, signer: &Signer) -> Vec<u8> {
    if !pdf.ends_with(b"\n") {
        pdf.push(b'\n');
    }
    let signature = signer.sign(&seal_message(&pdf));
    pdf.extend_from_slice(SEAL_MARK);
    pdf.extend_from_slice(format!("{} {}\n", signer.key_id(), B64.encode(signature)).as_bytes());
    pdf
}

fn seal_message(sealed: &[u8]) -> Vec<u8> {
    [SEAL_CONTEXT, &sha256(sealed)].concat()
}

/// Verifies a PDF offline: seal, payload signature, data hash and key facts.
pub fn verify_pdf(bytes: &[u8], ring: &KeyRing) -> Result<VerifiedPdf, VerifyError> {
    let sealed = check_seal(bytes, ring)?;
    let text = String::from_utf8_lossy(sealed);
    let payload = marked(&text, PAYLOAD_MARK)?;
    let document = verify_payload(payload, ring)?;
    let data_json = B64
        .decode(marked(&text, DATA_MARK)?)
        .map_err(|_| VerifyError::Malformed("embedded data is not base64url"))?;
    let data = check_data(&document, &data_json)?;
    Ok(VerifiedPdf { document, data })
}

/// The embedded data must hash to the signed content hash and state the signed facts.
fn check_data(document: &VerifiedDocument, json: &[u8]) -> Result<DocumentData, VerifyError> {
    if sha256(json) != document.content_hash {
        return Err(VerifyError::ContentMismatch(
            "the embedded data is not the signed data".into(),
        ));
    }
    let data: DocumentData = serde_json::from_slice(json)
        .map_err(|_| VerifyError::Malformed("embedded data is not document data"))?;
    document.check_content(&data)?;
    Ok(data)
}

/// Checks the seal line that must end the file; returns the bytes it covers.
fn check_seal<'a>(bytes: &'a [u8], ring: &KeyRing) -> Result<&'a [u8], VerifyError> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let start = body
        .windows(SEAL_MARK.len())
        .rposition(|w| w == SEAL_MARK)
        .ok_or(VerifyError::NotFound("seal"))?;
    let line = std::str::from_utf8(&body[start + SEAL_MARK.len()..])
        .map_err(|_| VerifyError::Tampered("bytes follow the seal"))?;
    let (kid, signature) = line
        .split_once(' ')
        .ok_or(VerifyError::Tampered("the seal line is damaged"))?;
    let signature: [u8; 64] = B64
        .decode(signature)
        .ok()
        .and_then(|s| s.try_into().ok())
        .ok_or(VerifyError::Tampered(
            "the seal line is damaged or bytes follow it",
        ))?;
    let key_id = parse_key_id(kid).ok_or(VerifyError::Tampered("the seal line is damaged"))?;
    let key = ring.get(key_id).ok_or(VerifyError::UnknownKey(key_id))?;
    let sealed = &bytes[..start];
    if !key.verify(&seal_message(sealed), &signature) {
        return Err(VerifyError::Tampered(
            "the seal does not match the file's bytes",
        ));
    }
    Ok(sealed)
}

/// The value after `mark`; every occurrence (information dictionary, XMP) must agree.
fn marked<'a>(text: &'a str, mark: &str) -> Result<&'a str, VerifyError> {
    let is_b64 = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut values = text.match_indices(mark).map(|(at, _)| {
        let rest = &text[at + mark.len()..];
        &rest[..rest.find(|c| !is_b64(c)).unwrap_or(rest.len())]
    });
    let first = values
        .next()
        .ok_or(VerifyError::NotFound("payload or data"))?;
    if values.any(|v| v != first) {
        return Err(VerifyError::ContentMismatch(
            "the file states two different verification values".into(),
        ));
    }
    Ok(first)
}

fn parse_key_id(hex: &str) -> Option<KeyId> {
    if hex.len() != 16 {
        return None;
    }
    let mut bytes = [0u8; 8];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    // Only the canonical lowercase form: the seal line is part of the file's bytes.
    let key_id = KeyId::from_bytes(bytes);
    (key_id.to_string() == hex).then_some(key_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::DocumentKind;
    use crate::payload::sign_payload;
    use crate::sample::sample_data;

    fn fake_pdf(signer: &Signer, data: &DocumentData) -> Vec<u8> {
        let payload = sign_payload(data, signer).unwrap();
        let body = format!(
            "%PDF-1.7\n1 0 obj << /Keywords ({PAYLOAD_MARK}{payload}) /Subject ({DATA_MARK}{}) >>\n%%EOF\n",
            B64.encode(data.canonical_json())
        );
        seal(body.into_bytes(), signer)
    }

    #[test]
    fn a_sealed_file_verifies_and_every_changed_byte_is_caught() {
        let signer = Signer::from_seed([11; 32]);
        let ring = KeyRing::new([signer.public_key()]);
        let data = sample_data(DocumentKind::SupplementNotice);
        let pdf = fake_pdf(&signer, &data);
        assert_eq!(verify_pdf(&pdf, &ring).unwrap().data, data);
        for at in (0..pdf.len()).step_by(7) {
            let mut bad = pdf.clone();
            bad[at] ^= 0x20;
            assert!(
                verify_pdf(&bad, &ring).is_err(),
                "byte {at} of {}: {:?} changed but verified",
                pdf.len(),
                String::from_utf8_lossy(&pdf[at.saturating_sub(10)..(at + 10).min(pdf.len())])
            );
        }
        let mut appended = pdf.clone();
        appended.extend_from_slice(b"trailer\n");
        assert!(verify_pdf(&appended, &ring).is_err());
    }

    #[test]
    fn data_that_differs_from_the_signed_hash_is_not_authentic() {
        let signer = Signer::from_seed([12; 32]);
        let data = sample_data(DocumentKind::DenialDecision);
        let document = verify_payload(
            &sign_payload(&data, &signer).unwrap(),
            &KeyRing::new([signer.public_key()]),
        )
        .unwrap();
        let mut changed = data.clone();
        changed.holder.name = "大连华信阀门制造有限公同".into();
        assert!(matches!(
            check_data(&document, &changed.canonical_json()),
            Err(VerifyError::ContentMismatch(_))
        ));
        assert_eq!(check_data(&document, &data.canonical_json()).unwrap(), data);
    }

    #[test]
    fn two_different_embedded_values_are_refused() {
        let text = format!("{PAYLOAD_MARK}abc) x {PAYLOAD_MARK}abd)");
        assert!(marked(&text, PAYLOAD_MARK).is_err());
        assert_eq!(
            marked(&format!("({PAYLOAD_MARK}abc)"), PAYLOAD_MARK).unwrap(),
            "abc"
        );
    }
}
