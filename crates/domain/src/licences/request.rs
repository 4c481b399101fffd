//! Cases on an existing licence (GLOSSARY: 变更 / 延续 / 注销): what an application for a change
//! (Administrative Licensing Law art. 49; 工业产品生产许可证管理条例 第二十五条), a renewal
//! (art. 50; 条例 第二十四条) or a cancellation on the holder's application (art. 70) asks, whether
//! the licence it names may be its subject, and the licence event its grant records.
//!
//! Pure: the caller brings the licence, today's date and the policy.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::events::MAX_REASON_CHARS;
use super::{Licence, LicenceEvent, LicenceEventKind, LicencePolicy, LicenceStatus};
use crate::identifiers::CreditCode;

/// The longest holder name or address accepted, in characters (as when a licence is issued).
const MAX_TEXT_CHARS: usize = 200;
const MAX_SCOPE_ENTRIES: usize = 50;

/// What an application on an existing licence asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LicenceRequest {
    /// New particulars; a field left `None` (or an empty scope) stays as it is.
    Change {
        holder_name: Option<String>,
        production_address: Option<String>,
        scope: Vec<String>,
    },
    Renewal,
    /// Cancellation on the holder's application (art. 70: e.g. production stopped), with why.
    Cancellation {
        reason: String,
    },
}

impl LicenceRequest {
    /// The key, the same as the catalogue's handling kind: `change`, `renewal`, `cancellation`.
    pub fn key(&self) -> &'static str {
        match self {
            LicenceRequest::Change { .. } => "change",
            LicenceRequest::Renewal => "renewal",
            LicenceRequest::Cancellation { .. } => "cancellation",
        }
    }

    pub fn zh(&self) -> &'static str {
        match self {
            LicenceRequest::Change { .. } => "变更",
            LicenceRequest::Renewal => "延续",
            LicenceRequest::Cancellation { .. } => "注销",
        }
    }
}

/// Why a licence cannot be the subject of the application; [`RequestError::field`] names the
/// input at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("licence {number} is held by another enterprise; apply only for your own licences")]
    NotHolder { number: String },
    #[error("licence {number} is {status}: {why}")]
    NotAllowed {
        number: String,
        status: &'static str,
        why: &'static str,
    },
    #[error("{field}: {problem}")]
    Field {
        field: &'static str,
        problem: String,
    },
}

impl RequestError {
    pub fn field(&self) -> &'static str {
        match self {
            RequestError::Field { field, .. } => field,
            _ => "licence_number",
        }
    }

    fn field_problem(field: &'static str, problem: impl Into<String>) -> RequestError {
        RequestError::Field {
            field,
            problem: problem.into(),
        }
    }
}

impl Licence {
    /// Checks an application by `applicant` on `today` about this licence and returns the
    /// request with its text trimmed. Only the holder applies; a revoked or cancelled licence
    /// is final (arts. 69–70); an expired one can no longer be changed or renewed — renewal is
    /// applied for before expiry (art. 50 ¶1) — but may still be cancelled (art. 70(1)).
    pub fn check_request(
        &self,
        applicant: &CreditCode,
        request: LicenceRequest,
        today: Date,
    ) -> Result<LicenceRequest, RequestError> {
        let number = self.number.to_string();
        if &self.grant.holder_credit_code != applicant {
            return Err(RequestError::NotHolder { number });
        }
        let status = self.status_on(today).status;
        let not_allowed = |why| RequestError::NotAllowed {
            number: number.clone(),
            status: crate::catalogue::Vocabulary::key(status),
            why,
        };
        match (status, &request) {
            (LicenceStatus::Revoked, _) => {
                return Err(not_allowed(
                    "a revoked licence is final; apply for a new licence instead",
                ));
            }
            (LicenceStatus::Cancelled, _) => {
                return Err(not_allowed(
                    "a cancelled licence is final; apply for a new licence instead",
                ));
            }
            (LicenceStatus::Expired, LicenceRequest::Renewal) => {
                return Err(not_allowed(
                    "renewal is applied for before the licence expires (art. 50); apply for a new licence",
                ));
            }
            (LicenceStatus::Expired, LicenceRequest::Change { .. }) => {
                return Err(not_allowed(
                    "an expired licence can no longer be changed; only cancellation remains (art. 70)",
                ));
            }
            _ => {}
        }
        match request {
            LicenceRequest::Change {
                holder_name,
                production_address,
                scope,
            } => self.check_change(holder_name, production_address, scope),
            LicenceRequest::Renewal => Ok(LicenceRequest::Renewal),
            LicenceRequest::Cancellation { reason } => {
                let reason = reason.trim().to_owned();
                let count = reason.chars().count();
                if count == 0 {
                    return Err(RequestError::field_problem(
                        "reason",
                        "say why the licence is to be cancelled (e.g. production stopped)",
                    ));
                }
                if count > MAX_REASON_CHARS {
                    return Err(RequestError::field_problem(
                        "reason",
                        format!("is {count} characters long; at most {MAX_REASON_CHARS}"),
                    ));
                }
                Ok(LicenceRequest::Cancellation { reason })
            }
        }
    }

