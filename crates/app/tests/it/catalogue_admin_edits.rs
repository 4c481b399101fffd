//! The administrator's edits: only an administrator may make them, each names the version it
//! saw (a stale one is a conflict), an edit never rewrites history, a guide is published only
//! when complete, and a dated change is only ever appended after the latest.

use crate::support;

use onewindow_app::AppError;
use onewindow_app::catalogue::ChangeForm;
use onewindow_domain::access::Role;
use onewindow_domain::catalogue::{CatalogueCode, FeeItem, FieldMap, ItemStatus, Power, Problems};
use onewindow_store::UserRecord;
use support::rich::entries;
use support::{TestApp, rich, seed, snapshot, sqlite_app, user};

fn code(text: &str) -> CatalogueCode {
    CatalogueCode::parse(text).expect("code")
}

/// A database with the rich catalogue, an administrator and a window clerk.
async fn setup() -> (TestApp, UserRecord, UserRecord) {
    let t = sqlite_app().await;
    seed(&t, &rich::catalogue()).await;
    let admin = user(&t, "admin", Role::Administrator).await;
    let clerk = user(&t, "clerk", Role::WindowClerk).await;
    (t, admin, clerk)
}

fn change(date: &str, kind: &str, decree: &str, org: &str) -> ChangeForm {
    ChangeForm {
        date: date.into(),
        kind: kind.into(),
        decree: decree.into(),
        org: org.into(),
        note: String::new(),
    }
}

async fn power_version(t: &TestApp, c: &str) -> (Power, i64) {
    let v = t.store.power(&code(c)).await.expect("read").expect("power");
    (v.value, v.version)
}

async fn fee_version(t: &TestApp, c: &str) -> (FeeItem, i64) {
    let v = t.store.fee(&code(c)).await.expect("read").expect("fee");
    (v.value, v.version)
}

async fn item_version(t: &TestApp, c: &str) -> i64 {
    t.store
        .item(&code(c))
        .await
        .expect("read")
        .expect("item")
        .version
}

/// The problems of an `Invalid` error; panics on anything else.
fn invalid<T: std::fmt::Debug>(result: Result<T, AppError>) -> Problems {
    match result {
        Err(AppError::Invalid { problems, .. }) => problems,
        other => panic!("expected AppError::Invalid, got {other:?}"),
    }
}

fn fields_named(problems: &Problems) -> Vec<&'static str> {
    problems.0.iter().map(|p| p.field).collect()
}

#[tokio::test]
async fn only_an_administrator_may_edit_the_catalogue() {
    let (t, _, clerk) = setup().await;
    let before = snapshot(&t).await;
    let (power, pv) = power_version(&t, "0101-001").await;
    let (fee, fv) = fee_version(&t, "SF-0101").await;
    let iv = item_version(&t, "0101-001-01").await;
    let power_fields = FieldMap::from_fields(Power::FIELDS, power.fields());
    let fee_fields = FieldMap::from_fields(FeeItem::FIELDS, fee.fields());
    let cancel = change("2026-03-01", "cancelled", "国发〔2026〕1号", "");
    let results = [
        t.save_power(&clerk, &power_fields, Some(pv)).await.err(),
        t.append_power_change(&clerk, &power.code, &cancel, pv)
            .await
            .err(),
        t.set_item_status(&clerk, &code("0101-001-01"), ItemStatus::Retired, iv)
            .await
            .err(),
        t.save_fee(&clerk, &fee_fields, Some(fv)).await.err(),
        t.append_fee_change(&clerk, &fee.code, &cancel, fv)
            .await
            .err(),
    ];
    for (i, result) in results.into_iter().enumerate() {
        match result {
            Some(AppError::Forbidden(message)) => assert!(message.contains("administrator")),
            other => panic!("edit {i}: expected Forbidden, got {other:?}"),
        }
    }
    assert_eq!(snapshot(&t).await, before);
}

#[tokio::test]
async fn an_edit_made_with_a_stale_version_is_a_conflict() {
    let (t, admin, _) = setup().await;
    let (power, v) = power_version(&t, "0101-001").await;
    let amend = change("2026-03-01", "amended", "", "");
    t.append_power_change(&admin, &power.code, &amend, v)
        .await
        .expect("first edit");
    let before = snapshot(&t).await;
    let fields = FieldMap::from_fields(Power::FIELDS, power.fields());
    let stale = [
        t.append_power_change(&admin, &power.code, &amend, v)
            .await
            .err(),
        t.save_power(&admin, &fields, Some(v)).await.err(),
        // `None` means "create": the power exists, so that is stale too.
        t.save_power(&admin, &fields, None).await.err(),
    ];
    for (i, result) in stale.into_iter().enumerate() {
        assert!(
            matches!(result, Some(AppError::Conflict(_))),
            "edit {i}: {result:?}"
        );
    }
    let iv = item_version(&t, "0101-001-01").await;
    let item = code("0101-001-01");
    let result = t.set_item_status(&admin, &item, ItemStatus::Retired, iv + 1);
    assert!(matches!(result.await, Err(AppError::Conflict(_))));
    let (fee, fv) = fee_version(&t, "SF-0101").await;
    let reduce = change("2026-03-01", "reduced", "财税〔2026〕1号", "");
    let result = t.append_fee_change(&admin, &fee.code, &reduce, fv - 1);
    assert!(matches!(result.await, Err(AppError::Conflict(_))));
    assert_eq!(snapshot(&t).await, before);
}

