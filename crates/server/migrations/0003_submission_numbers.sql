-- The last tracking number given out. New numbers follow it rather than MAX(id) + 1, so a number is
-- never given twice, even after its row was deleted: an old receipt never opens someone else's
-- submission.

CREATE TABLE submission_numbers (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    last     INTEGER NOT NULL
);

INSERT INTO submission_numbers (only_row, last) SELECT 1, COALESCE(MAX(id), 0) FROM submissions;
