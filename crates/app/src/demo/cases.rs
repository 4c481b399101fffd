//! The demo's applications, one in every state a bureau sees: waiting for acceptance, waiting
//! for the applicant's supplement, deemed accepted (art. 32), under review beside the on-site
//! verification, rectifying, paused for testing at the institute (art. 45), yellow, overdue,
//! waiting for signature, granted, issued, denied, refused and withdrawn; and the cases on the
//! demo enterprise's licences (`licence_cases.rs`: a granted change, a renewal under review). Each is made through
//! the ordinary use cases with the clock set back, so its log, clock and queues are real.

use std::sync::Arc;

use jiff::SignedDuration;
use onewindow_domain::access::Membership;
use onewindow_domain::access::Role;
use onewindow_domain::catalogue::{CatalogueCode, OrgCode};
use onewindow_domain::flow::MoveInput;

use crate::cases::{MoveRequest, Person, Submission, Upload};
use crate::{App, AppError, FixedClock};

/// The setting that says the demo cases were made (they are made once).
const DEMO_CASES_SETTING: &str = "demo_cases";
const PUMPS: &str = "BS-XK-0101-002-XB";
const CITY: &str = "210200";
const LAB: &str = "210200-ZJY";

/// The pump licence guide's materials the bureau does not already hold.
const PUMP_MATERIALS: &[&str] = &[
    "《全国工业产品生产许可证申请书》",
    "生产场所土地或房屋产权证明或租赁合同",
    "主要生产设备和检验设备清单",
    "质量管理制度和责任制度文件目录",
    "专业技术人员和检验人员名单及资格证明",
    "产品执行标准清单及企业标准文本",
];

/// What happens to one demo case, in order, after its submission: (working days later, who,
/// step, outcome, input).
struct Script {
    applicant: usize,
    /// Calendar days before now that it was submitted.
    submitted_days_ago: i64,
    moves: Vec<(i64, Who, &'static str, &'static str, MoveInput)>,
}

#[derive(Clone, Copy)]
pub(super) enum Who {
    Applicant,
    Clerk,
    Reviewer,
    Inspector,
    Institute,
    Signatory,
}

fn input(f: impl FnOnce(&mut MoveInput)) -> MoveInput {
    let mut i = MoveInput::default();
    f(&mut i);
    i
}

fn two_inspectors() -> MoveInput {
    input(|i| i.inspectors = vec!["inspector".into(), "inspector.wang".into()])
}

fn review_to_lab() -> MoveInput {
    input(|i| {
        i.opinion = Some("材料齐全，符合法定形式".into());
        i.hand_over.insert("issuance_testing".into(), LAB.into());
    })
}

fn scripts() -> Vec<Script> {
    use Who::*;
    let accept = || (1, Clerk, "acceptance", "accept", MoveInput::default());
    let site = |days| {
        (
            days,
            Inspector,
            "onsite_verification",
            "pass",
            two_inspectors(),
        )
    };
    let review = |days| {
        (
            days,
            Reviewer,
            "document_review",
            "conforms",
            review_to_lab(),
        )
    };
    let test = |days| {
        let result = input(|i| i.result = Some("抽样检验合格（报告 DL-2026-0456）".into()));
        (days, Institute, "issuance_testing", "pass", result)
    };
    let script = |applicant, submitted_days_ago, moves| Script {
        applicant,
        submitted_days_ago,
        moves,
    };
    vec![
        // Waiting for acceptance, received today.
        script(0, 0, vec![]),
        // The one-time supplement notice is out.
        script(
            1,
            3,
            vec![(
                1,
                Clerk,
                "acceptance",
                "request_supplement",
                input(|i| {
                    i.items = vec!["营业执照副本（加盖公章）".into(), "检验设备检定证书".into()];
                }),
            )],
        ),
        // Nobody decided within five working days: the sweeper deems it accepted.
        script(2, 12, vec![]),
        // Accepted; the inspectors have not been on site yet.
        script(3, 6, vec![accept()]),
        // The site must be rectified first.
        script(
            0,
            15,
            vec![
                accept(),
                (
                    5,
                    Inspector,
                    "onsite_verification",
                    "rectify",
                    input(|i| {
                        // The deadline is set when the move is made: three weeks after the visit.
                        i.inspectors = vec!["inspector".into(), "inspector.wang".into()];
                    }),
                ),
            ],
        ),
        // Samples at the provincial institute: the clock is paused.
        script(1, 20, vec![accept(), site(6), review(2)]),
        // Nearly out of time for the review step (yellow).
        script(2, 28, vec![accept()]),
        // Far past the review budget and the limit: overdue.
        script(3, 110, vec![accept()]),
        // Waiting for the signatory for two days.
        script(0, 30, vec![accept(), site(5), review(3), test(8)]),
        // Granted; the certificate is being made.
        script(
            1,
            40,
            vec![
                accept(),
                site(5),
                review(3),
                test(8),
                (2, Signatory, "decision", "grant", MoveInput::default()),
            ],
        ),
        // Issued.
        script(
            2,
            60,
            vec![
                accept(),
                site(5),
                review(3),
                test(8),
                (2, Signatory, "decision", "grant", MoveInput::default()),
                (2, Clerk, "certificate", "issue", MoveInput::default()),
            ],
        ),
        // Denied with reasons and rights.
        script(
            3,
            50,
            vec![
                accept(),
                (
                    5,
                    Inspector,
                    "onsite_verification",
                    "fail",
                    two_inspectors(),
                ),
                (
                    2,
                    Reviewer,
                    "document_review",
                    "does_not_conform",
                    input(|i| i.opinion = Some("实地核查不合格".into())),
                ),
                (
                    2,
                    Signatory,
                    "decision",
                    "deny",
                    input(|i| {
                        i.reasons = vec![
                            "生产设备不符合《泵产品生产许可证实施细则》第三条要求".into(),
                            "实地核查结论为不合格".into(),
                        ];
                    }),
                ),
            ],
        ),
        // Refused: not this bureau's to accept.
        script(
            0,
            9,
            vec![(
                1,
                Clerk,
                "acceptance",
                "refuse",
                input(|i| {
                    i.reason = Some("申请事项不属于本机关职权范围".into());
                    i.competent_org = Some("辽宁省市场监督管理局".into());
                }),
            )],
        ),
        // Withdrawn by the applicant.
        script(
            1,
            14,
            vec![
                accept(),
                (
                    2,
                    Applicant,
                    "document_review",
                    "withdraw",
                    input(|i| i.reason = Some("企业调整生产计划，撤回申请".into())),
                ),
            ],
        ),
    ]
}

