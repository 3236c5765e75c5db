import { closeSync, openSync, readFileSync, renameSync, rmSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { errnoCode } from '../errors.js';
import { hashBytes } from '../media/hash.js';
import { confirmedTailKey, tryDecodeDat, wechatAesKeys, type ProvenDat } from '../media/dat.js';
import { utimesSeconds } from '../media/file-time.js';
import { RebuildCache, type Rebuild } from '../media/picture-identity.js';
import { restorePartName } from '../sources/own-files.js';
import { KeptBuffer, readStoredEntry, type StoredEntry } from '../vault/stored-entry.js';
import { writeFully } from '../vault/sync-io.js';
import { RestoreFolders } from '../core/restore-folders.js';
import { withPictureExtension } from '../core/restore-target.js';
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
 * Each file is written under a temporary name beside its target (own-files.ts: short, whatever the
 * target's name), dated, then renamed, so a target is either absent, its old self, or exactly the
 * checked bytes. Folders are made one level at a time and checked once (restore-folders.ts):
 * twenty thousand files live in a few hundred folders.
 */
export interface WriteTarget {
  target: string;
  mtimeMs: number;
  /** The folder the target must stay inside, through any symlink. */
  destRoot: string;
  /**
   * `restore --decode`: this place gets the decoded picture under its picture's extension,
   * compared with what is already there (the raw bytes were checked against the hash: the vault's
   * promise is about them). Only a proven decoding is written (media/dat.ts); otherwise the raw
   * .dat goes to `target`, its own name.
   */
  decoded?: { overwrite: 'never' | 'if-different' | 'always' };
  /**
   * A WeChat .dat stored as its picture (SPEC "Picture identity"): the place gets its own file,
   * rebuilt from the picture with its recipe and proven to hash to its file hash before a byte is
   * written; a rebuild that is not proven (or no recipe) is never written.
   */
  rebuild?: Rebuild;
}

export type { StoredEntry };

export interface WriteJob {
  /** The image's bytes, read here from a stored entry, or given (an entry unzipper had to inflate). */
  from: { entry: StoredEntry } | { bytes: ArrayBuffer };
  hash: string;
  size: number;
  targets: WriteTarget[];
  wechatKey?: string;
  /** The 4.x tail key of the places' account, where the run has learned it (media/account-keys.ts). */
  accountXorKey?: number;
  /**
   * A first pass: a 4.x picture that only an account key could prove is not written yet but handed
   * back (`deferred`), to be tried again once the run has seen the account's other files.
   */
  deferUnproven?: boolean;
}

export type WriteOutcome = 'unsafe-path' | 'write-failed' | 'exists-different' | 'already' | 'damaged' | 'not-rebuilt' | null;

export interface WriteReply {
  /** One per target; those not tried because the drive stopped the run are 'write-failed'. */
  outcomes: WriteOutcome[];
  /** The image could not be decoded: places that asked for the decoded image got the raw bytes. */
  undecodable: boolean;
  /** Why not, when a key would have done it: a V2 file no AES key given opens. */
  needsV2Key?: boolean;
  /** Where each target was written when it is not `target` (the decoded picture's own name). */
  writtenAs?: (string | null)[];
  /** The 4.x tail key this file's own end marker confirmed: its account's key. */
  learnedXorKey?: number;
  /** Nothing was written: see WriteJob.deferUnproven. */
  deferred?: boolean;
  /** The drive stopped the run at this target (see DriveStop): the main thread starts no more. */
  stopped?: { code: string; path: string };
}

/** A write error that is the drive's, not the one file's: full, over quota, read-only, failing. */
class DriveStop extends Error {
  constructor(readonly code: string, readonly path: string) {
    super(`${code}: ${path}`);
  }
}

const folders = new RestoreFolders();

function write(bytes: Uint8Array, t: WriteTarget): WriteOutcome {
  const parent = path.dirname(t.target);
  const tmp = path.join(parent, restorePartName());
  try {
    if (!folders.enter(parent, t.destRoot)) return 'unsafe-path';
    const fd = openSync(tmp, 'wx');
    try {
      writeFully(fd, bytes);
    } finally {
      closeSync(fd);
    }
    const time = utimesSeconds(t.mtimeMs);
    utimesSync(tmp, time, time);
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

const kept = new KeptBuffer();

/** One stored image, read and checked once, then written to every place it belongs. */
export async function restoreImage(job: WriteJob): Promise<WriteReply> {
  const raw = 'entry' in job.from ? readStoredEntry(job.from.entry, kept) : Buffer.from(job.from.bytes);
  const checked = raw !== null && raw.length === job.size && (await hashBytes(raw)) === job.hash;
  if (!checked) return { outcomes: job.targets.map(() => 'damaged'), undecodable: false };
  const decoding = job.targets.some((t) => t.decoded);
  let proven: ProvenDat | null = null;
  let learnedXorKey: number | undefined;
  let needsV2Key = false;
  if (decoding) {
    const aesKeys = wechatAesKeys(job.wechatKey);
    const got = await tryDecodeDat(raw, { aesKeys, accountXorKey: job.accountXorKey });
    if (got === 'needs-account-key' && job.deferUnproven) return { outcomes: job.targets.map(() => null), undecodable: false, deferred: true };
    proven = typeof got === 'string' ? null : got;
    needsV2Key = got === 'needs-v2-key';
    learnedXorKey = (await confirmedTailKey(raw, aesKeys)) ?? undefined;
  }
  const outcomes: WriteOutcome[] = [];
  const writtenAs: (string | null)[] = [];
  const reply = (stopped?: WriteReply['stopped']): WriteReply => ({
    outcomes, undecodable: decoding && proven === null, writtenAs,
    ...(needsV2Key && { needsV2Key }), ...(learnedXorKey !== undefined && { learnedXorKey }), ...(stopped && { stopped }),
  });
  const rebuilds = new RebuildCache(raw);
  for (const t of job.targets) {
    try {
      if (t.rebuild) {
        writtenAs.push(null);
        const rebuilt = await rebuilds.get(t.rebuild);
        outcomes.push(rebuilt ? write(rebuilt, t) : 'not-rebuilt');
      } else if (t.decoded && proven) {
        const target = withPictureExtension(t.target, proven.pictureExt);
        writtenAs.push(target);
        outcomes.push(writeDecoded(proven.picture, { ...t, target }, t.decoded.overwrite));
      } else {
        writtenAs.push(null);
        outcomes.push(t.decoded ? writeDecoded(raw, t, t.decoded.overwrite) : write(raw, t));
      }
    } catch (err) {
      if (!(err instanceof DriveStop)) throw err;
      // The targets written before it are reported as written: the catalogue's audit says so.
      while (outcomes.length < job.targets.length) outcomes.push('write-failed');
      return reply({ code: err.code, path: err.path });
    }
  }
  return reply();
}

if (parentPort) serveJobs(parentPort, restoreImage);
