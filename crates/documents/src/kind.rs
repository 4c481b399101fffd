//! The kinds of document onewindow issues, and what each one needs.
//!
//! Owns the closed list of kinds, their stable codes (they are signed into every
//! verification payload, so a code is never reused or renumbered), their URL slugs,
//! Chinese titles, template names and the data each kind requires. It must not know
//! how a document is laid out: that is the templates' job.

use serde::{Deserialize, Serialize};

/// One kind of legal document. The legal basis is on each variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    /// 受理通知书 — written, dated voucher of acceptance (行政许可法 art. 32).
    Acceptance,
    /// 不予受理决定书 — written, dated refusal to accept, with reasons (art. 32).
    Refusal,
    /// 补正材料通知书 — one single notice listing everything to supplement (art. 32 (4)).
    SupplementNotice,
    /// 特别程序期限告知书 — time needed for testing, appraisal, expert review … (art. 45).
    SpecialProcedureNotice,
    /// 延长审查期限通知书 — extension approved by the head of the organ, with reasons (art. 42).
    ExtensionNotice,
    /// 准予行政许可决定书 — written grant decision (art. 38).
    GrantDecision,
    /// 不予行政许可决定书 — denial with reasons and the applicant's rights (art. 38).
    DenialDecision,
    /// 生产许可证（正本） — the certificate, original (工业产品生产许可证管理条例; RULES.md §2).
    LicenceOriginal,
    /// 生产许可证（副本） — the certificate, copy.
    LicenceCopy,
    /// 变更通知书 — change of a licence on application (art. 49).
    ChangeNotice,
    /// 注销通知书 — cancellation of a licence (art. 70).
    CancellationNotice,
    /// 延续提醒 — reminder to apply for renewal before expiry (art. 50).
    RenewalReminder,
}

/// Whether a kind needs a list of items (reasons, materials, changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemsRule {
    /// The list must have at least one entry.
    Required,
    /// The list may be empty.
    Optional,
}

/// The data a kind cannot be issued without.
#[derive(Debug, Clone, Copy)]
pub struct Requirements {
    /// Keys that must be present in [`crate::DocumentData::dates`].
    pub dates: &'static [&'static str],
    /// Keys that must be present and non-blank in [`crate::DocumentData::fields`].
    pub fields: &'static [&'static str],
    /// Whether [`crate::DocumentData::items`] must be non-empty.
    pub items: ItemsRule,
    /// Whether [`crate::DocumentData::case_number`] must be set. Documents about a licence
    /// (the certificate, its cancellation on expiry, a renewal reminder) can be issued
    /// outside any case (art. 70: cancellation when the licence expires unrenewed).
    pub case_number: bool,
}

/// Fields of a decision the applicant may contest: where to apply for
/// reconsideration and where to sue (art. 38: a denial states these rights).
const RIGHTS: [&str; 2] = ["reconsideration_organ", "court"];

impl DocumentKind {
    /// Every kind, in code order.
    pub const ALL: [DocumentKind; 12] = [
        Self::Acceptance,
        Self::Refusal,
        Self::SupplementNotice,
        Self::SpecialProcedureNotice,
        Self::ExtensionNotice,
        Self::GrantDecision,
        Self::DenialDecision,
        Self::LicenceOriginal,
        Self::LicenceCopy,
        Self::ChangeNotice,
        Self::CancellationNotice,
        Self::RenewalReminder,
    ];

    /// The stable one-byte code signed into payloads. Never renumber.
    pub fn code(self) -> u8 {
        match self {
            Self::Acceptance => 1,
            Self::Refusal => 2,
            Self::SupplementNotice => 3,
            Self::SpecialProcedureNotice => 4,
            Self::ExtensionNotice => 5,
            Self::GrantDecision => 6,
            Self::DenialDecision => 7,
            Self::LicenceOriginal => 8,
            Self::LicenceCopy => 9,
            Self::ChangeNotice => 10,
            Self::CancellationNotice => 11,
            Self::RenewalReminder => 12,
        }
    }

