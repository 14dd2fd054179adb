-- Ratings, feedback-form and contact-form submissions (issue 5).
--
-- One row per accepted submission. `id` is the client's UUID: a retry of the
-- same submission hits the primary key and stores nothing new. Changing a
-- rating adds a row (history kept); "the last one counts" is a query: the
-- latest row per visitor and question.
--
-- Never stored: resume or job text, raw IP addresses, an email without consent.
CREATE TABLE feedback (
    id          TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('rating', 'form', 'contact')),
    -- Ratings
    question    TEXT CHECK (question IN ('accuracy', 'helpfulness')),
    rating      INTEGER CHECK (rating BETWEEN 1 AND 5),
    -- Forms (`message` also holds a rating's optional comment)
    category    TEXT CHECK (category IN ('bug', 'feature', 'question', 'praise', 'other')),
    message     TEXT CHECK (message IS NULL OR length(message) <= 5000),
    email       TEXT CHECK (email IS NULL OR consent = 1),
    consent     INTEGER NOT NULL DEFAULT 0 CHECK (consent IN (0, 1)),
    -- Context: identifiers and numbers only
    visitor_id  TEXT NOT NULL,
    variants    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(variants)),
    algorithm   TEXT,
    score       INTEGER CHECK (score BETWEEN 0 AND 100),
    page        TEXT NOT NULL,
    ua_class    TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK ((kind = 'rating') = (question IS NOT NULL AND rating IS NOT NULL)),
    CHECK ((kind = 'rating') = (category IS NULL))
);

-- The admin inbox lists newest first and filters by kind, category, rating and variant.
CREATE INDEX feedback_by_created ON feedback (created_at);
CREATE INDEX feedback_by_kind ON feedback (kind, created_at);
CREATE INDEX feedback_by_category ON feedback (category, created_at) WHERE category IS NOT NULL;
CREATE INDEX feedback_by_rating ON feedback (question, rating, created_at) WHERE kind = 'rating';
CREATE INDEX feedback_by_algorithm ON feedback (algorithm, question, created_at);
-- "The last rating counts": latest row per visitor and question.
CREATE INDEX feedback_by_visitor ON feedback (visitor_id, question, created_at);
