import type { Db } from './db.js';
import { SELECT_LOCATIONS, withRecipe, type LocationRow } from './locations.js';

/**
 * What each clean or dedupe run removed, so that `restore --run ID` can bring it back
 * (migrations/0008). A run lists every place it plans to delete before its first delete, and
 * marks each one removed as it goes; when it ends (Ctrl-C included), the planned places it kept
 * are struck off. A run killed midway keeps its whole list: whatever it removed is in it, and
 * restore finds the rest already in place.
 *
 * A place belongs to the latest run that lists it (migrations/0012). A later run lists only files
 * it found on disk, so an earlier run still listing the place either never removed it (killed
 * before its turn) or had it restored since; either way the later run is the one that removed it.
 * Decided when read, not by striking earlier lists when a later run deletes: that holds under a
 * SIGKILL between a delete and its mark, when both lists still say "planned".
 */
const OWN = `NOT EXISTS (SELECT 1 FROM run_removals later WHERE later.location_id = r.location_id AND later.run_id > r.run_id)`;

/** The places a run is about to delete, listed before the first of them goes. */
export function planRemovals(db: Db, runId: number, locationIds: Iterable<number[]>): void {
  const insert = db.prepare('INSERT OR IGNORE INTO run_removals (run_id, location_id) VALUES (?, ?)');
  db.transaction(() => {
    for (const ids of locationIds) for (const id of ids) insert.run(runId, id);
  })();
}

/** These places were deleted by the run: marked cleaned, and removed in its list. */
export function markRemoved(db: Db, runId: number, locationIds: readonly number[]): void {
  const now = new Date().toISOString();
  // The place's own column, written in its table (locations is a view of it: migrations/0013).
  const cleaned = db.prepare('UPDATE places SET cleaned_at = ? WHERE id = ?');
  const removed = db.prepare('UPDATE run_removals SET removed = 1 WHERE run_id = ? AND location_id = ?');
  db.transaction(() => {
    for (const id of locationIds) {
      cleaned.run(now, id);
      removed.run(runId, id);
    }
  })();
}

/** The run ended: what it planned and kept is not its to undo. */
export function settleRemovals(db: Db, runId: number): void {
  db.prepare('DELETE FROM run_removals WHERE run_id = ? AND removed = 0').run(runId);
}

/** Whether a run removed anything still its own (or, killed, may have). */
export const removedAny = (db: Db, runId: number) =>
  db.prepare(`SELECT EXISTS (SELECT 1 FROM run_removals r WHERE r.run_id = ? AND ${OWN})`).pluck().get(runId) === 1;

/** Every place a run removed (or, killed, may have) that no later run took over, in date order, filtered like iterateLocations. */
export function* iterateRemovals(db: Db, runId: number, keep: (row: LocationRow) => boolean): Generator<LocationRow> {
  const stmt = db.prepare(`${SELECT_LOCATIONS} JOIN run_removals r ON r.location_id = l.id WHERE r.run_id = ? AND ${OWN} ORDER BY l.taken, l.path, l.device, l.hash`);
  for (const row of stmt.iterate(runId) as Iterable<LocationRow>) if (keep(row)) yield withRecipe(row);
}
