-- A place's path is stored after its root, and each root once (docs/decisions.md, "A place's
-- path is kept after its root"). The catalogue was mostly paths: at 20 000 places under one root
-- the root took 44 bytes twice a row (its own column, and the start of the path) of a row's 277,
-- 1.9 MB of a 7.7 MB catalogue. Everything still reads and writes `locations`, now a view with the
-- same columns; its triggers split a written path against its root, so no writer has to.

CREATE TABLE roots (
  id   INTEGER PRIMARY KEY,
  root TEXT    NOT NULL UNIQUE
);

CREATE TABLE places (
  id           INTEGER PRIMARY KEY,
  hash         TEXT    NOT NULL REFERENCES images(hash),
  size         INTEGER NOT NULL,
  device       TEXT    NOT NULL,
  source       TEXT    NOT NULL,
  kind         TEXT    NOT NULL,
  account      TEXT,
  chat         TEXT,
  root_id      INTEGER NOT NULL REFERENCES roots(id),
  tail         TEXT    NOT NULL,     -- the path after its root: path = root || tail (the separator is the tail's)
  whole        INTEGER,              -- 1: the path does not begin with its root and tail is all of it; else NULL
  path_key     INTEGER NOT NULL,     -- picvault_path_key(path): what lookups by path use
  mtime_ms     REAL    NOT NULL,
  birthtime_ms REAL    NOT NULL,
  taken        TEXT    NOT NULL,     -- local "YYYY-MM-DD HH:MM:SS"
  month        TEXT    NOT NULL,
  date_rule    TEXT    NOT NULL,     -- exif | folder | file-time
  exif_date    TEXT,
  archive_id   INTEGER NOT NULL REFERENCES archives(id),  -- the zip whose manifest records it
  cleaned_at   TEXT,                 -- when clean deleted the original
  restored_at  TEXT,                 -- when restore last wrote it back
  file_hash    TEXT,                 -- xxh64 of the file on disk; NULL: the same as hash
  recipe       TEXT                  -- JSON (media/dat.ts DatRecipe) that rebuilds the file; NULL: none
);

INSERT INTO roots (root) SELECT DISTINCT root FROM locations ORDER BY root;

-- substr counts characters and || joins them back, so root || tail is the path exactly, whatever
-- its separators, drive letter or script.
INSERT INTO places (id, hash, size, device, source, kind, account, chat, root_id, tail, whole, path_key, mtime_ms,
                    birthtime_ms, taken, month, date_rule, exif_date, archive_id, cleaned_at, restored_at, file_hash, recipe)
  SELECT l.id, l.hash, l.size, l.device, l.source, l.kind, l.account, l.chat, r.id,
         CASE WHEN substr(l.path, 1, length(r.root)) = r.root THEN substr(l.path, length(r.root) + 1) ELSE l.path END,
         CASE WHEN substr(l.path, 1, length(r.root)) = r.root THEN NULL ELSE 1 END,
         l.path_key, l.mtime_ms, l.birthtime_ms, l.taken, l.month, l.date_rule, l.exif_date, l.archive_id,
         l.cleaned_at, l.restored_at, l.file_hash, l.recipe
  FROM locations l JOIN roots r ON r.root = l.root
  ORDER BY l.id;

DROP TABLE locations;
CREATE INDEX places_path_key ON places(path_key);
CREATE INDEX places_hash ON places(hash);
CREATE INDEX places_month ON places(month, hash, size);

-- Every place has its root (root_id NOT NULL): the left join is the inner one, and leaves the
-- places' table first in every plan.
CREATE VIEW locations AS
  SELECT p.id, p.hash, p.size, p.device, p.source, p.kind, p.account, p.chat, r.root,
         CASE WHEN p.whole IS NULL THEN r.root || p.tail ELSE p.tail END AS path,
         p.path_key, p.mtime_ms, p.birthtime_ms, p.taken, p.month, p.date_rule, p.exif_date, p.archive_id,
         p.cleaned_at, p.restored_at, p.file_hash, p.recipe
  FROM places p LEFT JOIN roots r ON r.id = p.root_id;

CREATE TRIGGER locations_insert INSTEAD OF INSERT ON locations BEGIN
  INSERT OR IGNORE INTO roots (root) VALUES (NEW.root);
  INSERT INTO places (id, hash, size, device, source, kind, account, chat, root_id, tail, whole, path_key, mtime_ms,
                      birthtime_ms, taken, month, date_rule, exif_date, archive_id, cleaned_at, restored_at, file_hash, recipe)
    SELECT NEW.id, NEW.hash, NEW.size, NEW.device, NEW.source, NEW.kind, NEW.account, NEW.chat, r.id,
           CASE WHEN substr(NEW.path, 1, length(r.root)) = r.root THEN substr(NEW.path, length(r.root) + 1) ELSE NEW.path END,
           CASE WHEN substr(NEW.path, 1, length(r.root)) = r.root THEN NULL ELSE 1 END,
           NEW.path_key, NEW.mtime_ms, NEW.birthtime_ms, NEW.taken, NEW.month, NEW.date_rule, NEW.exif_date, NEW.archive_id,
           NEW.cleaned_at, NEW.restored_at, NEW.file_hash, NEW.recipe
    FROM roots r WHERE r.root = NEW.root;
END;

CREATE TRIGGER locations_update INSTEAD OF UPDATE ON locations BEGIN
  INSERT OR IGNORE INTO roots (root) VALUES (NEW.root);
  UPDATE places SET
    hash = NEW.hash, size = NEW.size, device = NEW.device, source = NEW.source, kind = NEW.kind, account = NEW.account,
    chat = NEW.chat, root_id = r.id,
    tail = CASE WHEN substr(NEW.path, 1, length(r.root)) = r.root THEN substr(NEW.path, length(r.root) + 1) ELSE NEW.path END,
    whole = CASE WHEN substr(NEW.path, 1, length(r.root)) = r.root THEN NULL ELSE 1 END,
    path_key = NEW.path_key, mtime_ms = NEW.mtime_ms, birthtime_ms = NEW.birthtime_ms, taken = NEW.taken, month = NEW.month,
    date_rule = NEW.date_rule, exif_date = NEW.exif_date, archive_id = NEW.archive_id, cleaned_at = NEW.cleaned_at,
    restored_at = NEW.restored_at, file_hash = NEW.file_hash, recipe = NEW.recipe
  FROM roots r WHERE r.root = NEW.root AND places.id = OLD.id;
END;

CREATE TRIGGER locations_delete INSTEAD OF DELETE ON locations BEGIN
  DELETE FROM places WHERE id = OLD.id;
END;
