//! The conformance suite every store backend must pass, on a fresh, migrated database. Each
//! backend's tests call [`run`]; a failure panics with what differed.

mod accounts;
mod bulk;

use jiff::Timestamp;
use onewindow_domain::calendar::{DayKind, HolidayEntry};
use onewindow_domain::catalogue::fixtures::{fee, item, org, power};
use onewindow_domain::catalogue::{CatalogueCode, ItemStatus, OrgCode, PowerCategory};

use crate::{
    AuditEntry, CaseFilter, CaseId, CaseProjection, CatalogueBatch, ItemFilter, NewCase,
    PowerFilter, Store, StoreError, StoredEvent, Write,
};

mod generations;
mod licence_cases;
mod licence_changes;
mod licences;
mod notifications;
mod notifying_appends;
mod sweep;

/// Runs every check in order on one fresh store.
pub async fn run(store: &dyn Store) {
    store.ping().await.expect("ping");
    catalogue_round_trips(store).await;
    filters_narrow_the_lists(store).await;
    a_stale_version_fails_the_whole_batch(store).await;
    audit_entries_come_back_newest_first(store).await;
    settings_are_remembered_and_replaced(store).await;
    accounts::accounts_and_sessions(store).await;
    accounts::enterprises_come_with_their_first_user(store).await;
    accounts::enterprises_are_found_by_code_or_name_prefix(store).await;
    accounts::api_tokens_are_found_by_hash_and_revoked_once(store).await;
    accounts::users_are_listed_by_kind_and_name(store).await;
    the_calendar_is_seeded_once_and_replaced_a_year_at_a_time(store).await;
    cases_append_with_a_version_check(store).await;
    generations::a_case_for_change_comes_with_its_log_and_generations(store).await;
    notifying_appends::an_append_writes_its_notifications_with_it_or_not_at_all(store).await;
    process_definitions_keep_every_version(store).await;
    crate::conformance_documents::run(store).await;
    licences::licences_are_numbered_once_and_found(store).await;
    licences::a_full_series_is_refused(store).await;
    licences::status_changes_check_the_version(store).await;
    licences::the_register_filters_and_pages(store).await;
    notifications::notifications_are_recorded_once_and_read_by_their_owner(store).await;
    licence_changes::changes_and_renewals_update_the_particulars(store).await;
    licence_changes::expiring_licences_are_walked_once(store).await;
    licence_cases::a_licence_has_one_open_case_at_a_time(store).await;
    licence_cases::two_racing_cases_on_a_licence_make_one(store).await;
    sweep::open_cases_are_paged_with_their_logs_and_appended_together(store).await;
    bulk::enterprises_are_loaded_together_or_not_at_all(store).await;
    bulk::cases_are_numbered_in_their_years_and_appended_together(store).await;
    bulk::licences_and_documents_are_numbered_from_their_series(store).await;
    sweep::provisional_rows_keep_their_log_head_and_clock_basis(store).await;
    sweep::open_rows_are_paged_alone_and_logs_read_at_their_versions(store).await;
}

async fn process_definitions_keep_every_version(store: &dyn Store) {
    let at: jiff::Timestamp = "2026-03-02T01:00:00Z".parse().expect("an instant");
    let saved = |version: i64, source: &str| crate::SavedDefinition {
        code: "PROC-X".into(),
        version,
        source: source.into(),
        saved_by: "admin".into(),
        saved_at: at,
    };
    store
        .save_definition(&saved(1, "one"))
        .await
        .expect("save v1");
    let before = store.generations().await.expect("generations");
    store
        .save_definition(&saved(2, "two"))
        .await
        .expect("save v2");
    assert!(
        store.generations().await.expect("generations").catalogue > before.catalogue,
        "a new version is what new cases of its code follow: a catalogue change"
    );
    assert!(
        matches!(
            store.save_definition(&saved(2, "again")).await,
            Err(StoreError::Duplicate(_))
        ),
        "a saved version is never overwritten"
    );
    let all = store.definitions().await.expect("list");
    assert_eq!(all, vec![saved(1, "one"), saved(2, "two")]);
    store
        .set_item_process("XK-1", "PROC-X", "admin", at)
        .await
        .expect("map");
    let mapped = store.generations().await.expect("generations");
    store
        .set_item_process("XK-1", "PROC-Y", "admin", at)
        .await
        .expect("remap");
    assert!(
        store.generations().await.expect("generations").catalogue > mapped.catalogue,
        "choosing an item's process is a catalogue change: instances cache the choice by it"
    );
    assert_eq!(
        store.item_processes().await.expect("list"),
        vec![("XK-1".to_owned(), "PROC-Y".to_owned())]
    );
}

