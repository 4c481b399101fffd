//! The documents tables: signing keys (one current, enforced by a unique `is_current`), the
//! document register with its number series, and template versions. On SQLite the reads every
//! issued document makes (the register by key, the signing keys, the templates' revision) and
//! the register's lookups run directly on the caller's thread (crate::native).

use async_trait::async_trait;
use jiff::Timestamp;
use onewindow_store::{
    AuditEntry, ContentHash, DocumentRecord, DocumentStore, NewDocument, Recorded,
    SigningKeyRecord, StoreError, TemplateVersion,
};
use sqlx::any::AnyRow;
// Dynamic SQL here only splices this file's own column list; values are bound.
use sqlx::{AssertSqlSafe, Row};

use crate::case_writes::{CaseWrite, Written, unexpected_answer};
use crate::cells::{Cells, Value, bind_all, optional, required};
use crate::{SqlStore, db_error, insert_audit};

const DOCUMENT_COLUMNS: &str = "id, kind, number, case_number, licence_number, holder_name, \
    holder_credit_code, content_hash, data_json, payload, key_id, idempotency_key, created_at";

fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what: what.into(),
        detail: detail.to_string(),
    }
}

fn timestamp(what: &str, text: &str) -> Result<Timestamp, StoreError> {
    text.parse().map_err(|e| corrupt(what, e))
}

fn key_from_row(row: &impl Cells) -> Result<SigningKeyRecord, StoreError> {
    let s = |i: usize| required(row.text(i), "signing key", i);
    let retired = optional(row.text(2), "signing key")?;
    Ok(SigningKeyRecord {
        key_id: s(0)?,
        created_at: timestamp("signing key", &s(1)?)?,
        retired_at: retired.map(|t| timestamp("signing key", &t)).transpose()?,
        public_jwk: s(3)?,
        private_key: s(4)?,
    })
}

fn document_from_row(row: &impl Cells) -> Result<DocumentRecord, StoreError> {
    let s = |i: usize| required(row.text(i), "document", i);
    let o = |i: usize| optional(row.text(i), "document");
    let hash = s(7)?;
    Ok(DocumentRecord {
        id: required(row.int(0), "document", 0)?,
        document: NewDocument {
            kind: s(1)?,
            number: s(2)?,
            case_number: o(3)?,
            licence_number: o(4)?,
            holder_name: s(5)?,
            holder_credit_code: s(6)?,
            content_hash: ContentHash::parse(&hash)
                .ok_or_else(|| corrupt("document", format!("content hash {hash}")))?,
            data_json: s(8)?,
            payload: s(9)?,
            key_id: s(10)?,
            idempotency_key: s(11)?,
            created_at: timestamp("document", &s(12)?)?,
        },
    })
}

fn template_from_row(row: &AnyRow) -> Result<TemplateVersion, StoreError> {
    let s = |i: usize| row.try_get::<String, _>(i).map_err(db_error("template"));
    Ok(TemplateVersion {
        template: s(0)?,
        version: row.try_get(1).map_err(db_error("template"))?,
        source: s(2)?,
        saved_by: s(3)?,
        saved_at: timestamp("template", &s(4)?)?,
    })
}

impl SqlStore {
    async fn documents_where(
        &self,
        condition: &str,
        value: &str,
    ) -> Result<Vec<DocumentRecord>, StoreError> {
        let sql = format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE {condition} ORDER BY id");
        if let Some(native) = &self.native {
            return native.rows(&sql, &[value], "documents", |row| document_from_row(row));
        }
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(value.to_owned())
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("documents"))?;
        rows.iter().map(document_from_row).collect()
    }

    async fn insert_document(&self, d: &NewDocument) -> Result<DocumentRecord, StoreError> {
        let id = match &self.case_writer {
            // Shares the case writer's commit (ADR 0003): one sync for the batch instead of
            // one per register entry.
            Some(writer) => match writer
                .submit(CaseWrite::Document(Box::new(d.clone())))
                .await?
            {
                Written::Document(id) => id,
                other => return Err(unexpected_answer("a document", &other)),
            },
            None => {
                // In turn with the case writer (ADR 0003), not polling the file lock beside it.
                let _gate = self.pass_write_gate().await;
                let mut conn = self.pool.acquire().await.map_err(db_error("document"))?;
                insert_document_row(&mut conn, d).await?
            }
        };
        Ok(DocumentRecord {
            id,
            document: d.clone(),
        })
    }
}

/// Draws the next serial of a document number series (`$1` series, `$2` year).
pub(crate) const NEXT_DOCUMENT_SERIAL: &str = "INSERT INTO document_counters (series, year, next) VALUES ($1, $2, 1) \
     ON CONFLICT (series, year) DO UPDATE SET next = document_counters.next + 1 RETURNING next";

