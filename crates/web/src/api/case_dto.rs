//! The JSON shapes of the case API: a case with its timeline, clock and the caller's moves; a
//! queue row. Stable, documented views of the app's `CaseView` (the domain itself is not
//! serialised, except each event's fields: those are the log's own JSON, whose keys are never
//! renamed because the hash chain covers them).

use onewindow_app::cases::{CaseView, MoveView, QueueRow};
use onewindow_domain::cases::{CaseEvent, CaseStatus};
use onewindow_domain::flow::Need;
use serde::Serialize;
use utoipa::ToSchema;

use super::clock_dto::ClockView;

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusView {
    /// e.g. `under_review`, `issued`.
    pub key: String,
    pub zh: String,
}

fn status(s: CaseStatus) -> StatusView {
    StatusView {
        key: s.key().to_owned(),
        zh: s.zh().to_owned(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NamedRef {
    /// A code or id.
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepNames {
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DefinitionRef {
    pub code: String,
    pub version: i64,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MaterialLink {
    /// The material's name in the service guide.
    pub name: String,
    /// SHA-256 of the file, hex.
    pub content_hash: String,
    pub download_url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActorView {
    pub user: String,
    /// A staff role key, `applicant` or `system`.
    pub role: String,
    pub org: Option<String>,
}

/// One entry of the case's log.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    pub seq: u64,
    /// When it was recorded (RFC 3339, UTC).
    pub at: String,
    /// The China date the law counts it on.
    pub on: String,
    pub actor: ActorView,
    /// The event type's key, e.g. `accepted`, `pause_started`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The event's own fields as the log holds them (e.g. `items` of `supplement_requested`).
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
}

fn event(e: &CaseEvent) -> EventView {
    let mut fields = serde_json::to_value(&e.kind).unwrap_or_default();
    if let Some(object) = fields.as_object_mut() {
        object.remove("type");
    }
    EventView {
        seq: e.seq,
        at: e.at.to_string(),
        on: e.on.to_string(),
        actor: ActorView {
            user: e.actor.user.clone(),
            role: e.actor.role.key().to_owned(),
            org: e.actor.org.as_ref().map(|o| o.as_str().to_owned()),
        },
        kind: e.kind.key().to_owned(),
        fields,
    }
}

/// Something a move needs from the caller: the request field that carries it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldView {
    /// The field of the move request (`hand_over` is an object of step → org).
    pub field: String,
    /// `text`, `list` (of texts), `files` (multipart `material:<name>` parts), `users`
    /// (user names), `date` (`YYYY-MM-DD`) or `org` (an org code).
    pub kind: String,
    pub required: bool,
    /// For `users`: how many at least and at most (art. 34: at least two inspectors).
    pub min: Option<u32>,
    pub max: Option<u32>,
    /// For `hand_over`: the step handed over, and whether it goes to an institute (art. 45)
    /// rather than a lower org doing delegated work (arts. 35, 43).
    pub step: Option<String>,
    pub institute: Option<bool>,
}

/// The field a need asks for; `None` for what the app fills in itself (the licence number,
/// allocated from the register).
fn field(need: &Need) -> Option<FieldView> {
    let plain = |kind: &str, required: bool| FieldView {
        field: need.field().to_owned(),
        kind: kind.to_owned(),
        required,
        min: None,
        max: None,
        step: None,
        institute: None,
    };
    Some(match need {
        Need::SupplementItems | Need::DenialReasons => plain("list", true),
        Need::Reason | Need::Opinion | Need::Result => plain("text", true),
        Need::CompetentOrg => plain("org", false),
        Need::Materials => plain("files", true),
        Need::RectifyDeadline => plain("date", true),
        Need::Inspectors { min, max } => FieldView {
            min: Some(*min),
            max: *max,
            ..plain("users", true)
        },
        Need::HandOverOrg { step, institute } => FieldView {
            field: "hand_over".into(),
            step: Some(step.clone()),
            institute: Some(*institute),
            ..plain("org", true)
        },
        Need::LicenceNumber => return None,
    })
}

/// A move the caller may make now.
#[derive(Debug, Serialize, ToSchema)]
pub struct MoveOption {
    pub step: NamedRef,
    pub outcome: NamedRef,
    pub needs: Vec<FieldView>,
}

fn move_option(m: &MoveView) -> MoveOption {
    MoveOption {
        step: NamedRef {
            id: m.step.clone(),
            name_zh: m.step_name_zh.clone(),
            name_en: m.step_name_en.clone(),
        },
        outcome: NamedRef {
            id: m.outcome.clone(),
            name_zh: m.outcome_name_zh.clone(),
            name_en: m.outcome_name_en.clone(),
        },
        needs: m.needs.iter().filter_map(field).collect(),
    }
}

/// A case as the caller may see it, with what the caller may do now.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseJson {
    /// e.g. `2026-000001`.
    pub number: String,
    pub item: NamedRef,
    pub definition: DefinitionRef,
    /// The applicant's Unified Social Credit Code.
    pub applicant: String,
    /// The applicant's name as decisions and the licence state it: the enterprise's record, or
    /// what it declared at the window; absent when neither is known.
    pub applicant_name: Option<String>,
    pub handling_org: String,
    /// The org whose staff act now (an institute during testing).
    pub acting_org: String,
    /// `online` or `window`.
    pub channel: Option<String>,
    pub received_on: Option<String>,
    pub accepted_on: Option<String>,
    pub status: StatusView,
    pub step: Option<NamedRef>,
    /// Whether anything can still happen to it.
    pub open: bool,
    pub licence_number: Option<String>,
    /// The existing licence a change, renewal or cancellation case is about (arts. 49, 50, 70).
    pub about_licence: Option<AboutLicence>,
    pub materials: Vec<MaterialLink>,
    pub timeline: Vec<EventView>,
    pub clock_status: String,
    pub clock: Option<ClockView>,
    /// The moves this caller may make now; empty when none.
    pub moves: Vec<MoveOption>,
    /// The steps beside the current one it waits for (e.g. the on-site verification).
    pub waiting_for: Vec<StepNames>,
    /// Art. 42: the caller (the head of the handling org) may extend the limit now.
    pub may_extend: bool,
    /// Send back as `expected_version` with a move.
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// The licence a case on an existing licence is about, and what it asks.
#[derive(Debug, Serialize, ToSchema)]
pub struct AboutLicence {
    /// The licence number as the register prints it; `GET /api/v1/licences/{number}`.
    pub number: String,
    /// `change`, `renewal` or `cancellation`.
    pub request: String,
    /// A change's new particulars (absent: unchanged).
    pub holder_name: Option<String>,
    pub production_address: Option<String>,
    pub scope: Vec<String>,
    /// A cancellation's reason.
    pub reason: Option<String>,
    /// The licence's last day of validity when the application arrived.
    pub valid_until: String,
    /// A renewal applied for within its type's lead time (art. 50 ¶1): only such a renewal is
    /// deemed granted when undecided at expiry.
    pub in_time: bool,
    /// Art. 50 ¶2: the day the renewal was deemed granted, if it was.
    pub deemed_on: Option<String>,
}

impl From<&onewindow_domain::cases::LicenceCase> for AboutLicence {
    fn from(c: &onewindow_domain::cases::LicenceCase) -> Self {
        use onewindow_domain::licences::LicenceRequest;
        let (holder_name, production_address, scope, reason) = match &c.request {
            LicenceRequest::Change {
                holder_name,
                production_address,
                scope,
            } => (
                holder_name.clone(),
                production_address.clone(),
                scope.clone(),
                None,
            ),
            LicenceRequest::Renewal => (None, None, Vec::new(), None),
            LicenceRequest::Cancellation { reason } => {
                (None, None, Vec::new(), Some(reason.clone()))
            }
        };
        AboutLicence {
            number: c.number.clone(),
            request: c.request.key().to_owned(),
            holder_name,
            production_address,
            scope,
            reason,
            valid_until: c.valid_until.to_string(),
            in_time: c.in_time,
            deemed_on: c.deemed_on.map(|d| d.to_string()),
        }
    }
}

impl From<&CaseView> for CaseJson {
    fn from(v: &CaseView) -> Self {
        let r = &v.record;
        let number = r.number.clone();
        let step = v.state.step().map(|(id, _)| {
            let (zh, en) = v.step_names().unwrap_or((id, id));
            NamedRef {
                id: id.to_owned(),
                name_zh: zh.to_owned(),
                name_en: en.to_owned(),
            }
        });
        CaseJson {
            item: NamedRef {
                id: r.item_code.clone(),
                name_zh: v.item_name_zh.clone(),
                name_en: v.item_name_en.clone(),
            },
            definition: DefinitionRef {
                code: r.definition_code.clone(),
                version: r.definition_version,
                name_zh: v.definition.name_zh().to_owned(),
                name_en: v.definition.name_en().to_owned(),
            },
            applicant: r.applicant.clone(),
            applicant_name: v.applicant_name.clone(),
            handling_org: r.handling_org.clone(),
            acting_org: r.projection.acting_org.clone(),
            channel: v.state.channel().map(|c| c.key().to_owned()),
            received_on: v.state.received_on().map(|d| d.to_string()),
            accepted_on: v.state.accepted_on().map(|d| d.to_string()),
            status: status(v.status),
            step,
            open: r.projection.open,
            licence_number: v.state.licence_number().map(str::to_owned),
            about_licence: v.state.licence_case().map(AboutLicence::from),
            materials: v
                .state
                .materials()
                .iter()
                .map(|m| MaterialLink {
                    name: m.name.clone(),
                    content_hash: m.content_hash.to_string(),
                    download_url: format!("/api/v1/cases/{number}/materials/{}", m.content_hash),
                })
                .collect(),
            timeline: v.events.iter().map(event).collect(),
            clock_status: r.projection.clock_status.clone(),
            clock: v.clock.as_ref().map(ClockView::from),
            moves: v.moves.iter().map(move_option).collect(),
            waiting_for: v
                .waiting_for
                .iter()
                .map(|(zh, en)| StepNames {
                    name_zh: zh.clone(),
                    name_en: en.clone(),
                })
                .collect(),
            may_extend: v.may_extend,
            version: r.version,
            created_at: r.created_at.to_string(),
            updated_at: r.updated_at.to_string(),
            number,
        }
    }
}

/// One line of a queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueRowView {
    pub number: String,
    /// The service item's code.
    pub item: String,
    pub applicant: String,
    /// The applicant's name: its enterprise's record, else what it declared at the window;
    /// absent for neither.
    pub applicant_name: Option<String>,
    pub handling_org: String,
    pub acting_org: String,
    /// The status key, e.g. `under_review`.
    pub status: String,
    /// The step id it waits in.
    pub step: Option<String>,
    /// `green`, `yellow`, `red`, `overdue`, `paused` or `stopped`.
    pub clock_status: String,
    pub statutory_due: Option<String>,
    pub promised_due: Option<String>,
    /// The due dates were counted past the known holiday calendar.
    pub due_provisional: bool,
    /// How long it has been in its current step, in seconds.
    pub waiting_seconds: Option<i64>,
    pub version: i64,
}

pub fn queue_row(row: &QueueRow) -> QueueRowView {
    let r = &row.record;
    let p = &r.projection;
    QueueRowView {
        number: r.number.clone(),
        item: r.item_code.clone(),
        applicant: r.applicant.clone(),
        applicant_name: row.applicant_name.clone(),
        handling_org: r.handling_org.clone(),
        acting_org: p.acting_org.clone(),
        status: p.status.clone(),
        step: p.step.clone(),
        clock_status: p.clock_status.clone(),
        statutory_due: p.statutory_due.map(|d| d.to_string()),
        promised_due: p.promised_due.map(|d| d.to_string()),
        due_provisional: p.due_provisional,
        waiting_seconds: row.waiting.map(|w| w.as_secs()),
        version: r.version,
    }
}
