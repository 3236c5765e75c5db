import type { ManifestImage } from '../vault/manifest.js';
import { usageError } from '../errors.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

export interface CatalogImage {
  hash: string;
  size: number;
  ext: string;
  archive_id: number;
  entry: string;
  decoded_ext: string | null;
}

/** Which of these images the vault stores. */
export type StoredAmong = (hashes: readonly string[]) => Set<string>;

/**
 * Which of these images the vault stores, asked in one statement: archive holds no set of them
 * all, and a query per hash cost about 10 µs each, for every file of a run (docs/performance.md).
 */
export function storedAmong(db: Db): StoredAmong {
  const stmt = db.prepare('SELECT hash FROM images WHERE hash IN (SELECT value FROM json_each(?))').pluck();
  return (hashes) => new Set(hashes.length === 0 ? [] : (stmt.all(JSON.stringify(hashes)) as string[]));
}

export const imageByHash = (db: Db, hash: string) =>
  db.prepare('SELECT * FROM images WHERE hash = ?').get(hash) as CatalogImage | undefined;

/**
 * Full hashes for what the user typed: a full 16-hex hash, or a prefix of at least 6 that names
 * exactly one image. An ambiguous or unknown prefix is bad input, said plainly.
 */
export function resolveHashes(db: Db, given: string[]): string[] {
  return resolvePrefixes(db.prepare('SELECT hash FROM images WHERE hash >= ? AND hash < ? LIMIT 2'), given);
}

/** Each prefix resolved by `find` (given the prefix and its upper bound, answering up to two hashes). */
export function resolvePrefixes(find: Statement, given: string[]): string[] {
  return given.map((prefix) => {
    const upper = prefix + 'g'; // 'g' sorts after every hex digit
    const found = find.pluck().all(prefix, upper) as string[];
    if (found.length === 0) throw usageError('hash.unknown', { hash: prefix });
    if (found.length > 1) throw usageError('hash.ambiguous', { hash: prefix });
    return found[0];
  });
}

/** Where a picture's bytes are stored: its zip (by name), the entry and its size; undefined when the catalogue has none. */
export function storedEntryOf(db: Db): (hash: string) => { archive: string; entry: string; size: number } | undefined {
  const stmt = db.prepare('SELECT a.name AS archive, i.entry, i.size FROM images i JOIN archives a ON a.id = i.archive_id WHERE i.hash = ?');
  return (hash) => stmt.get(hash) as { archive: string; entry: string; size: number } | undefined;
}

/** The images the catalogue says an archive stores, as a manifest lists them. */
export const imagesStoredIn = (db: Db, archiveId: number) =>
  db.prepare('SELECT hash, size, ext, entry, decoded_ext AS decodedExt FROM images WHERE archive_id = ? ORDER BY hash').all(archiveId) as ManifestImage[];
