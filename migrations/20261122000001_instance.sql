-- Facts about this installation, written once at first start.
-- `instance_id` names the installation in logs and exported data without
-- revealing anything about its host; `created_at` dates it.
CREATE TABLE instance (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

INSERT INTO instance (key, value)
VALUES ('instance_id', lower(hex(randomblob(16))));
