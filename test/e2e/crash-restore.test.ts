import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { isOwnTemporaryName } from '../../src/sources/own-files.js';
import { buildTree, snapshot } from '../helpers/images.js';
import { BIN, picvault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * SPEC invariants 2 and 4 for restore: a restore SIGKILLed at any instant leaves every target
 * either absent, its old self, or exactly the archived bytes (never a wrong or partial byte under
 * a target's name); its temporary files are removed by the next restore into those folders, and
 * the next run finishes the work.
 */
const env = { ...process.env, LANG: 'en_US.UTF-8', PICVAULT_DEVICE: 'pc' };
/** Kills at instants spread over the run's length. */
const TIMED_KILLS = 6;
/**
 * Kills as the Nth file is about to be renamed into place (strace injects SIGKILL at that rename):
 * every one leaves at least the temporary file it was about to rename, and the next run must
 * remove it. A timed kill mostly lands between files, a file's write taking microseconds.
 */
const RENAME_KILLS = [1, 2, 40];

/** Whether strace can trace a child here (a container may forbid ptrace). */
const straceWorks = () => spawnSync('strace', ['-f', '-o', '/dev/null', 'true']).status === 0;

/** Runs the restore and SIGKILLs it after `ms`, or at its `rename`th rename; true when the kill landed. */
function restoreKilled(args: string[], at: { ms: number } | { rename: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const child =
      'ms' in at
        ? spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', env })
        : spawn('strace', ['-f', '-qq', '-o', '/dev/null', '-e', 'trace=rename', '-e', `inject=rename:signal=KILL:when=${at.rename}`, process.execPath, BIN, ...args], { stdio: 'ignore', env });
    const timer = 'ms' in at ? setTimeout(() => child.kill('SIGKILL'), at.ms) : undefined;
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL' || code === 128 + 9);
    });
  });
}

/** A cache of `distinct` images, each also forwarded into a second chat: one stored image, two targets. */
async function archivedCache(root: string) {
  const src = path.join(root, 'cache');
  const files = await buildTree(path.join(src, 'main'), 80, ['2024-01', '2024-02', '2024-03']);
  for (const [i, f] of files.entries()) {
    const copy = path.join(src, 'forwarded', `${i % 5}`, path.basename(f));
    await mkdir(path.dirname(copy), { recursive: true });
    await copyFile(f, copy);
    await utimes(copy, new Date(2024, 3, 1 + (i % 27), 12), new Date(2024, 3, 1 + (i % 27), 12));
  }
  const original = await snapshot(src);
  const vault = path.join(root, 'vault');
  const r = await picvault(['archive', src, '--to', vault, '--quiet'], { env });
  assert.equal(r.code, 0, r.stderr);
  return { src, vault, original };
}

/**
 * Every file under `dir`: a temporary file of picvault's own (returned), or a target holding
 * exactly one of the bytes it may hold.
 */
async function assertNoWrongByte(dir: string, allowed: (rel: string) => Buffer[], label: string): Promise<string[]> {
  const leftovers: string[] = [];
  for (const [rel, f] of await snapshot(dir).catch(() => new Map<string, { bytes: Buffer }>())) {
    if (isOwnTemporaryName(path.basename(rel))) {
      leftovers.push(rel);
      continue;
    }
    assert.ok(allowed(rel).some((b) => b.equals(f.bytes)), `${label}: ${rel} holds bytes it never had`);
  }
  return leftovers;
}

/** Kills the same restore at many instants, checking after each; then runs it whole and checks again. */
async function killAndFinish(args: string[], full: number, check: (label: string) => Promise<string[]>): Promise<{ kills: number; leftovers: number }> {
  const instants = [
    ...(straceWorks() ? RENAME_KILLS.map((rename) => ({ rename })) : []),
    ...Array.from({ length: TIMED_KILLS }, (_, i) => ({ ms: Math.round(120 + (full * (i + Math.random())) / TIMED_KILLS) })),
  ];
  let kills = 0;
  const leftovers = new Set<string>();
  for (const at of instants) {
    const killed = await restoreKilled(args, at);
    if (killed) kills++;
    const left = await check(`killed at ${JSON.stringify(at)} (a whole run: ${full} ms)`);
    if (killed && 'rename' in at) assert.ok(left.length > 0, 'a kill at a rename leaves the file it was renaming');
    for (const l of left) leftovers.add(l);
  }
  const final = await picvault([...args, '--json'], { env });
  assert.equal(final.code, 0, final.stderr);
  assert.deepEqual(await check('after the run that finished'), [], 'no temporary file left after the next run');
  return { kills, leftovers: leftovers.size };
}

test('restore --to killed with SIGKILL at many instants: no wrong byte anywhere, the next run finishes and leaves no temporary file', { timeout: 600_000 }, async (t) => {
  const root = await tempDir();
  const { src, vault, original } = await archivedCache(root);
  const dest = path.join(root, 'dest');
  const args = ['restore', '--from', vault, '--to', dest, '--quiet'];
  const started = Date.now();
  assert.equal((await picvault(args, { env })).code, 0);
  const full = Date.now() - started;
  await rm(dest, { recursive: true });

  const under = (rel: string) => path.relative(path.join('pc', path.relative('/', src)), rel);
  const { kills, leftovers } = await killAndFinish(args, full, (label) => assertNoWrongByte(dest, (rel) => [original.get(under(rel))!.bytes].filter(Boolean), label));
  const restored = await snapshot(path.join(dest, 'pc', path.relative('/', src)));
  assert.equal(restored.size, original.size);
  for (const [rel, f] of original) {
    assert.deepEqual(restored.get(rel)?.bytes, f.bytes, rel);
    assert.equal(restored.get(rel)?.mtimeMs, f.mtimeMs, rel);
  }
  t.diagnostic(`${kills} kills landed; ${leftovers} temporary files left by them, all removed by later runs`);
});

test('restore in place over different files (--overwrite if-different) killed at many instants: each file its old self or the original, never a mix', { timeout: 600_000 }, async (t) => {
  const root = await tempDir();
  const { src, vault, original } = await archivedCache(root);
  const args = ['restore', '--from', vault, '--overwrite', 'if-different', '--quiet'];
  const changed = new Map<string, Buffer>();
  const damage = async () => {
    // A third of the places hold a different file now; the rest were cleaned away.
    for (const [i, rel] of [...original.keys()].entries()) {
      const file = path.join(src, rel);
      if (i % 3 === 0) {
        const other = Buffer.from(`a different file now, ${i}`);
        changed.set(rel, other);
        await writeFile(file, other);
      } else await rm(file, { force: true });
    }
  };
  await damage();
  const started = Date.now();
  assert.equal((await picvault(args, { env })).code, 0);
  const full = Date.now() - started;
  await damage();

  const allowed = (rel: string) => [original.get(rel)?.bytes, changed.get(rel)].filter((b): b is Buffer => b !== undefined);
  const { kills, leftovers } = await killAndFinish(args, full, (label) => assertNoWrongByte(src, allowed, label));
  assert.deepEqual(await snapshot(src), original, 'every original back, byte for byte, with its time');
  t.diagnostic(`${kills} kills landed; ${leftovers} temporary files left by them, all removed by later runs`);
});
