import os from 'node:os';
import { storedImages } from '../catalog/images.js';
import { recordRun } from '../catalog/runs.js';
import { knownFiles } from '../catalog/locations.js';
import { hashBytes, hashFile } from '../media/hash.js';
import { inspectBytes, inspectFile, readInto } from '../media/inspect.js';
import { openVault } from '../vault/vault.js';
import { planArchive, type ArchivePlan, type HashedFile } from './archive-plan.js';
import { orderedCommitter, renameGate, writeMonth, type WrittenArchive } from './month-writer.js';
import { mapLimit } from './pool.js';
import { silentProgress, type Progress } from './progress.js';
import { recoverVault, type Recovery } from './recover.js';
import { describe, scan, type ScannedFile, type Skipped } from './scan.js';
import { compileSelection, needsHash, type Selection } from './selection.js';

export interface ArchiveOptions {
  vault: string;
  sources: string[];
  selection?: Selection;
  device?: string;
  dryRun?: boolean;
  /** Bytes; a month's zip is split into parts past this (SPEC default 2 GiB, FAT32-safe). */
  maxArchiveSize?: number;
  forceZip64?: boolean;
  progress?: Progress;
  /** WeChat 4.x V2 account key. */
  wechatKey?: string;
}

export interface ArchiveResult {
  vault: string;
  device: string;
  dryRun: boolean;
  /** Image files selected under the sources. */
  selected: number;
  /** Already catalogued from this device with the same size and time: not read again. */
  unchanged: number;
  plan: Omit<ArchivePlan, 'months'> & { months: { month: string; files: number; newImages: number; newBytes: number }[] };
  archives: WrittenArchive[];
  skipped: Skipped[];
  recovery: Recovery | null;
}

export const DEFAULT_MAX_ARCHIVE_SIZE = 2 * 1024 ** 3;
const HASH_CONCURRENCY = 8;
const MONTH_CONCURRENCY = 3;

/**
 * archive: scan the sources, hash what is new or changed, store each image not yet in the vault
 * once, record every place it was seen, month by month. The originals are never touched.
 */
export async function archive(options: ArchiveOptions): Promise<ArchiveResult> {
  const progress = options.progress ?? silentProgress;
  const device = options.device ?? os.hostname();
  const dryRun = options.dryRun ?? false;
  const selection = options.selection ?? {};
  const startedAt = new Date().toISOString();

  const vault = dryRun ? await openVault(options.vault, { write: false }).catch(() => null) : await openVault(options.vault, { write: true, create: true });
  try {
    const recovery = vault && !dryRun ? await recoverVault(vault) : null;
    const scanned = await scan({ sources: options.sources, exclude: [options.vault], selection, progress, wechatKey: options.wechatKey });
    const skipped: Skipped[] = [...scanned.unreadable];

    const known = vault ? knownFiles(vault.db, device) : new Map();
    const unchangedFiles: ScannedFile[] = [];
    const toHash: ScannedFile[] = [];
    for (const f of scanned.files) {
      const k = known.get(f.path);
      (k && k.size === f.size && k.mtimeMs === f.mtimeMs ? unchangedFiles : toHash).push(f);
    }

    const hashed = await readAll(toHash, progress, skipped, scanned.notImages, options.wechatKey);
    const keep = needsHash(selection) ? compileSelection({ hashes: selection.hashes }) : () => true;
    const chosen = hashed.filter((f) => keep({ ...f, device }));
    const plan = planArchive(chosen, vault ? storedImages(vault.db) : new Map(), device);

    const archives: WrittenArchive[] = [];
    if (!dryRun && vault) {
      progress.begin('phase.store', chosen.length, plan.newBytes);
      // Months are independent zips in their own folders: a few at a time overlap their fsyncs.
      const commit = orderedCommitter(vault.db);
      const gate = renameGate();
      const written = await mapLimit(plan.months, MONTH_CONCURRENCY, async (month, i) => {
        const sealed = await writeMonth(vault, month, {
          maxArchiveSize: options.maxArchiveSize ?? DEFAULT_MAX_ARCHIVE_SIZE, forceZip64: options.forceZip64, progress, skipped, mayRename: gate.mayRename(i),
        });
        gate.monthDone(i);
        commit(i, sealed);
        return sealed.map(({ row: _row, manifest: _manifest, ...summary }) => summary);
      });
      archives.push(...written.flat());
      progress.end();
      recordRun(vault.db, {
        command: 'archive', device, startedAt, sources: scanned.sources, selection,
        files: chosen.length, bytes: plan.newBytes, skipped: skipped.length, outcome: skipped.length > 0 ? 'partial' : 'done',
      });
    }
    return {
      vault: vault?.dir ?? options.vault,
      device,
      dryRun,
      selected: scanned.files.length,
      unchanged: unchangedFiles.length,
      plan: {
        newBytes: plan.newBytes,
        newImages: plan.newImages,
        duplicates: plan.duplicates,
        months: plan.months.map((m) => ({
          month: m.month,
          files: m.locations.length,
          newImages: m.newImages.length,
          newBytes: m.newImages.reduce((n, i) => n + i.size, 0),
        })),
      },
      archives,
      skipped,
      recovery,
    };
  } finally {
    await vault?.close();
  }
}

