//! A minimal SMTP client over tokio (RFC 5321): EHLO, STARTTLS (RFC 3207) or TLS from the start
//! (RFC 8314) unless the relay is on this host, optional AUTH PLAIN, one message per connection,
//! UTF-8 subject and body in base64 (no 8BITMIME needed). A 5xx reply is permanent (the message
//! is given up); anything else — a refused certificate included — is retried (ADR 0004).

use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jiff::Timestamp;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;

pub use super::smtp_tls::SmtpSecurity;

/// Where and as whom mail is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// The sender address (envelope and `From:`).
    pub from: String,
    /// AUTH PLAIN credentials, if the relay needs them.
    pub login: Option<(String, String)>,
    /// How long one conversation may take.
    pub timeout: Duration,
    pub security: SmtpSecurity,
    /// The relay's certificate must chain to one in this PEM file; the system's trust store when
    /// `None`.
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct SmtpError {
    /// The relay refused for good (a 5xx reply): trying again will not help.
    pub permanent: bool,
    pub message: String,
}

fn transient(message: String) -> SmtpError {
    SmtpError {
        permanent: false,
        message,
    }
}

/// Sends messages through one relay.
#[derive(Clone)]
pub struct SmtpMailer {
    settings: SmtpSettings,
    tls: Option<TlsConnector>,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// Fails when TLS is asked for and no trust roots can be read (the message says which file
    /// or what to install).
    pub fn new(settings: SmtpSettings) -> Result<Self, String> {
        let tls = super::smtp_tls::connector(settings.security, settings.ca_file.as_deref())?;
        Ok(Self { settings, tls })
    }

    /// Sends one message; `Ok` once the relay has accepted it (250 after DATA).
    pub async fn send(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        message_id: &str,
        now: Timestamp,
    ) -> Result<(), SmtpError> {
        let text = self.message(to, subject, body, message_id, now);
        tokio::time::timeout(self.settings.timeout, self.converse(to, &text))
            .await
            .map_err(|_| {
                transient(format!(
                    "SMTP {}:{} did not answer within {:?}",
                    self.settings.host, self.settings.port, self.settings.timeout
                ))
            })?
    }

    async fn converse(&self, to: &str, text: &str) -> Result<(), SmtpError> {
        let s = &self.settings;
        let tcp = TcpStream::connect((s.host.as_str(), s.port))
            .await
            .map_err(|e| transient(format!("SMTP {}:{}: {e}", s.host, s.port)))?;
        match (s.security, &self.tls) {
            (SmtpSecurity::Tls, Some(tls)) => {
                let wire = self.secure(tls, tcp).await?;
                let mut wire = BufReader::new(wire);
                expect(&mut wire, 220, "greeting").await?;
                self.hello(&mut wire).await?;
                self.deliver(&mut wire, to, text).await
            }
            (SmtpSecurity::StartTls, Some(tls)) => {
                let mut plain = BufReader::new(tcp);
                expect(&mut plain, 220, "greeting").await?;
                let offered = self.hello(&mut plain).await?;
                if !offered
                    .lines()
                    .any(|l| l.trim().eq_ignore_ascii_case("STARTTLS"))
                {
                    return Err(transient(format!(
                        "SMTP {}:{} does not offer STARTTLS (smtp_tls = \"starttls\"): nothing was sent in clear; use smtp_tls = \"tls\" for a TLS port, or a relay that offers it",
                        s.host, s.port
                    )));
                }
                command(&mut plain, "STARTTLS").await?;
                expect(&mut plain, 220, "STARTTLS").await?;
                // The relay says nothing more until the handshake, so the buffer is empty.
                let wire = self.secure(tls, plain.into_inner()).await?;
                let mut wire = BufReader::new(wire);
                self.hello(&mut wire).await?;
                self.deliver(&mut wire, to, text).await
            }
            (SmtpSecurity::None, _) => {
                let mut plain = BufReader::new(tcp);
                expect(&mut plain, 220, "greeting").await?;
                self.hello(&mut plain).await?;
                self.deliver(&mut plain, to, text).await
            }
            // `new` makes a TLS client whenever TLS is asked for; should the two ever disagree,
            // nothing goes out in clear.
            (_, None) => Err(transient(format!(
                "SMTP {}:{}: TLS was asked for but no TLS client was made",
                s.host, s.port
            ))),
        }
    }

