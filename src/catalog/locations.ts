import type { ManifestLocation } from '../vault/manifest.js';
import type { Db } from './db.js';
import { pathKey } from './path-key.js';

/** A place an image was seen (as its manifest records it), with where its bytes are stored. */
export interface LocationRow extends ManifestLocation {
  id: number;
  ext: string;
  decodedExt: string | null;
  entry: string;
  archiveId: number;
  archive: string;
  archiveDamage: string | null;
  archiveVerifiedAt: string | null;
  archiveBytes: number;
  /** archived, cleaned (the original was deleted) or restored (written back since). */
  state: 'archived' | 'cleaned' | 'restored';
}

const SELECT_LOCATIONS = `
  SELECT l.id, l.hash, l.size, l.device, l.source, l.kind, l.account, l.chat, l.root, l.path,
         l.mtime_ms AS mtimeMs, l.birthtime_ms AS birthtimeMs, l.taken, l.month,
         l.date_rule AS dateRule, l.exif_date AS exifDate,
         i.ext, i.decoded_ext AS decodedExt, i.entry, i.archive_id AS archiveId, a.name AS archive, a.damage AS archiveDamage,
         a.verified_at AS archiveVerifiedAt, a.bytes AS archiveBytes,
         CASE WHEN l.restored_at IS NOT NULL AND (l.cleaned_at IS NULL OR l.restored_at > l.cleaned_at) THEN 'restored'
              WHEN l.cleaned_at IS NOT NULL THEN 'cleaned' ELSE 'archived' END AS state
  FROM locations l JOIN images i ON i.hash = l.hash JOIN archives a ON a.id = i.archive_id`;

/**
 * Locations in date order, filtered by a predicate (see core/selection), one row at a time: the
 * connection runs nothing else until the loop ends.
 */
export function* iterateLocations(db: Db, keep: (row: LocationRow) => boolean): Generator<LocationRow> {
  const stmt = db.prepare(`${SELECT_LOCATIONS} ORDER BY l.taken, l.path, l.device, l.hash`);
  for (const row of stmt.iterate() as Iterable<LocationRow>) if (keep(row)) yield row;
}

export const locationsOfHash = (db: Db, hash: string) =>
  db.prepare(`${SELECT_LOCATIONS} WHERE l.hash = ? ORDER BY l.taken, l.path, l.device`).all(hash) as LocationRow[];

/**
 * What this device last catalogued at a path: a file with the same path, size and modification
 * time is unchanged and is not read again. Looked up one path at a time (through the index of
 * path keys), so a re-run holds no map of every file it archived before.
 */
export function knownFile(db: Db, device: string): (path: string) => { size: number; mtimeMs: number } | undefined {
  // A device's first archive into a vault (the longest run of all) has nothing to look up: one
  // query instead of a look-up per file found, about 8 µs each.
  if (db.prepare('SELECT 1 FROM locations WHERE device = ? LIMIT 1').get(device) === undefined) return () => undefined;
  const stmt = db.prepare(
    'SELECT size, mtime_ms AS mtimeMs FROM locations WHERE path_key = ? AND path = ? AND device = ? ORDER BY id DESC LIMIT 1',
  );
  return (p) => stmt.get(pathKey(p), p, device) as { size: number; mtimeMs: number } | undefined;
}

/** What clean checks a file on disk against: a catalogued place, and the archive that stores its image. */
export type PlaceAtPath = Pick<LocationRow, 'id' | 'hash' | 'size' | 'device' | 'mtimeMs' | 'taken' | 'month' | 'archive' | 'archiveDamage' | 'archiveVerifiedAt' | 'archiveBytes'>;

/**
 * Every catalogued place at a path, on any device. Only the columns clean uses: it asks once per
 * file on disk, and a full LocationRow (25 columns) made each lookup twice as slow.
 */
export function placesAtPath(db: Db): (path: string) => PlaceAtPath[] {
  const stmt = db.prepare(`
    SELECT l.id, l.hash, l.size, l.device, l.mtime_ms AS mtimeMs, l.taken, l.month,
           a.name AS archive, a.damage AS archiveDamage, a.verified_at AS archiveVerifiedAt, a.bytes AS archiveBytes
    FROM locations l JOIN images i ON i.hash = l.hash JOIN archives a ON a.id = i.archive_id
    WHERE l.path_key = ? AND l.path = ? ORDER BY l.mtime_ms DESC`);
  return (p) => stmt.all(pathKey(p), p) as PlaceAtPath[];
}

/** Where this device saw a picture: the places whose bytes may still be a good copy of it (repair). */
export function placesOfPictureOn(db: Db, device: string): (hash: string) => string[] {
  const stmt = db.prepare('SELECT path FROM locations WHERE hash = ? AND device = ? ORDER BY id').pluck();
  return (hash) => stmt.all(hash, device) as string[];
}

/** The places an archive's manifest records, as a manifest lists them: what a zip written in its stead records again (repair). */
export function placesRecordedBy(db: Db, archiveId: number): ManifestLocation[] {
  const rows = db.prepare(
    `SELECT hash, size, device, source, kind, account, chat, root, path, mtime_ms AS mtimeMs, birthtime_ms AS birthtimeMs,
            taken, month, date_rule AS dateRule, exif_date AS exifDate
     FROM locations WHERE archive_id = ? ORDER BY taken, path`,
  ).all(archiveId) as (ManifestLocation & { account: string | null; chat: string | null })[];
  // The manifest leaves absent fields out, as archive writes them.
  return rows.map(({ account, chat, ...l }) => ({ ...l, ...(account !== null && { account }), ...(chat !== null && { chat }) }));
}

/** Every place a picture was seen: what is lost with it when no good copy is left anywhere. */
export const placesOfPicture = (db: Db, hash: string) =>
  db.prepare('SELECT device, path, month FROM locations WHERE hash = ? ORDER BY device, path').all(hash) as { device: string; path: string; month: string }[];
