import type { Db } from './db.js';

export interface RunRecord {
  command: 'archive' | 'clean' | 'dedupe' | 'restore';
  device: string;
  startedAt: string;
  sources: string[];
  selection: object;
  files: number;
  bytes: number;
  skipped: number;
  /** `interrupted` until a clean or dedupe run that started ends (startRun): a killed one stays so. */
  outcome: 'done' | 'partial' | 'dry-run' | 'interrupted';
}

export interface RunRow extends Omit<RunRecord, 'sources' | 'selection'> {
  id: number;
  finishedAt: string;
  sources: string[];
  selection: Record<string, unknown>;
}

export function recordRun(db: Db, run: RunRecord): void {
  db.prepare(
    `INSERT INTO runs (command, device, started_at, finished_at, sources, selection, files, bytes, skipped, outcome)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(run.command, run.device, run.startedAt, new Date().toISOString(), JSON.stringify(run.sources), JSON.stringify(run.selection), run.files, run.bytes, run.skipped, run.outcome);
}

/**
 * Records a run that deletes before it deletes anything, as interrupted, so that what it removes
 * can be tied to it (catalog/removals.ts) even if it is killed; finishRun says how it ended.
 */
export function startRun(db: Db, run: Omit<RunRecord, 'files' | 'bytes' | 'skipped' | 'outcome'>): number {
  const result = db.prepare(
    `INSERT INTO runs (command, device, started_at, finished_at, sources, selection, files, bytes, skipped, outcome)
     VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 'interrupted')`,
  ).run(run.command, run.device, run.startedAt, new Date().toISOString(), JSON.stringify(run.sources), JSON.stringify(run.selection));
  return Number(result.lastInsertRowid);
}

export function finishRun(db: Db, id: number, end: Pick<RunRecord, 'files' | 'bytes' | 'skipped' | 'outcome'>): void {
  db.prepare('UPDATE runs SET finished_at = ?, files = ?, bytes = ?, skipped = ?, outcome = ? WHERE id = ?').run(
    new Date().toISOString(), end.files, end.bytes, end.skipped, end.outcome, id,
  );
}

export const runById = (db: Db, id: number) => listRuns(db, id)[0] as RunRow | undefined;

export function listRuns(db: Db, id?: number): RunRow[] {
  const rows = db
    .prepare(
      `SELECT id, command, device, started_at AS startedAt, finished_at AS finishedAt, sources, selection,
              files, bytes, skipped, outcome FROM runs ${id === undefined ? '' : 'WHERE id = ?'} ORDER BY id`,
    )
    .all(...(id === undefined ? [] : [id])) as (Omit<RunRow, 'sources' | 'selection'> & { sources: string; selection: string })[];
  return rows.map((r) => ({ ...r, sources: JSON.parse(r.sources), selection: JSON.parse(r.selection) }));
}

/** Marks places cleaned or restored, in one transaction per batch. */
export function markPlaces(db: Db, column: 'cleaned_at' | 'restored_at', ids: readonly number[]): void {
  const stmt = db.prepare(`UPDATE locations SET ${column} = ? WHERE id = ?`);
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const id of ids) stmt.run(now, id);
  })();
}
