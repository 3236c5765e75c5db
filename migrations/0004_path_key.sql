-- Places are found by a 47-bit key of their path (src/catalog/path-key.ts), not by the path.
-- The unique index that led with the path was a third of the catalogue's bytes and most of the
-- cost of recording a place. Uniqueness of (path, device, hash) is now kept by the one writer,
-- recordArchive, which looks a place up before inserting it. SQLite cannot drop a table's UNIQUE
-- constraint, so the table is rebuilt, ids kept (the audit columns and clean refer to them).

CREATE TABLE locations_v4 (
  id           INTEGER PRIMARY KEY,
  hash         TEXT    NOT NULL REFERENCES images(hash),
  size         INTEGER NOT NULL,
  device       TEXT    NOT NULL,
  source       TEXT    NOT NULL,
  kind         TEXT    NOT NULL,
  account      TEXT,                 -- QQ number, wxid, Android account folder
  chat         TEXT,                 -- the chat folder (md5) where the layout has one
  root         TEXT    NOT NULL,
  path         TEXT    NOT NULL,
  path_key     INTEGER NOT NULL,     -- picvault_path_key(path): what lookups by path use
  mtime_ms     REAL    NOT NULL,
  birthtime_ms REAL    NOT NULL,
  taken        TEXT    NOT NULL,     -- local "YYYY-MM-DD HH:MM:SS"
  month        TEXT    NOT NULL,
  date_rule    TEXT    NOT NULL,     -- exif | folder | file-time
  exif_date    TEXT,
  archive_id   INTEGER NOT NULL REFERENCES archives(id),  -- the zip whose manifest records it
  cleaned_at   TEXT,                 -- when clean deleted the original
  restored_at  TEXT                  -- when restore last wrote it back
);

INSERT INTO locations_v4 (id, hash, size, device, source, kind, account, chat, root, path, path_key,
                          mtime_ms, birthtime_ms, taken, month, date_rule, exif_date, archive_id,
                          cleaned_at, restored_at)
  SELECT id, hash, size, device, source, kind, account, chat, root, path, picvault_path_key(path),
         mtime_ms, birthtime_ms, taken, month, date_rule, exif_date, archive_id, cleaned_at, restored_at
  FROM locations;

DROP TABLE locations;
ALTER TABLE locations_v4 RENAME TO locations;
CREATE INDEX locations_path_key ON locations(path_key);
CREATE INDEX locations_hash ON locations(hash);
