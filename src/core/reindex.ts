import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { openCatalog } from '../catalog/db.js';
import { recordArchive } from '../catalog/record.js';
import { vaultTotals, type VaultTotals } from '../catalog/reports.js';
import { listArchiveFiles, removePartials } from '../vault/archive-files.js';
import { checkZip } from '../vault/check-zip.js';
import { DB_FILE } from '../vault/layout.js';
import { claimVaultDir } from '../vault/vault.js';
import { silentProgress, type Progress } from './progress.js';

export interface ReindexOptions {
  vault: string;
  progress?: Progress;
}

export interface ReindexResult {
  totals: VaultTotals;
  /** Zips whose manifest could not be read: their images are not in the new catalogue. */
  unreadable: { name: string; damage: string[] }[];
  /** Zips catalogued but found damaged (bytes or entries): recorded with their damage. */
  damaged: { name: string; damage: string[] }[];
  /** Places whose image was only in an unreadable zip. */
  lostPlaces: number;
}

/**
 * reindex: a new catalogue from the archives alone (SPEC invariant 3). It is built beside the old
 * one and swapped in by a rename, so a reindex killed halfway leaves the old catalogue as it was.
 * Every zip is read back whole, so the new catalogue knows which archives are verified.
 */
export async function reindex(options: ReindexOptions): Promise<ReindexResult> {
  const progress = options.progress ?? silentProgress;
  const vault = await claimVaultDir(options.vault, { write: true, allowMissingCatalog: true });
  const fresh = path.join(vault.dir, `${DB_FILE}.rebuild`);
  try {
    const { archives, partials } = await listArchiveFiles(vault.dir);
    await removePartials(partials);
    for (const suffix of ['', '-wal', '-shm']) await rm(fresh + suffix, { force: true });
    const db = openCatalog(fresh);
    const result: ReindexResult = { totals: vaultTotals(db), unreadable: [], damaged: [], lostPlaces: 0 };
    try {
      // One transaction with foreign keys checked at commit: a zip that only records places may
      // sort before the zip that stores their images.
      db.exec('BEGIN');
      db.pragma('defer_foreign_keys = ON');
      progress.begin('phase.reindex', archives.length);
      for (const a of archives) {
        const check = await checkZip(a.abs, { expectedXxh64: a.xxh64, readData: true });
        progress.advance(1, check.bytes);
        if (!check.manifest) {
          result.unreadable.push({ name: a.name, damage: check.damage });
          continue;
        }
        const damage = check.damage.length > 0 ? check.damage.join('; ') : null;
        if (damage) result.damaged.push({ name: a.name, damage: check.damage });
        recordArchive(
          db,
          { name: a.name, month: a.month, xxh64: a.xxh64, bytes: check.bytes, createdAt: check.manifest.createdAt, verifiedAt: damage ? null : new Date().toISOString(), damage },
          check.manifest,
        );
      }
      progress.end();
      // Places whose image is in no readable zip cannot be restored; they are reported, not kept.
      result.lostPlaces = db.prepare('DELETE FROM locations WHERE hash NOT IN (SELECT hash FROM images)').run().changes;
      db.exec('COMMIT');
      result.totals = vaultTotals(db);
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
    }
    const live = path.join(vault.dir, DB_FILE);
    for (const suffix of ['-wal', '-shm']) await rm(live + suffix, { force: true });
    await rename(fresh, live);
    return result;
  } finally {
    await vault.release();
  }
}
