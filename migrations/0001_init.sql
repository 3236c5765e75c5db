-- The catalogue. Everything here can be rebuilt from the archives' manifests (reindex).

-- One row per zip in VAULT/archives. name is vault-relative with forward slashes.
CREATE TABLE archives (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL UNIQUE,
  month       TEXT    NOT NULL,
  xxh64       TEXT    NOT NULL,
  bytes       INTEGER NOT NULL,
  created_at  TEXT    NOT NULL,
  verified_at TEXT,             -- last time the archive was read back whole and matched
  damage      TEXT              -- what the last verify found wrong; NULL when whole
);

-- One row per distinct image (content), stored once in exactly one archive.
CREATE TABLE images (
  hash       TEXT    PRIMARY KEY,   -- xxh64 of the bytes, 16 lowercase hex
  size       INTEGER NOT NULL,
  ext        TEXT    NOT NULL,
  archive_id INTEGER NOT NULL REFERENCES archives(id),
  entry      TEXT    NOT NULL
);
CREATE INDEX images_archive ON images(archive_id);

-- Every place an image was seen: the same sticker in two chats, or on two devices, is two rows.
-- Its date belongs to the place, not to the image.
CREATE TABLE locations (
  id           INTEGER PRIMARY KEY,
  hash         TEXT    NOT NULL REFERENCES images(hash),
  size         INTEGER NOT NULL,
  device       TEXT    NOT NULL,
  source       TEXT    NOT NULL,
  kind         TEXT    NOT NULL,
  root         TEXT    NOT NULL,
  path         TEXT    NOT NULL,
  mtime_ms     REAL    NOT NULL,
  birthtime_ms REAL    NOT NULL,
  taken        TEXT    NOT NULL,     -- local "YYYY-MM-DD HH:MM:SS"
  month        TEXT    NOT NULL,
  date_rule    TEXT    NOT NULL,     -- exif | folder | file-time
  exif_date    TEXT,
  archive_id   INTEGER NOT NULL REFERENCES archives(id),  -- the zip whose manifest records it
  UNIQUE (path, device, hash)  -- path first: clean looks up every file on disk by its path
);
CREATE INDEX locations_hash ON locations(hash);
