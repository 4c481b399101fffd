//! The demo's cases on existing licences (arts. 49, 50): the demo enterprise `enterprise`
//! holds two pump licences — one whose production address was changed by a granted change
//! case, and one close to expiry, in its renewal window (so it has its renewal reminder), with a
//! renewal case under review. Made through the ordinary use cases with the clock set back.

use std::sync::Arc;

use jiff::{SignedDuration, Span};
use onewindow_domain::catalogue::{CatalogueCode, OrgCode};
use onewindow_domain::identifiers::CreditCode;
use onewindow_domain::licences::LicenceType;

use super::cases::{Who, staff};
use crate::cases::{MoveRequest, Person, Submission, Upload};
use crate::licences::{IssueLicence, LicenceApplication};
use crate::{App, AppError, FixedClock};

const HOLDER: &str = "91210211MA0Y4K7P";
const HOLDER_NAME: &str = "大连海通阀门制造有限公司";

fn refused(e: impl std::fmt::Display) -> AppError {
    AppError::Refused(format!("demo licence cases: {e}"))
}

fn uploads(names: &[&str]) -> Vec<Upload> {
    names
        .iter()
        .map(|name| Upload {
            material: (*name).into(),
            file_name: "material.pdf".into(),
            bytes: format!("%PDF-1.4\n% onewindow demo material: {name}\n%%EOF\n").into_bytes(),
        })
        .collect()
}

impl App {
    /// Makes the demo enterprise's licences and the cases on them; returns how many cases.
    pub(super) async fn seed_demo_licence_cases(&self) -> Result<usize, AppError> {
        let now = self.clock.now();
        let past_clock = Arc::new(FixedClock::new(now));
        let past = self.in_the_past(past_clock.clone());
        let holder = Person::Enterprise {
            user: "enterprise".into(),
            credit_code: CreditCode::complete(HOLDER).map_err(refused)?,
        };
        let today = self.today();
        // Issued two years ago; its production address changed last week (art. 49).
        let changed = self
            .demo_licence(
                today.checked_sub(Span::new().days(730)).map_err(refused)?,
                1,
            )
            .await?;
        past_clock.set(now - SignedDuration::from_hours(24 * 9));
        let application = LicenceApplication {
            number: changed.clone(),
            production_address: Some("辽宁省大连市甘井子区营城子工业园区阀门路8号".into()),
            ..Default::default()
        };
        let change = past
            .demo_submit(
                &holder,
                "BS-XK-0101-BG",
                application,
                &[
                    "《全国工业产品生产许可证变更申请书》",
                    "原全国工业产品生产许可证正、副本",
                    "生产条件未发生变化的书面承诺",
                ],
            )
            .await?;
        for (days, who, step, outcome) in [
            (1, Who::Clerk, "acceptance", "accept"),
            (3, Who::Reviewer, "document_review", "conforms"),
            (5, Who::Signatory, "decision", "grant"),
        ] {
            past_clock.set(now - SignedDuration::from_hours(24 * (9 - days)));
            past.demo_move(&change, who, step, outcome).await?;
        }
        // Valid for 200 more days: in its renewal window; renewal applied for 3 days ago.
        let expiring_issued = today
            .checked_add(Span::new().days(201))
            .and_then(|d| d.checked_sub(Span::new().years(5)))
            .map_err(refused)?;
        let expiring = self.demo_licence(expiring_issued, 2).await?;
        past_clock.set(now - SignedDuration::from_hours(24 * 3));
        let renewal = past
            .demo_submit(
                &holder,
                "BS-XK-0101-YX",
                LicenceApplication {
                    number: expiring,
                    ..Default::default()
                },
                &[
                    "《全国工业产品生产许可证申请书》（换证）",
                    "有效期内产品质量状况说明（含监督抽查情况）",
                    "主要生产设备和检验设备变化情况说明",
                ],
            )
            .await?;
        past_clock.set(now - SignedDuration::from_hours(24 * 2));
        past.demo_move(&renewal, Who::Clerk, "acceptance", "accept")
            .await?;
        Ok(2)
    }

    async fn demo_licence(&self, issued_on: jiff::civil::Date, n: u32) -> Result<String, AppError> {
        let licence = self
            .issue_licence(IssueLicence {
                case_number: format!("{}-8{n:05}", issued_on.year()),
                item_code: CatalogueCode::parse("BS-XK-0101-002-XB").map_err(refused)?,
                licence_type: LicenceType::IndustrialProduct,
                holder_name: HOLDER_NAME.into(),
                holder_credit_code: CreditCode::complete(HOLDER).map_err(refused)?,
                production_address: "辽宁省大连市甘井子区营城子工业园区营城子路18号".into(),
                scope: vec!["泵：离心泵".into()],
                issuing_org: OrgCode::parse("210200").map_err(refused)?,
                issued_on,
                actor: "demo".into(),
            })
            .await?;
        Ok(licence.number.to_string())
    }

    async fn demo_submit(
        &self,
        holder: &Person,
        item: &str,
        licence: LicenceApplication,
        materials: &[&str],
    ) -> Result<String, AppError> {
        self.submit_application(
            holder,
            Submission {
                item: CatalogueCode::parse(item).map_err(refused)?,
                applicant: None,
                applicant_name: None,
                applicant_address: None,
                uploads: uploads(materials),
                idempotency_key: Some(format!("demo-licence-case-{item}")),
                licence: Some(licence),
            },
        )
        .await
    }

    async fn demo_move(
        &self,
        number: &str,
        who: Who,
        step: &str,
        outcome: &str,
    ) -> Result<(), AppError> {
        let person = staff(who)?;
        let expected_version = self.case_view(&person, number).await?.record.version;
        let mut input = onewindow_domain::flow::MoveInput::default();
        if step == "document_review" {
            input.opinion = Some("变更事项属实，生产条件未变化".into());
        }
        self.make_move(
            &person,
            number,
            MoveRequest {
                step: step.into(),
                outcome: outcome.into(),
                expected_version,
                input,
                uploads: Vec::new(),
            },
        )
        .await?;
        Ok(())
    }
}
