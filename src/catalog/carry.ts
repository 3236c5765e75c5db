import type { CatalogArchive } from './archives.js';
import type { Db } from './db.js';

/**
 * What reindex carries from the old catalogue into the one it rebuilt from the zips (SPEC
 * invariant 3: reindex never forgets what the old catalogue knows and the zips do not
 * contradict). The old catalogue is attached to the new one's connection as `old`; the zips'
 * own word, already recorded, wins wherever both speak of the same thing.
 */

/** Attaches the old catalogue (already brought up to date by openCatalog) as `old`. Outside a transaction. */
export function attachOld(db: Db, file: string): void {
  db.prepare('ATTACH DATABASE ? AS old').run(file);
}

export function detachOld(db: Db): void {
  db.exec('DETACH DATABASE old');
}

/** The archives the old catalogue knows and no zip answered for (missing, or not a regular file). */
export const oldArchivesNotFound = (db: Db) =>
  db.prepare('SELECT * FROM old.archives o WHERE NOT EXISTS (SELECT 1 FROM main.archives m WHERE m.name = o.name) ORDER BY name').all() as CatalogArchive[];

export interface Carried {
  images: number;
  places: number;
  /** Archives read whole that the old catalogue says store pictures they do not hold: now marked damaged. */
  contradicted: string[];
}

/**
 * Images and places the old catalogue knows that no zip recorded, each in the archive the old
 * catalogue put it in (every such archive is in the new catalogue by now: read from its zip, or
 * carried as missing). An archive read whole that is said to store an image it does not list is
 * marked damaged: the picture is in no zip found.
 */
export function carryImagesAndPlaces(db: Db, damage: (count: number) => string, strength: number): Carried {
  db.exec(`CREATE TEMP TABLE carried_images (hash TEXT PRIMARY KEY);
           INSERT INTO carried_images SELECT hash FROM old.images o WHERE NOT EXISTS (SELECT 1 FROM main.images m WHERE m.hash = o.hash);`);
  try {
    const images = db.prepare(
      `INSERT INTO main.images (hash, size, ext, archive_id, entry, decoded_ext)
       SELECT i.hash, i.size, i.ext, (SELECT id FROM main.archives WHERE name = oa.name), i.entry, i.decoded_ext
       FROM old.images i JOIN old.archives oa ON oa.id = i.archive_id WHERE i.hash IN (SELECT hash FROM carried_images)`,
    ).run().changes;
    const contradicted = db.prepare(
      `SELECT a.id, a.name, COUNT(*) AS n FROM main.images i JOIN main.archives a ON a.id = i.archive_id
       WHERE i.hash IN (SELECT hash FROM carried_images) AND a.damage IS NULL GROUP BY a.id`,
    ).all() as { id: number; name: string; n: number }[];
    const mark = db.prepare('UPDATE main.archives SET damage = ?, damage_strength = ?, verified_at = NULL WHERE id = ?');
    for (const a of contradicted) mark.run(damage(a.n), strength, a.id);
    // locations is a view (migrations/0013): SQLite counts no changes made through its triggers,
    // so the places written are counted as they are returned.
    const places = db.prepare(
      `INSERT INTO main.locations (hash, size, device, source, kind, account, chat, root, path, path_key, mtime_ms, birthtime_ms,
                                   taken, month, date_rule, exif_date, archive_id, cleaned_at, restored_at, file_hash, recipe)
       SELECT l.hash, l.size, l.device, l.source, l.kind, l.account, l.chat, l.root, l.path, l.path_key, l.mtime_ms, l.birthtime_ms,
              l.taken, l.month, l.date_rule, l.exif_date, (SELECT id FROM main.archives WHERE name = oa.name), l.cleaned_at, l.restored_at,
              l.file_hash, l.recipe
       FROM old.locations l JOIN old.archives oa ON oa.id = l.archive_id
       WHERE NOT EXISTS (SELECT 1 FROM main.locations m
                         WHERE m.path_key = l.path_key AND m.path = l.path AND m.device = l.device AND m.hash = l.hash)
       RETURNING 1`,
    ).pluck().all().length;
    return { images, places, contradicted: contradicted.map((a) => a.name) };
  } finally {
    db.exec('DROP TABLE temp.carried_images');
  }
}

/**
 * The audit trail, which is in no zip: every run (`catalog log`), and when each place found in
 * both catalogues (same device, path, image and time) was cleaned or restored. Places carried by
 * carryImagesAndPlaces brought theirs along.
 */
export function carryAudit(db: Db): { runs: number; places: number } {
  const runs = db.prepare(
    `INSERT INTO main.runs (id, command, device, started_at, finished_at, sources, selection, files, bytes, skipped, outcome)
     SELECT id, command, device, started_at, finished_at, sources, selection, files, bytes, skipped, outcome FROM old.runs ORDER BY id`,
  ).run().changes;
  // Counted as returned: see carryImagesAndPlaces.
  const places = db.prepare(
    `UPDATE main.locations AS m SET cleaned_at = o.cleaned_at, restored_at = o.restored_at
     FROM old.locations AS o
     WHERE (o.cleaned_at IS NOT NULL OR o.restored_at IS NOT NULL) AND m.cleaned_at IS NULL AND m.restored_at IS NULL
       AND m.path_key = o.path_key AND m.path = o.path AND m.device = o.device AND m.hash = o.hash AND m.mtime_ms = o.mtime_ms
     RETURNING 1`,
  ).pluck().all().length;
  return { runs, places };
}

/** Places whose picture no zip stores and no catalogue knows: they cannot stay (nothing restores them); reported. */
export const dropPlacesWithoutImage = (db: Db) =>
  db.prepare('DELETE FROM locations WHERE hash NOT IN (SELECT hash FROM images) RETURNING device, path, hash').all() as {
    device: string; path: string; hash: string;
  }[];

/**
 * What dedupe keeps in the catalogue and in no zip (migrations/0008, 0011): the "not duplicates"
 * and "keep this copy" marks and what pictures look like, as they are (a keep mark names its copy
 * by picture, device and path, not by a place's id), and which places each clean or dedupe run
 * removed, matched to the new places by device, path, image and time (runs keep their ids:
 * carryAudit).
 */
export function carryDedupe(db: Db): { marks: number; keeps: number; removals: number } {
  const marks = db.prepare('INSERT OR IGNORE INTO main.not_duplicates (a, b, device, created_at) SELECT a, b, device, created_at FROM old.not_duplicates').run().changes;
  const keeps = db
    .prepare('INSERT OR IGNORE INTO main.keep_marks (picture, device, path, marked_on, created_at) SELECT picture, device, path, marked_on, created_at FROM old.keep_marks')
    .run().changes;
  db.exec(`INSERT OR IGNORE INTO main.picture_looks (picture, width, height, dhash, phash, flat) SELECT picture, width, height, dhash, phash, flat FROM old.picture_looks;
           INSERT OR IGNORE INTO main.dat_pictures (hash, picture, picture_size) SELECT hash, picture, picture_size FROM old.dat_pictures;`);
  const removals = db.prepare(
    `INSERT OR IGNORE INTO main.run_removals (run_id, location_id, removed)
     SELECT r.run_id, m.id, r.removed FROM old.run_removals r JOIN old.locations o ON o.id = r.location_id
     JOIN main.locations m ON m.path_key = o.path_key AND m.path = o.path AND m.device = o.device AND m.hash = o.hash AND m.mtime_ms = o.mtime_ms`,
  ).run().changes;
  return { marks, keeps, removals };
}
