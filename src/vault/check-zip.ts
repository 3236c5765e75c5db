import { errnoCode } from '../errors.js';
import { rebuildKey, unprovenRebuilds, type Rebuild } from '../media/picture-identity.js';
import { NotAnArchiveFile } from './archive-file.js';
import { parseEntryName, type Manifest, type ManifestImage } from './manifest.js';
import { ZipReader } from './zip-reader.js';

export interface ZipCheck {
  manifest: Manifest | null;
  bytes: number;
  /** What is wrong, in words for the report; empty when the zip is whole. */
  damage: string[];
  /** Hashes of stored images whose bytes cannot be trusted (missing entry or wrong content). */
  badImages: Set<string>;
  /**
   * With `salvage`, when the manifest cannot be used: the images found by their entry names
   * (`<hash>.<ext>`) whose bytes hash to their names. Empty otherwise.
   */
  salvaged: ManifestImage[];
  /**
   * With `rebuilds` and readData: the places' files that their stored picture, read whole and
   * right, does not rebuild (their keys, see rebuildKey). Empty otherwise.
   */
  notRebuilt: string[];
}

export interface ZipCheckOptions {
  /** The hash the zip's name promises; checked against its bytes. */
  expectedXxh64?: string;
  /** Re-hash every stored image (SPEC: the read-back before cataloguing, verify --read-data). */
  readData: boolean;
  /** Read the entries with synchronous calls (see ZipReaderOptions). */
  sync?: boolean;
  /** When the manifest is unreadable or malformed, find the images by their entry names (reindex, repair). */
  salvage?: boolean;
  /**
   * With readData: the files to rebuild from each stored picture and prove (SPEC "Picture
   * identity"), from the bytes read to hash it (verify --read-data).
   */
  rebuilds?: (pictureHash: string) => readonly Rebuild[] | undefined;
}

/** Why a zip could not be opened at all, in the words damage is reported in. */
function openFailure(err: unknown): string {
  if (errnoCode(err) === 'ENOENT') return 'missing';
  if (err instanceof NotAnArchiveFile) return err.message;
  return `unreadable zip: ${(err as Error).message}`;
}

/**
 * Proves a zip is what its name and manifest say: it is a regular file, its bytes hash to its
 * name, it opens as a zip, its manifest parses and fits its schema, and every image the manifest
 * lists is there (with readData: with exactly its bytes). Never throws for damage; damage is the
 * answer.
 */
export async function checkZip(zipPath: string, options: ZipCheckOptions): Promise<ZipCheck> {
  const result: ZipCheck = { manifest: null, bytes: 0, damage: [], badImages: new Set(), salvaged: [], notRebuilt: [] };
  let reader: ZipReader;
  try {
    reader = await ZipReader.open(zipPath, { sync: options.sync });
  } catch (err) {
    result.damage.push(openFailure(err));
    return result;
  }
  try {
    result.bytes = reader.bytes;
    if (options.expectedXxh64) {
      const hash = await reader.hashWhole();
      if (hash !== options.expectedXxh64) result.damage.push(`content hash ${hash} does not match its name`);
    }
    try {
      result.manifest = await reader.manifest();
    } catch (err) {
      result.damage.push(`unreadable manifest: ${(err as Error).message}`);
      if (options.salvage) result.salvaged = await salvage(reader);
      return result;
    }
    for (const img of result.manifest.images) {
      const entry = reader.entries.get(img.entry);
      if (!entry) {
        result.damage.push(`entry ${img.entry} missing`);
        result.badImages.add(img.hash);
        continue;
      }
      if (!options.readData) continue;
      const proving = provingRebuilds(img.hash, options.rebuilds?.(img.hash));
      const got = await reader.hashEntry(img.entry, proving?.withBytes).catch(() => null);
      if (!got || got.hash !== img.hash || got.size !== img.size) {
        result.damage.push(`entry ${img.entry} does not match its hash`);
        result.badImages.add(img.hash);
      } else if (proving) result.notRebuilt.push(...proving.failed());
    }
  } finally {
    await reader.close();
  }
  return result;
}

/** The images of a zip whose manifest is lost: every entry named `<hash>.<ext>` whose bytes hash to its name. */
async function salvage(reader: ZipReader): Promise<ManifestImage[]> {
  const found: ManifestImage[] = [];
  for (const entry of reader.entries.values()) {
    const named = parseEntryName(entry.name);
    if (!named) continue;
    const got = await reader.hashEntry(entry.name).catch(() => null);
    if (got?.hash === named.hash) found.push({ hash: named.hash, size: got.size, ext: named.ext, entry: entry.name });
  }
  return found;
}

export interface WantedEntry {
  name: string;
  hash: string;
  size: number;
  /** Places' files to rebuild from this picture and prove, from the same bytes (SPEC "Picture identity"). */
  rebuilds?: Rebuild[];
}

export interface EntriesCheck {
  /** The wanted entries that are missing or do not hash to what they should. */
  bad: string[];
  /** Of the good ones' rebuilds, those not proven (their keys, see rebuildKey). */
  notRebuilt: string[];
  /** Bytes read back. */
  bytes: number;
  /** Why the zip could not be opened at all (every wanted entry is then bad); null when it could. */
  failure: string | null;
}

/**
 * Reads a few entries back and re-hashes them: clean's read-back of the pictures it is about to
 * delete the places of (SPEC invariant 1). The zip's directory is kept between calls (clean asks
 * about the same zips chunk after chunk).
 */
export async function checkEntries(zipPath: string, wanted: WantedEntry[]): Promise<EntriesCheck> {
  let reader: ZipReader;
  try {
    reader = await ZipReader.open(zipPath, { sync: true, cacheDirectory: true });
  } catch (err) {
    return { bad: wanted.map((w) => w.name), notRebuilt: [], bytes: 0, failure: openFailure(err) };
  }
  const result: EntriesCheck = { bad: [], notRebuilt: [], bytes: 0, failure: null };
  try {
    for (const w of wanted) {
      const proving = provingRebuilds(w.hash, w.rebuilds);
      const got = reader.entries.has(w.name) ? await reader.hashEntry(w.name, proving?.withBytes).catch(() => null) : null;
      result.bytes += got?.size ?? 0;
      if (got?.hash !== w.hash || got.size !== w.size) result.bad.push(w.name);
      else if (proving) result.notRebuilt.push(...proving.failed());
    }
  } finally {
    await reader.close();
  }
  return result;
}

/**
 * Proves a picture's rebuilds from the bytes read to hash it. A picture held in chunks (past 32
 * MB; archive never stores a .dat's picture that large) is never handed over: none is proven.
 */
function provingRebuilds(pictureHash: string, rebuilds: readonly Rebuild[] | undefined) {
  if (!rebuilds || rebuilds.length === 0) return null;
  let failed: string[] | null = null;
  return {
    withBytes: async (bytes: Buffer) => void (failed = await unprovenRebuilds(pictureHash, bytes, rebuilds)),
    failed: () => failed ?? rebuilds.map((r) => rebuildKey(pictureHash, r)),
  };
}
