//! Rendering one document: data in, signed and sealed PDF bytes out.
//!
//! Owns the input every template receives ([`TemplateInput`], snapshot-tested), the
//! QR code, the completeness check on the laid-out pages, and PDF export. A failure at
//! any step returns an error and no bytes. It must not store or list documents.

use std::collections::BTreeMap;

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde::Serialize;
use typst::foundations::{Bytes, Datetime, IntoValue, Smart};
use typst::layout::{Frame, FrameItem};
use typst::visualize::ImageKind;
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::compile::{Compiler, to_value};
use crate::data::{DataError, DocumentData, date_cn, sha256};
use crate::fonts::Fonts;
use crate::keys::{KeyId, Signer};
use crate::link::verify_url;
use crate::payload::sign_payload;
use crate::pdf::{embed_verification, seal};
use crate::template::{TemplateProblem, TemplateSet};

/// Exactly what a template sees as `sys.inputs` (plus `qr`, the QR code as SVG bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateInput {
    /// The signed data, dates as `YYYY-MM-DD`.
    pub data: DocumentData,
    /// The kind's printed title.
    pub title: String,
    /// Every date of `data`, `issued_on` included, written `2026年11月27日`.
    pub dates_cn: BTreeMap<String, String>,
    /// The public verification link the QR code holds.
    pub verify_url: String,
    /// The signed payload (also in the link).
    pub payload: String,
    /// The signing key's id, printed small under the QR code.
    pub key_id: String,
}

/// A finished document.
#[derive(Debug, Clone)]
pub struct RenderedDocument {
    /// The sealed PDF.
    pub pdf: Vec<u8>,
    /// SHA-256 of `pdf`, to store next to it.
    pub sha256: [u8; 32],
    /// The signed payload.
    pub payload: String,
    /// The verification link in the QR code.
    pub verify_url: String,
    /// SHA-256 of the canonical data.
    pub content_hash: [u8; 32],
    /// The key that signed payload and seal.
    pub key_id: KeyId,
    /// Number of pages.
    pub pages: usize,
}

/// Why no document was produced.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The data does not satisfy the kind's requirements.
    #[error(transparent)]
    Data(#[from] DataError),
    /// The template failed on this data.
    #[error("the template failed: {}", join(.0))]
    Template(Vec<TemplateProblem>),
    /// The template ran but left out something every document must show.
    #[error("the document is incomplete: {0}")]
    Incomplete(String),
    /// PDF export failed.
    #[error("PDF export failed: {0}")]
    Pdf(String),
}

