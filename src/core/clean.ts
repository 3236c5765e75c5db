import { rmdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { markPlaces, recordRun } from '../catalog/runs.js';
import { EXIT, PicvaultError } from '../errors.js';
import { isInside, isProtectedPath } from '../sources/protected.js';
import { openVault } from '../vault/vault.js';
import type { CleanCandidate, CleanPlan, KeptFile, KeptFiles } from './clean-plan.js';
import { silentProgress, type Progress } from './progress.js';
import { ReadPool } from './read-pool.js';
import type { ReadResult } from './read-worker.js';

export interface CleanExecuteOptions {
  progress?: Progress;
  /** Names of chat apps running now; clean refuses while any is, unless force. */
  appsRunning?: () => Promise<string[]>;
  force?: boolean;
  startedAt?: string;
}

export interface CleanResult {
  deleted: number;
  bytes: number;
  /** Every selected file that stays: the plan's own list, with the files that failed the last check added. */
  kept: KeptFiles;
  removedFolders: number;
}

const MARK_BATCH = 256;
/** Files the reader threads re-hash at a time: 8 of their batches, enough to keep both busy. */
const REHASH_CHUNK = 256;

/**
 * Deletes what the plan says, re-checking each file just before (SPEC invariant 1): still inside
 * a named source, bytes re-read and hashing to what the vault holds (by the reader threads, a
 * few hundred files ahead), then, at the delete, the same size and modification time as planned
 * and its archive still verified. A file failing any check stays and is reported.
 */
export async function executeClean(plan: CleanPlan, options: CleanExecuteOptions = {}): Promise<CleanResult> {
  const progress = options.progress ?? silentProgress;
  if (!options.force && options.appsRunning) {
    const running = await options.appsRunning();
    if (running.length > 0) throw new PicvaultError('clean.appRunning', { apps: running.join(', ') }, EXIT.failed);
  }
  const vault = await openVault(plan.vault, { write: true });
  const pool = new ReadPool({});
  const result: CleanResult = { deleted: 0, bytes: 0, kept: plan.keep, removedFolders: 0 };
  const verified = vault.db.prepare('SELECT verified_at IS NOT NULL AND damage IS NULL FROM archives WHERE name = ?').pluck();
  const hashOf = vault.db.prepare('SELECT hash FROM locations WHERE id = ?').pluck();
  let pending: number[] = [];
  const flush = () => {
    markPlaces(vault.db, 'cleaned_at', pending);
    pending = [];
  };
  const emptied = new Set<string>();
  try {
    progress.begin('phase.clean', plan.remove.size, plan.bytes);
    const check = { hashOf: (id: number) => hashOf.get(id), verified: (archive: string) => verified.get(archive) === 1 };
    for await (const [c, read] of rehashed(plan.remove.chunks(REHASH_CHUNK), pool, plan.sources)) {
      progress.advance(1, c.size);
      const reason = typeof read === 'string' ? read : deleteIfStillSafe(c, read, check);
      if (reason) {
        result.kept.add({ path: c.path, size: c.size, month: c.month, reason });
        continue;
      }
      result.deleted++;
      result.bytes += c.size;
      pending.push(c.locationId);
      emptied.add(path.dirname(c.path));
      if (pending.length >= MARK_BATCH) flush();
    }
    flush();
    progress.end();
    result.removedFolders = removeEmptiedFolders(emptied, plan.sources);
    recordRun(vault.db, {
      command: 'clean', device: plan.device, startedAt: options.startedAt ?? new Date().toISOString(), sources: plan.sources,
      selection: plan.selection, files: result.deleted, bytes: result.bytes, skipped: result.kept.size,
      outcome: result.kept.size > 0 ? 'partial' : 'done',
    });
    return result;
  } finally {
    if (pending.length > 0) flush();
    await pool.close();
    await vault.close();
  }
}

/**
 * Each planned file with its bytes re-read and re-hashed by the reader threads, or why it was not
 * read at all. The threads hash the next chunk while this one is deleted, so a file is re-read at
 * most two chunks before its turn; its size and time are checked again just before the delete.
 */
async function* rehashed(chunks: Iterable<CleanCandidate[]>, pool: ReadPool, sources: string[]): AsyncGenerator<[CleanCandidate, ReadResult | KeptFile['reason']]> {
  const start = (chunk: CleanCandidate[]) => {
    const verdicts = chunk.map((c) => outsideReason(c, sources));
    const tasks = chunk.filter((_, i) => verdicts[i] === null).map((c) => ({ path: c.path, size: c.size, source: 'folder' as const, known: true }));
    const reads = pool.readAll(tasks);
    // The chunk after this one is never awaited when this one fails: its failure is the same.
    reads.catch(() => undefined);
    return { chunk, verdicts, reads };
  };
  const iterator = chunks[Symbol.iterator]();
  const next = () => {
    const { value, done } = iterator.next();
    return done ? null : start(value);
  };
  for (let current = next(); current; ) {
    const following = next();
    const reads = await current.reads;
    let r = 0;
    for (const [i, c] of current.chunk.entries()) yield [c, current.verdicts[i] ?? reads[r++]];
    current = following;
  }
}

/** Why a planned file may not even be read: it is not inside a named source, or it is an app's own file. */
function outsideReason(c: CleanCandidate, sources: string[]): KeptFile['reason'] | null {
  if (!sources.some((s) => s === c.root && isInside(s, c.path))) return 'outside-sources';
  // The walk never yields these; checked again here because this is where files are deleted.
  if (isProtectedPath(path.relative(c.root, c.path))) return 'protected';
  return null;
}

interface SafetyCheck {
  /** The catalogued hash of a place now, in case the catalogue changed since the plan. */
  hashOf(locationId: number): unknown;
  /** Whether the archive is still verified whole. */
  verified(archive: string): boolean;
}

/**
 * Deletes one planned file if its re-read bytes and every check still hold; otherwise says why it
 * stays. Synchronous: the reading is in other threads, and two awaited calls a file cost the main
 * thread more than the calls themselves.
 */
function deleteIfStillSafe(c: CleanCandidate, read: ReadResult, check: SafetyCheck): KeptFile['reason'] | null {
  let st;
  try {
    st = statSync(c.path);
  } catch {
    return 'vanished';
  }
  const same = st.isFile() && st.size === c.size && st.mtimeMs === c.mtimeMs && read.ok && read.size === c.size && read.hash === c.hash;
  if (!same || check.hashOf(c.locationId) !== c.hash || !check.verified(c.archive)) return 'changed-since-plan';
  try {
    unlinkSync(c.path);
  } catch {
    return 'delete-failed';
  }
  return null;
}

/**
 * Folders the clean emptied, up to but never including a source root. Synchronous: a QQ Group2
 * cache empties some 17 000 folders, and an awaited rmdir each (a thread-pool round trip, one
 * after another) cost more than the calls (docs/performance.md, twelfth round).
 */
function removeEmptiedFolders(folders: Set<string>, roots: string[]): number {
  let removed = 0;
  // Deepest first, so a parent is tried after its children.
  const queue = [...folders].sort((a, b) => b.length - a.length);
  const tried = new Set<string>();
  for (let dir of queue) {
    while (!tried.has(dir) && roots.some((r) => r !== dir && isInside(r, dir))) {
      tried.add(dir);
      try {
        rmdirSync(dir);
        removed++;
      } catch {
        break;
      }
      dir = path.dirname(dir);
    }
  }
  return removed;
}
