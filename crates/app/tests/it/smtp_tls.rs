//! E-mail over TLS (issue 3, ADR 0004): with STARTTLS nothing but the greeting, EHLO and the
//! STARTTLS command cross the wire in clear — the login and the message only after the handshake;
//! TLS from the first byte works the same; a relay that does not offer STARTTLS, or whose
//! certificate is not trusted, gets nothing at all. The relay here is a fake one with a
//! certificate made for the test (rcgen), trusted through `ca_file`.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use onewindow_app::notifications::{SmtpMailer, SmtpSecurity, SmtpSettings};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
#[allow(deprecated)] // as in the client: ring, not aws-lc-rs (see notifications/smtp_tls.rs)
use tokio_rustls::rustls::crypto::ring::default_provider;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// What the relay heard, each command marked with whether it came over TLS.
#[derive(Default)]
struct Heard {
    commands: Vec<(bool, String)>,
    messages: Vec<String>,
}

type Log = Arc<Mutex<Heard>>;

struct Relay {
    port: u16,
    heard: Log,
    /// The relay's certificate (PEM) in a file, for the client's `ca_file`.
    ca_file: PathBuf,
    _dir: tempfile::TempDir,
}

/// A certificate for `localhost` and the TLS server configuration presenting it.
#[allow(deprecated)] // ring's provider, as the client uses (see notifications/smtp_tls.rs)
fn certificate() -> (String, Arc<ServerConfig>) {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("cert");
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.key_pair.serialize_der()));
    let config = ServerConfig::builder_with_provider(Arc::new(default_provider()))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(vec![made.cert.der().clone()], key)
        .expect("server config");
    (made.cert.pem(), Arc::new(config))
}

/// A fake relay: `implicit` speaks TLS from the first byte; otherwise it greets in clear and
/// offers STARTTLS when `offers_starttls`.
async fn relay(implicit: bool, offers_starttls: bool) -> Relay {
    let (pem, config) = certificate();
    let dir = tempfile::tempdir().expect("dir");
    let ca_file = dir.path().join("relay-ca.pem");
    std::fs::write(&ca_file, pem).expect("write ca");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let heard: Log = Arc::default();
    let log = heard.clone();
    let acceptor = TlsAcceptor::from(config);
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (log, acceptor) = (log.clone(), acceptor.clone());
            tokio::spawn(async move {
                if implicit {
                    let Ok(tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let mut wire = BufReader::new(tls);
                    reply(&mut wire, "220 fake ESMTP").await;
                    converse(&mut wire, true, false, &log).await;
                    return;
                }
                let mut plain = BufReader::new(tcp);
                reply(&mut plain, "220 fake ESMTP").await;
                let upgrade = converse(&mut plain, false, offers_starttls, &log).await;
                if upgrade {
                    let Ok(tls) = acceptor.accept(plain.into_inner()).await else {
                        return;
                    };
                    converse(&mut BufReader::new(tls), true, false, &log).await;
                }
            });
        }
    });
    Relay {
        port,
        heard,
        ca_file,
        _dir: dir,
    }
}

async fn reply<W: AsyncWrite + Unpin>(wire: &mut W, text: &str) {
    wire.write_all(format!("{text}\r\n").as_bytes()).await.ok();
    wire.flush().await.ok();
}

/// Answers commands until QUIT, or until STARTTLS was accepted (returns true: upgrade now).
async fn converse<W: AsyncRead + AsyncWrite + Unpin>(
    wire: &mut BufReader<W>,
    secure: bool,
    offers_starttls: bool,
    log: &Log,
) -> bool {
    let mut data: Option<String> = None;
    loop {
        let mut line = String::new();
        if wire.read_line(&mut line).await.unwrap_or(0) == 0 {
            return false;
        }
        let line = line.trim_end().to_owned();
        if let Some(text) = data.as_mut() {
            if line == "." {
                let message = data.take().unwrap_or_default();
                log.lock().expect("lock").messages.push(message);
                reply(wire, "250 queued").await;
            } else {
                text.push_str(&line);
                text.push('\n');
            }
            continue;
        }
        log.lock()
            .expect("lock")
            .commands
            .push((secure, line.clone()));
        match line.as_str() {
            "EHLO onewindow" if offers_starttls => {
                reply(wire, "250-fake\r\n250-STARTTLS\r\n250 AUTH PLAIN").await;
            }
            "EHLO onewindow" => reply(wire, "250-fake\r\n250 AUTH PLAIN").await,
            "STARTTLS" => {
                reply(wire, "220 go ahead").await;
                return true;
            }
            "DATA" => {
                data = Some(String::new());
                reply(wire, "354 go on").await;
            }
            "QUIT" => {
                reply(wire, "221 bye").await;
                return false;
            }
            l if l.starts_with("AUTH PLAIN ") => reply(wire, "235 welcome").await,
            _ => reply(wire, "250 ok").await,
        }
    }
}

