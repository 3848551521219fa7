-- Staff of the department and their logins. Accounts are made with `jianyan staff add`.

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    -- The name typed at login; compared without regard to ASCII case.
    login         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    -- Real name, shown as who acted.
    name          TEXT NOT NULL,
    -- Argon2id in PHC string form (algorithm, parameters, salt and hash together).
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    -- A disabled account cannot log in, and its sessions stop working; the row stays for the record.
    disabled      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE staff_sessions (
    -- SHA-256 (hex) of the bearer token: a copy of the database does not hold working tokens.
    token_hash TEXT PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_id);