fn code(text: &str) -> CatalogueCode {
    CatalogueCode::parse(text).expect("valid code")
}

fn audit(action: &str) -> AuditEntry {
    AuditEntry {
        at: Timestamp::from_second(1_764_000_000).expect("valid"),
        actor: "conformance".into(),
        action: action.into(),
        detail: format!("{action} detail"),
    }
}

fn sample_batch() -> CatalogueBatch {
    CatalogueBatch {
        orgs: vec![
            Write::new(org("210200", "大连市局")),
            Write::new(org("210200-ZJY", "质检院")),
        ],
        powers: vec![
            Write::new(power("XK-002", "电热毯产品生产许可", "210200")),
            Write::new(power("XK-001", "泵产品生产许可", "210200")),
            Write::new(power("JC-001", "100%_检查", "210200-ZJY")),
        ],
        items: vec![Write::new(item(
            "BJ-001",
            "电热毯生产许可证核发",
            "XK-002",
            "210200",
        ))],
        fees: vec![Write::new(fee("SF-001", "计量检定费"))],
    }
}

async fn catalogue_round_trips(store: &dyn Store) {
    let batch = sample_batch();
    store
        .write_catalogue(&batch, &audit("import"))
        .await
        .expect("write");
    let orgs = store.orgs().await.expect("orgs");
    assert_eq!(orgs.len(), 2);
    assert_eq!(
        orgs[0], batch.orgs[0].record,
        "orgs come back ordered by code, unchanged"
    );
    let stored = store
        .power(&code("XK-002"))
        .await
        .expect("power")
        .expect("present");
    assert_eq!(stored.value, batch.powers[0].record);
    assert_eq!(stored.version, 1);
    let stored = store
        .item(&code("BJ-001"))
        .await
        .expect("item")
        .expect("present");
    assert_eq!(stored.value, batch.items[0].record);
    let stored = store
        .fee(&code("SF-001"))
        .await
        .expect("fee")
        .expect("present");
    assert_eq!(stored.value, batch.fees[0].record);
    assert!(store.power(&code("NOPE")).await.expect("lookup").is_none());
    // Writing again replaces and bumps the version.
    store
        .write_catalogue(&batch, &audit("import"))
        .await
        .expect("rewrite");
    let stored = store
        .power(&code("XK-002"))
        .await
        .expect("power")
        .expect("present");
    assert_eq!(stored.version, 2);
}

