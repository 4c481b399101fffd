-- Accounts: a user is staff (a role in an org) or an enterprise user (a registered enterprise's
-- credit code), enterprises themselves, and API tokens for systems. Existing users are staff.
CREATE TABLE enterprises (
    credit_code   TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    address       TEXT NOT NULL,
    contact_name  TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    registered_at TEXT NOT NULL
);
-- Name searches are prefix range scans on this index (binary collation: byte order).
CREATE INDEX enterprises_name ON enterprises (name);

-- SQLite cannot drop NOT NULL from role and org_code, so users is rebuilt. sessions refers to
-- users and foreign keys are on (they cannot be switched off inside the migration's
-- transaction), so sessions is rebuilt beside it against the new table; renaming users_new to
-- users then rewrites sessions' reference too (SQLite ≥ 3.26).
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    kind          TEXT NOT NULL,
    role          TEXT,
    org_code      TEXT,
    credit_code   TEXT REFERENCES enterprises (credit_code),
    created_at    TEXT NOT NULL,
    CHECK ((kind = 'staff' AND role IS NOT NULL AND org_code IS NOT NULL AND credit_code IS NULL)
        OR (kind = 'enterprise' AND role IS NULL AND org_code IS NULL AND credit_code IS NOT NULL))
);
INSERT INTO users_new (id, username, display_name, password_hash, kind, role, org_code, credit_code, created_at)
    SELECT id, username, display_name, password_hash, 'staff', role, org_code, NULL, created_at FROM users;

CREATE TABLE sessions_new (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users_new (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
INSERT INTO sessions_new (token_hash, user_id, csrf_token, expires_at)
    SELECT token_hash, user_id, csrf_token, expires_at FROM sessions;

DROP TABLE sessions;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX users_credit_code ON users (credit_code);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
