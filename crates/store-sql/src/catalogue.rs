//! The catalogue tables: one row per record, its JSON beside the few columns used to filter.

use async_trait::async_trait;
use onewindow_domain::catalogue::{CatalogueCode, FeeItem, Org, Power, ServiceItem, Vocabulary};
use onewindow_store::{
    AuditEntry, CatalogueBatch, CatalogueStore, ItemFilter, PowerFilter, StoreError, Versioned,
    Write,
};
use sqlx::any::AnyArguments;
// Dynamic SQL here only splices table and column names from this file; values are bound.
use sqlx::{Any, Arguments, AssertSqlSafe, Row, Transaction};

use crate::record_json::{from_json, to_json};
use crate::settings::{CATALOGUE_VERSION, bump_counter, counter};
use crate::{SqlStore, db_error};

mod direct;

/// Lowercased text a filter's substring search runs over.
fn search_text(parts: &[&str]) -> String {
    parts.join("\n").to_lowercase()
}

/// A `LIKE` pattern matching `text` anywhere, with `%`, `_` and `\` taken literally.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Builds `WHERE a = $1 AND b LIKE $2 …` with its arguments.
#[derive(Default)]
struct Conditions {
    sql: Vec<String>,
    /// The value of each placeholder, in order.
    values: Vec<String>,
}

impl Conditions {
    fn push(&mut self, column: &str, op: &str, value: String) {
        self.values.push(value);
        let escape = if op == "LIKE" { " ESCAPE '\\'" } else { "" };
        let n = self.values.len();
        self.sql.push(format!("{column} {op} ${n}{escape}"));
    }

    fn args(&self) -> AnyArguments {
        let mut args = AnyArguments::default();
        for value in &self.values {
            // Adding a String to AnyArguments cannot fail.
            let _ = args.add(value.clone());
        }
        args
    }

    fn where_clause(&self) -> String {
        if self.sql.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.sql.join(" AND "))
        }
    }
}

impl SqlStore {
    async fn records<T>(
        &self,
        table: &str,
        what: &str,
        cond: Conditions,
        parse: impl Fn(&str) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let sql = format!(
            "SELECT record FROM {table}{} ORDER BY code",
            cond.where_clause()
        );
        if let Some(native) = &self.native {
            return direct::records(native, &sql, &cond.values, what, parse);
        }
        let rows = sqlx::query_with(AssertSqlSafe(sql), cond.args())
            .fetch_all(&self.pool)
            .await
            .map_err(db_error(what))?;
        rows.iter()
            .map(|row| parse(&row.try_get::<String, _>(0).map_err(db_error(what))?))
            .collect()
    }

    async fn one<T>(
        &self,
        table: &str,
        code: &CatalogueCode,
        parse: impl Fn(&str) -> Result<T, StoreError>,
    ) -> Result<Option<Versioned<T>>, StoreError> {
        let sql = format!("SELECT record, version FROM {table} WHERE code = $1");
        if let Some(native) = &self.native {
            return direct::one(native, &sql, code.as_str(), table, parse);
        }
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(code.as_str().to_owned())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error(table))?;
        let Some(row) = row else { return Ok(None) };
        let record: String = row.try_get(0).map_err(db_error(table))?;
        Ok(Some(Versioned {
            value: parse(&record)?,
            version: row.try_get(1).map_err(db_error(table))?,
        }))
    }
}

fn parse_power(json: &str) -> Result<Power, StoreError> {
    from_json("power", json, Power::parse)
}
fn parse_item(json: &str) -> Result<ServiceItem, StoreError> {
    from_json("service item", json, ServiceItem::parse)
}
fn parse_fee(json: &str) -> Result<FeeItem, StoreError> {
    from_json("fee item", json, FeeItem::parse)
}
fn parse_org(json: &str) -> Result<Org, StoreError> {
    from_json("org", json, Org::parse)
}

#[async_trait]
impl CatalogueStore for SqlStore {
    async fn orgs(&self) -> Result<Vec<Org>, StoreError> {
        self.records("orgs", "orgs", Conditions::default(), parse_org)
            .await
    }

    async fn catalogue_version(&self) -> Result<i64, StoreError> {
        counter(&self.pool, CATALOGUE_VERSION).await
    }

    async fn powers(&self, filter: &PowerFilter) -> Result<Vec<Power>, StoreError> {
        let mut cond = Conditions::default();
        if let Some(text) = filter.text.as_deref().filter(|t| !t.trim().is_empty()) {
            cond.push("search_text", "LIKE", contains_pattern(text.trim()));
        }
        if let Some(category) = filter.category {
            cond.push("category", "=", category.key().to_owned());
        }
        if let Some(source) = filter.source {
            cond.push("source", "=", source.key().to_owned());
        }
        if let Some(org) = &filter.org {
            cond.push("implementing_org", "=", org.to_string());
        }
        self.records("powers", "powers", cond, parse_power).await
    }

    async fn power(&self, code: &CatalogueCode) -> Result<Option<Versioned<Power>>, StoreError> {
        self.one("powers", code, parse_power).await
    }

