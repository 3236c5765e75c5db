import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { hashBytes } from '../src/media/hash.js';
import { restoreImage } from '../src/engine/restore-worker.js';
import { tempDir } from './helpers/tmp.js';

test('a drive that fills mid-image: the targets written before count as written, the rest are not tried, no temporary file is left', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('mounting a small file system needs root');
  const root = await tempDir();
  const dest = path.join(root, 'dest');
  await mkdir(dest);
  try {
    // Room for two copies of a 190 KB image, not three (tmpfs counts whole pages, and the folders).
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=400k', 'tmpfs', dest], { stdio: 'ignore' });
  } catch {
    return t.skip('this machine does not let a test mount a file system');
  }
  try {
    const bytes = Buffer.alloc(190 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    const targets = ['a', 'b', 'c', 'd'].map((n) => ({ target: path.join(dest, 'chat', `${n}.png`), mtimeMs: Date.UTC(2024, 0, 1), destRoot: dest }));
    const reply = await restoreImage({ from: { bytes: bytes.buffer.slice(0) }, hash: await hashBytes(bytes), size: bytes.length, targets });
    assert.deepEqual(reply.outcomes, [null, null, 'write-failed', 'write-failed']);
    assert.deepEqual(reply.stopped, { code: 'ENOSPC', path: targets[2].target });
    assert.deepEqual((await readdir(path.join(dest, 'chat'))).sort(), ['a.png', 'b.png']);
    for (const name of ['a.png', 'b.png']) assert.deepEqual(await readFile(path.join(dest, 'chat', name)), bytes);
  } finally {
    execFileSync('umount', [dest]);
  }
});
