//! The holidays table.

use async_trait::async_trait;
use onewindow_domain::calendar::{DayKind, HolidayEntry, schedule_year_of};
use onewindow_domain::dates::parse_date;
use onewindow_store::{AuditEntry, CalendarStore, StoreError};
use sqlx::{Any, Row, Transaction};

use crate::settings::{CALENDAR_VERSION, bump_counter, counter};
use crate::{SqlStore, db_error};

fn kind_of(text: &str) -> Result<DayKind, StoreError> {
    match text {
        "holiday" => Ok(DayKind::Holiday),
        "workday" => Ok(DayKind::Workday),
        other => Err(StoreError::Corrupt {
            what: "holiday".into(),
            detail: format!("unknown kind {other}"),
        }),
    }
}

async fn insert(tx: &mut Transaction<'_, Any>, entries: &[HolidayEntry]) -> Result<(), StoreError> {
    for e in entries {
        sqlx::query(
            "INSERT INTO holidays (date, kind, name, schedule_year) VALUES ($1, $2, $3, $4)",
        )
        .bind(e.date.to_string())
        .bind(e.kind.as_str().to_owned())
        .bind(e.name.clone())
        .bind(i64::from(schedule_year_of(e.date)))
        .execute(&mut **tx)
        .await
        .map_err(db_error("holiday"))?;
    }
    Ok(())
}

#[async_trait]
impl CalendarStore for SqlStore {
    async fn holiday_entries(&self) -> Result<Vec<HolidayEntry>, StoreError> {
        let rows = sqlx::query("SELECT date, kind, name FROM holidays ORDER BY date")
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("holidays"))?;
        rows.iter()
            .map(|row| {
                let get = |i: usize| row.try_get::<String, _>(i).map_err(db_error("holiday"));
                let corrupt = |detail| StoreError::Corrupt {
                    what: "holiday".into(),
                    detail,
                };
                Ok(HolidayEntry {
                    date: parse_date(&get(0)?).map_err(corrupt)?,
                    kind: kind_of(&get(1)?)?,
                    name: get(2)?,
                })
            })
            .collect()
    }

    async fn seed_holidays(&self, entries: &[HolidayEntry]) -> Result<bool, StoreError> {
        let (_gate, mut tx) = self.begin_write("holidays").await?;
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM holidays")
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error("holidays"))?;
        if count > 0 {
            return Ok(false);
        }
        insert(&mut tx, entries).await?;
        bump_counter(&mut tx, CALENDAR_VERSION).await?;
        tx.commit().await.map_err(db_error("holidays"))?;
        Ok(true)
    }

    async fn replace_schedule_year(
        &self,
        year: i32,
        entries: &[HolidayEntry],
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let (_gate, mut tx) = self.begin_write("holidays").await?;
        sqlx::query("DELETE FROM holidays WHERE schedule_year = $1")
            .bind(i64::from(year))
            .execute(&mut *tx)
            .await
            .map_err(db_error("holidays"))?;
        insert(&mut tx, entries).await?;
        bump_counter(&mut tx, CALENDAR_VERSION).await?;
        crate::insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error("holidays"))
    }

    async fn calendar_version(&self) -> Result<i64, StoreError> {
        counter(&self.pool, CALENDAR_VERSION).await
    }
}
