//! The case pages: an enterprise applies from the guide, the clerk sees the case in the
//! workbench with only the clerk's moves, a move posted from the page advances the case, a stale
//! form shows what the case is now, a form without its CSRF token is refused, another org sees
//! nothing, and the window page registers an applicant whose credit code is checked.

use crate::support;

use axum::http::StatusCode;
use support::TestApp;
use support::cases::{
    APPLICANT_ADDRESS, APPLICANT_NAME, DAY, DISTRICT_CLERK, GUIDE_MATERIALS, ITEM, Part, demo, pdf,
    sign_in, text,
};

fn application_parts(csrf: &str, key: &str) -> Vec<Part> {
    let mut parts = vec![text("csrf", csrf), text("idempotency_key", key)];
    for name in GUIDE_MATERIALS {
        parts.push(Part::File(
            format!("material:{name}"),
            "scan.pdf".into(),
            pdf(name),
        ));
    }
    parts
}

fn location(reply: &support::Reply) -> String {
    reply.header(axum::http::header::LOCATION).to_owned()
}

#[tokio::test]
async fn an_application_made_on_the_pages_moves_by_the_forms_each_person_is_shown() {
    let t = TestApp::empty_sqlite(DAY).await;
    demo(&t).await;
    let me = sign_in(&t, "enterprise").await;
    let form = t.get_as(&format!("/apply/{ITEM}"), &me).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.describe());
    assert!(
        form.text()
            .contains(r#"data-material="主要生产设备和检验设备清单""#)
    );

    let sent = t
        .post_parts(
            &format!("/apply/{ITEM}"),
            &me,
            &application_parts(&me.csrf, "k1"),
            &[],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.describe());
    let case_url = location(&sent);
    assert!(case_url.starts_with("/cases/"), "{case_url}");
    let number = case_url
        .trim_start_matches("/cases/")
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    let again = t
        .post_parts(
            &format!("/apply/{ITEM}"),
            &me,
            &application_parts(&me.csrf, "k1"),
            &[],
        )
        .await;
    assert_eq!(location(&again), case_url, "a double submit makes one case");

    let mine = t.get_as("/my/cases", &me).await;
    assert!(mine.text().contains(&number), "{}", mine.text());
    let page = t.get_as(&format!("/cases/{number}"), &me).await;
    assert!(page.text().contains(r#"data-move="acceptance/withdraw""#));
    assert!(
        !page.text().contains(r#"data-move="acceptance/accept""#),
        "the applicant does not accept"
    );

    let clerk = sign_in(&t, "clerk").await;
    let bench = t.get_as("/workbench", &clerk).await;
    assert_eq!(bench.status, StatusCode::OK, "{}", bench.describe());
    assert!(bench.text().contains(&format!(r#"data-case="{number}""#)));
    let page = t.get_as(&format!("/cases/{number}"), &clerk).await;
    assert!(page.text().contains(r#"data-move="acceptance/accept""#));
    assert!(page.text().contains(r#"id="clock""#) || !page.text().contains("clock-remaining"));
    let reviewer = sign_in(&t, "reviewer").await;
    let theirs = t.get_as(&format!("/cases/{number}"), &reviewer).await;
    assert!(
        !theirs.text().contains(r#"data-move="acceptance/accept""#),
        "a reviewer is shown no acceptance"
    );

    let moves = format!("/cases/{number}/moves");
    let accept = |csrf: &str, version: &str| {
        vec![
            text("csrf", csrf),
            text("step", "acceptance"),
            text("outcome", "accept"),
            text("expected_version", version),
        ]
    };
    let forged = t
        .post_parts(&moves, &clerk, &accept("not-the-token", "2"), &[])
        .await;
    assert_eq!(
        forged.status,
        StatusCode::FORBIDDEN,
        "{}",
        forged.describe()
    );
    let done = t
        .post_parts(&moves, &clerk, &accept(&clerk.csrf, "2"), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.describe());
    let page = t.get_as(&location(&done), &clerk).await;
    assert!(page.text().contains(r#"id="notice""#));
    assert!(
        page.text().contains(r#"id="clock""#),
        "accepted: the clock runs"
    );
    assert!(
        page.text().contains("受理通知书") || page.text().contains("acceptance"),
        "the voucher is listed"
    );

    let stale = t
        .post_parts(&moves, &clerk, &accept(&clerk.csrf, "2"), &[])
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.describe());
    assert!(stale.text().contains(r#"id="problem""#));
    assert!(
        stale.text().contains(r#"id="case-status""#),
        "the current state is shown"
    );

    let missing = t
        .post_parts(
            &moves,
            &reviewer,
            &[
                text("csrf", &reviewer.csrf),
                text("step", "document_review"),
                text("outcome", "conforms"),
                text("expected_version", "6"),
            ],
            &[],
        )
        .await;
    assert!(missing.status.is_client_error(), "{}", missing.describe());

    let district = sign_in(&t, DISTRICT_CLERK).await;
    let hidden = t.get_as(&format!("/cases/{number}"), &district).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_window_registers_an_applicant_and_names_a_wrong_credit_code_position() {
    let t = TestApp::empty_sqlite(DAY).await;
    demo(&t).await;
    let clerk = sign_in(&t, "clerk").await;
    let window = t.get_as("/window", &clerk).await;
    assert!(
        window.text().contains(&format!("/apply/{ITEM}")),
        "{}",
        window.describe()
    );
    let mut parts = application_parts(&clerk.csrf, "w1");
    parts.push(text("applicant", "91210211MA0Y4K7P0X"));
    let refused = t
        .post_parts(&format!("/apply/{ITEM}"), &clerk, &parts, &[])
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.describe()
    );
    assert!(refused.text().contains("applicant"), "{}", refused.text());
    assert!(refused.text().contains(r#"id="problem""#));

    // An applicant the bureau has no record of: its name and domicile are required, each
    // message under its field, the code typed kept.
    let mut parts = application_parts(&clerk.csrf, "w2");
    parts.push(text("applicant", &support::cases::applicant()));
    let unnamed = t
        .post_parts(&format!("/apply/{ITEM}"), &clerk, &parts, &[])
        .await;
    assert_eq!(
        unnamed.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unnamed.describe()
    );
    let page = unnamed.text();
    assert!(
        page.contains(r#"data-error-for="applicant_name""#),
        "{page}"
    );
    assert!(
        page.contains(&format!(r#"value="{}""#, support::cases::applicant())),
        "{page}"
    );

    parts.push(text("applicant_name", APPLICANT_NAME));
    parts.push(text("applicant_address", APPLICANT_ADDRESS));
    let made = t
        .post_parts(&format!("/apply/{ITEM}"), &clerk, &parts, &[])
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.describe());
    let case = t.get_as(&location(&made), &clerk).await.text();
    let named = format!(r#"id="case-applicant">{APPLICANT_NAME} "#);
    assert!(
        case.contains(&named),
        "the case names its applicant: {case}"
    );
    // A registered enterprise is looked up: its record's name and domicile fill the form.
    let lookup = t
        .get_as(
            &format!("/apply/{ITEM}?applicant=91210211MA0Y4K7P3Y&idempotency_key=w3"),
            &clerk,
        )
        .await;
    assert_eq!(lookup.status, StatusCode::OK, "{}", lookup.describe());
    let page = lookup.text();
    assert!(page.contains(r#"id="applicant-known""#), "{page}");
    assert!(
        page.contains(r#"value="大连海通阀门制造有限公司" maxlength="100" readonly"#),
        "{page}"
    );
    assert!(
        page.contains(r#"name="idempotency_key" value="w3""#),
        "{page}"
    );
    let unknown = t
        .get_as(
            &format!("/apply/{ITEM}?applicant={}", support::cases::applicant()),
            &clerk,
        )
        .await;
    assert!(unknown.text().contains(r#"id="applicant-unknown""#));

    let signed_out = t.get("/workbench").await;
    assert!(signed_out.status.is_redirection(), "sent to sign in");
}

#[tokio::test]
async fn the_administrator_sees_the_processes_and_a_bad_definition_is_refused_by_line() {
    let t = TestApp::empty_sqlite(DAY).await;
    demo(&t).await;
    let admin = sign_in(&t, "admin").await;
    let page = t.get_as("/admin/processes", &admin).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.describe());
    assert!(page.text().contains("PROC-XK-ONSITE-FIRST v1"));
    let broken = "code = \"PROC-BROKEN\"\nversion = 1\nname_zh = \"坏\"\nname_en = \"Broken\"\nstatutory_limit_days = 20\npromised_limit_days = 10\n\n[[steps]]\nid = \"a\"\nname_zh = \"甲\"\nname_en = \"A\"\nroles = [\"reviewer\"]\nbudget_days = 5\noutcomes = [{ key = \"go\", name_zh = \"去\", name_en = \"Go\", next = \"nowhere\" }]\n";
    let refused = t
        .post_form(
            "/admin/processes",
            Some(&admin.cookie),
            &[("csrf", admin.csrf.as_str()), ("source", broken)],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.describe()
    );
    assert!(refused.text().contains("line"), "{}", refused.text());
    assert!(
        refused.text().contains("nowhere"),
        "the problem names what is wrong"
    );
    let clerk = sign_in(&t, "clerk").await;
    assert_eq!(
        t.get_as("/admin/processes", &clerk).await.status,
        StatusCode::FORBIDDEN
    );
}
