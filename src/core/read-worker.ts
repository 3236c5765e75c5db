import { closeSync, openSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { hashBytes, hashFile } from '../media/hash.js';
import { inspectBytes, inspectFile, type InspectOptions } from '../media/inspect.js';
import { headsHere, reasonOf, type HeadFile, type HeadResult } from './heads.js';
import type { FoundFile } from '../sources/types.js';
import { readFully } from '../vault/sync-io.js';
import { serveJobs } from './thread-pool.js';
import type { ZipJob, ZipJobResult } from './zip-parts.js';

/**
 * A reader thread. Archive's reading, hashing and zip writing run here, so the main thread only
 * walks, plans and keeps the catalogue: with two of these both cores stay busy. Four jobs:
 * - inspect: a plain folder's files' heads, for their type and EXIF date, while the main thread
 *   walks on (scan needs the date before it can spool a file by month);
 * - hash: read files whole (plain synchronous reads: no per-call async cost) and from the same
 *   bytes give each file's type, EXIF date and xxh64;
 * - zips: write a plan's zips (zip-parts.ts), each new image read again just before it is stored
 *   and checked against the hash the plan was made with;
 * - check: the read-back of a renamed zip, every entry re-hashed.
 */
export interface ReadTask {
  path: string;
  size: number;
  source: FoundFile['source'];
  /** Already known (plain folders are inspected at scan); then only the hash is needed. */
  known: boolean;
}

export type ReadResult =
  | { ok: true; hash: string; size: number; ext: string | null; decodedExt: string | null; exifDate: string | null }
  | { ok: false; reason: string };

export type WorkerJob =
  | { kind: 'inspect'; tasks: HeadFile[]; options: InspectOptions }
  | { kind: 'hash'; tasks: ReadTask[]; options: InspectOptions }
  | { kind: 'zips'; job: ZipJob }
  | { kind: 'check'; zip: string };

export type WorkerReply<J extends WorkerJob> = J extends { kind: 'inspect' }
  ? HeadResult[]
  : J extends { kind: 'hash' }
  ? ReadResult[]
  : J extends { kind: 'zips' }
    ? ZipJobResult
    : string[];

/** Past this a file is hashed as a stream and inspected by its head, never held whole. */
const WHOLE_READ_LIMIT = 32 * 1024 * 1024;
let buffer = Buffer.allocUnsafe(4 << 20);

/** A file's bytes in the thread's kept buffer; one byte more is asked for, so a file that grew shows as a different size. */
function readWhole(path: string, size: number): Buffer {
  if (buffer.length < size + 1) buffer = Buffer.allocUnsafe(Math.max(size + 1, buffer.length * 2));
  return buffer.subarray(0, readInto(path, buffer.subarray(0, size + 1)));
}

async function read(task: ReadTask, options: InspectOptions): Promise<ReadResult> {
  try {
    if (task.size > WHOLE_READ_LIMIT) {
      const { hash, size } = await hashFile(task.path);
      const ins = task.known ? { ext: null, decodedExt: null, exifDate: null } : await inspectFile(task, options);
      return { ok: true, hash, size, ...ins };
    }
    const bytes = readWhole(task.path, task.size);
    const ins = task.known ? { ext: null, decodedExt: null, exifDate: null } : await inspectBytes(bytes, task, options);
    return { ok: true, hash: await hashBytes(bytes), size: bytes.length, ...ins };
  } catch (err) {
    return { ok: false, reason: reasonOf(err) };
  }
}

/**
 * The bytes of the first of the paths that still hash to `hash`, in the thread's kept buffer (an
 * image past WHOLE_READ_LIMIT in memory of its own); null when none does.
 */
async function readImage(paths: string[], hash: string, size: number): Promise<Buffer | null> {
  for (const p of paths) {
    let bytes: Buffer;
    try {
      // One byte more than the image: a file that grew shows as a different size.
      bytes = size < WHOLE_READ_LIMIT ? readWhole(p, size) : readOwn(p, size);
    } catch {
      continue;
    }
    if (bytes.length === size && (await hashBytes(bytes)) === hash) return bytes;
  }
  return null;
}

/** A file's bytes in memory of their own, one byte more asked for (see readWhole). */
function readOwn(path: string, size: number): Buffer {
  const own = Buffer.allocUnsafe(size + 1);
  return own.subarray(0, readInto(path, own));
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
      for (const task of job.tasks) results.push(await read(task, job.options));
      return results;
    }
    case 'zips':
      // Imported on first use: archiver and its streams are only needed once there is a zip to write.
      return (await import('./zip-parts.js')).writeZips(job.job, readImage);
    case 'check':
      // Imported on first use too: unzipper is only needed in the thread that reads zips back (read-pool.ts).
      return (await (await import('../vault/check-zip.js')).checkZip(job.zip, { readData: true, sync: true })).damage;
  }
}

if (parentPort) serveJobs(parentPort, run);
