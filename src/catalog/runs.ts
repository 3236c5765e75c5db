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
  /**
   * `running` from its start until it ends (startRun); `interrupted` when Ctrl-C ended it (its
   * counts say what it did); `killed` when the next run that took the lock found it still running
   * (endKilledRuns): its counts are what it is known to have done, and it may have done more.
   */
  outcome: 'done' | 'partial' | 'dry-run' | 'running' | 'interrupted' | 'killed';
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
 * Records a run that changes the vault before it changes anything, as running, so that it is in
 * `catalog log` however it ends and what it removes can be tied to it (catalog/removals.ts);
 * countRun keeps its counts as it goes, finishRun says how it ended.
 */
export function startRun(db: Db, run: Omit<RunRecord, 'files' | 'bytes' | 'skipped' | 'outcome'>): number {
  const result = db.prepare(
    `INSERT INTO runs (command, device, started_at, finished_at, sources, selection, files, bytes, skipped, outcome)
     VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 'running')`,
  ).run(run.command, run.device, run.startedAt, new Date().toISOString(), JSON.stringify(run.sources), JSON.stringify(run.selection));
  return Number(result.lastInsertRowid);
}

export function finishRun(db: Db, id: number, end: Pick<RunRecord, 'files' | 'bytes' | 'skipped' | 'outcome'>): void {
  db.prepare('UPDATE runs SET finished_at = ?, files = ?, bytes = ?, skipped = ?, outcome = ? WHERE id = ?').run(
    new Date().toISOString(), end.files, end.bytes, end.skipped, end.outcome, id,
  );
}

/** What a running run has done so far: what the log says if it is killed before it ends. */
export function countRun(db: Db, id: number, done: Pick<RunRecord, 'files' | 'bytes'>): void {
  db.prepare('UPDATE runs SET finished_at = ?, files = ?, bytes = ? WHERE id = ?').run(new Date().toISOString(), done.files, done.bytes, id);
}

/**
 * What recovery found a stopped archive run had stored without cataloguing (zips renamed, not yet
 * committed: core/recover.ts): added to the last archive run if it was stopped, the one that wrote them.
 */
export function addToStoppedArchive(db: Db, done: Pick<RunRecord, 'files' | 'bytes'>): void {
  db.prepare(
    `UPDATE runs SET files = files + ?, bytes = bytes + ?
     WHERE id = (SELECT max(id) FROM runs WHERE command = 'archive') AND outcome IN ('interrupted', 'killed')`,
  ).run(done.files, done.bytes);
}

/**
 * Runs still `running` when a run takes the lock were killed (SIGKILL, a crash, a pulled plug):
 * marked `killed`. A clean or dedupe run's counts become what its list says it removed (its last
 * batch of deletes may have gone unmarked: the counts are a floor); an archive run's stay those of
 * its last catalogue commit.
 */
export function endKilledRuns(db: Db): number {
  return db.prepare(`UPDATE runs SET outcome = 'killed', files = ${KILLED_FILES}, bytes = ${KILLED_BYTES} WHERE outcome = 'running'`).run().changes;
}

/** A killed clean or dedupe run's counts: what its list says it removed. */
const KILLED_FILES = `CASE WHEN command IN ('clean', 'dedupe')
  THEN (SELECT count(*) FROM run_removals r WHERE r.run_id = runs.id AND r.removed = 1) ELSE files END`;
const KILLED_BYTES = `CASE WHEN command IN ('clean', 'dedupe')
  THEN (SELECT coalesce(sum(l.size), 0) FROM run_removals r JOIN locations l ON l.id = r.location_id WHERE r.run_id = runs.id AND r.removed = 1)
  ELSE bytes END`;

/**
 * The log's columns. A reader takes no lock and writes nothing: when no live run holds the lock
 * (`running` false), a run still marked running was killed, and is shown as endKilledRuns will
 * write it.
 */
const runColumns = (running: boolean) => running
  ? 'id, command, device, started_at AS startedAt, finished_at AS finishedAt, sources, selection, files, bytes, skipped, outcome'
  : `id, command, device, started_at AS startedAt, finished_at AS finishedAt, sources, selection,
     CASE outcome WHEN 'running' THEN ${KILLED_FILES} ELSE files END AS files,
     CASE outcome WHEN 'running' THEN ${KILLED_BYTES} ELSE bytes END AS bytes, skipped,
     CASE outcome WHEN 'running' THEN 'killed' ELSE outcome END AS outcome`;

/** A run of the log; `running`: whether a live run holds the vault's lock (see runColumns). */
export function runById(db: Db, id: number, running = true): RunRow | undefined {
  const row = db
    .prepare(`SELECT ${runColumns(running)} FROM runs WHERE id = ?`)
    .get(id) as (Omit<RunRow, 'sources' | 'selection'> & { sources: string; selection: string }) | undefined;
  return row && { ...row, sources: JSON.parse(row.sources), selection: JSON.parse(row.selection) };
}

/** Every run in the order they ran; with `last`, only that many of the newest. `running` as for runById. */
export function listRuns(db: Db, last = -1, running = true): RunRow[] {
  const rows = db
    .prepare(`SELECT * FROM (SELECT ${runColumns(running)} FROM runs ORDER BY id DESC LIMIT ?) ORDER BY id`)
    .all(last) as (Omit<RunRow, 'sources' | 'selection'> & { sources: string; selection: string })[];
  return rows.map((r) => ({ ...r, sources: JSON.parse(r.sources), selection: JSON.parse(r.selection) }));
}

/**
 * The undo of each undone run: the first `restore --run` of it that finished and brought files back
 * (done, or partial when some were skipped: already in place, or a different file there), by the
 * run it undid. A restore of it that brought nothing back (it found everything in place), a dry
 * run or an interrupted one is not its undo.
 */
export function undoRuns(db: Db): Map<number, number> {
  const rows = db
    .prepare(
      `SELECT json_extract(selection, '$.run') AS run, MIN(id) AS undo FROM runs
       WHERE command = 'restore' AND (outcome = 'done' OR (outcome = 'partial' AND files > 0))
         AND json_type(selection, '$.run') = 'integer' GROUP BY 1`,
    )
    .all() as { run: number; undo: number }[];
  return new Map(rows.map((r) => [r.run, r.undo]));
}

/** Marks places cleaned or restored, in one transaction per batch. */
export function markPlaces(db: Db, column: 'cleaned_at' | 'restored_at', ids: readonly number[]): void {
  // The place's own column, written in its table (locations is a view of it: migrations/0013).
  const stmt = db.prepare(`UPDATE places SET ${column} = ? WHERE id = ?`);
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
