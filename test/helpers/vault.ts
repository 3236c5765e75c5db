import { readFileSync } from 'node:fs';
import { copyFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PATH_KEY_SQL, pathKey } from '../../src/catalog/path-key.js';
import { catalogList, type CatalogPlace } from '../../src/core/catalog.js';
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
export async function listAll(vault: string, selection: Selection = {}): Promise<CatalogPlace[]> {
  const rows: CatalogPlace[] = [];
  for await (const r of catalogList(vault, selection)) rows.push(r);
  return rows;
}

/** The migrations of the release before path keys (0004): what catalogues on users' disks hold. */
const BEFORE_PATH_KEYS = ['0001_init.sql', '0002_audit.sql', '0003_layouts.sql'];

/**
 * A new catalogue as a release left one: its migrations applied from the real files and recorded,
 * nothing else. Open, for the caller to fill and close.
 */
export function catalogueOfRelease(file: string, migrationIds: readonly string[]): Database.Database {
  const migrations = path.resolve(import.meta.dirname, '../../migrations');
  const db = new Database(file);
  db.function(PATH_KEY_SQL, { deterministic: true }, (p) => pathKey(String(p)));
  db.exec('CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  for (const id of migrationIds) {
    db.exec(readFileSync(path.join(migrations, id), 'utf8'));
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(id, 'then');
  }
  return db;
}

/** The catalogue of the release before path keys (0004). */
export const catalogueBeforePathKeys = (file: string) => catalogueOfRelease(file, BEFORE_PATH_KEYS);

/** The migrations of the release before this one's dedupe (0008): what catalogues on users' disks hold. */
export const PREVIOUS_RELEASE = ['0001_init.sql', '0002_audit.sql', '0003_layouts.sql', '0004_path_key.sql'];

/**
 * Replaces a vault's catalogue with one as an older release would have written it: its migrations
 * only, and the vault's own rows in the columns that release had.
 */
export async function replaceWithOldCatalogue(vault: string, scratchFile: string, migrationIds: readonly string[] = PREVIOUS_RELEASE): Promise<void> {
  const dbFile = path.join(vault, 'picvault.db');
  const db = catalogueOfRelease(scratchFile, migrationIds);
  db.prepare('ATTACH DATABASE ? AS cur').run(dbFile);
  for (const table of ['archives', 'images', 'runs', 'locations']) {
    const columns = (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]).join(', ');
    db.exec(`INSERT INTO main.${table} (${columns}) SELECT ${columns} FROM cur.${table}`);
  }
  db.exec('DETACH DATABASE cur');
  db.close();
  for (const f of await readdir(vault)) if (f.startsWith('picvault.db')) await rm(path.join(vault, f));
  await copyFile(scratchFile, dbFile);
}

/** Deletes a vault's catalogue, as a lost one: what reindex rebuilds from the archives alone. */
export async function dropCatalogue(vault: string): Promise<void> {
  for (const f of ['picvault.db', 'picvault.db-wal', 'picvault.db-shm']) await rm(path.join(vault, f), { force: true });
}
