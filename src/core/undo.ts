import type { Db } from '../catalog/db.js';
import { removedAny } from '../catalog/removals.js';
import type { RunRow } from '../catalog/runs.js';

/**
 * Undoing a clean (or dedupe) run: bringing back exactly the places it removed (`restore --run`).
 * Every such run lists what it removes before its first delete (catalog/removals.ts), so a run
 * can be undone when it is a clean or a dedupe and its list is not empty (a killed run's list
 * holds what it may have removed; restore finds the rest in place).
 */
export function canUndo(db: Db, run: RunRow): boolean {
  return (run.command === 'clean' || run.command === 'dedupe') && removedAny(db, run.id);
}
