import type { ManifestLocation } from '../vault/manifest.js';
import type { ScannedFile } from './scan.js';

export interface HashedFile extends ScannedFile {
  hash: string;
  ext: NonNullable<ScannedFile['ext']>;
}

export interface MonthPlan {
  month: string;
  /** Every place to record this month (new files and changed ones). */
  locations: ManifestLocation[];
  /** Images to store this month: not in the vault and not stored by an earlier month of this run. */
  newImages: { hash: string; size: number; ext: HashedFile['ext']; decodedExt: ScannedFile['decodedExt']; from: HashedFile[]; date: string }[];
}

export interface ArchivePlan {
  months: MonthPlan[];
  newBytes: number;
  newImages: number;
  duplicates: number;
}

export function toLocation(f: HashedFile, device: string): ManifestLocation {
  return {
    hash: f.hash,
    size: f.size,
    device,
    source: f.source,
    kind: f.kind,
    ...(f.account !== undefined && { account: f.account }),
    ...(f.chat !== undefined && { chat: f.chat }),
    root: f.root,
    path: f.path,
    mtimeMs: f.mtimeMs,
    birthtimeMs: f.birthtimeMs,
    taken: f.taken,
    month: f.month,
    dateRule: f.dateRule,
    exifDate: f.exifDate,
  };
}

/**
 * Pure: which images each month stores and which places it records. An image seen in several
 * months is stored in the earliest, once; every place is recorded in its own month.
 */
export function planArchive(files: readonly HashedFile[], stored: ReadonlyMap<string, number>, device: string): ArchivePlan {
  const byMonth = new Map<string, HashedFile[]>();
  for (const f of files) {
    const list = byMonth.get(f.month) ?? [];
    list.push(f);
    byMonth.set(f.month, list);
  }
  const claimed = new Set<string>(stored.keys());
  const plan: ArchivePlan = { months: [], newBytes: 0, newImages: 0, duplicates: 0 };
  for (const month of [...byMonth.keys()].sort()) {
    const monthFiles = byMonth.get(month)!.sort((a, b) => a.taken.localeCompare(b.taken) || a.path.localeCompare(b.path));
    const fresh = new Map<string, MonthPlan['newImages'][number]>();
    for (const f of monthFiles) {
      const pending = fresh.get(f.hash);
      if (pending) pending.from.push(f);
      else if (!claimed.has(f.hash)) {
        fresh.set(f.hash, { hash: f.hash, size: f.size, ext: f.ext, decodedExt: f.decodedExt, from: [f], date: f.taken });
        claimed.add(f.hash);
      }
    }
    const newImages = [...fresh.values()];
    plan.newImages += newImages.length;
    plan.newBytes += newImages.reduce((n, i) => n + i.size, 0);
    plan.duplicates += monthFiles.length - newImages.length;
    plan.months.push({ month, locations: monthFiles.map((f) => toLocation(f, device)), newImages });
  }
  return plan;
}
