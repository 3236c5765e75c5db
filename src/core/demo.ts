import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { usageError } from '../errors.js';
import { archive } from './archive.js';
import { executeClean } from './clean.js';
import { planClean } from './clean-plan.js';
import { buildSampleCache } from './demo-cache.js';
import { writeContactSheet } from './preview.js';
import type { Progress } from './progress.js';
import { restore } from './restore.js';
import { scanSummary } from './scan.js';
import { verify } from './verify.js';

/** Archived and cleaned: everything dated before June 2024. */
const BEFORE = '2024-06-01';
/** Brought back at the end. */
const RESTORED_MONTH = '2024-03';

export interface DemoOptions {
  /** Build it here (a new or empty folder) and keep it; without, a temp folder removed at the end. */
  dir?: string;
  progress?: Progress;
}

export interface DemoResult {
  dir: string;
  /** Whether the folder stays after the demo (it does when the user named it). */
  kept: boolean;
  cache: string;
  vault: string;
  preview: string;
  /** This device's name (the host name), as archive recorded it. */
  device: string;
  before: string;
  scan: { files: number; bytes: number; months: number };
  archive: { selected: number; stored: number; duplicates: number; storedBytes: number; archives: number };
  verify: { archives: number; images: number; whole: boolean };
  /** `stayed`: files left in the cache, dated from `before` on (not selected, so not archived). */
  clean: { deleted: number; bytes: number; stayed: number };
  restore: { month: string; restored: number; bytes: number; identical: boolean };
  /** Bytes the cache is smaller by at the end: what clean freed, less what restore brought back. */
  freed: number;
}

/** A folder the demo may fill: new, or empty (the demo deletes files in it). */
async function demoFolder(dir: string | undefined): Promise<string> {
  if (dir === undefined) return mkdtemp(path.join(os.tmpdir(), 'picvault-demo-'));
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw usageError('demo.dirNotEmpty', { dir });
  });
  if (entries.length > 0) throw usageError('demo.dirNotEmpty', { dir });
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * demo: the whole cycle on a small sample cache, as a user would run it: scan, archive what is
 * older than June 2024, verify it, clean it (with the preview clean shows before deleting), and
 * restore one month in place, checked byte for byte. Without `dir`, everything it made is removed
 * at the end, whatever happens.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const dir = await demoFolder(options.dir);
  const kept = options.dir !== undefined;
  try {
    return await demoIn(dir, kept, options.progress);
  } finally {
    if (!kept) await rm(dir, { recursive: true, force: true });
  }
}

async function demoIn(dir: string, kept: boolean, progress?: Progress): Promise<DemoResult> {
  const cache = path.join(dir, 'cache');
  const vault = path.join(dir, 'vault');
  const preview = path.join(dir, 'preview.png');
  const sample = await buildSampleCache(cache);

  const scanned = await scanSummary({ sources: [cache], progress });
  const archived = await archive({ vault, sources: [cache], selection: { before: BEFORE }, progress });
  const device = archived.device;
  const verified = await verify({ vault, readData: true, progress });

  // The bytes of the month restored at the end, to prove it comes back the same.
  const originals = new Map<string, Buffer>();
  for (const f of sample) if (f.month === RESTORED_MONTH) originals.set(f.path, await readFile(f.path));

  const plan = await planClean({ vault, sources: [cache], selection: { before: BEFORE }, device, progress });
  let cleaned;
  try {
    await writeContactSheet(plan.sample, preview);
    const result = await executeClean(plan, { progress });
    result.close();
    cleaned = { deleted: result.deleted, bytes: result.bytes, stayed: sample.length - result.deleted };
  } finally {
    plan.close();
  }

  const restored = await restore({ vault, selection: { month: RESTORED_MONTH }, device, progress });
  let identical = restored.restored === originals.size && originals.size > 0;
  for (const [file, bytes] of originals) identical &&= (await readFile(file).catch(() => Buffer.alloc(0))).equals(bytes);

  return {
    dir, kept, cache, vault, preview, device, before: BEFORE,
    scan: { files: scanned.files, bytes: scanned.bytes, months: new Set(scanned.perSource.flatMap((s) => s.months.map((m) => m.month))).size },
    archive: {
      selected: archived.selected, stored: archived.plan.newImages, duplicates: archived.plan.duplicates,
      storedBytes: archived.archives.reduce((n, a) => n + a.bytes, 0), archives: archived.archives.length,
    },
    verify: { archives: verified.archives, images: verified.images, whole: verified.damaged.length === 0 },
    clean: cleaned,
    restore: { month: RESTORED_MONTH, restored: restored.restored, bytes: restored.bytes, identical },
    freed: cleaned.bytes - restored.bytes,
  };
}
