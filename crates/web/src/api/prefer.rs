//! `Prefer: return=minimal` (RFC 7240 §4.2) on the requests that change a case: a client that
//! does not show the case after its change (an integration pushing many moves) gets the number
//! and new version only, and the server builds no view of the case for it.

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use onewindow_app::cases::Answer;
use serde::Serialize;
use utoipa::ToSchema;

/// `Preference-Applied` (RFC 7240 §3), sent when the minimal answer was given.
pub const PREFERENCE_APPLIED: HeaderName = HeaderName::from_static("preference-applied");

/// The answer a request's `Prefer` headers ask for: the version alone when one of them holds
/// `return=minimal` (any case, spaces around `=` allowed, parameters after `;` ignored);
/// otherwise the case.
pub fn answer(headers: &HeaderMap) -> Answer {
    let minimal = headers
        .get_all("prefer")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|preference| {
            let token = preference.split(';').next().unwrap_or_default();
            let token: String = token.chars().filter(|c| !c.is_whitespace()).collect();
            token.eq_ignore_ascii_case("return=minimal")
        });
    match minimal {
        true => Answer::Version,
        false => Answer::View,
    }
}

/// The value of [`PREFERENCE_APPLIED`] for a minimal answer.
pub fn applied() -> HeaderValue {
    HeaderValue::from_static("return=minimal")
}

/// The answer to a change made with `Prefer: return=minimal`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangedJson {
    /// e.g. `2026-000001`.
    pub number: String,
    /// The case's version after the change: the `expected_version` of the next one.
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(values: &[&str]) -> Answer {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                "prefer",
                HeaderValue::from_str(value).expect("a header value"),
            );
        }
        answer(&headers)
    }

    #[test]
    fn return_minimal_is_found_among_preferences_in_any_form() {
        assert_eq!(asked(&[]), Answer::View);
        assert_eq!(asked(&["return=representation"]), Answer::View);
        assert_eq!(asked(&["respond-async, wait=10"]), Answer::View);
        assert_eq!(asked(&["return=minimalist"]), Answer::View);
        for minimal in [
            "return=minimal",
            "Return = Minimal",
            "respond-async, return=minimal",
            "return=minimal; foo=bar",
        ] {
            assert_eq!(asked(&[minimal]), Answer::Version, "{minimal}");
        }
        assert_eq!(
            asked(&["wait=5", "return=minimal"]),
            Answer::Version,
            "in a second header"
        );
    }
}
