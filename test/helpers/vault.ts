import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { catalogList } from '../../src/core/catalog.js';
import type { LocationRow } from '../../src/catalog/locations.js';
import type { Selection } from '../../src/core/selection.js';

/** Every final-named zip in a vault. */
export async function vaultZips(vault: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.zip')) out.push(p);
    }
  };
  await walk(path.join(vault, 'archives'));
  return out.sort();
}

export const CORPUS = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../../../shared/corpus');

/** Every place catalogList yields, collected. */
export async function listAll(vault: string, selection: Selection = {}): Promise<LocationRow[]> {
  const rows: LocationRow[] = [];
  for await (const r of catalogList(vault, selection)) rows.push(r);
  return rows;
}
