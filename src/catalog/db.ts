import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXIT, PicvaultError } from '../errors.js';
import { PATH_KEY_SQL, pathKey } from './path-key.js';
import { openReadOnly } from './read-only.js';
import { Database } from './sqlite.js';

export type Db = Database.Database;

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** How long a statement waits for another connection's write before giving up. */
const BUSY_TIMEOUT_MS = 5_000;
/** The same while waiting for another run's upgrade of the catalogue (see migrate). */
const UPGRADE_BUSY_TIMEOUT_MS = 120_000;

function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort();
}

/**
 * Opens (creating if asked) a catalogue and brings its schema up to date. The schema is built
 * only by migrations/NNNN_name.sql, applied in one transaction and recorded. A catalogue
 * whose applied migrations are not a prefix of ours was written by a newer picvault: refused,
 * never "repaired". Read-only, it writes nothing, not even beside the file (see read-only.ts).
 */
export function openCatalog(file: string, options: { readonly?: boolean } = {}): Db {
  const db = options.readonly ? openReadOnly(file) : new Database(file);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
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

function appliedMigrations(db: Db, files: string[]): string[] {
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
  return applied;
}

function migrate(db: Db, readonly: boolean): void {
  const files = migrationFiles();
  if (appliedMigrations(db, files).length === files.length) return;
  if (readonly) throw new PicvaultError('catalog.outdated', {}, EXIT.notVault);
  // Readers open the catalogue without the vault's lock, so two runs may find it outdated at once.
  // The write lock is taken first (IMMEDIATE) and what is applied read again under it: the second
  // run waits (busy_timeout), then finds nothing left to do, instead of applying a migration twice.
  // All pending migrations commit together or not at all.
  let upgraded = false;
  // An upgrade of a large catalogue takes seconds (300 000 places: about 4 s); waiting for another
  // run's may take as long, more than the usual five seconds' patience.
  db.pragma(`busy_timeout = ${UPGRADE_BUSY_TIMEOUT_MS}`);
  db.transaction(() => {
    const pending = files.slice(appliedMigrations(db, files).length);
    if (pending.length === 0) return;
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
    for (const id of pending) {
      db.exec(readFileSync(MIGRATIONS_DIR + id, 'utf8'));
      record.run(id, new Date().toISOString());
    }
    upgraded = true;
  }).immediate();
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!upgraded) return;
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
