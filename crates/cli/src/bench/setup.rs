//! The accounts a bench run acts with: N enterprises registered over HTTP (`POST
//! /api/v1/enterprises`, as an enterprise would), then API tokens for their users and for the
//! demo bureau's staff made through the app on the server's database, as `onewindow tokens
//! create` makes them (the operator holds the database; nobody's password is needed).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use onewindow_domain::identifiers::CreditCode;
use serde_json::json;

use super::flow::Tokens;
use super::http::{Call, Connection};
use crate::config::Config;

/// The demo staff the journey needs (their org: 210200, the institute: 210200-ZJY).
const STAFF: [&str; 5] = ["clerk", "inspector", "reviewer", "institute", "signatory"];
/// Registrations sent at once (each costs the server an Argon2 hash).
const REGISTERING: usize = 4;
/// Attempts after a server failure, and the pause before the first (growing with each).
const RETRIES: u32 = 5;
const PAUSE: std::time::Duration = std::time::Duration::from_millis(50);
/// The credit code alphabet (GB 32100-2015: no I, O, S, V, Z).
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A Dalian enterprise's credit code, different for every (run, index).
pub fn credit_code(run: u64, index: usize) -> CreditCode {
    let mut n = run.wrapping_mul(1_000_003).wrapping_add(index as u64) % 31u64.pow(6);
    let mut tail = [0u8; 6];
    for c in tail.iter_mut().rev() {
        *c = ALPHABET[(n % 31) as usize];
        n /= 31;
    }
    let stem = format!("91210211MA{}", String::from_utf8_lossy(&tail));
    CreditCode::complete(&stem).unwrap_or_else(|e| panic!("{stem}: {e}"))
}

/// The user name of the bench's `index`th enterprise.
fn username(run: u64, index: usize) -> String {
    format!("bench{run:x}-e{index}")
}

/// Registers `count` enterprises over HTTP; returns their user names.
pub async fn register_enterprises(
    addr: SocketAddr,
    run: u64,
    count: usize,
) -> Result<Vec<String>, String> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..REGISTERING.min(count.max(1)) {
        let next = next.clone();
        workers.push(tokio::spawn(async move {
            let mut connection = Connection::new(addr);
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    return Ok::<(), String>(());
                }
                let body = json!({
                    "credit_code": credit_code(run, i).as_str(),
                    "name": format!("大连压测泵业第{i}有限公司"),
                    "address": "辽宁省大连市甘井子区华北路 188 号",
                    "contact_name": "王工",
                    "contact_phone": "0411-84300000",
                    "username": username(run, i),
                    "password": format!("bench-password-{run:x}"),
                });
                let mut reply = connection
                    .send(Call::post_json("/api/v1/enterprises", None, &body))
                    .await
                    .map_err(|e| format!("registering enterprise {i}: {}", e.0))?;
                // A server failure (a busy database) is tried again, as a person would.
                for attempt in 1..=RETRIES {
                    if reply.status < 500 {
                        break;
                    }
                    tokio::time::sleep(PAUSE * attempt).await;
                    reply = connection
                        .send(Call::post_json("/api/v1/enterprises", None, &body))
                        .await
                        .map_err(|e| format!("registering enterprise {i}: {}", e.0))?;
                }
                if reply.status != 201 {
                    return Err(format!(
                        "registering enterprise {i}: {} {}",
                        reply.status,
                        reply.text()
                    ));
                }
            }
        }));
    }
    for worker in workers {
        worker.await.map_err(|e| e.to_string())??;
    }
    Ok((0..count).map(|i| username(run, i)).collect())
}

/// API tokens for the enterprises' users and the demo staff, made on the server's database.
pub async fn make_tokens(config: &Config, enterprises: &[String]) -> Result<Tokens, String> {
    let app = crate::open_app(config).await?;
    let mut staff = Vec::new();
    for user in STAFF {
        staff.push(token(&app, user).await?);
    }
    let mut users = Vec::new();
    for user in enterprises {
        users.push(token(&app, user).await?);
    }
    let [clerk, inspector, reviewer, institute, signatory] =
        <[String; 5]>::try_from(staff).map_err(|_| "five staff tokens".to_owned())?;
    Ok(Tokens {
        enterprises: users,
        clerk,
        inspector,
        reviewer,
        institute,
        signatory,
    })
}

async fn token(app: &onewindow_app::App, user: &str) -> Result<String, String> {
    let mut attempt = 0;
    loop {
        match app
            .create_api_token_from_command_line(user, "onewindow bench")
            .await
        {
            Ok(issued) => return Ok(issued.token),
            // The server writes beside us (its sweeper): a busy database is tried again.
            Err(onewindow_app::AppError::Store(e)) if attempt < RETRIES => {
                attempt += 1;
                tracing::debug!(%e, "retrying a token");
                tokio::time::sleep(PAUSE * attempt).await;
            }
            Err(e) => {
                return Err(format!(
                    "a token for {user}: {e} (does the server hold the demo bureau?)"
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bench_credit_codes_are_valid_and_distinct() {
        let codes: std::collections::BTreeSet<String> = (0..500)
            .map(|i| credit_code(0xabcdef, i).as_str().to_owned())
            .collect();
        assert_eq!(codes.len(), 500);
        assert!(codes.iter().all(|c| CreditCode::parse(c).is_ok()));
    }
}
