-- Members' way in (issue 10): personal invitations, the device sessions they start, and the department's
-- settings. Tokens are kept only as SHA-256 (hex, 64 characters): a copy of the database holds no
-- working link or session.

-- A one-time token that joins a device: a staff invitation (printed or sent, 30 days by default), or a
-- link a joined device shows for the member's next device (10 minutes).
CREATE TABLE member_invitations (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    token_hash  TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('invitation', 'device_link')),
    -- The staff account that issued it; NULL for a device link.
    issued_by   INTEGER REFERENCES staff (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    -- Set when a device joined with it: it works once.
    used_at     TEXT,
    -- Set when a newer invitation replaced it before it was used.
    revoked_at  TEXT
);
CREATE INDEX member_invitations_by_member ON member_invitations (member_id, id DESC);

-- A joined device: the cookie's token (hashed), which browser, and when it was last used.
CREATE TABLE member_devices (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members (id),
    token_hash   TEXT NOT NULL UNIQUE,
    -- The User-Agent, shortened to something a person recognises ("Android · Chrome").
    browser      TEXT NOT NULL,
    joined_at    TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    -- A year after the last use; each use moves it on.
    expires_at   TEXT NOT NULL,
    -- Set when the member left on this device, or staff ended it; the row stays for the record.
    ended_at     TEXT,
    ended_by     TEXT CHECK (ended_by IN ('member', 'staff'))
);
CREATE INDEX member_devices_by_member ON member_devices (member_id, id);

-- The department's settings, one row per key; a missing key means its default.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('guest_submissions', 'on');
