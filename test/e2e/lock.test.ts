import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTree } from '../helpers/images.js';
import { assertClean, isRoot, picvault, tryMount } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

async function archived() {
  const root = await tempDir();
  const src = path.join(root, 'photos');
  await buildTree(src, 2, ['2024-01']);
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', src, '--to', vault])).code, 0);
  return { root, src, vault };
}

const lockOf = (pid: number, extra: object = {}) => JSON.stringify({ pid, host: os.hostname(), startedAt: new Date(Date.now() - 3600_000).toISOString(), ...extra });

/** A process that has exited but that its parent never reaps, and the parent (to kill at the end). */
async function zombie(): Promise<{ pid: number; parent: ReturnType<typeof spawn> }> {
  // The child outlives the shell's exec, so the program the shell became (sleep) is its parent and never waits for it.
  const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 60']);
  const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  for (let i = 0; i < 250 && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); i++) await sleep(20);
  assert.match(readFileSync(`/proc/${pid}/stat`, 'utf8'), /\) Z /, 'a zombie');
  return { pid, parent };
}

test('an empty lock (its writer died, or the disk was full) does not block the next run', async () => {
  const { src, vault } = await archived();
  await writeFile(path.join(vault, '.lock'), '');
  const r = await picvault(['archive', src, '--to', vault]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await stat(path.join(vault, '.lock')).catch(() => null), null);
});

test('a lock whose process is a zombie, or whose pid now names another process, does not count as held', async (t) => {
  if (process.platform !== 'linux') return t.skip('zombies and start markers are read from /proc');
  const { src, vault } = await archived();
  const z = await zombie();
  try {
    await writeFile(path.join(vault, '.lock'), lockOf(z.pid));
    const r = await picvault(['archive', src, '--to', vault]);
    assert.equal(r.code, 0, r.stderr);
  } finally {
    z.parent.kill('SIGKILL');
  }
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  try {
    const start = readFileSync(`/proc/${other.pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
    // The pid of a run that is gone, given since to another process: its start marker differs.
    await writeFile(path.join(vault, '.lock'), lockOf(other.pid!, { process: String(Number(start) - 1) }));
    assert.equal((await picvault(['archive', src, '--to', vault])).code, 0);
    // The same pid and marker: the run is alive, the lock is held.
    await writeFile(path.join(vault, '.lock'), lockOf(other.pid!, { process: start }));
    assertClean(await picvault(['archive', src, '--to', vault]), 11, /in use by another picvault run/);
  } finally {
    other.kill('SIGKILL');
  }
});

test('a full disk when the lock is taken: exit with why, and no empty lock left for the next run', async (t) => {
  if (!isRoot()) return t.skip('mounting a small file system needs root');
  const { root, src } = await archived();
  const vault = path.join(root, 'small');
  await mkdir(vault);
  if (!tryMount('-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', vault)) return t.skip('this machine does not let a test mount a file system');
  try {
    const empty = path.join(root, 'empty');
    await mkdir(empty);
    assert.equal((await picvault(['archive', empty, '--to', vault])).code, 0);
    // Every byte taken: the lock file can be made, not written.
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${path.join(vault, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
    } catch {
      // dd stops with ENOSPC, as it should
    }
    const full = await picvault(['archive', src, '--to', vault]);
    assert.ok(full.code === 1 || full.code === 10, full.stderr);
    assert.match(full.stderr, /ENOSPC/);
    assert.ok(!(await readdir(vault)).includes('.lock'), 'no lock left behind');
    await rm(path.join(vault, 'filler'));
    const next = await picvault(['archive', src, '--to', vault]);
    assert.equal(next.code, 0, next.stderr);
  } finally {
    execFileSync('umount', [vault]);
  }
});
