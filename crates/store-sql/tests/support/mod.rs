//! What the migration tests share: a database brought to the state before a migration.

use std::borrow::Cow;

use sqlx::migrate::Migrator;

/// Runs `all`'s migrations numbered before `version` on `pool`, as a database made before that
/// migration holds them.
pub async fn migrate_before(pool: &sqlx::AnyPool, all: &Migrator, version: i64) {
    let before = Migrator {
        migrations: Cow::Owned(
            all.migrations
                .iter()
                .filter(|m| m.version < version)
                .cloned()
                .collect(),
        ),
        ..Migrator::DEFAULT
    };
    before
        .run(pool)
        .await
        .unwrap_or_else(|e| panic!("migrate to before {version:04}: {e}"));
}
