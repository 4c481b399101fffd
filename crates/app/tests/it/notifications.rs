//! Notifications (issue 3, ADR 0004): warnings reach the staff of the current step and the
//! applicant hears of its acceptance; each exactly once even with two instances on one
//! PostgreSQL, caught up after a crash lost them; e-mail copies sent once through a fake SMTP
//! relay written here, by two drainers at once, and retried after a temporary refusal.

use std::sync::{Arc, Mutex};

use base64::Engine;
use onewindow_app::App;
use onewindow_app::notifications::{SmtpMailer, SmtpSettings};
use onewindow_domain::access::Role;
use onewindow_domain::flow::MoveInput;
use onewindow_store::MarkRead;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::support;
use onewindow_app::cases::Person;
use support::cases::{act, apply, demo, enterprise, staff};
use support::{TestApp, postgres_app, postgres_app_sharing, set_clock, sqlite_app};

async fn accepted_case(t: &TestApp, key: &str) -> String {
    let number = apply(t, key).await;
    act(
        t,
        &staff("clerk", Role::WindowClerk, "210200"),
        &number,
        "acceptance",
        "accept",
        MoveInput::default(),
    )
    .await;
    number
}

/// The demo enterprise's user (the applicant of the cases `apply` makes).
fn applicant() -> Person {
    match enterprise() {
        Person::Enterprise { credit_code, .. } => Person::Enterprise {
            user: "enterprise".into(),
            credit_code,
        },
        staff => staff,
    }
}

/// (case number, kind) of a person's notifications.
async fn inbox_of(app: &App, user: &str, role: Role) -> Vec<(String, String)> {
    app.inbox(&staff(user, role, "210200"))
        .await
        .expect("inbox")
        .notifications
        .into_iter()
        .map(|n| (n.case_number, n.kind))
        .collect()
}

#[tokio::test]
async fn a_warning_reaches_the_step_staff_and_an_acceptance_the_applicant() {
    let t = sqlite_app().await;
    demo(&t).await;
    let number = accepted_case(&t, "n-1").await;
    let inbox = t.inbox(&applicant()).await.expect("inbox");
    assert_eq!(inbox.unread, 1);
    assert_eq!(inbox.notifications[0].kind, "accepted");
    assert!(inbox.notifications[0].text_zh.contains(&number));
    set_clock(&t, "2026-12-16T01:00:00Z");
    t.sweep().await.expect("sweep");
    let reviewer = inbox_of(&t, "reviewer", Role::Reviewer).await;
    assert_eq!(reviewer, [(number.clone(), "warning_raised".into())]);
    assert!(
        inbox_of(&t, "clerk", Role::WindowClerk).await.is_empty(),
        "the clerk does not act on the review step"
    );
    assert_eq!(
        t.inbox(&applicant())
            .await
            .expect("inbox")
            .notifications
            .len(),
        1,
        "warnings are the organ's, not the applicant's"
    );
    // Another's notification, or one that does not exist: refused, nothing marked.
    let reviewers = t
        .inbox(&staff("reviewer", Role::Reviewer, "210200"))
        .await
        .expect("inbox");
    let theirs = reviewers.notifications[0].id;
    let refused = t
        .mark_notifications_read(&applicant(), MarkRead::Only(vec![theirs]))
        .await;
    assert!(
        matches!(refused, Err(onewindow_app::AppError::NotFound(_))),
        "{refused:?}"
    );
    assert_eq!(t.unread_notifications("reviewer").await.expect("n"), 1);
    let marked = t
        .mark_notifications_read(
            &staff("reviewer", Role::Reviewer, "210200"),
            MarkRead::Only(vec![theirs]),
        )
        .await
        .expect("mark");
    assert_eq!(marked, 1);
    assert_eq!(t.unread_notifications("reviewer").await.expect("n"), 0);
}

