import type { PerceptualHash } from '../media/perceptual.js';
import type { Db } from './db.js';
import { resolvePrefixes } from './images.js';
import { pathKey } from './path-key.js';

/**
 * What dedupe learns about pictures once and keeps (migrations/0008): how each looks (its
 * perceptual hashes, keyed by picture hash) and which picture a stored WeChat .dat shows.
 */

export interface DatPicture {
  picture: string;
  pictureSize: number;
}

/** The pictures of stored .dat images already learned, for a batch of image hashes. */
export function knownDatPictures(db: Db, hashes: readonly string[]): Map<string, DatPicture> {
  const rows = db
    .prepare('SELECT hash, picture, picture_size AS pictureSize FROM dat_pictures WHERE hash IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(hashes)) as (DatPicture & { hash: string })[];
  return new Map(rows.map((r) => [r.hash, { picture: r.picture, pictureSize: r.pictureSize }]));
}

export function saveDatPictures(db: Db, learned: Iterable<[string, DatPicture]>): void {
  const insert = db.prepare('INSERT OR REPLACE INTO dat_pictures (hash, picture, picture_size) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const [hash, p] of learned) insert.run(hash, p.picture, p.pictureSize);
  })();
}

/** The looks of these pictures already computed. */
export function knownLooks(db: Db, pictures: readonly string[]): Map<string, PerceptualHash> {
  const rows = db
    .prepare('SELECT picture, width, height, dhash, phash, flat FROM picture_looks WHERE picture IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(pictures)) as (Omit<PerceptualHash, 'flat'> & { picture: string; flat: number })[];
  return new Map(rows.map(({ picture, flat, ...looks }) => [picture, { ...looks, flat: flat === 1 }]));
}

export function saveLooks(db: Db, looks: Iterable<[string, PerceptualHash]>): void {
  const insert = db.prepare('INSERT OR REPLACE INTO picture_looks (picture, width, height, dhash, phash, flat) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const [picture, l] of looks) insert.run(picture, l.width, l.height, l.dhash, l.phash, l.flat ? 1 : 0);
  })();
}

/**
 * Full picture hashes for what the user typed (a full hash or a unique prefix of at least 6):
 * any picture the vault stores or dedupe has looked at.
 */
export function resolvePictures(db: Db, given: string[]): string[] {
  return resolvePrefixes(
    db.prepare(
      `WITH p(lo, hi) AS (SELECT ?, ?)
       SELECT hash FROM images, p WHERE hash >= lo AND hash < hi
       UNION SELECT picture FROM picture_looks, p WHERE picture >= lo AND picture < hi
       UNION SELECT picture FROM dat_pictures, p WHERE picture >= lo AND picture < hi LIMIT 2`,
    ),
    given,
  );
}

/**
 * What the catalogue knows of a file this device archived, unchanged since (same size and time):
 * its own bytes' hash and type, and for a WeChat .dat stored as its picture (SPEC "Picture
 * identity") that picture's hash and size.
 */
export interface CatalogedFile {
  size: number;
  mtimeMs: number;
  hash: string;
  ext: string;
  decodedExt: string | null;
  picture: string | null;
  pictureSize: number | null;
}

/** A place's own file as the columns give it: a .dat stored as its picture has its own hash, and is a .dat of the picture's type. */
const FILE_IDENTITY = `COALESCE(l.file_hash, l.hash) AS hash,
       CASE WHEN l.file_hash IS NULL THEN i.ext ELSE 'dat' END AS ext,
       CASE WHEN l.file_hash IS NULL THEN i.decoded_ext ELSE i.ext END AS decodedExt,
       CASE WHEN l.file_hash IS NULL THEN NULL ELSE l.hash END AS picture,
       CASE WHEN l.file_hash IS NULL THEN NULL ELSE i.size END AS pictureSize`;

/**
 * The catalogued file at a path of this device, looked up one path at a time through the path
 * keys: dedupe need not read a file the vault already hashed, if its size and time are the same.
 */
export function catalogedFile(db: Db, device: string): (path: string) => CatalogedFile | undefined {
  const stmt = db.prepare(
    `SELECT l.size, l.mtime_ms AS mtimeMs, ${FILE_IDENTITY}
     FROM locations l JOIN images i ON i.hash = l.hash
     WHERE l.path_key = ? AND l.path = ? AND l.device = ? ORDER BY l.id DESC LIMIT 1`,
  );
  return (p) => stmt.get(pathKey(p), p, device) as CatalogedFile | undefined;
}

/**
 * A file the vault holds as seen on one device: where dedupe's scope reaches past the disk. Its
 * own hash, size and type; `picture` (and its size) when it is a .dat stored as its picture.
 */
export interface VaultCopy {
  hash: string;
  size: number;
  ext: string;
  decodedExt: string | null;
  picture: string | null;
  pictureSize: number | null;
  device: string;
  /** How many places of that device hold it, how many of them still do (not cleaned, or restored since), and the first of them. */
  places: number;
  present: number;
  path: string;
  root: string;
  source: string;
  kind: string;
  account: string | null;
  chat: string | null;
  taken: string;
  month: string;
  archive: string;
  entry: string;
}

/**
 * Every file the vault holds (by its own hash: a .dat stored as its picture is its own file), once
 * per device that saw it, except what `exceptDevice` still holds (the disk answers for those; what
 * it cleaned lives only in the vault, and is read from there), a row at a time. The kind is the place's best (an original over a sticker
 * over a thumbnail), the date the earliest. The places are read in the table's order and grouped
 * aside (NOT INDEXED): going through the index of hashes reads them in random order, and took
 * twice as long at 300 000 places (about 2 s).
 */
export function* vaultCopies(db: Db, exceptDevice: string | null): Generator<VaultCopy> {
  const stmt = db.prepare(`
    SELECT ${FILE_IDENTITY}, l.size, l.device, l.places, l.present, l.path, l.root, l.source, l.kind, l.account, l.chat, l.taken, l.month,
           a.name AS archive, i.entry
    FROM (SELECT MIN(file_hash) AS file_hash, MIN(hash) AS hash, MIN(size) AS size, device, COUNT(*) AS places,
                 SUM(cleaned_at IS NULL OR COALESCE(restored_at > cleaned_at, 0)) AS present, MIN(path) AS path, MIN(root) AS root,
                 MIN(source) AS source, MIN(kind) AS kind, MIN(account) AS account, MIN(chat) AS chat, MIN(taken) AS taken,
                 MIN(month) AS month
          FROM locations GROUP BY COALESCE(file_hash, hash), device HAVING device != ? OR present = 0) l
    JOIN images i ON i.hash = l.hash JOIN archives a ON a.id = i.archive_id
    ORDER BY COALESCE(l.file_hash, l.hash), l.device`);
  yield* stmt.iterate(exceptDevice ?? '') as Iterable<VaultCopy>;
}
