//! Conformance checks for notifications and the e-mail outbox: exactly once per (case, event,
//! recipient), each person's inbox their own, marking read refused for another's notification,
//! and a message claimed by one drainer only.

use jiff::Timestamp;
use onewindow_domain::access::{Membership, Role, Username};
use onewindow_domain::catalogue::OrgCode;

use super::{audit, event, projection};
use crate::{
    MailOutcome, MarkRead, NewCase, NewMail, NewNotification, NewUser, NotificationId, Store,
};

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(second).expect("valid")
}

fn notification(case: crate::CaseId, seq: i64, to: &str, mail: bool) -> NewNotification {
    NewNotification {
        case_id: case,
        case_number: "2026-900001".into(),
        event_seq: seq,
        recipient: to.into(),
        kind: "warning_raised".into(),
        text_zh: format!("红色预警 {seq}"),
        text_en: format!("Red warning {seq}"),
        created_at: at(1_764_000_000 + seq),
        mail: mail.then(|| NewMail {
            to: format!("{to}@example.cn"),
            subject: format!("case 2026-900001 event {seq}"),
            body: "https://onewindow.example/cases/2026-900001".into(),
        }),
    }
}

pub(super) async fn notifications_are_recorded_once_and_read_by_their_owner(store: &dyn Store) {
    let staff = NewUser {
        username: Username::parse("notify.reviewer").expect("valid"),
        display_name: "审查员".into(),
        password_hash: "$argon2id$fake".into(),
        membership: Membership::Staff {
            role: Role::Reviewer,
            org: OrgCode::parse("219900").expect("valid"),
        },
        created_at: at(1_764_000_000),
    };
    store
        .create_user(staff, &audit("create user"))
        .await
        .expect("create");
    assert!(
        store
            .set_user_email("notify.reviewer", Some("r@example.cn"))
            .await
            .expect("set")
    );
    assert!(
        !store
            .set_user_email("nobody.here", None)
            .await
            .expect("set")
    );
    assert_eq!(
        store.user_email("notify.reviewer").await.expect("read"),
        Some("r@example.cn".into())
    );
    let staff = store.staff_of_org("219900").await.expect("staff");
    assert_eq!(staff.len(), 1, "only that org's staff: {staff:?}");
    assert_eq!(staff[0].role, Some(Role::Reviewer));
    assert_eq!(staff[0].email.as_deref(), Some("r@example.cn"));
    assert!(
        store
            .enterprise_users("219900")
            .await
            .expect("none")
            .is_empty()
    );

    let case = store
        .create_case(
            &NewCase {
                item_code: "BJ-001".into(),
                definition_code: "simple".into(),
                definition_version: 1,
                handling_org: "219900".into(),
                applicant: "91110000600037341L".into(),
                idempotency_key: None,
                licence_number: None,
                projection: projection("submitted", true),
                events: vec![event(1, "00")],
                created_at: at(1_764_000_000),
            },
            2099,
        )
        .await
        .expect("case")
        .id;
    assert!(store.notified_seqs(case).await.expect("none").is_empty());
    let listed = |since: Timestamp, kind: &'static str| async move {
        store
            .closed_cases_missing_notifications(since, &[kind], crate::CaseId(0), 100)
            .await
            .expect("closed")
            .iter()
            .any(|c| c.id == case)
    };
    assert!(
        !listed(at(1_764_000_000), "submitted").await,
        "an open case is not listed"
    );
    let closed_at = at(1_764_050_000);
    store
        .append_events(
            case,
            1,
            &[event(2, "h1")],
            &projection("refused", false),
            closed_at,
        )
        .await
        .expect("close");
    assert!(
        listed(at(1_764_049_000), "accepted").await,
        "closed after the instant, its accepted event without notifications"
    );
    assert!(!listed(at(1_764_049_000), "granted").await, "no such event");
    assert!(
        !listed(at(1_764_051_000), "accepted").await,
        "closed before it"
    );
    let batch = [
        notification(case, 2, "notify.reviewer", true),
        notification(case, 3, "notify.reviewer", false),
        notification(case, 3, "someone.else", false),
    ];
    assert_eq!(store.record_notifications(&batch).await.expect("record"), 3);
    assert_eq!(
        store.record_notifications(&batch).await.expect("again"),
        0,
        "one (case, event, recipient) is recorded once"
    );
    assert_eq!(store.notified_seqs(case).await.expect("seqs"), [2, 3]);
    assert!(
        !listed(at(1_764_049_000), "accepted").await,
        "its accepted event has its notifications now"
    );
    let inbox = store.inbox("notify.reviewer", 50).await.expect("inbox");
    assert_eq!(
        inbox.iter().map(|n| n.event_seq).collect::<Vec<_>>(),
        [3, 2],
        "newest first"
    );
    assert_eq!(store.unread_count("notify.reviewer").await.expect("n"), 2);
    let others = store.inbox("someone.else", 50).await.expect("inbox")[0].id;
    let mine = inbox[1].id;
    let now = at(1_764_100_000);
    assert_eq!(
        store
            .mark_read("notify.reviewer", &MarkRead::Only(vec![mine, others]), now)
            .await
            .expect("refused"),
        None,
        "another's notification in the list: nothing marked"
    );
    assert_eq!(
        store
            .mark_read(
                "notify.reviewer",
                &MarkRead::Only(vec![NotificationId(-7)]),
                now
            )
            .await
            .expect("refused"),
        None
    );
    assert_eq!(store.unread_count("notify.reviewer").await.expect("n"), 2);
    assert_eq!(
        store
            .mark_read("notify.reviewer", &MarkRead::Only(vec![mine]), now)
            .await
            .expect("mark"),
        Some(1)
    );
    let inbox = store.inbox("notify.reviewer", 50).await.expect("inbox");
    assert_eq!(
        (inbox[0].event_seq, inbox[1].read_at),
        (3, Some(now)),
        "unread first"
    );
    assert_eq!(
        store
            .mark_read("notify.reviewer", &MarkRead::All, now)
            .await
            .expect("all"),
        Some(1)
    );
    assert_eq!(store.unread_count("notify.reviewer").await.expect("n"), 0);
    assert_eq!(store.unread_count("someone.else").await.expect("n"), 1);

    outbox_messages_are_claimed_once(store, now).await;
}

