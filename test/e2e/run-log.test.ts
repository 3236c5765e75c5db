import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { buildCopies, buildTree, snapshot } from '../helpers/images.js';
import { picvault, userEnv } from '../helpers/cli.js';
import { runSignalledAtFirstDelete, runSignalledWhen } from '../helpers/kill.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The run log after interruptions (Ctrl-C and SIGKILL): every run that changed the vault is in it
 * with what it did, and `restore --run` undoes exactly what its run removed, never what a later run
 * removed (catalog/removals.ts, catalog/runs.ts).
 */

const env = { PICVAULT_DEVICE: 'pc' };
const binEnv = userEnv(env);
type Logged = { id: number; command: string; files: number; bytes: number; outcome: string };
const log = async (vault: string): Promise<Logged[]> =>
  (await picvault(['catalog', 'log', '--vault', vault, '--json'])).stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Logged);
const cleanArgs = (src: string, vault: string, tag: string) =>
  ['clean', src, '--vault', vault, '--yes', '--quiet', '--preview', path.join(path.dirname(vault), `preview-${tag}.png`)];
type Tree = Map<string, { bytes: Buffer; mtimeMs: number }>;
const minus = (a: Tree, b: Tree): Tree => new Map([...a].filter(([rel]) => !b.has(rel)));
const sizeOf = (files: Tree) => [...files.values()].reduce((n, f) => n + f.bytes.length, 0);

async function archivedTree(n: number) {
  const root = await tempDir();
  const src = path.join(root, 'cache');
  await buildCopies(src, n, ['2024-03', '2024-04']);
  const vault = path.join(root, 'vault');
  const r = await picvault(['archive', src, '--to', vault], { env });
  assert.equal(r.code, 0, r.stderr);
  return { root, src, vault, original: await snapshot(src) };
}

/** Every file of `files` is in `src` with its bytes and date, and none of `absent`. */
async function assertTree(src: string, files: Tree, absent: Tree, label: string) {
  const now = await snapshot(src);
  for (const [rel, f] of files) {
    assert.deepEqual(now.get(rel)?.bytes, f.bytes, `${label}: ${rel} back, byte for byte`);
    assert.equal(now.get(rel)!.mtimeMs, f.mtimeMs, `${label}: ${rel} back with its date`);
  }
  for (const rel of absent.keys()) assert.ok(!now.has(rel), `${label}: ${rel}, removed by another run, stays removed`);
}

/**
 * The user's sequence: a clean interrupted after its first deletes, the same clean run again to the
 * end, then the first one undone. Only what the first removed comes back; the second is undone after.
 */
async function twoCleansThenUndo(n: number, signal: NodeJS.Signals, checkFirst: (run: Logged, gone: Tree) => void) {
  const { src, vault, original } = await archivedTree(n);
  const chats = (await readdir(src)).map((d) => path.join(src, d));
  const code = await runSignalledAtFirstDelete(cleanArgs(src, vault, '1'), chats, binEnv, signal);
  if (signal === 'SIGINT') assert.equal(code, 130);
  const afterFirst = await snapshot(src);
  const firstGone = minus(original, afterFirst);
  assert.ok(firstGone.size > 0 && afterFirst.size > 0, `the signal landed among the deletes (${firstGone.size} of ${n} gone)`);
  const first = (await log(vault)).find((r) => r.command === 'clean')!;
  checkFirst(first, firstGone);

  const dry = await picvault(['restore', '--from', vault, '--run', String(first.id), '--dry-run'], { env });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, new RegExp(`\\b${firstGone.size} files? would be restored`));

  const second = await picvault([...cleanArgs(src, vault, '2')], { env });
  assert.equal(second.code, 0, second.stderr);
  assert.equal((await snapshot(src)).size, 0);
  const secondGone = afterFirst;
  const secondRun = (await log(vault)).at(-1)!;
  assert.deepEqual([secondRun.command, secondRun.files, secondRun.bytes, secondRun.outcome], ['clean', secondGone.size, sizeOf(secondGone), 'done']);

  const undo = await picvault(['restore', '--from', vault, '--run', String(first.id)], { env });
  assert.equal(undo.code, 0, undo.stderr);
  assert.match(undo.stdout, new RegExp(`\\b${firstGone.size} files? restored`));
  await assertTree(src, firstGone, secondGone, 'the interrupted run undone');

  const undoSecond = await picvault(['restore', '--from', vault, '--run', String(secondRun.id)], { env });
  assert.equal(undoSecond.code, 0, undoSecond.stderr);
  await assertTree(src, original, new Map(), 'both undone');

  // Removed again after its undo, a place belongs to the run that removed it last.
  assert.equal((await picvault([...cleanArgs(src, vault, '3')], { env })).code, 0);
  const third = (await log(vault)).at(-1)!;
  assert.deepEqual([third.command, third.files], ['clean', n]);
  for (const id of [first.id, secondRun.id]) {
    const r = await picvault(['restore', '--from', vault, '--run', String(id), '--dry-run'], { env });
    assert.match(r.stdout + r.stderr, /\b0 files would be restored|nothing in the vault matches/, `run ${id} no longer owns what run ${third.id} removed`);
  }
}

