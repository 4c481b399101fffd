//! Submitting an application (RULES.md §1, art. 29–32): online by an enterprise user for its own
//! enterprise, or at the window by a clerk of the handling org for an applicant at the counter.
//! Every material the guide requires must be there, each checked by its content; the same
//! idempotency key twice (a double click, a retry) makes one case.

use onewindow_domain::access::Role;
use onewindow_domain::cases::{CaseState, Channel, Command};
use onewindow_domain::catalogue::{CatalogueCode, ItemStatus, Problems, ServiceItem, Vocabulary};
use onewindow_domain::flow::{Flow, Planned};
use onewindow_domain::identifiers::CreditCode;
use onewindow_store::NewCase;

use super::{Person, Upload, log};
use crate::{App, AppError};

/// An application as handed in.
#[derive(Debug, Clone)]
pub struct Submission {
    pub item: CatalogueCode,
    /// The applicant, for a clerk registering at the window; an enterprise applies for itself.
    pub applicant: Option<CreditCode>,
    /// At the window, for an applicant with no enterprise record: its name and domicile as it
    /// declares them (a registered enterprise's record is used instead).
    pub applicant_name: Option<String>,
    pub applicant_address: Option<String>,
    pub uploads: Vec<Upload>,
    /// The same key again (from the same person) returns the case the first submission made.
    pub idempotency_key: Option<String>,
    /// For a change, renewal or cancellation item: the licence the application is about and
    /// what it asks (arts. 49, 50, 70); `None` for a new application.
    pub licence: Option<crate::licences::LicenceApplication>,
}

/// What a submission made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub number: String,
    /// The idempotency key had been used: this is the case the first submission made, and
    /// nothing new was written.
    pub existing: bool,
}

impl App {
    /// Submits an application; returns the case number (the existing one for a repeated key).
    pub async fn submit_application(
        &self,
        person: &Person,
        submission: Submission,
    ) -> Result<String, AppError> {
        Ok(self.submit(person, submission).await?.number)
    }

    /// Submits an application and says whether it made a new case or found the one an earlier
    /// submission with the same idempotency key made.
    pub async fn submit(
        &self,
        person: &Person,
        submission: Submission,
    ) -> Result<Submitted, AppError> {
        // What a submission reads besides the enterprise is cached under these (issue 6).
        let generations = self.store.generations().await?;
        let item = self
            .item_at(submission.item.as_str(), generations.catalogue)
            .await?
            .filter(|i| i.status == ItemStatus::Published)
            .ok_or_else(|| {
                AppError::NotFound(format!("service item {}", submission.item.as_str()))
            })?;
        let (applicant, channel) = who_applies(person, &item, submission.applicant)?;
        let named = match channel {
            Channel::Window if self.store.enterprise(&applicant).await?.is_none() => Some((
                submission.applicant_name.clone().unwrap_or_default(),
                submission.applicant_address.clone().unwrap_or_default(),
            )),
            _ => None,
        };
        let definition_code = self
            .item_process_at(&item.code, generations.catalogue)
            .await?
            .ok_or_else(|| {
            AppError::Refused(format!(
                "{} is not open to applications here: no process is set for it (an administrator sets one on the processes page)",
                item.code.as_str()
            ))
        })?;
        let definition = self
            .definitions_at(generations.catalogue)
            .await?
            .latest(&definition_code)
            .cloned()
            .ok_or_else(|| AppError::NotFound(format!("process definition {definition_code}")))?;
        let name_licence = self
            .name_licence(&item, &applicant, submission.licence)
            .await?;
        let licence_number = match &name_licence {
            Some(Command::NameLicence { number, .. }) => Some(number.clone()),
            _ => None,
        };
        check_application(&item, &submission.uploads, named.as_ref())?;
        let materials = self.store_uploads(&submission.uploads).await?;
        let submit = Command::Submit {
            item: item.code.as_str().to_owned(),
            applicant: applicant.as_str().to_owned(),
            materials,
            channel,
        };
        let now = self.clock.now();
        let state = CaseState::default();
        let flow = Flow::new(&definition, &state);
        let mut planned = Flow::start(&definition, submit, &person.actor());
        if let Some(command) = name_licence {
            // Recorded right after the submission (and its naming), by the same person.
            planned.insert(
                1,
                Planned {
                    actor: person.actor(),
                    command,
                },
            );
        }
        if let Some((name, address)) = named {
            // Right after the submission: the name and domicile the decisions and the
            // licence will state (RULES.md §2); `decide` checks them field by field.
            let naming = Planned {
                actor: person.actor(),
                command: Command::NameApplicant { name, address },
            };
            planned.insert(1, naming);
        }
        let events = flow
            .execute(planned, &flow.policy(), now, crate::china_date(now))
            .map_err(super::flow_error)?;
        let handling_org = item.handling_org.as_str().to_owned();
        let limits = super::view::limits_with(&definition, Some(&item));
        let calendar = self.calendar_at(generations.calendar).await?;
        let projection = super::view::projection_with(
            &definition,
            &handling_org,
            &events,
            (&limits, &calendar),
            self.today(),
        )?;
        let created = self
            .store
            .create_case(
                &NewCase {
                    item_code: item.code.as_str().to_owned(),
                    definition_code: definition.code().as_str().to_owned(),
                    definition_version: i64::from(definition.version()),
                    handling_org,
                    applicant: applicant.as_str().to_owned(),
                    // Scoped to the person: another user's key, equal by chance or on purpose,
                    // must neither hide this application nor reveal that user's case.
                    idempotency_key: submission
                        .idempotency_key
                        .map(|key| format!("{}:{key}", person.user())),
                    // Held while the case is open: a second case on the licence is refused.
                    licence_number: licence_number.clone(),
                    projection,
                    events: log::stored_events(&events)?,
                    created_at: now,
                },
                i32::from(crate::china_date(now).year()),
            )
            .await;
        let created = match (created, &licence_number) {
            (Ok(created), _) => created,
            (Err(e), Some(licence)) => return Err(self.open_case_refusal(licence, e).await),
            (Err(e), None) => return Err(e.into()),
        };
        Ok(Submitted {
            number: created.number,
            existing: created.existing,
        })
    }
}

