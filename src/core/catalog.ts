import { resolveHashes, imageByHash } from '../catalog/images.js';
import { iterateLocations, locationsOfHash, type LocationRow } from '../catalog/locations.js';
import { deviceReports, monthReports, vaultTotals, type DeviceReport, type MonthReport, type VaultTotals } from '../catalog/reports.js';
import type { DatFormat } from '../media/dat.js';
import { lockHeld } from '../vault/lock.js';
import { openVault, type Vault } from '../vault/vault.js';
import { listRuns, type RunRow } from '../catalog/runs.js';
import { compileSelection, narrowing, type Selection } from './selection.js';

/** The read-only questions the catalogue answers (catalog months|list|show|devices). */
async function withVault<T>(dir: string, fn: (vault: Vault) => T): Promise<T> {
  const vault = await openVault(dir, { write: false });
  try {
    return fn(vault);
  } finally {
    await vault.close();
  }
}

export const catalogMonths = (dir: string): Promise<{ months: MonthReport[]; totals: VaultTotals }> =>
  withVault(dir, (v) => ({ months: monthReports(v.db), totals: vaultTotals(v.db) }));

export const catalogDevices = (dir: string): Promise<DeviceReport[]> => withVault(dir, (v) => deviceReports(v.db));

/**
 * Every selected place in date order, a row at a time: a catalogue of 300 000 places is never
 * held whole. The vault stays open until the loop ends (or breaks).
 */
export async function* catalogList(dir: string, selection: Selection): AsyncGenerator<CatalogPlace> {
  const vault = await openVault(dir, { write: false });
  try {
    const sel = { ...selection };
    if (sel.hashes) sel.hashes = resolveHashes(vault.db, sel.hashes);
    for (const row of iterateLocations(vault.db, compileSelection(sel), narrowing(sel))) yield catalogPlace(row);
  } finally {
    await vault.close();
  }
}

/**
 * A place as the catalogue commands show it: `hash` is the stored picture's, `fileHash` the file's
 * own (null: the same), and of its recipe only the format (null: none) — the recipe itself is for
 * rebuilding, not reading (a 4.x one carries a kilobyte of encrypted head).
 */
export type CatalogPlace = Omit<LocationRow, 'recipe'> & { recipeFormat: DatFormat | null };

export function catalogPlace(row: LocationRow): CatalogPlace {
  const { recipe, ...rest } = row;
  return { ...rest, recipeFormat: recipe?.format ?? null };
}

export interface ImageDetail {
  image: { hash: string; size: number; ext: string; decodedExt: string | null; entry: string; archive: string; verifiedAt: string | null; damage: string | null };
  locations: CatalogPlace[];
}

export const catalogShow = (dir: string, hash: string): Promise<ImageDetail> =>
  withVault(dir, (v) => {
    const [full] = resolveHashes(v.db, [hash]);
    const image = imageByHash(v.db, full)!;
    const archive = v.db.prepare('SELECT name, verified_at, damage FROM archives WHERE id = ?').get(image.archive_id) as {
      name: string; verified_at: string | null; damage: string | null;
    };
    return {
      // Named as everywhere else in the JSON (docs/json.md), not as the catalogue's columns.
      image: {
        hash: image.hash, size: image.size, ext: image.ext, decodedExt: image.decoded_ext,
        entry: image.entry, archive: archive.name, verifiedAt: archive.verified_at, damage: archive.damage,
      },
      locations: locationsOfHash(v.db, full).map(catalogPlace),
    };
  });

export const catalogLog = (dir: string): Promise<RunRow[]> => withVault(dir, (v) => listRuns(v.db, -1, lockHeld(v.dir)));
