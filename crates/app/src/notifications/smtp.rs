//! A minimal SMTP client over tokio (RFC 5321): EHLO, optional AUTH PLAIN, one message per
//! connection, UTF-8 subject and body in base64 (no 8BITMIME needed). Plain TCP only: no TLS
//! stack is built in (ADR 0004) — point it at a relay on this host or a trusted network, which
//! does TLS onward. A 5xx reply is permanent (the message is given up); anything else is retried.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jiff::Timestamp;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

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
#[derive(Debug, Clone)]
pub struct SmtpMailer {
    settings: SmtpSettings,
}

impl SmtpMailer {
    pub fn new(settings: SmtpSettings) -> Self {
        Self { settings }
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
        let stream = TcpStream::connect((s.host.as_str(), s.port))
            .await
            .map_err(|e| transient(format!("SMTP {}:{}: {e}", s.host, s.port)))?;
        let (read, mut write) = stream.into_split();
        let mut read = BufReader::new(read);
        expect(&mut read, 220, "greeting").await?;
        command(&mut write, "EHLO onewindow").await?;
        expect(&mut read, 250, "EHLO").await?;
        if let Some((user, password)) = &s.login {
            let token = STANDARD.encode(format!("\0{user}\0{password}"));
            command(&mut write, &format!("AUTH PLAIN {token}")).await?;
            expect(&mut read, 235, "AUTH").await?;
        }
        command(&mut write, &format!("MAIL FROM:<{}>", s.from)).await?;
        expect(&mut read, 250, "MAIL FROM").await?;
        command(&mut write, &format!("RCPT TO:<{to}>")).await?;
        expect(&mut read, 250, "RCPT TO").await?;
        command(&mut write, "DATA").await?;
        expect(&mut read, 354, "DATA").await?;
        // The body is base64, so no line starts with a dot; the terminator ends it.
        write
            .write_all(format!("{text}\r\n.\r\n").as_bytes())
            .await
            .map_err(|e| transient(format!("SMTP write: {e}")))?;
        expect(&mut read, 250, "end of data").await?;
        // The message is accepted; a failed goodbye changes nothing.
        let _ = command(&mut write, "QUIT").await;
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

async fn command(write: &mut tokio::net::tcp::OwnedWriteHalf, line: &str) -> Result<(), SmtpError> {
    write
        .write_all(format!("{line}\r\n").as_bytes())
        .await
        .map_err(|e| transient(format!("SMTP write: {e}")))
}

/// Reads one reply (all its `NNN-` continuation lines) and checks its code.
async fn expect(
    read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    code: u16,
    after: &str,
) -> Result<(), SmtpError> {
    let mut text = String::new();
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
        if line.as_bytes().get(3) != Some(&b'-') {
            break;
        }
        text.push(' ');
    }
    let got: u16 = text.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
    // 251: "user not local; will forward" is an acceptance of RCPT.
    if got == code || (code == 250 && got == 251) {
        return Ok(());
    }
    Err(SmtpError {
        permanent: (500..600).contains(&got),
        message: format!("SMTP refused {after}: {text}"),
    })
}
