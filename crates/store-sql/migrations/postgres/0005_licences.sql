-- The licence register (Administrative Licensing Law art. 40): one row per licence with its
-- recorded status (the last change's; expiry is read from valid_until), its status changes, one
-- serial counter per number series, and a word index for searching the register.
CREATE TABLE licence_series (
    series_key  TEXT PRIMARY KEY,
    last_serial BIGINT NOT NULL
);

CREATE TABLE licences (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number             TEXT NOT NULL UNIQUE,
    licence_type       TEXT NOT NULL,
    item_code          TEXT NOT NULL,
    holder_name        TEXT NOT NULL,
    holder_credit_code TEXT NOT NULL,
    production_address TEXT NOT NULL,
    scope              TEXT NOT NULL,
    issued_on          TEXT NOT NULL,
    valid_until        TEXT NOT NULL,
    issuing_org        TEXT NOT NULL,
    case_number        TEXT NOT NULL UNIQUE,
    recorded_status    TEXT NOT NULL,
    version            BIGINT NOT NULL,
    search_text        TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX licences_status ON licences (recorded_status, id);
CREATE INDEX licences_valid_until ON licences (valid_until);
CREATE INDEX licences_holder ON licences (holder_credit_code, id);
CREATE INDEX licences_org ON licences (issuing_org, id);

CREATE TABLE licence_events (
    licence_id BIGINT NOT NULL REFERENCES licences (id),
    seq        BIGINT NOT NULL,
    on_date    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    body       TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (licence_id, seq)
);

-- Posting lists: a term (a Chinese character or pair of characters, or a word of letters and
-- digits) and the licences holding it; searched by exact term or, for words, by prefix range
-- (byte order, hence COLLATE "C", so a prefix range holds exactly the words with that prefix).
CREATE TABLE licence_terms (
    term       TEXT COLLATE "C" NOT NULL,
    licence_id BIGINT NOT NULL REFERENCES licences (id),
    PRIMARY KEY (term, licence_id)
);
