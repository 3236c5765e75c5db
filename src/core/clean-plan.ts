import { statSync } from 'node:fs';
import os from 'node:os';
import { locationsAtPath, rootsOfDevice, type LocationRow } from '../catalog/locations.js';
import { usageError } from '../errors.js';
import { absArchivePath } from '../vault/layout.js';
import { openVault } from '../vault/vault.js';
import type { Progress } from './progress.js';
import { scanEach } from './scan.js';
import { compileSelection, type Selection } from './selection.js';

export type KeepReason = 'not-in-vault' | 'changed' | 'archive-unverified' | 'archive-missing' | 'other-device';

export interface CleanCandidate {
  path: string;
  root: string;
  size: number;
  mtimeMs: number;
  month: string;
  hash: string;
  locationId: number;
  archive: string;
}

export interface KeptFile {
  path: string;
  size: number;
  month: string;
  reason: KeepReason | 'changed-since-plan' | 'vanished' | 'delete-failed' | 'outside-sources' | 'protected';
  device?: string;
}

export interface CleanPlan {
  vault: string;
  device: string;
  sources: string[];
  selection: Selection;
  remove: CleanCandidate[];
  keep: KeptFile[];
  bytes: number;
}

export interface CleanPlanOptions {
  vault: string;
  /** With none, the folders this device archived from. */
  sources?: string[];
  selection?: Selection;
  device?: string;
  progress?: Progress;
}

/**
 * Pure as far as the disk goes (it reads, never writes): which selected files clean would delete
 * and, for every other selected file, why it stays. A file may go only when this device archived
 * it at this path with the same size and modification time, into an archive that was verified
 * whole and is still there at its catalogued size.
 */
export async function planClean(options: CleanPlanOptions): Promise<CleanPlan> {
  const device = options.device ?? os.hostname();
  const selection = options.selection ?? {};
  const vault = await openVault(options.vault, { write: false });
  try {
    const sources = options.sources?.length ? options.sources : rootsOfDevice(vault.db, device);
    if (sources.length === 0) throw usageError('clean.noSources', { device });
    // Nothing is read here: a file that matches its catalogued place is selected by the catalogued
    // date (EXIF included), and any other file stays whatever its date.
    // Each file is judged as the walk finds it, so only the plan grows with the cache.
    const at = locationsAtPath(vault.db);
    const selected = compileSelection(selection);
    const selectedByFile = compileSelection({ ...selection, hashes: undefined });
    const archiveOk = new Map<string, boolean>();
    // Every catalogue row brings its own copy of its month and archive name; the plan keeps one
    // of each (a few hundred distinct values among hundreds of thousands of files: 26 MB at 300 000).
    const shared = new Map<string, string>();
    const one = (s: string) => shared.get(s) ?? (shared.set(s, s), s);
    const plan: CleanPlan = { vault: vault.dir, device, sources: [], selection, remove: [], keep: [], bytes: 0 };

    const scanned = await scanEach({ sources, exclude: [vault.dir], progress: options.progress, readFolders: false }, (f) => {
      const rows = at(f.path);
      const mine = rows.filter((r) => r.device === device);
      const match = mine.find((r) => r.size === f.size && r.mtimeMs === f.mtimeMs);
      if (match ? !selected({ ...f, taken: match.taken, month: match.month, hash: match.hash, device }) : !selectedByFile(f)) return;
      const keep = (reason: KeepReason, other?: LocationRow) => void plan.keep.push({ path: f.path, size: f.size, month: match?.month ?? f.month, reason, device: other?.device });
      if (mine.length === 0) return keep(rows.length > 0 ? 'other-device' : 'not-in-vault', rows[0]);
      if (!match) return keep('changed');
      if (match.archiveDamage !== null || match.archiveVerifiedAt === null) return keep('archive-unverified');
      if (!archiveOk.has(match.archive)) {
        const st = statSync(absArchivePath(vault.dir, match.archive), { throwIfNoEntry: false });
        archiveOk.set(match.archive, st !== undefined && st.size === match.archiveBytes);
      }
      if (!archiveOk.get(match.archive)) return keep('archive-missing');
      plan.remove.push({ path: f.path, root: f.root, size: f.size, mtimeMs: f.mtimeMs, month: one(match.month), hash: match.hash, locationId: match.id, archive: one(match.archive) });
      plan.bytes += f.size;
    });
    plan.sources = scanned.sources;
    return plan;
  } finally {
    await vault.close();
  }
}
