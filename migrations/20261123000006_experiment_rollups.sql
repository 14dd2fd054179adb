-- Rollups for the experiment analysis (issue 8), so an experiment page reads a
-- few hundred rows instead of the raw events.

-- New exposed visitors per experiment, variant and UTC day (kept by the event
-- writer when a first exposure is stored).
CREATE TABLE exposure_rollups (
    experiment TEXT NOT NULL,
    variant    TEXT NOT NULL,
    day        TEXT NOT NULL,
    visitors   INTEGER NOT NULL,
    PRIMARY KEY (experiment, variant, day)
) WITHOUT ROWID;
INSERT INTO exposure_rollups (experiment, variant, day, visitors)
SELECT experiment, variant, strftime('%Y-%m-%d', first_at / 1000, 'unixepoch'), COUNT(*)
FROM exposures GROUP BY 1, 2, 3;

-- A visitor's first event meeting an experiment goal after their exposure, with
-- the variant they were exposed to. Kept by the event writer; goals come from
-- experiments.toml, so rows for a goal are first built from the raw events at
-- start (`conversion_backfills` records which goals have been).
CREATE TABLE conversions (
    experiment TEXT NOT NULL,
    goal       TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    variant    TEXT NOT NULL,
    first_at   INTEGER NOT NULL,
    PRIMARY KEY (experiment, goal, visitor_id)
) WITHOUT ROWID;
CREATE INDEX conversions_by_variant ON conversions (experiment, goal, variant, first_at);

CREATE TABLE conversion_backfills (
    experiment TEXT NOT NULL,
    goal       TEXT NOT NULL,
    rows       INTEGER NOT NULL,
    done_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (experiment, goal)
) WITHOUT ROWID;

-- Ratings per experiment variant and question: count, sum and sum of squares,
-- enough for the mean, its interval and the comparison. Kept when a rating is stored.
CREATE TABLE rating_rollups (
    experiment  TEXT NOT NULL,
    variant     TEXT NOT NULL,
    question    TEXT NOT NULL,
    ratings     INTEGER NOT NULL,
    sum         INTEGER NOT NULL,
    sum_squares INTEGER NOT NULL,
    PRIMARY KEY (experiment, variant, question)
) WITHOUT ROWID;
INSERT INTO rating_rollups (experiment, variant, question, ratings, sum, sum_squares)
SELECT v.key, v.value, f.question, COUNT(*), SUM(f.rating), SUM(f.rating * f.rating)
FROM feedback f, json_each(f.variants) v
WHERE f.kind = 'rating'
GROUP BY 1, 2, 3;
