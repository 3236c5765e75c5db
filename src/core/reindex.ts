import { existsSync, lstatSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { CHECK } from '../catalog/archives.js';
import { attachOld, carryAudit, carryDedupe, carryImagesAndPlaces, detachOld, dropPlacesWithoutImage, oldArchivesNotFound } from '../catalog/carry.js';
import { openCatalog, type Db } from '../catalog/db.js';
import { recordArchive } from '../catalog/record.js';
import { vaultTotals, type VaultTotals } from '../catalog/reports.js';
import { EXIT, PicvaultError } from '../errors.js';
import { listArchiveFiles, removePartials } from '../vault/archive-files.js';
import { checkZip } from '../vault/check-zip.js';
import { absArchivePath, ARCHIVES_DIR, DB_FILE, REBUILD_FILE, sqliteFiles } from '../vault/layout.js';
import { claimVaultDir } from '../vault/vault.js';
import { recordCheckedZip } from './found-zip.js';
import { silentProgress, type Progress } from './progress.js';

export interface ReindexOptions {
  vault: string;
  progress?: Progress;
}

/** Places listed by name in the result; the rest are counted. */
const LOST_LISTED = 50;

export interface ReindexResult {
  totals: VaultTotals;
  /**
   * Archives recorded as damaged: their bytes, entries or manifest did not check out, they could
   * not be read at all, or the old catalogue knows them and they are missing. Their pictures and
   * places are kept (see `kept`); verify reports them, repair mends them.
   */
  damaged: { name: string; damage: string[] }[];
  /**
   * What the old catalogue knew that no zip said, kept: archives that are missing, and the
   * pictures and places of archives that are missing or could not be read. Null when there was
   * no old catalogue to read.
   */
  kept: { archives: number; images: number; places: number } | null;
  /**
   * Places a zip recorded whose picture no zip stores and no catalogue knows: nothing could restore
   * them, so they are not kept; the first few are listed. The original may still be on disk
   * (archive stores it again).
   */
  lost: { count: number; places: { device: string; path: string; hash: string }[] };
  /**
   * The audit trail carried over from the old catalogue: how many runs and places' dates;
   * `unreadable` when the old catalogue could not be read, and `catalog log` starts again; null
   * when there was none.
   */
  audit: { runs: number; places: number } | { unreadable: true } | null;
  /** dedupe's marks (not duplicates, keep this copy) and each clean or dedupe run's removals carried over (catalog/carry.ts); null when none were. */
  dedupe: { marks: number; keeps: number; removals: number } | null;
}

/**
 * reindex: a new catalogue from the archives (SPEC invariant 3), with what the old one knows and
 * the archives do not contradict. It is built beside the old one and swapped in by a rename, so a
 * reindex killed halfway leaves the old catalogue as it was. Every zip is read back whole, so the
 * new catalogue knows which archives are verified; a damaged one is recorded with its damage and
 * whatever can be read from it (images found by their entry names when its manifest is broken),
 * and one the old catalogue knows that is gone is kept, marked missing. Nothing the old catalogue
 * knows is dropped unless a zip says otherwise.
 */
export async function reindex(options: ReindexOptions): Promise<ReindexResult> {
  const progress = options.progress ?? silentProgress;
  const vault = await claimVaultDir(options.vault, { write: true, allowMissingCatalog: true });
  const live = path.join(vault.dir, DB_FILE);
  const fresh = path.join(vault.dir, REBUILD_FILE);
  try {
    // Neither catalogue nor archives: not a vault, and nothing to rebuild.
    if (!existsSync(live) && !existsSync(path.join(vault.dir, ARCHIVES_DIR))) {
      throw new PicvaultError('vault.notVault', { vault: vault.dir }, EXIT.notVault);
    }
    const old = readableOld(live);
    const { archives, partials } = await listArchiveFiles(vault.dir);
    await removePartials(partials);
    for (const file of sqliteFiles(fresh)) await rm(file, { force: true });
    const db = openCatalog(fresh);
    const result: ReindexResult = { totals: vaultTotals(db), damaged: [], kept: null, lost: { count: 0, places: [] }, audit: old === 'unreadable' ? { unreadable: true } : null, dedupe: null };
    let attached = false;
    try {
      if (old === 'readable') {
        try {
          attachOld(db, live);
          attached = true;
        } catch {
          result.audit = { unreadable: true };
        }
      }
      // One transaction with foreign keys checked at commit: a zip that only records places may
      // sort before the zip that stores their images.
      db.exec('BEGIN');
      db.pragma('defer_foreign_keys = ON');
      progress.begin('phase.reindex', archives.length);
      for (const a of archives) {
        const check = await checkZip(a.abs, { expectedXxh64: a.xxh64, readData: true, salvage: true });
        progress.advance(1, check.bytes);
        recordCheckedZip(db, a, check);
      }
      progress.end();
      if (attached) carryOld(db, vault.dir, result);
      const lost = dropPlacesWithoutImage(db);
      result.lost = { count: lost.length, places: lost.slice(0, LOST_LISTED) };
      for (const a of db.prepare('SELECT name, damage FROM archives WHERE damage IS NOT NULL ORDER BY name').all() as { name: string; damage: string }[]) {
        result.damaged.push({ name: a.name, damage: a.damage.split('; ') });
      }
      db.exec('COMMIT');
      result.totals = vaultTotals(db);
      if (attached) detachOld(db);
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
    }
    // The old catalogue was opened and closed above, so its log is in its main file; what is left
    // beside it goes, and the new one takes its name in one rename.
    for (const suffix of ['-wal', '-shm']) await rm(live + suffix, { force: true });
    await rename(fresh, live);
    return result;
  } finally {
    await vault.release();
  }
}

/**
 * Whether the old catalogue can be carried from. It is opened read-write so that one from an
 * older picvault is brought up to date first, as any command would (it is replaced in a moment
 * anyway). One written by a newer picvault is refused, not replaced: what it knows, this program
 * cannot read.
 */
function readableOld(file: string): 'readable' | 'unreadable' | 'none' {
  if (!existsSync(file)) return 'none';
  try {
    openCatalog(file).close();
    return 'readable';
  } catch (err) {
    if (err instanceof PicvaultError && err.key === 'catalog.newer') throw err;
    return 'unreadable';
  }
}

/**
 * What the old catalogue knows and no zip contradicts (see catalog/carry.ts). Readable enough to
 * open, not to read through (a damaged page): the savepoint undoes any part carried, and the new
 * catalogue stands on the zips alone, said so.
 */
function carryOld(db: Db, vaultDir: string, result: ReindexResult): void {
  db.exec('SAVEPOINT carry');
  try {
    const notFound = oldArchivesNotFound(db);
    for (const a of notFound) {
      const damage = whyNotFound(absArchivePath(vaultDir, a.name));
      recordArchive(db, { name: a.name, month: a.month, xxh64: a.xxh64, bytes: a.bytes, createdAt: a.created_at, verifiedAt: null, damage, damageStrength: CHECK.structure }, emptyManifest(a.month, a.created_at));
    }
    const carried = carryImagesAndPlaces(db, (n) => `the old catalogue says it stores ${n} pictures it does not hold`, CHECK.data);
    result.kept = { archives: notFound.length, images: carried.images, places: carried.places };
    result.audit = carryAudit(db);
    result.dedupe = carryDedupe(db);
    db.exec('RELEASE carry');
  } catch {
    db.exec('ROLLBACK TO carry');
    db.exec('RELEASE carry');
    result.kept = null;
    result.audit = { unreadable: true };
    result.dedupe = null;
  }
}

function whyNotFound(file: string): string {
  const st = (() => {
    try {
      return lstatSync(file);
    } catch {
      return null;
    }
  })();
  return st === null ? 'missing' : 'not a regular file';
}

const emptyManifest = (month: string, createdAt: string) => ({ format: 'picvault-manifest' as const, version: 1, month, createdAt, images: [], locations: [] });
