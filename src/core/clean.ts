import { readFile, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { markPlaces, recordRun } from '../catalog/runs.js';
import { EXIT, PicvaultError } from '../errors.js';
import { hashBytes } from '../media/hash.js';
import { isInside, isProtectedPath } from '../sources/protected.js';
import { openVault } from '../vault/vault.js';
import type { CleanCandidate, CleanPlan, KeptFile, KeptFiles } from './clean-plan.js';
import { silentProgress, type Progress } from './progress.js';

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

/**
 * Deletes what the plan says, re-checking each file just before (SPEC invariant 1): still inside
 * a named source, same size and modification time, bytes hashing to what the vault holds, its
 * archive still verified. A file failing any check stays and is reported.
 */
export async function executeClean(plan: CleanPlan, options: CleanExecuteOptions = {}): Promise<CleanResult> {
  const progress = options.progress ?? silentProgress;
  if (!options.force && options.appsRunning) {
    const running = await options.appsRunning();
    if (running.length > 0) throw new PicvaultError('clean.appRunning', { apps: running.join(', ') }, EXIT.failed);
  }
  const vault = await openVault(plan.vault, { write: true });
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
    const check = { sources: plan.sources, hashOf: (id: number) => hashOf.get(id), verified: (archive: string) => verified.get(archive) === 1 };
    for (const chunk of plan.remove.chunks()) {
      for (const c of chunk) {
        progress.advance(1, c.size);
        const reason = await deleteIfStillSafe(c, check);
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
    }
    flush();
    progress.end();
    result.removedFolders = await removeEmptiedFolders(emptied, plan.sources);
    recordRun(vault.db, {
      command: 'clean', device: plan.device, startedAt: options.startedAt ?? new Date().toISOString(), sources: plan.sources,
      selection: plan.selection, files: result.deleted, bytes: result.bytes, skipped: result.kept.size,
      outcome: result.kept.size > 0 ? 'partial' : 'done',
    });
    return result;
  } finally {
    if (pending.length > 0) flush();
    await vault.close();
  }
}

interface SafetyCheck {
  sources: string[];
  /** The catalogued hash of a place now, in case the catalogue changed since the plan. */
  hashOf(locationId: number): unknown;
  /** Whether the archive is still verified whole. */
  verified(archive: string): boolean;
}

/** Deletes one planned file if every check still holds; otherwise says why it stays. */
async function deleteIfStillSafe(c: CleanCandidate, check: SafetyCheck): Promise<KeptFile['reason'] | null> {
  if (!check.sources.some((s) => s === c.root && isInside(s, c.path))) return 'outside-sources';
  // The walk never yields these; checked again here because this is where files are deleted.
  if (isProtectedPath(path.relative(c.root, c.path))) return 'protected';
  const st = await stat(c.path).catch(() => null);
  if (!st) return 'vanished';
  const bytes = st.isFile() && st.size === c.size && st.mtimeMs === c.mtimeMs ? await readFile(c.path).catch(() => null) : null;
  if (!bytes || (await hashBytes(bytes)) !== c.hash || check.hashOf(c.locationId) !== c.hash || !check.verified(c.archive)) {
    return 'changed-since-plan';
  }
  try {
    await unlink(c.path);
  } catch {
    return 'delete-failed';
  }
  return null;
}

/** Folders the clean emptied, up to but never including a source root. */
async function removeEmptiedFolders(folders: Set<string>, roots: string[]): Promise<number> {
  let removed = 0;
  // Deepest first, so a parent is tried after its children.
  const queue = [...folders].sort((a, b) => b.length - a.length);
  const tried = new Set<string>();
  for (let dir of queue) {
    while (!tried.has(dir) && roots.some((r) => r !== dir && isInside(r, dir))) {
      tried.add(dir);
      try {
        await rmdir(dir);
        removed++;
      } catch {
        break;
      }
      dir = path.dirname(dir);
    }
  }
  return removed;
}
