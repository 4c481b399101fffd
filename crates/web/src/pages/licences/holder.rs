//! The holder's part of its licence page: the change, renewal and cancellation applications
//! its licence's status allows (Administrative Licensing Law arts. 49, 50, 70) and the
//! licence's documents (renewal reminders, notices, certificates). Nobody else sees it.

use onewindow_domain::catalogue::HandlingKind;
use onewindow_domain::licences::{Licence, LicenceStatus};

use crate::AppState;
use crate::extract::Viewer;
use crate::i18n::Lang;
use crate::views::percent_encode;

#[derive(Default)]
pub(super) struct HolderSection {
    pub apply: Vec<(String, String)>,
    pub documents: Vec<(String, String)>,
}

/// The holder's section: the change, renewal and cancellation items its licence's status
/// allows (arts. 49, 50, 70: none once revoked or cancelled; only cancellation once expired),
/// and the licence's documents (renewal reminders, notices, certificates).
pub(super) async fn holder_section(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    licence: &Licence,
    status: LicenceStatus,
) -> Option<HolderSection> {
    let person = crate::extract::person_of(viewer).ok()?;
    let number = licence.number.to_string();
    state
        .app
        .check_licence_documents(&person, &number)
        .await
        .ok()?;
    if !matches!(person, onewindow_app::cases::Person::Enterprise { .. }) {
        return None;
    }
    let items = state
        .app
        .licence_case_items(licence)
        .await
        .unwrap_or_default();
    let open = |h: HandlingKind| match status {
        LicenceStatus::Valid | LicenceStatus::Suspended | LicenceStatus::NotYetValid => true,
        LicenceStatus::Expired => h == HandlingKind::Cancellation,
        LicenceStatus::Revoked | LicenceStatus::Cancelled => false,
    };
    let apply = items
        .into_iter()
        .filter(|i| open(i.handling))
        .map(|i| {
            let name = match lang.is_en() {
                true => &i.name_en,
                false => &i.name_zh,
            };
            let label = format!("{}：{name}", lang.t("apply"));
            let href = format!(
                "/apply/{}?licence={}",
                i.item.as_str(),
                percent_encode(&number)
            );
            (label, href)
        })
        .collect();
    let documents = state
        .app
        .documents_for_licence(&number)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|d| {
            (
                format!("{} {}", d.kind, d.number),
                format!("/documents/{}", d.number),
            )
        })
        .collect();
    Some(HolderSection { apply, documents })
}
