//! A case's events in plain words, for the case page and the applicant's timeline. Chinese is
//! the reference wording; English follows it. Steps, orgs and roles are shown by their names
//! (`Names`: the case's definition and the org catalogue), never by their keys.

use onewindow_domain::cases::{
    ActorRole, CaseEvent, EventKind, OnSiteOutcome, WarningLevel, WarningScope,
};
use onewindow_domain::catalogue::Vocabulary;
use onewindow_domain::clock::Names;
use onewindow_domain::licences::LicenceRequest;

/// One line of the timeline as the page shows it.
pub struct TimelineLine {
    pub on: String,
    pub who: String,
    pub what: String,
}

pub fn lines(events: &[CaseEvent], names: &dyn Names, en: bool) -> Vec<TimelineLine> {
    events
        .iter()
        .filter(|e| {
            !matches!(
                e.kind,
                EventKind::StepEntered { .. } | EventKind::StepCompleted { .. }
            )
        })
        .map(|e| TimelineLine {
            on: e.on.to_string(),
            who: who(e, names, en),
            what: describe(&e.kind, names, en),
        })
        .collect()
}

/// "机关负责人 head · 大连市市场监督管理局": the role's name, the user, and the org's name.
fn who(event: &CaseEvent, names: &dyn Names, en: bool) -> String {
    let user = &event.actor.user;
    let role = match event.actor.role {
        ActorRole::System if en => return "onewindow (automatic)".into(),
        ActorRole::System => return "系统自动".into(),
        ActorRole::Applicant if en => "Applicant",
        ActorRole::Applicant => "申请人",
        ActorRole::Staff(role) => role.label(en),
    };
    match &event.actor.org {
        Some(org) => {
            let org = names.org_or_text(org.as_str());
            format!("{role} {user} · {}", org.pick(en))
        }
        None => format!("{role} {user}"),
    }
}

fn list(items: &[String]) -> String {
    items.join("；")
}