    fn check_change(
        &self,
        holder_name: Option<String>,
        production_address: Option<String>,
        scope: Vec<String>,
    ) -> Result<LicenceRequest, RequestError> {
        let text = |field: &'static str, value: Option<String>, current: &str| {
            let value = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
            match value {
                Some(v) if v.chars().count() > MAX_TEXT_CHARS => Err(RequestError::field_problem(
                    field,
                    format!("is longer than {MAX_TEXT_CHARS} characters"),
                )),
                Some(v) if v == current => Ok(None),
                other => Ok(other),
            }
        };
        let holder_name = text("holder_name", holder_name, &self.grant.holder_name)?;
        let production_address = text(
            "production_address",
            production_address,
            &self.grant.production_address,
        )?;
        let scope: Vec<String> = scope
            .iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        if scope.len() > MAX_SCOPE_ENTRIES {
            return Err(RequestError::field_problem(
                "scope",
                format!("lists {} entries; at most {MAX_SCOPE_ENTRIES}", scope.len()),
            ));
        }
        if let Some(n) = scope
            .iter()
            .position(|s| s.chars().count() > MAX_TEXT_CHARS)
        {
            return Err(RequestError::field_problem(
                "scope",
                format!("line {}: longer than {MAX_TEXT_CHARS} characters", n + 1),
            ));
        }
        let scope = if scope == self.grant.scope {
            Vec::new()
        } else {
            scope
        };
        if holder_name.is_none() && production_address.is_none() && scope.is_empty() {
            return Err(RequestError::field_problem(
                "holder_name",
                "a change names at least one new particular: the holder's name, the production \
                 address or the products, different from the licence's",
            ));
        }
        Ok(LicenceRequest::Change {
            holder_name,
            production_address,
            scope,
        })
    }

    /// The licence event a granted (or, for a renewal, deemed, art. 50 ¶2) case `case_number`
    /// records on `on`: the new particulars (art. 49), the new validity counted from the old
    /// expiry by the type's validity (art. 50), or the cancellation (art. 70).
    pub fn event_for_grant(
        &self,
        request: &LicenceRequest,
        case_number: &str,
        policy: &LicencePolicy,
        deemed: bool,
        actor: &str,
        on: Date,
    ) -> Result<LicenceEvent, super::PolicyError> {
        let grant = &self.grant;
        let kind = match request {
            LicenceRequest::Change {
                holder_name,
                production_address,
                scope,
            } => LicenceEventKind::Changed {
                case_number: case_number.to_owned(),
                holder_name: holder_name.clone().unwrap_or(grant.holder_name.clone()),
                production_address: production_address
                    .clone()
                    .unwrap_or(grant.production_address.clone()),
                scope: match scope.is_empty() {
                    true => grant.scope.clone(),
                    false => scope.clone(),
                },
            },
            LicenceRequest::Renewal => LicenceEventKind::Renewed {
                case_number: case_number.to_owned(),
                valid_until: policy.renewed_until(grant.licence_type, grant.valid_until)?,
                deemed,
            },
            LicenceRequest::Cancellation { reason } => LicenceEventKind::Cancelled {
                reason: format!("依申请注销（办件 {case_number}）：{reason}"),
                case_number: Some(case_number.to_owned()),
            },
        };
        Ok(LicenceEvent {
            on,
            kind,
            actor: actor.to_owned(),
        })
    }

    /// What a change event altered, one line per particular (`企业名称：原“…”变更为“…”`), for
    /// the change notice; empty for other events.
    pub fn changed_lines(&self, event: &LicenceEvent) -> Vec<String> {
        let LicenceEventKind::Changed {
            holder_name,
            production_address,
            scope,
            ..
        } = &event.kind
        else {
            return Vec::new();
        };
        let grant = &self.grant;
        let mut lines = Vec::new();
        let mut line = |label: &str, from: &str, to: &str| {
            if from != to {
                lines.push(format!("{label}：原“{from}”变更为“{to}”"));
            }
        };
        line("企业名称", &grant.holder_name, holder_name);
        line("生产地址", &grant.production_address, production_address);
        line("产品", &grant.scope.join("、"), &scope.join("、"));
        lines
    }
}
