-- Accounts: a user is staff (a role in an org) or an enterprise user (a registered enterprise's
-- credit code), enterprises themselves, and API tokens for systems. Existing users are staff.
-- Code and name use the "C" collation (byte order, like SQLite's), so prefix searches are
-- index range scans whatever the database's locale.
CREATE TABLE enterprises (
    credit_code   TEXT COLLATE "C" PRIMARY KEY,
    name          TEXT COLLATE "C" NOT NULL,
    address       TEXT NOT NULL,
    contact_name  TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    registered_at TEXT NOT NULL
);
CREATE INDEX enterprises_name ON enterprises (name);

ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'staff';
ALTER TABLE users ALTER COLUMN kind DROP DEFAULT;
ALTER TABLE users ALTER COLUMN role DROP NOT NULL;
ALTER TABLE users ALTER COLUMN org_code DROP NOT NULL;
ALTER TABLE users ADD COLUMN credit_code TEXT COLLATE "C" REFERENCES enterprises (credit_code);
ALTER TABLE users ADD CONSTRAINT users_membership CHECK (
    (kind = 'staff' AND role IS NOT NULL AND org_code IS NOT NULL AND credit_code IS NULL)
    OR (kind = 'enterprise' AND role IS NULL AND org_code IS NULL AND credit_code IS NOT NULL)
);
CREATE INDEX users_credit_code ON users (credit_code);

CREATE TABLE api_tokens (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