/// Inserts one register entry; the values of [`document_values`].
pub(crate) const INSERT_DOCUMENT: &str = "INSERT INTO documents (kind, number, case_number, licence_number, holder_name, \
     holder_credit_code, content_hash, data_json, payload, key_id, idempotency_key, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";

/// Draws the next serial of a series on `conn` (the pool's, or a transaction's).
pub(crate) async fn next_document_serial_on(
    conn: &mut sqlx::AnyConnection,
    series: &str,
    year: i32,
) -> Result<i64, StoreError> {
    sqlx::query_scalar(NEXT_DOCUMENT_SERIAL)
        .bind(series.to_owned())
        .bind(i64::from(year))
        .fetch_one(&mut *conn)
        .await
        .map_err(db_error("document number"))
}

/// The values of [`INSERT_DOCUMENT`], in its order (both drivers bind these).
pub(crate) fn document_values(d: &NewDocument) -> Vec<Value> {
    vec![
        d.kind.clone().into(),
        d.number.clone().into(),
        d.case_number.clone().into(),
        d.licence_number.clone().into(),
        d.holder_name.clone().into(),
        d.holder_credit_code.clone().into(),
        d.content_hash.to_string().into(),
        d.data_json.clone().into(),
        d.payload.clone().into(),
        d.key_id.clone().into(),
        d.idempotency_key.clone().into(),
        d.created_at.to_string().into(),
    ]
}

/// Inserts one register entry on `conn` (the pool's, or a transaction's); its id.
pub(crate) async fn insert_document_row(
    conn: &mut sqlx::AnyConnection,
    d: &NewDocument,
) -> Result<i64, StoreError> {
    bind_all(sqlx::query(INSERT_DOCUMENT), document_values(d))
        .fetch_one(&mut *conn)
        .await
        .and_then(|row| row.try_get(0))
        .map_err(db_error(&format!("document {}", d.number)))
}

