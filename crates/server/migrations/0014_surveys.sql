-- Surveys (问卷, issue 12). Topics are 0012, uploads 0013.
--
-- Anonymity: in an anonymous survey nobody, staff included, can tell who gave which response. Who has
-- answered (survey_respondents, to allow one response each) and the responses (survey_responses) share
-- no column but the survey: no member or device on an anonymous response, no response id on a
-- respondent, no time on a respondent, and both tables are WITHOUT ROWID with keys that carry no
-- insertion order (respondents by member/device, responses by a random id). An anonymous response keeps
-- its day only, not its time of day, so it cannot be matched to a request in a log either.

CREATE TABLE surveys (
    id           INTEGER PRIMARY KEY,
    -- A copy of definition.title, for the list.
    title        TEXT NOT NULL,
    -- api::survey::SurveyDefinition as JSON.
    definition   TEXT NOT NULL,
    -- api::survey::PublishSettings as JSON (times stored as RFC 3339 +08:00); NULL while a draft.
    settings     TEXT,
    -- Copies of the settings that queries need; NULL while a draft.
    opens_at     TEXT,
    closes_at    TEXT,
    audience     TEXT CHECK (audience IN ('all_units', 'units', 'link')),
    anonymous    INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    -- The secret of the public link, for audience 'link'.
    link_key     TEXT UNIQUE,
    published_at TEXT,
    -- Set when staff close it before closes_at.
    closed_at    TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

-- The chosen units of audience 'units'.
CREATE TABLE survey_units (
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    unit_id   INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (survey_id, unit_id)
) WITHOUT ROWID;

-- Who has answered: 'm:<member id>' or 'd:<SHA-256 of the device cookie>' for public-link surveys.
-- retry_key_hash is the SHA-256 of the Idempotency-Key of the request that was recorded, so a retry is
-- told from a second response. No time, no response id.
CREATE TABLE survey_respondents (
    survey_id      INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    respondent     TEXT NOT NULL,
    retry_key_hash TEXT NOT NULL,
    PRIMARY KEY (survey_id, respondent)
) WITHOUT ROWID;

-- The responses. id: 128 random bits in hex. member_id only in named surveys. submitted_at: RFC 3339 in
-- named surveys, the day (YYYY-MM-DD) in anonymous ones. answers: api::survey::Answer list as JSON.
CREATE TABLE survey_responses (
    id           TEXT NOT NULL PRIMARY KEY,
    survey_id    INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    member_id    INTEGER REFERENCES members (id),
    unit_id      INTEGER REFERENCES units (id),
    submitted_at TEXT NOT NULL,
    answers      TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX survey_responses_by_survey ON survey_responses (survey_id, submitted_at);
CREATE UNIQUE INDEX survey_responses_by_member ON survey_responses (survey_id, member_id)
    WHERE member_id IS NOT NULL;