/** Files past this are hashed as a stream and inspected by their head, never held whole. */
const WHOLE_READ_LIMIT = 32 * 1024 * 1024;

/**
 * Reads each new or changed file once: the same bytes give its type (chat layouts were not read
 * at scan), its EXIF date and its hash. A file whose size moved while reading is changing under
 * us: skipped and reported.
 */
async function readAll(
  files: ScannedFile[], progress: Progress, skipped: Skipped[], notImages: { path: string; size: number }[], wechatKey?: string,
): Promise<HashedFile[]> {
  progress.begin('phase.hash', files.length, files.reduce((n, f) => n + f.size, 0));
  const results = await mapLimit(files, HASH_CONCURRENCY, async (f): Promise<HashedFile | undefined> => {
    const got = await readAndHash(f, wechatKey).catch((err: unknown) => err as Error);
    progress.advance(1, f.size);
    if (got instanceof Error) return void skipped.push({ path: f.path, reason: describe(got) });
    if (got.size !== f.size) return void skipped.push({ path: f.path, reason: 'changed' });
    if (!got.ext) return void notImages.push({ path: f.path, size: f.size });
    return { ...f, hash: got.hash, ext: got.ext, decodedExt: got.decodedExt, exifDate: f.exifDate ?? got.exifDate };
  });
  progress.end();
  return results.filter((f): f is HashedFile => f !== undefined);
}

async function readAndHash(f: ScannedFile, wechatKey?: string) {
  if (f.size > WHOLE_READ_LIMIT) {
    const { hash, size } = await hashFile(f.path);
    const ins = f.ext ? { ext: f.ext, decodedExt: f.decodedExt, exifDate: null } : await inspectFile(f, { wechatKey });
    return { hash, size, ...ins };
  }
  return withReadBuffer(f.size, async (buffer) => {
    const bytes = await readInto(f.path, buffer, f.size);
    const ins = f.ext ? { ext: f.ext, decodedExt: f.decodedExt, exifDate: null } : await inspectBytes(bytes, f, { wechatKey });
    return { hash: await hashBytes(bytes), size: bytes.length, ...ins };
  });
}

/**
 * Reusable read buffers, one per reader in flight: a cache is tens of thousands of files read once
 * each, and a fresh Buffer per file is work for the garbage collector and nothing else.
 */
const freeBuffers: Buffer[] = [];
async function withReadBuffer<T>(size: number, fn: (buffer: Buffer) => Promise<T>): Promise<T> {
  let buffer = freeBuffers.pop() ?? Buffer.allocUnsafe(1 << 20);
  if (buffer.length < size + 1) buffer = Buffer.allocUnsafe(Math.max(size + 1, buffer.length * 2));
  try {
    return await fn(buffer);
  } finally {
    freeBuffers.push(buffer);
  }
}


