import { statSync } from 'node:fs';
import os from 'node:os';
import { placesAtPath, type PlaceAtPath } from '../catalog/locations.js';
import { archivedSources } from '../catalog/runs.js';
import { usageError } from '../errors.js';
import { sameFileTime } from '../media/file-time.js';
import { absArchivePath } from '../vault/layout.js';
import { openVault, type Vault } from '../vault/vault.js';
import { ListSpool } from '../engine/list-spool.js';
import { Reservoir } from '../engine/reservoir.js';
import type { Progress } from './progress.js';
import { scanEach, type ScannedFile } from './scan.js';
import { compileSelection, type Selection } from './selection.js';

export type KeepReason = 'not-in-vault' | 'not-image' | 'changed' | 'archive-unverified' | 'archive-damaged' | 'archive-missing' | 'other-device';

export interface CleanCandidate {
  path: string;
  root: string;
  size: number;
  mtimeMs: number;
  month: string;
  /** The stored picture's hash. */
  hash: string;
  /**
   * A WeChat .dat stored as its picture (SPEC "Picture identity"): what its bytes on disk hash to,
   * and the recipe (catalogue JSON) that rebuilds it from the picture. Absent: the file is its picture.
   */
  fileHash?: string;
  recipe?: string;
  locationId: number;
  archive: string;
}

export interface KeptFile {
  path: string;
  size: number;
  month: string;
  /** dedupe --clean adds kept-copy-changed: the copy that stays is no longer as it was, so its group's copies stay too. */
  reason: KeepReason | 'changed-since-plan' | 'stored-copy-damaged' | 'not-rebuilt' | 'vanished' | 'delete-failed' | 'outside-sources' | 'protected' | 'kept-copy-changed';
  device?: string;
}

/**
 * Selected files that stay, with a count for each reason. `clean` adds the files that fail its
 * last check before delete. Held in a ListSpool: a cache never archived can be all of them.
 */
export class KeptFiles {
  readonly byReason = new Map<KeptFile['reason'], number>();
  private readonly list: ListSpool<KeptFile>;

  constructor(limit?: number) {
    this.list = new ListSpool(limit);
  }

  get size(): number {
    return this.list.size;
  }

  add(kept: KeptFile): void {
    this.list.add(kept);
    this.byReason.set(kept.reason, (this.byReason.get(kept.reason) ?? 0) + 1);
  }

  chunks(size?: number): Generator<KeptFile[]> {
    return this.list.chunks(size);
  }

  /** How many stay for any of these reasons, and the first `n` of them. */
  some(reasons: (reason: KeptFile['reason']) => boolean, n: number): { count: number; first: KeptFile[] } {
    let count = 0;
    for (const [reason, c] of this.byReason) if (reasons(reason)) count += c;
    return { count, first: count === 0 ? [] : this.list.first(n, (k) => reasons(k.reason)) };
  }

  close(): void {
    this.list.close();
  }
}

export interface MonthTotal {
  files: number;
  bytes: number;
}

/**
 * What goes and what stays. Both lists spill to a temporary database past `holdLimit` items, so
 * the plan costs the same memory at a million files as at ten thousand; close() frees them.
 */
export interface CleanPlan {
  vault: string;
  device: string;
  sources: string[];
  selection: Selection;
  /** The files to delete, in the order the walk found them. */
  remove: ListSpool<CleanCandidate>;
  keep: KeptFiles;
  bytes: number;
  byMonth: Map<string, MonthTotal>;
  /** A uniform random sample of `remove`, for the contact sheet shown before deleting. */
  sample: CleanCandidate[];
  /** The vault is read-only: the plan can be shown, not carried out (nothing could be recorded). */
  readOnly: boolean;
  close(): void;
}

/** The contact sheet's tiles (preview.ts). */
const PREVIEW_SAMPLE = 24;

export interface CleanPlanOptions {
  vault: string;
  /** With none, the folders this device's archive runs named. */
  sources?: string[];
  selection?: Selection;
  device?: string;
  progress?: Progress;
  /** Items each list holds in memory before spilling to disk. */
  holdLimit?: number;
  random?: () => number;
}

/**
 * A file clean judges: what the walk found (or dedupe chose), with its catalogued or folder date.
 * dedupe gives the hash it saw too: a file catalogued since with other bytes is not its duplicate.
 */