    async fn secure(
        &self,
        tls: &TlsConnector,
        tcp: TcpStream,
    ) -> Result<tokio_rustls::client::TlsStream<TcpStream>, SmtpError> {
        let s = &self.settings;
        let name = ServerName::try_from(s.host.clone()).map_err(|e| {
            transient(format!(
                "SMTP host {} is not a TLS server name: {e}",
                s.host
            ))
        })?;
        tls.connect(name, tcp).await.map_err(|e| {
            transient(format!(
                "SMTP {}:{}: TLS handshake failed (is the relay's certificate trusted? see smtp_ca_file): {e}",
                s.host, s.port
            ))
        })
    }

    /// EHLO; the relay's reply lists what it offers (one extension per line).
    async fn hello<W: AsyncRead + AsyncWrite + Unpin>(
        &self,
        wire: &mut BufReader<W>,
    ) -> Result<String, SmtpError> {
        command(wire, "EHLO onewindow").await?;
        expect(wire, 250, "EHLO").await
    }

    async fn deliver<W: AsyncRead + AsyncWrite + Unpin>(
        &self,
        wire: &mut BufReader<W>,
        to: &str,
        text: &str,
    ) -> Result<(), SmtpError> {
        let s = &self.settings;
        if let Some((user, password)) = &s.login {
            let token = STANDARD.encode(format!("\0{user}\0{password}"));
            command(wire, &format!("AUTH PLAIN {token}")).await?;
            expect(wire, 235, "AUTH").await?;
        }
        command(wire, &format!("MAIL FROM:<{}>", s.from)).await?;
        expect(wire, 250, "MAIL FROM").await?;
        command(wire, &format!("RCPT TO:<{to}>")).await?;
        expect(wire, 250, "RCPT TO").await?;
        command(wire, "DATA").await?;
        expect(wire, 354, "DATA").await?;
        // The body is base64, so no line starts with a dot; the terminator ends it.
        command(wire, &format!("{text}\r\n.")).await?;
        expect(wire, 250, "end of data").await?;
        // The message is accepted; a failed goodbye changes nothing.
        let _ = command(wire, "QUIT").await;
        Ok(())
    }

    /// The message text: headers, a blank line, the body in base64 lines of 76.
    fn message(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        message_id: &str,
        now: Timestamp,
    ) -> String {
        let domain = self
            .settings
            .from
            .rsplit_once('@')
            .map_or("onewindow", |(_, d)| d);
        let date = jiff::fmt::rfc2822::DateTimePrinter::new()
            .timestamp_to_string(&now)
            .unwrap_or_default();
        let encoded = STANDARD.encode(body.replace('\n', "\r\n"));
        let lines: Vec<&str> = encoded
            .as_bytes()
            .chunks(76)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect();
        format!(
            "From: {from}\r\nTo: {to}\r\nSubject: =?UTF-8?B?{subject}?=\r\nDate: {date}\r\n\
             Message-ID: <{message_id}@{domain}>\r\nMIME-Version: 1.0\r\n\
             Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}",
            from = self.settings.from,
            subject = STANDARD.encode(subject),
            body = lines.join("\r\n"),
        )
    }
}

async fn command<W: AsyncWrite + Unpin>(wire: &mut W, line: &str) -> Result<(), SmtpError> {
    wire.write_all(format!("{line}\r\n").as_bytes())
        .await
        .map_err(|e| transient(format!("SMTP write: {e}")))?;
    wire.flush()
        .await
        .map_err(|e| transient(format!("SMTP write: {e}")))
}

/// Reads one reply (all its `NNN-` continuation lines), checks its code and returns its text
/// without the codes, one line each.
async fn expect<R: AsyncRead + Unpin>(
    read: &mut BufReader<R>,
    code: u16,
    after: &str,
) -> Result<String, SmtpError> {
    let mut text = String::new();
    let mut lines = String::new();
    loop {
        let mut line = String::new();
        let n = read
            .read_line(&mut line)
            .await
            .map_err(|e| transient(format!("SMTP read: {e}")))?;
        if n == 0 {
            return Err(transient(format!(
                "SMTP closed the connection after {after}"
            )));
        }
        text.push_str(line.trim_end());
        lines.push_str(line.get(4..).unwrap_or_default().trim_end());
        lines.push('\n');
        if line.as_bytes().get(3) != Some(&b'-') {
            break;
        }
        text.push(' ');
    }
    let got: u16 = text.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
    // 251: "user not local; will forward" is an acceptance of RCPT.
    if got == code || (code == 250 && got == 251) {
        return Ok(lines);
    }
    Err(SmtpError {
        permanent: (500..600).contains(&got),
        message: format!("SMTP refused {after}: {text}"),
    })
}
