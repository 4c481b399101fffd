//! Renewal reminders (延续提醒; Administrative Licensing Law art. 50 ¶1, 工业产品生产许可证管理条例
//! 第二十四条): each licence in force gets one written reminder per validity period, a month
//! before the last day to apply for renewal in time (its type's lead, a licence-policy setting),
//! naming that day. Run by the sweeper.
//!
//! Each pass reads only the licences whose expiry entered the window since the previous pass —
//! the setting `renewal_reminders_through:<type>` remembers how far it got — so the cost is the
//! day's new entries, not the register. Exactly once across instances and restarts: a reminder
//! is idempotent per licence and validity (the document's key names the last day of validity),
//! so two instances reading the same range make one document.

use jiff::Span;
use jiff::civil::Date;
use onewindow_domain::catalogue::Vocabulary;
use onewindow_domain::licences::{Licence, LicencePolicy, LicenceStatus, LicenceType};
use onewindow_store::LicenceCursor;

use crate::documents::{DocumentKind, DocumentRequest};
use crate::{App, AppError};

/// How long before the last day to apply in time the reminder goes out.
const NOTICE_MONTHS: i64 = 1;
/// Licences read per page.
const PAGE: u32 = 500;

fn progress_setting(licence_type: LicenceType) -> String {
    format!("renewal_reminders_through:{}", licence_type.key())
}

/// The last day of validity of the licences of this type whose reminder is due by `today`:
/// those expiring on or before it are in the window.
fn window_end(policy: &LicencePolicy, licence_type: LicenceType, today: Date) -> Option<Date> {
    let months = i64::from(policy.rule(licence_type).renewal_lead_months) + NOTICE_MONTHS;
    today.checked_add(Span::new().months(months)).ok()
}

impl App {
    /// Makes the reminders due today that were not made yet; returns how many were made.
    pub(crate) async fn send_renewal_reminders(&self) -> Result<u64, AppError> {
        let policy = self.licence_policy().await?;
        let today = self.today();
        let mut made = 0;
        for licence_type in LicenceType::ALL {
            let Some(through) = window_end(&policy, *licence_type, today) else {
                continue;
            };
            let setting = progress_setting(*licence_type);
            // First pass: everything still in force inside the window.
            let from = match self.store.setting(&setting).await? {
                Some(done) => onewindow_domain::dates::parse_date(&done)
                    .ok()
                    .and_then(|d| d.tomorrow().ok())
                    .unwrap_or(today),
                None => today,
            }
            .max(today);
            if from > through {
                continue;
            }
            made += self
                .remind_between(&policy, *licence_type, from, through, today)
                .await?;
            self.store
                .set_setting(&setting, &through.to_string())
                .await?;
        }
        Ok(made)
    }

    async fn remind_between(
        &self,
        policy: &LicencePolicy,
        licence_type: LicenceType,
        from: Date,
        through: Date,
        today: Date,
    ) -> Result<u64, AppError> {
        let mut made = 0;
        let mut cursor = LicenceCursor::default();
        loop {
            let (page, next) = self
                .store
                .expiring_licences(from, through, cursor, PAGE)
                .await?;
            if page.is_empty() {
                return Ok(made);
            }
            cursor = next;
            for licence in page.iter().filter(|l| {
                l.grant.licence_type == licence_type
                    && l.status_on(today).status == LicenceStatus::Valid
            }) {
                let Some(apply_before) =
                    policy.renewal_due_by(licence_type, licence.grant.valid_until)
                else {
                    continue;
                };
                let request = self.renewal_reminder(licence, apply_before).await?;
                match self.issue_document(request).await {
                    Ok(document) if !document.existing => made += 1,
                    Ok(_) => {}
                    // The font may be missing now; the reminder stays due and the next pass
                    // over this range (after a restart: the first) makes it.
                    Err(e) => {
                        tracing::warn!(licence = %licence.number, error = %e, "renewal reminder not made yet");
                        return Err(e);
                    }
                }
            }
        }
    }

    /// The reminder of one licence for its current validity.
    async fn renewal_reminder(
        &self,
        licence: &Licence,
        apply_before: Date,
    ) -> Result<DocumentRequest, AppError> {
        let grant = &licence.grant;
        let bureau = self
            .store
            .orgs()
            .await?
            .into_iter()
            .find(|o| o.code == grant.issuing_org)
            .map_or(grant.issuing_org.as_str().to_owned(), |o| o.name_zh);
        let mut dates = std::collections::BTreeMap::new();
        dates.insert("valid_until".to_owned(), grant.valid_until);
        dates.insert("apply_before".to_owned(), apply_before);
        let mut fields = std::collections::BTreeMap::new();
        fields.insert("licence_number".to_owned(), licence.number.to_string());
        fields.insert("product".to_owned(), grant.scope.join("、"));
        Ok(DocumentRequest {
            kind: DocumentKind::RenewalReminder,
            bureau,
            case_number: None,
            licence_number: Some(licence.number.to_string()),
            holder: crate::documents::licence_holder(grant),
            dates,
            fields,
            items: Vec::new(),
            idempotency: format!("validity-{}", grant.valid_until),
        })
    }
}
