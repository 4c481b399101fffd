-- The case flow: process definitions an administrator saved (the shipped ones are compiled in),
-- which definition each service item's cases follow, and when a case entered its current step
-- (the signatory's queue shows how long each case has waited).
CREATE TABLE process_definitions (
    code     TEXT NOT NULL,
    version  BIGINT NOT NULL,
    source   TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (code, version)
);

CREATE TABLE item_processes (
    item_code       TEXT PRIMARY KEY,
    definition_code TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

ALTER TABLE cases ADD COLUMN step_since TEXT;
CREATE INDEX cases_handling ON cases (handling_org, is_open, id);
CREATE INDEX cases_step ON cases (acting_org, step, id);
