//! Conformance checks for accounts, enterprises and API tokens. They run in this order on the
//! store the catalogue checks filled, so the users they count are the ones they made.

use jiff::Timestamp;
use onewindow_domain::access::{Enterprise, Membership, MembershipKind, Role, Username};
use onewindow_domain::catalogue::OrgCode;
use onewindow_domain::identifiers::CreditCode;

use super::audit;
use crate::{ApiTokenId, NewApiToken, NewUser, Store, StoreError, UserFilter};

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(second).expect("valid")
}

fn staff(name: &str, role: Role) -> NewUser {
    NewUser {
        username: Username::parse(name).expect("valid"),
        display_name: format!("{name} 显示名"),
        password_hash: "$argon2id$fake".into(),
        membership: Membership::Staff {
            role,
            org: OrgCode::parse("210200").expect("valid"),
        },
        created_at: at(1_764_000_000),
    }
}

pub(super) fn enterprise_user(name: &str, code: CreditCode) -> NewUser {
    NewUser {
        membership: Membership::Enterprise { credit_code: code },
        ..staff(name, Role::WindowClerk)
    }
}

fn code(stem: &str) -> CreditCode {
    CreditCode::complete(stem).expect("a 16-character stem")
}

pub(super) fn enterprise(stem: &str, name: &str) -> Enterprise {
    Enterprise {
        credit_code: code(stem),
        name: name.into(),
        address: "辽宁省大连市甘井子区".into(),
        contact_name: "联系人".into(),
        contact_phone: "0411-86601234".into(),
        registered_at: at(1_764_000_000),
    }
}

pub(super) async fn accounts_and_sessions(store: &dyn Store) {
    let new_user = || staff("clerk.wang", Role::WindowClerk);
    let id = store
        .create_user(new_user(), &audit("create user"))
        .await
        .expect("create");
    assert!(matches!(
        store.create_user(new_user(), &audit("again")).await,
        Err(StoreError::Duplicate(what)) if what.contains("clerk.wang")
    ));
    let user = store
        .user_by_name(&new_user().username)
        .await
        .expect("get")
        .expect("present");
    assert_eq!(
        (user.id, user.role(), user.display_name.as_str()),
        (id, Some(Role::WindowClerk), "clerk.wang 显示名")
    );
    assert_eq!(user.org().map(OrgCode::as_str), Some("210200"));
    assert_eq!(user.credit_code(), None);
    assert_eq!(user.created_at, at(1_764_000_000));
    let latest = store.catalogue_audit(1).await.expect("audit");
    assert_eq!(latest[0].action, "create user", "the creation is audited");

    let now = at(1_764_000_000);
    let later = at(1_764_003_600);
    store
        .create_session("hash-1", id, "csrf-1", later)
        .await
        .expect("session");
    let session = store
        .session("hash-1", now)
        .await
        .expect("get")
        .expect("valid session");
    assert_eq!(session.user.id, id);
    assert_eq!(session.user.membership, user.membership);
    assert_eq!(session.csrf_token, "csrf-1");
    assert!(
        store.session("hash-1", later).await.expect("get").is_none(),
        "expired"
    );
    assert!(store.session("other", now).await.expect("get").is_none());
    store.delete_session("hash-1").await.expect("delete");
    assert!(
        store.session("hash-1", now).await.expect("get").is_none(),
        "signed out"
    );
}

pub(super) async fn enterprises_come_with_their_first_user(store: &dyn Store) {
    let haitong = enterprise("91210211MA0Y4K7P", "大连海通阀门制造有限公司");
    let user = enterprise_user("haitong", haitong.credit_code);
    store
        .create_enterprise_with_user(&haitong, user.clone(), &audit("register"))
        .await
        .expect("register");
    let stored = store
        .enterprise(&haitong.credit_code)
        .await
        .expect("get")
        .expect("present");
    assert_eq!(stored, haitong);
    let signed_up = store
        .user_by_name(&user.username)
        .await
        .expect("get")
        .expect("present");
    assert_eq!(signed_up.credit_code(), Some(&haitong.credit_code));
    assert_eq!((signed_up.role(), signed_up.org()), (None, None));

    // The same code again: refused, naming the code, and the new user is not left behind.
    let again = store
        .create_enterprise_with_user(
            &haitong,
            enterprise_user("haitong2", haitong.credit_code),
            &audit("register again"),
        )
        .await;
    let code_text = haitong.credit_code.to_string();
    assert!(
        matches!(&again, Err(StoreError::Duplicate(what)) if what.contains(&code_text)),
        "{again:?}"
    );
    let name = Username::parse("haitong2").expect("valid");
    assert!(store.user_by_name(&name).await.expect("get").is_none());

    // A new enterprise whose user name is taken: nothing of it is stored.
    let jintai = enterprise("91210213MA0QJ5X2", "大连金泰耐火材料有限公司");
    let taken = enterprise_user("haitong", jintai.credit_code);
    let refused = store
        .create_enterprise_with_user(&jintai, taken, &audit("register taken"))
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Duplicate(what)) if what.contains("haitong")),
        "{refused:?}"
    );
    let jintai_code = jintai.credit_code;
    assert!(store.enterprise(&jintai_code).await.expect("get").is_none());
    let latest = store.catalogue_audit(1).await.expect("audit");
    assert_eq!(
        latest[0].action, "register",
        "refusals leave no audit entry"
    );
}

