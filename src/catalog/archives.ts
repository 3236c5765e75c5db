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
  /** The strength of the check that set `damage` (CHECK); null when not damaged. */
  damage_strength: number | null;
}

/**
 * How strong a check of an archive is (migrations/0005). A damage mark is cleared or replaced
 * only by a check at least as strong as the one that set it.
 */
export const CHECK = {
  /** The zip is there, a regular file, hashes to its name, opens, its manifest reads (plain verify). */
  structure: 1,
  /** Every stored image re-hashed as well (verify --read-data, reindex, clean's read-back, repair). */
  data: 2,
} as const;
export type CheckStrength = (typeof CHECK)[keyof typeof CHECK];

export const listArchives = (db: Db) =>
  db.prepare('SELECT * FROM archives ORDER BY name').all() as CatalogArchive[];

export const archiveNames = (db: Db) =>
  new Set(db.prepare('SELECT name FROM archives').pluck().all() as string[]);

export const archiveByName = (db: Db, name: string) =>
  db.prepare('SELECT * FROM archives WHERE name = ?').get(name) as CatalogArchive | undefined;

/**
 * Records what a check of this strength found: whole archives become verified and lose their mark,
 * damaged ones get theirs; but a mark set by a stronger check stands, untouched. Returns the ids
 * whose mark stood.
 */
export function markVerified(db: Db, results: { id: number; damage: string | null }[], strength: CheckStrength): Set<number> {
  const now = new Date().toISOString();
  const may = 'AND (damage_strength IS NULL OR damage_strength <= ?)';
  const ok = db.prepare(`UPDATE archives SET verified_at = ?, damage = NULL, damage_strength = NULL WHERE id = ? ${may}`);
  const bad = db.prepare(`UPDATE archives SET damage = ?, damage_strength = ? WHERE id = ? ${may}`);
  const stood = new Set<number>();
  db.transaction(() => {
    for (const r of results) {
      const changed = r.damage === null ? ok.run(now, r.id, strength).changes : bad.run(r.damage, strength, r.id, strength).changes;
      if (changed === 0) stood.add(r.id);
    }
  })();
  return stood;
}

/** The archives whose mark a check of this strength leaves standing, as markVerified says, without writing (a read-only vault). */
export const marksThatStand = (archives: CatalogArchive[], strength: CheckStrength): Set<number> =>
  new Set(archives.filter((a) => a.damage !== null && (a.damage_strength ?? 0) > strength).map((a) => a.id));

/** Marks one archive damaged by a check of this strength (unless a stronger mark stands). */
export function markDamaged(db: Db, name: string, damage: string, strength: CheckStrength): void {
  db.prepare('UPDATE archives SET damage = ?, damage_strength = ? WHERE name = ? AND (damage_strength IS NULL OR damage_strength <= ?)')
    .run(damage, strength, name, strength);
}

/**
 * An archive whose zip repair moved aside: its row goes once nothing refers to it; otherwise (its
 * pictures with no good copy anywhere) it stays, marked with what happened. True when it went.
 */
export function retireArchive(db: Db, id: number, damage: string): boolean {
  return db.transaction(() => {
    const used = db.prepare('SELECT EXISTS (SELECT 1 FROM images WHERE archive_id = ?) OR EXISTS (SELECT 1 FROM locations WHERE archive_id = ?)').pluck().get(id, id);
    if (used) {
      db.prepare('UPDATE archives SET damage = ?, damage_strength = ?, verified_at = NULL WHERE id = ?').run(damage, CHECK.data, id);
      return false;
    }
    db.prepare('DELETE FROM archives WHERE id = ?').run(id);
    return true;
  })();
}
