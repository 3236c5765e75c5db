import type { StoredAmong } from '../catalog/images.js';
import type { DatPicture } from '../media/picture-identity.js';
import type { ManifestLocation } from '../vault/manifest.js';
import type { ImageSource } from '../engine/zip-parts.js';
import type { ScannedFile } from './scan.js';

/** A file read and hashed: `hash` and `ext` are its own bytes'. */
export interface HashedFile extends ScannedFile {
  hash: string;
  ext: NonNullable<ScannedFile['ext']>;
  /** A WeChat .dat's picture, proven, with the recipe that rebuilds the file (media/picture-identity.ts). */
  picture?: DatPicture;
}

/**
 * What the vault stores for a file: its picture (SPEC "Picture identity"; for a .dat stored as
 * its picture, with the file's own hash and recipe), or its own bytes.
 */
interface Stored {
  hash: string;
  size: number;
  ext: HashedFile['ext'];
  decodedExt: HashedFile['decodedExt'];
  identity?: { fileHash: string; recipe: DatPicture['recipe'] };
}

export interface NewImage {
  hash: string;
  size: number;
  ext: HashedFile['ext'];
  decodedExt: HashedFile['decodedExt'];
  /** Every file holding this image this month (its bytes, or a .dat hiding it): any will do to read it from. */
  from: ImageSource[];
  date: string;
}

export interface MonthPlan {
  month: string;
  /** Every place to record this month (new files and changed ones). */
  locations: ManifestLocation[];
  /** Images to store this month: not in the vault and not stored by an earlier month of this run. */
  newImages: NewImage[];
}

export function toLocation(f: HashedFile, stored: Stored, device: string): ManifestLocation {
  return {
    hash: stored.hash,
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
    fileHash: stored.identity?.fileHash,
    recipe: stored.identity?.recipe,
  };
}

/**
 * A .dat whose picture is proven is stored as its picture, unless the vault already holds the
 * .dat itself raw (a vault from before picture identity, or a run that could not prove it then)
 * and not the picture: its bytes are safe already, and storing the picture too would keep the
 * same photo twice for nothing. Anything else is stored as its own bytes.
 */
export function storedForm(f: HashedFile, isStored: (hash: string) => boolean): Stored {
  const raw: Stored = { hash: f.hash, size: f.size, ext: f.ext, decodedExt: f.decodedExt };
  const p = f.picture;
  if (!p || (!isStored(p.hash) && isStored(f.hash))) return raw;
  return { hash: p.hash, size: p.size, ext: p.ext, decodedExt: null, identity: { fileHash: f.hash, recipe: p.recipe } };
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
    // Stored already: by the vault, or by an earlier month of this run. A .dat is asked about as
    // its picture and as its own bytes (see storedForm).
    const hashes = new Set<string>();
    for (const f of sorted) {
      hashes.add(f.hash);
      if (f.picture) hashes.add(f.picture.hash);
    }
    const inVault = this.inVault([...hashes].filter((h) => !this.claimed.has(h)));
    const fresh = new Map<string, NewImage>();
    const isStored = (h: string) => fresh.has(h) || this.claimed.has(h) || inVault.has(h);
    const locations: ManifestLocation[] = [];
    for (const f of sorted) {
      const stored = storedForm(f, isStored);
      locations.push(toLocation(f, stored, this.device));
      // Read from this file: its own bytes, or (a .dat) the picture it hides, with its recipe.
      const source: ImageSource = { path: f.path, size: f.size, ...(stored.identity && { recipe: stored.identity.recipe }) };
      const pending = fresh.get(stored.hash);
      // A plain copy is read before any .dat: it needs no decoding.
      if (pending && !source.recipe && pending.from[0].recipe) pending.from.unshift(source);
      else if (pending) pending.from.push(source);
      else if (!isStored(stored.hash)) {
        fresh.set(stored.hash, { hash: stored.hash, size: stored.size, ext: stored.ext, decodedExt: stored.decodedExt, from: [source], date: f.taken });
      }
    }
    for (const h of fresh.keys()) this.claimed.add(h);
    return { month, locations, newImages: [...fresh.values()] };
  }
}
