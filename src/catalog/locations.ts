import type { ManifestLocation } from '../vault/manifest.js';
import type { Db } from './db.js';

/** A place an image was seen (as its manifest records it), with where its bytes are stored. */
export interface LocationRow extends ManifestLocation {
  id: number;
  ext: string;
  entry: string;
  archiveId: number;
  archive: string;
  archiveDamage: string | null;
}

const SELECT_LOCATIONS = `
  SELECT l.id, l.hash, l.size, l.device, l.source, l.kind, l.root, l.path,
         l.mtime_ms AS mtimeMs, l.birthtime_ms AS birthtimeMs, l.taken, l.month,
         l.date_rule AS dateRule, l.exif_date AS exifDate,
         i.ext, i.entry, i.archive_id AS archiveId, a.name AS archive, a.damage AS archiveDamage
  FROM locations l JOIN images i ON i.hash = l.hash JOIN archives a ON a.id = i.archive_id`;

/** Locations in date order, filtered by a predicate (see core/selection). */
export function selectLocations(db: Db, keep: (row: LocationRow) => boolean): LocationRow[] {
  const out: LocationRow[] = [];
  const stmt = db.prepare(`${SELECT_LOCATIONS} ORDER BY l.taken, l.path, l.device, l.hash`);
  for (const row of stmt.iterate() as Iterable<LocationRow>) if (keep(row)) out.push(row);
  return out;
}

export const locationsOfHash = (db: Db, hash: string) =>
  db.prepare(`${SELECT_LOCATIONS} WHERE l.hash = ? ORDER BY l.taken, l.path, l.device`).all(hash) as LocationRow[];

/**
 * What this device has already catalogued, by path: a file with the same path, size and
 * modification time is unchanged and is not read again.
 */
export function knownFiles(db: Db, device: string): Map<string, { hash: string; size: number; mtimeMs: number }> {
  const rows = db
    .prepare('SELECT path, hash, size, mtime_ms AS mtimeMs FROM locations WHERE device = ? ORDER BY id')
    .all(device) as { path: string; hash: string; size: number; mtimeMs: number }[];
  return new Map(rows.map((r) => [r.path, r]));
}