    async fn items(&self, filter: &ItemFilter) -> Result<Vec<ServiceItem>, StoreError> {
        let mut cond = Conditions::default();
        if let Some(text) = filter.text.as_deref().filter(|t| !t.trim().is_empty()) {
            cond.push("search_text", "LIKE", contains_pattern(text.trim()));
        }
        if let Some(power) = &filter.power {
            cond.push("power_code", "=", power.to_string());
        }
        if let Some(status) = filter.status {
            cond.push("status", "=", status.key().to_owned());
        }
        self.records("items", "items", cond, parse_item).await
    }

    async fn item(
        &self,
        code: &CatalogueCode,
    ) -> Result<Option<Versioned<ServiceItem>>, StoreError> {
        self.one("items", code, parse_item).await
    }

    async fn fees(&self) -> Result<Vec<FeeItem>, StoreError> {
        self.records("fees", "fees", Conditions::default(), parse_fee)
            .await
    }

    async fn fee(&self, code: &CatalogueCode) -> Result<Option<Versioned<FeeItem>>, StoreError> {
        self.one("fees", code, parse_fee).await
    }

    async fn write_catalogue(
        &self,
        batch: &CatalogueBatch,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let (_gate, mut tx) = self.begin_write("catalogue").await?;
        for w in &batch.orgs {
            let json = to_json(Org::FIELDS, w.record.fields());
            upsert(&mut tx, "orgs", w, w.record.code.as_str(), &[], json).await?;
        }
        for w in &batch.powers {
            let p = &w.record;
            let laws: Vec<&str> = p.legal_basis.iter().map(|b| b.law.as_str()).collect();
            let search = search_text(&[p.code.as_str(), &p.name_zh, &p.name_en, &laws.join(" ")]);
            let columns = [
                ("category", p.category.key().to_owned()),
                ("source", p.source.key().to_owned()),
                ("implementing_org", p.implementing_org.to_string()),
                ("search_text", search),
            ];
            let json = to_json(Power::FIELDS, p.fields());
            upsert(&mut tx, "powers", w, p.code.as_str(), &columns, json).await?;
        }
        for w in &batch.items {
            let i = &w.record;
            let search = search_text(&[i.code.as_str(), &i.name_zh, &i.name_en]);
            let columns = [
                ("power_code", i.power.to_string()),
                ("status", i.status.key().to_owned()),
                ("search_text", search),
            ];
            let json = to_json(ServiceItem::FIELDS, i.fields());
            upsert(&mut tx, "items", w, i.code.as_str(), &columns, json).await?;
        }
        for w in &batch.fees {
            let json = to_json(FeeItem::FIELDS, w.record.fields());
            upsert(&mut tx, "fees", w, w.record.code.as_str(), &[], json).await?;
        }
        crate::insert_audit(&mut tx, audit).await?;
        bump_counter(&mut tx, CATALOGUE_VERSION).await?;
        tx.commit().await.map_err(db_error("catalogue"))
    }

    async fn catalogue_audit(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, actor, action, detail FROM catalogue_audit ORDER BY id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_error("audit"))?;
        rows.iter()
            .map(|row| {
                let at: String = row.try_get(0).map_err(db_error("audit"))?;
                Ok(AuditEntry {
                    at: at.parse().map_err(|e: jiff::Error| StoreError::Corrupt {
                        what: "audit entry".into(),
                        detail: e.to_string(),
                    })?,
                    actor: row.try_get(1).map_err(db_error("audit"))?,
                    action: row.try_get(2).map_err(db_error("audit"))?,
                    detail: row.try_get(3).map_err(db_error("audit"))?,
                })
            })
            .collect()
    }
}

/// Inserts or replaces one record, checking the version the writer expected.
async fn upsert<T>(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    write: &Write<T>,
    code: &str,
    columns: &[(&str, String)],
    json: String,
) -> Result<(), StoreError> {
    let current: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT version FROM {table} WHERE code = $1"
    )))
    .bind(code.to_owned())
    .fetch_optional(&mut **tx)
    .await
    .map_err(db_error(table))?;
    if let Some(expected) = write.expected_version {
        let found = current.unwrap_or(0);
        if found != expected {
            return Err(StoreError::Conflict {
                what: format!("{table} {code}"),
                expected,
                found,
            });
        }
    }
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    let sql = match current {
        Some(_) => {
            let sets: Vec<String> = names
                .iter()
                .enumerate()
                .map(|(i, n)| format!("{n} = ${}", i + 3))
                .collect();
            let sets = if sets.is_empty() {
                String::new()
            } else {
                format!(", {}", sets.join(", "))
            };
            format!("UPDATE {table} SET record = $2, version = version + 1{sets} WHERE code = $1")
        }
        None => {
            let extra: String = names.iter().map(|n| format!(", {n}")).collect();
            let params: String = (0..names.len()).map(|i| format!(", ${}", i + 3)).collect();
            format!("INSERT INTO {table} (code, record, version{extra}) VALUES ($1, $2, 1{params})")
        }
    };
    let mut query = sqlx::query(AssertSqlSafe(sql))
        .bind(code.to_owned())
        .bind(json);
    for (_, value) in columns {
        query = query.bind(value.clone());
    }
    query.execute(&mut **tx).await.map_err(db_error(table))?;
    Ok(())
}
