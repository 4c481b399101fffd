//! The statuses a case passes through (RULES.md §1): before acceptance (art. 32), under
//! review with its on-site verification (art. 34) and pauses (art. 45), decided (art. 38),
//! issued (art. 44), or ended by refusal or withdrawal. Owns their keys and names; which status
//! a log is in is `state`'s.

use serde::Serialize;

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// No events yet: only a submission can start the log.
    NotSubmitted,
    /// Received (or supplemented), waiting for acceptance, refusal or the supplement notice.
    Submitted,
    /// The one-time supplement notice was sent (art. 32); waiting for the applicant.
    AwaitingSupplement,
    /// Accepted; review, on-site verification and testing are under way.
    UnderReview,
    /// The inspectors asked for rectification by a deadline; a new verification follows.
    Rectifying,
    /// Testing, appraisal, expert review … running; the clock is paused (art. 45).
    Paused,
    /// Review completed, nothing pending: ready for the signatory.
    AwaitingDecision,
    Granted,
    /// Granted and the certificate issued (art. 44).
    Issued,
    Denied,
    /// Not accepted (art. 32).
    Refused,
    Withdrawn,
}

impl CaseStatus {
    /// Every status, in the order a case passes through them.
    pub const ALL: [CaseStatus; 12] = [
        CaseStatus::NotSubmitted,
        CaseStatus::Submitted,
        CaseStatus::AwaitingSupplement,
        CaseStatus::UnderReview,
        CaseStatus::Rectifying,
        CaseStatus::Paused,
        CaseStatus::AwaitingDecision,
        CaseStatus::Granted,
        CaseStatus::Issued,
        CaseStatus::Denied,
        CaseStatus::Refused,
        CaseStatus::Withdrawn,
    ];

    /// The status with this key.
    pub fn parse_key(key: &str) -> Option<CaseStatus> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The stable key (the store's `status` column, the API).
    pub fn key(self) -> &'static str {
        match self {
            CaseStatus::NotSubmitted => "not_submitted",
            CaseStatus::Submitted => "submitted",
            CaseStatus::AwaitingSupplement => "awaiting_supplement",
            CaseStatus::UnderReview => "under_review",
            CaseStatus::Rectifying => "rectifying",
            CaseStatus::Paused => "paused",
            CaseStatus::AwaitingDecision => "awaiting_decision",
            CaseStatus::Granted => "granted",
            CaseStatus::Issued => "issued",
            CaseStatus::Denied => "denied",
            CaseStatus::Refused => "refused",
            CaseStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            CaseStatus::NotSubmitted => "未提交",
            CaseStatus::Submitted => "待受理",
            CaseStatus::AwaitingSupplement => "待补正",
            CaseStatus::UnderReview => "审查中",
            CaseStatus::Rectifying => "整改中",
            CaseStatus::Paused => "特别程序中",
            CaseStatus::AwaitingDecision => "待决定",
            CaseStatus::Granted => "准予许可",
            CaseStatus::Issued => "已发证",
            CaseStatus::Denied => "不予许可",
            CaseStatus::Refused => "不予受理",
            CaseStatus::Withdrawn => "已撤回",
        }
    }

    /// Nothing more can happen to the case.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            CaseStatus::Issued | CaseStatus::Denied | CaseStatus::Refused | CaseStatus::Withdrawn
        )
    }
}

impl std::fmt::Display for CaseStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key().replace('_', " "))
    }
}

#[cfg(test)]
mod tests {
    use super::CaseStatus;

    #[test]
    fn every_status_key_reads_back_as_its_status_and_no_other() {
        for status in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse_key(status.key()), Some(status));
        }
        assert_eq!(CaseStatus::parse_key("Issued"), None);
    }
}
