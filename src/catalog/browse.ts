import type { Db } from './db.js';
import { PLACE_STATE } from './locations.js';

/**
 * The web page's questions (serve): a month's pictures, filtered, sorted and paged, the values its
 * filters offer, the sources' totals, and search. Every query reads a month through the index of
 * migration 0009 or the catalogue's primary keys, so a page costs the same at 300 000 places.
 */

export interface MonthFilter {
  month: string;
  source?: string;
  chat?: string;
  kind?: string;
  device?: string;
  /** The stored type (jpg, png, gif, dat…). */
  type?: string;
}

export type MonthSort = 'date' | 'date-desc' | 'size' | 'size-desc';

/** One picture in a month's grid: the picture, where it is stored, and what its places in that month share. */
export interface GridPicture {
  hash: string;
  ext: string;
  decodedExt: string | null;
  size: number;
  entry: string;
  archive: string;
  archiveDamage: string | null;
  archiveVerifiedAt: string | null;
  taken: string;
  places: number;
}

const ORDER: Record<MonthSort, string> = {
  date: 'taken, hash',
  'date-desc': 'taken DESC, hash',
  size: 'size, hash',
  'size-desc': 'size DESC, hash',
};

function monthWhere(f: MonthFilter): { where: string; params: string[] } {
  const clauses = ['l.month = ?'];
  const params = [f.month];
  const add = (sql: string, value: string | undefined) => {
    if (value === undefined) return;
    clauses.push(sql);
    params.push(value);
  };
  add('l.source = ?', f.source);
  add('l.chat = ?', f.chat);
  add('l.kind = ?', f.kind);
  add('l.device = ?', f.device);
  add('COALESCE(i.decoded_ext, i.ext) = ?', f.type);
  return { where: clauses.join(' AND '), params };
}

/** A page of a month's pictures (each once, however many places it has there) and how many in all. */
export function monthPictures(db: Db, f: MonthFilter, sort: MonthSort, offset: number, limit: number): { total: number; pictures: GridPicture[] } {
  const { where, params } = monthWhere(f);
  // The month's pictures grouped once; the total comes with the page (a window over the groups).
  const rows = db
    .prepare(
      `SELECT g.*, a.name AS archive, a.damage AS archiveDamage, a.verified_at AS archiveVerifiedAt, COUNT(*) OVER () AS total
       FROM (SELECT l.hash, i.ext, i.decoded_ext AS decodedExt, i.size, i.entry, i.archive_id, MIN(l.taken) AS taken, COUNT(*) AS places
             FROM locations l JOIN images i ON i.hash = l.hash WHERE ${where} GROUP BY l.hash) g
       JOIN archives a ON a.id = g.archive_id ORDER BY ${ORDER[sort]} LIMIT ? OFFSET ?`,
    )
    .all(...params, limit, offset) as (GridPicture & { total: number; archive_id?: number })[];
  const total = rows[0]?.total ?? (offset > 0 ? (monthPictures(db, f, sort, 0, 1).total) : 0);
  const pictures = rows.map(({ total: _t, archive_id: _a, ...p }) => p);
  return { total, pictures };
}

/** The values each filter of a month can take, with how many places have them. */
export interface MonthFacets {
  source: [string, number][];
  chat: [string, number][];
  kind: [string, number][];
  device: [string, number][];
  type: [string, number][];
}

