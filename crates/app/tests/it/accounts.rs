//! Accounts at the use-case layer: an enterprise registers with its credit code and first user
//! (every problem named by field, nothing half-written), administrators create staff accounts
//! and API tokens, and a token signs in as its account until it is revoked.

use crate::support;

use onewindow_app::enterprises::Registration;
use onewindow_app::staff::StaffForm;
use onewindow_app::{AppError, Clock};
use onewindow_domain::access::{EnterpriseDraft, Membership, Role};
use onewindow_domain::catalogue::{OrgCode, Problems};
use onewindow_domain::identifiers::CreditCode;
use onewindow_store::UserRecord;
use support::{TestApp, rich, seed, snapshot, sqlite_app, user};

/// A valid code in Ganjingzi (210211), built with both check characters.
fn haitong_code() -> CreditCode {
    CreditCode::complete("91210211MA0Y4K7P").expect("a stem")
}

fn registration(code: &str, username: &str) -> Registration {
    Registration {
        enterprise: EnterpriseDraft {
            credit_code: code.into(),
            name: "大连海通阀门制造有限公司".into(),
            address: "辽宁省大连市甘井子区营城子工业园区18号".into(),
            contact_name: "王海涛".into(),
            contact_phone: "0411-86601234".into(),
        },
        username: username.into(),
        password: "valves-since-1998".into(),
        password_again: Some("valves-since-1998".into()),
    }
}

fn invalid(result: Result<impl std::fmt::Debug, AppError>) -> Problems {
    match result {
        Err(AppError::Invalid { problems, .. }) => problems,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

/// The one message for `field`.
#[track_caller]
fn message<'a>(problems: &'a Problems, field: &str) -> &'a str {
    let found: Vec<&str> = problems
        .0
        .iter()
        .filter(|p| p.field == field)
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(found.len(), 1, "one problem for {field}: {problems}");
    found[0]
}

async fn with_admin() -> (TestApp, UserRecord) {
    let t = sqlite_app().await;
    seed(&t, &rich::catalogue()).await;
    let admin = user(&t, "admin", Role::Administrator).await;
    (t, admin)
}

#[tokio::test]
async fn an_enterprise_registers_and_its_user_signs_in_for_it() {
    let t = sqlite_app().await;
    let code = haitong_code();
    let done = t
        .register_enterprise(&registration(code.as_str(), "haitong"))
        .await
        .expect("registered");
    assert_eq!(done.enterprise.credit_code, code);
    assert_eq!(done.enterprise.registered_at, t.clock.now());
    assert_eq!(done.user.display_name, "王海涛", "the contact is the user");

    let session = t
        .sign_in("haitong", "valves-since-1998")
        .await
        .expect("sign in");
    assert_eq!(
        session.user.membership,
        Membership::Enterprise { credit_code: code }
    );
    let profile = t.profile(&session.user).await.expect("profile");
    assert_eq!(profile.enterprise, Some(done.enterprise));
    let audit = t.store.catalogue_audit(1).await.expect("audit");
    assert_eq!(
        (audit[0].actor.as_str(), audit[0].action.as_str()),
        ("haitong", "register enterprise")
    );
}

#[tokio::test]
async fn a_wrong_credit_code_is_refused_with_the_position_and_the_suggestion() {
    let t = sqlite_app().await;
    let typed = format!("{}-", &haitong_code().as_str()[..17]);
    let problems = invalid(
        t.register_enterprise(&registration(&typed, "haitong"))
            .await,
    );
    assert_eq!(
        message(&problems, "credit_code"),
        "position 18: '-' is a separator; a credit code is written without hyphens"
    );

    let lower = haitong_code().as_str().to_lowercase();
    let problems = invalid(
        t.register_enterprise(&registration(&lower, "haitong"))
            .await,
    );
    let text = message(&problems, "credit_code");
    assert!(text.starts_with("position 9: 'm' is lowercase"), "{text}");
    assert!(
        text.ends_with(&format!("perhaps you meant {}", haitong_code())),
        "{text}"
    );
    let name = onewindow_domain::access::Username::parse("haitong").expect("valid");
    assert!(t.store.user_by_name(&name).await.expect("read").is_none());
}

#[tokio::test]
async fn every_registration_problem_is_named_at_once() {
    let t = sqlite_app().await;
    let mut form = registration("91210211MA0Y4K7", "Haitong");
    form.enterprise.contact_phone = "call me".into();
    form.password = "short".into();
    form.password_again = Some("other".into());
    let problems = invalid(t.register_enterprise(&form).await);
    let fields: Vec<&str> = problems.0.iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        [
            "credit_code",
            "contact_phone",
            "username",
            "password",
            "password_again"
        ]
    );
    assert_eq!(
        message(&problems, "credit_code"),
        "15 characters: a credit code has 18"
    );
}

