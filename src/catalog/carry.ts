import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Db } from './db.js';

/**
 * What dedupe keeps in the catalogue and in no zip (migrations/0008): the "not duplicates" marks,
 * which places each clean or dedupe run removed, and what pictures look like. reindex builds a new
 * catalogue from the zips and then carries these over from the old one when it still reads, as it
 * carries the audit trail (core/reindex.ts): marks and looks as they are, each run's removals
 * matched to the new places by device, path, image and time. Runs keep their ids there.
 */
export function carryDedupe(db: Db, oldFile: string): { marks: number; removals: number } | null {
  if (!existsSync(oldFile)) return null;
  let old: Database.Database;
  try {
    old = new Database(oldFile, { readonly: true, fileMustExist: true });
  } catch {
    return null;
  }
  try {
    const has = (table: string) => old.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
    if (!has('not_duplicates')) return { marks: 0, removals: 0 };
    let marks = 0;
    const mark = db.prepare('INSERT OR IGNORE INTO not_duplicates (a, b, device, created_at) VALUES (?, ?, ?, ?)');
    for (const row of old.prepare('SELECT a, b, device, created_at FROM not_duplicates').raw().iterate()) marks += mark.run(...(row as unknown[])).changes;
    const look = db.prepare('INSERT OR IGNORE INTO picture_looks (picture, width, height, dhash, phash, flat) VALUES (?, ?, ?, ?, ?, ?)');
    for (const row of old.prepare('SELECT picture, width, height, dhash, phash, flat FROM picture_looks').raw().iterate()) look.run(...(row as unknown[]));
    const dat = db.prepare('INSERT OR IGNORE INTO dat_pictures (hash, picture, picture_size) VALUES (?, ?, ?)');
    for (const row of old.prepare('SELECT hash, picture, picture_size FROM dat_pictures').raw().iterate()) dat.run(...(row as unknown[]));
    const place = db.prepare('SELECT id FROM locations WHERE path_key = ? AND path = ? AND device = ? AND hash = ? AND mtime_ms = ?').pluck();
    const removal = db.prepare('INSERT OR IGNORE INTO run_removals (run_id, location_id, removed) VALUES (?, ?, ?)');
    let removals = 0;
    const rows = old.prepare(
      `SELECT r.run_id, r.removed, l.path_key, l.path, l.device, l.hash, l.mtime_ms
       FROM run_removals r JOIN locations l ON l.id = r.location_id`,
    ).raw();
    for (const [runId, removed, ...key] of rows.iterate() as Iterable<unknown[]>) {
      const id = place.get(...key) as number | undefined;
      if (id !== undefined) removals += removal.run(runId, id, removed).changes;
    }
    return { marks, removals };
  } catch {
    // Readable enough to open, not to read through: the new catalogue goes on without them.
    return null;
  } finally {
    old.close();
  }
}
