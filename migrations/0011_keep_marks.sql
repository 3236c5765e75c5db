-- "Keep this copy" (docs/dedupe.md): the copy of a duplicate group the user chose to keep, set on the
-- web page. A copy is a place: the picture it shows, the device that saw it and its path there. Kept
-- in the vault, so dedupe on every device honours it (a copy of another device stands for all its
-- places there). Like the "not duplicates" marks, in no zip: reindex carries it over.
-- (Numbered 0011: 0010 is taken by picture identity, on its way to main.)

CREATE TABLE keep_marks (
  picture    TEXT NOT NULL,                  -- the picture hash, as dedupe reports it
  device     TEXT NOT NULL,
  path       TEXT NOT NULL,
  marked_on  TEXT NOT NULL,                  -- the device where the mark was made
  created_at TEXT NOT NULL,
  PRIMARY KEY (picture, device, path)
) WITHOUT ROWID;
