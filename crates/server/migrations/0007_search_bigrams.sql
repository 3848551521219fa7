-- Searching for one or two Chinese characters (电梯, 养老) through an index. The trigram index of 0006
-- needs three characters; until now shorter terms scanned every title and body (~300 ms at 100,000
-- submissions). Here each submission's characters and pairs of adjacent characters are words of their
-- own, so a term of one or two characters is a single word to look up.
--
-- Contentless (content = ''): the words are written by the server (store/submissions/bigrams.rs) when a
-- submission is stored or revised, since SQL alone cannot split text into characters in a trigger; the
-- text itself stays once, in submissions. detail = none: a word is looked up whole, never as a phrase,
-- so positions would only take space.
CREATE VIRTUAL TABLE submissions_bigrams USING fts5 (
    grams, content = '', contentless_delete = 1, detail = none,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- Rows stored before this migration are indexed by the server at its next start, in one transaction
-- (store::open); this row says that is still to do.
CREATE TABLE submissions_bigrams_backfill (pending INTEGER NOT NULL);
INSERT INTO submissions_bigrams_backfill (pending) VALUES (1);

-- The desk's list by last change walks this index and filters as it goes (overdue, status): with those
-- columns in the index it reads no table row it will not show (the overdue list went from ~6 ms to
-- under 1 ms at 100,000 rows).
DROP INDEX submissions_by_updated;
CREATE INDEX submissions_by_updated ON submissions (updated_at DESC, id DESC, status, due_on);
