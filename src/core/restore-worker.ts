import { closeSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, utimesSync, writeSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { isInside } from '../sources/protected.js';
import { serveJobs } from './thread-pool.js';

/**
 * A writer thread for restore. Writing 3.6 GB of files is mostly kernel time; two of these
 * spread it over both cores, and synchronous calls spare each file the five thread-pool round
 * trips (open, write, close, utimes, rename) that async writes cost the main thread.
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
   * `restore --decode`: the bytes are the decoded image, compared with what is already there
   * (the raw bytes were checked against the hash: the vault's promise is about them).
   */
  decoded?: { overwrite: 'never' | 'if-different' | 'always' };
}

export interface WriteJob {
  bytes: ArrayBuffer;
  targets: WriteTarget[];
}

export type WriteOutcome = 'unsafe-path' | 'write-failed' | 'exists-different' | 'already' | null;

const checkedParents = new Map<string, boolean>();
const realRoots = new Map<string, string>();

/** The parent exists and its real path lies inside the real destination: a planted symlink cannot lead out. */
function parentIsSafe(parent: string, destRoot: string): boolean {
  let safe = checkedParents.get(parent);
  if (safe === undefined) {
    mkdirSync(parent, { recursive: true });
    let realRoot = realRoots.get(destRoot);
    if (realRoot === undefined) realRoots.set(destRoot, (realRoot = realpathSync(destRoot)));
    safe = isInside(realRoot, realpathSync(parent));
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
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    } finally {
      closeSync(fd);
    }
    utimesSync(tmp, new Date(t.mtimeMs), new Date(t.mtimeMs));
    renameSync(tmp, t.target);
    return null;
  } catch {
    rmSync(tmp, { force: true });
    return 'write-failed';
  }
}

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

export function writeAll(job: WriteJob): WriteOutcome[] {
  const bytes = new Uint8Array(job.bytes);
  return job.targets.map((t) => (t.decoded ? writeDecoded(bytes, t, t.decoded.overwrite) : write(bytes, t)));
}

if (parentPort) serveJobs(parentPort, async (job: WriteJob) => writeAll(job));
