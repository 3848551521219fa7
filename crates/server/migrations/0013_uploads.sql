-- Resumable uploads (issue 11) by members and staff, and the files on a submission.
-- An upload's bytes arrive in <data dir>/attachments/.part-<id> until the last one; then the file is
-- checked, stored under its SHA-256 like every attachment, and `attachment_id` is set.

CREATE TABLE uploads (
    -- 32 lowercase hex characters (128 random bits): knowing it is not enough, the owner is checked too.
    id            TEXT PRIMARY KEY CHECK (length(id) = 32),
    member_id     INTEGER REFERENCES members (id),
    staff_id      INTEGER REFERENCES staff (id),
    name          TEXT NOT NULL,
    size          INTEGER NOT NULL CHECK (size > 0),
    -- Bytes received and kept in the partial file.
    received      INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= size),
    attachment_id INTEGER REFERENCES attachments (id),
    created_at    TEXT NOT NULL,
    -- The last byte received: an upload idle for a day is abandoned.
    touched_at    TEXT NOT NULL,
    CHECK ((member_id IS NULL) <> (staff_id IS NULL))
);
CREATE INDEX uploads_by_touch ON uploads (touched_at) WHERE attachment_id IS NULL;
CREATE INDEX uploads_by_attachment ON uploads (attachment_id);

-- A submission's files, in the order the member added them.
CREATE TABLE submission_attachments (
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    position      INTEGER NOT NULL,
    attachment_id INTEGER NOT NULL REFERENCES attachments (id),
    PRIMARY KEY (submission_id, position)
);
CREATE INDEX submission_attachments_by_attachment ON submission_attachments (attachment_id);

-- Who uploaded a member's file (staff uploads keep `uploaded_by`).
ALTER TABLE attachments ADD COLUMN uploaded_by_member INTEGER REFERENCES members (id);
