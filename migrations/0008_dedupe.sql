-- dedupe (docs/dedupe.md): what each clean or dedupe run removed, so `restore --run` can undo it;
-- the pairs the user marked "not duplicates"; and what each picture looks like, computed once.
-- Like the audit trail, none of this is in the zips: reindex carries it over from the old catalogue.
-- No foreign keys: reindex gives places new ids and maps these rows to them itself.

CREATE TABLE run_removals (
  run_id      INTEGER NOT NULL,              -- runs.id of a clean or dedupe run
  location_id INTEGER NOT NULL,              -- locations.id of a place it was to remove
  removed     INTEGER NOT NULL DEFAULT 0,    -- 1 once deleted; 0 from a run killed before it said
  PRIMARY KEY (run_id, location_id)
) WITHOUT ROWID;

-- Clean runs before this migration recorded no list, but every place they deleted was marked
-- cleaned while they ran, on their device: between their start and their end.
INSERT OR IGNORE INTO run_removals (run_id, location_id, removed)
  SELECT r.id, l.id, 1
  FROM runs r JOIN locations l
    ON l.device = r.device AND l.cleaned_at >= r.started_at AND l.cleaned_at <= r.finished_at
  WHERE r.command = 'clean';

-- Two pictures (picture hashes, a < b) that the user says are not duplicates: never grouped again.
CREATE TABLE not_duplicates (
  a          TEXT NOT NULL,
  b          TEXT NOT NULL,
  device     TEXT NOT NULL,                  -- where the mark was made
  created_at TEXT NOT NULL,
  PRIMARY KEY (a, b)
) WITHOUT ROWID;

-- A picture's perceptual hashes (media/perceptual.ts), keyed by its picture hash.
CREATE TABLE picture_looks (
  picture TEXT    PRIMARY KEY,
  width   INTEGER NOT NULL,
  height  INTEGER NOT NULL,
  dhash   TEXT    NOT NULL,                  -- 64 bits, 16 hex
  phash   TEXT    NOT NULL,                  -- 256 bits, 64 hex
  flat    INTEGER NOT NULL                   -- 1: blank or one colour, never called similar
) WITHOUT ROWID;

-- The picture a stored WeChat .dat shows (its decoded bytes' hash and size), learned once.
CREATE TABLE dat_pictures (
  hash         TEXT    PRIMARY KEY,          -- images.hash of the raw .dat
  picture      TEXT    NOT NULL,
  picture_size INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX dat_pictures_picture ON dat_pictures(picture);
