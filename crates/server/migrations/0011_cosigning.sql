-- Co-signing (联名, issue 10): a joined member asks members on the roster to co-sign. Nothing reaches
-- staff until it is sent (when every co-signer has answered, or when the lead sends it anyway), so the
-- request waits here, outside `submissions`, and the desk never sees a half-answered one.

CREATE TABLE cosign_drafts (
    id            INTEGER PRIMARY KEY,
    -- 领衔人: the joined member who asked.
    lead_id       INTEGER NOT NULL REFERENCES members (id),
    -- What the lead wrote, as JSON: {"kind", "title", "body", "other_names"}. The names typed for people
    -- not on the roster go to staff unconfirmed.
    request       TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    -- Set once, by whichever send comes first: from then on answers are refused, so what is sent is
    -- what the co-signers had said.
    sent_at       TEXT,
    -- The submission it became, once stored.
    submission_id INTEGER REFERENCES submissions (id)
);
CREATE INDEX cosign_drafts_by_lead ON cosign_drafts (lead_id, id DESC);

-- One row per co-signer asked; `answer` stays NULL until they answer, and they answer once.
CREATE TABLE cosign_answers (
    draft_id    INTEGER NOT NULL REFERENCES cosign_drafts (id),
    member_id   INTEGER NOT NULL REFERENCES members (id),
    -- The order the lead chose them in, which the submission keeps.
    position    INTEGER NOT NULL,
    answer      TEXT CHECK (answer IN ('confirmed', 'declined')),
    answered_at TEXT,
    UNIQUE (draft_id, member_id)
);
CREATE INDEX cosign_answers_by_member ON cosign_answers (member_id, draft_id);

-- 1 for a co-signer on the roster who confirmed; names typed by the lead (and every co-signer from before
-- this release) stay 0, shown to staff as unconfirmed.
ALTER TABLE submission_cosigners ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 0
    CHECK (confirmed IN (0, 1));
