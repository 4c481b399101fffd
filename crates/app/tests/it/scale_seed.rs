//! The national-size dataset (`App::seed_scale`, issue 6), made small: every copy is a real case
//! (its chain verifies), issued copies hold licences in their own names, open copies have their
//! document entries, and a second seed into the same database adds cases beside the first.

use crate::support;

use onewindow_app::cases::{Person, QueueFilter};
use onewindow_app::catalogue::PageRequest;
use onewindow_app::demo::ScalePlan;
use onewindow_domain::identifiers::CreditCode;
use support::{set_clock, sqlite_app};

fn plan(cases: u64) -> ScalePlan {
    ScalePlan {
        cases,
        enterprises: 40,
        open_per_mille: 100,
        issued_per_mille: 90,
        weeks: 260,
    }
}

#[tokio::test]
async fn seeded_copies_are_real_cases_with_their_licences_and_documents() {
    let t = sqlite_app().await;
    set_clock(&t, "2026-11-16T06:00:00Z");
    t.seed_demo().await.expect("demo");
    t.seed_demo_cases().await.expect("demo cases");
    let demo = t.audit_verify(|_| {}).await.expect("verify the demo");

    let report = t.seed_scale(plan(2_100), |_| {}).await.expect("seed");
    assert_eq!((report.enterprises, report.cases), (40, 2_100));
    // Copy i is open when (i * 7919) mod 1000 < 100 (211 of these 2,100), issued when it is
    // in 100..190 (188).
    assert_eq!((report.open, report.licences), (211, 188));
    assert!(report.documents >= report.open, "{report:?}");

    let verified = t.audit_verify(|_| {}).await.expect("verify");
    assert!(verified.faults.is_empty(), "{:?}", verified.faults);
    assert_eq!(verified.cases, demo.cases + 2_100);
    assert_eq!(verified.events, demo.events + report.events);

    // Enterprise 7's cases are its own: applied for in its name, licences held by it.
    let code = CreditCode::complete("91210200H0000007").expect("a stem");
    let owner = Person::Enterprise {
        user: "bench-e7".into(),
        credit_code: code,
    };
    let all = QueueFilter {
        include_closed: true,
        all_steps: true,
        ..QueueFilter::default()
    };
    let page = PageRequest::new(1, 100).expect("a page");
    let mine = t.case_queue(&owner, &all, page).await.expect("queue").items;
    assert_eq!(mine.len(), 2_100 / 40 + 1, "cases 7, 47, … 2087");
    let (mut licensed, mut documented) = (0, 0);
    for row in &mine {
        assert_eq!(row.record.applicant, code.as_str());
        if let Some(licence) = t
            .store
            .licence_of_case(&row.record.number)
            .await
            .expect("get")
        {
            assert_eq!(licence.grant.holder_credit_code, code);
            licensed += 1;
        }
        // Open copies have their template's document entries, renumbered and in their name.
        let documents = t
            .store
            .documents_for_case(&row.record.number)
            .await
            .expect("docs");
        if !documents.is_empty() {
            assert!(row.record.projection.open, "{}", row.record.number);
            documented += 1;
        }
        for d in documents {
            assert_eq!(d.document.holder_credit_code, code.as_str());
        }
    }
    assert!(licensed > 0, "some of enterprise 7's cases are licensed");
    assert!(
        documented > 0,
        "some of enterprise 7's open cases have documents"
    );

    // Seeding again: the enterprises are there already; new cases are added beside.
    let again = t.seed_scale(plan(100), |_| {}).await.expect("seed again");
    assert_eq!((again.enterprises, again.cases), (40, 100));
    let verified = t.audit_verify(|_| {}).await.expect("verify");
    assert_eq!(verified.cases, demo.cases + 2_200);
    assert!(verified.faults.is_empty(), "{:?}", verified.faults);
}
