-- Anonymous usage events and experiment exposures (issue 6, docs/events.md).
--
-- `events` is the raw log, kept `--event-retention-days` (default 180) by a
-- background job. Dashboards read the rollups, which are maintained in the
-- same transaction as the inserts and are never pruned.

CREATE TABLE events (
    id          TEXT PRIMARY KEY NOT NULL,   -- client UUID: a repeat is a duplicate
    kind        TEXT NOT NULL,
    visitor_id  TEXT NOT NULL,               -- the ats_vid cookie
    session_id  TEXT NOT NULL,               -- per tab
    page        TEXT NOT NULL,
    ts          INTEGER NOT NULL,            -- client clock (ms), clamped to received_at ± 24 h
    received_at INTEGER NOT NULL,            -- server clock (ms)
    variants    TEXT NOT NULL DEFAULT '{}',  -- counted experiment → variant at the time
    props       TEXT NOT NULL DEFAULT '{}'   -- typed per kind, never free text
);
CREATE INDEX events_by_received ON events (received_at);
CREATE INDEX events_by_kind ON events (kind, ts);
CREATE INDEX events_by_visitor ON events (visitor_id, ts);

-- Per UTC day (of the event's clamped time), per event kind, and per
-- experiment and variant (experiment = '' is the total for the kind).
-- kind '_visitors' counts distinct visitors of the day.
CREATE TABLE event_rollups (
    day        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    experiment TEXT NOT NULL DEFAULT '',
    variant    TEXT NOT NULL DEFAULT '',
    events     INTEGER NOT NULL,
    PRIMARY KEY (day, kind, experiment, variant)
) WITHOUT ROWID;

-- Which visitors were seen on a day (feeds the '_visitors' rollup; pruned with the raw events).
CREATE TABLE daily_visitors (
    day        TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    PRIMARY KEY (day, visitor_id)
) WITHOUT ROWID;

-- First exposure of each visitor to each experiment: the analysis population.
CREATE TABLE exposures (
    experiment TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    variant    TEXT NOT NULL,
    first_at   INTEGER NOT NULL,
    PRIMARY KEY (experiment, visitor_id)
) WITHOUT ROWID;
CREATE INDEX exposures_by_variant ON exposures (experiment, variant, first_at);
