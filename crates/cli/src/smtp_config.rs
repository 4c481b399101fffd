//! The SMTP settings of `config.rs` checked (issue 3, ADR 0004): none without `smtp_host`; a
//! sender address; a port; STARTTLS unless told otherwise (plain SMTP is the default only for a
//! relay on this host); a login never sent in clear to another host; the trust roots readable.

use std::time::Duration;

use onewindow_app::notifications::{SmtpMailer, SmtpSecurity, SmtpSettings};

use crate::config::Layer;

pub(crate) fn resolve(l: &Layer) -> Result<Option<SmtpSettings>, String> {
    let Some(host) = l.smtp_host.clone().filter(|h| !h.trim().is_empty()) else {
        return Ok(None);
    };
    let from = l.smtp_from.clone().unwrap_or_default();
    let plausible = from
        .split_once('@')
        .is_some_and(|(a, d)| !a.is_empty() && d.contains('.'))
        && !from.contains([' ', '<', '>', ',', ';', '\r', '\n']);
    if !plausible {
        return Err(format!(
            "smtp_from = \"{from}\" is not a sender address; with smtp_host set, write one like noreply@zw.example.gov.cn"
        ));
    }
    let security = match l.smtp_tls.as_deref() {
        Some(text) => SmtpSecurity::parse(text).ok_or_else(|| {
            format!("smtp_tls = \"{text}\" is not one of \"starttls\", \"tls\", \"none\"")
        })?,
        None if is_loopback(&host) => SmtpSecurity::None,
        None => SmtpSecurity::StartTls,
    };
    let port = l.smtp_port.unwrap_or(if security == SmtpSecurity::Tls {
        465
    } else {
        25
    });
    if port == 0 {
        return Err("smtp_port = 0 is not a port; use 25, or the relay's port".into());
    }
    let login = match (l.smtp_user.clone(), l.smtp_password.clone()) {
        (None, None) => None,
        (Some(user), Some(password)) => {
            if security == SmtpSecurity::None && !is_loopback(&host) {
                return Err(format!(
                    "smtp_user is set but smtp_tls = \"none\" and smtp_host = \"{host}\" is not this host: the password would cross the network in clear; use smtp_tls = \"starttls\" or \"tls\", or a relay on this host"
                ));
            }
            Some((user, password))
        }
        _ => {
            return Err("smtp_user and smtp_password go together: set both or neither".into());
        }
    };
    let settings = SmtpSettings {
        host,
        port,
        from,
        login,
        timeout: Duration::from_secs(30),
        security,
        ca_file: l.smtp_ca_file.clone(),
    };
    // Built once here so that unreadable trust roots stop the start, not the first message.
    SmtpMailer::new(settings.clone())?;
    Ok(Some(settings))
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(host: &str, from: &str) -> Layer {
        Layer {
            smtp_host: Some(host.into()),
            smtp_from: Some(from.into()),
            ..Default::default()
        }
    }

    #[test]
    fn mail_is_off_without_a_host_and_checked_with_one() {
        assert_eq!(resolve(&Layer::default()).unwrap(), None);
        let on = resolve(&layer("127.0.0.1", "noreply@zw.example.cn"))
            .unwrap()
            .expect("on");
        assert_eq!(
            (on.port, on.login, on.security),
            (25, None, SmtpSecurity::None),
            "a relay on this host defaults to plain SMTP"
        );
        let err = resolve(&layer("127.0.0.1", "noreply")).unwrap_err();
        assert!(err.contains("smtp_from"), "{err}");
        let remote = Layer {
            smtp_user: Some("u".into()),
            smtp_password: Some("p".into()),
            ..layer("mail.example.cn", "noreply@zw.example.cn")
        };
        let remote_tls = resolve(&remote).unwrap().expect("on");
        assert_eq!(
            (remote_tls.security, remote_tls.port),
            (SmtpSecurity::StartTls, 25),
            "another host defaults to STARTTLS, so a login may go to it"
        );
        let plain = Layer {
            smtp_tls: Some("none".into()),
            ..remote.clone()
        };
        let err = resolve(&plain).unwrap_err();
        assert!(err.contains("in clear"), "{err}");
        let implicit = Layer {
            smtp_tls: Some("TLS".into()),
            ..remote.clone()
        };
        assert_eq!(resolve(&implicit).unwrap().expect("on").port, 465);
        let odd = Layer {
            smtp_tls: Some("ssl".into()),
            ..remote.clone()
        };
        assert!(resolve(&odd).unwrap_err().contains("smtp_tls = \"ssl\""));
        let missing = Layer {
            smtp_ca_file: Some("/nonexistent/relay-ca.pem".into()),
            ..remote
        };
        let err = resolve(&missing).unwrap_err();
        assert!(
            err.contains("smtp_ca_file /nonexistent/relay-ca.pem"),
            "{err}"
        );
        let half = Layer {
            smtp_user: Some("u".into()),
            ..layer("127.0.0.1", "noreply@zw.example.cn")
        };
        assert!(resolve(&half).unwrap_err().contains("together"));
    }
}
