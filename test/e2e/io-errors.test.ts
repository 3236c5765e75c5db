import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, chown, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { isOwnTemporaryName } from '../../src/sources/own-files.js';
import { putFile, snapshot } from '../helpers/images.js';
import { NOBODY, assertClean, isRoot, picvault, type Run } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** The system stopped the run: exit 1, one line saying what to fix, no stack trace, not called a bug. */
function assertStopped(r: Run, pattern: RegExp): void {
  assertClean(r, 1, pattern);
  assert.doesNotMatch(r.stderr, /unexpectedly/);
}

/** Noise PNGs (they do not compress): n of about 190 KB each, over two months. */
async function noiseImages(dir: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const raw = Buffer.alloc(250 * 250 * 3);
    for (let j = 0; j < raw.length; j++) raw[j] = (j * 2654435761 + i * 40503) >>> 24;
    const png = await sharp(raw, { raw: { width: 250, height: 250, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
    await putFile(path.join(dir, `chat${i % 2}`, `noise${i}.png`), png, `2024-0${1 + (i % 2)}-1${i % 10}`);
  }
}

/**
 * A 640 KB file system at `dir` (made), room for about three of noiseImages' 190 KB images; false
 * where this machine does not let a test mount one. The caller unmounts it.
 */
async function mountSmallDisk(dir: string): Promise<boolean> {
  await mkdir(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=640k', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Archive and restore give back every file, byte for byte: nothing was lost. */
async function assertAllRestorable(src: string, vault: string, root: string): Promise<void> {
  assert.equal((await picvault(['verify', '--vault', vault, '--read-data'])).code, 0);
  const out = path.join(root, 'restored');
  const r = await picvault(['restore', '--from', vault, '--to', out]);
  assert.equal(r.code, 0, r.stderr);
  const want = await snapshot(src);
  const got = await snapshot(out);
  const bytesOf = (m: Map<string, { bytes: Buffer }>) => [...m.values()].map((v) => v.bytes.toString('base64')).sort();
  assert.deepEqual(bytesOf(got), bytesOf(want));
}

test('a full disk under the vault mid-run: exit 1 and what to fix, no zip under a final name uncatalogued, the re-run completes', async (t) => {
  if (!isRoot()) return t.skip('mounting a small file system needs root');
  const root = await tempDir();
  const src = path.join(root, 'photos');
  await noiseImages(src, 8);
  const vault = path.join(root, 'vault');
  if (!(await mountSmallDisk(vault))) return t.skip('this machine does not let a test mount a file system');
  // Unmounted here, before the test file's own clean-up (tempDir), which cannot remove a mount point.
  try {
    assertStopped(await picvault(['archive', src, '--to', vault]), /the disk is full \((ENOSPC|SQLITE_FULL)\)\. Nothing is lost/);
    // Whatever is under a final name is catalogued and whole; a half-written zip went with its temporary name.
    const verify = await picvault(['verify', '--vault', vault, '--read-data']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);

    execFileSync('mount', ['-o', 'remount,size=64m', vault]);
    const rerun = await picvault(['archive', src, '--to', vault]);
    assert.equal(rerun.code, 0, rerun.stderr);
    await assertAllRestorable(src, vault, root);
  } finally {
    execFileSync('umount', [vault]);
  }
});

test('a vault folder the user may not write to mid-run: exit 1 naming the folder, in English or Chinese; the re-run completes', async (t) => {
  if (!isRoot()) return t.skip('a refused write needs root to run the binary as another user');
  const asUser = { uid: NOBODY, gid: NOBODY };
  if ((await picvault(['--version'], asUser)).code !== 0) return t.skip('nobody cannot reach this checkout');
  const root = await tempDir();
  const src = path.join(root, 'photos');
  await noiseImages(src, 4);
  const empty = path.join(root, 'empty');
  await mkdir(empty);
  const vault = path.join(root, 'vault');
  await mkdir(vault);
  await chown(vault, NOBODY, NOBODY);
  // The vault is made, then its archives folder is closed to its user.
  assert.equal((await picvault(['archive', empty, '--to', vault], asUser)).code, 0);
  const archives = path.join(vault, 'archives');
  await mkdir(archives, { recursive: true });
  await chown(archives, NOBODY, NOBODY);
  await chmod(archives, 0o555);

  assertStopped(await picvault(['archive', src, '--to', vault], asUser), new RegExp(`stopped at ${archives}/2024: permission denied \\(EACCES\\)`));
  assertStopped(await picvault(['archive', src, '--to', vault, '--lang', 'zh'], asUser), /处停止：没有权限（EACCES）。没有丢失任何内容/);
  assert.deepEqual(await readdir(archives), []);

  await chmod(archives, 0o755);
  const rerun = await picvault(['archive', src, '--to', vault], asUser);
  assert.equal(rerun.code, 0, rerun.stderr);
  await assertAllRestorable(src, vault, root);
});

test('restore onto a disk that fills: exit 1 saying so, no part-written file, the re-run restores the rest byte for byte', async (t) => {
  if (!isRoot()) return t.skip('mounting a small file system needs root');
  const root = await tempDir();
  const src = path.join(root, 'photos');
  await noiseImages(src, 8);
  const vault = path.join(root, 'vault');
  assert.equal((await picvault(['archive', src, '--to', vault])).code, 0);
  const out = path.join(root, 'restored');
  if (!(await mountSmallDisk(out))) return t.skip('this machine does not let a test mount a file system');
  try {
    const stopped = await picvault(['restore', '--from', vault, '--to', out]);
    assertStopped(stopped, new RegExp(`stopped at ${out}/.+: the disk is full \\(ENOSPC\\)\\. Nothing is lost`));
    // One line, not a line per file left unwritten.
    assert.equal(stopped.stderr.trim().split('\n').length, 1, stopped.stderr);
    const want = new Set([...(await snapshot(src)).values()].map((v) => v.bytes.toString('base64')));
    const partial = await snapshot(out);
    assert.ok(partial.size > 0 && partial.size < 8, `${partial.size} files restored before the disk filled`);
    // What is there is whole: a file written in full, or nothing (not even a temporary name).
    for (const [name, v] of partial) {
      assert.ok(!isOwnTemporaryName(path.basename(name)), `${name} is a temporary file`);
      assert.ok(want.has(v.bytes.toString('base64')), `${name} is not one of the originals' bytes`);
    }
    // The audit trail says what was done: a partial restore of exactly the files that are there.
    const log = (await picvault(['catalog', 'log', '--vault', vault, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual([log.at(-1).command, log.at(-1).outcome, log.at(-1).files], ['restore', 'partial', partial.size]);

    execFileSync('mount', ['-o', 'remount,size=64m', out]);
    const rerun = await picvault(['restore', '--from', vault, '--to', out, '--json']);
    assert.equal(rerun.code, 0, rerun.stderr);
    const summary = JSON.parse(rerun.stdout) as { restored: number; already: number };
    assert.equal(summary.already, partial.size);
    assert.equal(summary.restored, 8 - partial.size);
    const got = await snapshot(out);
    assert.deepEqual(new Set([...got.values()].map((v) => v.bytes.toString('base64'))), want);
    assert.equal(got.size, 8);
  } finally {
    execFileSync('umount', [out]);
  }
});

test('a plain folder file the user may not read: scan and archive list it (exit 3) and archive every other file', async (t) => {
  if (!isRoot()) return t.skip('a file the user may not read needs another user than root');
  const root = await tempDir();
  const src = path.join(root, 'phone');
  // Plain folders are dated by their EXIF, read at scan (archive reads them in its reader threads).
  for (const [i, day] of ['2024-01-05', '2024-02-05', '2024-03-05'].entries()) {
    await putFile(path.join(src, `IMG_${i}.jpg`), await sharp({ create: { width: 40, height: 40, channels: 3, background: `#${i}0a0c0` } }).jpeg().toBuffer(), day);
  }
  const locked = path.join(src, 'IMG_1.jpg');
  await chmod(locked, 0o000);
  const vault = path.join(root, 'vault');
  await mkdir(vault);
  await chown(vault, NOBODY, NOBODY);
  const asUser = { uid: NOBODY, gid: NOBODY };

  for (const args of [['scan', src], ['archive', src, '--to', vault]]) {
    const r = await picvault(args, asUser);
    assert.equal(r.code, 3, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`${locked}: .*EACCES|${locked}: permission denied`, 'i'), args[0]);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
  const listed = await picvault(['catalog', 'list', '--vault', vault, '--json'], asUser);
  const paths = listed.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { path: string }).path).sort();
  assert.deepEqual(paths, [path.join(src, 'IMG_0.jpg'), path.join(src, 'IMG_2.jpg')]);
});
