import type { Db } from './db.js';

export interface CatalogArchive {
  id: number;
  name: string;
  month: string;
  xxh64: string;
  bytes: number;
  created_at: string;
  verified_at: string | null;
  damage: string | null;
}

export const listArchives = (db: Db) =>
  db.prepare('SELECT * FROM archives ORDER BY name').all() as CatalogArchive[];

export const archiveNames = (db: Db) =>
  new Set(db.prepare('SELECT name FROM archives').pluck().all() as string[]);

export function markVerified(db: Db, results: { id: number; damage: string | null }[]): void {
  const now = new Date().toISOString();
  const ok = db.prepare('UPDATE archives SET verified_at = ?, damage = NULL WHERE id = ?');
  const bad = db.prepare('UPDATE archives SET damage = ? WHERE id = ?');
  db.transaction(() => {
    for (const r of results) (r.damage === null ? ok.run(now, r.id) : bad.run(r.damage, r.id));
  })();
}
