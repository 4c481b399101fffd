//! onewindow's legal documents as verifiable PDFs.
//!
//! Takes plain [`DocumentData`] and returns sealed PDF bytes: notices, decisions and
//! licences (行政许可法 arts. 32, 38, 42, 45, 49, 50, 70; RULES.md §1–3), typeset with
//! typst from editable templates in Noto Serif CJK found at run time, each carrying a
//! QR code with an Ed25519-signed payload that verifies offline against the bureau's
//! published [`KeyRing`]. It knows nothing of cases, storage or HTTP: the app decides
//! when a document is issued and keeps the bytes and the keys.
//!
//! ```no_run
//! use onewindow_documents::*;
//! let fonts = Fonts::discover()?;
//! let signer = Signer::generate(&mut rand::rng());
//! let ring = KeyRing::new([signer.public_key()]);
//! let renderer = Renderer::new(&fonts, &TemplateSet::builtin(), signer, "https://zw.example.gov.cn");
//! let doc = renderer.render(&sample_data(DocumentKind::LicenceOriginal))?;
//! let verified = verify_pdf(&doc.pdf, &ring)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod compile;
mod data;
mod fonts;
mod keys;
mod kind;
mod link;
mod payload;
mod pdf;
mod render;
mod sample;
mod template;

pub use data::{
    DataError, DocumentData, Holder, LICENCE_IDENTIFIER, RIGHTS_TEXT, VALID_UNTIL, date_cn,
};
pub use fonts::{FAMILY, FontError, Fonts};
pub use keys::{KeyError, KeyId, KeyRing, PublicKey, Signer};
pub use kind::{DocumentKind, ItemsRule, Requirements};
pub use link::{verify_link, verify_url};
pub use payload::{VerifiedDocument, VerifyError, sign_payload, verify_payload};
pub use pdf::{VerifiedPdf, verify_pdf};
pub use render::{RenderError, RenderedDocument, Renderer, TemplateInput};
pub use sample::sample_data;
pub use template::{COMMON, Template, TemplateProblem, TemplateSet};
