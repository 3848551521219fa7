-- The submitter's secret is no longer kept: the server derives it from its key (secret.key beside the
-- database) and the submission's number whenever it must show it again, and keeps only its SHA-256 (hex,
-- 64 characters) to check it. Rows stored before this hold the secret itself (32 hex characters);
-- SQLite has no SHA-256, so `store::open` hashes them in place right after the migrations, and old
-- receipts keep working.
ALTER TABLE submissions RENAME COLUMN secret TO secret_hash;
