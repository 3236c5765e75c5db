import type { Db } from '../catalog/db.js';
import { catalogedFile, knownDatPictures, knownLooks, saveDatPictures, saveLooks, type DatPicture } from '../catalog/pictures.js';
import type { PerceptualHash } from '../media/perceptual.js';
import { absArchivePath } from '../vault/layout.js';
import type { StoredEntry } from '../vault/stored-entry.js';
import { ZipReader } from '../vault/zip-reader.js';
import type { PlaceTable } from './dedupe-places.js';
import type { StoredAt } from './dedupe-scope.js';
import type { PicturePool } from './picture-pool.js';
import type { PictureResult, PictureTask } from './picture-worker.js';
import { silentProgress, type Progress } from './progress.js';
import type { Skipped } from './scan.js';

export interface ExamineOptions {
  pool: PicturePool;
  /** The vault's catalogue, if any: what it knows is not read again, and what is learned is kept there. */
  db: Db | null;
  vaultDir: string | null;
  stored: StoredAt;
  device: string;
  /** Also how every picture looks (the similar tier). */
  looks: boolean;
  progress?: Progress;
}

/** Rows examined together; the next chunk is queued to the threads before this one is awaited. */
const CHUNK = 2048;
/** Hashes asked of the catalogue at once. */
const QUERY_CHUNK = 500;

/**
 * Reads what dedupe needs to know of each copy's bytes, and no more (docs/dedupe.md):
 * 1. what the catalogue knows already: a file this device archived, unchanged since, and the
 *    picture a stored .dat shows, once learned;
 * 2. every .dat, whose picture (and so its size) is only known decoded;
 * 3. every other file whose size is the size of another copy's picture: a file of a size no other
 *    picture has can have no duplicate, and is never read (as jdupes and rdfind do);
 * 4. with `looks`, every copy not read yet, and one copy of each picture whose looks the
 *    catalogue does not know.
 * Returns the looks of every picture (with `looks`) and the copies that could not be read.
 */
export async function examineCopies(table: PlaceTable, options: ExamineOptions): Promise<{ looks: Map<string, PerceptualHash | null>; unreadable: Skipped[] }> {
  const progress = options.progress ?? silentProgress;
  const unreadable: Skipped[] = [];
  const learnedDat = new Map<string, DatPicture>();
  const entries = await storedEntries(options);
  const task = (row: number, looks: boolean): PictureTask | null => {
    const size = table.sizeOf(row);
    if (table.where(row) !== 'vault') return { from: { path: table.paths[row] }, size, dat: table.isDat(row), looks };
    const entry = entries(row);
    return entry && { from: { entry }, size, dat: table.isDat(row), looks, expect: options.stored.get(row)!.hash };
  };
  const failed = new Set<number>();
  const fail = (row: number, reason: string) => {
    failed.add(row);
    unreadable.push({ path: table.paths[row], reason });
  };
  const settle = (row: number, r: PictureResult) => {
    if (!r.ok) return fail(row, r.reason);
    table.learn(row, r.hash, r.picture, r.pictureSize, r.ext);
    if (table.where(row) === 'vault' && table.isDat(row)) learnedDat.set(r.hash, { picture: r.picture, pictureSize: r.pictureSize });
  };
  const read = (rows: number[], looks: boolean, onResult: (row: number, r: PictureResult) => void) =>
    readRows(rows, (row) => task(row, looks), options.pool, progress, onResult);

  if (options.db) recall(table, options.db, options.device, options.stored);
  const unread = (row: number) => (table.hash[row] === undefined || table.picture[row] === undefined) && !failed.has(row);

  progress.begin('phase.dedupe', 0);
  await read(rowsWhere(table, (row) => table.isDat(row) && unread(row)), false, settle);
  // Every picture size seen; a plain file is read only when its size is among them twice.
  const sizes = new Map<number, number>();
  for (let row = 0; row < table.length; row++) {
    const size = unread(row) ? (table.isDat(row) ? -1 : table.sizeOf(row)) : table.pictureSizeOf(row);
    if (size >= 0) sizes.set(size, (sizes.get(size) ?? 0) + 1);
  }
  await read(rowsWhere(table, (row) => unread(row) && !table.isDat(row) && sizes.get(table.sizeOf(row))! > 1), false, settle);

  const looks = new Map<string, PerceptualHash | null>();
  if (options.looks) {
    // Never read (no size like it): hashed and looked at in one read.
    await read(rowsWhere(table, unread), true, (row, r) => {
      settle(row, r);
      if (r.ok) looks.set(r.picture, r.looks ?? null);
    });
    const pictures = new Map<string, number>();
    for (let row = 0; row < table.length; row++) {
      const p = table.picture[row];
      if (p !== undefined && !looks.has(p) && table.ext[row] !== null && (!pictures.has(p) || table.where(pictures.get(p)!) === 'vault')) pictures.set(p, row);
    }
    if (options.db) for (const chunk of chunks([...pictures.keys()], QUERY_CHUNK)) for (const [p, l] of knownLooks(options.db, chunk)) looks.set(p, l);
    const learned: [string, PerceptualHash][] = [];
    await read([...pictures].filter(([p]) => !looks.has(p)).map(([, row]) => row), true, (row, r) => {
      if (!r.ok) return fail(row, r.reason);
      looks.set(r.picture, r.looks ?? null);
      if (r.looks) learned.push([r.picture, r.looks]);
    });
    if (options.db) keep(() => saveLooks(options.db!, learned));
  }
  progress.end();
  if (options.db) keep(() => saveDatPictures(options.db!, learnedDat));
  return { looks, unreadable };
}

