//! The TLS side of the SMTP client (ADR 0004): which certificates a relay's must chain to — the
//! system's trust store (Debian's `ca-certificates`) or a bureau's own CA file for an internal
//! relay — and the rustls client built from them once, when the mailer is made.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::{ClientConfig, RootCertStore, crypto};

/// How the conversation with the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain TCP: only for a relay on this host (the config refuses a login otherwise).
    None,
    /// Plain greeting, then `STARTTLS` (RFC 3207) before anything else is said; a relay that
    /// does not offer it is not talked to (no silent fall-back to clear text).
    StartTls,
    /// TLS from the first byte (RFC 8314, usually port 465).
    Tls,
}

impl SmtpSecurity {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "none" => Some(Self::None),
            "starttls" => Some(Self::StartTls),
            "tls" => Some(Self::Tls),
            _ => None,
        }
    }
}

/// Builds the TLS client for `security`, trusting `ca_file`'s certificates (PEM) when given,
/// the system's otherwise. `None` security needs no client.
pub(super) fn connector(
    security: SmtpSecurity,
    ca_file: Option<&Path>,
) -> Result<Option<TlsConnector>, String> {
    if security == SmtpSecurity::None {
        return Ok(None);
    }
    let roots = match ca_file {
        Some(path) => roots_from_file(path)?,
        None => system_roots()?,
    };
    // ring, not rustls's default aws-lc-rs (whose C build needs cmake and is far heavier): rustls
    // 0.23.48 deprecated ring's provider for lacking post-quantum key exchange, which mail to a
    // relay can do without; revisit when aws-lc-rs builds cheaply here.
    #[allow(deprecated)]
    let provider = crypto::ring::default_provider();
    let config = ClientConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS set-up: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Some(TlsConnector::from(Arc::new(config))))
}

fn roots_from_file(path: &Path) -> Result<RootCertStore, String> {
    let shown = PathBuf::from(path).display().to_string();
    let certificates = CertificateDer::pem_file_iter(path)
        .map_err(|e| format!("smtp_ca_file {shown}: {e}"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("smtp_ca_file {shown}: not a PEM certificate file: {e}"))?;
    if certificates.is_empty() {
        return Err(format!(
            "smtp_ca_file {shown} holds no certificate (expected PEM blocks \"-----BEGIN CERTIFICATE-----\")"
        ));
    }
    store_of(certificates, &shown)
}

fn system_roots() -> Result<RootCertStore, String> {
    let found = rustls_native_certs::load_native_certs();
    if found.certs.is_empty() {
        let why = found
            .errors
            .first()
            .map_or(String::new(), |e| format!(" ({e})"));
        return Err(format!(
            "no trusted certificates found on this system{why}: install them (apt-get install ca-certificates) or name the relay's CA with smtp_ca_file"
        ));
    }
    store_of(found.certs, "the system trust store")
}

fn store_of(
    certificates: Vec<CertificateDer<'static>>,
    from: &str,
) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    let (added, _ignored) = store.add_parsable_certificates(certificates);
    if added == 0 {
        return Err(format!(
            "{from}: none of its certificates could be used as a trust root"
        ));
    }
    Ok(store)
}
