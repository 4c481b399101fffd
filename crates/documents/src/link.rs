//! The public verification link encoded in each QR code.
//!
//! Owns the URL shape `{base_url}/verify/{kind}/{number}?p={payload}` (the number
//! percent-encoded as a path segment) and reading a scanned link back. It must not
//! fetch anything: the payload in the link verifies offline.

use crate::keys::KeyRing;
use crate::kind::DocumentKind;
use crate::payload::{VerifiedDocument, VerifyError, verify_payload};

/// The verification URL for a document.
pub fn verify_url(base_url: &str, kind: DocumentKind, number: &str, payload: &str) -> String {
    format!(
        "{}/verify/{}/{}?p={}",
        base_url.trim_end_matches('/'),
        kind.slug(),
        percent_encode(number),
        payload
    )
}

/// Verifies a scanned link: the payload must verify, and the kind and number in the
/// path must be the signed ones (so a valid payload cannot be shown under another
/// document's address).
pub fn verify_link(url: &str, ring: &KeyRing) -> Result<VerifiedDocument, VerifyError> {
    let bad = VerifyError::Malformed("not a onewindow verification link");
    let (path, query) = url.split_once('?').ok_or(bad.clone())?;
    let payload = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("p="))
        .ok_or(bad.clone())?;
    let mut segments = path.rsplitn(4, '/');
    let (number, slug, verify) = (segments.next(), segments.next(), segments.next());
    if verify != Some("verify") {
        return Err(bad);
    }
    let doc = verify_payload(payload, ring)?;
    let same_kind = slug.and_then(DocumentKind::from_slug) == Some(doc.kind);
    let same_number = number.map(percent_decode) == Some(Some(doc.number.clone()));
    if !same_kind || !same_number {
        return Err(VerifyError::ContentMismatch(
            "the link's kind or number differs from the signed one".into(),
        ));
    }
    Ok(doc)
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn percent_decode(text: &str) -> Option<String> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(byte) = bytes.next() {
        if byte == b'%' {
            let hex = [bytes.next()?, bytes.next()?];
            out.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
        } else {
            out.push(byte);
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::Signer;
    use crate::payload::sign_payload;
    use crate::sample::sample_data;

    #[test]
    fn a_link_carries_the_kind_the_encoded_number_and_the_payload() {
        let url = verify_url(
            "https://zw.example.cn/",
            DocumentKind::LicenceCopy,
            "(辽)XK13-006-00042",
            "abc",
        );
        assert_eq!(
            url,
            "https://zw.example.cn/verify/licence-copy/%28%E8%BE%BD%29XK13-006-00042?p=abc"
        );
    }

    #[test]
    fn a_link_verifies_only_under_its_own_kind_and_number() {
        let signer = Signer::from_seed([9; 32]);
        let ring = KeyRing::new([signer.public_key()]);
        let data = sample_data(DocumentKind::LicenceOriginal);
        let payload = sign_payload(&data, &signer).unwrap();
        let url = verify_url("https://zw.example.cn", data.kind, &data.number, &payload);
        assert_eq!(verify_link(&url, &ring).unwrap().number, data.number);
        let moved = verify_url(
            "https://zw.example.cn",
            data.kind,
            "(辽)XK13-006-99999",
            &payload,
        );
        assert!(matches!(
            verify_link(&moved, &ring),
            Err(VerifyError::ContentMismatch(_))
        ));
        assert!(verify_link("https://example.cn/", &ring).is_err());
    }
}
