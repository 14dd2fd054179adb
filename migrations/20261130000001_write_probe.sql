-- The readiness write probe (`db::probe_write`): one row, replaced on every
-- probe inside a `BEGIN IMMEDIATE` transaction, with a few pages of padding so
-- the commit appends real pages to the WAL (a full disk, a read-only file or a
-- reached `max_page_count` fails it as it fails real writes). Holds nothing
-- about visitors.
CREATE TABLE write_probe (
    id         INTEGER PRIMARY KEY,
    checked_at INTEGER NOT NULL,   -- milliseconds since the epoch
    pad        BLOB NOT NULL
) STRICT;
