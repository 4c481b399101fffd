//! The register's query: the filters as SQL, and a text query driven from its rarest term's
//! postings (see [`super::search`]) with every part checked against the licence's search text.

use onewindow_domain::catalogue::Vocabulary;
use onewindow_domain::licences::{DateCondition, Licence};
use onewindow_store::{COUNT_LIMIT, LicenceFilter, LicenceTotal, StoreError};
use sqlx::any::AnyArguments;
// Dynamic SQL here only splices this file's column lists and placeholders; values are bound.
use sqlx::AssertSqlSafe;

use super::search::{Term, contains_pattern, parse_query, prefix_end};
use super::{COLUMNS, add, placeholders};
use crate::{SqlStore, db_error};

/// How many postings are counted to find a query's rarest term; past this a term counts as
/// common, and another term (if any) drives the search.
const RARITY_CAP: i64 = 2_000;
/// How many of a query's terms are weighed for rarity.
const MAX_WEIGHED_TERMS: usize = 8;

impl SqlStore {
    /// Licences matching the filter, newest first, counted up to [`COUNT_LIMIT`].
    pub(super) async fn search_licences(
        &self,
        filter: &LicenceFilter,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<Licence>, LicenceTotal), StoreError> {
        self.search_counting_to(filter, offset, limit, COUNT_LIMIT)
            .await
    }

    /// The search with the count stopped past `cap`. A text search is driven from its rarest
    /// term: an exact term's postings are read in licence order straight off the index (so the
    /// first page of a common term is as quick as a rare one's), a word prefix's through a
    /// subquery; the licence's text is read only when the term alone does not decide.
    pub(super) async fn search_counting_to(
        &self,
        filter: &LicenceFilter,
        offset: u32,
        limit: u32,
        cap: u64,
    ) -> Result<(Vec<Licence>, LicenceTotal), StoreError> {
        let mut c = Conditions::default();
        let mut from = "licences";
        let mut order = "id DESC";
        if let Some(text) = &filter.text {
            let query = parse_query(text);
            // Nothing to search by (only punctuation), or a term no licence holds: no match.
            let Some(driver) = self.rarest(&query.terms).await? else {
                return Ok((
                    Vec::new(),
                    LicenceTotal {
                        count: 0,
                        exact: true,
                    },
                ));
            };
            match &driver {
                Term::Exact(t) => {
                    from = "licence_terms t JOIN licences ON licences.id = t.licence_id";
                    order = "t.licence_id DESC";
                    c.push(|n| format!("t.term = ${n}"), vec![t.clone()]);
                }
                Term::Prefix(_) => c.push(
                    |n| {
                        format!(
                            "id IN (SELECT licence_id FROM licence_terms WHERE {})",
                            term_condition(&driver, n)
                        )
                    },
                    term_values(&driver),
                ),
            }
            if !query.decided_by_term() {
                for part in &query.parts {
                    c.push(
                        |n| format!("search_text LIKE ${n} ESCAPE '\\'"),
                        vec![contains_pattern(part)],
                    );
                }
            }
        }
        filter_conditions(filter, &mut c);
        let where_sql = c.where_clause();
        let counted: i64 = sqlx::query_scalar_with(
            AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM {from}{where_sql} LIMIT {}) m",
                cap.saturating_add(1)
            )),
            c.args(),
        )
        .fetch_one(&self.pool)
        .await
        .map_err(db_error("licences"))?;
        let counted = u64::try_from(counted).unwrap_or(0);
        let sql = format!(
            "SELECT {COLUMNS} FROM {from}{where_sql} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
        );
        let rows = sqlx::query_with(AssertSqlSafe(sql), c.args())
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("licences"))?;
        let total = LicenceTotal {
            count: counted.min(cap),
            exact: counted <= cap,
        };
        Ok((self.with_events(&rows).await?, total))
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

/// The filters other than the text, on the licence's columns.
fn filter_conditions(filter: &LicenceFilter, c: &mut Conditions) {
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
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;
    use onewindow_domain::catalogue::{CatalogueCode, OrgCode};
    use onewindow_domain::identifiers::{CreditCode, LicenceFormat};
    use onewindow_domain::licences::{LicenceGrant, LicenceNumbering, LicenceType};
    use onewindow_store::{AuditEntry, LicenceFilter, LicenceStore, NewLicence};

    use crate::SqlStore;

    #[tokio::test]
    async fn past_the_cap_the_total_says_more_and_pages_still_come() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("ow.db").display());
        let store = SqlStore::connect(&url, 2).await.expect("connect");
        let at = Timestamp::from_second(1_780_000_000).expect("valid");
        for i in 0..3 {
            let new = NewLicence {
                numbering: LicenceNumbering::IndustrialProduct(
                    LicenceFormat::new(13, 6).expect("valid"),
                ),
                grant: LicenceGrant {
                    licence_type: LicenceType::IndustrialProduct,
                    item_code: CatalogueCode::parse("BJ-001").expect("a code"),
                    holder_name: format!("大连第{i}泵厂"),
                    holder_credit_code: CreditCode::complete("9121020000000001").expect("a stem"),
                    production_address: "大连".into(),
                    scope: vec!["泵".into()],
                    issued_on: "2026-01-01".parse().expect("a date"),
                    valid_until: "2030-12-31".parse().expect("a date"),
                    issuing_org: OrgCode::parse("210200").expect("an org"),
                    case_number: format!("C-{i}"),
                },
                issued_at: at,
            };
            let audit = AuditEntry {
                at,
                actor: "test".into(),
                action: "issue_licence".into(),
                detail: String::new(),
            };
            store.issue_licence(&new, &audit).await.expect("issue");
        }
        for text in ["泵", "泵厂", "xk13", "大连 泵"] {
            let filter = LicenceFilter {
                text: Some(text.into()),
                ..Default::default()
            };
            let (page, total) = store
                .search_counting_to(&filter, 0, 10, 2)
                .await
                .expect("search");
            assert_eq!((total.count, total.exact), (2, false), "{text}");
            assert_eq!(page.len(), 3, "{text}: the page is not cut by the count");
            assert_eq!(page[0].grant.case_number, "C-2", "{text}: newest first");
            let (_, total) = store
                .search_counting_to(&filter, 0, 10, 3)
                .await
                .expect("search");
            assert_eq!((total.count, total.exact), (3, true), "{text}");
        }
        store.close().await;
    }
}
