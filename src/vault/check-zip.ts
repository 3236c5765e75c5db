import { stat } from 'node:fs/promises';
import { hashFile } from '../media/hash.js';
import type { Manifest } from './manifest.js';
import { ZipReader } from './zip-reader.js';

export interface ZipCheck {
  manifest: Manifest | null;
  bytes: number;
  /** What is wrong, in words for the report; empty when the zip is whole. */
  damage: string[];
  /** Hashes of stored images whose bytes cannot be trusted (missing entry or wrong content). */
  badImages: Set<string>;
}

export interface ZipCheckOptions {
  /** The hash the zip's name promises; checked against its bytes. */
  expectedXxh64?: string;
  /** Re-hash every stored image (SPEC: the read-back before cataloguing, verify --read-data). */
  readData: boolean;
  /** Read the entries with synchronous calls (see ZipReaderOptions). */
  sync?: boolean;
}

/**
 * Proves a zip is what its name and manifest say: its bytes hash to its name, it opens as a
 * zip, its manifest parses, and every image the manifest lists is there (with readData: with
 * exactly its bytes). Never throws for damage; damage is the answer.
 */
export async function checkZip(zipPath: string, options: ZipCheckOptions): Promise<ZipCheck> {
  const result: ZipCheck = { manifest: null, bytes: 0, damage: [], badImages: new Set() };
  const st = await stat(zipPath).catch(() => null);
  if (!st) {
    result.damage.push('missing');
    return result;
  }
  result.bytes = st.size;
  if (options.expectedXxh64) {
    const { hash } = await hashFile(zipPath);
    if (hash !== options.expectedXxh64) result.damage.push(`content hash ${hash} does not match its name`);
  }
  let reader: ZipReader | undefined;
  try {
    reader = await ZipReader.open(zipPath, { sync: options.sync });
    result.manifest = await reader.manifest();
  } catch (err) {
    result.damage.push(`unreadable zip: ${(err as Error).message}`);
    await reader?.close();
    return result;
  }
  try {
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