/** Counted in one pass over the month's places. */
export function monthFacets(db: Db, month: string): MonthFacets {
  const combos = db
    .prepare(
      `SELECT l.source, l.chat, l.kind, l.device, COALESCE(i.decoded_ext, i.ext), COUNT(*)
       FROM locations l JOIN images i ON i.hash = l.hash WHERE l.month = ? GROUP BY 1, 2, 3, 4, 5`,
    )
    .raw()
    .all(month) as [string, string | null, string, string, string, number][];
  const facets = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  for (const combo of combos) {
    for (const [i, value] of combo.slice(0, 5).entries()) {
      if (value !== null) facets[i].set(value as string, (facets[i].get(value as string) ?? 0) + combo[5]);
    }
  }
  const sorted = (m: Map<string, number>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { source: sorted(facets[0]), chat: sorted(facets[1]), kind: sorted(facets[2]), device: sorted(facets[3]), type: sorted(facets[4]) };
}

export interface SourceReport {
  device: string;
  source: string;
  root: string;
  files: number;
  bytes: number;
  cleaned: number;
  firstMonth: string;
  lastMonth: string;
}

/**
 * Per device, source and root: places, their bytes, how many were cleaned, the first and last
 * month. The one pass over every place the overview makes; devices are summed from it.
 */
export const sourceReports = (db: Db) =>
  db
    .prepare(
      `SELECT device, source, root, COUNT(*) AS files, SUM(size) AS bytes,
              SUM(cleaned_at IS NOT NULL AND (restored_at IS NULL OR restored_at < cleaned_at)) AS cleaned,
              MIN(month) AS firstMonth, MAX(month) AS lastMonth
       FROM locations GROUP BY device, source, root ORDER BY device, source, root`,
    )
    .all() as SourceReport[];

/** Per month: places and their bytes, read from the month index alone. */
export const monthCounts = (db: Db) =>
  db.prepare('SELECT month, COUNT(*) AS files, SUM(size) AS bytes FROM locations GROUP BY month ORDER BY month').all() as {
    month: string;
    files: number;
    bytes: number;
  }[];

/** Pictures, stored bytes and zips: counted from the images and archives tables, not the places. */
export const storeTotals = (db: Db) =>
  db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM archives) AS archives, (SELECT COALESCE(SUM(bytes), 0) FROM archives) AS storedBytes,
              (SELECT COUNT(*) FROM images) AS images, (SELECT COALESCE(SUM(size), 0) FROM images) AS imageBytes`,
    )
    .get() as { archives: number; storedBytes: number; images: number; imageBytes: number };

/**
 * What the duplicates a vault holds are computed from, as one string: it changes when places,
 * pictures, zips or looks are added or removed, and when a run starts or ends (clean and restore
 * mark places as they go; the page sees their work once they end). Marks are not in it: marking
 * regroups what was read, it does not read everything again.
 */
export const duplicateScopeKey = (db: Db) =>
  db
    .prepare(
      `SELECT (SELECT MAX(id) FROM locations) || ':' || (SELECT COUNT(*) FROM locations) || ':' || (SELECT COUNT(*) FROM images) || ':' ||
              (SELECT COUNT(*) FROM archives) || ':' || (SELECT COUNT(*) FROM picture_looks) || ':' ||
              COALESCE((SELECT MAX(id) || '/' || MAX(finished_at) FROM runs), '')`,
    )
    .pluck()
    .get() as string;

/** A place of a copy, as the duplicates page lists it. */
export interface CopyPlace {
  id: number;
  path: string;
  kind: string;
  taken: string;
  size: number;
  state: 'archived' | 'cleaned' | 'restored';
  /** Marked "keep this copy". */
  marked: boolean;
}

/**
 * The places where a device saw a file (by its own hash: a .dat stored as its picture is its own
 * file; SPEC "Picture identity"), the one marked to keep first, then as the keep rules would order
 * them (an original before a thumbnail, the earliest, the shortest path): the first `limit`.
 * `picture` is what the file shows: the image stored for it is the file itself or that picture.
 */
export const placesOfCopy = (db: Db, copy: { hash: string; picture: string; device: string }, limit: number) =>
  (
    db
      .prepare(
        `SELECT l.id, l.path, l.kind, l.taken, l.size,
                ${PLACE_STATE} AS state,
                k.path IS NOT NULL AS marked
         FROM locations l LEFT JOIN keep_marks k ON k.picture = @picture AND k.device = l.device AND k.path = l.path
         WHERE l.hash IN (@hash, @picture) AND COALESCE(l.file_hash, l.hash) = @hash AND l.device = @device
         ORDER BY marked DESC, l.kind = 'thumb', l.taken, LENGTH(l.path), l.path, l.id LIMIT @limit`,
      )
      .all({ ...copy, limit }) as (Omit<CopyPlace, 'marked'> & { marked: number })[]
  ).map((p) => ({ ...p, marked: p.marked === 1 }));

/** A place by its id, with its own file's hash: what a "keep this copy" from the page names. */
export const placeById = (db: Db, id: number) =>
  db.prepare('SELECT id, COALESCE(file_hash, hash) AS file, device, path FROM locations WHERE id = ?').get(id) as
    | { id: number; file: string; device: string; path: string }
    | undefined;

/** The zip written last: the one a user is likeliest to look into first. */
export const newestArchive = (db: Db) => (db.prepare('SELECT name FROM archives ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined) ?? null;

/** Whether another connection committed since the last look (SQLite's data_version). */
export const catalogueVersion = (db: Db) => db.pragma('data_version', { simple: true }) as number;

export interface SearchQuery {
  /** A hash prefix (hex). */
  hash?: string;
  /** Only these places (found by their path: core/path-index). */
  ids?: readonly number[];
  chat?: string;
  /** Inclusive first day, exclusive last day, as "YYYY-MM-DD". */
  since?: string;
  before?: string;
}

export interface SearchRow {
  id: number;
  hash: string;
  ext: string;
  decodedExt: string | null;
  size: number;
  device: string;
  source: string;
  chat: string | null;
  path: string;
  taken: string;
  month: string;
}

/**
 * Places matching a search, in the order they were catalogued, a row at a time: the caller stops
 * when it has enough, so a search that matches much reads little (an order by date would sort
 * every match first). A hash prefix, a date range and a list of ids use the catalogue's keys.
 */
export function* searchPlaces(db: Db, q: SearchQuery): Generator<SearchRow> {
  const clauses: string[] = [];
  const params: string[] = [];
  if (q.hash) {
    clauses.push('l.hash >= ? AND l.hash < ?');
    params.push(q.hash, q.hash + 'g');
  }
  if (q.ids) {
    clauses.push('l.id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(q.ids));
  }
  if (q.chat) {
    clauses.push("l.chat LIKE ? ESCAPE '\\'");
    params.push(likeEscape(q.chat) + '%');
  }
  // Months first, so the month index narrows the range; the day is compared on the place.
  if (q.since) {
    clauses.push('l.month >= ? AND l.taken >= ?');
    params.push(q.since.slice(0, 7), q.since);
  }
  if (q.before) {
    clauses.push('l.month <= ? AND l.taken < ?');
    params.push(q.before.slice(0, 7), q.before);
  }
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const stmt = db.prepare(`
    SELECT l.id, l.hash, i.ext, i.decoded_ext AS decodedExt, l.size, l.device, l.source, l.chat, l.path, l.taken, l.month
    FROM locations l JOIN images i ON i.hash = l.hash ${where} ORDER BY l.id`);
  yield* stmt.iterate(...params) as Iterable<SearchRow>;
}

/** Every place's id and path after a given id, in id order (core/path-index). */
export const placePathsAfter = (db: Db, afterId: number) =>
  db.prepare('SELECT id, path FROM locations WHERE id > ? ORDER BY id').iterate(afterId) as Iterable<{ id: number; path: string }>;

/** The bytes the paths of the places after `afterId` take, each with its line end. */
export const pathBytesAfter = (db: Db, afterId: number) =>
  db.prepare('SELECT COALESCE(SUM(LENGTH(CAST(path AS BLOB)) + 1), 0) FROM locations WHERE id > ?').pluck().get(afterId) as number;

/** Text made literal inside a LIKE pattern (with ESCAPE '\'). */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

/** The stored picture: its archive and entry, for thumbnails and downloads. */
export interface StoredPicture {
  hash: string;
  size: number;
  ext: string;
  decodedExt: string | null;
  entry: string;
  archive: string;
  archiveDamage: string | null;
  archiveVerifiedAt: string | null;
}

/**
 * The stored image of a hash: an image's own, or a picture's (dedupe's marks name pictures, and a
 * .dat stored as it is shows a picture of another hash: dat_pictures says which).
 */
export const storedPicture = (db: Db, hash: string) =>
  db
    .prepare(
      `SELECT i.hash, i.size, i.ext, i.decoded_ext AS decodedExt, i.entry, a.name AS archive, a.damage AS archiveDamage,
              a.verified_at AS archiveVerifiedAt
       FROM images i JOIN archives a ON a.id = i.archive_id
       WHERE i.hash = @hash OR i.hash = (SELECT hash FROM dat_pictures WHERE picture = @hash LIMIT 1)
       ORDER BY i.hash = @hash DESC LIMIT 1`,
    )
    .get({ hash }) as StoredPicture | undefined;


