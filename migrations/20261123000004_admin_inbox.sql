-- The product team's area, part two (issue 8, docs/admin.md): login sessions,
-- triage columns and sentiment on feedback, and full-text search over messages.

-- A browser session after login. The cookie holds a random token; only its
-- SHA-256 is stored. `csrf` is the token every state-changing request of the
-- session must carry.
CREATE TABLE admin_sessions (
    id_hash    TEXT PRIMARY KEY NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,              -- ms since the epoch
    expires_at INTEGER NOT NULL
);
CREATE INDEX admin_sessions_by_expiry ON admin_sessions (expires_at);

-- Triage: where a message stands and the team's internal note about it.
ALTER TABLE feedback ADD COLUMN status TEXT NOT NULL DEFAULT 'new'
    CHECK (status IN ('new', 'in_progress', 'done'));
ALTER TABLE feedback ADD COLUMN note TEXT CHECK (note IS NULL OR length(note) <= 5000);
ALTER TABLE feedback ADD COLUMN updated_at TEXT;
-- VADER-style compound score of the message in [-1, 1], computed when stored
-- (NULL when there is no message).
ALTER TABLE feedback ADD COLUMN sentiment REAL
    CHECK (sentiment IS NULL OR sentiment BETWEEN -1 AND 1);

CREATE INDEX feedback_by_status ON feedback (status, created_at);

-- Full-text search over messages (external content: the text lives once, in `feedback`).
CREATE VIRTUAL TABLE feedback_fts USING fts5 (
    message,
    content = 'feedback',
    content_rowid = 'rowid',
    tokenize = 'porter unicode61'
);
CREATE TRIGGER feedback_fts_insert AFTER INSERT ON feedback WHEN new.message IS NOT NULL BEGIN
    INSERT INTO feedback_fts (rowid, message) VALUES (new.rowid, new.message);
END;
CREATE TRIGGER feedback_fts_delete AFTER DELETE ON feedback WHEN old.message IS NOT NULL BEGIN
    INSERT INTO feedback_fts (feedback_fts, rowid, message) VALUES ('delete', old.rowid, old.message);
END;
CREATE TRIGGER feedback_fts_update AFTER UPDATE OF message ON feedback BEGIN
    INSERT INTO feedback_fts (feedback_fts, rowid, message)
        SELECT 'delete', old.rowid, old.message WHERE old.message IS NOT NULL;
    INSERT INTO feedback_fts (rowid, message)
        SELECT new.rowid, new.message WHERE new.message IS NOT NULL;
END;
INSERT INTO feedback_fts (feedback_fts) VALUES ('rebuild');
