import { listArchives, markVerified } from '../catalog/archives.js';
import { iterateLocations } from '../catalog/locations.js';
import { listArchiveFiles } from '../vault/archive-files.js';
import { checkZip } from '../vault/check-zip.js';
import { absArchivePath } from '../vault/layout.js';
import { openVault } from '../vault/vault.js';
import { silentProgress, type Progress } from './progress.js';

export interface VerifyOptions {
  vault: string;
  /** Re-hash every stored image, not only the zips' own bytes and structure. */
  readData?: boolean;
  progress?: Progress;
}

export interface DamagedArchive {
  name: string;
  damage: string[];
}

export interface VerifyResult {
  readData: boolean;
  archives: number;
  images: number;
  damaged: DamagedArchive[];
  /** The original files whose only stored copy is damaged. */
  affected: { device: string; path: string; hash: string; month: string }[];
  /** Zips in the vault that the catalogue does not know (reindex adopts them). */
  uncatalogued: string[];
  /**
   * The findings were recorded in the catalogue (clean trusts only archives whose recorded check
   * found them whole); false on a read-only vault, where verify only reports.
   */
  recorded: boolean;
}

/**
 * verify: every catalogued archive is present, its bytes hash to its name, it opens as a zip with
 * its manifest, and (readData) every image in it has its hash. The result is recorded in the
 * catalogue, so clean trusts only archives whose last verification found them whole. A vault that
 * cannot be written (read-only drive or folder) is verified all the same, and nothing recorded.
 */
export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  const progress = options.progress ?? silentProgress;
  const readData = options.readData ?? false;
  const vault = await openVault(options.vault, { write: 'if-writable' });
  try {
    const catalogued = listArchives(vault.db);
    const imagesOf = vault.db.prepare('SELECT hash FROM images WHERE archive_id = ?').pluck();
    const result: VerifyResult = { readData, archives: catalogued.length, images: 0, damaged: [], affected: [], uncatalogued: [], recorded: !vault.readOnly };
    const badHashes = new Set<string>();
    const marks: { id: number; damage: string | null }[] = [];

    progress.begin('phase.verify', catalogued.length, catalogued.reduce((n, a) => n + a.bytes, 0));
    for (const a of catalogued) {
      const check = await checkZip(absArchivePath(vault.dir, a.name), { expectedXxh64: a.xxh64, readData });
      const expected = imagesOf.all(a.id) as string[];
      result.images += expected.length;
      const listed = new Set(check.manifest?.images.map((i) => i.hash) ?? []);
      for (const h of expected) {
        if (!check.manifest || check.badImages.has(h)) badHashes.add(h);
        else if (!listed.has(h)) {
          check.damage.push(`image ${h} is not in the zip's manifest`);
          badHashes.add(h);
        }
      }
      // A zip whose own bytes no longer match its name has changed: none of its images is trusted.
      if (check.damage.some((d) => d.startsWith('content hash'))) for (const h of expected) badHashes.add(h);
      if (check.damage.length > 0) result.damaged.push({ name: a.name, damage: check.damage });
      marks.push({ id: a.id, damage: check.damage.length > 0 ? check.damage.join('; ') : null });
      progress.advance(1, a.bytes);
    }
    progress.end();
    if (result.recorded) markVerified(vault.db, marks);

    // A row at a time, keeping four fields: a damaged zip of the first months can store the images
    // of a hundred thousand places, and whole rows of them all would cost several hundred MB.
    if (badHashes.size > 0) {
      for (const r of iterateLocations(vault.db, (row) => badHashes.has(row.hash))) {
        result.affected.push({ device: r.device, path: r.path, hash: r.hash, month: r.month });
      }
    }
    const known = new Set(catalogued.map((a) => a.name));
    const { archives } = await listArchiveFiles(vault.dir);
    result.uncatalogued = archives.filter((a) => !known.has(a.name)).map((a) => a.name);
    return result;
  } finally {
    await vault.close();
  }
}
