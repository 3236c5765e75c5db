import type { Manifest, ManifestImage } from '../vault/manifest.js';
import type { CheckStrength } from './archives.js';
import type { Db } from './db.js';
import { pathKey } from './path-key.js';

export interface ArchiveRow {
  name: string;
  month: string;
  xxh64: string;
  bytes: number;
  createdAt: string;
  verifiedAt: string | null;
  damage?: string | null;
  /** The strength of the check that found the damage (archives.ts CHECK). */
  damageStrength?: CheckStrength | null;
}

export interface RecordOptions {
  /** Images whose entries in this zip did not read back right: recorded only where no other copy is. */
  badImages?: ReadonlySet<string>;
}

/**
 * Records the images a zip stores. An image is stored once, so one row each: a first copy is
 * recorded; a later copy takes the row over only when the row's copy is in a damaged archive and
 * this one is not known bad (reindex, recovery and repair meet an image in a damaged zip and again
 * in a whole one: the good copy is used).
 */
export function recordImages(db: Db, archiveId: number, images: readonly ManifestImage[], options: RecordOptions = {}): void {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO images (hash, size, ext, archive_id, entry, decoded_ext) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const takeOver = db.prepare(
    `INSERT INTO images (hash, size, ext, archive_id, entry, decoded_ext) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (hash) DO UPDATE SET size = excluded.size, ext = excluded.ext, archive_id = excluded.archive_id,
       entry = excluded.entry, decoded_ext = excluded.decoded_ext
     WHERE (SELECT damage FROM archives WHERE id = images.archive_id) IS NOT NULL`,
  );
  for (const img of images) {
    const stmt = options.badImages?.has(img.hash) ? insert : takeOver;
    stmt.run(img.hash, img.size, img.ext, archiveId, img.entry, img.decodedExt ?? null);
  }
}

/**
 * Records one archive and everything its manifest says, in one transaction: the archive, the
 * images it stores (see recordImages when an image is stored twice) and the places seen.
 * Used by archive (after the zip is verified), by recovery of a zip a killed run left
 * uncatalogued, and by reindex, so all three produce the same rows.
 */
export function recordArchive(db: Db, archive: ArchiveRow, manifest: Manifest, options: RecordOptions = {}): number {
  const insertArchive = db.prepare(
    `INSERT INTO archives (name, month, xxh64, bytes, created_at, verified_at, damage, damage_strength)
     VALUES (@name, @month, @xxh64, @bytes, @createdAt, @verifiedAt, @damage, @damageStrength)`,
  );
  // A place already catalogued (the same file archived again after its times changed, a manifest
  // replayed by reindex or recovery) is updated, not added twice. The index is of path keys, so the
  // look-up compares the path itself too (see path-key.ts).
  const findLocation = db
    .prepare('SELECT id FROM locations WHERE path_key = ? AND path = ? AND device = ? AND hash = ?')
    .pluck();
  // A place's file hash and recipe are its file's (SPEC "Picture identity"): a .dat seen again at
  // the same path with the same picture may have been written anew, so they are updated too.
  // Written to the places' own table, the path split against its root here (locations' triggers
  // do the same for other writers, in SQL a row at a time: recording took half as long again).
  const updateLocation = db.prepare(
    `UPDATE places SET mtime_ms = ?, birthtime_ms = ?, taken = ?, month = ?, date_rule = ?, exif_date = ?,
       kind = ?, source = ?, root_id = ?, tail = ?, whole = ?, account = ?, chat = ?, archive_id = ?, size = ?, file_hash = ?, recipe = ?
     WHERE id = ?`,
  );
  const insertLocation = db.prepare(
    `INSERT INTO places (hash, size, device, source, kind, account, chat, root_id, tail, whole, path_key, mtime_ms,
                         birthtime_ms, taken, month, date_rule, exif_date, archive_id, file_hash, recipe)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const rootId = rootIds(db);
  return db.transaction(() => {
    const archiveId = Number(insertArchive.run({ damage: null, damageStrength: null, ...archive }).lastInsertRowid);
    recordImages(db, archiveId, manifest.images, options);
    // Positional parameters: named ones cost an object per row, and a run records tens of thousands.
    for (const l of manifest.locations) {
      const key = pathKey(l.path);
      const account = l.account ?? null;
      const chat = l.chat ?? null;
      const fileHash = l.fileHash ?? null;
      const recipe = l.recipe ? JSON.stringify(l.recipe) : null;
      const id = findLocation.get(key, l.path, l.device, l.hash) as number | undefined;
      const root = rootId(l.root);
      const { tail, whole } = pathAfterRoot(l.root, l.path);
      if (id === undefined) {
        insertLocation.run(l.hash, l.size, l.device, l.source, l.kind, account, chat, root, tail, whole, key, l.mtimeMs, l.birthtimeMs, l.taken, l.month, l.dateRule, l.exifDate, archiveId, fileHash, recipe);
      } else {
        updateLocation.run(l.mtimeMs, l.birthtimeMs, l.taken, l.month, l.dateRule, l.exifDate, l.kind, l.source, root, tail, whole, account, chat, archiveId, l.size, fileHash, recipe, id);
      }
    }
    return archiveId;
  })();
}

/**
 * A place's path as stored (migrations/0013): what follows its root, or the whole path (`whole` 1)
 * when it does not begin with it, as a manifest from anywhere may say. root + tail is the path
 * exactly, whatever its separators.
 */
export function pathAfterRoot(root: string, path: string): { tail: string; whole: 1 | null } {
  return path.startsWith(root) ? { tail: path.slice(root.length), whole: null } : { tail: path, whole: 1 };
}

/** The id of each root, added the first time it is met; a run meets a few, so they are kept. */
function rootIds(db: Db): (root: string) => number {
  const add = db.prepare('INSERT OR IGNORE INTO roots (root) VALUES (?)');
  const find = db.prepare('SELECT id FROM roots WHERE root = ?').pluck();
  const known = new Map<string, number>();
  return (root) => {
    let id = known.get(root);
    if (id === undefined) {
      add.run(root);
      id = find.get(root) as number;
      known.set(root, id);
    }
    return id;
  };
}
