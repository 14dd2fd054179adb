-- Aggregates for the engagement overview (issue 8), kept by the event writer in
-- the same transaction as the events and pruned with them.

-- Which visitors reached a funnel step on a day (score_computed,
-- rating_submitted, feedback_submitted); each new row adds one to the
-- event_rollups row (day, '_funnel', '', step), so the funnel is visitor-days.
CREATE TABLE daily_visitor_steps (
    day        TEXT NOT NULL,
    step       TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    PRIMARY KEY (day, step, visitor_id)
) WITHOUT ROWID;

-- Visible time per visitor, day and page (sum of page_time.visible_ms): the
-- overview shows its median per page.
CREATE TABLE daily_page_time (
    day        TEXT NOT NULL,
    page       TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    visible_ms INTEGER NOT NULL,
    PRIMARY KEY (day, page, visitor_id)
) WITHOUT ROWID;
-- In visible-time order per page: the median is read by walking half of it.
CREATE INDEX daily_page_time_by_page ON daily_page_time (page, visible_ms, day);

-- The overview's daily ratings/feedback counts and mean ratings, read from the index alone.
CREATE INDEX feedback_for_overview ON feedback (created_at, kind, question, rating);

-- From the events already stored.
INSERT OR IGNORE INTO daily_visitor_steps (day, step, visitor_id)
SELECT strftime('%Y-%m-%d', ts / 1000, 'unixepoch'), kind, visitor_id
FROM events WHERE kind IN ('score_computed', 'rating_submitted', 'feedback_submitted');

INSERT INTO event_rollups (day, kind, experiment, variant, events)
SELECT day, '_funnel', '', step, COUNT(*) FROM daily_visitor_steps GROUP BY day, step;

INSERT INTO daily_page_time (day, page, visitor_id, visible_ms)
SELECT strftime('%Y-%m-%d', ts / 1000, 'unixepoch'), page, visitor_id,
       SUM(CAST(json_extract(props, '$.visible_ms') AS INTEGER))
FROM events WHERE kind = 'page_time'
GROUP BY 1, 2, 3;
