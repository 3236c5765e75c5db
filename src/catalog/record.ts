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
  const updateLocation = db.prepare(
    `UPDATE locations SET mtime_ms = ?, birthtime_ms = ?, taken = ?, month = ?, date_rule = ?, exif_date = ?,
       kind = ?, source = ?, root = ?, account = ?, chat = ?, archive_id = ?, size = ?, file_hash = ?, recipe = ?
     WHERE id = ?`,
  );
  const insertLocation = db.prepare(
    `INSERT INTO locations (hash, size, device, source, kind, account, chat, root, path, path_key, mtime_ms,
                            birthtime_ms, taken, month, date_rule, exif_date, archive_id, file_hash, recipe)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
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
      if (id === undefined) {
        insertLocation.run(l.hash, l.size, l.device, l.source, l.kind, account, chat, l.root, l.path, key, l.mtimeMs, l.birthtimeMs, l.taken, l.month, l.dateRule, l.exifDate, archiveId, fileHash, recipe);
      } else {
        updateLocation.run(l.mtimeMs, l.birthtimeMs, l.taken, l.month, l.dateRule, l.exifDate, l.kind, l.source, l.root, account, chat, archiveId, l.size, fileHash, recipe, id);
      }
    }
    return archiveId;
  })();
}