fn join(problems: &[TemplateProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Renders documents with one set of fonts, templates and signing key.
pub struct Renderer {
    compilers: BTreeMap<&'static str, Compiler>,
    signer: Signer,
    base_url: String,
}

impl Renderer {
    /// Prepares one compiler per template. `base_url` is the public site, e.g.
    /// `https://zw.example.gov.cn`.
    pub fn new(fonts: &Fonts, templates: &TemplateSet, signer: Signer, base_url: &str) -> Self {
        let compilers = templates
            .iter()
            .map(|(name, source)| (name, Compiler::new(name, source, fonts)))
            .collect();
        Self {
            compilers,
            signer,
            base_url: base_url.to_owned(),
        }
    }

    /// The current signing key.
    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    /// The input the template of `data.kind` receives (for previews).
    pub fn template_input(&self, data: &DocumentData) -> Result<TemplateInput, RenderError> {
        TemplateInput::new(data, &self.signer, &self.base_url)
    }

    /// Validates, signs, renders and seals one document.
    pub fn render(&self, data: &DocumentData) -> Result<RenderedDocument, RenderError> {
        let compiler = &self.compilers[data.kind.template()];
        render_with(compiler, data, &self.signer, &self.base_url, false)
    }
}

impl TemplateInput {
    /// Validates and signs `data` and prepares what its template receives.
    pub fn new(data: &DocumentData, signer: &Signer, base_url: &str) -> Result<Self, RenderError> {
        data.validate()?;
        let payload = sign_payload(data, signer)?;
        let mut dates_cn: BTreeMap<String, String> = data
            .dates
            .iter()
            .map(|(k, d)| (k.clone(), date_cn(*d)))
            .collect();
        dates_cn.insert("issued_on".into(), date_cn(data.issued_on));
        Ok(TemplateInput {
            data: data.clone(),
            title: data.kind.title().to_owned(),
            dates_cn,
            verify_url: verify_url(base_url, data.kind, &data.number, &payload),
            payload,
            key_id: signer.key_id().to_string(),
        })
    }
}

/// The whole pipeline for one compiler; `strict` also refuses typst warnings.
pub(crate) fn render_with(
    compiler: &Compiler,
    data: &DocumentData,
    signer: &Signer,
    base_url: &str,
    strict: bool,
) -> Result<RenderedDocument, RenderError> {
    let input = TemplateInput::new(data, signer, base_url)?;
    let qr = Bytes::from_string(qr_svg(&input.verify_url)?);
    let json = serde_json::to_value(&input).expect("template input always serialises");
    let typst::foundations::Value::Dict(mut inputs) = to_value(&json) else {
        unreachable!("an object converts to a dictionary")
    };
    inputs.insert("qr".into(), qr.clone().into_value());
    let mut document = compiler
        .compile(inputs, strict)
        .map_err(RenderError::Template)?;
    check_complete(&document, data, &qr)?;
    let canonical = data.canonical_json();
    let pdf = export(&mut document, &input, &canonical)?;
    let pdf = seal(pdf, signer);
    Ok(RenderedDocument {
        sha256: sha256(&pdf),
        pdf,
        payload: input.payload,
        verify_url: input.verify_url,
        content_hash: sha256(&canonical),
        key_id: signer.key_id(),
        pages: document.pages().len(),
    })
}

/// Sets the PDF metadata (title, author, date, verification data) and exports.
/// The date is the issue date, never "now", so the same data gives the same bytes.
fn export(
    document: &mut PagedDocument,
    input: &TemplateInput,
    canonical: &[u8],
) -> Result<Vec<u8>, RenderError> {
    let data = &input.data;
    let info = document.info_mut();
    info.title = Some(format!("{} {}", input.title, data.number).into());
    info.author = vec![data.bureau.as_str().into()];
    info.date = Smart::Custom(Datetime::from_ymd(
        i32::from(data.issued_on.year()),
        data.issued_on.month().unsigned_abs(),
        data.issued_on.day().unsigned_abs(),
    ));
    embed_verification(info, &input.payload, canonical);
    let options = PdfOptions {
        ident: Smart::Custom(format!("{}/{}", data.kind.slug(), data.number)),
        creator: Smart::Custom(Some("onewindow".into())),
        ..PdfOptions::default()
    };
    typst_pdf::pdf(document, &options).map_err(|diags| {
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        RenderError::Pdf(messages.join("; "))
    })
}

/// The verification link as an SVG QR code (level M: survives a worn paper copy).
fn qr_svg(url: &str) -> Result<String, RenderError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).map_err(|e| {
        RenderError::Incomplete(format!("the verification link does not fit a QR code: {e}"))
    })?;
    Ok(code
        .render::<svg::Color>()
        .quiet_zone(true)
        .min_dimensions(256, 256)
        .build())
}

/// Every document must show its number and holder and carry the QR code: an edited
/// template that drops them is refused rather than issued.
fn check_complete(
    document: &PagedDocument,
    data: &DocumentData,
    qr: &Bytes,
) -> Result<(), RenderError> {
    let mut text = String::new();
    let mut has_qr = false;
    for page in document.pages() {
        walk(&page.frame, &mut text, &mut has_qr, qr);
    }
    let missing = |what: &str| Err(RenderError::Incomplete(format!("it does not show {what}")));
    if document.pages().is_empty() {
        return missing("any page");
    }
    if !has_qr {
        return missing("the verification QR code (`qr-code()` from common.typ)");
    }
    if !text.contains(&data.number) {
        return missing(&format!("the document number {}", data.number));
    }
    if !text.contains(&data.holder.name) {
        return missing(&format!("the holder {}", data.holder.name));
    }
    Ok(())
}

fn walk(frame: &Frame, text: &mut String, has_qr: &mut bool, qr: &Bytes) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => walk(&group.frame, text, has_qr, qr),
            FrameItem::Text(run) => text.push_str(&run.text),
            FrameItem::Image(image, _, _) => {
                if let ImageKind::Svg(svg) = image.kind() {
                    *has_qr |= svg.data() == qr;
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_an_svg() {
        let svg = qr_svg("https://zw.example.cn/verify/licence-original/X?p=abc").unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg"), "{svg}");
    }

    #[test]
    fn the_renderer_can_be_shared_between_threads() {
        fn assert_sync<T: Send + Sync>() {}
        assert_sync::<Renderer>();
    }
}
