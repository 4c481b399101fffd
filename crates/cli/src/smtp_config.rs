//! The SMTP settings of `config.rs` checked (issue 3, ADR 0004): none without `smtp_host`; a
//! sender address; a port; a login only to a relay on this host, because the client speaks
//! plain SMTP (no TLS stack is built in) and would otherwise send the password in clear.

use std::time::Duration;

use onewindow_app::notifications::SmtpSettings;

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
    let port = l.smtp_port.unwrap_or(25);
    if port == 0 {
        return Err("smtp_port = 0 is not a port; use 25, or the relay's port".into());
    }
    let login = match (l.smtp_user.clone(), l.smtp_password.clone()) {
        (None, None) => None,
        (Some(user), Some(password)) => {
            if !is_loopback(&host) {
                return Err(format!(
                    "smtp_user is set but smtp_host = \"{host}\" is not this host: onewindow speaks plain SMTP and would send the password in clear; relay through a local MTA (postfix …) that logs in over TLS onward, or leave smtp_user and smtp_password empty"
                ));
            }
            Some((user, password))
        }
        _ => {
            return Err("smtp_user and smtp_password go together: set both or neither".into());
        }
    };
    Ok(Some(SmtpSettings {
        host,
        port,
        from,
        login,
        timeout: Duration::from_secs(30),
    }))
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
        assert_eq!((on.port, on.login), (25, None));
        let err = resolve(&layer("127.0.0.1", "noreply")).unwrap_err();
        assert!(err.contains("smtp_from"), "{err}");
        let remote = Layer {
            smtp_user: Some("u".into()),
            smtp_password: Some("p".into()),
            ..layer("mail.example.cn", "noreply@zw.example.cn")
        };
        let err = resolve(&remote).unwrap_err();
        assert!(err.contains("in clear"), "{err}");
        let half = Layer {
            smtp_user: Some("u".into()),
            ..layer("127.0.0.1", "noreply@zw.example.cn")
        };
        assert!(resolve(&half).unwrap_err().contains("together"));
    }
}
