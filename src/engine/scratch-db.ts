import { Database } from '../catalog/sqlite.js';

/**
 * A temporary SQLite database for what a run would otherwise hold in memory past a few tens of
 * thousands of items: no journal, no fsync, deleted when it closes, nothing to keep if the run dies.
 */
export function scratchDatabase(): Database.Database {
  const db = new Database('');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  // better-sqlite3 gives each connection a 16 MB page cache. These tables are written in order and
  // read a group at a time, so pages are seldom visited twice: 2 MB does, and the rest stays free.
  db.pragma('cache_size = -2000');
  return db;
}
