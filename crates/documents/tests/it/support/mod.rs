//! Shared helpers for the document tests: the font, the external tools, a renderer.
//!
//! Tests that need the CJK font or poppler/zbar fail with a message saying what to
//! install, unless `ONEWINDOW_SKIP_DOCUMENT_TOOLS=1`, in which case they skip.

#![allow(dead_code)]

use std::io::Write;
use std::process::Command;
use std::sync::OnceLock;

use onewindow_documents::{DocumentData, Fonts, RenderedDocument, Renderer, Signer, TemplateSet};

pub const BASE_URL: &str = "https://zw.example.gov.cn";

fn skipping() -> bool {
    std::env::var("ONEWINDOW_SKIP_DOCUMENT_TOOLS").is_ok_and(|v| v == "1")
}

/// The CJK font, loaded once per test binary; `None` means "skip this test".
pub fn fonts() -> Option<Fonts> {
    static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
    match FONTS.get_or_init(|| Fonts::discover().map_err(|e| e.to_string())) {
        Ok(fonts) => Some(fonts.clone()),
        Err(_) if skipping() => None,
        Err(message) => panic!("{message} (or set ONEWINDOW_SKIP_DOCUMENT_TOOLS=1 to skip)"),
    }
}

/// Whether the external tool exists; panics with the package to install unless skipping.
pub fn tool(name: &str, package: &str) -> bool {
    let found = Command::new(name).arg("-v").output().is_ok();
    if !found && !skipping() {
        panic!(
            "`{name}` is missing: apt-get install {package} (or set ONEWINDOW_SKIP_DOCUMENT_TOOLS=1 to skip)"
        );
    }
    found
}

/// A fixed signing key, so payloads and snapshots are stable.
pub fn signer(seed: u8) -> Signer {
    Signer::from_seed([seed; 32])
}

pub fn renderer(fonts: &Fonts, signer: Signer) -> Renderer {
    Renderer::new(fonts, &TemplateSet::builtin(), signer, BASE_URL)
}

pub fn render(renderer: &Renderer, data: &DocumentData) -> RenderedDocument {
    renderer
        .render(data)
        .unwrap_or_else(|e| panic!("{} did not render: {e}", data.kind))
}

/// Writes the PDF to a temporary file and runs `tool args… FILE extra…`.
pub fn run_on_pdf(pdf: &[u8], tool: &str, args: &[&str], extra: &[&str]) -> String {
    let mut file = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    file.write_all(pdf).unwrap();
    let out = Command::new(tool)
        .args(args)
        .arg(file.path())
        .args(extra)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"));
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text of the PDF, as `pdftotext` extracts it.
pub fn pdftotext(pdf: &[u8]) -> String {
    run_on_pdf(pdf, "pdftotext", &["-enc", "UTF-8"], &["-"])
}

/// Text with all whitespace removed (pdftotext puts spaces between CJK and Latin runs).
pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The QR codes on the first page: rasterised at 150 dpi, decoded with zbarimg.
pub fn qr_codes(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    let prefix = prefix.to_str().unwrap();
    run_on_pdf(
        pdf,
        "pdftoppm",
        &["-r", "150", "-png", "-f", "1", "-l", "1"],
        &[prefix],
    );
    let png = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "png"))
        .expect("pdftoppm wrote a page");
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(&png)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "zbarimg found no QR code: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}
