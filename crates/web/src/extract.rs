//! Extractors: the reader's language (cookie `ow_lang`), who is signed in (cookie `ow_session`,
//! or `Authorization: Bearer ow_…` for systems using an API token), the API caller as the case
//! flow sees them (with the CSRF check for changes made with a session cookie), and strict query
//! parameters that refuse names they do not know.

use std::collections::HashMap;

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use onewindow_app::AppError;
use onewindow_app::cases::Person;
use onewindow_store::{SessionRecord, UserRecord};

use crate::AppState;
use crate::error::ApiError;
use crate::i18n::Lang;

pub const LANG_COOKIE: &str = "ow_lang";
pub const SESSION_COOKIE: &str = "ow_session";

/// The value of one cookie.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    cookie_in(&parts.headers, name)
}

/// The value of one cookie among request headers.
pub fn cookie_in<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(cookie(parts, LANG_COOKIE)
            .and_then(Lang::from_code)
            .unwrap_or(Lang::Zh))
    }
}

/// Who is signed in, if anyone, with the session's token (for sign-out).
///
/// A request with `Authorization: Bearer ow_…` acts as the token's account: `session` then holds
/// that account with an empty CSRF token and `bearer` is set. Forms need no CSRF token from such
/// a request — a browser never attaches an `Authorization` header by itself, so another site
/// cannot forge one. A bearer token that is unknown, revoked or malformed is refused outright
/// (401 problem+json with `WWW-Authenticate: Bearer`) rather than treated as anonymous, so a
/// system learns at once that its token no longer works.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub session: Option<SessionRecord>,
    pub token: Option<String>,
    pub bearer: bool,
    /// Unread notifications of a person signed in by the session cookie, for the page header
    /// (not counted for bearer-token requests, which get no pages).
    pub unread: u64,
}

impl Viewer {
    /// The signed-in account, whichever way it signed in.
    pub fn user(&self) -> Option<&UserRecord> {
        self.session.as_ref().map(|s| &s.user)
    }
}

/// The token of an `Authorization: Bearer …` header; `Err` when the header is there but is not
/// a bearer token.
fn bearer_token(parts: &Parts) -> Result<Option<&str>, ApiError> {
    let Some(value) = parts.headers.get(AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().unwrap_or_default();
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim()))
        }
        _ => Err(ApiError::unauthenticated(
            "the Authorization header must be \"Bearer ow_…\" with an API token".into(),
        )),
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(token) = bearer_token(parts)? {
            let user = state.app.api_token_user(token).await?;
            return Ok(Viewer {
                session: Some(SessionRecord {
                    user,
                    csrf_token: String::new(),
                    expires_at: state.app.clock.now(),
                }),
                token: None,
                bearer: true,
                unread: 0,
            });
        }
        let Some(token) = cookie(parts, SESSION_COOKIE).map(str::to_owned) else {
            return Ok(Viewer {
                session: None,
                token: None,
                bearer: false,
                unread: 0,
            });
        };
        let session = match state.app.session(&token).await {
            Ok(session) => session,
            Err(err) => {
                // A broken session store must not take the public pages down with it.
                tracing::error!(%err, "session lookup failed");
                None
            }
        };
        let unread = match &session {
            Some(s) => match state
                .app
                .unread_notifications(s.user.username.as_str())
                .await
            {
                Ok(n) => n,
                Err(err) => {
                    tracing::error!(%err, "unread notifications not counted");
                    0
                }
            },
            None => 0,
        };
        Ok(Viewer {
            session,
            token: Some(token),
            bearer: false,
            unread,
        })
    }
}

/// The signed-in account as the case flow sees it. The ONE place an account becomes a
/// [`Person`]: today every account is a staff member of an org with a role.
pub fn person_of(viewer: &Viewer) -> Result<Person, AppError> {
    let Some(session) = &viewer.session else {
        return Err(AppError::Unauthenticated(
            "not signed in: sign in first and send the session cookie".into(),
        ));
    };
    Ok(Person::of(&session.user))
}

/// The header a JSON API request that changes something carries the session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Who calls an API endpoint that needs a signed-in person; 401 problem+json for nobody. A
/// request that may change something (not GET, HEAD, OPTIONS) and is signed in by the session
/// cookie must echo the session's CSRF token in `X-CSRF-Token`: a browser attaches the cookie
/// to another site's forged request, but that site cannot read the token to send it.
#[derive(Debug, Clone)]
pub struct Caller {
    pub person: Person,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let viewer = Viewer::from_request_parts(parts, state).await?;
        let person = person_of(&viewer)?;
        let by_cookie = !viewer.bearer && viewer.token.is_some();
        if by_cookie && !parts.method.is_safe() {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            let expected = viewer.session.as_ref().map(|s| s.csrf_token.as_str());
            if sent.is_none() || sent != expected {
                return Err(ApiError::csrf());
            }
        }
        Ok(Caller { person })
    }
}

/// Query parameters, all of them, for handlers that check names themselves. A parameter given
/// twice (or a query that cannot be read) is remembered, not refused here, so pages and the API
/// can each answer in their own form.
#[derive(Debug, Clone, Default)]
pub struct RawParams {
    pub map: HashMap<String, String>,
    /// The first parameter given more than once, or `(query)` when the query could not be read.
    pub repeated: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for RawParams {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(query) else {
            return Ok(RawParams {
                map: HashMap::new(),
                repeated: Some("(query)".into()),
            });
        };
        let mut map = HashMap::new();
        let mut repeated = None;
        for (k, v) in pairs {
            if map.insert(k.clone(), v).is_some() && repeated.is_none() {
                repeated = Some(k);
            }
        }
        Ok(RawParams { map, repeated })
    }
}

impl RawParams {
    /// A parameter given more than once.
    pub fn repeated(&self) -> Option<&str> {
        self.repeated.as_deref()
    }

    /// The first parameter whose name is not in `allowed`.
    pub fn unknown(&self, allowed: &[&str]) -> Option<&str> {
        let mut names: Vec<&str> = self.map.keys().map(String::as_str).collect();
        names.sort_unstable();
        names.into_iter().find(|k| !allowed.contains(k))
    }

    /// A non-empty parameter value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.map
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }
}