fn describe(kind: &EventKind, names: &dyn Names, en: bool) -> String {
    let pick = |zh: String, english: String| if en { english } else { zh };
    match kind {
        EventKind::Submitted {
            materials, channel, ..
        } => pick(
            format!(
                "提交申请（{}，材料 {} 份）",
                if channel.key() == "window" {
                    "窗口"
                } else {
                    "网上"
                },
                materials.len()
            ),
            format!(
                "application submitted ({}, {} materials)",
                channel.key(),
                materials.len()
            ),
        ),
        EventKind::ApplicantNamed { name, address } => pick(
            format!("窗口登记申请人：{name}，住所 {address}"),
            format!("applicant registered at the window: {name}, domicile {address}"),
        ),
        EventKind::SupplementRequested { items } => pick(
            format!("一次性告知补正：{}", list(items)),
            format!("one-time supplement notice: {}", list(items)),
        ),
        EventKind::Supplemented { materials } => pick(
            format!("申请人补正材料 {} 份", materials.len()),
            format!("the applicant supplemented {} materials", materials.len()),
        ),
        EventKind::Accepted => pick("予以受理".into(), "accepted".into()),
        EventKind::DeemedAccepted { received_on } => pick(
            format!(
                "五个工作日内未作决定，自收到材料之日（{received_on}）起即为受理（行政许可法第三十二条）"
            ),
            format!(
                "no decision within five working days: accepted from the day of receipt, {received_on} (art. 32)"
            ),
        ),
        EventKind::Refused {
            reason,
            competent_org,
        } => pick(
            format!(
                "不予受理：{reason}{}",
                competent_org
                    .as_ref()
                    .map(|o| format!("（请向{o}申请）"))
                    .unwrap_or_default()
            ),
            format!(
                "refused: {reason}{}",
                competent_org
                    .as_ref()
                    .map(|o| format!(" (apply to {o})"))
                    .unwrap_or_default()
            ),
        ),
        EventKind::ReviewCompleted { opinion } => pick(
            format!("审查意见：{opinion}"),
            format!("review opinion: {opinion}"),
        ),
        EventKind::OnSiteVerified {
            inspectors,
            outcome,
        } => {
            let names = inspectors.join("、");
            match outcome {
                OnSiteOutcome::Pass => pick(
                    format!("实地核查：合格（核查员 {names}）"),
                    format!("on-site verification passed ({names})"),
                ),
                OnSiteOutcome::Fail => pick(
                    format!("实地核查：不合格（核查员 {names}）"),
                    format!("on-site verification failed ({names})"),
                ),
                OnSiteOutcome::Rectify { deadline } => pick(
                    format!("实地核查：限 {deadline} 前整改（核查员 {names}）"),
                    format!("on-site verification: rectify by {deadline} ({names})"),
                ),
            }
        }
        EventKind::PauseStarted {
            reason,
            by,
            expected_days,
        } => {
            let by = names.org_or_text(by);
            pick(
                format!(
                    "{}（{}），预计 {expected_days} 个工作日，期间不计入审查期限（第四十五条）",
                    reason.zh(),
                    by.zh
                ),
                format!(
                    "{} by {}, expected {expected_days} working days, not counted (art. 45)",
                    reason.en(),
                    by.en
                ),
            )
        }
        EventKind::PauseEnded { result } => pick(
            format!("特别程序结束：{result}"),
            format!("special procedure ended: {result}"),
        ),
        EventKind::Extended { days, reason } => pick(
            format!("经机关负责人批准延长 {days} 个工作日：{reason}（第四十二条）"),
            format!(
                "the head of the organ extended the limit by {days} working days: {reason} (art. 42)"
            ),
        ),
        EventKind::Granted => pick("作出准予行政许可决定".into(), "licence granted".into()),
        EventKind::LicenceNamed {
            number,
            request,
            valid_until,
            in_time,
        } => {
            let late = match (request, in_time) {
                (LicenceRequest::Renewal, false) => (
                    "；未在规定期限内申请，逾期不视为准予延续",
                    "; not applied for within the lead time, so it is not deemed granted at expiry",
                ),
                _ => ("", ""),
            };
            pick(
                format!(
                    "申请{}许可证 {number}（有效期至{valid_until}）{}",
                    request.zh(),
                    late.0
                ),
                format!(
                    "{} of licence {number} (valid until {valid_until}){}",
                    request.key(),
                    late.1
                ),
            )
        }
        EventKind::RenewalDeemed { expired_on } => pick(
            format!(
                "许可证有效期届满（{expired_on}）前未作决定，视为准予延续（行政许可法第五十条）"
            ),
            format!(
                "no decision before the licence expired on {expired_on}: the renewal is deemed granted (art. 50)"
            ),
        ),
        EventKind::Denied { reasons, .. } => pick(
            format!("不予行政许可：{}", list(reasons)),
            format!("licence denied: {}", list(reasons)),
        ),
        EventKind::LicenceIssued { number } => pick(
            format!("颁发许可证 {number}"),
            format!("licence {number} issued"),
        ),
        EventKind::Withdrawn { reason } => pick(
            format!("申请人撤回申请：{reason}"),
            format!("withdrawn by the applicant: {reason}"),
        ),
        EventKind::WarningRaised { level, scope } => {
            let what = match level {
                WarningLevel::Yellow => ("即将到期", "deadline near"),
                WarningLevel::Red => ("最后期限", "last day"),
                WarningLevel::Overdue => ("已超期", "overdue"),
            };
            let of = match scope {
                WarningScope::Case => ("办理时限", "the case's limit"),
                WarningScope::Step => ("当前环节", "the current step"),
            };
            pick(
                format!("预警：{}（{}）", what.0, of.0),
                format!("warning: {} ({})", what.1, of.1),
            )
        }
        EventKind::DueDateChanged {
            previous,
            due,
            reason,
        } => pick(
            format!("法定期限由 {previous} 调整为 {due}：{reason}"),
            format!("the statutory due date moved from {previous} to {due}: {reason}"),
        ),
        EventKind::HandedOver { step, org } => {
            let (step, org) = (names.step_or_id(step), names.org_or_text(org));
            pick(
                format!("“{}”交由{}办理", step.zh, org.zh),
                format!("“{}” handed to {}", step.en, org.en),
            )
        }
        EventKind::StepEntered { step, .. } => names.step_or_id(step).pick(en).to_owned(),
        EventKind::StepCompleted { step, outcome } => {
            format!("{}: {outcome}", names.step_or_id(step).pick(en))
        }
    }
}
