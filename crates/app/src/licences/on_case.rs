//! Applying for a case on an existing licence (arts. 49, 50, 70): the check when the case is
//! submitted — the licence exists, is the applicant's, has no other open case, and its status
//! allows the request — the items a holder may apply under, and who reads a licence's
//! documents. What the grant does to the licence is `grant.rs`.

use onewindow_domain::cases::Command;
use onewindow_domain::catalogue::{HandlingKind, Problems, Vocabulary};
use onewindow_domain::identifiers::CreditCode;
use onewindow_domain::licences::{Licence, LicenceRequest};

use super::invalid;
use crate::{App, AppError};

/// An application's naming of its licence, as handed in; what it asks follows from the item
/// (a change item asks for a change …), and only the fields of that kind are read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LicenceApplication {
    /// The licence number in any printed form.
    pub number: String,
    /// A change: the new holder name, production address and products (blank: unchanged).
    pub holder_name: Option<String>,
    pub production_address: Option<String>,
    pub scope: Vec<String>,
    /// A cancellation: why (e.g. production stopped).
    pub reason: Option<String>,
}

impl LicenceApplication {
    /// The request of an application for an item of `handling`.
    fn request(&self, handling: HandlingKind) -> Option<LicenceRequest> {
        match handling {
            HandlingKind::Change => Some(LicenceRequest::Change {
                holder_name: self.holder_name.clone(),
                production_address: self.production_address.clone(),
                scope: self.scope.clone(),
            }),
            HandlingKind::Renewal => Some(LicenceRequest::Renewal),
            HandlingKind::Cancellation => Some(LicenceRequest::Cancellation {
                reason: self.reason.clone().unwrap_or_default(),
            }),
            HandlingKind::New | HandlingKind::Other => None,
        }
    }
}

pub(super) fn problem(field: &'static str, message: impl Into<String>) -> AppError {
    let mut problems = Problems::default();
    problems.push(field, message.into());
    invalid("application", problems)
}

impl App {
    /// The command naming the licence a submission for `handling` is about, checked against
    /// the register on today's date; `None` for a new application, which names none.
    pub(crate) async fn name_licence(
        &self,
        item: &onewindow_domain::catalogue::ServiceItem,
        applicant: &CreditCode,
        application: Option<LicenceApplication>,
    ) -> Result<Option<Command>, AppError> {
        let handling = item.handling_kind;
        let about_licence = matches!(
            handling,
            HandlingKind::Change | HandlingKind::Renewal | HandlingKind::Cancellation
        );
        let application = match application {
            None if !about_licence => return Ok(None),
            None => {
                return Err(problem(
                    "licence_number",
                    format!(
                        "a {} application names the licence it is about",
                        handling.key()
                    ),
                ));
            }
            Some(application) => application,
        };
        let Some(request) = application.request(handling) else {
            return Err(problem(
                "licence_number",
                format!("a {} application names no existing licence", handling.key()),
            ));
        };
        let view = match self.licence_view(&application.number).await {
            Ok(view) => view,
            Err(AppError::NotFound(_)) => {
                return Err(problem(
                    "licence_number",
                    format!("there is no licence {} in the register", application.number),
                ));
            }
            Err(AppError::Invalid { problems, .. }) => {
                return Err(invalid(
                    "application",
                    problems_as("licence_number", problems),
                ));
            }
            Err(other) => return Err(other),
        };
        let licence = view.licence;
        self.check_no_open_case(&licence.number.to_string()).await?;
        if !self.powers_of(&licence).await?.contains(&item.power) {
            return Err(problem(
                "licence_number",
                format!(
                    "licence {} was not granted under {} ({}); apply under the item of its own licence",
                    licence.number,
                    item.power.as_str(),
                    item.name_zh
                ),
            ));
        }
        let request = licence
            .check_request(applicant, request, view.today)
            .map_err(|e| problem(e.field(), e.to_string()))?;
        // Art. 50 ¶1 with the type's lead (条例 第二十四条: 6 months): a late renewal is still
        // accepted, but only one applied for in time is deemed granted at expiry.
        let policy = self.licence_policy().await?;
        let in_time = policy
            .renewal_due_by(licence.grant.licence_type, licence.grant.valid_until)
            .is_some_and(|due_by| view.today <= due_by);
        Ok(Some(Command::NameLicence {
            number: licence.number.to_string(),
            request,
            valid_until: licence.grant.valid_until,
            in_time,
        }))
    }
}

/// The licence view's problems (about its `number`) as problems of the application's field.
fn problems_as(field: &'static str, problems: Problems) -> Problems {
    let mut out = Problems::default();
    for p in problems.0 {
        out.push(field, p.message);
    }
    out
}

/// A service item an enterprise may apply under for a case on its licence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceCaseItem {
    pub handling: HandlingKind,
    pub item: onewindow_domain::catalogue::CatalogueCode,
    pub name_zh: String,
    pub name_en: String,
}

impl App {
    /// The power a licence was granted under and the power above it: the catalogue files a
    /// licence's change, renewal and cancellation items under either.
    async fn powers_of(
        &self,
        licence: &Licence,
    ) -> Result<Vec<onewindow_domain::catalogue::CatalogueCode>, AppError> {
        let Some(granted_under) = self.store.item(&licence.grant.item_code).await? else {
            return Ok(Vec::new());
        };
        let power = granted_under.value.power;
        let parent = self.store.power(&power).await?.and_then(|p| p.value.parent);
        Ok(std::iter::once(power).chain(parent).collect())
    }

    /// The published change, renewal and cancellation items of the power a licence was granted
    /// under (that power or the power above it, as the catalogue files the `-BG/-YX/-ZX`
    /// items), each with a process to follow; what the holder's licence page offers.
    pub async fn licence_case_items(
        &self,
        licence: &Licence,
    ) -> Result<Vec<LicenceCaseItem>, AppError> {
        let mut found = Vec::new();
        for code in self.powers_of(licence).await? {
            let filter = onewindow_store::ItemFilter {
                power: Some(code),
                status: Some(onewindow_domain::catalogue::ItemStatus::Published),
                ..Default::default()
            };
            for item in self.store.items(&filter).await? {
                let about_licence = matches!(
                    item.handling_kind,
                    HandlingKind::Change | HandlingKind::Renewal | HandlingKind::Cancellation
                );
                if about_licence && self.item_process(&item.code).await?.is_some() {
                    found.push(LicenceCaseItem {
                        handling: item.handling_kind,
                        item: item.code,
                        name_zh: item.name_zh,
                        name_en: item.name_en,
                    });
                }
            }
        }
        Ok(found)
    }
}

impl App {
    /// Whether `person` may read the documents of a licence issued outside a case (its renewal
    /// reminders, its cancellation notice by staff): its holder, or staff of the issuing org.
    pub async fn check_licence_documents(
        &self,
        person: &crate::cases::Person,
        number: &str,
    ) -> Result<Licence, AppError> {
        let licence = self.licence_view(number).await?.licence;
        let allowed = match person {
            crate::cases::Person::Enterprise { credit_code, .. } => {
                credit_code == &licence.grant.holder_credit_code
            }
            crate::cases::Person::Staff { org, .. } => org == &licence.grant.issuing_org,
        };
        if !allowed {
            return Err(AppError::NotFound(format!("documents of licence {number}")));
        }
        Ok(licence)
    }
}
