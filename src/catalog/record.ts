import type { Manifest } from '../vault/manifest.js';
import type { Db } from './db.js';

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
  const insertLocation = db.prepare(
    `INSERT INTO locations (hash, size, device, source, kind, account, chat, root, path, mtime_ms, birthtime_ms,
                            taken, month, date_rule, exif_date, archive_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (path, device, hash) DO UPDATE SET
       mtime_ms = excluded.mtime_ms, birthtime_ms = excluded.birthtime_ms, taken = excluded.taken,
       month = excluded.month, date_rule = excluded.date_rule, exif_date = excluded.exif_date,
       kind = excluded.kind, source = excluded.source, root = excluded.root,
       account = excluded.account, chat = excluded.chat,
       archive_id = excluded.archive_id`,
  );
  return db.transaction(() => {
    const archiveId = Number(insertArchive.run({ damage: null, ...archive }).lastInsertRowid);
    for (const img of manifest.images) insertImage.run(img.hash, img.size, img.ext, archiveId, img.entry, img.decodedExt ?? null);
    // Positional parameters: named ones cost an object per row, and a run records tens of thousands.
    for (const l of manifest.locations) {
      insertLocation.run(l.hash, l.size, l.device, l.source, l.kind, l.account ?? null, l.chat ?? null, l.root, l.path, l.mtimeMs, l.birthtimeMs, l.taken, l.month, l.dateRule, l.exifDate, archiveId);
    }
    return archiveId;
  })();
}
