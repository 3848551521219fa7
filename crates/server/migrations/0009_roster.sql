-- Units the department keeps itself, and its roster of members (issue 10). Attachments are 0008, the
-- bigram search index 0007; invitations and device sessions follow in 0010.

-- A retired unit keeps its old records and leaves the forms; NULL while it is in use.
ALTER TABLE units ADD COLUMN retired_at TEXT;

CREATE TABLE members (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    -- An 11-digit mainland mobile number: what a roster import matches a row on.
    phone       TEXT NOT NULL UNIQUE,
    -- 职务, optional.
    position    TEXT,
    -- 联络员: acts for the unit (claims topics).
    is_contact  INTEGER NOT NULL DEFAULT 0 CHECK (is_contact IN (0, 1)),
    -- Set when staff disable the member: their devices stop working at once; records stay.
    disabled_at TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX members_by_unit ON members (unit_id, name);

-- Who sent a submission, when a joined member did; NULL for guests and for everything before the roster.
ALTER TABLE submissions ADD COLUMN member_id INTEGER REFERENCES members (id);
CREATE INDEX submissions_by_member ON submissions (member_id, id DESC) WHERE member_id IS NOT NULL;