#[tokio::test]
async fn two_instances_notify_each_warning_exactly_once_and_catch_up_what_a_crash_lost() {
    let Some(a) = postgres_app().await else {
        return;
    };
    demo(&a).await;
    let mut numbers = Vec::new();
    for i in 0..8 {
        numbers.push(accepted_case(&a, &format!("pg-n-{i}")).await);
    }
    let b = postgres_app_sharing(&a).await;
    set_clock(&a, "2026-12-16T01:00:00Z");
    set_clock(&b, "2026-12-16T01:00:00Z");
    let (ra, rb) = tokio::join!(a.sweep(), b.sweep());
    let (ra, rb) = (ra.expect("sweep a"), rb.expect("sweep b"));
    assert_eq!(ra.warnings_raised + rb.warnings_raised, 8, "{ra:?} {rb:?}");
    let mut expected: Vec<(String, String)> = numbers
        .iter()
        .map(|n| (n.clone(), "warning_raised".to_owned()))
        .collect();
    expected.sort();
    let mut got = inbox_of(&a, "reviewer", Role::Reviewer).await;
    got.sort();
    assert_eq!(got, expected, "one per warning");

    // A crash between storing the events and recording their notifications: the rows are gone.
    let pool = sqlx::PgPool::connect(&a.url).await.expect("connect");
    sqlx::query("DELETE FROM notifications WHERE kind = 'warning_raised'")
        .execute(&pool)
        .await
        .expect("lose them");
    // Two restarted instances catch up at once, and still write each one once.
    let c = postgres_app_sharing(&a).await;
    let d = postgres_app_sharing(&a).await;
    let (rc, rd) = tokio::join!(c.sweep(), d.sweep());
    let (rc, rd) = (rc.expect("sweep c"), rd.expect("sweep d"));
    assert_eq!(
        rc.notifications_caught_up + rd.notifications_caught_up,
        8,
        "{rc:?} {rd:?}"
    );
    let mut got = inbox_of(&a, "reviewer", Role::Reviewer).await;
    got.sort();
    assert_eq!(got, expected);
    let again = c.sweep().await.expect("sweep again");
    assert_eq!(again.notifications_caught_up, 0);
}

#[tokio::test]
async fn a_refusal_whose_notification_a_crash_lost_is_caught_up_though_the_case_is_closed() {
    let t = sqlite_app().await;
    demo(&t).await;
    let number = apply(&t, "closed-1").await;
    let input = MoveInput {
        reason: Some("不属于本机关职权范围".into()),
        ..MoveInput::default()
    };
    act(
        &t,
        &staff("clerk", Role::WindowClerk, "210200"),
        &number,
        "acceptance",
        "refuse",
        input,
    )
    .await;
    let kinds = |inbox: onewindow_app::notifications::Inbox| {
        inbox
            .notifications
            .into_iter()
            .map(|n| n.kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        kinds(t.inbox(&applicant()).await.expect("inbox")),
        ["refused"]
    );
    let pool = sqlx::SqlitePool::connect(&t.url).await.expect("connect");
    sqlx::query("DELETE FROM notifications")
        .execute(&pool)
        .await
        .expect("lose it");
    let report = t.sweep().await.expect("sweep");
    assert_eq!(report.notifications_caught_up, 1, "{report:?}");
    assert_eq!(
        kinds(t.inbox(&applicant()).await.expect("inbox")),
        ["refused"]
    );
    let again = t.sweep().await.expect("sweep again");
    assert_eq!(again.notifications_caught_up, 0);
}

/// What the fake relay received: (RCPT TO address, the message text).
type Inbox = Arc<Mutex<Vec<(String, String)>>>;

/// A fake SMTP relay on a free loopback port; refuses the first `refuse` messages with 451.
async fn fake_relay(refuse: usize) -> (u16, Inbox) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let inbox: Inbox = Arc::default();
    let received = inbox.clone();
    let refused = Arc::new(Mutex::new(0usize));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (inbox, refused) = (received.clone(), refused.clone());
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 fake ESMTP\r\n").await.ok();
                let (mut rcpt, mut data, mut in_data) = (String::new(), String::new(), false);
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            let reply: &[u8] = {
                                let mut n = refused.lock().expect("lock");
                                if *n < refuse {
                                    *n += 1;
                                    b"451 try again later\r\n"
                                } else {
                                    let message = (rcpt.clone(), std::mem::take(&mut data));
                                    inbox.lock().expect("lock").push(message);
                                    b"250 queued\r\n"
                                }
                            };
                            data.clear();
                            write.write_all(reply).await.ok();
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let reply: &[u8] = if line.starts_with("EHLO") {
                        b"250-fake\r\n250 HELP\r\n"
                    } else if let Some(to) = line.strip_prefix("RCPT TO:<") {
                        rcpt = to.trim_end_matches('>').to_owned();
                        b"250 ok\r\n"
                    } else if line == "DATA" {
                        in_data = true;
                        b"354 go on\r\n"
                    } else if line == "QUIT" {
                        write.write_all(b"221 bye\r\n").await.ok();
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(reply).await.ok();
                }
            });
        }
    });
    (port, inbox)
}

