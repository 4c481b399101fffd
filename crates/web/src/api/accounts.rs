//! Accounts through the API: an enterprise registers itself (no sign-in needed) and any client
//! asks who it is signed in as — with a session cookie or an API token (`Authorization: Bearer
//! ow_…`). Problems come back as problem+json naming the JSON field.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use onewindow_app::enterprises::{Profile, Registered, Registration};
use onewindow_domain::access::{Enterprise, EnterpriseDraft, Membership};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::Term;
use crate::AppState;
use crate::error::{ApiError, ProblemBody, ProblemDetail};
use crate::extract::Viewer;

/// A registration: the enterprise and its first user.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RegistrationRequest {
    /// The 18-character Unified Social Credit Code, exactly (GB 32100-2015).
    pub credit_code: String,
    pub name: String,
    /// The production (or registered) address.
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    /// The first user's sign-in name: 3–32 of a–z, 0–9, `.`, `_`, `-`, starting with a letter.
    pub username: String,
    /// At least 10 characters.
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnterpriseView {
    pub credit_code: String,
    pub name: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    /// RFC 3339, UTC.
    pub registered_at: String,
}

impl From<&Enterprise> for EnterpriseView {
    fn from(e: &Enterprise) -> Self {
        Self {
            credit_code: e.credit_code.to_string(),
            name: e.name.clone(),
            address: e.address.clone(),
            contact_name: e.contact_name.clone(),
            contact_phone: e.contact_phone.clone(),
            registered_at: e.registered_at.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisteredView {
    pub enterprise: EnterpriseView,
    /// The user who may now sign in for it.
    pub username: String,
}

/// What an account belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipView {
    /// `staff` or `enterprise`.
    pub kind: Term,
    /// Staff only.
    pub role: Option<Term>,
    /// Staff only: the org code.
    pub org: Option<String>,
    /// Enterprise users only.
    pub credit_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    pub username: String,
    pub display_name: String,
    pub membership: MembershipView,
    /// An enterprise user's enterprise.
    pub enterprise: Option<EnterpriseView>,
    /// `session` (cookie) or `api_token` (bearer).
    pub signed_in_with: String,
}

fn membership_view(m: &Membership) -> MembershipView {
    MembershipView {
        kind: Term::of(m.kind()),
        role: m.role().map(Term::of),
        org: m.org().map(ToString::to_string),
        credit_code: m.credit_code().map(ToString::to_string),
    }
}

/// Register an enterprise and its first user (no sign-in needed).
#[utoipa::path(post, path = "/api/v1/enterprises", tag = "accounts",
    request_body = RegistrationRequest,
    responses(
        (status = 201, body = RegisteredView),
        (status = 400, description = "The body is not JSON of this shape", body = ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "Registered by someone else a moment ago", body = ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "Fields are wrong, each named: a credit code with the position and the reason, a code already registered, a user name taken", body = ProblemBody, content_type = "application/problem+json"),
    ))]
pub async fn register(
    State(state): State<AppState>,
    body: Result<Json<RegistrationRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<RegisteredView>), ApiError> {
    let Json(body) = body.map_err(|e| ApiError {
        status: StatusCode::BAD_REQUEST,
        kind: "invalid-body",
        detail: format!("the body is not a registration: {}", e.body_text()),
        errors: vec![ProblemDetail {
            name: "body".into(),
            message: e.body_text(),
        }],
    })?;
    let registration = Registration {
        enterprise: EnterpriseDraft {
            credit_code: body.credit_code,
            name: body.name,
            address: body.address,
            contact_name: body.contact_name,
            contact_phone: body.contact_phone,
        },
        username: body.username,
        password: body.password,
        password_again: None,
    };
    let Registered { enterprise, user } = state.app.register_enterprise(&registration).await?;
    let view = RegisteredView {
        enterprise: EnterpriseView::from(&enterprise),
        username: user.username.to_string(),
    };
    Ok((StatusCode::CREATED, Json(view)))
}

/// Who the request is signed in as.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = MeView),
        (status = 401, description = "Not signed in, or an API token that is unknown or revoked", body = ProblemBody, content_type = "application/problem+json"),
    ))]
pub async fn me(State(state): State<AppState>, viewer: Viewer) -> Result<Json<MeView>, ApiError> {
    let user = viewer.user().ok_or_else(|| {
        ApiError::unauthenticated(
            "not signed in: send Authorization: Bearer ow_… with an API token, or sign in".into(),
        )
    })?;
    let Profile { user, enterprise } = state.app.profile(user).await?;
    Ok(Json(MeView {
        username: user.username.to_string(),
        display_name: user.display_name.clone(),
        membership: membership_view(&user.membership),
        enterprise: enterprise.as_ref().map(EnterpriseView::from),
        signed_in_with: if viewer.bearer {
            "api_token"
        } else {
            "session"
        }
        .into(),
    }))
}
