-- The catalogue, accounts and settings. Records are stored as JSON objects of their fields
-- (the same names as the catalogue file format) and parsed through the domain on every load;
-- the columns beside them exist only to filter and to order.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE orgs (
    code    TEXT PRIMARY KEY,
    record  TEXT NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE powers (
    code             TEXT PRIMARY KEY,
    category         TEXT NOT NULL,
    source           TEXT NOT NULL,
    implementing_org TEXT NOT NULL,
    search_text      TEXT NOT NULL,
    record           TEXT NOT NULL,
    version          BIGINT NOT NULL
);
CREATE INDEX powers_category ON powers (category);
CREATE INDEX powers_org ON powers (implementing_org);

CREATE TABLE items (
    code        TEXT PRIMARY KEY,
    power_code  TEXT NOT NULL,
    status      TEXT NOT NULL,
    search_text TEXT NOT NULL,
    record      TEXT NOT NULL,
    version     BIGINT NOT NULL
);
CREATE INDEX items_power ON items (power_code);

CREATE TABLE fees (
    code    TEXT PRIMARY KEY,
    record  TEXT NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE catalogue_audit (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    org_code      TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);
