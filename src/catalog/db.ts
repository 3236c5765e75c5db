import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { EXIT, PicvaultError } from '../errors.js';
import { PATH_KEY_SQL, pathKey } from './path-key.js';

export type Db = Database.Database;

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort();
}

/**
 * Opens (creating if asked) a catalogue and brings its schema up to date. The schema is built
 * only by migrations/NNNN_name.sql, each applied in its own transaction and recorded. A catalogue
 * whose applied migrations are not a prefix of ours was written by a newer picvault: refused,
 * never "repaired".
 */
export function openCatalog(file: string, options: { readonly?: boolean } = {}): Db {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  try {
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // With WAL, NORMAL keeps the catalogue consistent and only risks its last commits on power
      // loss. The zips are flushed before they are renamed and are the source of truth: a commit
      // lost that way is redone by recovery from their manifests (docs/decisions.md).
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    // better-sqlite3's default is 16 MB a connection. Runs walk the catalogue in path or insertion
    // order, so pages are seldom revisited; 8 MB kept archive and clean as fast at 300 000 places.
    db.pragma('cache_size = -8000');
    // Migration 0004 keys every catalogued path; the same function as the code's lookups use.
    db.function(PATH_KEY_SQL, { deterministic: true }, (p) => pathKey(String(p)));
    migrate(db, options.readonly ?? false);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function migrate(db: Db, readonly: boolean): void {
  const files = migrationFiles();
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  const applied = hasTable
    ? (db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all() as string[])
    : [];
  const isPrefix = applied.length <= files.length && applied.every((id, i) => id === files[i]);
  if (!isPrefix) {
    throw new PicvaultError('catalog.newer', { applied: applied.at(-1) ?? '?' }, EXIT.notVault);
  }
  const pending = files.slice(applied.length);
  if (pending.length === 0) return;
  if (readonly) throw new PicvaultError('catalog.outdated', {}, EXIT.notVault);
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  for (const id of pending) {
    const sql = readFileSync(MIGRATIONS_DIR + id, 'utf8');
    db.transaction(() => {
      db.exec(sql);
      record.run(id, new Date().toISOString());
    })();
  }
  // A migration that rebuilt a table (0004) leaves the old table's pages free inside the file: at
  // 300 000 places the catalogue grew from 163 to 256 MB. Given back once, at the upgrade (about a
  // second there), rather than left for later runs to reuse. Only a saving: when it cannot run
  // (another reader has the catalogue open, no room for SQLite's copy), the pages are reused later.
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  if (free * 4 > pages) {
    try {
      db.exec('VACUUM');
    } catch {
      // the migrated catalogue is whole either way
    }
  }
}
