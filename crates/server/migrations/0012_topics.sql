-- 党委出题、党派调研 (issue 11): topics the department poses, their published versions, the units they are
-- for, units' claims, units' own proposals (自主选题), and research results (submissions) linked and graded.

-- A unit's own topic proposal; approval makes it a topic for that unit (topic_id).
CREATE TABLE topic_proposals (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    -- The 联络员 who sent it.
    member_id   INTEGER NOT NULL REFERENCES members (id),
    title       TEXT NOT NULL,
    background  TEXT NOT NULL,
    plan        TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'declined')),
    reason      TEXT,
    topic_id    INTEGER REFERENCES topics (id),
    decided_by  INTEGER REFERENCES staff (id),
    decided_at  TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX topic_proposals_by_unit ON topic_proposals (unit_id, id DESC);

CREATE TABLE topics (
    id               INTEGER PRIMARY KEY,
    year             INTEGER NOT NULL,
    title            TEXT NOT NULL,
    background       TEXT NOT NULL,
    questions        TEXT NOT NULL,
    issuer           TEXT NOT NULL CHECK (issuer IN ('district_committee', 'district_government',
                                                     'united_front', 'other')),
    category         TEXT NOT NULL,
    -- YYYY-MM-DD: due by the end of that day, China time.
    deadline         TEXT NOT NULL,
    -- 1: for every unit, those added later too; 0: for the units in topic_units.
    all_units        INTEGER NOT NULL DEFAULT 0 CHECK (all_units IN (0, 1)),
    state            TEXT NOT NULL DEFAULT 'draft'
                     CHECK (state IN ('draft', 'published', 'closed', 'withdrawn')),
    -- 0 while a draft; the number of the latest row in topic_versions once published.
    version          INTEGER NOT NULL DEFAULT 0,
    origin           TEXT NOT NULL DEFAULT 'department' CHECK (origin IN ('department', 'proposal')),
    proposal_id      INTEGER REFERENCES topic_proposals (id),
    withdrawn_reason TEXT,
    created_by       INTEGER REFERENCES staff (id),
    created_at       TEXT NOT NULL,
    published_at     TEXT,
    updated_at       TEXT NOT NULL
);
CREATE INDEX topics_by_year ON topics (year, id DESC);

-- The chosen target units of a topic that is not for all.
CREATE TABLE topic_units (
    topic_id INTEGER NOT NULL REFERENCES topics (id),
    unit_id  INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (topic_id, unit_id)
) WITHOUT ROWID;

-- A snapshot per publication and per edit after it: the SaveTopic as JSON, and the changed fields.
CREATE TABLE topic_versions (
    topic_id INTEGER NOT NULL REFERENCES topics (id),
    version  INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    changes  TEXT NOT NULL DEFAULT '[]',
    staff_id INTEGER REFERENCES staff (id),
    at       TEXT NOT NULL,
    PRIMARY KEY (topic_id, version)
) WITHOUT ROWID;

-- A unit's claim of a topic, by its 联络员 (member_id) or by staff (staff_id); a claim given back keeps
-- its row with given_back_at, and the unit may claim again.
CREATE TABLE topic_claims (
    id             INTEGER PRIMARY KEY,
    topic_id       INTEGER NOT NULL REFERENCES topics (id),
    unit_id        INTEGER NOT NULL REFERENCES units (id),
    member_id      INTEGER REFERENCES members (id),
    staff_id       INTEGER REFERENCES staff (id),
    claimed_at     TEXT NOT NULL,
    -- 调研中: when the unit marked its research started.
    researching_at TEXT,
    given_back_at  TEXT,
    CHECK ((member_id IS NULL) <> (staff_id IS NULL))
);
CREATE UNIQUE INDEX topic_claims_held ON topic_claims (topic_id, unit_id) WHERE given_back_at IS NULL;

-- A research result answers a topic; staff grade it.
ALTER TABLE submissions ADD COLUMN topic_id INTEGER REFERENCES topics (id);
ALTER TABLE submissions ADD COLUMN summary TEXT;
ALTER TABLE submissions ADD COLUMN grade TEXT CHECK (grade IN ('excellent', 'good', 'fair'));
ALTER TABLE submissions ADD COLUMN grade_comment TEXT;
ALTER TABLE submissions ADD COLUMN graded_by INTEGER REFERENCES staff (id);
ALTER TABLE submissions ADD COLUMN graded_at TEXT;
-- Partial: the desk's list and its benchmark, over submissions that answer no topic, do not pay for it.
CREATE INDEX submissions_by_topic ON submissions (topic_id, unit_id, id) WHERE topic_id IS NOT NULL;