    /// The kind with this payload code.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// The slug used in URLs (`/verify/{slug}/{number}`) and in serde.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Acceptance => "acceptance",
            Self::Refusal => "refusal",
            Self::SupplementNotice => "supplement-notice",
            Self::SpecialProcedureNotice => "special-procedure-notice",
            Self::ExtensionNotice => "extension-notice",
            Self::GrantDecision => "grant-decision",
            Self::DenialDecision => "denial-decision",
            Self::LicenceOriginal => "licence-original",
            Self::LicenceCopy => "licence-copy",
            Self::ChangeNotice => "change-notice",
            Self::CancellationNotice => "cancellation-notice",
            Self::RenewalReminder => "renewal-reminder",
        }
    }

    /// The kind with this URL slug.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.slug() == slug)
    }

    /// The title printed on the document.
    pub fn title(self) -> &'static str {
        match self {
            Self::Acceptance => "受理通知书",
            Self::Refusal => "不予受理决定书",
            Self::SupplementNotice => "补正材料通知书",
            Self::SpecialProcedureNotice => "特别程序期限告知书",
            Self::ExtensionNotice => "延长审查期限通知书",
            Self::GrantDecision => "准予行政许可决定书",
            Self::DenialDecision => "不予行政许可决定书",
            Self::LicenceOriginal => "生产许可证（正本）",
            Self::LicenceCopy => "生产许可证（副本）",
            Self::ChangeNotice => "许可证变更通知书",
            Self::CancellationNotice => "许可证注销通知书",
            Self::RenewalReminder => "许可证延续提醒",
        }
    }

    /// The template this kind is rendered with; the two licence editions share one.
    pub fn template(self) -> &'static str {
        match self {
            Self::LicenceOriginal | Self::LicenceCopy => "licence",
            other => other.slug(),
        }
    }

    /// What must be present before this kind may be rendered.
    pub fn requirements(self) -> Requirements {
        let (dates, fields, items): (&[&str], &[&str], ItemsRule) = match self {
            Self::Acceptance => (&["submitted_on"], &["item"], ItemsRule::Optional),
            Self::Refusal => (
                &["submitted_on"],
                &["item", RIGHTS[0], RIGHTS[1]],
                ItemsRule::Required,
            ),
            Self::SupplementNotice => (&["submitted_on"], &["item"], ItemsRule::Required),
            Self::SpecialProcedureNotice => {
                (&[], &["item", "procedure", "duration"], ItemsRule::Optional)
            }
            Self::ExtensionNotice => (
                &["new_deadline"],
                &["item", "extension"],
                ItemsRule::Required,
            ),
            Self::GrantDecision => (&[], &["item", "product"], ItemsRule::Optional),
            Self::DenialDecision => (&[], &["item", RIGHTS[0], RIGHTS[1]], ItemsRule::Required),
            Self::LicenceOriginal | Self::LicenceCopy => (
                &["valid_until"],
                &["domicile", "production_address", "product"],
                ItemsRule::Optional,
            ),
            Self::ChangeNotice => (&[], &["licence_number"], ItemsRule::Required),
            Self::CancellationNotice => (
                &[],
                &["licence_number", "ground", RIGHTS[0], RIGHTS[1]],
                ItemsRule::Optional,
            ),
            Self::RenewalReminder => (
                &["valid_until", "apply_before"],
                &["licence_number", "product"],
                ItemsRule::Optional,
            ),
        };
        let case_number = !matches!(
            self,
            Self::LicenceOriginal
                | Self::LicenceCopy
                | Self::CancellationNotice
                | Self::RenewalReminder
        );
        Requirements {
            dates,
            fields,
            items,
            case_number,
        }
    }
}

impl std::fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.slug())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_slugs_round_trip_and_are_unique() {
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_code(kind.code()), Some(kind));
            assert_eq!(DocumentKind::from_slug(kind.slug()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.slug()));
        }
        let mut codes: Vec<u8> = DocumentKind::ALL.iter().map(|k| k.code()).collect();
        codes.dedup();
        assert_eq!(codes.len(), DocumentKind::ALL.len());
    }
}