#[async_trait]
impl DocumentStore for SqlStore {
    async fn signing_keys(&self) -> Result<Vec<SigningKeyRecord>, StoreError> {
        const KEYS: &str = "SELECT key_id, created_at, retired_at, public_jwk, private_key \
             FROM signing_keys ORDER BY id";
        if let Some(native) = &self.native {
            return native.rows(KEYS, &[], "signing keys", |row| key_from_row(row));
        }
        let rows = sqlx::query(KEYS)
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("signing keys"))?;
        rows.iter().map(key_from_row).collect()
    }

    async fn add_first_signing_key(&self, key: &SigningKeyRecord) -> Result<(), StoreError> {
        let _gate = self.pass_write_gate().await;
        sqlx::query(
            "INSERT INTO signing_keys (key_id, created_at, retired_at, is_current, public_jwk, private_key) \
             VALUES ($1, $2, NULL, 1, $3, $4)",
        )
        .bind(key.key_id.clone())
        .bind(key.created_at.to_string())
        .bind(key.public_jwk.clone())
        .bind(key.private_key.clone())
        .execute(&self.pool)
        .await
        .map_err(db_error("the current signing key"))?;
        Ok(())
    }

    async fn rotate_signing_key(
        &self,
        key: &SigningKeyRecord,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let (_gate, mut tx) = self.begin_write("signing key").await?;
        sqlx::query(
            "UPDATE signing_keys SET is_current = NULL, retired_at = $1 WHERE is_current = 1",
        )
        .bind(key.created_at.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_error("signing key"))?;
        sqlx::query(
            "INSERT INTO signing_keys (key_id, created_at, retired_at, is_current, public_jwk, private_key) \
             VALUES ($1, $2, NULL, 1, $3, $4)",
        )
        .bind(key.key_id.clone())
        .bind(key.created_at.to_string())
        .bind(key.public_jwk.clone())
        .bind(key.private_key.clone())
        .execute(&mut *tx)
        .await
        .map_err(db_error("the current signing key"))?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error("signing key"))
    }

    async fn next_document_serial(&self, series: &str, year: i32) -> Result<i64, StoreError> {
        if let Some(writer) = &self.case_writer {
            // Shares the case writer's commit, as the register entry does.
            let write = CaseWrite::DocumentSerial {
                series: series.to_owned(),
                year,
            };
            return match writer.submit(write).await? {
                Written::Serial(serial) => Ok(serial),
                other => Err(unexpected_answer("a document serial", &other)),
            };
        }
        let _gate = self.pass_write_gate().await;
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(db_error("document number"))?;
        next_document_serial_on(&mut conn, series, year).await
    }

    async fn record_document(&self, document: &NewDocument) -> Result<Recorded, StoreError> {
        let earlier = |record: DocumentRecord| Recorded {
            record,
            existing: true,
        };
        if let Some(record) = self
            .document_by_idempotency_key(&document.idempotency_key)
            .await?
        {
            return Ok(earlier(record));
        }
        match self.insert_document(document).await {
            Ok(record) => Ok(Recorded {
                record,
                existing: false,
            }),
            // Two retries of one event raced: the loser finds the winner's document. A taken
            // number with a fresh key stays a duplicate.
            Err(StoreError::Duplicate(what)) => self
                .document_by_idempotency_key(&document.idempotency_key)
                .await?
                .map(earlier)
                .ok_or(StoreError::Duplicate(what)),
            Err(other) => Err(other),
        }
    }

    async fn document(&self, number: &str) -> Result<Option<DocumentRecord>, StoreError> {
        Ok(self.documents_where("number = $1", number).await?.pop())
    }

    async fn document_by_idempotency_key(
        &self,
        key: &str,
    ) -> Result<Option<DocumentRecord>, StoreError> {
        Ok(self
            .documents_where("idempotency_key = $1", key)
            .await?
            .pop())
    }

    async fn documents_for_case(
        &self,
        case_number: &str,
    ) -> Result<Vec<DocumentRecord>, StoreError> {
        self.documents_where("case_number = $1", case_number).await
    }

    async fn documents_for_licence(
        &self,
        licence_number: &str,
    ) -> Result<Vec<DocumentRecord>, StoreError> {
        self.documents_where("licence_number = $1", licence_number)
            .await
    }

    async fn documents_for_licences(
        &self,
        licence_numbers: &[String],
    ) -> Result<Vec<DocumentRecord>, StoreError> {
        if licence_numbers.is_empty() {
            return Ok(Vec::new());
        }
        let places: Vec<String> = (1..=licence_numbers.len())
            .map(|n| format!("${n}"))
            .collect();
        // One range of the index `documents_licence` per number; a page holds a few dozen.
        let sql = format!(
            "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE licence_number IN ({}) ORDER BY id",
            places.join(", ")
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for number in licence_numbers {
            query = query.bind(number.clone());
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .map_err(db_error("documents"))?;
        rows.iter().map(document_from_row).collect()
    }

    async fn save_template(
        &self,
        template: &str,
        source: &str,
        saved_by: &str,
        saved_at: Timestamp,
        audit: &AuditEntry,
    ) -> Result<i64, StoreError> {
        let (_gate, mut tx) = self.begin_write("template").await?;
        // Two saves at once compute the same version; the unique (template, version) lets one
        // win and the other fail as a duplicate instead of silently overwriting.
        let version: i64 = sqlx::query_scalar(
            "INSERT INTO document_templates (template, version, source, saved_by, saved_at) \
             SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4 FROM document_templates \
             WHERE template = $1 RETURNING version",
        )
        .bind(template.to_owned())
        .bind(source.to_owned())
        .bind(saved_by.to_owned())
        .bind(saved_at.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error(&format!("a new version of template {template}")))?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await.map_err(db_error("template"))?;
        Ok(version)
    }

    async fn template_versions(&self, template: &str) -> Result<Vec<TemplateVersion>, StoreError> {
        let rows = sqlx::query(
            "SELECT template, version, source, saved_by, saved_at FROM document_templates \
             WHERE template = $1 ORDER BY version DESC",
        )
        .bind(template.to_owned())
        .fetch_all(&self.pool)
        .await
        .map_err(db_error("templates"))?;
        rows.iter().map(template_from_row).collect()
    }

    async fn latest_templates(&self) -> Result<Vec<TemplateVersion>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.template, t.version, t.source, t.saved_by, t.saved_at FROM document_templates t \
             WHERE t.version = (SELECT MAX(version) FROM document_templates l WHERE l.template = t.template) \
             ORDER BY t.template",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_error("templates"))?;
        rows.iter().map(template_from_row).collect()
    }

    async fn templates_revision(&self) -> Result<i64, StoreError> {
        const REVISION: &str = "SELECT MAX(id) FROM document_templates";
        if let Some(native) = &self.native {
            let max = native.rows(REVISION, &[], "templates", |row| {
                optional(row.int(0), "templates")
            })?;
            return Ok(max.into_iter().flatten().next().unwrap_or(0));
        }
        let max: Option<i64> = sqlx::query_scalar(REVISION)
            .fetch_one(&self.pool)
            .await
            .map_err(db_error("templates"))?;
        Ok(max.unwrap_or(0))
    }
}
