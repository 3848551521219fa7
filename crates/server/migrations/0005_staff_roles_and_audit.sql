-- Staff roles, sliding sessions, and the audit log: who did what, when, and why, kept forever.

-- 管理员 may manage and oversee (the audit log); 审阅人 reviews submissions. Accounts that exist already
-- were made by the department's operator for the people running the desk, so they become admins; new
-- accounts are reviewers unless made otherwise (`jianyan staff add --role admin`).
ALTER TABLE staff ADD COLUMN role TEXT NOT NULL DEFAULT 'reviewer'
    CHECK (role IN ('admin', 'reviewer'));
UPDATE staff SET role = 'admin';

-- When the session last answered a request (RFC 3339, China time): a session unused for two hours ends,
-- besides its fixed end at `expires_at`. Sessions from before this count as used when they began.
ALTER TABLE staff_sessions ADD COLUMN last_used_at TEXT NOT NULL DEFAULT '';
UPDATE staff_sessions SET last_used_at = created_at;

CREATE TABLE audit_log (
    -- Never reused: rows are never deleted (see the triggers below), so ids only grow.
    id          INTEGER PRIMARY KEY,
    -- RFC 3339, China time, like every other timestamp.
    at          TEXT NOT NULL,
    -- The account that acted; NULL for the console, and for a failed login of no known account.
    staff_id    INTEGER REFERENCES staff (id),
    -- The login that acted, or 'console' for a `jianyan staff` command at the server.
    actor       TEXT NOT NULL,
    -- What was done, e.g. 'login', 'staff.set_role' (see store/audit.rs for the names in use).
    action      TEXT NOT NULL,
    -- What it was done to: a login, a tracking code.
    target      TEXT,
    from_value  TEXT,
    to_value    TEXT,
    -- Why, or the details (an export's year, a failed login's reason). Never a password.
    note        TEXT,
    -- The address the request came from (the client's, behind a trusted proxy); NULL for the console.
    client_addr TEXT
);

CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
CREATE INDEX audit_log_by_time ON audit_log (at);

-- Append-only: the server and an operator's sqlite3 alike are refused a change or a removal.
CREATE TRIGGER audit_log_rows_are_never_changed BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: its rows cannot be changed');
END;

CREATE TRIGGER audit_log_rows_are_never_deleted BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: its rows cannot be deleted');
END;
