import { closeSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { errnoCode } from '../errors.js';
import { hashBytes } from '../media/hash.js';
import { decodeDat } from '../media/dat.js';
import { isInside } from '../sources/protected.js';
import { readFully, writeFully } from '../vault/sync-io.js';
import { LOCAL_HEADER, localDataStart } from '../vault/zip-reader.js';
import { serveJobs } from './thread-pool.js';

/**
 * A writer thread for restore. Writing 3.6 GB of files is mostly kernel time; two of these
 * spread it over both cores, and synchronous calls spare each file the five thread-pool round
 * trips (open, write, close, utimes, rename) that async writes cost the main thread.
 *
 * The thread reads each stored image itself, at its offset in the zip, into a buffer it keeps,
 * and checks it against the catalogue's hash and size before writing a byte: no image's bytes
 * cross between threads (each crossing was a fresh buffer for the garbage collector, and memory
 * glibc could not hand back).
 *
 * Each file is written under a temporary name beside its target, dated, then renamed, so a target
 * is either absent, its old self, or exactly the checked bytes. Folders made and real-path checks
 * are remembered: twenty thousand files live in a few hundred folders.
 */
export interface WriteTarget {
  target: string;
  mtimeMs: number;
  /** The folder the target must stay inside, through any symlink. */
  destRoot: string;
  /**
   * `restore --decode`: this place gets the decoded image, compared with what is already there
   * (the raw bytes were checked against the hash: the vault's promise is about them). When the
   * bytes cannot be decoded, the raw bytes are written instead.
   */
  decoded?: { overwrite: 'never' | 'if-different' | 'always' };
}

/** Where a stored entry's bytes are: its zip and its local header (from the central directory). */
export interface StoredEntry {
  zip: string;
  headerOffset: number;
  size: number;
}

export interface WriteJob {
  /** The image's bytes, read here from a stored entry, or given (an entry unzipper had to inflate). */
  from: { entry: StoredEntry } | { bytes: ArrayBuffer };
  hash: string;
  size: number;
  targets: WriteTarget[];
  wechatKey?: string;
}

export type WriteOutcome = 'unsafe-path' | 'write-failed' | 'exists-different' | 'already' | 'damaged' | null;

export interface WriteReply {
  /** One per target; those not tried because the drive stopped the run are 'write-failed'. */
  outcomes: WriteOutcome[];
  /** The image could not be decoded: places that asked for the decoded image got the raw bytes. */
  undecodable: boolean;
  /** The drive stopped the run at this target (see DriveStop): the main thread starts no more. */
  stopped?: { code: string; path: string };
}

/** A write error that is the drive's, not the one file's: full, over quota, read-only, failing. */
class DriveStop extends Error {
  constructor(readonly code: string, readonly path: string) {
    super(`${code}: ${path}`);
  }
}

const checkedParents = new Map<string, boolean>();
const realRoots = new Map<string, string>();

/**
 * The operating system's real path of a folder (realpath(3), GetFinalPathNameByHandle), one call:
 * Node's own realpathSync takes an lstat per component of the path, some 18 here, and a QQ Group2
 * cache restores into 17 000 new folders (three times the time; docs/performance.md, twelfth
 * round). Where the system's call fails (some virtual drives on Windows), Node's walk answers.
 */
function realPath(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return realpathSync(p);
  }
}

/** The parent exists and its real path lies inside the real destination: a planted symlink cannot lead out. */
function parentIsSafe(parent: string, destRoot: string): boolean {
  let safe = checkedParents.get(parent);
  if (safe === undefined) {
    mkdirSync(parent, { recursive: true });
    let realRoot = realRoots.get(destRoot);
    if (realRoot === undefined) realRoots.set(destRoot, (realRoot = realPath(destRoot)));
    safe = isInside(realRoot, realPath(parent));
    checkedParents.set(parent, safe);
  }
  return safe;
}

function write(bytes: Uint8Array, t: WriteTarget): WriteOutcome {
  const parent = path.dirname(t.target);
  const tmp = path.join(parent, `.${path.basename(t.target)}.${randomBytes(4).toString('hex')}.picvault-part`);
  try {
    if (!parentIsSafe(parent, t.destRoot)) return 'unsafe-path';
    const fd = openSync(tmp, 'wx');
    try {
      writeFully(fd, bytes);
    } finally {
      closeSync(fd);
    }
    utimesSync(tmp, new Date(t.mtimeMs), new Date(t.mtimeMs));
    renameSync(tmp, t.target);
    return null;
  } catch (err) {
    rmSync(tmp, { force: true });
    // A full, read-only or failing drive fails every write after this one too: the run stops
    // (restore.ts) instead of listing each remaining file as not written.
    const code = errnoCode(err);
    if (code && DRIVE_WIDE.has(code)) throw new DriveStop(code, t.target);
    return 'write-failed';
  }
}

/** Write errors that are the drive's, not the one file's (a folder closed to the user is the file's). */
const DRIVE_WIDE = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO']);

function writeDecoded(bytes: Uint8Array, t: WriteTarget, overwrite: 'never' | 'if-different' | 'always'): WriteOutcome {
  let existing: Buffer | null = null;
  try {
    existing = readFileSync(t.target);
  } catch {
    // nothing there yet
  }
  if (existing && existing.equals(bytes) && overwrite !== 'always') return 'already';
  if (existing && overwrite === 'never') return 'exists-different';
  return write(bytes, t);
}

let buffer = Buffer.allocUnsafe(4 << 20);

/**
 * A stored entry's bytes, in the kept buffer; null when the zip is unreadable there. The zip is
 * opened for each image: a restore reads a few thousand images, and no handle outlives its job.
 */
function readEntry(entry: StoredEntry): Buffer | null {
  let fd: number | null = null;
  try {
    fd = openSync(entry.zip, 'r');
    const header = buffer.subarray(0, LOCAL_HEADER);
    const dataStart = readFully(fd, header, entry.headerOffset) === LOCAL_HEADER ? localDataStart(header, entry.headerOffset) : null;
    if (dataStart === null) return null;
    if (buffer.length < entry.size) buffer = Buffer.allocUnsafe(Math.max(entry.size, buffer.length * 2));
    const data = buffer.subarray(0, entry.size);
    return readFully(fd, data, dataStart) === entry.size ? data : null;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** One stored image, read and checked once, then written to every place it belongs. */
export async function restoreImage(job: WriteJob): Promise<WriteReply> {
  const raw = 'entry' in job.from ? readEntry(job.from.entry) : Buffer.from(job.from.bytes);
  const checked = raw !== null && raw.length === job.size && (await hashBytes(raw)) === job.hash;
  if (!checked) return { outcomes: job.targets.map(() => 'damaged'), undecodable: false };
  const decoding = job.targets.some((t) => t.decoded);
  const decoded = decoding ? decodeDat(raw, { wechatKey: job.wechatKey }) : null;
  const outcomes: WriteOutcome[] = [];
  for (const t of job.targets) {
    try {
      outcomes.push(t.decoded ? writeDecoded(decoded ?? raw, t, t.decoded.overwrite) : write(raw, t));
    } catch (err) {
      if (!(err instanceof DriveStop)) throw err;
      // The targets written before it are reported as written: the catalogue's audit says so.
      while (outcomes.length < job.targets.length) outcomes.push('write-failed');
      return { outcomes, undecodable: decoding && decoded === null, stopped: { code: err.code, path: err.path } };
    }
  }
  return { outcomes, undecodable: decoding && decoded === null };
}

if (parentPort) serveJobs(parentPort, restoreImage);