async fn outbox_messages_are_claimed_once(store: &dyn Store, now: Timestamp) {
    let due = store.due_mail(now, 10).await.expect("due");
    assert_eq!(due.len(), 1, "one mail copy, recorded once: {due:?}");
    let mail = &due[0];
    assert_eq!(mail.to, "notify.reviewer@example.cn");
    let lease = at(now.as_second() + 60);
    assert!(
        store
            .claim_mail(mail.id, mail.version, lease)
            .await
            .expect("claim")
    );
    assert!(
        !store
            .claim_mail(mail.id, mail.version, lease)
            .await
            .expect("claim"),
        "the same version is claimed once"
    );
    assert!(
        store.due_mail(now, 10).await.expect("due").is_empty(),
        "leased"
    );
    let retry = MailOutcome::Retry {
        at: at(now.as_second() + 30),
        error: "421 try later".into(),
    };
    assert!(
        store
            .finish_mail(mail.id, mail.version + 1, &retry)
            .await
            .expect("retry")
    );
    let again = store
        .due_mail(at(now.as_second() + 30), 10)
        .await
        .expect("due");
    assert_eq!((again.len(), again[0].attempts), (1, 1));
    // A drainer whose lease ran out and was overtaken cannot finish the message.
    assert!(
        !store
            .finish_mail(mail.id, mail.version + 1, &MailOutcome::Sent { at: now })
            .await
            .expect("stale")
    );
    let m = &again[0];
    assert!(
        store
            .claim_mail(m.id, m.version, lease)
            .await
            .expect("claim")
    );
    assert!(
        store
            .finish_mail(m.id, m.version + 1, &MailOutcome::Sent { at: now })
            .await
            .expect("sent")
    );
    assert!(
        store
            .due_mail(at(now.as_second() + 3600), 10)
            .await
            .expect("due")
            .is_empty(),
        "a sent message is not due again"
    );
}
