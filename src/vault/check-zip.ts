import { errnoCode } from '../errors.js';
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
  const result: ZipCheck = { manifest: null, bytes: 0, damage: [], badImages: new Set(), salvaged: [] };
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
      const got = await reader.hashEntry(img.entry).catch(() => null);
      if (!got || got.hash !== img.hash || got.size !== img.size) {
        result.damage.push(`entry ${img.entry} does not match its hash`);
        result.badImages.add(img.hash);
      }
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
}

export interface EntriesCheck {
  /** The wanted entries that are missing or do not hash to what they should. */
  bad: string[];
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
    return { bad: wanted.map((w) => w.name), bytes: 0, failure: openFailure(err) };
  }
  const result: EntriesCheck = { bad: [], bytes: 0, failure: null };
  try {
    for (const w of wanted) {
      const got = reader.entries.has(w.name) ? await reader.hashEntry(w.name).catch(() => null) : null;
      result.bytes += got?.size ?? 0;
      if (got?.hash !== w.hash || got.size !== w.size) result.bad.push(w.name);
    }
  } finally {
    await reader.close();
  }
  return result;
}
