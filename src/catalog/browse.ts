import type { Db } from './db.js';

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

/** One picture in a month's grid: the picture and what its places in that month share. */
export interface GridPicture {
  hash: string;
  ext: string;
  decodedExt: string | null;
  size: number;
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
  const grouped = `
    SELECT l.hash, i.ext, i.decoded_ext AS decodedExt, i.size, MIN(l.taken) AS taken, COUNT(*) AS places
    FROM locations l JOIN images i ON i.hash = l.hash WHERE ${where} GROUP BY l.hash`;
  const total = db.prepare(`SELECT COUNT(*) FROM (${grouped})`).pluck().get(...params) as number;
  const pictures = db.prepare(`SELECT * FROM (${grouped}) ORDER BY ${ORDER[sort]} LIMIT ? OFFSET ?`).all(...params, limit, offset) as GridPicture[];
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

export function monthFacets(db: Db, month: string): MonthFacets {
  const facet = (column: string) =>
    db
      .prepare(`SELECT ${column} AS v, COUNT(*) FROM locations l JOIN images i ON i.hash = l.hash WHERE l.month = ? AND ${column} IS NOT NULL GROUP BY v ORDER BY v`)
      .raw()
      .all(month) as [string, number][];
  return {
    source: facet('l.source'),
    chat: facet('l.chat'),
    kind: facet('l.kind'),
    device: facet('l.device'),
    type: facet('COALESCE(i.decoded_ext, i.ext)'),
  };
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
 * Every picture seen at more than one place, with how many and its size: the identical tier of
 * duplicates. Counted from the index of places by hash alone.
 */
export const repeatedPictures = (db: Db) =>
  db
    .prepare('SELECT r.hash, r.places, i.size FROM (SELECT hash, COUNT(*) AS places FROM locations GROUP BY hash HAVING COUNT(*) > 1) r JOIN images i ON i.hash = r.hash')
    .all() as { hash: string; places: number; size: number }[];

/** Whether another connection committed since the last look (SQLite's data_version). */
export const catalogueVersion = (db: Db) => db.pragma('data_version', { simple: true }) as number;

export interface SearchQuery {
  /** A hash prefix (hex). */
  hash?: string;
  /** LIKE pattern that every match of the path test satisfies: narrows the scan before the exact test. */
  pathLike?: string;
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
 * Places matching a search, in date order, a row at a time (the caller stops when it has enough).
 * A hash prefix and a date range use the catalogue's keys; a path is narrowed by LIKE and tested
 * exactly by the caller.
 */
export function* searchPlaces(db: Db, q: SearchQuery): Generator<SearchRow> {
  const clauses: string[] = [];
  const params: string[] = [];
  if (q.hash) {
    clauses.push('l.hash >= ? AND l.hash < ?');
    params.push(q.hash, q.hash + 'g');
  }
  if (q.pathLike) {
    clauses.push("l.path LIKE ? ESCAPE '\\'");
    params.push(q.pathLike);
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
    FROM locations l JOIN images i ON i.hash = l.hash ${where} ORDER BY l.taken, l.id`);
  yield* stmt.iterate(...params) as Iterable<SearchRow>;
}

/** Text made literal inside a LIKE pattern (with ESCAPE '\'). */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

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

export const storedPicture = (db: Db, hash: string) =>
  db
    .prepare(
      `SELECT i.hash, i.size, i.ext, i.decoded_ext AS decodedExt, i.entry, a.name AS archive, a.damage AS archiveDamage,
              a.verified_at AS archiveVerifiedAt
       FROM images i JOIN archives a ON a.id = i.archive_id WHERE i.hash = ?`,
    )
    .get(hash) as StoredPicture | undefined;