export type CleanableFile = Pick<ScannedFile, 'path' | 'root' | 'size' | 'mtimeMs' | 'month' | 'taken' | 'source' | 'kind' | 'chat'> & { hash?: string };

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
    // With none named, the folders this device's own archive runs named (the audit trail): a
    // catalogued root comes from a manifest, and a crafted one must not send clean elsewhere.
    const sources = options.sources?.length ? options.sources : archivedSources(vault.db, device);
    if (sources.length === 0) throw usageError('clean.noSources', { device });
    // Each file is judged as the walk finds it, and the plan spills to disk, so memory stays flat.
    const { plan, judge, placesAt } = cleanPlanner(vault, device, selection, options);
    // The places at each path, asked once: a path the catalogue does not know has its head read,
    // so that a file that is not a picture is not told to be archived first. Every path it knows
    // comes back to the callback (no selection is given to the walk, and its head is not read),
    // which takes it out of the map: the map holds a batch of the walk at most.
    const known = new Map<string, PlaceAtPath[]>();
    const readHead = (f: { path: string }) => {
      const rows = placesAt(f.path);
      if (rows.length > 0) known.set(f.path, rows);
      return rows.length === 0;
    };
    const scanned = await scanEach({ sources, exclude: [vault.dir], progress: options.progress, readHead }, (f) => {
      const rows = known.get(f.path) ?? [];
      known.delete(f.path);
      judge(f, rows);
    }).catch((err: unknown) => {
      plan.close();
      throw err;
    });
    plan.sources = scanned.sources;
    for (const f of scanned.notImages) plan.keep.add({ path: f.path, size: f.size, month: '', reason: 'not-image' });
    return plan;
  } finally {
    await vault.close();
  }
}

/**
 * An empty plan and the judge that fills it, a file at a time: clean's walk feeds it every file
 * of the sources, dedupe --clean the copies it would remove. The plan's `sources` are the caller's
 * to set: execute deletes nothing outside them. The judge uses the vault's catalogue while it is open.
 */
export function cleanPlanner(
  vault: Vault, device: string, selection: Selection, options: Pick<CleanPlanOptions, 'holdLimit' | 'random'> = {},
): { plan: CleanPlan; judge: (f: CleanableFile, rows?: PlaceAtPath[]) => void; placesAt: (path: string) => PlaceAtPath[] } {
  // Nothing is read here: a file that matches its catalogued place is selected by the catalogued
  // date (EXIF included), and any other file stays whatever its date.
  const at = placesAtPath(vault.db);
  const selected = compileSelection(selection);
  const selectedByFile = compileSelection({ ...selection, hashes: undefined });
  const archiveOk = new Map<string, boolean>();
  const sample = new Reservoir<CleanCandidate>(PREVIEW_SAMPLE, options.random);
  const plan: CleanPlan = {
    vault: vault.dir, device, sources: [], selection, bytes: 0, byMonth: new Map(), sample: sample.items, readOnly: vault.readOnly,
    remove: new ListSpool(options.holdLimit), keep: new KeptFiles(options.holdLimit),
    close() {
      this.remove.close();
      this.keep.close();
    },
  };
  const toRemove = (c: CleanCandidate) => {
    sample.offer(c);
    plan.remove.add(c);
    plan.bytes += c.size;
    const month = plan.byMonth.get(c.month) ?? { files: 0, bytes: 0 };
    month.files++;
    month.bytes += c.size;
    plan.byMonth.set(c.month, month);
  };
  /** A file, with the places catalogued at its path when the caller asked already. */
  const judge = (f: CleanableFile, rows = at(f.path)) => {
    const mine = rows.filter((r) => r.device === device);
    const match = mine.find((r) => r.size === f.size && sameFileTime(r.mtimeMs, f.mtimeMs));
    if (match ? !selected({ ...f, taken: match.taken, month: match.month, hash: match.hash, device }) : !selectedByFile(f)) return;
    const keep = (reason: KeepReason, other?: PlaceAtPath) => plan.keep.add({ path: f.path, size: f.size, month: match?.month ?? f.month, reason, ...(other && { device: other.device }) });
    if (mine.length === 0) return keep(rows.length > 0 ? 'other-device' : 'not-in-vault', rows[0]);
    // f.hash is the file's own (its bytes): a .dat stored as its picture has its own hash beside the picture's.
    if (!match || (f.hash !== undefined && match.fileHash !== f.hash)) return keep('changed');
    if (match.archiveDamage !== null) return keep('archive-damaged');
    if (match.archiveVerifiedAt === null) return keep('archive-unverified');
    if (!archiveOk.has(match.archive)) {
      const st = statSync(absArchivePath(vault.dir, match.archive), { throwIfNoEntry: false });
      archiveOk.set(match.archive, st !== undefined && st.isFile() && st.size === match.archiveBytes);
    }
    if (!archiveOk.get(match.archive)) return keep('archive-missing');
    toRemove({
      path: f.path, root: f.root, size: f.size, mtimeMs: f.mtimeMs, month: match.month, hash: match.hash, locationId: match.id, archive: match.archive,
      ...(match.fileHash !== match.hash && { fileHash: match.fileHash }), ...(match.recipe !== null && { recipe: match.recipe }),
    });
  };
  return { plan, judge, placesAt: at };
}
