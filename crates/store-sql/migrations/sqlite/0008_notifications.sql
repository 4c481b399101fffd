-- Notifications (issue 3): one row per (case, event, recipient), made exactly once however many
-- instances derive it (the unique key; writers insert-or-ignore), read in each person's inbox.
-- E-mail copies wait in an outbox that any instance drains, claiming a message by its version
-- and a lease (`not_before`, unix seconds) so two instances never both send it.
ALTER TABLE users ADD COLUMN email TEXT;
CREATE INDEX users_org ON users (org_code);
-- Closed cases by their last change, for the sweeper's notification catch-up; partial, so an
-- append to an open case does not touch it.
CREATE INDEX cases_closed_changed ON cases (updated_at) WHERE is_open = 0;

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    case_number TEXT NOT NULL,
    event_seq   BIGINT NOT NULL,
    recipient   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    text_zh     TEXT NOT NULL,
    text_en     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    read_at     TEXT,
    UNIQUE (case_id, event_seq, recipient)
);
CREATE INDEX notifications_inbox ON notifications (recipient, id);
CREATE INDEX notifications_unread ON notifications (recipient) WHERE read_at IS NULL;

CREATE TABLE mail_outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    event_seq   BIGINT NOT NULL,
    recipient   TEXT NOT NULL,
    to_address  TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    state       TEXT NOT NULL,
    version     BIGINT NOT NULL,
    not_before  BIGINT NOT NULL,
    attempts    BIGINT NOT NULL,
    sent_at     TEXT,
    last_error  TEXT,
    UNIQUE (case_id, event_seq, recipient)
);
CREATE INDEX mail_outbox_due ON mail_outbox (not_before, id) WHERE state = 'pending';
