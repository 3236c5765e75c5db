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

export function runById(db: Db, id: number): RunRow | undefined {
  const row = db
    .prepare(
      `SELECT id, command, device, started_at AS startedAt, finished_at AS finishedAt, sources, selection,
              files, bytes, skipped, outcome FROM runs WHERE id = ?`,
    )
    .get(id) as (Omit<RunRow, 'sources' | 'selection'> & { sources: string; selection: string }) | undefined;
  return row && { ...row, sources: JSON.parse(row.sources), selection: JSON.parse(row.selection) };
}

/** Every run in the order they ran; with `last`, only that many of the newest. */
export function listRuns(db: Db, last = -1): RunRow[] {
  const rows = db
    .prepare(
      `SELECT * FROM (SELECT id, command, device, started_at AS startedAt, finished_at AS finishedAt, sources, selection,
              files, bytes, skipped, outcome FROM runs ORDER BY id DESC LIMIT ?) ORDER BY id`,
    )
    .all(last) as (Omit<RunRow, 'sources' | 'selection'> & { sources: string; selection: string })[];
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

/**
 * The source folders a device's own archive runs named, from the audit trail: what an in-place
 * restore may write into (catalogued roots come from manifests, which are no more trusted than
 * the paths in them). A catalogue rebuilt without its old log has none.
 */
export function archivedSources(db: Db, device: string): string[] {
  const rows = db.prepare("SELECT DISTINCT sources FROM runs WHERE command = 'archive' AND device = ?").pluck().all(device) as string[];
  const out = new Set<string>();
  for (const r of rows) {
    try {
      for (const s of JSON.parse(r) as unknown[]) if (typeof s === 'string') out.add(s);
    } catch {
      // a damaged row names nothing
    }
  }
  return [...out];
}
