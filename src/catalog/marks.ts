import type { Db } from './db.js';

/**
 * "Not duplicates": two pictures the user says are different, whatever their hashes say; dedupe
 * never groups them again (migrations/0008). Kept in the vault's catalogue, so every device that
 * uses the vault honours them. Pairs are stored in order (a < b).
 */
export interface NotDuplicateMark {
  a: string;
  b: string;
  device: string;
  createdAt: string;
}

const ordered = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);

/** Marks a pair; false when it was marked already. */
export function addMark(db: Db, x: string, y: string, device: string): boolean {
  const [a, b] = ordered(x, y);
  return db.prepare('INSERT OR IGNORE INTO not_duplicates (a, b, device, created_at) VALUES (?, ?, ?, ?)').run(a, b, device, new Date().toISOString()).changes === 1;
}

/** Takes a mark back; false when there was none. */
export function removeMark(db: Db, x: string, y: string): boolean {
  const [a, b] = ordered(x, y);
  return db.prepare('DELETE FROM not_duplicates WHERE a = ? AND b = ?').run(a, b).changes === 1;
}

export const listMarks = (db: Db) =>
  db.prepare('SELECT a, b, device, created_at AS createdAt FROM not_duplicates ORDER BY created_at, a, b').all() as NotDuplicateMark[];