/**
 * What the catalogue knows: the hash of each file this device archived at the same path with the
 * same size and time, and the picture of each stored .dat learned before.
 */
function recall(table: PlaceTable, db: Db, device: string, stored: StoredAt): void {
  const cataloged = catalogedFile(db, device);
  const datRows = new Map<string, number[]>();
  for (let row = 0; row < table.length; row++) {
    let hash = stored.get(row)?.hash;
    if (table.where(row) === 'source') {
      const known = cataloged(table.paths[row]);
      if (!known || known.size !== table.sizeOf(row) || known.mtimeMs !== table.mtimeOf(row)) continue;
      if (!table.isDat(row)) {
        table.learn(row, known.hash, known.hash, known.size, known.ext);
        continue;
      }
      hash = known.hash;
    }
    if (hash !== undefined && table.isDat(row) && table.picture[row] === undefined) datRows.set(hash, [...(datRows.get(hash) ?? []), row]);
  }
  for (const chunk of chunks([...datRows.keys()], QUERY_CHUNK)) {
    for (const [hash, p] of knownDatPictures(db, chunk)) for (const row of datRows.get(hash)!) table.learn(row, hash, p.picture, p.pictureSize, 'dat');
  }
}

/** Where the vault copies' bytes are in their zips: each zip's directory read once. */
async function storedEntries(options: ExamineOptions): Promise<(row: number) => StoredEntry | null> {
  const byRow = new Map<number, StoredEntry>();
  if (!options.vaultDir) return () => null;
  const byArchive = new Map<string, number[]>();
  for (const [row, at] of options.stored) byArchive.set(at.archive, [...(byArchive.get(at.archive) ?? []), row]);
  for (const [archive, rows] of byArchive) {
    const zip = absArchivePath(options.vaultDir, archive);
    const reader = await ZipReader.open(zip).catch(() => null);
    if (!reader) continue;
    for (const row of rows) {
      const e = reader.entries.get(options.stored.get(row)!.entry);
      // Images are stored; an entry some other tool deflated is left out here (verify says so).
      if (e && e.method === 0) byRow.set(row, { zip, headerOffset: e.headerOffset, size: e.compressedSize });
    }
    await reader.close();
  }
  return (row) => byRow.get(row) ?? null;
}

/**
 * Examines rows in the picture threads, a chunk at a time with the next one queued, so the
 * threads never idle between chunks and the main thread holds two chunks of results at most.
 */
async function readRows(rows: number[], task: (row: number) => PictureTask | null, pool: PicturePool, progress: Progress, onResult: (row: number, r: PictureResult) => void): Promise<void> {
  const start = (from: number) => {
    const tasks = rows.slice(from, from + CHUNK).map((row) => ({ row, task: task(row) })).filter((t): t is { row: number; task: PictureTask } => t.task !== null);
    const slice = tasks.map((t) => t.row);
    const results = pool.examine(tasks.map((t) => t.task), (n, bytes) => progress.advance(n, bytes));
    results.catch(() => undefined); // awaited in its turn
    return { slice, results };
  };
  for (let at = 0, current = rows.length > 0 ? start(0) : null; current; ) {
    at += CHUNK;
    const next = at < rows.length ? start(at) : null;
    const results = await current.results;
    current.slice.forEach((row, i) => onResult(row, results[i]));
    current = next;
  }
}

function rowsWhere(table: PlaceTable, keep: (row: number) => boolean): number[] {
  const rows: number[] = [];
  for (let row = 0; row < table.length; row++) if (keep(row)) rows.push(row);
  return rows;
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** What dedupe learns is kept when the catalogue takes it; a read-only vault simply learns it again. */
function keep(save: () => void): void {
  try {
    save();
  } catch {
    // read-only catalogue, or another run holding it: the cache is only a saving
  }
}
