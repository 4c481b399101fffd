//! What each case event tells whom, in both languages (issue 3). Pure: no store, no clock.
//! Warnings go to the staff who may act on the case's current step (they can still make the
//! deadline); what the law says the applicant must be told goes to the applicant.

use onewindow_domain::cases::{EventKind, WarningLevel, WarningScope};

/// Who an event concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Staff of the acting org whose role carries out the current step.
    StepActors,
    /// The applicant enterprise's users.
    Applicant,
}

/// One event's notification, before it is addressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub audience: Audience,
    pub zh: String,
    pub en: String,
}

/// The keys of the events [`message_for`] tells someone of (for the store's catch-up query).
pub const TELLING_KINDS: &[&str] = &[
    "warning_raised",
    "supplement_requested",
    "accepted",
    "deemed_accepted",
    "refused",
    "extended",
    "granted",
    "denied",
    "licence_issued",
];

/// The notification an event calls for, if any.
pub fn message_for(number: &str, kind: &EventKind) -> Option<Message> {
    let applicant = |zh: String, en: String| {
        Some(Message {
            audience: Audience::Applicant,
            zh,
            en,
        })
    };
    match kind {
        EventKind::WarningRaised { level, scope } => Some(Message {
            audience: Audience::StepActors,
            zh: format!("办件 {number}：{}{}", scope_zh(*scope), level_zh(*level)),
            en: format!("Case {number}: {} {}", scope_en(*scope), level_en(*level)),
        }),
        // Art. 32: the one single notice listing everything to supplement.
        EventKind::SupplementRequested { items } => applicant(
            format!("办件 {number}：请一次性补正以下材料：{}", items.join("；")),
            format!(
                "Case {number}: please supplement, all at once: {}",
                items.join("; ")
            ),
        ),
        EventKind::Accepted => applicant(
            format!("办件 {number} 已受理。"),
            format!("Case {number} was accepted."),
        ),
        // Art. 32: no decision within 5 days counts as acceptance from the day of receipt.
        EventKind::DeemedAccepted { received_on } => applicant(
            format!("办件 {number} 依《行政许可法》第三十二条自 {received_on} 起视为受理。"),
            format!(
                "Case {number} counts as accepted from {received_on} (Administrative Licensing Law art. 32)."
            ),
        ),
        EventKind::Refused { reason, .. } => applicant(
            format!("办件 {number} 不予受理：{reason}"),
            format!("Case {number} was not accepted: {reason}"),
        ),
        // Art. 42: the reasons for an extension are told to the applicant.
        EventKind::Extended { days, reason } => applicant(
            format!("办件 {number} 的办理期限延长 {days} 个工作日：{reason}"),
            format!("Case {number}: the time limit was extended by {days} working days: {reason}"),
        ),
        // Art. 38: the written decision.
        EventKind::Granted => applicant(
            format!("办件 {number}：准予行政许可。"),
            format!("Case {number}: the licence was granted."),
        ),
        EventKind::Denied { reasons, rights } => applicant(
            format!(
                "办件 {number}：不予行政许可。理由：{}。{rights}",
                reasons.join("；")
            ),
            format!(
                "Case {number}: the licence was denied. Reasons: {}. {rights}",
                reasons.join("; ")
            ),
        ),
        // Art. 44: the certificate.
        EventKind::LicenceIssued { number: licence } => applicant(
            format!("办件 {number}：许可证已颁发，编号 {licence}。"),
            format!("Case {number}: licence {licence} was issued."),
        ),
        _ => None,
    }
}

fn scope_zh(scope: WarningScope) -> &'static str {
    match scope {
        WarningScope::Case => "办理期限",
        WarningScope::Step => "本环节时限",
    }
}

fn scope_en(scope: WarningScope) -> &'static str {
    match scope {
        WarningScope::Case => "the time limit:",
        WarningScope::Step => "the current step's budget:",
    }
}

fn level_zh(level: WarningLevel) -> &'static str {
    match level {
        WarningLevel::Yellow => "黄色预警，即将到期。",
        WarningLevel::Red => "红色预警，今日为最后一日。",
        WarningLevel::Overdue => "已超期。",
    }
}

fn level_en(level: WarningLevel) -> &'static str {
    match level {
        WarningLevel::Yellow => "yellow warning, the deadline is near.",
        WarningLevel::Red => "red warning, today is the last day.",
        WarningLevel::Overdue => "overdue.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warning_goes_to_the_step_and_a_decision_to_the_applicant() {
        let warning = message_for(
            "2026-000001",
            &EventKind::WarningRaised {
                level: WarningLevel::Red,
                scope: WarningScope::Step,
            },
        )
        .expect("a warning tells");
        assert_eq!(warning.audience, Audience::StepActors);
        assert_eq!(
            warning.zh,
            "办件 2026-000001：本环节时限红色预警，今日为最后一日。"
        );
        let issued = message_for(
            "2026-000001",
            &EventKind::LicenceIssued {
                number: "(辽)XK06-014-00001".into(),
            },
        )
        .expect("the licence tells");
        assert_eq!(issued.audience, Audience::Applicant);
        assert!(issued.en.contains("(辽)XK06-014-00001"), "{}", issued.en);
    }

    #[test]
    fn the_telling_kinds_are_the_events_that_tell() {
        let today = jiff::civil::date(2026, 11, 16);
        let kinds = [
            EventKind::WarningRaised {
                level: WarningLevel::Yellow,
                scope: WarningScope::Case,
            },
            EventKind::SupplementRequested { items: vec![] },
            EventKind::Accepted,
            EventKind::DeemedAccepted { received_on: today },
            EventKind::Refused {
                reason: "r".into(),
                competent_org: None,
            },
            EventKind::Extended {
                days: 10,
                reason: "r".into(),
            },
            EventKind::Granted,
            EventKind::Denied {
                reasons: vec![],
                rights: String::new(),
            },
            EventKind::LicenceIssued { number: "n".into() },
            EventKind::Withdrawn { reason: "r".into() },
            EventKind::ReviewCompleted {
                opinion: "o".into(),
            },
        ];
        for kind in kinds {
            assert_eq!(
                TELLING_KINDS.contains(&kind.key()),
                message_for("2026-000001", &kind).is_some(),
                "{}",
                kind.key()
            );
        }
    }

    #[test]
    fn internal_steps_tell_nobody() {
        let completed = EventKind::StepCompleted {
            step: "document_review".into(),
            outcome: "pass".into(),
        };
        assert_eq!(message_for("2026-000001", &completed), None);
    }
}
