import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { CHECK } from '../catalog/archives.js';
import { openCatalog, type Db } from '../catalog/db.js';
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
  /**
   * The audit trail carried over from the old catalogue (see carryAudit): how many runs and
   * places' dates; `unreadable` when the old catalogue could not be read, and `catalog log` starts
   * again; null when there was none.
   */
  audit: { runs: number; places: number } | { unreadable: true } | null;
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
    const result: ReindexResult = { totals: vaultTotals(db), unreadable: [], damaged: [], lostPlaces: 0, audit: null };
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
          { name: a.name, month: a.month, xxh64: a.xxh64, bytes: check.bytes, createdAt: check.manifest.createdAt, verifiedAt: damage ? null : new Date().toISOString(), damage, damageStrength: damage ? CHECK.data : null },
          check.manifest,
        );
      }
      progress.end();
      // Places whose image is in no readable zip cannot be restored; they are reported, not kept.
      result.lostPlaces = db.prepare('DELETE FROM locations WHERE hash NOT IN (SELECT hash FROM images)').run().changes;
      result.audit = carryAudit(db, path.join(vault.dir, DB_FILE));
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

/**
 * The audit trail is the catalogue's own, in no zip: every run (`catalog log`) and when each
 * original was cleaned or restored. When the old catalogue still opens (a reindex to check the
 * vault, or after a catalogue lost only its newest commits), it is carried into the new one:
 * every run, and the dates of each place found in both (same device, path, image and time). A
 * catalogue that cannot be read carries nothing; the rebuild goes on without it.
 */
function carryAudit(db: Db, oldFile: string): ReindexResult['audit'] {
  if (!existsSync(oldFile)) return null;
  let old: Db;
  try {
    // Read-write: a catalogue from an older picvault is brought up to date first, as any command
    // would; it is replaced in a moment anyway.
    old = openCatalog(oldFile);
  } catch {
    return { unreadable: true };
  }
  try {
    const insertRun = db.prepare(
      `INSERT INTO runs (id, command, device, started_at, finished_at, sources, selection, files, bytes, skipped, outcome)
       VALUES (@id, @command, @device, @started_at, @finished_at, @sources, @selection, @files, @bytes, @skipped, @outcome)`,
    );
    let runs = 0;
    for (const run of old.prepare('SELECT * FROM runs ORDER BY id').iterate()) runs += insertRun.run(run).changes;
    const mark = db.prepare(
      `UPDATE locations SET cleaned_at = ?, restored_at = ?
       WHERE path_key = ? AND path = ? AND device = ? AND hash = ? AND mtime_ms = ?`,
    );
    let places = 0;
    const marked = old.prepare(
      'SELECT cleaned_at, restored_at, path_key, path, device, hash, mtime_ms FROM locations WHERE cleaned_at IS NOT NULL OR restored_at IS NOT NULL',
    ).raw();
    for (const row of marked.iterate()) places += mark.run(...(row as unknown[])).changes;
    return { runs, places };
  } catch {
    // Readable enough to open, not to read through (a damaged page): the new catalogue stands alone.
    db.exec('DELETE FROM runs');
    db.exec('UPDATE locations SET cleaned_at = NULL, restored_at = NULL');
    return { unreadable: true };
  } finally {
    old.close();
  }
}
