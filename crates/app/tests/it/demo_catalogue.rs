//! The demo catalogue (src/demo/catalogue.csv) seeds a fresh database through the ordinary
//! import: the seed's powers across all ten categories, the guides a newcomer looks for first,
//! and the published figures of the seed. Seeding is harmless twice and refuses a database that
//! holds another catalogue.

use crate::support;

use onewindow_app::AppError;
use onewindow_app::catalogue::PageRequest;
use onewindow_domain::catalogue::{ItemStatus, Power, PowerCategory, Vocabulary};
use onewindow_store::{ItemFilter, PowerFilter};
use support::{TestApp, rich, seed, snapshot, sqlite_app};

/// A fresh database whose clock shows the real time: the demo is shown at the real time, and
/// its history may hold changes dated after the tests' usual fixed day.
async fn fresh() -> TestApp {
    let t = sqlite_app().await;
    t.clock
        .set(onewindow_app::Clock::now(&onewindow_app::SystemClock));
    t
}

async fn seeded_demo() -> TestApp {
    let t = fresh().await;
    if let Err(e) = t.seed_demo().await {
        match e {
            AppError::Import(problems) => {
                panic!(
                    "the demo catalogue is refused:\n{}",
                    support::listed(&problems)
                )
            }
            other => panic!("seeding the demo failed: {other}"),
        }
    }
    t
}

/// Whether one of the powers named with `word` has a published guide.
async fn has_published_guide(t: &TestApp, powers: &[Power], word: &str) -> bool {
    for p in powers.iter().filter(|p| p.name_zh.contains(word)) {
        let filter = ItemFilter {
            power: Some(p.code.clone()),
            status: Some(ItemStatus::Published),
            ..Default::default()
        };
        if !t.store.items(&filter).await.expect("items").is_empty() {
            return true;
        }
    }
    false
}

#[tokio::test]
async fn the_demo_seeds_a_fresh_database_with_the_seed_catalogue() {
    let t = seeded_demo().await;
    assert!(t.is_demo().await.expect("setting"));
    let powers = t
        .store
        .powers(&PowerFilter::default())
        .await
        .expect("powers");
    assert!(powers.len() >= 100, "only {} powers", powers.len());
    for category in PowerCategory::ALL.iter().filter(|c| c.key() <= "10") {
        assert!(
            powers.iter().any(|p| p.category == *category),
            "no power in category {category} ({})",
            category.label_zh()
        );
    }
    for word in ["电热毯", "泵"] {
        assert!(
            has_published_guide(&t, &powers, word).await,
            "no power named with {word} has a published guide"
        );
        let filter = PowerFilter {
            text: Some(word.to_owned()),
            ..Default::default()
        };
        let found = t.list_powers(&filter, None, PageRequest::first()).await;
        assert!(
            found.expect("search").total > 0,
            "searching {word} finds nothing"
        );
    }
    let o = t.overview().await.expect("overview");
    assert!(
        o.received_from_higher >= 58,
        "received {}",
        o.received_from_higher
    );
    assert!(
        o.delegated_down >= 14,
        "delegated down {}",
        o.delegated_down
    );
    assert!(
        o.fees_cancelled >= 11,
        "fees cancelled {}",
        o.fees_cancelled
    );
    assert!(o.fees_reduced >= 40, "fees reduced {}", o.fees_reduced);
}

#[tokio::test]
async fn the_demo_accounts_can_sign_in_with_the_printed_passwords() {
    let t = fresh().await;
    let accounts = t.seed_demo().await.expect("seed the demo");
    assert_eq!(accounts.len(), 12, "8 staff and 4 enterprise users");
    for account in &accounts {
        let session = t.sign_in(account.username, &account.password).await;
        let session = session.unwrap_or_else(|e| panic!("{}: {e}", account.username));
        assert_eq!(session.user.membership, account.membership);
    }
}

#[tokio::test]
async fn seeding_the_demo_twice_is_harmless() {
    let t = seeded_demo().await;
    let before = snapshot(&t).await;
    let accounts = t.seed_demo().await.expect("seed again");
    assert_eq!(accounts.len(), 12);
    assert_eq!(snapshot(&t).await, before);
}

#[tokio::test]
async fn seeding_the_demo_into_a_database_with_another_catalogue_is_refused() {
    let t = fresh().await;
    seed(&t, &rich::catalogue()).await;
    let before = snapshot(&t).await;
    match t.seed_demo().await {
        Err(AppError::Refused(message)) => assert!(message.contains("not the demo"), "{message}"),
        other => panic!("expected Refused, got {other:?}"),
    }
    assert_eq!(snapshot(&t).await, before);
    assert!(!t.is_demo().await.expect("setting"));
}