#[tokio::test]
async fn saving_an_existing_power_or_fee_keeps_the_stored_history_whatever_the_form_says() {
    let (t, admin, _) = setup().await;
    let (power, v) = power_version(&t, "0101-001.1").await;
    let mut fields = FieldMap::from_fields(Power::FIELDS, power.fields());
    fields.set("name_zh", "工业产品生产许可（电线电缆，已更名）");
    fields.set_list(
        "history",
        entries(&[&["2000-01-01", "established", "伪造〔2000〕1号"]]),
    );
    let saved = t.save_power(&admin, &fields, Some(v)).await.expect("save");
    assert_eq!(saved.history, power.history);
    let (stored, v2) = power_version(&t, "0101-001.1").await;
    assert_eq!(
        (stored.name_zh.as_str(), v2),
        ("工业产品生产许可（电线电缆，已更名）", v + 1)
    );
    assert_eq!(stored.history, power.history);

    let (fee, fv) = fee_version(&t, "SF-0002").await;
    let mut fields = FieldMap::from_fields(FeeItem::FIELDS, fee.fields());
    fields.set("standard", "每台80元");
    fields.set_list("history", Vec::new());
    t.save_fee(&admin, &fields, Some(fv))
        .await
        .expect("save fee");
    let (stored, _) = fee_version(&t, "SF-0002").await;
    assert_eq!(
        (stored.standard.as_str(), &stored.history),
        ("每台80元", &fee.history)
    );
}

#[tokio::test]
async fn publishing_an_incomplete_guide_is_invalid_naming_every_missing_field() {
    let (t, admin, _) = setup().await;
    let before = snapshot(&t).await;
    let draft = code("0101-001-02");
    let v = item_version(&t, "0101-001-02").await;
    let problems = invalid(
        t.set_item_status(&admin, &draft, ItemStatus::Published, v)
            .await,
    );
    let named = fields_named(&problems);
    for field in [
        "phone",
        "fees",
        "statutory_limit_days",
        "promised_limit_days",
        "materials",
    ] {
        assert!(named.contains(&field), "{field} not named in {problems}");
    }
    assert_eq!(snapshot(&t).await, before);
    // A complete guide can be retired and published again.
    let done = code("0101-001-01");
    let v = item_version(&t, "0101-001-01").await;
    t.set_item_status(&admin, &done, ItemStatus::Retired, v)
        .await
        .expect("retire");
    t.set_item_status(&admin, &done, ItemStatus::Published, v + 1)
        .await
        .expect("publish");
}

#[tokio::test]
async fn a_change_dated_before_the_latest_is_refused_and_one_on_the_same_day_accepted() {
    let (t, admin, _) = setup().await;
    let (power, v) = power_version(&t, "0101-001.1").await; // latest: 2022-07-01
    let early = change("2022-06-30", "restored", "辽市监〔2022〕10号", "");
    let problems = invalid(t.append_power_change(&admin, &power.code, &early, v).await);
    assert_eq!(fields_named(&problems), ["date"], "{problems}");
    assert!(problems.0[0].message.contains("2022-07-01"), "{problems}");
    let (fee, fv) = fee_version(&t, "SF-0003").await; // latest: 2020-12-31
    let early = change("2020-12-30", "cancelled", "财税〔2020〕1号", "");
    let problems = invalid(t.append_fee_change(&admin, &fee.code, &early, fv).await);
    assert_eq!(fields_named(&problems), ["date"], "{problems}");

    let same_day = change("2022-07-01", "restored", "辽市监〔2022〕10号", "");
    t.append_power_change(&admin, &power.code, &same_day, v)
        .await
        .expect("same day");
    let (stored, _) = power_version(&t, "0101-001.1").await;
    assert_eq!(
        stored.history.changes().len(),
        power.history.changes().len() + 1
    );
}

#[tokio::test]
async fn a_change_is_checked_whole_before_it_is_appended() {
    let (t, admin, _) = setup().await;
    let before = snapshot(&t).await;
    let (power, v) = power_version(&t, "0101-001").await;
    let cases = [
        (
            change("2026-13-01", "cancelled", "国发〔2026〕1号", ""),
            "date",
        ),
        // A change entered on a form is reported under the form's own fields.
        (
            change("2026-03-01", "reduced", "国发〔2026〕1号", ""),
            "kind",
        ),
        (
            change("2026-03-01", "delegated_down", "辽市监〔2026〕1号", ""),
            "org",
        ),
        (change("2026-03-01", "cancelled", "", ""), "decree"),
        (
            change(
                "2026-03-01",
                "delegated_down",
                "辽市监〔2026〕1号",
                "210299",
            ),
            "history",
        ),
    ];
    for (form, field) in cases {
        let problems = invalid(t.append_power_change(&admin, &power.code, &form, v).await);
        assert!(
            fields_named(&problems).contains(&field),
            "{form:?}: {problems}"
        );
    }
    assert_eq!(snapshot(&t).await, before);
}
