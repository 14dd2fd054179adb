-- A rating is one row, revised in place (issue 14): the page keeps one id per
-- rating and sends every change (other stars, a comment) as the whole rating
-- again with the next `revision`; the server replaces the row when the
-- revision is higher. Rows stored before this were each revision 1.
ALTER TABLE feedback ADD COLUMN revision INTEGER NOT NULL DEFAULT 1
    CHECK (revision BETWEEN 1 AND 1000000);

-- The experiment analysis counts each visitor's rating once per question: the
-- latest rating row of each (visitor, question), under the variants that row
-- carries. Rebuilt here by that rule (before, every row counted, so a changed
-- rating or a rating sent again with its comment counted twice); from now on
-- `feedback::store` keeps it in the same transaction as the row.
DELETE FROM rating_rollups;
INSERT INTO rating_rollups (experiment, variant, question, ratings, sum, sum_squares)
SELECT v.key, v.value, f.question, COUNT(*), SUM(f.rating), SUM(f.rating * f.rating)
FROM (
    SELECT question, rating, variants,
           ROW_NUMBER() OVER (PARTITION BY visitor_id, question
                              ORDER BY created_at DESC, rowid DESC) AS n
    FROM feedback WHERE kind = 'rating'
) f, json_each(f.variants) v
WHERE f.n = 1
GROUP BY 1, 2, 3;
