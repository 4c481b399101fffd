//! Verifying rendered documents: the QR code, the embedded payload, tampering, rotation.

use crate::support;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use onewindow_documents::{
    DocumentKind, KeyRing, VerifyError, sample_data, verify_link, verify_payload, verify_pdf,
};
use support::*;

#[test]
fn the_qr_code_decodes_to_the_verification_link_and_the_link_verifies() {
    let Some(fonts) = fonts() else { return };
    if !tool("pdftoppm", "poppler-utils") || !tool("zbarimg", "zbar-tools") {
        return;
    }
    let signer = signer(2);
    let ring = KeyRing::new([signer.public_key()]);
    let renderer = renderer(&fonts, signer);
    for kind in DocumentKind::ALL {
        let data = sample_data(kind);
        let doc = render(&renderer, &data);
        let codes = qr_codes(&doc.pdf);
        assert_eq!(codes, std::slice::from_ref(&doc.verify_url), "{kind}");
        let url = &codes[0];
        assert!(
            url.starts_with(&format!("{BASE_URL}/verify/{}/", kind.slug())),
            "{url}"
        );
        let verified = verify_link(url, &ring).unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(verified.number, data.number);
        assert_eq!(verified.holder_name, data.holder.name);
        assert_eq!(verified.content_hash, data.content_hash());
    }
}

#[test]
fn a_rendered_pdf_verifies_offline_and_returns_the_data_it_states() {
    let Some(fonts) = fonts() else { return };
    let signer = signer(3);
    let ring = KeyRing::from_json(&KeyRing::new([signer.public_key()]).to_json()).unwrap();
    let renderer = renderer(&fonts, signer);
    for kind in [DocumentKind::LicenceOriginal, DocumentKind::DenialDecision] {
        let data = sample_data(kind);
        let doc = render(&renderer, &data);
        let verified = verify_pdf(&doc.pdf, &ring).unwrap();
        assert_eq!(verified.data, data);
        assert_eq!(
            verified.document,
            verify_payload(&doc.payload, &ring).unwrap()
        );
        assert_eq!(verified.document.valid_until, data.valid_until());
    }
}

#[test]
fn a_pdf_with_one_changed_byte_is_not_authentic() {
    let Some(fonts) = fonts() else { return };
    let signer = signer(4);
    let ring = KeyRing::new([signer.public_key()]);
    let renderer = renderer(&fonts, signer);
    let pdf = render(&renderer, &sample_data(DocumentKind::LicenceOriginal)).pdf;
    let data_at = find(&pdf, b"onewindow-data:").unwrap() + 40;
    let payload_at = find(&pdf, b"onewindow-payload:").unwrap() + 40;
    let seal_at = pdf.len() - 20;
    for at in [
        10,
        pdf.len() / 3,
        pdf.len() / 2,
        data_at,
        payload_at,
        seal_at,
    ] {
        let mut bad = pdf.clone();
        bad[at] = if bad[at] == b'A' { b'B' } else { b'A' };
        let result = verify_pdf(&bad, &ring);
        assert!(result.is_err(), "byte {at} changed, still authentic");
    }
    let mut cut = pdf.clone();
    cut.truncate(pdf.len() - 100);
    assert!(matches!(
        verify_pdf(&cut, &ring),
        Err(VerifyError::NotFound(_) | VerifyError::Tampered(_))
    ));
}

#[test]
fn a_pdf_with_one_changed_field_is_not_authentic() {
    let Some(fonts) = fonts() else { return };
    let signer = signer(5);
    let ring = KeyRing::new([signer.public_key()]);
    let renderer = renderer(&fonts, signer);
    let data = sample_data(DocumentKind::LicenceOriginal);
    let pdf = render(&renderer, &data).pdf;
    // Rewrite the embedded data with a later expiry, same length, everywhere it occurs.
    let mut forged = data.clone();
    forged
        .dates
        .insert("valid_until".into(), jiff::civil::date(2039, 11, 26));
    let (old, new) = (
        B64.encode(data.canonical_json()),
        B64.encode(forged.canonical_json()),
    );
    assert_eq!(old.len(), new.len());
    let text = replace_all(&pdf, old.as_bytes(), new.as_bytes());
    assert_ne!(text, pdf);
    assert!(matches!(
        verify_pdf(&text, &ring),
        Err(VerifyError::Tampered(_))
    ));
    // A document rendered by anyone else's key is not authentic either.
    let forger = renderer_with_seed(&fonts, 99);
    let fake = render(&forger, &forged).pdf;
    assert!(matches!(
        verify_pdf(&fake, &ring),
        Err(VerifyError::UnknownKey(_))
    ));
}

#[test]
fn an_old_document_still_verifies_after_the_key_is_rotated() {
    let Some(fonts) = fonts() else { return };
    let (old_key, new_key) = (signer(6), signer(7));
    let old_doc = render(
        &renderer(&fonts, old_key.clone()),
        &sample_data(DocumentKind::LicenceOriginal),
    );
    let new_doc = render(
        &renderer(&fonts, new_key.clone()),
        &sample_data(DocumentKind::LicenceCopy),
    );
    assert_ne!(old_doc.key_id, new_doc.key_id);
    let published = KeyRing::new([old_key.public_key(), new_key.public_key()]).to_json();
    let ring = KeyRing::from_json(&published).unwrap();
    assert_eq!(
        verify_pdf(&old_doc.pdf, &ring).unwrap().document.key_id,
        old_key.key_id()
    );
    assert_eq!(
        verify_pdf(&new_doc.pdf, &ring).unwrap().document.key_id,
        new_key.key_id()
    );
    assert!(verify_payload(&old_doc.payload, &ring).is_ok());
    let new_only = KeyRing::new([new_key.public_key()]);
    assert_eq!(
        verify_pdf(&old_doc.pdf, &new_only),
        Err(VerifyError::UnknownKey(old_key.key_id()))
    );
}

fn renderer_with_seed(
    fonts: &onewindow_documents::Fonts,
    seed: u8,
) -> onewindow_documents::Renderer {
    renderer(fonts, signer(seed))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Replaces every occurrence of `from` by `to` (same length) in raw bytes.
fn replace_all(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut at = 0;
    while let Some(found) = find(&out[at..], from) {
        out[at + found..at + found + to.len()].copy_from_slice(to);
        at += found + to.len();
    }
    out
}