/// How long the enterprise is given to rectify.
const RECTIFY_DAYS: i64 = 21;

impl App {
    /// Makes the demo cases once (a setting remembers), then sweeps so the rules that fire by
    /// themselves (deemed acceptance, warnings) have fired. Returns how many were made.
    pub async fn seed_demo_cases(&self) -> Result<usize, AppError> {
        if self.store.setting(DEMO_CASES_SETTING).await?.as_deref() == Some("true") {
            return Ok(0);
        }
        let now = self.clock.now();
        let past_clock = Arc::new(FixedClock::new(now));
        let past = self.in_the_past(past_clock.clone());
        let scripts = scripts();
        for (n, script) in scripts.iter().enumerate() {
            let mut at = now - SignedDuration::from_hours(24 * script.submitted_days_ago);
            past_clock.set(at);
            let applicant = applicant(script.applicant)?;
            let number = past
                .submit_application(
                    &applicant,
                    Submission {
                        item: CatalogueCode::parse(PUMPS)
                            .map_err(|e| AppError::Refused(e.to_string()))?,
                        applicant: None,
                        applicant_name: None,
                        applicant_address: None,
                        uploads: pump_materials(),
                        idempotency_key: Some(format!("demo-case-{n}")),
                        licence: None,
                    },
                )
                .await?;
            for (days, who, step, outcome, given) in &script.moves {
                at = (at + SignedDuration::from_hours(24 * days)).min(now);
                past_clock.set(at);
                let person = match who {
                    Who::Applicant => applicant.clone(),
                    other => staff(*other)?,
                };
                let mut input = given.clone();
                if *outcome == "rectify" {
                    input.deadline = past
                        .today()
                        .checked_add(jiff::Span::new().days(RECTIFY_DAYS))
                        .ok();
                }
                let expected_version = past.case_view(&person, &number).await?.record.version;
                past.make_move(
                    &person,
                    &number,
                    MoveRequest {
                        step: (*step).into(),
                        outcome: (*outcome).into(),
                        expected_version,
                        input,
                        uploads: Vec::new(),
                    },
                )
                .await?;
            }
        }
        let on_licences = self.seed_demo_licence_cases().await?;
        self.store.set_setting(DEMO_CASES_SETTING, "true").await?;
        let report = self.sweep().await?;
        let made = scripts.len() + on_licences;
        tracing::info!(cases = made, ?report, "demo cases made");
        Ok(made)
    }
}

/// The demo enterprise users, in turn: the applicants of the demo cases.
fn applicant(index: usize) -> Result<Person, AppError> {
    let enterprises: Vec<Person> = super::accounts::demo_accounts()?
        .into_iter()
        .filter_map(|account| match account.membership {
            Membership::Enterprise { credit_code } => Some(Person::Enterprise {
                user: account.username.to_owned(),
                credit_code,
            }),
            Membership::Staff { .. } => None,
        })
        .collect();
    enterprises
        .get(index % enterprises.len().max(1))
        .cloned()
        .ok_or_else(|| AppError::Refused("the demo has no enterprises".into()))
}

pub(super) fn staff(who: Who) -> Result<Person, AppError> {
    let (user, role, org) = match who {
        Who::Clerk => ("clerk", Role::WindowClerk, CITY),
        Who::Reviewer => ("reviewer", Role::Reviewer, CITY),
        Who::Inspector => ("inspector", Role::Inspector, CITY),
        Who::Institute => ("institute", Role::InstituteStaff, LAB),
        Who::Signatory => ("signatory", Role::Signatory, CITY),
        Who::Applicant => return Err(AppError::Refused("the applicant is not staff".into())),
    };
    Ok(Person::Staff {
        user: user.into(),
        role,
        org: OrgCode::parse(org).map_err(|e| AppError::Refused(e.to_string()))?,
    })
}

/// A small PDF per material, each different (so each is its own stored file).
fn pump_materials() -> Vec<Upload> {
    PUMP_MATERIALS
        .iter()
        .map(|name| Upload {
            material: (*name).into(),
            file_name: "material.pdf".into(),
            bytes: format!("%PDF-1.4\n% onewindow demo material: {name}\n%%EOF\n").into_bytes(),
        })
        .collect()
}
