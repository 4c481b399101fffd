-- Cases: an append-only, hash-chained event log per case, and a projection row per case that
-- queues and the deadline sweeper read. Booleans are 0/1 integers on both databases.
CREATE TABLE case_counters (
    year BIGINT PRIMARY KEY,
    next BIGINT NOT NULL
);

CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    number             TEXT NOT NULL UNIQUE,
    item_code          TEXT NOT NULL,
    definition_code    TEXT NOT NULL,
    definition_version BIGINT NOT NULL,
    handling_org       TEXT NOT NULL,
    applicant          TEXT NOT NULL,
    idempotency_key    TEXT UNIQUE,
    version            BIGINT NOT NULL,
    status             TEXT NOT NULL,
    step               TEXT,
    acting_org         TEXT NOT NULL,
    statutory_due      TEXT,
    promised_due       TEXT,
    due_provisional    BIGINT NOT NULL,
    clock_status       TEXT NOT NULL,
    is_open            BIGINT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX cases_queue ON cases (acting_org, is_open, id);
CREATE INDEX cases_applicant ON cases (applicant, id);
CREATE INDEX cases_open ON cases (is_open, id);

CREATE TABLE case_events (
    case_id   BIGINT NOT NULL REFERENCES cases (id),
    seq       BIGINT NOT NULL,
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    body      TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);
