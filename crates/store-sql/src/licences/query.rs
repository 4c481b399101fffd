//! The register's query: the filters as SQL, and a text query driven from its rarest term's
//! postings (see [`super::search`]) with every part checked against the licence's search text.

use onewindow_domain::catalogue::Vocabulary;
use onewindow_domain::licences::{DateCondition, Licence};
use onewindow_store::{LicenceFilter, StoreError};
use sqlx::any::AnyArguments;
// Dynamic SQL here only splices this file's column lists and placeholders; values are bound.
use sqlx::AssertSqlSafe;

use super::search::{Term, contains_pattern, parse_query, prefix_end};
use super::{COLUMNS, add, placeholders};
use crate::{SqlStore, db_error};

/// How many postings are counted to find a query's rarest term; past this a term counts as
/// common, and another term (if any) drives the search.
const RARITY_CAP: i64 = 20_000;
/// How many of a query's terms are weighed for rarity.
const MAX_WEIGHED_TERMS: usize = 8;

impl SqlStore {
    /// Licences matching the filter, newest first, with the total count.
    pub(super) async fn search_licences(
        &self,
        filter: &LicenceFilter,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<Licence>, u64), StoreError> {
        let mut c = filter_conditions(filter);
        if let Some(text) = &filter.text {
            let query = parse_query(text);
            // Nothing to search by (only punctuation), or a term no licence holds: no match.
            let Some(driver) = self.rarest(&query.terms).await? else {
                return Ok((Vec::new(), 0));
            };
            c.push(
                |n| {
                    format!(
                        "id IN (SELECT licence_id FROM licence_terms WHERE {})",
                        term_condition(&driver, n)
                    )
                },
                term_values(&driver),
            );
            for part in &query.parts {
                c.push(
                    |n| format!("search_text LIKE ${n} ESCAPE '\\'"),
                    vec![contains_pattern(part)],
                );
            }
        }
        let where_sql = c.where_clause();
        let total: i64 = sqlx::query_scalar_with(
            AssertSqlSafe(format!("SELECT COUNT(*) FROM licences{where_sql}")),
            c.args(),
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db_error("licences"))?;
        let sql = format!(
            "SELECT {COLUMNS} FROM licences{where_sql} ORDER BY id DESC LIMIT {limit} OFFSET {offset}"
        );
        let rows = sqlx::query_with(AssertSqlSafe(sql), c.args())
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("licences"))?;
        Ok((
            self.with_events(&rows).await?,
            u64::try_from(total).unwrap_or(0),
        ))
    }

    /// The query's term with the fewest postings (counted up to [`RARITY_CAP`]), or `None` when
    /// some term has none at all (nothing can match).
    async fn rarest(&self, terms: &[Term]) -> Result<Option<Term>, StoreError> {
        let mut best: Option<(i64, &Term)> = None;
        for term in terms.iter().take(MAX_WEIGHED_TERMS) {
            let mut args = AnyArguments::default();
            for value in term_values(term) {
                add(&mut args, value);
            }
            let sql = format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM licence_terms WHERE {} LIMIT {RARITY_CAP}) t",
                term_condition(term, 1)
            );
            let count: i64 = sqlx::query_scalar_with(AssertSqlSafe(sql), args)
                .fetch_one(&self.pool)
                .await
                .map_err(db_error("licence search"))?;
            if count == 0 {
                return Ok(None);
            }
            if best.is_none_or(|(n, _)| count < n) {
                best = Some((count, term));
            }
        }
        Ok(best.map(|(_, t)| t.clone()))
    }
}

/// `term = $n`, or `term >= $n AND term < $n+1` for a prefix.
fn term_condition(term: &Term, n: usize) -> String {
    match term {
        Term::Exact(_) => format!("term = ${n}"),
        Term::Prefix(_) => format!("term >= ${n} AND term < ${}", n + 1),
    }
}

/// The values [`term_condition`]'s placeholders take.
fn term_values(term: &Term) -> Vec<String> {
    match term {
        Term::Exact(t) => vec![t.clone()],
        Term::Prefix(p) => vec![p.clone(), prefix_end(p)],
    }
}

/// A `WHERE` clause and its values, rebuilt for the count and the page.
#[derive(Default)]
struct Conditions {
    sql: Vec<String>,
    values: Vec<String>,
}

impl Conditions {
    fn push(&mut self, sql_with_placeholders: impl Fn(usize) -> String, values: Vec<String>) {
        let n = self.values.len() + 1;
        self.sql.push(sql_with_placeholders(n));
        self.values.extend(values);
    }

    fn where_clause(&self) -> String {
        if self.sql.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.sql.join(" AND "))
        }
    }

    fn args(&self) -> AnyArguments {
        let mut args = AnyArguments::default();
        for v in &self.values {
            add(&mut args, v.clone());
        }
        args
    }
}

fn filter_conditions(filter: &LicenceFilter) -> Conditions {
    let mut c = Conditions::default();
    if let Some((status, day)) = filter.status_on {
        let stored = status.stored_as();
        let keys: Vec<String> = stored.recorded.iter().map(|s| s.key().to_owned()).collect();
        let count = keys.len();
        c.push(
            |n| format!("recorded_status IN ({})", placeholders(n, count).join(", ")),
            keys,
        );
        let day = day.to_string();
        match stored.dates {
            DateCondition::Any => {}
            DateCondition::InForce => c.push(
                |n| format!("issued_on <= ${n} AND valid_until >= ${}", n + 1),
                vec![day.clone(), day],
            ),
            DateCondition::Expired => c.push(|n| format!("valid_until < ${n}"), vec![day]),
            DateCondition::NotYetValid => c.push(|n| format!("issued_on > ${n}"), vec![day]),
        }
    }
    if let Some(code) = &filter.holder_credit_code {
        c.push(
            |n| format!("holder_credit_code = ${n}"),
            vec![code.to_string()],
        );
    }
    if let Some(org) = &filter.issuing_org {
        c.push(|n| format!("issuing_org = ${n}"), vec![org.to_string()]);
    }
    c
}
