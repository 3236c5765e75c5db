import type { StoredAmong } from '../catalog/images.js';
import type { ManifestLocation } from '../vault/manifest.js';
import type { ScannedFile } from './scan.js';

export interface HashedFile extends ScannedFile {
  hash: string;
  ext: NonNullable<ScannedFile['ext']>;
}

export interface NewImage {
  hash: string;
  size: number;
  ext: HashedFile['ext'];
  decodedExt: HashedFile['decodedExt'];
  /** Every place holding these bytes this month: any of them will do to read it from. */
  from: HashedFile[];
  date: string;
}

export interface MonthPlan {
  month: string;
  /** Every place to record this month (new files and changed ones). */
  locations: ManifestLocation[];
  /** Images to store this month: not in the vault and not stored by an earlier month of this run. */
  newImages: NewImage[];
}

export function toLocation(f: HashedFile, device: string): ManifestLocation {
  return {
    hash: f.hash,
    size: f.size,
    device,
    source: f.source,
    kind: f.kind,
    // Absent ones stay undefined (one object shape); JSON leaves them out of the manifest alike.
    account: f.account,
    chat: f.chat,
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
 * Which images each month stores and which places it records. Fed months in ascending order, it
 * stores an image seen in several months once, in the earliest; every place is recorded in its
 * own month. Being incremental lets archive write a month's zip while it reads the next month.
 */
export class ArchivePlanner {
  /**
   * Images this run stores and the catalogue does not know yet; the vault's own are asked of
   * `inVault` (one catalogue query a slice). A slice's images leave once it is catalogued
   * (release), so a run that stores a million images holds the hashes of the slices in flight,
   * not a million.
   */
  private readonly claimed = new Set<string>();

  constructor(private readonly inVault: StoredAmong, private readonly device: string) {}

  /** These images are catalogued now: `inVault` answers for them. */
  release(hashes: Iterable<string>): void {
    for (const h of hashes) this.claimed.delete(h);
  }

  /** Images claimed and not yet released. */
  get pending(): number {
    return this.claimed.size;
  }

  planMonth(month: string, files: HashedFile[]): MonthPlan {
    const sorted = [...files].sort((a, b) => a.taken.localeCompare(b.taken) || a.path.localeCompare(b.path));
    // Stored already: by the vault, or by an earlier month of this run.
    const unclaimed = [...new Set(sorted.map((f) => f.hash))].filter((h) => !this.claimed.has(h));
    const inVault = this.inVault(unclaimed);
    const fresh = new Map<string, NewImage>();
    for (const f of sorted) {
      const pending = fresh.get(f.hash);
      if (pending) pending.from.push(f);
      else if (!this.claimed.has(f.hash) && !inVault.has(f.hash)) {
        fresh.set(f.hash, { hash: f.hash, size: f.size, ext: f.ext, decodedExt: f.decodedExt, from: [f], date: f.taken });
      }
    }
    for (const h of fresh.keys()) this.claimed.add(h);
    return { month, locations: sorted.map((f) => toLocation(f, this.device)), newImages: [...fresh.values()] };
  }
}