test('Ctrl-C in a clean: the log counts what it removed; undoing it after a rerun brings back only its own files', { timeout: 300_000 }, async () => {
  // Many places (copies: cheap to make): the signal lands among the deletes, as on the user's drive.
  await twoCleansThenUndo(600, 'SIGINT', (run, gone) => {
    assert.deepEqual([run.outcome, run.files, run.bytes], ['interrupted', gone.size, sizeOf(gone)], 'the interrupted run counts the files it removed');
  });
});

test('SIGKILL in a clean: the log says interrupted with counts unknown; undoing it after a rerun brings back only its own files', { timeout: 300_000 }, async () => {
  await twoCleansThenUndo(600, 'SIGKILL', (run, gone) => {
    assert.equal(run.outcome, 'killed');
    assert.ok(run.files <= gone.size, `${run.files} counted, at most the ${gone.size} removed`);
  });
});

test('a killed clean is shown killed (not running) once no run holds the lock, and the next run writes it so', { timeout: 300_000 }, async () => {
  // Killed by a watcher process at the first delete (a 2 ms poll could see the delete only after
  // the clean had finished and written 'done'; it did, twice in CI).
  const { src, vault, original } = await archivedTree(600);
  const chats = (await readdir(src)).map((d) => path.join(src, d));
  const code = await runSignalledAtFirstDelete(cleanArgs(src, vault, 'k'), chats, binEnv, 'SIGKILL');
  assert.equal(code, null, 'the kill landed before the clean finished');
  const gone = minus(original, await snapshot(src));
  const [, killed] = await log(vault);
  assert.equal(killed.outcome, 'killed', 'a killed run is not shown as running once nothing holds the lock');
  assert.ok(killed.files <= gone.size);
  // The next run that takes the lock writes the same down.
  assert.equal((await picvault(['restore', '--from', vault, '--run', String(killed.id)], { env })).code, 0);
  const runs = await log(vault);
  assert.deepEqual(runs.map((r) => [r.command, r.outcome]), [['archive', 'done'], ['clean', 'killed'], ['restore', 'done']]);
  await assertTree(src, original, new Map(), 'killed run undone');
});

/** Final-named zips in the vault: a month slice was written and renamed. */
const zipsWritten = async (vault: string) =>
  (await readdir(path.join(vault, 'archives'), { recursive: true }).catch(() => [] as string[])).some((f) => f.endsWith('.zip'));

// SIGTERM (a `kill`, a service manager) and SIGHUP (the terminal closed) are interruptions as Ctrl-C is.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
  test(`an archive stopped by ${signal} is in the log with what it stored, and the rerun with the rest`, { timeout: 300_000 }, async () => {
    const root = await tempDir();
    const src = path.join(root, 'cache');
    const n = 60;
    await buildTree(src, n, ['2023-01', '2023-02', '2023-03', '2023-04', '2023-05', '2023-06']);
    const vault = path.join(root, 'vault');
    await runSignalledWhen(['archive', src, '--to', vault, '--quiet'], () => zipsWritten(vault), binEnv, signal);
    const catalogued = (await picvault(['catalog', 'list', '--vault', vault, '--json'])).stdout.trim().split('\n').filter(Boolean).length;
    const [stopped, ...none] = await log(vault);
    assert.equal(none.length, 0);
    assert.equal(stopped?.command, 'archive', 'the stopped archive is in the log');
    if (signal !== 'SIGKILL') assert.deepEqual([stopped.outcome, stopped.files], ['interrupted', catalogued], 'it counts the places it catalogued');
    else {
      assert.equal(stopped.outcome, 'killed');
      assert.ok(stopped.files <= catalogued);
    }

    const rerun = await picvault(['archive', src, '--to', vault], { env });
    assert.equal(rerun.code, 0, rerun.stderr);
    const runs = await log(vault);
    assert.deepEqual(runs.map((r) => [r.id, r.command, r.outcome]), [[stopped.id, 'archive', stopped.outcome], [runs[1].id, 'archive', 'done']]);
    // The zips it renamed but had not catalogued when it stopped are its own: recovery adds them.
    assert.ok(runs[0].files >= stopped.files);
    if (signal !== 'SIGKILL') assert.equal(runs[0].files + runs[1].files, n, 'between them, the two runs stored every file');
    else assert.ok(runs[0].files + runs[1].files <= n);
  });
}