async fn filters_narrow_the_lists(store: &dyn Store) {
    let codes = |powers: Vec<onewindow_domain::catalogue::Power>| -> Vec<String> {
        powers.into_iter().map(|p| p.code.to_string()).collect()
    };
    let all = store.powers(&PowerFilter::default()).await.expect("all");
    assert_eq!(
        codes(all),
        ["JC-001", "XK-001", "XK-002"],
        "ordered by code"
    );
    let one_char = PowerFilter {
        text: Some("泵".into()),
        ..Default::default()
    };
    assert_eq!(
        codes(store.powers(&one_char).await.expect("泵")),
        ["XK-001"]
    );
    let two_chars = PowerFilter {
        text: Some("热毯".into()),
        ..Default::default()
    };
    assert_eq!(
        codes(store.powers(&two_chars).await.expect("热毯")),
        ["XK-002"]
    );
    let by_law = PowerFilter {
        text: Some("行政许可法".into()),
        ..Default::default()
    };
    assert_eq!(
        store.powers(&by_law).await.expect("law").len(),
        3,
        "legal basis is searched"
    );
    let lower = PowerFilter {
        text: Some("xk-00".into()),
        ..Default::default()
    };
    assert_eq!(
        store.powers(&lower).await.expect("case").len(),
        2,
        "case-insensitive"
    );
    let percent = PowerFilter {
        text: Some("100%_".into()),
        ..Default::default()
    };
    assert_eq!(
        codes(store.powers(&percent).await.expect("%")),
        ["JC-001"],
        "% and _ are literal"
    );
    let wildcard = PowerFilter {
        text: Some("%".into()),
        ..Default::default()
    };
    assert_eq!(store.powers(&wildcard).await.expect("%").len(), 1);
    let by_org = PowerFilter {
        org: Some(OrgCode::parse("210200-ZJY").expect("valid")),
        ..Default::default()
    };
    assert_eq!(codes(store.powers(&by_org).await.expect("org")), ["JC-001"]);
    let by_category = PowerFilter {
        category: Some(PowerCategory::Penalty),
        ..Default::default()
    };
    assert!(
        store
            .powers(&by_category)
            .await
            .expect("category")
            .is_empty()
    );
    let items = ItemFilter {
        power: Some(code("XK-002")),
        ..Default::default()
    };
    assert_eq!(store.items(&items).await.expect("items").len(), 1);
    let drafts = ItemFilter {
        status: Some(ItemStatus::Draft),
        ..Default::default()
    };
    assert!(store.items(&drafts).await.expect("drafts").is_empty());
    let by_text = ItemFilter {
        text: Some("电热".into()),
        ..Default::default()
    };
    assert_eq!(store.items(&by_text).await.expect("text").len(), 1);
}

