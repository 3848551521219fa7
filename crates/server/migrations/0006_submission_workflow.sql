-- The staff desk: a submission's workflow beyond "submitted", the records kept beside its status, a
-- full-text index for searching Chinese text, and indexes for the list's sorts and filters.

-- Bumped by every change, so two staff editing one submission cannot overwrite each other unseen.
ALTER TABLE submissions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- When anything about it last changed (RFC 3339, China time); new rows set it to submitted_at.
ALTER TABLE submissions ADD COLUMN updated_at TEXT;
UPDATE submissions SET updated_at = submitted_at;
-- 承办单位 and 办理时限 (YYYY-MM-DD), once assigned.
ALTER TABLE submissions ADD COLUMN handler TEXT;
ALTER TABLE submissions ADD COLUMN due_on TEXT;
ALTER TABLE submissions ADD COLUMN outcome TEXT CHECK (outcome IN ('A', 'B', 'C', 'D'));
ALTER TABLE submissions ADD COLUMN flag_key INTEGER NOT NULL DEFAULT 0;
ALTER TABLE submissions ADD COLUMN flag_excellent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE submissions ADD COLUMN merged_into INTEGER REFERENCES submissions (id);

-- What a timeline entry records (api::desk::EntryKind), and for a merge the code merged into.
ALTER TABLE submission_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'status';
ALTER TABLE submission_events ADD COLUMN merged_into TEXT;

-- Each adoption its own dated record: one suggestion may be adopted at several levels.
CREATE TABLE adoptions (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    level         TEXT NOT NULL CHECK (level IN ('district', 'city', 'province', 'national')),
    body          TEXT NOT NULL,
    note          TEXT,
    on_date       TEXT NOT NULL,
    file          TEXT,
    created_at    TEXT NOT NULL,
    actor         TEXT
);
CREATE INDEX adoptions_by_submission ON adoptions (submission_id, id);

CREATE TABLE instructions (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    level         TEXT NOT NULL CHECK (level IN ('district', 'city', 'province', 'central')),
    leader        TEXT NOT NULL,
    note          TEXT,
    on_date       TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    actor         TEXT
);
CREATE INDEX instructions_by_submission ON instructions (submission_id, id);

-- One rating per reply: the reply's timeline entry is unique here.
CREATE TABLE ratings (
    id             INTEGER PRIMARY KEY,
    submission_id  INTEGER NOT NULL REFERENCES submissions (id),
    reply_event_id INTEGER NOT NULL UNIQUE REFERENCES submission_events (id),
    rating         TEXT NOT NULL CHECK (rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    comment        TEXT,
    at             TEXT NOT NULL
);
CREATE INDEX ratings_by_submission ON ratings (submission_id, id);

CREATE TABLE due_extensions (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    from_due      TEXT,
    to_due        TEXT NOT NULL,
    reason        TEXT NOT NULL,
    at            TEXT NOT NULL,
    actor         TEXT
);
CREATE INDEX due_extensions_by_submission ON due_extensions (submission_id, id);

-- Search in Chinese: the trigram tokenizer (SQLite >= 3.34) matches any substring of three characters
-- or more, with no word segmentation. External content: the text is kept once, in submissions.
-- Queries of one or two characters use LIKE on submissions instead.
CREATE VIRTUAL TABLE submissions_fts USING fts5 (
    title, body, content = 'submissions', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO submissions_fts (submissions_fts) VALUES ('rebuild');

CREATE TRIGGER submissions_fts_insert AFTER INSERT ON submissions BEGIN
    INSERT INTO submissions_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER submissions_fts_delete AFTER DELETE ON submissions BEGIN
    INSERT INTO submissions_fts (submissions_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER submissions_fts_update AFTER UPDATE OF title, body ON submissions BEGIN
    INSERT INTO submissions_fts (submissions_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO submissions_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;

-- The list: newest first is the primary key backwards; these serve the other orders and filters. The
-- (…, status) indexes let the counts per status under a filter be read from the index alone.
DROP INDEX submissions_by_unit;
CREATE INDEX submissions_by_unit ON submissions (unit_id, id DESC);
CREATE INDEX submissions_by_unit_status ON submissions (unit_id, status);
CREATE INDEX submissions_by_updated ON submissions (updated_at DESC, id DESC);
CREATE INDEX submissions_by_year ON submissions (year, status);
CREATE INDEX submissions_by_kind ON submissions (kind, status);
CREATE INDEX submissions_by_handler ON submissions (handler, status) WHERE handler IS NOT NULL;
CREATE INDEX submissions_by_due ON submissions (status, due_on) WHERE due_on IS NOT NULL;
CREATE INDEX submissions_flagged_key ON submissions (status) WHERE flag_key = 1;
CREATE INDEX submissions_flagged_excellent ON submissions (status) WHERE flag_excellent = 1;

-- The counts per status of the whole list, the desk's first view, kept by triggers rather than counted
-- on every request.
CREATE TABLE submission_status_counts (
    status TEXT PRIMARY KEY,
    count  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO submission_status_counts (status, count)
SELECT name, (SELECT COUNT(*) FROM submissions WHERE status = name)
FROM (SELECT 'submitted' AS name UNION ALL SELECT 'accepted' UNION ALL SELECT 'returned'
      UNION ALL SELECT 'declined' UNION ALL SELECT 'merged' UNION ALL SELECT 'assigned'
      UNION ALL SELECT 'in_progress' UNION ALL SELECT 'replied' UNION ALL SELECT 'closed');
CREATE TRIGGER submission_status_counts_insert AFTER INSERT ON submissions BEGIN
    UPDATE submission_status_counts SET count = count + 1 WHERE status = new.status;
END;
CREATE TRIGGER submission_status_counts_delete AFTER DELETE ON submissions BEGIN
    UPDATE submission_status_counts SET count = count - 1 WHERE status = old.status;
END;
CREATE TRIGGER submission_status_counts_update AFTER UPDATE OF status ON submissions
WHEN old.status <> new.status BEGIN
    UPDATE submission_status_counts SET count = count - 1 WHERE status = old.status;
    UPDATE submission_status_counts SET count = count + 1 WHERE status = new.status;
END;
