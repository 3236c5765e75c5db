import type { Db } from '../catalog/db.js';
import { storedEntryOf } from '../catalog/images.js';
import { placesOfPictureOn } from '../catalog/locations.js';
import type { DatRecipe } from '../media/dat.js';
import { hashBytes, hashFile } from '../media/hash.js';
import { pictureFromDat } from '../media/picture-identity.js';
import { readRegularFile } from '../vault/archive-file.js';
import { absArchivePath } from '../vault/layout.js';
import type { Vault } from '../vault/vault.js';
import { ZipReader } from '../vault/zip-reader.js';
import { scanEach } from './scan.js';

/**
 * Where a good copy of a picture was found, in the order repair looks: its own damaged zip (an
 * entry that still hashes right), a catalogued place on this device, a file in the SOURCE folders
 * given, another vault (--from-vault).
 */
export type CopyKind = 'zip' | 'place' | 'folder' | 'vault';

export interface GoodCopy {
  kind: CopyKind;
  /** The file, or the zip holding the entry. */
  file: string;
  entry?: string;
  /** A place that is a WeChat .dat stored as its picture: its size, and the recipe it decodes with (SPEC "Picture identity"). */
  dat?: { size: number; recipe: DatRecipe };
}

export interface Wanted {
  hash: string;
  size: number;
  /** Its entry in the damaged zip, when that entry still hashes right. */
  inZip?: { zip: string; entry: string };
}

/**
 * The good copies of the pictures repair stores again. A copy counts only if its bytes hash to the
 * picture's hash and size when read, and they are read again, and checked again, when stored.
 */
export class GoodCopies {
  private readonly readers = new Map<string, Promise<ZipReader | null>>();
  private readonly places: ReturnType<typeof placesOfPictureOn>;
  private readonly otherStored: ((hash: string) => { archive: string; entry: string; size: number } | undefined) | null;

  private constructor(
    db: Db,
    device: string,
    private readonly inFolders: Map<string, string[]>,
    private readonly other: Vault | null,
  ) {
    this.places = placesOfPictureOn(db, device);
    this.otherStored = other ? storedEntryOf(other.db) : null;
  }

  /** Indexes the SOURCE folders for files of the wanted sizes (only those are hashed). */
  static async open(options: { db: Db; device: string; folders: string[]; exclude: string[]; other: Vault | null; wanted: Wanted[] }): Promise<GoodCopies> {
    const bySize = new Map<number, Set<string>>();
    for (const w of options.wanted) bySize.set(w.size, (bySize.get(w.size) ?? new Set()).add(w.hash));
    const inFolders = new Map<string, string[]>();
    if (options.folders.length > 0 && bySize.size > 0) {
      const candidates: string[] = [];
      await scanEach({ sources: options.folders, exclude: options.exclude, readHead: () => false }, (f) => {
        if (bySize.has(f.size)) candidates.push(f.path);
      });
      for (const p of candidates) {
        const got = await hashFile(p).catch(() => null);
        if (got && bySize.get(got.size)?.has(got.hash)) inFolders.set(got.hash, [...(inFolders.get(got.hash) ?? []), p]);
      }
    }
    return new GoodCopies(options.db, options.device, inFolders, options.other);
  }

  /** Every copy there may be of a picture, in the order tried. */
  private *candidates(w: Wanted): Generator<GoodCopy> {
    if (w.inZip) yield { kind: 'zip', file: w.inZip.zip, entry: w.inZip.entry };
    for (const p of this.places(w.hash)) yield { kind: 'place', file: p.path, ...(p.recipe && { dat: { size: p.size, recipe: p.recipe } }) };
    for (const file of this.inFolders.get(w.hash) ?? []) yield { kind: 'folder', file };
    const stored = this.otherStored?.(w.hash);
    if (stored && this.other) yield { kind: 'vault', file: absArchivePath(this.other.dir, stored.archive), entry: stored.entry };
  }

  /** The first copy whose bytes hash right now; null when there is none anywhere. */
  async find(w: Wanted): Promise<GoodCopy | null> {
    for (const copy of this.candidates(w)) if (await this.read(copy, w.hash, w.size)) return copy;
    return null;
  }

  /** A copy's bytes, when they still hash to the picture; null otherwise. */
  async read(copy: GoodCopy, hash: string, size: number): Promise<Buffer | null> {
    let bytes: Buffer | null;
    if (copy.dat) {
      // A .dat place is decoded again (3.x and 4.x V1; a V2 file needs the key repair is not given).
      const file = readRegularFile(copy.file, copy.dat.size);
      bytes = file && (await pictureFromDat(file, copy.dat.recipe));
    } else if (copy.entry === undefined) bytes = readRegularFile(copy.file, size);
    else {
      const reader = await this.reader(copy.file);
      bytes = reader ? await reader.readEntry(copy.entry).catch(() => null) : null;
    }
    return bytes && bytes.length === size && (await hashBytes(bytes)) === hash ? bytes : null;
  }

  private reader(zip: string): Promise<ZipReader | null> {
    let r = this.readers.get(zip);
    if (!r) this.readers.set(zip, (r = ZipReader.open(zip).catch(() => null)));
    return r;
  }

  async close(): Promise<void> {
    for (const r of this.readers.values()) await (await r)?.close();
    this.readers.clear();
  }
}
