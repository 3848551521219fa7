-- Units, submissions and their timelines: the first slice of the product.

CREATE TABLE units (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    unit_group TEXT NOT NULL,
    sort_order INTEGER NOT NULL
);

-- A typical district: the eight democratic parties' branches, then the other 界别.
INSERT INTO units (name, unit_group, sort_order) VALUES
    ('民革中原区支部',         '民主党派',         10),
    ('民盟中原区支部',         '民主党派',         20),
    ('民建中原区支部',         '民主党派',         30),
    ('民进中原区支部',         '民主党派',         40),
    ('农工党中原区支部',       '民主党派',         50),
    ('致公党中原区支部',       '民主党派',         60),
    ('九三学社中原区支部',     '民主党派',         70),
    ('台盟中原区支部',         '民主党派',         80),
    ('无党派人士',             '无党派人士',       90),
    ('中原区工商联',           '工商联',          100),
    ('中原区新的社会阶层人士联谊会', '新的社会阶层人士', 110);

CREATE TABLE submissions (
    -- The tracking code is derived from (year, id): JY-<year>-<id>.
    id              INTEGER PRIMARY KEY,
    year            INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('suggestion', 'research_report', 'public_opinion')),
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    unit_id         INTEGER NOT NULL REFERENCES units (id),
    name            TEXT NOT NULL,
    phone           TEXT NOT NULL,
    -- The capability that lets the submitter read their submission; random, shown once, kept so that a
    -- retried POST can be answered with the same receipt.
    secret          TEXT NOT NULL,
    -- The current status: always the status of the newest timeline entry, kept here for filtering.
    status          TEXT NOT NULL,
    submitted_at    TEXT NOT NULL,
    -- A client's retry key; the unique index makes concurrent retries store one row.
    idempotency_key TEXT UNIQUE,
    -- SHA-256 of the request, to tell a true retry from a reused key.
    request_digest  TEXT
);

CREATE INDEX submissions_by_unit ON submissions (unit_id);
CREATE INDEX submissions_by_status ON submissions (status);

CREATE TABLE submission_cosigners (
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    position      INTEGER NOT NULL,
    name          TEXT NOT NULL,
    PRIMARY KEY (submission_id, position)
);

CREATE TABLE submission_events (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    status        TEXT NOT NULL,
    at            TEXT NOT NULL,
    -- Shown to the submitter when public, to staff only otherwise.
    note          TEXT,
    public        INTEGER NOT NULL DEFAULT 1,
    -- Who did it: NULL for the submitter, a staff login otherwise.
    actor         TEXT
);

CREATE INDEX submission_events_by_submission ON submission_events (submission_id, id);
