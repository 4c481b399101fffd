//! A case's events in plain words, for the case page and the applicant's timeline. Chinese is
//! the reference wording; English follows it.

use onewindow_domain::cases::{CaseEvent, EventKind, OnSiteOutcome, WarningLevel};
use onewindow_domain::licences::LicenceRequest;

/// One line of the timeline as the page shows it.
pub struct TimelineLine {
    pub on: String,
    pub who: String,
    pub what: String,
}

pub fn lines(events: &[CaseEvent], en: bool) -> Vec<TimelineLine> {
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
            who: match e.actor.role.key() {
                "system" => {
                    if en {
                        "onewindow (automatic)".into()
                    } else {
                        "系统自动".into()
                    }
                }
                role => format!("{} ({role})", e.actor.user),
            },
            what: describe(&e.kind, en),
        })
        .collect()
}

fn list(items: &[String]) -> String {
    items.join("；")
}

fn describe(kind: &EventKind, en: bool) -> String {
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
        } => pick(
            format!(
                "{}（{by}），预计 {expected_days} 个工作日，期间不计入审查期限（第四十五条）",
                reason.zh()
            ),
            format!(
                "{} by {by}, expected {expected_days} working days, not counted (art. 45)",
                reason.en()
            ),
        ),
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
            pick(
                format!("预警：{}（{}）", what.0, scope.key()),
                format!("warning: {} ({})", what.1, scope.key()),
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
        EventKind::HandedOver { step, org } => pick(
            format!("{step} 交由 {org} 办理"),
            format!("{step} handed to {org}"),
        ),
        EventKind::StepEntered { step, .. } => step.clone(),
        EventKind::StepCompleted { step, outcome } => format!("{step}: {outcome}"),
    }
}
