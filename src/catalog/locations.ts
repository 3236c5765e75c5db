import type { DatRecipe } from '../media/dat.js';
import type { Rebuild } from '../media/picture-identity.js';
import type { ManifestLocation } from '../vault/manifest.js';
import type { Db } from './db.js';
import { pathKey } from './path-key.js';

/**
 * A place an image was seen (as its manifest records it), with where its bytes are stored. `hash`
 * is the stored picture's; a WeChat .dat stored as its picture has its own file's hash and the
 * recipe that rebuilds it (SPEC "Picture identity"), null for every other place.
 */
export interface LocationRow extends Omit<ManifestLocation, 'fileHash' | 'recipe'> {
  id: number;
  fileHash: string | null;
  /** As catalogued: checked (media/picture-identity.ts) before anything is rebuilt with it. */
  recipe: DatRecipe | null;
  /** The stored picture's size (`size` is the file's). */
  imageSize: number;
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

/** A place's state (`l` a row of locations): archived, cleaned (the original was deleted), or restored since. */
export const PLACE_STATE = `CASE WHEN l.restored_at IS NOT NULL AND (l.cleaned_at IS NULL OR l.restored_at > l.cleaned_at) THEN 'restored'
              WHEN l.cleaned_at IS NOT NULL THEN 'cleaned' ELSE 'archived' END`;

/** Every column of a LocationRow; its rows go through withRecipe (the recipe column is JSON). */
export const SELECT_LOCATIONS = `
  SELECT l.id, l.hash, l.size, l.device, l.source, l.kind, l.account, l.chat, l.root, l.path,
         l.mtime_ms AS mtimeMs, l.birthtime_ms AS birthtimeMs, l.taken, l.month,
         l.date_rule AS dateRule, l.exif_date AS exifDate, l.file_hash AS fileHash, l.recipe, i.size AS imageSize,
         i.ext, i.decoded_ext AS decodedExt, i.entry, i.archive_id AS archiveId, a.name AS archive, a.damage AS archiveDamage,
         a.verified_at AS archiveVerifiedAt, a.bytes AS archiveBytes,
         ${PLACE_STATE} AS state
  FROM locations l JOIN images i ON i.hash = l.hash JOIN archives a ON a.id = i.archive_id`;

/**
 * What a selection pins down that an index finds: its full hashes, its month. Only the places
 * matching it are read; the predicate still decides. Restoring one picture from the web page read
 * every place of the catalogue without it (a few seconds at 300 000 places).
 */
export interface Narrowing {
  hashes?: string[];
  month?: string;
}

/**
 * Locations in date order, filtered by a predicate (see core/selection), one row at a time: the
 * connection runs nothing else until the loop ends.
 */
export function* iterateLocations(db: Db, keep: (row: LocationRow) => boolean, narrow: Narrowing = {}): Generator<LocationRow> {
  const where: string[] = [];
  const params: string[] = [];
  if (narrow.hashes) {
    where.push('l.hash IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(narrow.hashes));
  }
  if (narrow.month !== undefined) {
    where.push('l.month = ?');
    params.push(narrow.month);
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const stmt = db.prepare(`${SELECT_LOCATIONS} ${filter} ORDER BY l.taken, l.path, l.device, l.hash`);
  for (const row of stmt.iterate(...params) as Iterable<LocationRow>) if (keep(row)) yield withRecipe(row);
}

export const locationsOfHash = (db: Db, hash: string) =>
  (db.prepare(`${SELECT_LOCATIONS} WHERE l.hash = ? ORDER BY l.taken, l.path, l.device`).all(hash) as LocationRow[]).map(withRecipe);

/**
 * The recipe column is JSON. A value that is not (a damaged catalogue) reads as no recipe: the
 * place still has its file hash, which the picture alone does not match, so nothing is written
 * for it.
 */
export function parseRecipe(json: string | null): DatRecipe | null {
  if (json === null) return null;
  try {
    return JSON.parse(json) as DatRecipe;
  } catch {
    return null;
  }
}

/** A row of SELECT_LOCATIONS as a LocationRow: its recipe column parsed. Every reader of SELECT_LOCATIONS hands its rows through this. */
export function withRecipe(row: LocationRow): LocationRow {
  if (row.recipe !== null) row.recipe = parseRecipe(row.recipe as unknown as string);
  return row;
}

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
export type PlaceAtPath = Pick<LocationRow, 'id' | 'hash' | 'size' | 'device' | 'mtimeMs' | 'taken' | 'month' | 'archive' | 'archiveDamage' | 'archiveVerifiedAt' | 'archiveBytes'> & {
  /** The hash of the file itself: what its bytes on disk must still hash to (the picture's, but for a .dat stored as its picture). */
  fileHash: string;
  /** The recipe (as JSON) that rebuilds the file from its picture, for a .dat stored as its picture. */
  recipe: string | null;
};

/**
 * Every catalogued place at a path, on any device. Only the columns clean uses: it asks once per
 * file on disk, and a full LocationRow (25 columns) made each lookup twice as slow.
 */
export function placesAtPath(db: Db): (path: string) => PlaceAtPath[] {
  const stmt = db.prepare(`
    SELECT l.id, l.hash, COALESCE(l.file_hash, l.hash) AS fileHash, l.recipe, l.size, l.device, l.mtime_ms AS mtimeMs, l.taken, l.month,
           a.name AS archive, a.damage AS archiveDamage, a.verified_at AS archiveVerifiedAt, a.bytes AS archiveBytes
    FROM locations l JOIN images i ON i.hash = l.hash JOIN archives a ON a.id = i.archive_id
    WHERE l.path_key = ? AND l.path = ? ORDER BY l.mtime_ms DESC`);
  return (p) => stmt.all(pathKey(p), p) as PlaceAtPath[];
}

/** A place's picture and file hashes as `picture:file` (the file's is the picture's but for a .dat stored as its picture); undefined when it is gone. */
export function placeIdentity(db: Db): (id: number) => string | undefined {
  const stmt = db.prepare("SELECT hash || ':' || COALESCE(file_hash, hash) FROM locations WHERE id = ?").pluck();
  return (id) => stmt.get(id) as string | undefined;
}

/**
 * Where this device saw a picture: the places whose files may still be a good copy of it (repair),
 * with their size and, for a .dat stored as its picture, the recipe it decodes with.
 */
export function placesOfPictureOn(db: Db, device: string): (hash: string) => { path: string; size: number; recipe: DatRecipe | null }[] {
  const stmt = db.prepare('SELECT path, size, recipe FROM locations WHERE hash = ? AND device = ? ORDER BY id');
  return (hash) => (stmt.all(hash, device) as { path: string; size: number; recipe: string | null }[]).map((p) => ({ ...p, recipe: parseRecipe(p.recipe) }));
}

/** The places an archive's manifest records, as a manifest lists them: what a zip written in its stead records again (repair). */
export function placesRecordedBy(db: Db, archiveId: number): ManifestLocation[] {
  const rows = db.prepare(
    `SELECT hash, size, device, source, kind, account, chat, root, path, mtime_ms AS mtimeMs, birthtime_ms AS birthtimeMs,
            taken, month, date_rule AS dateRule, exif_date AS exifDate, file_hash AS fileHash, recipe
     FROM locations WHERE archive_id = ? ORDER BY taken, path`,
  ).all(archiveId) as (Omit<ManifestLocation, 'recipe'> & { account: string | null; chat: string | null; fileHash: string | null; recipe: string | null })[];
  // The manifest leaves absent fields out, as archive writes them. A .dat stored as its picture
  // keeps its file hash and recipe: without them its place would read as the picture itself.
  return rows.map(({ account, chat, fileHash, recipe, ...l }) => ({
    ...l, ...(account !== null && { account }), ...(chat !== null && { chat }),
    ...(fileHash !== null && { fileHash, recipe: parseRecipe(recipe) ?? undefined }),
  }));
}

/** Every place a picture was seen: what is lost with it when no good copy is left anywhere. */
export const placesOfPicture = (db: Db, hash: string) =>
  db.prepare('SELECT device, path, month FROM locations WHERE hash = ? ORDER BY device, path').all(hash) as { device: string; path: string; month: string }[];

/**
 * The files the pictures of an archive rebuild, by picture: the distinct (recipe, file) of the
 * places of .dat files stored as pictures (SPEC "Picture identity"), for verify --read-data.
 */
export function rebuildsStoredIn(db: Db, archiveId: number): Map<string, Rebuild[]> {
  const rows = db.prepare(
    `SELECT DISTINCT l.hash, l.file_hash AS fileHash, l.size, l.recipe FROM locations l JOIN images i ON i.hash = l.hash
     WHERE i.archive_id = ? AND l.file_hash IS NOT NULL`,
  ).all(archiveId) as { hash: string; fileHash: string; size: number; recipe: string | null }[];
  const out = new Map<string, Rebuild[]>();
  for (const r of rows) out.set(r.hash, [...(out.get(r.hash) ?? []), { recipe: parseRecipe(r.recipe), file: { hash: r.fileHash, size: r.size } }]);
  return out;
}

/** A picture's places that are .dat files stored as it, each with the file it rebuilds. */
export function rebuiltPlacesOf(db: Db, hash: string): { device: string; path: string; month: string; rebuild: Rebuild }[] {
  const rows = db.prepare(
    'SELECT device, path, month, file_hash AS fileHash, size, recipe FROM locations WHERE hash = ? AND file_hash IS NOT NULL ORDER BY device, path',
  ).all(hash) as { device: string; path: string; month: string; fileHash: string; size: number; recipe: string | null }[];
  return rows.map((r) => ({ device: r.device, path: r.path, month: r.month, rebuild: { recipe: parseRecipe(r.recipe), file: { hash: r.fileHash, size: r.size } } }));
}
