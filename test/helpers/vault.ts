import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
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

/** Every sample file of the corpus (its notes and licences left out). */
export async function corpusFiles(dir = CORPUS): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== '_licenses') out.push(...(await corpusFiles(p)));
    else if (e.isFile() && !/\.(md|txt)$|SHA256SUMS/.test(e.name)) out.push(p);
  }
  return out;
}

/** Every place catalogList yields, collected. */
export async function listAll(vault: string, selection: Selection = {}): Promise<LocationRow[]> {
  const rows: LocationRow[] = [];
  for await (const r of catalogList(vault, selection)) rows.push(r);
  return rows;
}

/** The migrations of the release before path keys (0004): what catalogues on users' disks hold. */
const BEFORE_PATH_KEYS = ['0001_init.sql', '0002_audit.sql', '0003_layouts.sql'];

/**
 * A new catalogue as that release left one: its migrations applied from the real files and
 * recorded, nothing else. Open, for the caller to fill and close.
 */
export function catalogueBeforePathKeys(file: string): Database.Database {
  const migrations = path.resolve(import.meta.dirname, '../../migrations');
  const db = new Database(file);
  db.exec('CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  for (const id of BEFORE_PATH_KEYS) {
    db.exec(readFileSync(path.join(migrations, id), 'utf8'));
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(id, 'then');
  }
  return db;
}
