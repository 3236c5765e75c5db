import { archiveNames } from '../catalog/archives.js';
import { recordArchive } from '../catalog/record.js';
import { dropPlacesWithoutImage } from '../catalog/carry.js';
import { addToStoppedArchive } from '../catalog/runs.js';
import { listArchiveFiles, removePartials } from '../vault/archive-files.js';
import type { checkZip } from '../vault/check-zip.js';
import type { Vault } from '../vault/vault.js';
import { REBUILD_FILE, sqliteFiles } from '../vault/layout.js';
import path from 'node:path';

export interface Recovery {
  partialsRemoved: number;
  /** Places in adopted zips whose image is in no zip at all: dropped (their originals were never cleaned). */
  lostPlaces: number;
  /** Zips a killed run renamed but did not catalogue, verified and catalogued now. */
  adopted: string[];
  /** Zips not in the catalogue that do not verify: left for `verify` to report. */
  rejected: string[];
}

/**
 * Finishes what a killed run left (SPEC invariant 2). A partial zip was never renamed, so nothing
 * can refer to it: removed, as is the catalogue a killed reindex was building. A final-named zip missing from the catalogue was renamed after its
 * fsync but the run died before the catalogue commit: read back whole and catalogued from its
 * manifest, exactly as the run would have.
 */
export async function recoverVault(vault: Vault): Promise<Recovery> {
  const { archives, partials } = await listArchiveFiles(vault.dir);
  await removePartials(partials);
  // A reindex killed before its swap left the catalogue it was building; the live one is whole.
  await removePartials(sqliteFiles(path.join(vault.dir, REBUILD_FILE)));
  const known = archiveNames(vault.db);
  const recovery: Recovery = { partialsRemoved: partials.length, lostPlaces: 0, adopted: [], rejected: [] };
  const whole: { archive: (typeof archives)[number]; manifest: NonNullable<Awaited<ReturnType<typeof checkZip>>['manifest']>; bytes: number }[] = [];
  for (const a of archives) {
    if (known.has(a.name)) continue;
    // Imported only when a killed run left a zip: unzipper and its dependencies took 100 ms to
    // load, before every archive's scan (docs/performance.md).
    const { checkZip } = await import('../vault/check-zip.js');
    const check = await checkZip(a.abs, { expectedXxh64: a.xxh64, readData: true });
    if (check.damage.length > 0 || !check.manifest) recovery.rejected.push(a.name);
    else whole.push({ archive: a, manifest: check.manifest, bytes: check.bytes });
  }
  if (whole.length === 0) return recovery;
  // One transaction, foreign keys checked at its end: the parts of one month may sort in any order.
  const db = vault.db;
  db.exec('BEGIN');
  try {
    db.pragma('defer_foreign_keys = ON');
    const verifiedAt = new Date().toISOString();
    for (const { archive: a, manifest, bytes } of whole) {
      recordArchive(db, { name: a.name, month: a.month, xxh64: a.xxh64, bytes, createdAt: manifest.createdAt, verifiedAt }, manifest);
      recovery.adopted.push(a.name);
      addToStoppedArchive(db, { files: manifest.locations.length, bytes: manifest.images.reduce((n, i) => n + i.size, 0) });
    }
    recovery.lostPlaces = dropPlacesWithoutImage(db).length;
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
  return recovery;
}