#[tokio::test]
async fn a_registered_code_and_a_taken_user_name_are_refused_and_nothing_is_written() {
    let t = sqlite_app().await;
    let code = haitong_code();
    t.register_enterprise(&registration(code.as_str(), "haitong"))
        .await
        .expect("first");
    let before = snapshot(&t).await;

    let problems = invalid(
        t.register_enterprise(&registration(code.as_str(), "haitong2"))
            .await,
    );
    assert_eq!(
        message(&problems, "credit_code"),
        format!("{code} is already registered")
    );

    let other = CreditCode::complete("91210213MA0QJ5X2").expect("stem");
    let problems = invalid(
        t.register_enterprise(&registration(other.as_str(), "haitong"))
            .await,
    );
    assert_eq!(
        message(&problems, "username"),
        "haitong is taken; choose another"
    );
    assert!(t.store.enterprise(&other).await.expect("read").is_none());
    assert_eq!(snapshot(&t).await, before, "no audit entry, no record");
}

fn staff_form(username: &str, role: &str, org: &str) -> StaffForm {
    StaffForm {
        username: username.into(),
        display_name: "甘井子区核查员".into(),
        role: role.into(),
        org: org.into(),
        password: "a-long-password-1".into(),
    }
}

#[tokio::test]
async fn an_administrator_creates_a_staff_account_in_a_catalogue_org() {
    let (t, admin) = with_admin().await;
    let created = t
        .create_staff_user(&admin, &staff_form("inspector.li", "inspector", "210200"))
        .await
        .expect("created");
    assert_eq!(created.role(), Some(Role::Inspector));
    assert_eq!(created.org(), Some(&OrgCode::parse("210200").expect("org")));
    let audit = t.store.catalogue_audit(1).await.expect("audit");
    assert_eq!(
        (audit[0].actor.as_str(), audit[0].detail.as_str()),
        ("admin", "inspector.li: inspector in 210200")
    );
    assert!(t.sign_in("inspector.li", "a-long-password-1").await.is_ok());
}

#[tokio::test]
async fn a_wrong_staff_form_names_every_field() {
    let (t, admin) = with_admin().await;
    let mut form = staff_form("Li", "chief", "210299");
    form.display_name = " ".into();
    form.password = "123".into();
    let problems = invalid(t.create_staff_user(&admin, &form).await);
    let fields: Vec<&str> = problems.0.iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        ["username", "display_name", "role", "org", "password"]
    );
    assert!(
        message(&problems, "role").starts_with("\"chief\" is not a role: one of administrator")
    );
    assert_eq!(
        message(&problems, "org"),
        "210299 is not an org of the catalogue"
    );
    assert_eq!(
        message(&problems, "password"),
        "must be at least 10 characters"
    );

    let problems = invalid(
        t.create_staff_user(&admin, &staff_form("admin", "reviewer", "210200"))
            .await,
    );
    assert_eq!(
        message(&problems, "username"),
        "admin is taken; choose another"
    );
}

#[tokio::test]
async fn only_an_administrator_administers_accounts() {
    let (t, _) = with_admin().await;
    let clerk = user(&t, "clerk", Role::WindowClerk).await;
    let refused = t
        .create_staff_user(&clerk, &staff_form("x.y", "reviewer", "210200"))
        .await;
    assert!(
        matches!(refused, Err(AppError::Forbidden(_))),
        "{refused:?}"
    );
    let refused = t.create_api_token(&clerk, "clerk", "mine").await;
    assert!(
        matches!(refused, Err(AppError::Forbidden(_))),
        "{refused:?}"
    );
}

#[tokio::test]
async fn an_api_token_acts_as_its_account_until_it_is_revoked() {
    let (t, admin) = with_admin().await;
    let lims = user(&t, "lims.zjy", Role::InstituteStaff).await;
    let issued = t
        .create_api_token(&admin, "lims.zjy", "质检院 LIMS")
        .await
        .expect("issued");
    let hex = issued.token.strip_prefix("ow_").expect("the ow_ prefix");
    assert_eq!(hex.len(), 40);
    assert!(hex.chars().all(|c| c.is_ascii_hexdigit()), "{hex}");

    let holder = t.api_token_user(&issued.token).await.expect("known");
    assert_eq!(
        (holder.id, holder.role()),
        (lims.id, Some(Role::InstituteStaff))
    );
    let listed = t.api_tokens(&admin).await.expect("list");
    assert_eq!(listed, std::slice::from_ref(&issued.record));

    t.revoke_api_token(&admin, issued.record.id.0)
        .await
        .expect("revoke");
    match t.api_token_user(&issued.token).await {
        Err(AppError::Unauthenticated(m)) => assert!(m.contains("was revoked"), "{m}"),
        other => panic!("expected Unauthenticated, got {other:?}"),
    }
    let again = t.revoke_api_token(&admin, issued.record.id.0).await;
    assert!(matches!(again, Err(AppError::NotFound(_))), "{again:?}");
    for bad in ["ow_0123456789abcdef0123456789abcdef01234567", "Bearer", ""] {
        let refused = t.api_token_user(bad).await;
        assert!(
            matches!(refused, Err(AppError::Unauthenticated(_))),
            "{bad}: {refused:?}"
        );
    }
}

#[tokio::test]
async fn a_token_needs_an_existing_account_and_a_label() {
    let (t, admin) = with_admin().await;
    let problems = invalid(t.create_api_token(&admin, "nobody", " ").await);
    assert_eq!(message(&problems, "username"), "there is no account nobody");
    assert!(message(&problems, "label").starts_with("is required"));
    assert!(t.api_tokens(&admin).await.expect("list").is_empty());
}
