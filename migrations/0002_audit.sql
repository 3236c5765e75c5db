-- The audit trail: every run of archive, clean and restore, and what became of each place.

CREATE TABLE runs (
  id          INTEGER PRIMARY KEY,
  command     TEXT    NOT NULL,        -- archive | clean | restore
  device      TEXT    NOT NULL,
  started_at  TEXT    NOT NULL,
  finished_at TEXT    NOT NULL,
  sources     TEXT    NOT NULL,        -- JSON array of folders
  selection   TEXT    NOT NULL,        -- JSON of the selection flags
  files       INTEGER NOT NULL,        -- files archived, deleted or restored
  bytes       INTEGER NOT NULL,
  skipped     INTEGER NOT NULL,
  outcome     TEXT    NOT NULL         -- done | partial | dry-run
);

ALTER TABLE locations ADD COLUMN cleaned_at TEXT;   -- when clean deleted the original
ALTER TABLE locations ADD COLUMN restored_at TEXT;  -- when restore last wrote it back
