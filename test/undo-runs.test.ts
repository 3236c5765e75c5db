import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { openCatalog } from '../src/catalog/db.js';
import { recordRun, undoRuns, type RunRecord } from '../src/catalog/runs.js';
import { tempDir } from './helpers/tmp.js';

const run = (over: Partial<RunRecord>): RunRecord => ({
  command: 'restore', device: 'pc', startedAt: new Date().toISOString(), sources: [], selection: {}, files: 0, bytes: 0, skipped: 0, outcome: 'done', ...over,
});

test('a run is undone by the first restore --run of it that brought files back, even one that skipped some; not by a dry run, an interrupted one, or one that found everything in place', async () => {
  const db = openCatalog(path.join(await tempDir(), 'picvault.db'));
  try {
    recordRun(db, run({ command: 'clean', files: 30, bytes: 3000 })); // 1
    recordRun(db, run({ selection: { run: 1 }, outcome: 'dry-run', files: 30 })); // 2
    recordRun(db, run({ selection: { run: 1 }, outcome: 'interrupted', files: 5 })); // 3
    recordRun(db, run({ selection: { run: 1 }, outcome: 'partial', files: 25, skipped: 5 })); // 4: the undo (5 were already in place)
    recordRun(db, run({ selection: { run: 1 }, outcome: 'partial', files: 0, skipped: 30 })); // 5: found everything in place
    recordRun(db, run({ command: 'clean', files: 10, bytes: 1000 })); // 6
    recordRun(db, run({ selection: { run: 6 }, outcome: 'partial', files: 0, skipped: 10 })); // 7: restored nothing
    recordRun(db, run({ selection: { run: 6 }, outcome: 'done', files: 10 })); // 8
    assert.deepEqual([...undoRuns(db)].sort(), [[1, 4], [6, 8]]);
  } finally {
    db.close();
  }
});
