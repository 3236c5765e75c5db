import { closeSync, openSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { wechatAesKeys } from '../media/dat.js';
import { hashBytes, hashFile, streamHash64 } from '../media/hash.js';
import { inspectBytes, inspectFile, type InspectOptions } from '../media/inspect.js';
import { headsHere, reasonOf, type HeadFile, type HeadResult } from '../core/heads.js';
import { pictureFromDat, readDat, type DatPicture } from '../media/picture-identity.js';
import type { FoundFile } from '../sources/types.js';
import type { EntriesCheck, WantedEntry } from '../vault/check-zip.js';
import { readFully } from '../vault/sync-io.js';
import { serveJobs } from './thread-pool.js';
import type { ImageReader, ZipJob, ZipJobResult } from './zip-parts.js';

/**
 * A reader thread. Archive's reading, hashing and zip writing run here, so the main thread only
 * walks, plans and keeps the catalogue: with two of these both cores stay busy. Four jobs:
 * - inspect: a plain folder's files' heads, for their type and EXIF date, while the main thread
 *   walks on (scan needs the date before it can spool a file by month);
 * - hash: read files whole (plain synchronous reads: no per-call async cost) and from the same
 *   bytes give each file's type, EXIF date and xxh64, and for a WeChat .dat the picture it hides
 *   when proven, with its hash and recipe (media/picture-identity.ts);
 * - zips: write a plan's zips (zip-parts.ts), each new image read again just before it is stored
 *   (a .dat decoded again) and checked against the hash the plan was made with;
 * - check: the read-back of a renamed zip, every entry re-hashed;
 * - readBack: clean's read-back of a few stored pictures before their places are deleted.
 */
export interface ReadTask {
  path: string;
  size: number;
  source: FoundFile['source'];
  /** Already known (plain folders are inspected at scan); then only the hash is needed. */
  known: boolean;
  /** Known at scan to be a WeChat .dat: its picture is looked for, as for one found here. */
  dat?: boolean;
  /** The 4.x tail key of the file's account, where the run has learned it (media/account-keys.ts). */
  accountXorKey?: number;
}

export type ReadResult =
  | {
      ok: true; hash: string; size: number; ext: string | null; decodedExt: string | null; exifDate: string | null;
      /** A .dat's picture, proven: what the vault stores for it (SPEC "Picture identity"). */
      picture?: DatPicture;
      /** A 4.x .dat only its account's tail key could prove, and none was given: read again once the run knows it. */
      needsAccountKey?: true;
      /** The 4.x tail key this .dat's own end marker confirms. */
      tailKey?: number;
    }
  | { ok: false; reason: string };

export type WorkerJob =
  | { kind: 'inspect'; tasks: HeadFile[]; options: InspectOptions }
  | { kind: 'hash'; tasks: ReadTask[]; options: InspectOptions }
  | { kind: 'zips'; job: ZipJob }
  | { kind: 'check'; zip: string }
  | { kind: 'readBack'; zip: string; entries: WantedEntry[] };

export type WorkerReply<J extends WorkerJob> = J extends { kind: 'inspect' }
  ? HeadResult[]
  : J extends { kind: 'hash' }
  ? ReadResult[]
  : J extends { kind: 'zips' }
    ? ZipJobResult
    : J extends { kind: 'readBack' }
      ? EntriesCheck
      : string[];

/** Past this a file is hashed as a stream and inspected by its head, never held whole. */
const WHOLE_READ_LIMIT = 32 * 1024 * 1024;
let buffer = Buffer.allocUnsafe(4 << 20);

/** A file's bytes in the thread's kept buffer; one byte more is asked for, so a file that grew shows as a different size. */
function readWhole(path: string, size: number): Buffer {
  if (buffer.length < size + 1) buffer = Buffer.allocUnsafe(Math.max(size + 1, buffer.length * 2));
  return buffer.subarray(0, readInto(path, buffer.subarray(0, size + 1)));
}

/**
 * Past WHOLE_READ_LIMIT a file is streamed: a .dat that large (WeChat keeps none) is stored raw.
 * A .dat's picture is decoded from the bytes already read: XOR, and for 4.x one AES block.
 */
async function read(task: ReadTask, options: InspectOptions, aesKeys: Buffer[]): Promise<ReadResult> {
  try {
    if (task.size > WHOLE_READ_LIMIT) {
      const { hash, size } = await hashFile(task.path);
      const ins = task.known ? { ext: null, decodedExt: null, exifDate: null } : await inspectFile(task, options);
      return { ok: true, hash, size, ...ins };
    }
    const bytes = readWhole(task.path, task.size);
    const ins = task.known ? { ext: null, decodedExt: null, exifDate: null } : await inspectBytes(bytes, task, options);
    const result: ReadResult = { ok: true, hash: await hashBytes(bytes), size: bytes.length, ...ins };
    if (ins.ext === 'dat' || task.dat) {
      // The kept buffer is this thread's: readDat may decode a 3.x file where it lies.
      const { picture, needsAccountKey, tailKey } = await readDat(bytes, result.hash, { aesKeys, accountXorKey: task.accountXorKey });
      if (picture) result.picture = picture;
      if (needsAccountKey) result.needsAccountKey = true;
      if (tailKey !== null) result.tailKey = tailKey;
    }
    return result;
  } catch (err) {
    return { ok: false, reason: reasonOf(err) };
  }
}

/**
 * The bytes of the first of the sources that still holds the image `hash`, in the thread's kept
 * buffer (an image past WHOLE_READ_LIMIT in memory of its own); null when none does. A .dat
 * source (one with a recipe) is decoded again, with the tail key its recipe names, and its
 * picture checked: whichever place is read, what is stored is the picture the plan hashed.
 */
const imageReader = (aesKeys: Buffer[]): ImageReader => async (sources, hash, size) => {
  for (const source of sources) {
    let bytes: Buffer;
    /** A picture stored as it is was hashed as it was read; a .dat's picture is hashed once decoded. */
    let readHash: string | null = null;
    try {
      // One byte more than the file: a file that grew shows as a different size.
      if (source.recipe) {
        const into = readTarget(source.size);
        bytes = into.subarray(0, readInto(source.path, into));
      }
      else ({ bytes, hash: readHash } = readHashing(source.path, source.size));
    } catch {
      continue;
    }
    if (bytes.length !== source.size) continue;
    if (source.recipe) {
      const picture = await pictureFromDat(bytes, source.recipe, aesKeys);
      if (!picture) continue;
      bytes = picture;
    }
    if (bytes.length === size && (readHash ?? (await hashBytes(bytes))) === hash) return bytes;
  }
  return null;
};

/** Bytes read and hashed at a time: well inside a core's own cache (L2, 1–2 MB). */
const PIECE_BYTES = 256 * 1024;

/**
 * A file's bytes, read into readTarget, and their xxh64, each piece hashed as soon as
 * it is read, while it is still in the core's cache: read whole and then hashed, a camera photo
 * (3.6 MB) passed through memory twice, in the thread whose time is mostly moving bytes
 * (docs/performance.md, fourteenth round).
 */
function readHashing(path: string, size: number): { bytes: Buffer; hash: string } {
  const into = readTarget(size);
  const hash = streamHash64();
  const fd = openSync(path, 'r');
  let got = 0;
  try {
    for (let n = 1; n > 0 && got < into.length; got += n) {
      n = readFully(fd, into.subarray(got, got + PIECE_BYTES), got);
      hash.update(into.subarray(got, got + n));
    }
  } finally {
    closeSync(fd);
  }
  return { bytes: into.subarray(0, got), hash: hash.digest() };
}

/**
 * Where an image to store is read: the thread's kept buffer, or past WHOLE_READ_LIMIT memory of
 * its own; one byte more than the file (see readWhole).
 */
function readTarget(size: number): Buffer {
  if (size >= WHOLE_READ_LIMIT) return Buffer.allocUnsafe(size + 1);
  if (buffer.length < size + 1) buffer = Buffer.allocUnsafe(Math.max(size + 1, buffer.length * 2));
  return buffer.subarray(0, size + 1);
}

/** Reads a file from its start until its end or `into` is full; the bytes read. */
function readInto(path: string, into: Uint8Array): number {
  const fd = openSync(path, 'r');
  try {
    return readFully(fd, into, 0);
  } finally {
    closeSync(fd);
  }
}

let heads: ReturnType<typeof headsHere> | undefined;

async function run(job: WorkerJob): Promise<unknown> {
  switch (job.kind) {
    case 'inspect':
      heads ??= headsHere(job.options);
      return heads(job.tasks);
    case 'hash': {
      const results: ReadResult[] = [];
      const aesKeys = wechatAesKeys(job.options.wechatKey);
      for (const task of job.tasks) results.push(await read(task, job.options, aesKeys));
      return results;
    }
    case 'zips':
      // Imported on first use: archiver and its streams are only needed once there is a zip to write.
      return (await import('./zip-parts.js')).writeZips(job.job, imageReader(wechatAesKeys(job.job.wechatKey)));
    case 'check':
      // Imported on first use too: unzipper is only needed in the thread that reads zips back (read-pool.ts).
      return (await (await import('../vault/check-zip.js')).checkZip(job.zip, { readData: true, sync: true })).damage;
    case 'readBack':
      return (await import('../vault/check-zip.js')).checkEntries(job.zip, job.entries);
  }
}

if (parentPort) serveJobs(parentPort, run);
