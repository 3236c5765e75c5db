import type { Db } from '../catalog/db.js';
import type { RunRow } from '../catalog/runs.js';

/**
 * Undoing a clean (or dedupe) run: bringing back exactly the places it removed (`restore --run`).
 * That needs each removed place tied to the run that removed it; the catalogue does not record it
 * yet (a place knows when it was cleaned, not by which run, and a date window could take in another
 * run's places). Issue 20 adds the tie and `restore --run`; until then no run is offered for undo,
 * and the page shows no button.
 */
export function canUndo(_db: Db, _run: RunRow): boolean {
  return false;
}