async fn a_stale_version_fails_the_whole_batch(store: &dyn Store) {
    let mut renamed = power("XK-001", "泵类产品生产许可（改）", "210200");
    renamed.name_en = "changed".into();
    let batch = CatalogueBatch {
        powers: vec![
            Write::new(power("XK-009", "新增事项", "210200")),
            Write::expecting(renamed, 1),
        ],
        ..Default::default()
    };
    match store.write_catalogue(&batch, &audit("edit")).await {
        Err(StoreError::Conflict {
            expected: 1,
            found: 2,
            ..
        }) => {}
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(
        store
            .power(&code("XK-009"))
            .await
            .expect("lookup")
            .is_none(),
        "nothing half-written"
    );
    let current = store
        .power(&code("XK-001"))
        .await
        .expect("lookup")
        .expect("present");
    assert_eq!(current.value.name_zh, "泵产品生产许可");
    let fresh = CatalogueBatch {
        powers: vec![Write::expecting(
            power("XK-001", "泵产品生产许可（改）", "210200"),
            2,
        )],
        ..Default::default()
    };
    store
        .write_catalogue(&fresh, &audit("edit"))
        .await
        .expect("current version wins");
    let create_only = CatalogueBatch {
        powers: vec![Write::expecting(power("XK-001", "重复", "210200"), 0)],
        ..Default::default()
    };
    assert!(matches!(
        store.write_catalogue(&create_only, &audit("create")).await,
        Err(StoreError::Conflict { .. })
    ));
}

async fn audit_entries_come_back_newest_first(store: &dyn Store) {
    let entries = store.catalogue_audit(2).await.expect("audit");
    assert_eq!(entries.len(), 2);
    assert_eq!(
        entries[0].action, "edit",
        "the last successful write is first"
    );
    assert_eq!(entries[1].action, "import");
    assert_eq!(entries[0].at, audit("x").at);
}

async fn settings_are_remembered_and_replaced(store: &dyn Store) {
    assert_eq!(store.setting("demo").await.expect("get"), None);
    store.set_setting("demo", "true").await.expect("set");
    store.set_setting("demo", "false").await.expect("replace");
    assert_eq!(
        store.setting("demo").await.expect("get").as_deref(),
        Some("false")
    );
}

fn holiday(date: &str, kind: DayKind, name: &str) -> HolidayEntry {
    HolidayEntry {
        date: date.parse().expect("valid date"),
        kind,
        name: name.into(),
    }
}

async fn the_calendar_is_seeded_once_and_replaced_a_year_at_a_time(store: &dyn Store) {
    assert!(store.holiday_entries().await.expect("read").is_empty());
    let v0 = store.calendar_version().await.expect("version");
    let shipped = vec![
        holiday("2025-01-01", DayKind::Holiday, "元旦"),
        holiday("2025-01-26", DayKind::Workday, "春节"),
        holiday("2026-01-01", DayKind::Holiday, "元旦"),
        // A December date belongs to the next schedule year.
        holiday("2026-12-31", DayKind::Holiday, "元旦"),
    ];
    assert!(store.seed_holidays(&shipped).await.expect("seed"));
    assert!(
        !store.seed_holidays(&shipped).await.expect("seed again"),
        "seeding is once only"
    );
    assert_eq!(
        store.holiday_entries().await.expect("read"),
        shipped,
        "ordered by date"
    );
    let v1 = store.calendar_version().await.expect("version");
    assert!(v1 > v0);
    let year_2026 = vec![
        holiday("2026-01-01", DayKind::Holiday, "元旦"),
        holiday("2026-10-01", DayKind::Holiday, "国庆节"),
    ];
    store
        .replace_schedule_year(2026, &year_2026, &audit("import_calendar"))
        .await
        .expect("replace");
    let mut expected = shipped[..2].to_vec();
    expected.extend(year_2026);
    expected.push(shipped[3].clone());
    assert_eq!(
        store.holiday_entries().await.expect("read"),
        expected,
        "only the 2026 schedule changed"
    );
    assert!(store.calendar_version().await.expect("version") > v1);
    let latest = store.catalogue_audit(1).await.expect("audit");
    assert_eq!(latest[0].action, "import_calendar");
}

fn event(seq: i64, prev: &str) -> StoredEvent {
    StoredEvent {
        seq,
        at: Timestamp::from_second(1_764_000_000 + seq).expect("valid"),
        kind: if seq == 1 {
            "submitted".into()
        } else {
            "accepted".into()
        },
        body: format!("{{\"seq\":{seq}}}"),
        prev_hash: prev.into(),
        hash: format!("h{seq}"),
    }
}

fn projection(status: &str, open: bool) -> CaseProjection {
    CaseProjection {
        step_since: Some("2026-03-02T01:00:00Z".parse().expect("an instant")),
        clock_basis: None,
        head: None,
        status: status.into(),
        step: Some("acceptance".into()),
        acting_org: "210200".into(),
        statutory_due: Some("2026-12-10".parse().expect("date")),
        promised_due: None,
        due_provisional: true,
        clock_status: "green".into(),
        open,
    }
}

async fn cases_append_with_a_version_check(store: &dyn Store) {
    let new_case = |key: Option<&str>| NewCase {
        item_code: "BJ-001".into(),
        definition_code: "simple".into(),
        definition_version: 1,
        handling_org: "210200".into(),
        applicant: "91110000600037341L".into(),
        idempotency_key: key.map(str::to_owned),
        licence_number: None,
        projection: projection("submitted", true),
        events: vec![event(1, "00")],
        created_at: Timestamp::from_second(1_764_000_000).expect("valid"),
    };
    let first = store
        .create_case(&new_case(Some("k-1")), 2026)
        .await
        .expect("create");
    assert!(!first.existing);
    let again = store
        .create_case(&new_case(Some("k-1")), 2026)
        .await
        .expect("same key");
    assert_eq!(
        (again.id, again.existing),
        (first.id, true),
        "one key, one case"
    );
    let second = store
        .create_case(&new_case(None), 2026)
        .await
        .expect("create");
    let (record, events) = store.case(first.id).await.expect("read").expect("present");
    assert_eq!(record.number, "2026-000001");
    assert_eq!(record.version, 1);
    assert_eq!(record.projection, projection("submitted", true));
    assert_eq!(events, vec![event(1, "00")]);
    let (other, _) = store.case(second.id).await.expect("read").expect("present");
    assert_eq!(
        other.number, "2026-000002",
        "numbered in order within the year"
    );
    assert_eq!(
        store.case_by_number("2026-000002").await.expect("lookup"),
        Some(second.id)
    );
    let at = Timestamp::from_second(1_764_100_000).expect("valid");
    store
        .append_events(
            first.id,
            1,
            &[event(2, "h1")],
            &projection("accepted", true),
            at,
        )
        .await
        .expect("append");
    match store
        .append_events(
            first.id,
            1,
            &[event(2, "h1")],
            &projection("refused", false),
            at,
        )
        .await
    {
        Err(StoreError::Conflict {
            expected: 1,
            found: 2,
            ..
        }) => {}
        other => panic!("a stale version must conflict, got {other:?}"),
    }
    let (record, events) = store.case(first.id).await.expect("read").expect("present");
    assert_eq!(
        (
            record.version,
            record.projection.status.as_str(),
            events.len()
        ),
        (2, "accepted", 2)
    );
    assert_eq!(record.updated_at, at);
    store
        .append_events(
            second.id,
            1,
            &[event(2, "h1")],
            &projection("withdrawn", false),
            at,
        )
        .await
        .expect("append");
    let open = CaseFilter {
        open: Some(true),
        ..Default::default()
    };
    let (list, total) = store.cases(&open, 0, 10).await.expect("list");
    assert_eq!((total, list[0].id), (1, first.id));
    let by_status = CaseFilter {
        status: Some("withdrawn".into()),
        acting_org: Some("210200".into()),
        ..Default::default()
    };
    assert_eq!(store.cases(&by_status, 0, 10).await.expect("list").1, 1);
    let seen_by = |org: &str, step: Option<&str>| CaseFilter {
        visible_to_org: Some(org.into()),
        steps: step
            .map(|s| vec![s.to_owned(), "other".to_owned()])
            .unwrap_or_default(),
        ..Default::default()
    };
    assert_eq!(
        store
            .cases(&seen_by("210200", None), 0, 10)
            .await
            .expect("list")
            .1,
        2
    );
    assert_eq!(
        store
            .cases(&seen_by("210200", Some("acceptance")), 0, 10)
            .await
            .expect("list")
            .1,
        2
    );
    assert_eq!(
        store
            .cases(&seen_by("210211", None), 0, 10)
            .await
            .expect("list")
            .1,
        0
    );
    assert_eq!(
        store
            .case(first.id)
            .await
            .expect("read")
            .expect("present")
            .0
            .projection
            .step_since,
        projection("x", true).step_since
    );
    let (all, total) = store
        .cases(&CaseFilter::default(), 0, 1)
        .await
        .expect("page");
    assert_eq!(
        (all.len(), total, all[0].id),
        (1, 2, second.id),
        "newest first, limited"
    );
    assert_eq!(
        store
            .open_cases_after(CaseId(0), 10)
            .await
            .expect("open")
            .len(),
        1
    );
    assert!(
        store
            .open_cases_after(first.id, 10)
            .await
            .expect("open")
            .is_empty()
    );
    let logged = store
        .cases_with_logs_after(CaseId(0), 10)
        .await
        .expect("cases with logs");
    let ids: Vec<CaseId> = logged.iter().map(|(r, _)| r.id).collect();
    assert_eq!(ids, vec![first.id, second.id]);
    for (record, log) in &logged {
        let (_, alone) = store
            .case(record.id)
            .await
            .expect("read")
            .expect("the case");
        assert_eq!(log, &alone, "the same log as read on its own");
        assert_eq!(log.len() as i64, record.version);
    }
    let paged = store
        .cases_with_logs_after(first.id, 1)
        .await
        .expect("a page of one");
    assert_eq!(paged.len(), 1);
    assert_eq!(paged[0].0.id, second.id);
    assert!(
        store
            .cases_with_logs_after(second.id, 10)
            .await
            .expect("past the last")
            .is_empty()
    );
    assert!(store.case(CaseId(999_999)).await.expect("read").is_none());
}
