import { archiveNames } from '../catalog/archives.js';
import { recordArchive } from '../catalog/record.js';
import { listArchiveFiles, removePartials } from '../vault/archive-files.js';
import { checkZip } from '../vault/check-zip.js';
import type { Vault } from '../vault/vault.js';

export interface Recovery {
  partialsRemoved: number;
  /** Zips a killed run renamed but did not catalogue, verified and catalogued now. */
  adopted: string[];
  /** Zips not in the catalogue that do not verify: left for `verify` to report. */
  rejected: string[];
}

/**
 * Finishes what a killed run left (SPEC invariant 2). A partial zip was never renamed, so nothing
 * can refer to it: removed. A final-named zip missing from the catalogue was renamed after its
 * fsync but the run died before the catalogue commit: read back whole and catalogued from its
 * manifest, exactly as the run would have.
 */
export async function recoverVault(vault: Vault): Promise<Recovery> {
  const { archives, partials } = await listArchiveFiles(vault.dir);
  await removePartials(partials);
  const known = archiveNames(vault.db);
  const recovery: Recovery = { partialsRemoved: partials.length, adopted: [], rejected: [] };
  for (const a of archives) {
    if (known.has(a.name)) continue;
    const check = await checkZip(a.abs, { expectedXxh64: a.xxh64, readData: true });
    if (check.damage.length > 0 || !check.manifest) {
      recovery.rejected.push(a.name);
      continue;
    }
    recordArchive(
      vault.db,
      { name: a.name, month: a.month, xxh64: a.xxh64, bytes: check.bytes, createdAt: check.manifest.createdAt, verifiedAt: new Date().toISOString() },
      check.manifest,
    );
    recovery.adopted.push(a.name);
  }
  return recovery;
}
