import { rmdirSync, statSync, unlinkSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import path from 'node:path';
import { parseRecipe, placeIdentity } from '../catalog/locations.js';
import { markRemoved, planRemovals, settleRemovals } from '../catalog/removals.js';
import { finishRun, startRun } from '../catalog/runs.js';
import type { Rebuild } from '../media/picture-identity.js';
import { EXIT, PicvaultError } from '../errors.js';
import { isInside, isProtectedPath } from '../sources/protected.js';
import { onInterrupt } from './last-words.js';
import { openVault } from '../vault/vault.js';
import type { CleanCandidate, CleanPlan, KeptFile, KeptFiles } from './clean-plan.js';
import { silentProgress, type Progress } from './progress.js';
import { ListSpool } from '../engine/list-spool.js';
import { PictureReadBack, type ReadBackTotals } from './read-back.js';
import { ReadPool } from '../engine/read-pool.js';
import type { ReadResult } from '../engine/read-worker.js';

export interface CleanExecuteOptions {
  progress?: Progress;
  /** Names of chat apps running now; clean refuses while any is, unless force. */
  appsRunning?: () => Promise<string[]>;
  force?: boolean;
  startedAt?: string;
  /** What `catalog log` calls the run: a clean, or dedupe --clean (which plans its own candidates). */
  command?: 'clean' | 'dedupe';
}

export interface CleanResult {
  deleted: number;
  bytes: number;
  /** The files deleted, as planned; close() frees the list. */
  removed: ListSpool<CleanCandidate>;
  /** Every selected file that stays: the plan's own list, with the files that failed the last check added. */
  kept: KeptFiles;
  removedFolders: number;
  /**
   * The pictures whose stored bytes were read back from their zips before any place of theirs was
   * deleted: each distinct picture once, so `bytes` is the distinct bytes being cleaned.
   */
  readBack: ReadBackTotals;
  close(): void;
  /** The run's id in `catalog log`: `restore --run` with it undoes this run. */
  runId: number;
}

const MARK_BATCH = 256;
/** Files the reader threads re-hash at a time: 8 of their batches, enough to keep both busy. */
const REHASH_CHUNK = 256;
/** Deletes between two turns of the event loop, where a Ctrl-C is heard. */
const SIGNAL_TURN = 16;

/**
 * Deletes what the plan says, re-checking each file just before (SPEC invariant 1): still inside
 * a named source, bytes re-read and hashing to what the vault holds, and the picture's stored
 * copy read back from its zip and re-hashed in this run (once per picture; see read-back.ts),
 * both by the reader threads a few hundred files ahead; then, at the delete, the same size and
 * modification time as planned and its archive still verified. A file failing any check stays
 * and is reported. Any planner's plan will do (clean's own, dedupe's): the checks are all here.
 */
export async function executeClean(plan: CleanPlan, options: CleanExecuteOptions = {}): Promise<CleanResult> {
  const progress = options.progress ?? silentProgress;
  if (!options.force && options.appsRunning) {
    const running = await options.appsRunning();
    if (running.length > 0) throw new PicvaultError('clean.appRunning', { apps: running.join(', ') }, EXIT.failed);
  }
  const vault = await openVault(plan.vault, { write: true });
  const pool = new ReadPool({});
  const readBack = new PictureReadBack(vault.db, vault.dir, pool);
  const removed = new ListSpool<CleanCandidate>();
  const result: CleanResult = { deleted: 0, bytes: 0, removed, kept: plan.keep, removedFolders: 0, readBack: readBack.totals, close: () => removed.close(), runId: 0 };
  const verified = vault.db.prepare('SELECT verified_at IS NOT NULL AND damage IS NULL FROM archives WHERE name = ?').pluck();
  const hashOf = placeIdentity(vault.db);
  let pending: number[] = [];
  const flush = () => {
    markRemoved(vault.db, result.runId, pending);
    pending = [];
  };
  const emptied = new Set<string>();
  /** The run's record, ended with what it deleted: the places it planned and kept are struck off its list. */
  let ended = false;
  const endRun = (outcome: 'done' | 'partial' | 'interrupted') => {
    ended = true;
    flush();
    settleRemovals(vault.db, result.runId);
    finishRun(vault.db, result.runId, { files: result.deleted, bytes: result.bytes, skipped: result.kept.size, outcome });
  };
  let forgetEnding = () => {};
  try {
    // The run and every place it plans to delete are recorded before the first delete: a run
    // killed midway can still be undone (`restore --run`, catalog/removals.ts).
    result.runId = startRun(vault.db, {
      command: options.command ?? 'clean', device: plan.device, startedAt: options.startedAt ?? new Date().toISOString(), sources: plan.sources, selection: plan.selection,
    });
    planRemovals(vault.db, result.runId, (function* () {
      for (const chunk of plan.remove.chunks()) yield chunk.map((c) => c.locationId);
    })());
    forgetEnding = onInterrupt(() => endRun('interrupted'));
    progress.begin('phase.clean', plan.remove.size, plan.bytes);
    const check = { hashOf, verified: (archive: string) => verified.get(archive) === 1 };
    for await (const [c, read] of rehashed(plan.remove.chunks(REHASH_CHUNK), pool, readBack, plan.sources)) {
      progress.advance(1, c.size);
      const reason = typeof read === 'string' ? read : deleteIfStillSafe(c, read, readBack, check);
      if (reason) {
        result.kept.add({ path: c.path, size: c.size, month: c.month, reason });
        continue;
      }
      result.deleted++;
      result.bytes += c.size;
      removed.add(c);
      pending.push(c.locationId);
      emptied.add(path.dirname(c.path));
      if (pending.length >= MARK_BATCH) flush();
    }
    flush();
    progress.end();
    result.removedFolders = removeEmptiedFolders(emptied, plan.sources);
    endRun(result.kept.size > 0 ? 'partial' : 'done');
    return result;
  } finally {
    forgetEnding();
    // Stopped by an error: ended with what it did, like Ctrl-C.
    if (result.runId !== 0 && !ended) endRun('interrupted');
    await pool.close();
    await vault.close();
  }
}

/**
 * Each planned file with its bytes re-read and re-hashed by the reader threads, or why it was not
 * read at all; then the stored copies of the pictures whose files still match are read back (the
 * distinct bytes being cleaned, and no more). The threads work on the next chunk while this one
 * is deleted, so a file is re-read at most two chunks before its turn; its size and time are
 * checked again just before the delete.
 */
async function* rehashed(
  chunks: Iterable<CleanCandidate[]>, pool: ReadPool, readBack: PictureReadBack, sources: string[],
): AsyncGenerator<[CleanCandidate, ReadResult | KeptFile['reason']]> {
  const start = (chunk: CleanCandidate[]) => {
    const verdicts = chunk.map((c) => outsideReason(c, sources));
    const read = chunk.filter((_, i) => verdicts[i] === null);
    const tasks = read.map((c) => ({ path: c.path, size: c.size, source: 'folder' as const, known: true }));
    const reads = pool.readAll(tasks).then(async (results) => {
      await readBack.ensure(read.filter((c, i) => matches(c, results[i])).map((c) => ({ hash: c.hash, archive: c.archive, rebuild: rebuildOf(c) })));
      return results;
    });
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
    for (const [i, c] of current.chunk.entries()) {
      // A turn of the event loop now and then: Ctrl-C (cli/run.ts) is heard within a few deletes,
      // not after the last one, when the threads' reads are ready before the deletes need them.
      if (i % SIGNAL_TURN === 0) await nextTurn();
      yield [c, current.verdicts[i] ?? reads[r++]];
    }
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

/** What the file on disk must still hash to: its own hash (a .dat stored as its picture), else its picture's. */
const fileHashOf = (c: CleanCandidate) => c.fileHash ?? c.hash;

const matches = (c: CleanCandidate, read: ReadResult) => read.ok && read.size === c.size && read.hash === fileHashOf(c);

/** A .dat stored as its picture: its file, to be rebuilt from the picture read back (read-back.ts). */
const rebuildOf = (c: CleanCandidate): Rebuild | undefined =>
  c.recipe === undefined && c.fileHash === undefined ? undefined : { recipe: parseRecipe(c.recipe ?? null), file: { hash: fileHashOf(c), size: c.size } };

interface SafetyCheck {
  /** The catalogued picture and file hashes of a place now (`picture:file`), in case the catalogue changed since the plan. */
  hashOf(locationId: number): unknown;
  /** Whether the archive is still verified whole. */
  verified(archive: string): boolean;
}

/**
 * Deletes one planned file if its re-read bytes and every check still hold; otherwise says why it
 * stays. Synchronous: the reading is in other threads, and two awaited calls a file cost the main
 * thread more than the calls themselves.
 */
function deleteIfStillSafe(c: CleanCandidate, read: ReadResult, readBack: PictureReadBack, check: SafetyCheck): KeptFile['reason'] | null {
  const stored = readBack.verdict(c.hash);
  const rebuild = rebuildOf(c);
  let st;
  try {
    st = statSync(c.path);
  } catch {
    return 'vanished';
  }
  const same = st.isFile() && st.size === c.size && st.mtimeMs === c.mtimeMs && matches(c, read);
  if (!same) return 'changed-since-plan';
  if (stored === 'damaged') return 'stored-copy-damaged';
  if (stored !== 'good' || check.hashOf(c.locationId) !== `${c.hash}:${fileHashOf(c)}`) return 'changed-since-plan';
  if (rebuild && !readBack.rebuiltRight(c.hash, rebuild)) return 'not-rebuilt';
  // Marked damaged since the plan: by this run's read-back of another picture in the same zip.
  if (!check.verified(c.archive)) return 'archive-damaged';
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
 * after another) cost more than the calls (docs/performance.md, thirteenth round).
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
