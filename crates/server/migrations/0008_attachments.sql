-- Uploaded files (issue 9: an adoption's document, a leader's instruction; later research results).
-- The bytes live in <data dir>/attachments/<sha256>, stored once however often they are uploaded; each
-- upload is its own row, with the name it had on the uploader's computer.

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    -- 64 lowercase hex characters: the file's name in the attachments folder.
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    size          INTEGER NOT NULL CHECK (size > 0),
    -- What the first bytes say it is (never what the name says), e.g. application/pdf.
    content_type  TEXT NOT NULL,
    original_name TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    uploaded_by   INTEGER REFERENCES staff (id)
);
CREATE INDEX attachments_by_sha256 ON attachments (sha256);

-- The old typed `adoptions.file` reference stays for records made before uploads; new records point here.
ALTER TABLE adoptions ADD COLUMN attachment_id INTEGER REFERENCES attachments (id);
ALTER TABLE instructions ADD COLUMN attachment_id INTEGER REFERENCES attachments (id);