/// The applicant and channel: an enterprise for itself online; a window clerk of the handling
/// org for the applicant named at the counter.
fn who_applies(
    person: &Person,
    item: &ServiceItem,
    named: Option<CreditCode>,
) -> Result<(CreditCode, Channel), AppError> {
    match person {
        Person::Enterprise { credit_code, .. } => Ok((*credit_code, Channel::Online)),
        Person::Staff {
            role: Role::WindowClerk,
            org,
            ..
        } => {
            if org != &item.handling_org {
                return Err(AppError::Forbidden(format!(
                    "{} is handled by org {}; your window is at org {}",
                    item.code.as_str(),
                    item.handling_org.as_str(),
                    org.as_str()
                )));
            }
            let applicant = named.ok_or_else(|| {
                let mut problems = Problems::default();
                problems.push(
                    "applicant",
                    "the applicant's unified social credit code is required",
                );
                AppError::Invalid {
                    what: "application".into(),
                    problems,
                }
            })?;
            Ok((applicant, Channel::Window))
        }
        Person::Staff { role, .. } => Err(AppError::Forbidden(format!(
            "a {} does not register applications; enterprises apply online, window clerks at the counter",
            role.key()
        ))),
    }
}

/// Every material the guide requires (and the bureau does not already hold) is there, nothing
/// is named that the guide does not list, and a window applicant without a record is named:
/// every problem at once (the lengths of name and domicile are `decide`'s).
fn check_application(
    item: &ServiceItem,
    uploads: &[Upload],
    named: Option<&(String, String)>,
) -> Result<(), AppError> {
    let mut problems = Problems::default();
    if let Some((name, address)) = named {
        let unregistered = "the applicant has no enterprise record here";
        if name.trim().is_empty() {
            problems.push("applicant_name", format!("is required: {unregistered}"));
        }
        if address.trim().is_empty() {
            let problem = format!("is required (the domicile the licence states): {unregistered}");
            problems.push("applicant_address", problem);
        }
    }
    for material in &item.materials {
        let given = uploads.iter().any(|u| u.material == material.name);
        if material.required && !material.omittable && !given {
            problems.push(
                "materials",
                format!("{}: required by the guide, not attached", material.name),
            );
        }
    }
    for upload in uploads {
        if !item.materials.iter().any(|m| m.name == upload.material) {
            problems.push(
                "materials",
                format!("{}: the guide lists no such material", upload.material),
            );
        }
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(AppError::Invalid {
            what: "application".into(),
            problems,
        }),
    }
}