pub(super) async fn enterprises_are_found_by_code_or_name_prefix(store: &dyn Store) {
    for (stem, name, user) in [
        ("91210213MA0QJ5X2", "大连金泰耐火材料有限公司", "jintai"),
        ("91210281MA0U2R8B", "瓦房店华宇泵业有限公司", "huayu"),
        ("92210211MA0P3N6C", "大连海港机电经销部", "haigang"),
    ] {
        let e = enterprise(stem, name);
        let u = enterprise_user(user, e.credit_code);
        store
            .create_enterprise_with_user(&e, u, &audit("register"))
            .await
            .expect("register");
    }
    let names = |found: &[Enterprise]| found.iter().map(|e| e.name.clone()).collect::<Vec<_>>();

    let (found, total) = store.search_enterprises("", 0, 10).await.expect("all");
    assert_eq!(total, 4);
    let codes: Vec<String> = found.iter().map(|e| e.credit_code.to_string()).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted, "an empty query lists by code");

    let (found, total) = store
        .search_enterprises("9121021", 0, 10)
        .await
        .expect("code");
    assert_eq!(total, 2, "codes 9121021…: 210211 and 210213");
    assert!(
        found
            .iter()
            .all(|e| e.credit_code.as_str().starts_with("9121021"))
    );

    let (found, total) = store
        .search_enterprises("大连海", 0, 10)
        .await
        .expect("name");
    assert_eq!(
        names(&found),
        ["大连海港机电经销部", "大连海通阀门制造有限公司"]
    );
    assert_eq!(total, 2);

    let (found, total) = store.search_enterprises("大连", 1, 2).await.expect("page");
    assert_eq!(total, 3, "the total counts every match, not the page");
    assert_eq!(
        names(&found),
        ["大连海通阀门制造有限公司", "大连金泰耐火材料有限公司"]
    );

    let (found, total) = store.search_enterprises("上海", 0, 10).await.expect("none");
    assert_eq!((found.len(), total), (0, 0));
    let (_, total) = store
        .search_enterprises("100%_", 0, 10)
        .await
        .expect("literal");
    assert_eq!(total, 0, "wildcards are not special");
}

pub(super) async fn api_tokens_are_found_by_hash_and_revoked_once(store: &dyn Store) {
    let lims = store
        .create_user(
            staff("lims.zjy", Role::InstituteStaff),
            &audit("create user"),
        )
        .await
        .expect("create");
    let new_token = |hash: &str, label: &str| NewApiToken {
        token_hash: hash.into(),
        user: lims,
        label: label.into(),
        created_at: at(1_764_000_100),
    };
    let first = store
        .create_api_token(
            new_token("token-hash-1", "质检院 LIMS"),
            &audit("create token"),
        )
        .await
        .expect("create token");
    let second = store
        .create_api_token(new_token("token-hash-2", "备用"), &audit("create token"))
        .await
        .expect("create token");
    assert!(matches!(
        store
            .create_api_token(new_token("token-hash-1", "again"), &audit("dup"))
            .await,
        Err(StoreError::Duplicate(_))
    ));

    let holder = store
        .token_holder("token-hash-1")
        .await
        .expect("get")
        .expect("present");
    assert_eq!(holder.user.id, lims);
    assert_eq!(holder.user.role(), Some(Role::InstituteStaff));
    assert_eq!(holder.token.id, first);
    assert_eq!(holder.token.username.as_str(), "lims.zjy");
    assert_eq!(holder.token.label, "质检院 LIMS");
    assert_eq!(holder.token.revoked_at, None);
    assert!(store.token_holder("unknown").await.expect("get").is_none());

    let listed = store.api_tokens().await.expect("list");
    let ids: Vec<ApiTokenId> = listed.iter().map(|t| t.id).collect();
    assert_eq!(ids, [second, first], "newest first");

    let revoked_at = at(1_764_000_200);
    assert!(
        store
            .revoke_api_token(first, revoked_at, &audit("revoke token"))
            .await
            .expect("revoke")
    );
    assert!(
        !store
            .revoke_api_token(first, revoked_at, &audit("revoke again"))
            .await
            .expect("revoke again"),
        "a revoked token is not revoked twice"
    );
    assert!(
        !store
            .revoke_api_token(ApiTokenId(999_999), revoked_at, &audit("revoke none"))
            .await
            .expect("revoke unknown")
    );
    let latest = store.catalogue_audit(1).await.expect("audit");
    assert_eq!(latest[0].action, "revoke token");
    let holder = store
        .token_holder("token-hash-1")
        .await
        .expect("get")
        .expect("still listed");
    assert_eq!(holder.token.revoked_at, Some(revoked_at));
}

pub(super) async fn users_are_listed_by_kind_and_name(store: &dyn Store) {
    let list = |kind, prefix: Option<&str>| UserFilter {
        kind,
        username_prefix: prefix.map(str::to_owned),
    };
    let usernames = |users: &[crate::UserRecord]| {
        users
            .iter()
            .map(|u| u.username.to_string())
            .collect::<Vec<_>>()
    };
    let (users, total) = store.users(&list(None, None), 0, 100).await.expect("all");
    assert_eq!(
        usernames(&users),
        [
            "clerk.wang",
            "haigang",
            "haitong",
            "huayu",
            "jintai",
            "lims.zjy"
        ]
    );
    assert_eq!(total, 6);

    let staff_only = list(Some(MembershipKind::Staff), None);
    let (users, total) = store.users(&staff_only, 0, 100).await.expect("staff");
    assert_eq!(usernames(&users), ["clerk.wang", "lims.zjy"]);
    assert_eq!(total, 2);

    let enterprise_h = list(Some(MembershipKind::Enterprise), Some("h"));
    let (users, total) = store.users(&enterprise_h, 1, 1).await.expect("page");
    assert_eq!((usernames(&users), total), (vec!["haitong".to_owned()], 3));

    let (users, total) = store
        .users(&list(None, Some("clerk_")), 0, 100)
        .await
        .expect("literal underscore");
    assert_eq!((users.len(), total), (0, 0), "'_' is not a wildcard");
}
