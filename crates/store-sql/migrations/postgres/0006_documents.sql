-- Documents (issue 5): the keys that sign them, the register of issued documents (the PDF bytes
-- live in the file store under content_hash), the number series, and the template versions an
-- administrator saved. Booleans are 0/1 integers on both databases.

-- Ed25519 signing keys. is_current is 1 for the one key that signs now and NULL for retired keys:
-- the unique constraint (NULLs never collide) lets two instances starting at once add only one
-- first key, and two rotations at once retire only one (docs/adr/0002-document-signatures.md).
CREATE TABLE signing_keys (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_id      TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    retired_at  TEXT,
    is_current  BIGINT UNIQUE CHECK (is_current = 1),
    public_jwk  TEXT NOT NULL,
    private_key TEXT NOT NULL
);

CREATE TABLE document_counters (
    series TEXT NOT NULL,
    year   BIGINT NOT NULL,
    next   BIGINT NOT NULL,
    PRIMARY KEY (series, year)
);

CREATE TABLE documents (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind               TEXT NOT NULL,
    number             TEXT NOT NULL UNIQUE,
    case_number        TEXT,
    licence_number     TEXT,
    holder_name        TEXT NOT NULL,
    holder_credit_code TEXT NOT NULL,
    content_hash       TEXT NOT NULL,
    data_json          TEXT NOT NULL,
    payload            TEXT NOT NULL,
    key_id             TEXT NOT NULL REFERENCES signing_keys (key_id),
    idempotency_key    TEXT NOT NULL UNIQUE,
    created_at         TEXT NOT NULL
);
CREATE INDEX documents_case ON documents (case_number, id);
CREATE INDEX documents_licence ON documents (licence_number, id);

-- Every saved version of a template (by template name: the licence original and copy share
-- `licence`); the newest is in use, the shipped one when none was saved.
CREATE TABLE document_templates (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    template TEXT NOT NULL,
    version  BIGINT NOT NULL,
    source   TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    UNIQUE (template, version)
);