fn mailer(relay: &Relay, security: SmtpSecurity, ca_file: PathBuf) -> SmtpMailer {
    SmtpMailer::new(SmtpSettings {
        host: "localhost".into(),
        port: relay.port,
        from: "noreply@zw.example.cn".into(),
        login: Some(("window".into(), "s3cret".into())),
        timeout: Duration::from_secs(10),
        security,
        ca_file: Some(ca_file),
    })
    .expect("a mailer")
}

async fn send(mailer: &SmtpMailer) -> Result<(), onewindow_app::notifications::SmtpError> {
    mailer
        .send(
            "li.na@haitong.example.cn",
            "办件通知",
            "已受理",
            "n-1",
            Timestamp::UNIX_EPOCH,
        )
        .await
}

fn commands(relay: &Relay, secure: bool) -> Vec<String> {
    let heard = relay.heard.lock().expect("lock");
    heard
        .commands
        .iter()
        .filter(|(s, _)| *s == secure)
        .map(|(_, c)| c.split(' ').next().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn with_starttls_the_login_and_the_message_travel_only_encrypted() {
    let relay = relay(false, true).await;
    let ca = relay.ca_file.clone();
    send(&mailer(&relay, SmtpSecurity::StartTls, ca))
        .await
        .expect("sent");
    assert_eq!(commands(&relay, false), ["EHLO", "STARTTLS"], "in clear");
    // (QUIT follows, but the client does not wait for its answer, so the relay may log it late.)
    assert_eq!(
        commands(&relay, true)[..5],
        ["EHLO", "AUTH", "MAIL", "RCPT", "DATA"],
        "after the handshake"
    );
    assert_eq!(relay.heard.lock().expect("lock").messages.len(), 1);
}

#[tokio::test]
async fn tls_from_the_first_byte_delivers_the_message() {
    let relay = relay(true, false).await;
    let ca = relay.ca_file.clone();
    send(&mailer(&relay, SmtpSecurity::Tls, ca))
        .await
        .expect("sent");
    assert!(commands(&relay, false).is_empty(), "nothing in clear");
    assert_eq!(relay.heard.lock().expect("lock").messages.len(), 1);
}

#[tokio::test]
async fn a_relay_that_does_not_offer_starttls_is_told_nothing() {
    let relay = relay(false, false).await;
    let ca = relay.ca_file.clone();
    let err = send(&mailer(&relay, SmtpSecurity::StartTls, ca))
        .await
        .expect_err("refused");
    assert!(err.message.contains("does not offer STARTTLS"), "{err}");
    assert!(!err.permanent, "retried later: the relay may be fixed");
    assert_eq!(commands(&relay, false), ["EHLO"], "no login, no message");
    assert!(relay.heard.lock().expect("lock").messages.is_empty());
}

#[tokio::test]
async fn a_relay_whose_certificate_is_not_trusted_gets_nothing() {
    let target = relay(false, true).await;
    // Another relay with its own certificate: its CA file trusts nothing the first presents.
    let stranger = relay(true, false).await;
    let err = send(&mailer(
        &target,
        SmtpSecurity::StartTls,
        stranger.ca_file.clone(),
    ))
    .await
    .expect_err("refused");
    assert!(err.message.contains("TLS handshake failed"), "{err}");
    assert_eq!(commands(&target, false), ["EHLO", "STARTTLS"]);
    assert!(
        commands(&target, true).is_empty(),
        "no login after a failed handshake"
    );
    assert!(target.heard.lock().expect("lock").messages.is_empty());
}

#[test]
fn a_ca_file_that_holds_no_certificate_is_refused_when_the_mailer_is_made() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("empty.pem");
    std::fs::write(&path, "not a certificate\n").expect("write");
    let err = SmtpMailer::new(SmtpSettings {
        host: "mail.example.cn".into(),
        port: 25,
        from: "noreply@zw.example.cn".into(),
        login: None,
        timeout: Duration::from_secs(1),
        security: SmtpSecurity::StartTls,
        ca_file: Some(path.clone()),
    })
    .expect_err("refused");
    assert!(err.contains("holds no certificate"), "{err}");
    assert!(err.contains(&path.display().to_string()), "{err}");
}