fn mailer(port: u16) -> SmtpMailer {
    SmtpMailer::new(SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        from: "noreply@zw.example.cn".into(),
        login: None,
        timeout: std::time::Duration::from_secs(10),
        security: onewindow_app::notifications::SmtpSecurity::None,
        ca_file: None,
    })
    .expect("a plain mailer")
}

/// The header's value and the decoded base64 body of a received message.
fn read_message(text: &str) -> (String, String) {
    let (head, body) = text.split_once("\n\n").expect("headers and body");
    let subject = head
        .lines()
        .find_map(|l| l.strip_prefix("Subject: =?UTF-8?B?"))
        .and_then(|s| s.strip_suffix("?="))
        .expect("an encoded subject");
    let decode = |s: &str| {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(s.replace('\n', ""))
            .expect("base64");
        String::from_utf8(bytes).expect("utf-8")
    };
    (decode(subject), decode(body))
}

fn with_mail(t: &mut TestApp) {
    t.app = t
        .app
        .clone()
        .with_public_url("https://zw.example.cn")
        .with_notification_mail();
}

#[tokio::test]
async fn two_drainers_send_each_message_once_with_its_case_link() {
    let Some(mut a) = postgres_app().await else {
        return;
    };
    demo(&a).await;
    with_mail(&mut a);
    let haitong = applicant();
    a.set_notification_email(&haitong, "li.na@haitong.example.cn")
        .await
        .expect("an address");
    let number = accepted_case(&a, "mail-1").await;
    let b = postgres_app_sharing(&a).await;
    let (port, relay) = fake_relay(0).await;
    let m = mailer(port);
    let (ra, rb) = tokio::join!(a.drain_mail(&m), b.drain_mail(&m));
    let (ra, rb) = (ra.expect("drain a"), rb.expect("drain b"));
    assert_eq!(ra.sent + rb.sent, 1, "{ra:?} {rb:?}");
    let received = relay.lock().expect("lock").clone();
    assert_eq!(received.len(), 1, "sent once");
    assert_eq!(received[0].0, "li.na@haitong.example.cn");
    let (subject, body) = read_message(&received[0].1);
    assert_eq!(
        subject,
        format!("办件 {number} 通知 / Case {number} notice")
    );
    assert!(
        body.contains(&format!("https://zw.example.cn/cases/{number}")),
        "{body}"
    );
    assert!(body.contains("已受理"), "{body}");
    let again = a.drain_mail(&m).await.expect("drain");
    assert_eq!(again.sent, 0, "nothing left");
}

#[tokio::test]
async fn a_message_the_relay_defers_is_sent_on_a_later_pass() {
    let mut t = sqlite_app().await;
    demo(&t).await;
    with_mail(&mut t);
    t.set_notification_email(&applicant(), "li.na@haitong.example.cn")
        .await
        .expect("an address");
    let refused = t
        .set_notification_email(&applicant(), "li.na at haitong")
        .await;
    assert!(
        matches!(&refused, Err(onewindow_app::AppError::Invalid { problems, .. }) if problems.to_string().contains("email")),
        "{refused:?}"
    );
    accepted_case(&t, "mail-2").await;
    let (port, relay) = fake_relay(1).await;
    let m = mailer(port);
    let first = t.drain_mail(&m).await.expect("drain");
    assert_eq!((first.sent, first.deferred), (0, 1));
    let early = t.drain_mail(&m).await.expect("drain");
    assert_eq!(early.sent, 0, "not before its retry time");
    set_clock(&t, "2026-11-16T01:05:00Z");
    let later = t.drain_mail(&m).await.expect("drain");
    assert_eq!(later.sent, 1);
    assert_eq!(relay.lock().expect("lock").len(), 1);
}
