import { CHECK, listArchives, marksThatStand, markVerified, type CatalogArchive } from '../catalog/archives.js';
import type { Db } from '../catalog/db.js';
import { iterateLocations, rebuildsStoredIn, rebuiltPlacesOf } from '../catalog/locations.js';
import { rebuildKey } from '../media/picture-identity.js';
import { listArchiveFiles } from '../vault/archive-files.js';
import { checkZip, type ZipCheck } from '../vault/check-zip.js';
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
  /**
   * The archive was found whole now, but a stronger check (verify --read-data, reindex, clean's
   * read-back) marked it damaged before, and this check is too weak to clear that mark.
   */
  markedBefore?: true;
}

export interface VerifyResult {
  readData: boolean;
  archives: number;
  images: number;
  damaged: DamagedArchive[];
  /**
   * The original files whose only stored copy is in a damaged archive (archives markedBefore: run
   * verify --read-data to know). `known`: this check found that copy bad (missing, or re-hashed
   * wrong); false: its zip changed somewhere and no picture was read (a plain verify), so it may
   * be whole. `state`: cleaned places' files are gone from their disk; archived or restored ones
   * are still there (repair stores them again from there).
   */
  affected: { device: string; path: string; hash: string; month: string; known: boolean; state: 'archived' | 'cleaned' | 'restored' }[];
  /** Zips in the vault that the catalogue does not know (reindex adopts them). */
  uncatalogued: string[];
  /**
   * With readData: places of WeChat .dat files stored as their pictures that the picture, read
   * right, does not rebuild to their own bytes (a damaged recipe): restore and clean leave them.
   */
  notRebuilt: { device: string; path: string; hash: string; fileHash: string; month: string }[];
  /**
   * The findings were recorded in the catalogue (clean trusts only archives whose recorded check
   * found them whole); false on a read-only vault, where verify only reports.
   */
  recorded: boolean;
}

/** One catalogued archive checked: what is wrong with it, and which of its images have no good copy in it. */
export interface ArchiveVerdict {
  archive: CatalogArchive;
  check: ZipCheck;
  /** The images the catalogue says this zip stores. */
  expected: string[];
  /** Of those, the ones whose bytes in this zip cannot be trusted. */
  bad: Set<string>;
}

/**
 * Checks every catalogued archive, one at a time: present and a regular file, its bytes hash to
 * its name, it opens as a zip with a manifest that fits its schema, every image the catalogue
 * says it stores is listed and there, and (readData) every stored image re-hashed. verify reports
 * the verdicts; repair mends what they find.
 */
export async function* checkArchives(vaultDir: string, db: Db, readData: boolean, progress: Progress): AsyncGenerator<ArchiveVerdict> {
  const catalogued = listArchives(db);
  const imagesOf = db.prepare('SELECT hash FROM images WHERE archive_id = ?').pluck();
  progress.begin('phase.verify', catalogued.length, catalogued.reduce((n, a) => n + a.bytes, 0));
  for (const archive of catalogued) {
    // Every .dat stored as its picture is rebuilt from the bytes read to re-hash the picture, and proven.
    const rebuilds = readData ? rebuildsStoredIn(db, archive.id) : null;
    const check = await checkZip(absArchivePath(vaultDir, archive.name), { expectedXxh64: archive.xxh64, readData, rebuilds: rebuilds ? (h) => rebuilds.get(h) : undefined });
    const expected = imagesOf.all(archive.id) as string[];
    const bad = new Set<string>();
    const listed = new Set(check.manifest?.images.map((i) => i.hash) ?? []);
    for (const h of expected) {
      if (!check.manifest || check.badImages.has(h)) bad.add(h);
      else if (!listed.has(h)) {
        check.damage.push(`image ${h} is not in the zip's manifest`);
        bad.add(h);
      }
    }
    // A zip whose own bytes no longer match its name has changed: none of its images is trusted.
    if (check.damage.some((d) => d.startsWith('content hash'))) for (const h of expected) bad.add(h);
    progress.advance(1, archive.bytes);
    yield { archive, check, expected, bad };
  }
  progress.end();
}

/**
 * verify: every catalogued archive checked (see checkArchives). The result is recorded in the
 * catalogue, so clean trusts only archives whose last verification found them whole; a damage
 * mark set by a stronger check than this one stands, and is reported (SPEC invariant 1). A vault
 * that cannot be written (read-only drive or folder) is verified all the same, nothing recorded.
 */
export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  const progress = options.progress ?? silentProgress;
  const readData = options.readData ?? false;
  const vault = await openVault(options.vault, { write: 'if-writable' });
  try {
    const result: VerifyResult = {
      readData, archives: 0, images: 0, damaged: [], affected: [], uncatalogued: [], notRebuilt: [], recorded: !vault.readOnly,
    };
    // Per bad image: whether this check knows it bad, or only that its zip changed somewhere.
    const badHashes = new Map<string, boolean>();
    const notRebuilt = new Set<string>();
    const verdicts: { archive: CatalogArchive; damage: string[]; expected: string[] }[] = [];
    for await (const { archive, check, expected, bad } of checkArchives(vault.dir, vault.db, readData, progress)) {
      result.archives++;
      result.images += expected.length;
      const listed = new Set(check.manifest?.images.map((i) => i.hash));
      for (const h of bad) {
        const known = !check.manifest || check.badImages.has(h) || !listed.has(h);
        // Read and re-hashed right (--read-data), an image of a changed zip has a good copy there: repair stores it again from it.
        if (known || !readData) badHashes.set(h, known || (badHashes.get(h) ?? false));
      }
      for (const k of check.notRebuilt) notRebuilt.add(k);
      verdicts.push({ archive, damage: check.damage, expected });
    }
    const strength = readData ? CHECK.data : CHECK.structure;
    const found = verdicts.map((v) => ({ id: v.archive.id, damage: v.damage.length > 0 ? v.damage.join('; ') : null }));
    // A read-only vault records nothing; a stronger mark stands there all the same.
    const stood = result.recorded ? markVerified(vault.db, found, strength) : marksThatStand(verdicts.map((v) => v.archive), strength);
    for (const { archive, damage } of verdicts) {
      if (damage.length > 0) result.damaged.push({ name: archive.name, damage });
      else if (stood.has(archive.id)) {
        // Whole to this check, damaged to a stronger one: which images are bad, only that check can say.
        result.damaged.push({ name: archive.name, damage: [archive.damage ?? ''], markedBefore: true });
      }
    }

    // A row at a time, keeping four fields: a damaged zip of the first months can store the images
    // of a hundred thousand places, and whole rows of them all would cost several hundred MB.
    if (badHashes.size > 0) {
      for (const r of iterateLocations(vault.db, (row) => badHashes.has(row.hash))) {
        result.affected.push({ device: r.device, path: r.path, hash: r.hash, month: r.month, known: badHashes.get(r.hash)!, state: r.state });
      }
    }
    for (const hash of new Set([...notRebuilt].map((k) => k.slice(0, k.indexOf(':'))))) {
      for (const p of rebuiltPlacesOf(vault.db, hash)) {
        if (notRebuilt.has(rebuildKey(hash, p.rebuild))) result.notRebuilt.push({ device: p.device, path: p.path, hash, fileHash: p.rebuild.file.hash, month: p.month });
      }
    }
    const known = new Set(verdicts.map((v) => v.archive.name));
    const { archives } = await listArchiveFiles(vault.dir);
    result.uncatalogued = archives.filter((a) => !known.has(a.name)).map((a) => a.name);
    return result;
  } finally {
    await vault.close();
  }
}
