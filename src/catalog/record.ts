import type { Manifest } from '../vault/manifest.js';
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
}

/**
 * Records one archive and everything its manifest says, in one transaction: the archive, the
 * images it stores (first archive wins if an image is somehow stored twice) and the places seen.
 * Used by archive (after the zip is verified), by recovery of a zip a killed run left
 * uncatalogued, and by reindex, so all three produce the same rows.
 */
export function recordArchive(db: Db, archive: ArchiveRow, manifest: Manifest): number {
  const insertArchive = db.prepare(
    `INSERT INTO archives (name, month, xxh64, bytes, created_at, verified_at, damage)
     VALUES (@name, @month, @xxh64, @bytes, @createdAt, @verifiedAt, @damage)`,
  );
  const insertImage = db.prepare(
    `INSERT OR IGNORE INTO images (hash, size, ext, archive_id, entry, decoded_ext) VALUES (?, ?, ?, ?, ?, ?)`,
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
    const archiveId = Number(insertArchive.run({ damage: null, ...archive }).lastInsertRowid);
    for (const img of manifest.images) insertImage.run(img.hash, img.size, img.ext, archiveId, img.entry, img.decodedExt ?? null);
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
